// The shared front-end kit in headless Chromium: a heavy network trains in
// a worker while the page keeps answering and Pause stops it after the
// current step; a demo scrolled out of view stops stepping; two instances
// of a demo on one page keep apart; destroy() frees every engine handle;
// the page-thread fallback trains; link notices go with their demo.
// No timing thresholds: every check waits on a condition or compares
// recorded order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Opens the instances page: one demo, one instance per entry of `states` (a, b, c). */
async function openInstances({ demo = 'network', states, spacer = false, worker = true }) {
  const query = new URLSearchParams({ demo });
  ['a', 'b', 'c'].forEach((key, i) => { if (i < states.length) query.set(key, states[i]); });
  if (spacer) query.set('spacer', '1');
  if (!worker) query.set('worker', '0');
  const opened = await lab.open(`tests/e2e/pages/instances.html?${query}`);
  await opened.page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 120_000 });
  return opened;
}

/** Waits for `count` animation frames in the page (a condition, not a duration). */
function frames(page, count) {
  return page.evaluate((n) => new Promise((resolve) => {
    let seen = 0;
    const tick = () => (++seen >= n ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), count);
}

const networkSteps = (page, i = 0) => page.evaluate((k) => window.__demos[k].mounted.debug.steps[0], i);

test('a heavy network trains in a worker: the page answers during a long step and Pause stops it after that step', async () => {
  // Six layers of 1024 units: one step takes a second or more here.
  const { page, errors } = await openInstances({ states: ['hidden=1024,1024,1024,1024,1024,1024&speed=50'] });
  assert.equal(await page.evaluate(() => window.__demos[0].mounted.debug.host.mode), 'worker');
  const box = page.locator('[data-instance="a"]');
  let outcome = null;
  for (let attempt = 0; attempt < 3 && !outcome?.duringStep; attempt++) {
    await box.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.__demos[0].mounted.debug.runner.busy, null, { timeout: 120_000 });
    // Pause, clicked while the worker is inside its run: the page handles the
    // click at once and the player shows it in the same task.
    const click = await page.evaluate(() => {
      const d = window.__demos[0];
      d.box.querySelector('.player button:nth-child(2)').click();
      return {
        at: performance.timeOrigin + performance.now(),
        state: d.box.querySelector('.player').dataset.state,
        playDisabled: d.box.querySelector('.player button.primary').disabled,
        workerBusy: d.mounted.debug.runner.busy,
        shownSteps: d.mounted.debug.steps[0],
      };
    });
    assert.deepEqual([click.state, click.playDisabled], ['paused', false]);
    await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy, null, { timeout: 300_000 });
    const run = await page.evaluate(() => window.__demos[0].mounted.debug.lastRun);
    outcome = { ...click, run, duringStep: click.workerBusy && run.startedAt <= click.at && click.at <= run.endedAt };
  }
  assert.ok(outcome.duringStep, `the click was not handled while the worker ran: ${JSON.stringify(outcome)}`);
  // The run was cancelled after its current step, long before its 50.
  assert.equal(outcome.run.cancelled, true);
  assert.ok(outcome.run.steps >= 1 && outcome.run.steps < 50, `steps taken: ${outcome.run.steps}`);

  // The page shows no progress after the click: once the worker has
  // answered, after a round trip through its queue and some frames, the
  // step counter still reads what it read at the click.
  await page.waitForFunction(() => !window.__demos[0].mounted.debug.host.busy, null, { timeout: 300_000 });
  const stopped = await networkSteps(page);
  assert.equal(stopped, outcome.shownSteps);
  await page.evaluate(() => window.__demos[0].mounted.debug.host.stats());
  await frames(page, 20);
  assert.equal(await networkSteps(page), stopped);
  assert.equal(await page.evaluate(() => window.__demos[0].mounted.debug.runner.playing), false);
  assert.match(await box.locator('.net-metrics').textContent(), new RegExp(`^step ${stopped} `));
  assert.deepEqual(errors, []);
});

const STEPPERS = {
  network: {
    state: 'hidden=16',
    steps: (page) => networkSteps(page),
  },
  race: {
    state: 'on=sgd,adam&speed=1',
    steps: (page) => page.evaluate(() => window.__demos[0].mounted.debug.race.status(0).steps),
  },
};

