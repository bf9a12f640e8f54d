// What each engine offers the app, and what the app does where one lacks
// something. The app detects features, never browsers: nothing in www/
// reads the user agent. In every engine the test lists what is missing (as
// diagnostics: which engine, which feature, what the app does instead),
// fails if something the app cannot do without is missing, and drives two
// fallbacks for real: decoding an uploaded photo without OffscreenCanvas,
// and copying a snippet without the async clipboard.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, startServer } from '../e2e/harness.mjs';
import { selectedEngines, startEngine } from '../webdriver/engines.mjs';
import { openApp, pageErrors } from './page.mjs';

/** Features the app needs everywhere: without one, a demo cannot work. */
const REQUIRED = {
  webAssembly: 'the engine is WebAssembly',
  wasmSimd: 'the release build uses wasm SIMD (.cargo/config.toml: +simd128)',
  resizeObserver: 'canvases follow their box (www/ui/canvas.js)',
  customElements: '<trainlab-demo> (www/embed.js)',
  createImageBitmap: 'photos are decoded with it (www/ui/aug-image.js)',
  worker: 'training runs in a worker where it is heavy',
};

/** Features the app uses where present, and what it does without them. */
const OPTIONAL = {
  longTasks: 'no Long Tasks API: main-thread blocking is measured by the Chromium benchmark only; nothing in the app depends on it',
  offscreenCanvas: 'no OffscreenCanvas: photos are decoded through a detached <canvas> (www/ui/aug-image.js)',
  workerOffscreenCanvas: 'no OffscreenCanvas in workers: a worker hands pixels back as buffers and the page draws them',
  moduleWorker: 'no module workers: training falls back to the main thread within a frame budget',
  clipboard: 'no async clipboard: Copy selects the snippet and asks for Ctrl+C (www/ui/embed-dialog.js)',
  dialog: 'no <dialog>.showModal: the Embed dialog opens as a plain element and keeps its own focus trap',
  decompressionStream: 'no DecompressionStream: a gzip asset would need the server to decompress it',
};

/** Runs in the app page: which features are there (async: probes workers). */
async function probe() {
  // The smallest module with one v128 instruction (i32x4.splat of 0).
  const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 17, 11]);
  const workerProbe = (options) => new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker('tests/cross-engine/probe-worker.js', options);
    } catch {
      resolve(null);
      return;
    }
    worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
    worker.onerror = () => { worker.terminate(); resolve(null); };
  });
  const classic = await workerProbe(undefined);
  const module = await workerProbe({ type: 'module' });
  return {
    webAssembly: typeof WebAssembly === 'object',
    wasmSimd: typeof WebAssembly === 'object' && WebAssembly.validate(simd),
    resizeObserver: typeof ResizeObserver === 'function',
    customElements: typeof customElements === 'object' && typeof customElements.define === 'function',
    createImageBitmap: typeof createImageBitmap === 'function',
    worker: classic !== null && classic.webAssembly,
    longTasks: typeof PerformanceObserver === 'function' &&
      (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask'),
    offscreenCanvas: typeof OffscreenCanvas === 'function',
    workerOffscreenCanvas: classic !== null && classic.offscreen2d,
    moduleWorker: module !== null,
    clipboard: typeof navigator.clipboard?.writeText === 'function',
    dialog: typeof HTMLDialogElement === 'function' && typeof HTMLDialogElement.prototype.showModal === 'function',
    decompressionStream: typeof DecompressionStream === 'function',
  };
}

/** Every .js file under www/ except the generated package. */
async function appSources(dir = path.join(REPO_ROOT, 'www')) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== path.join(REPO_ROOT, 'www/pkg')) files.push(...(await appSources(full)));
    } else if (entry.name.endsWith('.js')) {
      files.push(full);
    }
  }
  return files;
}

test('the app detects features, never browsers: no user-agent sniffing in www/', async () => {
  const sniffing = /navigator\s*\.\s*(userAgent|userAgentData|vendor|appVersion|platform)\b|\bbrowserName\b/;
  const offenders = [];
  for (const file of await appSources()) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => sniffing.test(line) && offenders.push(`${path.relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`));
  }
  assert.deepEqual(offenders, []);
});

for (const engine of selectedEngines()) {
  describe(`${engine}: features`, { concurrency: 1 }, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer();
      browser = await startEngine(engine);
    }, { timeout: 240_000 });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    test(`${engine}: what the engine offers and what the app does without it`, { timeout: 300_000 }, async (t) => {
      const { session } = browser;
      await openApp(session, server.url, 'race');
      const found = await session.executeAsync(probe);
      const missingRequired = Object.keys(REQUIRED).filter((name) => !found[name]);
      for (const name of Object.keys(OPTIONAL)) {
        if (!found[name]) t.diagnostic(`${engine} (${browser.name} ${browser.version}): ${OPTIONAL[name]}`);
      }
      assert.deepEqual(missingRequired.map((name) => `${name}: ${REQUIRED[name]}`), []);
    });

    test(`${engine}: an uploaded photo decodes without OffscreenCanvas`, { timeout: 300_000 }, async () => {
      const { session } = browser;
      await openApp(session, server.url, 'augment');
      // Take the feature away, as an engine without it would not have it.
      await session.execute(() => {
        Object.defineProperty(window, 'OffscreenCanvas', { value: undefined, configurable: true });
      });
      const input = await session.find('main input[type="file"]');
      assert.ok(input, 'the augmentation demo has no file input');
      await session.sendKeys(input, path.join(REPO_ROOT, 'www/assets/coffee.png'));
      const shown = await session.waitFor('the uploaded photo', () => {
        const section = document.querySelector('main section[data-image]');
        return section?.dataset.image === 'upload' && section.dataset.state === 'ready' ? section.dataset.image : false;
      }, [], { timeoutMs: 90_000 });
      assert.equal(shown, 'upload');
      assert.equal(await session.execute(() => typeof OffscreenCanvas), 'undefined', 'the probe was not in place');
      assert.deepEqual(await pageErrors(session), []);
    });

    test(`${engine}: Copy without the async clipboard selects the snippet instead`, { timeout: 300_000 }, async () => {
      const { session } = browser;
      await openApp(session, server.url, 'schedules');
      await session.execute(() => {
        Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
      });
      await session.click(await session.find('header .embed-open'));
      await session.waitFor('the dialog', () => document.querySelector('dialog.embed-dialog')?.open);
      await session.click(await session.find('dialog [data-i18n-label="embed.copyIframe"]'));
      const result = await session.waitFor('the copy status', () => {
        const status = document.querySelector('dialog .embed-status').textContent;
        return status ? { status, selected: String(getSelection()), snippet: document.querySelector('dialog [data-snippet="iframe"]').textContent } : false;
      });
      assert.match(result.status, /press Ctrl\+C/);
      assert.equal(result.selected, result.snippet, 'the snippet is not what is selected');
      assert.deepEqual(await pageErrors(session), []);
    });
  });
}
