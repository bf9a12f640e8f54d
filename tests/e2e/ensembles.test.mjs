// The ensembles demo in headless Chromium: it trains in a worker, Play
// changes the maps and the charts fill with one dot per member, Pause stops
// the step counter, Korean text, a link reproduces the run number for
// number and pixel for pixel, bad settings are refused with a notice, and
// two instances on one page keep apart. No timing thresholds: every check
// waits on a condition.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canvasDigest, startLab } from './harness.mjs';
import { readPng } from '../lessons/png.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
let dir;
after(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The step the status line shows ("step 120 of 400"). */
const stepShown = (page) => page.evaluate(() => Number(document.querySelector('.ens-status').textContent.match(/^step (\d+)/)?.[1] ?? NaN));
const done = (page) => page.waitForFunction(() => /: done\./.test(document.querySelector('.ens-status').textContent), null, { timeout: 240_000 });
/** Waits for `count` animation frames (a condition, not a duration). */
const frames = (page, count) => page.evaluate((n) => new Promise((resolve) => {
  let seen = 0;
  const tick = () => (++seen >= n ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), count);

test('ensembles: trains in a worker, Play changes the maps, the charts show one dot per member', async () => {
  const { page, errors } = await lab.openApp('ensembles?members=4&steps=400&speed=20');
  assert.equal(await page.getAttribute('section.ens', 'data-engine'), 'worker');
  assert.equal(await page.inputValue('#ens-cycle'), '100', 'the cycle follows steps ÷ members');
  // K tiles for the independent networks; K places and the live run for the snapshots.
  assert.equal(await page.locator('.ens-tiles[data-run="independent"] .ens-tile').count(), 4);
  assert.equal(await page.locator('.ens-tiles[data-run="snapshot"] .ens-tile').count(), 5);
  assert.equal(await page.locator('.ens-tiles[data-run="snapshot"] .ens-tile.empty').count(), 4, 'no snapshot before training');
  const before = {
    independent: await canvasDigest(page, 'canvas.ens-map[data-run="independent"]'),
    snapshot: await canvasDigest(page, 'canvas.ens-map[data-run="snapshot"]'),
  };
  // Independent members exist from the start (votes, then averages; no snapshots yet).
  assert.equal(await page.getAttribute('canvas.ens-count >> nth=0', 'data-points'), '4,0,4,0');

  await page.getByRole('button', { name: 'Play' }).click();
  await done(page);
  assert.equal(await stepShown(page), 400);
  assert.equal(await page.locator('.player').getAttribute('data-state'), 'paused', 'Play stops at the budget');
  assert.notEqual(await canvasDigest(page, 'canvas.ens-map[data-run="independent"]'), before.independent);
  assert.notEqual(await canvasDigest(page, 'canvas.ens-map[data-run="snapshot"]'), before.snapshot);
  // K dots on every count series: two votes and two averages, accuracy and loss.
  await page.waitForFunction(() => document.querySelector('canvas.ens-count').dataset.points === '4,4,4,4');
  assert.equal(await page.getAttribute('canvas.ens-count >> nth=1', 'data-points'), '4,4');
  assert.equal(await page.locator('.ens-tiles[data-run="snapshot"] .ens-tile.empty').count(), 0);
  const captions = await page.locator('.ens-tiles[data-run="snapshot"] .ens-tile-caption').allTextContents();
  assert.deepEqual(captions, ['t=100', 't=200', 't=300', 't=400', 'now'], 'oldest snapshot first, the live run last');
  // The table prices each: 4 × 400 steps for the independent networks, 400 for the snapshots.
  const compute = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.ens-table tbody tr')]
    .map((row) => [row.dataset.row, row.children[2].textContent])));
  assert.deepEqual(compute, { member: '400', independent: '1,600', snapshot: '400', run: '400' });
  assert.match(await page.locator('.ens-verdict').first().textContent(), /Averaging 4 independent networks/);
  assert.deepEqual(errors, []);
});

test('ensembles: Pause stops the step counter; Step moves it on and stops again', async () => {
  const { page, errors } = await lab.openApp('ensembles?speed=5');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.ens-status').textContent.match(/^step (\d+)/)?.[1]) >= 40, null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await page.locator('.player').getAttribute('data-state'), 'paused');
  // The answer in flight lands, then nothing moves.
  await page.waitForFunction(() => !document.querySelector('.player').hasAttribute('aria-busy'), null, { timeout: 60_000 });
  await frames(page, 5);
  const paused = await stepShown(page);
  await frames(page, 30);
  assert.equal(await stepShown(page), paused);
  // Step shows the steps the worker took after the click's answer was dropped, plus one.
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction((s) => Number(document.querySelector('.ens-status').textContent.match(/^step (\d+)/)?.[1]) > s, paused, { timeout: 60_000 });
  const stepped = await stepShown(page);
  assert.ok(stepped <= paused + 5 + 1, `Step went from ${paused} to ${stepped} (5 steps a frame were asked for)`);
  await frames(page, 20);
  assert.equal(await stepShown(page), stepped);
  assert.equal(await page.locator('.player').getAttribute('data-state'), 'paused');
  assert.deepEqual(errors, []);
});

test('ensembles: Korean text, and a link reproduces the run number for number', async () => {
  const hash = 'ensembles?data=moons&members=3&steps=300&seed=7&polyak=1&decay=0.95&speed=25';
  const run = async () => {
    const { page, errors } = await lab.openApp(hash);
    assert.equal(await page.inputValue('#ens-data'), 'moons');
    assert.equal(await page.inputValue('#ens-seed'), '7');
    assert.equal(await page.isChecked('#ens-polyak'), true);
    await page.getByRole('button', { name: 'Play' }).click();
    await done(page);
    await page.waitForFunction(() => document.querySelectorAll('.ens-table tbody tr').length === 5);
    const table = await page.locator('.ens-table tbody').innerText();
    const maps = [await canvasDigest(page, 'canvas.ens-map[data-run="independent"]'), await canvasDigest(page, 'canvas.ens-map[data-run="snapshot"]')];
    return { page, errors, table, maps };
  };
  const first = await run();
  assert.match(first.table, /Polyak-averaged weights \(d = 0\.95\)/);
  const second = await run();
  assert.equal(second.table, first.table);
  assert.deepEqual(second.maps, first.maps);

  const { page, errors } = second;
  await page.selectOption('#language', 'ko');
  await page.waitForFunction(() => document.querySelector('#ens-title').textContent.includes('앙상블'));
  assert.match(await page.locator('.ens-status').textContent(), /^스텝 300 \/ 300/);
  assert.match(await page.locator('.ens-table caption').textContent(), /비용과 성능/);
  assert.ok(await page.getByRole('button', { name: '재생' }).isVisible());
  // The language goes into the link with every setting.
  const url = new URL(page.url());
  const saved = new URLSearchParams(url.hash.split('?')[1]);
  for (const [name, value] of new URLSearchParams(hash.split('?')[1])) assert.equal(saved.get(name), value, name);
  assert.equal(saved.get('lang'), 'ko');
  assert.deepEqual([...first.errors, ...errors], []);
});

test('ensembles: bad settings are refused with a notice and the run goes on', async () => {
  const { page, errors } = await lab.openApp('ensembles?members=50&hidden=8,999');
  const notices = await page.locator('#notices').textContent();
  assert.match(notices, /'50' for 'members'/);
  assert.match(notices, /'8,999' for 'hidden'/);
  assert.equal(await page.inputValue('#ens-members'), '5');
  assert.equal(await page.inputValue('#ens-hidden'), '8');

  await page.fill('#ens-members', '11');
  await page.dispatchEvent('#ens-members', 'change');
  assert.equal(await page.getAttribute('#ens-members', 'aria-invalid'), 'true');
  assert.match(await page.locator('.ens-settings .field-error').textContent(), /members K must be between 1 and 10/);
  await page.fill('#ens-hidden', '128');
  await page.dispatchEvent('#ens-hidden', 'change');
  assert.equal(await page.getAttribute('#ens-hidden', 'aria-invalid'), 'true');
  assert.match(await page.locator('#notices').textContent(), /at most 3 layers of 1–64 units.*“128”/);
  // Neither reached the link; the runs still train.
  assert.doesNotMatch(page.url(), /members=11|hidden=128/);
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => document.querySelector('.ens-status').textContent.startsWith('step 1 '), null, { timeout: 60_000 });

  // A good change rebuilds from step 0 and goes into the link.
  await page.fill('#ens-members', '3');
  await page.dispatchEvent('#ens-members', 'change');
  await page.waitForFunction(() => document.querySelectorAll('.ens-tiles[data-run="independent"] .ens-tile').length === 3, null, { timeout: 60_000 });
  assert.match(page.url(), /members=3/);
  assert.equal(await page.inputValue('#ens-cycle'), '1000', 'the cycle followed: 3000 ÷ 3');
  assert.equal(await stepShown(page), 0);
  assert.deepEqual(errors, []);
});

