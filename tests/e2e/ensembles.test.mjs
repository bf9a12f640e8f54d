// The ensembles demo in headless Chromium: it trains in a worker, Play
// changes the maps and the charts fill with one dot per member, Pause stops
// the step counter, Korean text, a link reproduces the run number for
// number and pixel for pixel, bad settings are refused with a notice, and
// two instances on one page keep apart. No timing thresholds: every check
// waits on a condition.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasDigest, startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
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
