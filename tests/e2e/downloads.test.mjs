// The download buttons of the network lab, dropout, batch norm and
// augmentation demos in Chromium: every button is clicked (one by the
// keyboard) and the saved file is read back. PNGs carry the canvas's own
// pixel size and exactly its pixels; CSVs have a step column and one row per
// evaluated step with the numbers the demo holds; the JSON parses, and its
// share link decodes to the settings and opens the app in them. File names
// say the demo and today's date; names are given in English and Korean;
// nothing is sent anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLab } from './harness.mjs';
import { readPng } from '../lessons/png.mjs';
import { decode } from '../../www/state.js';
import * as network from '../../www/demos/network.js';
import * as dropout from '../../www/demos/dropout.js';
import * as batchnorm from '../../www/demos/batchnorm.js';
import * as augment from '../../www/demos/augment.js';

const TABLES = { network: network.params, dropout: dropout.params, batchnorm: batchnorm.params, augment: augment.params };
const HANGUL = /[\uac00-\ud7a3]/;

let lab;
let dir;
let today;

before(async () => {
  lab = await startLab();
  dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-demo-downloads-'));
  const d = new Date();
  today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
});

after(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens one instance of `demo` with the link state `state` on the test page; records every request. */
async function openInstance(demo, state) {
  const opened = await lab.open(`tests/e2e/pages/instances.html?demo=${demo}&a=${encodeURIComponent(state)}`);
  await opened.page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 60_000 });
  assert.equal(await opened.page.evaluate(() => document.body.dataset.ready), '1');
  const requests = [];
  opened.page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  return { ...opened, requests };
}

/** The demo's download buttons: [visible text, accessible name]. */
function buttonNames(page) {
  return page.$$eval('main .downloads button.download', (bs) => bs.map((b) => [b.textContent, b.getAttribute('aria-label')]));
}

/** Clicks the button named `name` (or presses Enter on it with `keyboard`), returns the saved file. */
async function download(page, name, { keyboard = false } = {}) {
  const button = page.getByRole('button', { name, exact: true });
  let trigger;
  if (keyboard) {
    // Tab from the button before it: the keyboard reaches it in the page's order.
    await button.evaluate((b) => {
      const all = [...document.querySelectorAll('button, input, select, a[href], [tabindex="0"]')];
      const before = all[all.indexOf(b) - 1];
      before.focus();
    });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), name, 'Tab reaches the button');
    trigger = () => page.keyboard.press('Enter');
  } else {
    trigger = () => button.click();
  }
  const [saved] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), trigger()]);
  const file = path.join(dir, saved.suggestedFilename());
  await saved.saveAs(file);
  return { name: saved.suggestedFilename(), file };
}

/** A PNG file's signature, size and pixels, against the canvas the page names with `canvasExpr`. */
async function checkPng(page, file, canvasExpr, what) {
  const bytes = await readFile(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${what}: PNG signature`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${what}: IHDR first`);
  const ihdr = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  const canvas = await page.evaluate(`(() => {
    const c = ${canvasExpr};
    const data = ((f) => { f.width = c.width; f.height = c.height; const g = f.getContext('2d'); g.drawImage(c, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; })(document.createElement('canvas'));
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum = (sum * 31 + data[i]) % 1000000007;
    return { width: c.width, height: c.height, cssWidth: c.getBoundingClientRect().width, digest: sum };
  })()`);
  assert.deepEqual(ihdr, { width: canvas.width, height: canvas.height }, `${what}: the canvas's own pixel size`);
  assert.ok(canvas.width > 0 && canvas.height > 0, `${what}: not empty`);
  const png = readPng(file);
  let sum = 0;
  for (let i = 0; i < png.rgba.length; i++) sum = (sum * 31 + png.rgba[i]) % 1000000007;
  assert.equal(sum, canvas.digest, `${what}: the PNG holds the canvas's pixels`);
  return canvas;
}

/** CSV text → header and rows of cells (the files have no quoted cells: numbers only). */
async function readCsv(file) {
  const text = await readFile(file, 'utf8');
  assert.ok(text.endsWith('\r\n'), 'CRLF line ends');
  const [header, ...rows] = text.trimEnd().split('\r\n').map((line) => line.split(','));
  return { header, rows };
}