test('ensembles: two instances on one page keep their own state, ids and workers', async () => {
  const query = new URLSearchParams({ demo: 'ensembles', a: 'members=3&steps=200&speed=20', b: 'data=moons&members=2&steps=200' });
  const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(duplicates, []);
  const a = page.locator('[data-instance="a"]');
  const b = page.locator('[data-instance="b"]');
  assert.equal(await b.locator('#ens2-data').inputValue(), 'moons');
  assert.equal(await a.locator('.ens-tiles[data-run="independent"] .ens-tile').count(), 3);
  assert.equal(await b.locator('.ens-tiles[data-run="independent"] .ens-tile').count(), 2);

  await a.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.__demos[0].mounted.debug.steps[0] === 200, null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => window.__demos[1].mounted.debug.steps[0]), 0, 'B did not train');
  assert.match(await b.locator('.ens-status').textContent(), /^step 0 of 200/);

  // Each has its own worker: destroying A frees its two runs and leaves B training.
  await page.evaluate(() => window.__demos[0].mounted.destroy());
  assert.deepEqual(await page.evaluate(() => window.__demos[0].mounted.debug.closed), { live: 0, created: 2, freed: 2 });
  await b.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.__demos[1].mounted.debug.steps[0] > 20, null, { timeout: 120_000 });
  assert.deepEqual(errors, []);
});

