// Shared machinery for the end-to-end tests and the benchmark runner: serves
// the repository with scripts/serve.mjs on a free port, drives Debian's
// Chromium through playwright-core, records each page's errors, and closes
// everything afterwards.
//
//   import { startLab } from './harness.mjs';
//   const lab = await startLab();
//   const { page, errors } = await lab.open('index.html');
//   ...
//   await lab.close();

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for Chromium as root on a machine whose network reaches only the
 * package registries: no sandbox (root), and no background traffic that
 * would flood the closed network with refused connections.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Runs scripts/serve.mjs as a child process on a free port.
 * Resolves to { url, close } once it prints the address it listens on.
 */
export async function startServer({ timeoutMs = 10_000 } = {}) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/serve.mjs'), '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, SERVE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('timed out')), timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`scripts/serve.mjs did not start: ${error.message}\n${output}`));
    }
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    const collect = (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(match[0]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * Launches headless Chromium with a fresh profile in a temporary directory.
 * Resolves to { browser, close }; close() also deletes the profile.
 */
export async function launchBrowser() {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-chromium-'));
  // A persistent context is the one way playwright accepts a chosen
  // --user-data-dir; it is still brand new and removed afterwards.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` in a new page of `context`, recording its console errors,
 * uncaught exceptions and failed requests into the returned `errors` array
 * (plain strings, so assert.deepEqual(errors, []) shows them all).
 */
export async function openPage(context, url, { waitUntil = 'load', timeoutMs = 30_000 } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) =>
    errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url, { waitUntil, timeout: timeoutMs });
  return { page, errors };
}

/**
 * The server and the browser together. `open(relativePath)` opens a page of
 * the served repository; `close()` closes the pages, the browser and the
 * server, even when some of them failed to start.
 */
export async function startLab() {
  const server = await startServer();
  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: server.url,
    context: browser.context,
    open(relativePath = '', options) {
      return openPage(browser.context, new URL(relativePath, server.url).href, options);
    },
    /** Opens the app at `#hash` and waits until it says it is ready. */
    async openApp(hash) {
      const opened = await openPage(browser.context, new URL(`index.html#${hash}`, server.url).href);
      await opened.page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
      return opened;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Resolves after `count` animation frames of the page: whatever a frame
 * callback scheduled by the last input draws is on the canvas by then.
 */
export function nextFrames(page, count = 2) {
  return page.evaluate((n) => new Promise((resolve) => {
    const tick = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => tick(left - 1)));
    tick(n);
  }), count);
}

/**
 * A position-weighted checksum of a canvas's pixels: equal pictures, equal
 * sums. A canvas drawn over layers (the race map: canvases stacked in one
 * wrapper, the selected one on top) is digested as the picture a user sees,
 * every canvas of its wrapper drawn in order.
 */
export function canvasDigest(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    const layers = [...canvas.parentElement.querySelectorAll(':scope > canvas.map-layer')];
    // Drawn into a fresh 2D canvas: a still canvas (www/ui/still-canvas.js)
    // is a "bitmaprenderer" one, and a stacked map is several canvases.
    const flat = document.createElement('canvas');
    flat.width = canvas.width;
    flat.height = canvas.height;
    for (const layer of [...layers, canvas]) flat.getContext('2d').drawImage(layer, 0, 0);
    const data = flat.getContext('2d').getImageData(0, 0, flat.width, flat.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 7) sum = (sum * 31 + data[i]) % 1_000_000_007;
    return `${canvas.width}x${canvas.height}:${sum}`;
  }, selector);
}