for (const [demo, { state, steps }] of Object.entries(STEPPERS)) {
  test(`${demo}: scrolled out of view it stops stepping, and goes on when back`, async () => {
    const { page, errors } = await openInstances({ demo, states: [state], spacer: true });
    const box = page.locator('[data-instance="a"]');
    await box.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.__demos[0].mounted.debug.runner.playing, null, { timeout: 30_000 });
    const startSteps = await steps(page);
    await page.waitForFunction(async (s) => {
      const d = window.__demos[0].mounted.debug;
      const now = d.steps?.[0] ?? d.race.status(0).steps;
      return now > s + 3;
    }, startSteps, { timeout: 60_000 });

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.visible, null, { timeout: 30_000 });
    await page.waitForFunction(() => !window.__demos[0].mounted.debug.runner.busy, null, { timeout: 60_000 });
    const hidden = await steps(page);
    await frames(page, 30);
    assert.equal(await steps(page), hidden, 'it kept stepping out of view');
    assert.equal(await page.evaluate(() => window.__demos[0].mounted.debug.runner.playing), true, 'scrolling away is not Pause');

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(async (s) => {
      const d = window.__demos[0].mounted.debug;
      return (d.steps?.[0] ?? d.race.status(0).steps) > s;
    }, hidden, { timeout: 60_000 });
    assert.deepEqual(errors, []);
  });
}

test('two network instances on one page keep their own state, ids and engine', async () => {
  const { page, errors } = await openInstances({ states: ['data=moons&hidden=8', 'data=circles&hidden=8&noise=0.1'] });
  // No id is used twice; the second instance's ids carry its own prefix.
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(duplicates, []);
  const a = page.locator('[data-instance="a"]');
  const b = page.locator('[data-instance="b"]');
  assert.equal(await a.locator('#net-data').inputValue(), 'moons');
  assert.equal(await b.locator('#net2-data').inputValue(), 'circles');
  assert.equal(await b.locator('label[for="net2-noise"] input').inputValue(), '0.1');

  // Play A only: B stays at step 0.
  await a.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.__demos[0].mounted.debug.steps[0] >= 30, null, { timeout: 60_000 });
  await a.getByRole('button', { name: 'Pause' }).click();
  assert.equal(await networkSteps(page, 1), 0);
  assert.match(await b.locator('.net-metrics').textContent(), /^step 0 /);

  // A setting changed in B is saved by B alone and rebuilds B alone.
  const stepsA = await networkSteps(page, 0);
  await b.locator('#net2-noise').fill('0.3');
  await b.locator('#net2-noise').dispatchEvent('change');
  await page.waitForFunction(() => window.__demos[1].saved.at(-1)?.noise === 0.3, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.__demos[0].saved.some((v) => v.noise === 0.3)), false);
  assert.equal(await a.locator('#net-noise').inputValue(), '0.2');
  assert.equal(await networkSteps(page, 0), stepsA);

  // Each has its own worker: destroying A leaves B training.
  await page.evaluate(() => window.__demos[0].mounted.destroy());
  assert.deepEqual(await page.evaluate(() => window.__demos[0].mounted.debug.closed), { live: 0, created: 1, freed: 1 });
  await b.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.__demos[1].mounted.debug.steps[0] > 10, null, { timeout: 60_000 });
  assert.deepEqual(errors, []);
});

for (const worker of [true, false]) {
  test(`destroy() frees every engine handle (${worker ? 'worker' : 'page-thread fallback'})`, async () => {
    const { page, errors } = await openInstances({ states: ['hidden=8&cmp=1'], worker });
    const debug = 'window.__demos[0].mounted.debug';
    assert.equal(await page.evaluate(`${debug}.host.mode`), worker ? 'worker' : 'main');
    assert.deepEqual(await page.evaluate(`${debug}.host.stats()`), { live: 2, created: 2, freed: 0 });
    // Turning compare off rebuilds: the two old runs are freed, one new one made.
    await page.locator('#net-cmp').uncheck();
    await page.waitForFunction(() => document.querySelectorAll('canvas.net-map').length === 1, null, { timeout: 60_000 });
    assert.deepEqual(await page.evaluate(`${debug}.host.stats()`), { live: 1, created: 3, freed: 2 });
    await page.evaluate(() => window.__demos[0].mounted.destroy());
    // The host saw the demo free its last handle before it closed.
    assert.deepEqual(await page.evaluate(`${debug}.closed`), { live: 0, created: 3, freed: 3 });
    assert.equal(await page.evaluate(`${debug}.runner.playing`), false);
    assert.deepEqual(errors, []);
  });
}