test('ensembles: an answer dropped by Pause shows with the next Play, and the budget is never overrun', async () => {
  // Big enough that a step takes a while: Pause lands while the worker runs.
  const state = 'members=10&hidden=64,64,64&classes=6&n=300&batch=3000&steps=20&speed=20';
  const query = new URLSearchParams({ demo: 'ensembles', a: state });
  const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  const debug = 'window.__demos[0].mounted.debug';
  // Play, and Pause in the first frame in which the worker is busy.
  await page.evaluate(() => new Promise((resolve) => {
    const { box, mounted } = window.__demos[0];
    box.querySelector('.player button.primary').click();
    const tick = () => {
      if (!mounted.debug.runner.busy) return requestAnimationFrame(tick);
      box.querySelector('.player button:nth-child(2)').click();
      return resolve();
    };
    requestAnimationFrame(tick);
  }));
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy, null, { timeout: 300_000 });
  const taken = await page.evaluate(`${debug}.lastRun.snapshots[0].steps`);
  assert.ok(taken >= 1 && taken < 20, `the worker stopped after its current step: ${taken} of 20`);
  assert.equal(await page.evaluate(`${debug}.steps[0]`), 0, 'the page did not show them after Pause');
  assert.match(await page.locator('.ens-status').textContent(), /^step 0 of 20/);
  // Play goes on from there to the budget exactly.
  await page.locator('.player button.primary').click();
  await page.waitForFunction(() => /^step 20 of 20: done/.test(document.querySelector('.ens-status').textContent), null, { timeout: 300_000 });
  assert.equal(await page.evaluate(`${debug}.lastRun.snapshots[0].steps`), 20);
  assert.equal(await page.evaluate(`${debug}.lastRun.snapshots[0].computeSteps`), 200, 'ten members, 20 steps each');
  assert.deepEqual(errors, []);
});