/** Each column read back equals the page's numbers exactly (both written by JS number printing). */
function assertColumns(csv, expected, what) {
  assert.deepEqual(csv.header, Object.keys(expected), `${what}: header`);
  const length = expected[csv.header[0]].length;
  assert.ok(length > 1, `${what}: more than one row`);
  assert.equal(csv.rows.length, length, `${what}: one row per step`);
  csv.header.forEach((name, j) => {
    const column = csv.rows.map((row) => (row[j] === '' ? null : Number(row[j])));
    const want = expected[name].map((v) => (Number.isNaN(v) || v === null ? null : v));
    assert.deepEqual(column, want, `${what}: column ${name}`);
  });
}

/** The JSON record: demo, link and settings agree; the link opens the app in those settings. */
async function checkJson(file, demo, { values, fieldChecks }) {
  const record = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(record.demo, demo);
  assert.equal(record.trainlab, 'run');
  assert.ok(!Number.isNaN(Date.parse(record.savedAt)));
  assert.deepEqual(record.settings, JSON.parse(JSON.stringify(values)), 'the settings are the demo\'s values');
  const link = new URL(record.link);
  assert.equal(link.pathname.replace(/.*\//, ''), 'index.html', 'the link opens the app');
  const [name, query] = link.hash.slice(1).split('?');
  assert.equal(name, demo);
  const { values: decoded, rejected } = decode(TABLES[demo], new URLSearchParams(query ?? ''), { ignore: ['lang'] });
  assert.deepEqual(rejected, []);
  assert.deepEqual(decoded, record.settings, 'the link decodes to the settings');
  // The app opened from the link shows them (ids by their suffix: the prefix is the instance's).
  assert.equal(link.href.replace(/#.*/, ''), new URL('index.html', lab.url).href, 'the link is the app\'s own address');
  const { page, errors } = await lab.open(link.href);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('main [data-state="loading"]'), null, { timeout: 60_000 });
  for (const [selector, property, value] of fieldChecks) {
    assert.equal(await page.$eval(selector, (el, p) => el[p], property), value, `${selector} from the link`);
  }
  assert.deepEqual(errors, []);
  await page.close();
  return record;
}

function assertNothingSent(requests) {
  const sent = requests.filter((r) => !r.startsWith('GET ') || !/^GET (blob:|data:|http:\/\/127\.0\.0\.1:)/.test(r));
  assert.deepEqual(sent, [], 'no request leaves the page');
}

const fileNamed = (demo, what, ext) => `trainlab-${demo}-${what}-${today}.${ext}`;

test('network lab (two runs): maps, charts, curves and the run record', { timeout: 600_000 }, async () => {
  const state = 'data=moons&n=40&hidden=8&cmp=1&lr=0.5&speed=5';
  const { page, errors, requests } = await openInstance('network', state);
  const debug = 'window.__demos[0].mounted.debug';
  await page.evaluate(`${debug}.runner.play()`);
  await page.waitForFunction(() => window.__demos[0].mounted.debug.steps[0] >= 40, null, { timeout: 120_000 });
  await page.evaluate(`${debug}.runner.pause()`);
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy && !window.__demos[0].mounted.debug.host.busy, null, { timeout: 120_000 });
  // One Step draws everything (map and curves) of the run as it is now.
  await page.evaluate(`${debug}.runner.step()`);
  await page.waitForFunction(() => {
    const d = window.__demos[0].mounted.debug;
    return !d.runner.busy && d.curves.every((c) => c && c.steps[c.steps.length - 1] === d.steps[0]);
  }, null, { timeout: 120_000 });

  const names = await buttonNames(page);
  const expected = [];
  for (const run of ['A', 'B']) expected.push(`Map ${run} PNG`, `Loss chart ${run} PNG`, `Accuracy chart ${run} PNG`);
  expected.push('Curves A CSV', 'Curves B CSV', 'Settings and results JSON');
  assert.deepEqual(names, expected.map((text) => [text, `Download ${text}`]));

  for (const run of ['a', 'b']) {
    const R = run.toUpperCase();
    const where = `document.querySelector('.net-run[data-run="${run}"]')`;
    for (const [show, slug, canvas] of [['Map', 'map', 'canvas.net-map'], ['Loss chart', 'loss', 'canvas.net-chart'], ['Accuracy chart', 'accuracy', 'canvas.net-chart:last-of-type']]) {
      const saved = await download(page, `Download ${show} ${R} PNG`);
      assert.equal(saved.name, fileNamed('network', `${slug}-${run}`, 'png'));
      const size = await checkPng(page, saved.file, `${where}.querySelector('${canvas}')`, `${show} ${R}`);
      if (slug === 'map') assert.ok(size.width > size.cssWidth * 0.99, 'the map at its pixel size, not smaller than shown');
    }
    const saved = await download(page, `Download Curves ${R} CSV`);
    assert.equal(saved.name, fileNamed('network', `curves-${run}`, 'csv'));
    const curves = await page.evaluate(`(() => { const c = ${debug}.curves[${run === 'a' ? 0 : 1}];
      return { step: [...c.steps], trainLoss: [...c.trainLoss], valLoss: [...c.valLoss], trainAccuracy: [...c.trainAccuracy], valAccuracy: [...c.valAccuracy] }; })()`);
    assertColumns(await readCsv(saved.file), curves, `curves ${R}`);
    assert.equal(curves.step.at(-1), (await page.evaluate(`${debug}.steps`))[0], 'the curves reach the current step');
  }

  const saved = await download(page, 'Download Settings and results JSON', { keyboard: true });
  assert.equal(saved.name, fileNamed('network', 'run', 'json'));
  const values = await page.evaluate(`${debug}.values`);
  const record = await checkJson(saved.file, 'network', {
    values,
    fieldChecks: [['main [id$="-data"]', 'value', 'moons'], ['main [id$="-hidden"]', 'value', '8'], ['main [id$="-n"]', 'value', '40'], ['main [id$="-lr"]', 'value', '0.5'], ['main [id$="-cmp"]', 'checked', true]],
  });
  const steps = await page.evaluate(`${debug}.steps`);
  assert.deepEqual(record.results.map((r) => [r.run, r.steps]), [['a', steps[0]], ['b', steps[1]]]);
  assert.deepEqual(record.config.a.hidden, [8]);
  assert.equal(record.config.b.dropout, 0.5, 'run B\'s own settings');
  assertNothingSent(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dropout: the drawing, both charts, the training curves, the ensemble curve and the record', { timeout: 600_000 }, async () => {
  const { page, errors, requests } = await openInstance('dropout', 'seed=2&k=50&width=6');
  const debug = 'window.__demos[0].mounted.debug';
  await page.evaluate(`${debug}.player.start()`);
  await page.waitForFunction(() => window.__demos[0].mounted.debug.fit.plain.steps >= 30, null, { timeout: 120_000 });
  await page.evaluate(`${debug}.player.stop()`);
  // The charts redraw every fourth frame while playing: one Step draws them now.
  await page.evaluate(`${debug}.player.runner.step()`);
  // The step runs in the worker: wait for its answer (and the frame that draws it).
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.player.runner.busy, null, { timeout: 120_000 });

  assert.deepEqual((await buttonNames(page)).map(([text]) => text), [
    'Network drawing PNG', 'Ensemble chart PNG', 'Loss chart PNG', 'Accuracy chart PNG', 'Curves CSV', 'Ensemble curve CSV', 'Settings and results JSON',
  ]);
  for (const [show, slug, canvas] of [['Network drawing', 'network', 'canvas.net-drawing'], ['Ensemble chart', 'ensemble', 'canvas.net-figure:not(.drop-fit)'],
    ['Loss chart', 'loss', 'canvas.drop-fit'], ['Accuracy chart', 'accuracy', '.net-run:last-child canvas.drop-fit']]) {
    const saved = await download(page, `Download ${show} PNG`);
    assert.equal(saved.name, fileNamed('dropout', slug, 'png'));
    await checkPng(page, saved.file, `document.querySelector('main ${canvas}')`, show);
  }

  let saved = await download(page, 'Download Curves CSV');
  assert.equal(saved.name, fileNamed('dropout', 'curves', 'csv'));
  // Read straight from the two trainers, not through the demo's column builder.
  const curves = await page.evaluate(`(() => {
    const fit = ${debug}.fit;
    const out = { step: [...fit.plain.evalSteps()] };
    for (const [name, tr] of [['plain', fit.plain], ['dropout', fit.drop]]) {
      out[name + 'TrainLoss'] = [...tr.evalHistory('trainLoss')];
      out[name + 'ValLoss'] = [...tr.evalHistory('valLoss')];
      out[name + 'TrainAccuracy'] = [...tr.evalHistory('trainAccuracy')];
      out[name + 'ValAccuracy'] = [...tr.evalHistory('valAccuracy')];
    }
    return out;
  })()`);
  const csv = await readCsv(saved.file);
  assertColumns(csv, curves, 'dropout curves');
  assert.equal(Number(csv.rows.at(-1)[0]), await page.evaluate(`${debug}.fit.plain.steps`), 'the last row is the current step');

  saved = await download(page, 'Download Ensemble curve CSV', { keyboard: true });
  assert.equal(saved.name, fileNamed('dropout', 'ensemble', 'csv'));
  const ensemble = await readCsv(saved.file);
  const gaps = await page.evaluate(`[...${debug}.gaps]`);
  assert.equal(gaps.length, 50, 'K = 50 from the link');
  assertColumns(ensemble, { k: gaps.map((_, i) => i + 1), gap: gaps }, 'ensemble curve');
  // The same numbers the page writes under the chart.
  const info = await page.evaluate(() => document.querySelector('main canvas.net-figure:not(.drop-fit)').nextElementSibling.textContent);
  assert.ok(info.includes(gaps[0].toPrecision(3)) && info.includes(gaps[49].toPrecision(3)), info);

  saved = await download(page, 'Download Settings and results JSON');
  assert.equal(saved.name, fileNamed('dropout', 'run', 'json'));
  const record = await checkJson(saved.file, 'dropout', {
    values: await page.evaluate(`${debug}.values`),
    fieldChecks: [['main [id$="-k"]', 'value', '50']],
  });
  assert.equal(record.results.mask.length, 6, 'one mask entry per hidden unit (width=6)');
  assert.equal(record.results.testTime.length, 3);
  assert.equal(record.config.overfit.dropout.seed, 2);
  assert.deepEqual(record.results.ensembleGap, gaps);
  assertNothingSent(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('batch norm: histograms, race charts, race curves and the record', { timeout: 600_000 }, async () => {
  const { page, errors, requests } = await openInstance('batchnorm', 'seed=2&hlr=1.5');
  const debug = 'window.__demos[0].mounted.debug';
  await page.evaluate(`${debug}.player.start()`);
  await page.waitForFunction(() => window.__demos[0].mounted.debug.race.plain.steps >= 30, null, { timeout: 120_000 });
  await page.evaluate(`${debug}.player.stop()`);
  await page.evaluate(`${debug}.player.runner.step()`);
  // The runs train in the worker: the Step's answer (steps and evaluations of one step) has come.
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.player.runner.busy, null, { timeout: 120_000 });

  assert.deepEqual((await buttonNames(page)).map(([text]) => text), [
    'Histogram without batch norm PNG', 'Histogram with batch norm PNG', 'Loss chart PNG', 'Accuracy chart PNG', 'Curves CSV', 'Settings and results JSON',
  ]);
  for (const [show, slug, canvas] of [['Histogram without batch norm', 'histogram-plain', 'canvas.bn-hist[data-run="plain"]'],
    ['Histogram with batch norm', 'histogram-bn', 'canvas.bn-hist[data-run="norm"]'], ['Loss chart', 'loss', 'canvas.bn-race'],
    ['Accuracy chart', 'accuracy', '.net-run:last-child canvas.bn-race']]) {
    const saved = await download(page, `Download ${show} PNG`, { keyboard: slug === 'loss' });
    assert.equal(saved.name, fileNamed('batchnorm', slug, 'png'));
    await checkPng(page, saved.file, `document.querySelector('main ${canvas}')`, show);
  }
  let saved = await download(page, 'Download Curves CSV');
  assert.equal(saved.name, fileNamed('batchnorm', 'curves', 'csv'));
  const curves = await page.evaluate(`(() => {
    const race = ${debug}.race;
    const out = { step: [...race.plain.evalSteps()] };
    for (const [name, tr] of [['plain', race.plain], ['batchNorm', race.norm]]) {
      for (const s of ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy']) out[name + s[0].toUpperCase() + s.slice(1)] = [...tr.evalHistory(s)];
    }
    return out;
  })()`);
  assertColumns(await readCsv(saved.file), curves, 'batch-norm race curves');

  saved = await download(page, 'Download Settings and results JSON');
  const record = await checkJson(saved.file, 'batchnorm', {
    values: await page.evaluate(`${debug}.values`),
    fieldChecks: [['main [id$="-seed"]', 'value', '2'], ['main [id$="-hlr"]', 'value', '1.5']],
  });
  assert.equal(record.config.race.batchNorm.optimizer.lr, 1.5);
  const steps = await page.evaluate(`${debug}.race.plain.steps`);
  assert.equal(record.results.race.plain.step, steps);
  assert.equal(record.results.batchNormStats.batchMean.length, 64, 'the layer\'s statistics, one per unit');
  assertNothingSent(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('augmentation: photo, sample grid (tiles at their pixels), preview, test-time crops and the record', { timeout: 600_000 }, async (t) => {
  const t0 = Date.now();
  const mark = (what) => t.diagnostic(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const { page, errors, requests } = await openInstance('augment', 'seed=7&on=hflip,crop,jitter');
  await page.waitForFunction(() => document.querySelector('main section').dataset.state === 'ready' && window.__demos[0].mounted.debug.samples.length === 16,
    null, { timeout: 60_000 });
  const debug = 'window.__demos[0].mounted.debug';
  mark('ready');
  assert.deepEqual((await buttonNames(page)).map(([text]) => text), [
    'Photo with crop boxes PNG', 'Sample grid PNG', 'One-op preview PNG', 'Test-time crops PNG', 'Settings and results JSON',
  ]);
  for (const [show, slug, canvas] of [['Photo with crop boxes', 'photo', 'canvas.aug-photo'], ['One-op preview', 'preview', 'canvas.aug-preview'], ['Test-time crops', 'tta', 'canvas.aug-tta']]) {
    const saved = await download(page, `Download ${show} PNG`);
    assert.equal(saved.name, fileNamed('augment', slug, 'png'));
    await checkPng(page, saved.file, `document.querySelector('main ${canvas}')`, show);
  }
  mark('three pictures');
  const saved = await download(page, 'Download Sample grid PNG', { keyboard: true });
  assert.equal(saved.name, fileNamed('augment', 'grid', 'png'));
  const png = readPng(saved.file);
  // Each tile's size and a digest of its pixels, row by row (the same digest over the PNG's cell).
  const tiles = await page.evaluate(`${debug}.tiles.map((c) => {
    const data = ((f) => { f.width = c.width; f.height = c.height; const g = f.getContext('2d'); g.drawImage(c, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; })(document.createElement('canvas'));
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum = (sum * 31 + data[i]) % 1000000007;
    return { width: c.width, height: c.height, digest: sum };
  })`);
  const cellW = Math.max(...tiles.map((c) => c.width));
  const cellH = Math.max(...tiles.map((c) => c.height));
  const { GRID_COLUMNS: cols, GRID_GAP: gap } = augment;
  assert.deepEqual([png.width, png.height], [cols * cellW + (cols - 1) * gap, 4 * cellH + 3 * gap], 'four rows of four tiles at their own size');
  // Every tile's pixels sit in its cell.
  tiles.forEach((tile, i) => {
    const x0 = (i % cols) * (cellW + gap);
    const y0 = Math.floor(i / cols) * (cellH + gap);
    let sum = 0;
    for (let y = 0; y < tile.height; y++) {
      const from = ((y0 + y) * png.width + x0) * 4;
      for (let k = from; k < from + tile.width * 4; k++) sum = (sum * 31 + png.rgba[k]) % 1000000007;
    }
    assert.equal(sum, tile.digest, `tile ${i + 1}'s pixels in its cell`);
  });

  mark('grid');
  const json = await download(page, 'Download Settings and results JSON');
  assert.equal(json.name, fileNamed('augment', 'run', 'json'));
  const record = await checkJson(json.file, 'augment', {
    values: await page.evaluate(`${debug}.values`),
    fieldChecks: [['main [id$="-seed"]', 'value', '7'], ['main [id$="-on-hflip"]', 'checked', true], ['main [id$="-on-crop"]', 'checked', true]],
  });
  assert.deepEqual(record.config.ops.map((op) => op.kind).sort(), ['color_jitter', 'hflip', 'random_crop'].sort());
  assert.equal(record.results.samples.length, 16);
  assert.deepEqual(record.results.samples.map((s) => s.seed), Array.from({ length: 16 }, (_, i) => augment.tileSeed(7, i)));
  assert.deepEqual(record.results.samples.map((s) => s.params), JSON.parse(JSON.stringify(await page.evaluate(`${debug}.samples`))));
  assert.equal(record.image.source, 'chelsea');
  assertNothingSent(requests);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Korean every download button has a Korean name that contains its format and its visible text', { timeout: 300_000 }, async () => {
  for (const demo of ['network', 'dropout', 'batchnorm', 'augment']) {
    const { page, errors } = await lab.openApp(`${demo}?lang=ko`);
    await page.waitForFunction(() => !document.querySelector('main [data-state="loading"]'), null, { timeout: 60_000 });
    const names = await buttonNames(page);
    assert.ok(names.length >= 3, `${demo}: download buttons`);
    for (const [text, label] of names) {
      assert.match(label, HANGUL, `${demo}: ${label}`);
      assert.match(label, /(PNG|CSV|JSON)/);
      assert.ok(label.includes(text), `${demo}: "${label}" contains "${text}"`);
      assert.ok(label.includes('내려받기'));
    }
    assert.equal(await page.$eval('main .downloads', (el) => el.getAttribute('aria-label')), '내려받기');
    assert.deepEqual(errors, []);
    await page.close();
  }
});