test('page-thread fallback: without a worker the lab still trains, pauses and steps', async () => {
  const { page, errors } = await openInstances({ states: ['hidden=32'], worker: false });
  const box = page.locator('[data-instance="a"]');
  assert.equal(await page.evaluate(() => window.__demos[0].mounted.debug.host.mode), 'main');
  await box.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.__demos[0].mounted.debug.steps[0] >= 50, null, { timeout: 60_000 });
  await box.getByRole('button', { name: 'Pause' }).click();
  const paused = await networkSteps(page);
  await frames(page, 10);
  assert.equal(await networkSteps(page), paused);
  await box.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction((s) => window.__demos[0].mounted.debug.steps[0] === s + 1, paused, { timeout: 30_000 });
  assert.deepEqual(errors, []);
});

test('dropout: the pair trains in the engine host (worker, or the page without one), Step brings its curves, destroy frees both', async () => {
  for (const worker of [true, false]) {
    const { page, errors } = await openInstances({ demo: 'dropout', states: ['seed=2'], worker });
    const debug = 'window.__demos[0].mounted.debug';
    const box = page.locator('[data-instance="a"]');
    const steps = () => page.evaluate(() => window.__demos[0].mounted.debug.fit.plain.steps);
    assert.equal(await page.evaluate(`${debug}.host.mode`), worker ? 'worker' : 'main');
    // The host holds the pair and nothing else (the mask nets stay on the page).
    assert.deepEqual(await page.evaluate(`${debug}.host.stats()`), { live: 2, created: 2, freed: 0 });
    assert.equal(await steps(), 0);
    await box.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.__demos[0].mounted.debug.fit.plain.steps >= 20, null, { timeout: 60_000 });
    await box.getByRole('button', { name: 'Pause' }).click();
    const paused = await steps();
    await page.waitForFunction(() => !window.__demos[0].mounted.debug.player.runner.busy, null, { timeout: 60_000 });
    await frames(page, 10);
    assert.equal(await steps(), paused, 'nothing new shows after Pause');
    await box.getByRole('button', { name: 'Step' }).click();
    await page.waitForFunction((s) => window.__demos[0].mounted.debug.fit.plain.steps > s && !window.__demos[0].mounted.debug.player.runner.busy, paused, { timeout: 60_000 });
    const shown = await page.evaluate(() => {
      const { fit } = window.__demos[0].mounted.debug;
      return { plain: fit.plain.steps, drop: fit.drop.steps, lastEval: [fit.plain.evalSteps().at(-1), fit.drop.evalSteps().at(-1)] };
    });
    // Both runs step together, and the Step's answer carries curves that reach the step shown.
    assert.equal(shown.drop, shown.plain);
    assert.deepEqual(shown.lastEval, [shown.plain, shown.plain]);
    await frames(page, 2);
    assert.match(await box.locator('.drop-fit-stage .net-metrics').first().textContent(), new RegExp(`step ${shown.plain}\\b`));
    await page.evaluate(() => window.__demos[0].mounted.destroy());
    assert.deepEqual(await page.evaluate(`${debug}.closed`), { live: 0, created: 2, freed: 2 });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('link notices belong to their demo and go when another demo opens', async () => {
  const { page, errors } = await lab.openApp('network?n=abc&speed=0');
  const notices = page.locator('#notices .notice');
  assert.equal(await notices.count(), 2);
  assert.match(await page.locator('#notices').textContent(), /'abc' for 'n'/);
  await page.evaluate(() => { location.hash = '#race?surface=nope'; });
  await page.waitForFunction(() => document.querySelector('#race-title') !== null);
  const text = await page.locator('#notices').textContent();
  assert.doesNotMatch(text, /'abc'/);
  assert.match(text, /'nope' for 'surface'/);
  assert.equal(await notices.count(), 1);
  assert.deepEqual(errors, []);
});