test('ensembles: when the dropped answer held the budget\'s last step, Play shows it and trains no further', async () => {
  const state = 'members=10&hidden=64,64,64&classes=6&n=300&batch=3000&steps=10&speed=8';
  const query = new URLSearchParams({ demo: 'ensembles', a: state });
  const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  const debug = 'window.__demos[0].mounted.debug';
  const box = page.locator('[data-instance="a"]');
  await box.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => /^step 1 of 10/.test(document.querySelector('.ens-status').textContent), null, { timeout: 300_000 });
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy, null, { timeout: 300_000 });
  // Play takes 8 steps, then asks for the one left; Pause lands while that
  // one runs. A run of one step runs whole (a cancel is read between
  // steps), so the worker reaches the budget and its answer is dropped.
  await page.evaluate(() => new Promise((resolve) => {
    const { box: element, mounted } = window.__demos[0];
    element.querySelector('.player button.primary').click();
    const tick = () => {
      if (!(mounted.debug.steps[0] === 9 && mounted.debug.runner.busy)) return requestAnimationFrame(tick);
      element.querySelector('.player button:nth-child(2)').click();
      return resolve();
    };
    requestAnimationFrame(tick);
  }));
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy, null, { timeout: 300_000 });
  assert.equal(await page.evaluate(`${debug}.lastRun.snapshots[0].steps`), 10);
  assert.match(await page.locator('.ens-status').textContent(), /^step 9 of 10/);
  await box.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /^step 10 of 10: done/.test(document.querySelector('.ens-status').textContent), null, { timeout: 300_000 });
  assert.equal(await page.evaluate(`${debug}.lastRun.snapshots[0].steps`), 10, 'no run was asked for');
  assert.equal(await page.locator('.player').getAttribute('data-state'), 'paused');
  assert.deepEqual(errors, []);
});

test('ensembles: without a worker the page trains the same runs to the same numbers', async () => {
  const tables = {};
  for (const worker of ['1', '0']) {
    const query = new URLSearchParams({ demo: 'ensembles', a: 'members=3&steps=150&speed=30&polyak=1', worker });
    const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
    assert.equal(await page.getAttribute('section.ens', 'data-engine'), worker === '1' ? 'worker' : 'main');
    await page.locator('.player button.primary').click();
    await page.waitForFunction(() => /^step 150 of 150: done/.test(document.querySelector('.ens-status').textContent), null, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelectorAll('.ens-table tbody tr').length === 5);
    tables[worker] = await page.locator('.ens-table tbody').innerText();
    assert.deepEqual(errors, []);
    await page.close();
  }
  assert.equal(tables['0'], tables['1']);
});

