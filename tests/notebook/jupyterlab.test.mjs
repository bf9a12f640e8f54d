// The notebook widget in a real JupyterLab (from PyPI, in the project's
// .venv) driven by headless Chromium: a cell shows a race with a student's
// path, `race.run(50)` runs it in the view, and a later cell reads
// `race.losses` / `race.paths`, which must equal the engine's numbers
// computed here in Node from the same www/pkg. Then every demo shows, one
// of them in Korean. Nothing may be fetched from outside 127.0.0.1.
// Notebook 7 (the `notebook` package, same anywidget module) then shows the
// same race, runs it, sends the same numbers back and shows every demo.
//
//   ./scripts/build-wheel.sh && node --test tests/notebook/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO_ROOT, launchBrowser } from '../e2e/harness.mjs';
import * as engine from '../../www/pkg/trainlab.js';
import * as raceDemo from '../../www/demos/race.js';
import { runRace, valuesOf } from '../../www/lessons/measure.js';
import { surfaceSpecOf } from '../../www/ui/race-view.js';

engine.initSync({ module: readFileSync(path.join(REPO_ROOT, 'www/pkg/trainlab_bg.wasm')) });

const VENV = process.env.TRAINLAB_VENV ?? path.join(REPO_ROOT, '.venv');
const JUPYTER = path.join(VENV, 'bin/jupyter');
const STEPS = 50;
const RACE_QUERY = 'surface=quadratic&cond=50.0&on=sgd,momentum';
// The student's path: 60 points on a line through the bowl.
const MINE = { x: Array.from({ length: 60 }, (_, k) => -2 + k / 20), y: Array.from({ length: 60 }, (_, k) => 1 - k / 40) };

const CELLS = [
  [
    'import trainlab',
    'race = trainlab.Race(surface="quadratic", condition=50, optimizers=["sgd", "momentum"])',
    `race.add_path(${JSON.stringify(MINE.x)}, ${JSON.stringify(MINE.y)}, label="my SGD")`,
    'race',
  ],
  [`race.run(${STEPS})`],
  [
    'import json',
    'print("RESULT " + json.dumps({"steps": race.steps, "pending": race.pending, "state": race.state,',
    '    "losses": race.losses, "paths": race.paths, "status": race.status}))',
  ],
  ['race'],
  [
    'trainlab.demo("race", state="surface=rosenbrock&on=sgd,momentum,adam", lang="ko")',
  ],
  [
    'for name in trainlab.DEMOS:',
    '    display(trainlab.demo(name))',
  ],
];

