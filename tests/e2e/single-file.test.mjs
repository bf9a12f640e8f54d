// The one-file build (scripts/single-file.mjs → dist/trainlab.html) opened
// from disk with every network request refused: every demo the app lists
// becomes ready and plays, links and embed mode work, the CSP is the strict
// one of hashes, and the page asks for nothing but its own file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from './harness.mjs';
import { buildSingleFile } from '../../scripts/single-file.mjs';

const PLAY = '.player[role="group"] button.primary';

let browser;
let dir;
let fileUrl;
let built;

before(async () => {
  built = buildSingleFile();
  dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-single-'));
  const file = path.join(dir, 'trainlab.html');
  await writeFile(file, built.html);
  fileUrl = pathToFileURL(file).href;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Opens the file at `#hash` in a fresh page that refuses every request but
 * the file itself; records errors, CSP violations and every request made.
 */
async function openFile(hash) {
  const page = await browser.context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/*', (route) => (route.request().url().split('#')[0] === fileUrl ? route.continue() : route.abort()));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(`${fileUrl}#${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1', `#${hash}: the engine started (${errors.join('; ')})`);
  await page.waitForFunction(() => !document.querySelector('main [data-state="loading"]'), null, { timeout: 60_000 });
  return { page, errors, requests };
}

test('one file: one inline script and style, a CSP of hashes, nothing linked', (t) => {
  const { html, csp } = built;
  t.diagnostic(`dist/trainlab.html: ${Buffer.byteLength(html)} bytes, ${gzipSync(html, { level: 9 }).length} gzipped`);
  // Outside the one script and the one style (whose code may spell "<script"
  // in a snippet it shows), the page has no other script, style or link to a file.
  const script = html.match(/<script type="module">[\s\S]*?<\/script>/g);
  const style = html.match(/<style>[\s\S]*?<\/style>/g);
  assert.equal(script?.length, 1);
  assert.equal(style?.length, 1);
  const rest = html.replace(script[0], '').replace(style[0], '');
  assert.doesNotMatch(rest, /<script|<style|<link[^>]+rel="stylesheet"|\b(src|href)="(?!data:|#)/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval'/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /worker-src data:(;|$)/);
  assert.ok(built.assets >= 3, `the wasm and the photos are inlined (${built.assets} files)`);
});

test('every demo becomes ready and plays from file:// with the network refused', async () => {
  const { page: first } = await openFile('');
  const demos = await first.$$eval('#demo-nav a', (links) => links.map((a) => a.getAttribute('href').slice(1)));
  await first.close();
  assert.ok(demos.length >= 7, `${demos}`);
  for (const demo of demos) {
    const { page, errors, requests } = await openFile(demo);
    const canvases = () => page.$$eval('main canvas', (list) => list.map((c) => {
      if (!c.width || !c.height) return 0;
      const d = ((f) => { f.width = c.width; f.height = c.height; const g = f.getContext('2d'); g.drawImage(c, 0, 0); return g.getImageData(0, 0, f.width, f.height); })(document.createElement('canvas')).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 11) sum = (sum * 31 + d[i]) % 1_000_000_007;
      return sum;
    }));
    const drawn = await canvases();
    assert.ok(drawn.some((sum) => sum !== 0), `${demo}: something is drawn`);
    if (await page.$(PLAY)) {
      await page.click(PLAY);
      await page.waitForFunction(() => document.querySelector('[data-live]')?.textContent !== '', null, { timeout: 60_000 });
      await page.click('.player[role="group"] button:nth-of-type(2)');
      // A worker demo announces a step with its snapshot and draws it in
      // the next frame: give the picture a moment to follow.
      let after = await canvases();
      for (let wait = 0; wait < 50 && JSON.stringify(after) === JSON.stringify(drawn); wait++) {
        await page.waitForTimeout(200);
        after = await canvases();
      }
      assert.notDeepEqual(after, drawn, `${demo}: playing changed the pictures`);
      // A demo whose engine can run in a worker says where it runs: in the
      // file too, the worker (started from a data: URL) must have started.
      const engine = await page.evaluate(() => document.querySelector('main [data-engine]')?.dataset.engine ?? null);
      if (engine !== null) assert.equal(engine, 'worker', `${demo}: its engine runs in a worker`);
    } else {
      // The augmentation demo: its photo (an inlined PNG) is decoded and drawn.
      const photo = await page.$eval('canvas.aug-photo', (c) => [c.width, c.height]);
      assert.deepEqual(photo, [451, 300]);
    }
    assert.deepEqual(errors, [], demo);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), [], `${demo}: no CSP violation`);
    assert.deepEqual(requests.filter((url) => url.split('#')[0] !== fileUrl), [], `${demo}: no request but the file`);
    await page.close();
  }
});

test('links with state, the language and embed mode work from the file', async () => {
  const { page, errors } = await openFile('race?surface=rosenbrock&on=momentum,adam&lang=ko&embed=1');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  assert.ok(await page.evaluate(() => document.body.classList.contains('embed')));
  assert.equal(await page.$eval('header.site', (el) => getComputedStyle(el).display), 'none');
  assert.equal(await page.$eval('#race-surface', (el) => el.value), 'rosenbrock');
  // No Embed button: the one file has no www/embed.js beside it to embed with.
  assert.equal(await page.$('header .embed-open'), null);
  await page.selectOption('#race-surface', 'beale');
  await page.waitForFunction(() => location.hash.includes('surface=beale'));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /embed=1/);
  assert.match(hash, /lang=ko/);
  assert.deepEqual(errors, []);
  await page.close();
});
