// Every demo in every engine: Chromium (ChromeDriver), Firefox ESR
// (geckodriver) and WebKit (WebKitGTK's MiniBrowser through WebKitWebDriver),
// all through W3C WebDriver. For each demo the app lists, in each engine:
// it becomes ready, draws, plays, switches language, restores a URL state,
// and reports bad input with a notice.
//
//   TRAINLAB_ENGINES=firefox node --test tests/cross-engine/   (one engine)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, startServer } from '../e2e/harness.mjs';
import { selectedEngines, startEngine } from '../webdriver/engines.mjs';
import { DEMO_TABLE, PENDING_FEATURES } from './demo-table.mjs';
import { buildSingleFile } from '../../scripts/single-file.mjs';
import { chooseLanguage, clickButton, hashParams, inPage, openApp, pageErrors, pictureScript } from './page.mjs';

const HANGUL = /[\uac00-\ud7a3]/;
// Scripts are sent as source text: the app's CSP forbids eval in the page.
const SETTLED = pictureScript();
const DRAWN = pictureScript({ settle: false });

/** The demo's parameter table from www/demos/<id>.js, or null. */
async function paramsOf(id) {
  const file = path.join(REPO_ROOT, 'www/demos', `${id}.js`);
  if (!existsSync(file)) return null;
  const module = await import(pathToFileURL(file).href);
  return module.params ?? null;
}

/** The state and bad input for a demo: from the table, else from its parameters. */
async function plan(id) {
  const entry = DEMO_TABLE[id] ?? {};
  let { state, badInput } = entry;
  if (!state || !badInput) {
    const params = await paramsOf(id);
    const firstEnum = params && Object.entries(params).find(([, spec]) => spec.type === 'enum' && spec.values.length > 1);
    if (!firstEnum && (!state || !badInput)) {
      throw new Error(`demo '${id}' has no enum parameter to try: give it state and badInput in tests/cross-engine/demo-table.mjs`);
    }
    if (firstEnum) {
      const [name, spec] = firstEnum;
      const fallback = typeof spec.default === 'function' ? spec.default({}) : spec.default;
      state ??= `${name}=${spec.values.find((value) => value !== fallback)}`;
      badInput ??= `${name}=no-such-${name}`;
    }
  }
  const play = 'play' in entry ? entry.play : { button: 'Play', pause: 'Pause', counter: inPage.stepCounter };
  return { state, badInput, play, why: entry.why };
}