function notebook() {
  return {
    cells: CELLS.map((lines) => ({
      cell_type: 'code', execution_count: null, metadata: {}, outputs: [],
      source: lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)),
    })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` (async, truthy = done) until it holds or `timeoutMs` passes. */
async function waitFor(what, check, timeoutMs, last = () => '') {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} ${last()}`.trim());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts `jupyter lab` or `jupyter notebook` (Notebook 7) on 127.0.0.1 over `dir`/notebooks. */
async function startJupyter(dir, app) {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    IPYTHONDIR: path.join(dir, 'ipython'),
    PATH: `${path.join(VENV, 'bin')}:${process.env.PATH}`,
  };
  const child = spawn(JUPYTER, [
    app, '--no-browser', '--allow-root',
    '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${path.join(dir, 'notebooks')}`,
    // Offline: no news feed, no update check (Notebook 7 fetches neither).
    ...(app === 'lab' ? ['--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      '--LabApp.extension_manager=readonly'] : []),
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (log += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const api = async (route) => {
    const response = await fetch(`${base}${route}${route.includes('?') ? '&' : '?'}token=${token}`);
    return response.ok ? response.json() : null;
  };
  const lab = {
    base, token, api,
    log: () => log,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  try {
    // Started when its REST API answers; a server that exits fails at once.
    await waitFor(`jupyter ${app} to answer /api/status`, async () => {
      if (child.exitCode !== null) throw new Error(`jupyter ${app} exited with ${child.exitCode}`);
      return api('/api/status').catch(() => null);
    }, 180_000);
  } catch (error) {
    await lab.close();
    // Its log, with minified lines cut short.
    throw new Error(`${error.message}\n${log.split('\n').map((l) => l.slice(0, 300)).join('\n')}`);
  }
  return lab;
}

/** Runs cell `index` (Ctrl+Enter on the selected cell). */
async function runCell(page, index) {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  await cell.locator('.jp-InputPrompt').click();
  await page.keyboard.press('Control+Enter');
  return cell;
}

/** Facts about the race widget's map canvas in cell `index`'s output (in its shadow root). */
function mapPixels(page, index) {
  return page.evaluate((i) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
    const host = cell.querySelector('.trainlab-widget');
    const top = host.shadowRoot.querySelector('canvas.map');
    // The map is canvases stacked in one wrapper (heatmap, model, paths, top): flatten them.
    const canvas = document.createElement('canvas');
    canvas.width = top.width;
    canvas.height = top.height;
    for (const layer of top.parentElement.querySelectorAll(':scope > canvas')) canvas.getContext('2d').drawImage(layer, 0, 0);
    const { data } = ((f) => { f.width = canvas.width; f.height = canvas.height; const g = f.getContext('2d'); g.drawImage(canvas, 0, 0); return g.getImageData(0, 0, f.width, f.height); })(document.createElement('canvas'));
    const colors = new Set();
    let sgd = 0;
    let black = 0;
    for (let p = 0; p < data.length; p += 4) {
      colors.add((data[p] << 16) | (data[p + 1] << 8) | data[p + 2]);
      // The SGD racer's colour (#e6194b) and the student's path's (#000000).
      if (data[p] === 0xe6 && data[p + 1] === 0x19 && data[p + 2] === 0x4b) sgd++;
      if (data[p] === 0 && data[p + 1] === 0 && data[p + 2] === 0 && data[p + 3] === 255) black++;
    }
    return { width: canvas.width, height: canvas.height, colors: colors.size, sgd, black };
  }, index);
}

/** Runs cell 3 (it prints the race's numbers) until what it prints passes `done`. */
async function readBack(page, done, what) {
  let lastText = '';
  return waitFor(what, async () => {
    const cell = await runCell(page, 2);
    const text = await waitFor('cell 3 to print', async () => {
      const out = await cell.locator('.jp-OutputArea-output').allTextContents();
      return out.join('\n').split('\n').find((l) => l.startsWith('RESULT ')) ?? null;
    }, 60_000);
    lastText = text.slice(0, 300);
    const parsed = JSON.parse(text.slice('RESULT '.length));
    return done(parsed) ? parsed : null;
  }, 240_000, () => `(cell 3 last printed: ${lastText})`);
}

/**
 * Waits until the `count` views in `cell`'s output are ready. A view whose
 * mount threw never becomes ready: fail at once with the page's error rather
 * than at the timeout, and name the demos still not ready.
 */
/**
 * Every view on the page shares one evaluation of the widget's big bundle:
 * anywidget evaluates each model's small loader, which imports the bundle
 * once per page (the bundle counts its evaluations on globalThis).
 */
async function bundleEvaluatedOnce(page, atLeastViews) {
  const seen = await page.evaluate(() => ({
    evaluations: globalThis[Symbol.for('trainlab.bundleEvaluations')] ?? 0,
    views: document.querySelectorAll('.trainlab-widget[data-ready="1"]').length,
  }));
  assert.ok(seen.views >= atLeastViews, `${seen.views} ready views on the page, expected at least ${atLeastViews}`);
  assert.equal(seen.evaluations, 1, `the bundle was evaluated ${seen.evaluations} times for ${seen.views} views`);
}

async function everyDemoReady(cell, count, errors) {
  let notReady = [];
  await waitFor('every demo to be ready', async () => {
    if (errors.length) throw new Error(`a demo failed while mounting: ${errors.join('; ')}`);
    notReady = await cell.locator('.trainlab-widget:not([data-ready="1"])').evaluateAll((hosts) =>
      hosts.map((host) => host.shadowRoot?.querySelector('h2')?.textContent ?? '(no title yet)'));
    return (await cell.locator('.trainlab-widget[data-ready="1"]').count()) === count;
  }, 180_000, () => `(not ready: ${notReady.join(', ') || 'views not created yet'})`);
}

function close(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let k = 0; k < expected.length; k++) {
    const tolerance = 1e-12 * Math.max(1, Math.abs(expected[k]));
    assert.ok(Math.abs(actual[k] - expected[k]) <= tolerance, `${what}[${k}]: ${actual[k]} from the widget, ${expected[k]} from the engine`);
  }
}

/**
 * The test notebook open in `app` ('lab' or 'notebook') in headless Chromium,
 * its kernel idle; uncaught errors and requests leaving 127.0.0.1 are
 * collected for the test's last assertions. Everything stops after `t`.
 */
async function openNotebook(t, app) {
  assert.ok(existsSync(JUPYTER), `no ${JUPYTER}: run ./scripts/build-wheel.sh (it sets up .venv and installs the wheel)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-jupyter-'));
  await mkdir(path.join(dir, 'notebooks'));
  await writeFile(path.join(dir, 'notebooks/race.ipynb'), JSON.stringify(notebook()));
  const lab = await startJupyter(dir, app);
  const browser = await launchBrowser().catch(async (error) => { await lab.close(); throw error; });
  t.after(async () => {
    await browser.close();
    await lab.close();
    await rm(dir, { recursive: true, force: true });
  });

  const page = await browser.context.newPage();
  const errors = [];
  const outside = [];
  page.on('pageerror', (error) => {
    // anywidget 0.11 gives a model's module 2 s to load, else it rejects
    // "[anywidget] Failed to initialize model." and the model drops the
    // kernel's messages: the small loader module must never miss that.
    // Notebook 7.6 throws once while it loads its own settings (a TypeError
    // reading 'schema' in its notebook_core bundle), before any cell runs.
    // The widget's code runs from anywidget's blob: URLs, never from there.
    const top = error.stack?.split('\n').find((line) => /^\s*at /.test(line)) ?? '';
    if (app === 'notebook' && /\/static\/notebook\//.test(top)) {
      console.error(`note: Notebook 7's own error: ${error.message}`);
      return;
    }
    errors.push(`uncaught: ${error.message}`);
    if (process.env.TRAINLAB_DEBUG) console.error(`[pageerror] ${error.stack}\n${error.cause?.stack ?? error.cause ?? ''}`);
  });
  page.on('console', (message) => {
    const text = message.text();
    if (process.env.TRAINLAB_DEBUG) console.error(`[page ${message.type()}] ${text.slice(0, 300)}`);
    if (message.type() === 'error' && /trainlab|Content Security Policy|wasm|Failed to initialize model/i.test(text)) errors.push(`console.error: ${text}`);
  });
  page.on('request', (request) => {
    if (!/^(http:\/\/127\.0\.0\.1:|ws:\/\/127\.0\.0\.1:|blob:|data:)/.test(request.url())) outside.push(request.url());
  });
  // JupyterLab's page is large: on a busy machine its load takes a while; the cells are waited on below.
  await page.goto(`${lab.base}${app === 'lab' ? '/lab/tree' : '/notebooks'}/race.ipynb?token=${lab.token}`, { waitUntil: 'domcontentloaded', timeout: 180_000 });
  await page.locator('.jp-Notebook .jp-Cell').nth(CELLS.length - 1).waitFor({ timeout: 240_000 });
  // The kernel is up when its session reports idle.
  await waitFor('the kernel to be idle', async () => {
    const sessions = await lab.api('/api/sessions');
    return sessions?.length && sessions.every((s) => s.kernel?.execution_state === 'idle');
  }, 120_000);
  return { page, errors, outside };
}

test('JupyterLab: a race in a notebook draws, runs, and sends its numbers back to Python', { timeout: 1_200_000 }, async (t) => {
  const { page, errors, outside } = await openNotebook(t, 'lab');

  // Cell 1: the race shows and draws (heatmap, racers, the student's first point).
  const first = await runCell(page, 0);
  await first.locator('.trainlab-widget[data-ready="1"]').waitFor({ timeout: 240_000 });
  const before = await mapPixels(page, 0);
  assert.ok(before.width > 100 && before.height > 100, `map canvas ${before.width}×${before.height}`);
  assert.ok(before.colors > 200, `the heatmap is drawn: ${before.colors} colours`);
  assert.ok(before.black > 0, 'the student path starts on the map');

  // Cell 2 sends run(50); cell 3 reads the answer once the view has sent it (the kernel gets it between cells).
  await runCell(page, 1);
  const result = await readBack(page, (r) => r.steps === STEPS && !r.pending, 'race.steps to reach 50 in Python');

  // The numbers that came back are the engine's, computed here independently.
  const expected = runRace(engine, raceDemo, RACE_QUERY, STEPS);
  // The view wrote the state back in its own spelling; the settings are the same.
  const given = valuesOf(raceDemo, RACE_QUERY);
  const back = valuesOf(raceDemo, result.state);
  assert.deepEqual([back.surface, back.cond, back.on], [given.surface, given.cond, given.on], result.state);
  assert.deepEqual(Object.keys(result.losses).sort(), ['momentum', 'my SGD', 'sgd']);
  for (const id of ['sgd', 'momentum']) {
    const path = expected.racers[id].path;
    close(result.losses[id], Array.from(expected.racers[id].losses), `losses.${id}`);
    close(result.paths[id][0], Array.from(path).filter((_, k) => k % 2 === 0), `paths.${id} x`);
    close(result.paths[id][1], Array.from(path).filter((_, k) => k % 2 === 1), `paths.${id} y`);
    assert.equal(result.status[id].steps, expected.racers[id].status.steps);
    assert.equal(result.status[id].state, expected.racers[id].status.state);
  }
  const surface = new engine.Surface(surfaceSpecOf(valuesOf(raceDemo, RACE_QUERY)));
  close(result.losses['my SGD'], MINE.x.map((x, k) => surface.value(x, MINE.y[k])), 'losses of the student path');
  surface.free();
  assert.deepEqual(result.paths['my SGD'], [MINE.x, MINE.y]);

  // The picture moved on: the racers' paths and 50 steps of the student's.
  const after = await mapPixels(page, 0);
  assert.ok(after.sgd > before.sgd, `SGD's path grew: ${before.sgd} → ${after.sgd} pixels`);
  assert.ok(after.black > before.black + 50, `the student path is revealed: ${before.black} → ${after.black} pixels`);

  // Shown again, the race starts where the model is: its numbers stay those of step 50.
  const again = await runCell(page, 3);
  await again.locator('.trainlab-widget[data-ready="1"]').waitFor({ timeout: 240_000 });
  const redisplayed = await mapPixels(page, 3);
  assert.ok(redisplayed.sgd >= after.sgd * 0.9, `the new view shows the paths so far: ${redisplayed.sgd} SGD pixels`);
  const still = await readBack(page, (r) => !r.pending, 'the numbers after showing the race again');
  assert.equal(still.steps, STEPS);
  close(still.losses.sgd, Array.from(expected.racers.sgd.losses), 'losses.sgd after showing the race again');

  // Reset in the view goes back to Python too.
  await first.locator('button', { hasText: 'Reset' }).first().click();
  const reset = await readBack(page, (r) => r.steps === 0, 'race.steps to be 0 after Reset in the view');
  assert.equal(reset.losses.sgd.length, 1);

  // Any demo with any link state, in Korean.
  const korean = await runCell(page, 4);
  const koHost = korean.locator('.trainlab-widget[data-ready="1"]');
  await koHost.waitFor({ timeout: 240_000 });
  const ko = await koHost.evaluate((host) => ({
    title: host.shadowRoot.querySelector('h2').textContent,
    surface: host.shadowRoot.querySelector('select').value,
    lang: host.shadowRoot.querySelector('.trainlab-body').lang,
    pageLang: document.documentElement.lang,
  }));
  assert.match(ko.title, /[가-힣]/, `the title is Korean: ${ko.title}`);
  assert.equal(ko.surface, 'rosenbrock');
  assert.equal(ko.lang, 'ko');
  assert.notEqual(ko.pageLang, 'ko', "the notebook page's own language is left alone");

  // Every demo shows and draws.
  const all = await runCell(page, 5);
  const demos = JSON.parse(readFileSync(path.join(REPO_ROOT, 'python/trainlab/static/names.json'), 'utf8')).demos;
  await everyDemoReady(all, Object.keys(demos).length, errors);
  const hosts = all.locator('.trainlab-widget');
  assert.equal(await hosts.count(), Object.keys(demos).length);
  for (let i = 0; i < Object.keys(demos).length; i++) {
    // Demos draw what is on screen (the scheduler skips the rest): bring each into view.
    await hosts.nth(i).scrollIntoViewIfNeeded();
    let last = {};
    await waitFor(`demo ${i} to draw`, async () => {
      last = await hosts.nth(i).evaluate((host) => {
        const canvases = [...host.shadowRoot.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
        const largest = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0];
        const title = host.shadowRoot.querySelector('h2')?.textContent;
        if (!largest) return { title, colors: 0 };
        const { data } = ((f) => { f.width = largest.width; f.height = largest.height; const g = f.getContext('2d'); g.drawImage(largest, 0, 0); return g.getImageData(0, 0, f.width, f.height); })(document.createElement('canvas'));
        const colors = new Set();
        for (let p = 0; p < data.length; p += 16) colors.add((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]);
        return { title, colors: colors.size };
      });
      return last.colors > 10;
    }, 180_000, () => `(${last.title}: its largest canvas has ${last.colors} colours)`);
  }
  // Cells 1, 4, 5 and 6: 13 views, one evaluation of the bundle.
  await bundleEvaluatedOnce(page, 3 + Object.keys(demos).length);

  assert.deepEqual(errors, [], 'no errors from the widget, no CSP violation');
  assert.deepEqual(outside, [], 'nothing fetched from outside 127.0.0.1');
});

test('Notebook 7: the same widget shows a race, runs it, sends the same numbers back, and shows every demo', { timeout: 900_000 }, async (t) => {
  const { page, errors, outside } = await openNotebook(t, 'notebook');
  const first = await runCell(page, 0);
  await first.locator('.trainlab-widget[data-ready="1"]').waitFor({ timeout: 240_000 });
  const before = await mapPixels(page, 0);
  assert.ok(before.colors > 200, `the heatmap is drawn: ${before.colors} colours`);
  assert.ok(before.black > 0, 'the student path starts on the map');

  await runCell(page, 1);
  const result = await readBack(page, (r) => r.steps === STEPS && !r.pending, 'race.steps to reach 50 in Python');
  const expected = runRace(engine, raceDemo, RACE_QUERY, STEPS);
  for (const id of ['sgd', 'momentum']) close(result.losses[id], Array.from(expected.racers[id].losses), `losses.${id}`);
  const after = await mapPixels(page, 0);
  assert.ok(after.black > before.black + 50, `the student path is revealed: ${before.black} → ${after.black} pixels`);

  const all = await runCell(page, 5);
  const demos = JSON.parse(readFileSync(path.join(REPO_ROOT, 'python/trainlab/static/names.json'), 'utf8')).demos;
  await everyDemoReady(all, Object.keys(demos).length, errors);
  assert.equal(await all.locator('.trainlab-widget').count(), Object.keys(demos).length);
  await bundleEvaluatedOnce(page, 1 + Object.keys(demos).length);

  assert.deepEqual(errors, [], 'no errors from the widget, no CSP violation');
  assert.deepEqual(outside, [], 'nothing fetched from outside 127.0.0.1');
});