/** Focuses the button named `name` and presses Enter (Tab reaches it: tests/e2e/a11y.test.mjs); the saved file. */
async function downloadByKeyboard(page, name) {
  dir ??= await mkdtemp(path.join(os.tmpdir(), 'trainlab-ens-downloads-'));
  await page.getByRole('button', { name, exact: true }).focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

const csvRows = (text) => text.trimEnd().split('\r\n').map((line) => line.split(','));

test('ensembles: downloads hold the page\'s pixels and numbers, and the JSON\'s link replays the run', async () => {
  // The instances page shows the engine's answers (debug); the JSON's link is replayed in the app.
  const query = new URLSearchParams({ demo: 'ensembles', a: 'members=3&steps=150&speed=30&polyak=1&seed=4' });
  const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await done(page);
  await page.waitForFunction(() => document.querySelectorAll('.ens-table tbody tr').length === 5);
  const runs = await page.evaluate(() => {
    const plain = (d) => ({ counts: Object.fromEntries(Object.entries(d.counts).map(([k, v]) => [k, Array.from(v)])),
      lr: Array.from(d.schedule?.lr ?? []), report: d.report, historySteps: Array.from(d.history.steps),
      history: { valAccuracy: Array.from(d.history.valAccuracy) } });
    const all = window.__demos[0].mounted.debug.runs;
    return Object.fromEntries(Object.entries(all).map(([k, d]) => [k, plain(d)]));
  });
  // Every picture and curve has its button; each name says what it saves.
  const names = await page.$$eval('section.ens button.download', (bs) => bs.map((b) => b.getAttribute('aria-label')));
  assert.equal(names.length, 13, names.join('\n'));
  assert.equal(new Set(names).size, names.length, 'no two buttons share a name');

  // The averaged map, pixel for pixel at the canvas's own size.
  const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; });
  const map = await downloadByKeyboard(page, 'Download the averaged map of the independent networks as PNG');
  assert.equal(map.name, `trainlab-ensembles-independent-map-${today}.png`);
  const png = readPng(map.file);
  const shown = await page.evaluate(() => {
    const c = document.querySelector('canvas.ens-map[data-run="independent"]');
    return { width: c.width, height: c.height, rgba: Array.from(((f) => { f.width = c.width; f.height = c.height; const g = f.getContext('2d'); g.drawImage(c, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; })(document.createElement('canvas'))) };
  });
  assert.deepEqual([png.width, png.height], [shown.width, shown.height]);
  assert.ok(Buffer.from(png.rgba).equals(Buffer.from(shown.rgba)), 'every pixel as shown');

  // The snapshots' tiles: three maps in a row, each tile's pixels inside the mosaic.
  const tiles = readPng((await downloadByKeyboard(page, 'Download the snapshots\' maps as PNG')).file);
  const tile = await page.evaluate(() => {
    const c = document.querySelector('.ens-tiles[data-run="snapshot"] canvas.ens-tile-map');
    return { size: c.width, rgba: Array.from(((f) => { f.width = c.width; f.height = c.height; const g = f.getContext('2d'); g.drawImage(c, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; })(document.createElement('canvas'))) };
  });
  // Four tiles across (three snapshots and the run now), 8 px apart.
  assert.equal(tiles.width, 8 + 4 * (tile.size + 8));
  for (let y = 0; y < tile.size; y += 7) {
    for (let x = 0; x < tile.size; x += 7) {
      const at = ((8 + y) * tiles.width + 8 + x) * 4;
      const want = (y * tile.size + x) * 4;
      assert.deepEqual(Array.from(tiles.rgba.subarray(at, at + 4)), tile.rgba.slice(want, want + 4), `oldest snapshot's pixel (${x}, ${y})`);
    }
  }

  // Accuracy and loss by members averaged: one row per k, the numbers the engine answered.
  const counts = csvRows(await readFile((await downloadByKeyboard(page, 'Download accuracy and loss by members averaged as CSV')).file, 'utf8'));
  assert.deepEqual(counts[0], ['k', 'independent_val_accuracy', 'independent_vote_accuracy', 'independent_val_loss', 'snapshot_val_accuracy', 'snapshot_vote_accuracy', 'snapshot_val_loss']);
  assert.deepEqual(counts.slice(1).map((r) => Number(r[0])), [1, 2, 3]);
  assert.deepEqual(counts.slice(1).map((r) => Number(r[1])), runs.independent.counts.accuracy);
  assert.deepEqual(counts.slice(1).map((r) => Number(r[6])), runs.snapshot.counts.loss);

  // The snapshot run's rate: one row per step, restarting every 50 steps.
  const schedule = csvRows(await readFile((await downloadByKeyboard(page, 'Download the snapshot run\'s rate and loss as CSV')).file, 'utf8'));
  assert.deepEqual(schedule[0], ['step', 'learning_rate', 'minibatch_loss']);
  assert.equal(schedule.length, 1 + 150);
  assert.deepEqual(schedule.slice(1).map((r) => Number(r[1])), runs.snapshot.lr);
  assert.equal(Number(schedule[51][1]), 2, 'step 51 starts the second cycle at the full rate');

  // The evaluation history of all three runs, side by side.
  const history = csvRows(await readFile((await downloadByKeyboard(page, 'Download every run\'s validation history as CSV')).file, 'utf8'));
  assert.deepEqual(history[0].filter((c) => c.endsWith('_step')), ['independent_step', 'snapshot_step', 'polyak_step']);
  // Each run's own columns, down to its last evaluation (runs evaluated a different number of times leave blanks).
  const column = (name) => history.slice(1).map((r) => r[history[0].indexOf(name)]).filter((cell) => cell !== '').map(Number);
  assert.deepEqual(column('independent_step'), runs.independent.historySteps);
  assert.deepEqual(column('polyak_val_accuracy'), runs.polyak.history.valAccuracy);
  assert.equal(column('snapshot_step').at(-1), 150);

  // Settings and results, with a link that replays them.
  const json = JSON.parse(await readFile((await downloadByKeyboard(page, 'Download the settings and results as JSON')).file, 'utf8'));
  assert.equal(json.demo, 'ensembles');
  assert.deepEqual(Object.keys(json.runs), ['independent', 'snapshot', 'polyak']);
  assert.equal(json.runs.independent.computeSteps, 450);
  assert.deepEqual(json.runs.independent.report.ensemble, runs.independent.report.ensemble);
  assert.deepEqual(json.runs.snapshot.accuracyByCount, runs.snapshot.counts.accuracy);
  const table = await page.locator('.ens-table tbody').innerText();
  const replay = await lab.openApp(new URL(json.link).hash.slice(1));
  await replay.page.getByRole('button', { name: 'Play' }).click();
  await done(replay.page);
  await replay.page.waitForFunction(() => document.querySelectorAll('.ens-table tbody tr').length === 5);
  assert.equal(await replay.page.locator('.ens-table tbody').innerText(), table, 'the link replays the run number for number');

  assert.deepEqual(Object.fromEntries(new URLSearchParams(new URL(json.link).hash.split('?')[1])),
    { seed: '4', members: '3', steps: '150', polyak: '1', speed: '30' }, 'the settings that differ from the defaults');
  // The names follow the language.
  await replay.page.selectOption('#language', 'ko');
  assert.ok(await replay.page.getByRole('button', { name: 'PNG 파일로 독립 신경망 평균의 지도 내려받기' }).isVisible());
  assert.deepEqual([...errors, ...replay.errors], []);
});

test('ensembles: the live region reads the step, both ensembles\' and a typical member\'s accuracy', async () => {
  const query = new URLSearchParams({ demo: 'ensembles', a: 'members=3&steps=300&speed=5' });
  const { page, errors } = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(document.querySelector('.ens-status').textContent.match(/^step (\d+)/)?.[1]) >= 160, null, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForFunction(() => !document.querySelector('.player').hasAttribute('aria-busy'), null, { timeout: 60_000 });
  const step = await stepShown(page);
  // Pause flushes the latest numbers (or the interval ends): they are the shown step's.
  await page.waitForFunction((s) => document.querySelector('[data-live]').textContent.startsWith(`step ${s}:`), step, { timeout: 10_000 });
  const spoken = await page.locator('[data-live]').textContent();
  const { report, snap } = await page.evaluate(() => {
    const runs = window.__demos[0].mounted.debug.runs;
    return { report: runs.independent.report, snap: runs.snapshot.report };
  });
  const snapshots = snap.count;
  const pctOf = (v) => Math.round(v * 100);
  const mean = (key) => report.members.reduce((sum, m) => sum + m[key], 0) / report.members.length;
  assert.equal(snapshots, Math.floor(step / 100), 'one snapshot per finished cycle of 100 steps');
  assert.equal(spoken, `step ${step}: independent ensemble (K = 3): training accuracy ${pctOf(report.ensemble.trainAccuracy)}%, `
    + `validation accuracy ${pctOf(report.ensemble.valAccuracy)}%; snapshot ensemble (K = ${snapshots}): `
    + `training accuracy ${pctOf(snap.ensemble.trainAccuracy)}%, validation accuracy ${pctOf(snap.ensemble.valAccuracy)}%; `
    + `mean member: training accuracy ${pctOf(mean('trainAccuracy'))}%, validation accuracy ${pctOf(mean('valAccuracy'))}%`);
  assert.deepEqual(errors, []);
});