for (const engine of selectedEngines()) {
  describe(engine, { concurrency: 1 }, () => {
    let server;
    let browser;
    let session;
    let demos = [];

    before(async () => {
      server = await startServer();
      browser = await startEngine(engine);
      session = browser.session;
      // The demo list is the app's own: its navigation.
      await openApp(session, server.url, '');
      demos = await session.execute(() =>
        [...document.querySelectorAll('#demo-nav a')].map((a) => a.getAttribute('href').replace(/^#/, '')));
    }, { timeout: 240_000 });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    test(`${engine}: the engine and the demos it runs`, (t) => {
      assert.ok(demos.length >= 7, `the app lists ${demos.length} demos`);
      t.diagnostic(`${browser.name} ${browser.version}; demos: ${demos.join(', ')}`);
    });

    // One test drives every demo, each check a subtest, so a demo added to
    // the app joins without a change here.
    test(`${engine}: every demo`, { timeout: 1_800_000 }, async (t) => {
      for (const id of demos) {
        await t.test(id, async (t) => {
          const { state, badInput, play, why } = await plan(id);
          let defaultPicture;

          await t.test('becomes ready and draws', async () => {
            await openApp(session, server.url, id);
            const current = await session.execute(() => document.querySelector('#demo-nav [aria-current="page"]')?.getAttribute('href'));
            assert.equal(current, `#${id}`, 'the app mounted another demo');
            const summary = await session.waitForAsync('a picture, not blank, that holds still', SETTLED);
            defaultPicture = `${summary.digest} ${summary.text}`;
            assert.deepEqual(await pageErrors(session), []);
          });

          await t.test(play ? 'plays' : `does not animate: ${why}`, async () => {
            if (!play) return;
            const counter = await session.execute(play.counter);
            const before = await session.execute(inPage.canvasSummary);
            await clickButton(session, play.button);
            // Playing: the counter grows and the picture changes (a demo may
            // redraw its charts every few frames only, so wait for both).
            await session.waitFor(`the counter to pass ${counter} and the picture to change`,
              `return (${play.counter})() > arguments[0] && (${inPage.canvasSummary})().digest !== arguments[1];`,
              [counter, before.digest]);
            if (!play.once) {
              await clickButton(session, play.pause);
              // Paused: the counter holds still across frames.
              const paused = await session.execute(play.counter);
              await session.executeAsync(inPage.afterFrames, 5);
              assert.equal(await session.execute(play.counter), paused, 'the counter moved after Pause');
            }
            assert.deepEqual(await pageErrors(session), []);
          });

          await t.test('switches language', async () => {
            const title = await session.execute(() => document.querySelector('main h2').textContent);
            await chooseLanguage(session, 'ko');
            const korean = await session.execute(() => document.querySelector('main h2').textContent);
            assert.notEqual(korean, title);
            assert.match(korean, HANGUL, 'the title is not Korean');
            if (play?.button === 'Play') assert.ok(await session.execute(inPage.buttonNamed, '재생'), 'no 재생 (Play) button');
            const params = await hashParams(session);
            assert.ok(params.some(([name, value]) => name === 'lang' && value === 'ko'), 'lang=ko is not in the URL');
            await chooseLanguage(session, 'en');
            assert.deepEqual(await pageErrors(session), []);
          });

          await t.test(`restores a URL state (${state})`, async () => {
            await openApp(session, server.url, `${id}?${state}`);
            assert.equal(await session.execute(() => document.querySelector('#notices').textContent), '', 'a notice about the link');
            const picture = await session.waitForAsync('a picture, not blank, that holds still', SETTLED);
            assert.notEqual(`${picture.digest} ${picture.text}`, defaultPicture, 'the state changed neither the pictures nor the text');
            // The demo writes its live values back into the URL (here on a
            // language switch): every value of the link must still be there.
            await chooseLanguage(session, 'ko');
            const written = new URLSearchParams((await hashParams(session)).map(([k, v]) => [k, v]));
            for (const [name, value] of new URLSearchParams(state)) {
              assert.equal(written.get(name), value, `${name} after the demo saved its state`);
            }
            assert.deepEqual(await pageErrors(session), []);
          });

          await t.test(`reports bad input with a notice (${badInput})`, async () => {
            await openApp(session, server.url, `${id}?${badInput}`);
            const name = new URLSearchParams(badInput).keys().next().value;
            const notice = await session.waitFor('a notice', () => document.querySelector('#notices .notice')?.textContent ?? false);
            assert.match(notice, new RegExp(`'${name}'`), 'the notice does not name the parameter');
            // Still working, with the default in place.
            await session.waitForAsync('a canvas that is not blank', DRAWN);
            assert.deepEqual(await pageErrors(session), []);
          });
        });
      }
    });

    test(`${engine}: the single offline file opens (file://, no server) and a demo plays`, async () => {
      // The one-file build (scripts/single-file.mjs) saved as index.html in
      // a directory of its own, so openApp loads it from disk like the app.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'trainlab-single-'));
      try {
        writeFileSync(path.join(dir, 'index.html'), buildSingleFile().html);
        const base = `${pathToFileURL(dir).href}/`;
        await openApp(session, base, 'race?surface=rosenbrock');
        assert.equal(await session.execute(() => document.querySelector('#race-surface').value), 'rosenbrock');
        const counter = await session.execute(inPage.stepCounter);
        const before = await session.execute(inPage.canvasSummary);
        await clickButton(session, 'Play');
        await session.waitFor(`the counter to pass ${counter} and the picture to change`,
          `return (${inPage.stepCounter})() > arguments[0] && (${inPage.canvasSummary})().digest !== arguments[1];`,
          [counter, before.digest]);
        await clickButton(session, 'Pause');
        assert.deepEqual(await pageErrors(session), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    // Every download button of every demo that has them, clicked for real;
    // the page keeps the file (drivers differ in where they save), and its
    // bytes are read back: PNG signature and size, CSV header and rows, JSON
    // with the share link of the demo.
    test(`${engine}: download buttons save PNG, CSV and JSON files that parse`, { timeout: 1_200_000 }, async (t) => {
      const withDownloads = [];
      for (const id of demos) {
        await openApp(session, server.url, id);
        const buttons = await session.execute(() => [...document.querySelectorAll('main .downloads button.download')].filter((b) => b.getClientRects().length > 0));
        if (!buttons.length) {
          t.diagnostic(`${id}: no download buttons`);
          continue;
        }
        withDownloads.push(id);
        await session.execute(inPage.captureDownloads);
        const formats = await session.execute(() => [...document.querySelectorAll('main .downloads button.download')].filter((b) => b.getClientRects().length > 0).map((b) => b.dataset.format));
        for (const [i, button] of buttons.entries()) {
          await session.click(button);
          const file = await session.waitForAsync(`file ${i + 1} of ${id}`, inPage.readDownload, [i]);
          const what = `${id}: ${file.name}`;
          assert.ok(!file.missing, `${what}: the saved link is a blob made by the page`);
          assert.match(file.name, new RegExp(`^trainlab-${id}-[a-z0-9-]+-\\d{4}-\\d{2}-\\d{2}\\.${formats[i].toLowerCase()}$`), what);
          if (formats[i] === 'PNG') {
            assert.deepEqual(file.png.signature, [137, 80, 78, 71, 13, 10, 26, 10], `${what}: PNG signature`);
            assert.equal(file.png.chunk, 'IHDR', what);
            assert.ok(file.png.width > 0 && file.png.height > 0, `${what}: ${file.png.width}×${file.png.height}`);
          } else if (formats[i] === 'CSV') {
            const [header, ...rows] = file.text.trimEnd().split('\r\n').map((line) => line.split(','));
            // The first column counts steps or members (runs side by side may name
            // theirs: independent_step, snapshot_step).
            assert.ok(/^(step|k|[a-z]+_step)$/.test(header[0]) && header.length >= 2, `${what}: header ${header}`);
            // Demos are saved as they open, before any training: a run's curve
            // may have no rows yet (the e2e downloads tests train first and
            // compare every row); what rows there are must be whole.
            assert.equal(file.text.endsWith('\r\n'), true, `${what}: CRLF-terminated`);
            for (const row of rows) {
              assert.equal(row.length, header.length, `${what}: a full row`);
              assert.ok(row.every((cell) => cell === '' || Number.isFinite(Number(cell))), `${what}: numbers (${row})`);
            }
          } else {
            const record = JSON.parse(file.text);
            assert.equal(record.demo, id, what);
            assert.equal(new URL(record.link).hash.split('?')[0], `#${id}`, `${what}: the share link opens the demo`);
            assert.equal(new URL(record.link).pathname, await session.execute(() => location.pathname), `${what}: the share link is the app's address`);
          }
        }
        assert.equal(await session.execute(() => window.__downloads.length), buttons.length, `${id}: one file per button`);
        assert.deepEqual(await pageErrors(session), []);
      }
      t.diagnostic(`downloads checked in: ${withDownloads.join(', ')}`);
      for (const id of ['network', 'dropout', 'batchnorm', 'augment']) assert.ok(withDownloads.includes(id), `${id} has download buttons`);
    });

    for (const { name, todo } of PENDING_FEATURES) test(`${engine}: ${name}`, { todo });
  });
}
