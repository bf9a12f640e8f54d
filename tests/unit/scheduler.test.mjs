// The scheduler's pure logic in Node, no browser: how the step budget
// adapts to the cost of a step, which tasks get frames, and how the runner
// answers Play / Pause / Step, against a fake clock and fake frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StepBudget, createScheduler } from '../../www/ui/scheduler.js';
import { createRunner } from '../../www/ui/runner.js';
import { Duty } from '../../www/workers/duty.js';
import { gridFor } from '../../www/workers/kinds/trainer.js';

/** Plans `frames` frames of steps costing `msPerStep(frame)` each; returns the step counts. */
function simulate(budget, { requested, budgetMs, msPerStep, frames }) {
  const counts = [];
  for (let f = 0; f < frames; f++) {
    const n = budget.plan(requested, budgetMs);
    counts.push(n);
    budget.record(n, n * msPerStep(f));
  }
  return counts;
}

test('StepBudget: cheap steps ramp up to the requested count, doubling at most, never beyond', () => {
  const counts = simulate(new StepBudget(), { requested: 50, budgetMs: 8, msPerStep: () => 0.01, frames: 10 });
  assert.deepEqual(counts, [1, 2, 4, 8, 16, 32, 50, 50, 50, 50]);
});

test('StepBudget: dear steps are held to the budget (2 ms a step, 8 ms budget → 4)', () => {
  const counts = simulate(new StepBudget(), { requested: 100, budgetMs: 8, msPerStep: () => 2, frames: 8 });
  assert.deepEqual(counts.slice(3), [4, 4, 4, 4, 4]);
  assert.ok(counts.every((n) => n * 2 <= 8), `over budget: ${counts}`);
});

test('StepBudget: a step dearer than the whole budget still runs once a frame', () => {
  const counts = simulate(new StepBudget(), { requested: 20, budgetMs: 8, msPerStep: () => 30, frames: 5 });
  assert.deepEqual(counts, [1, 1, 1, 1, 1]);
});

test('StepBudget: a sudden slow-down is believed at once, a speed-up only gradually', () => {
  const budget = new StepBudget();
  const cheap = simulate(budget, { requested: 100, budgetMs: 8, msPerStep: () => 0.1, frames: 10 });
  assert.equal(cheap.at(-1), 80);
  // Steps become 40× dearer: the very next frame fits the budget again.
  budget.record(80, 80 * 4);
  assert.equal(budget.plan(100, 8), 2);
  // Back to cheap: the estimate falls by a quarter of the gap per frame, not at once.
  budget.record(2, 2 * 0.1);
  assert.ok(budget.msPerStep > 2.9 && budget.msPerStep < 3.1, `estimate ${budget.msPerStep}`);
});

test('StepBudget: a zero reading (timer resolution) is floored, so the count still ramps gradually', () => {
  const counts = simulate(new StepBudget(), { requested: 1000, budgetMs: 8, msPerStep: () => 0, frames: 4 });
  assert.deepEqual(counts, [1, 2, 4, 8]);
});

test('StepBudget: the budget is shared, so more tasks mean fewer steps each', () => {
  const one = simulate(new StepBudget(), { requested: 100, budgetMs: 8, msPerStep: () => 0.5, frames: 12 }).at(-1);
  const quarter = simulate(new StepBudget(), { requested: 100, budgetMs: 2, msPerStep: () => 0.5, frames: 12 }).at(-1);
  assert.deepEqual([one, quarter], [16, 4]);
});

/** A scheduler with fake frames: frame() runs one animation frame. */
function fakeScheduler({ frameBudgetMs = 8 } = {}) {
  let queued = null;
  let clock = 0;
  const observed = new Map();
  let hidden = false;
  const scheduler = createScheduler({
    requestFrame: (fn) => { queued = fn; return 1; },
    cancelFrame: () => { queued = null; },
    now: () => clock,
    documentHidden: () => hidden,
    observe: (element, onVisible) => {
      observed.set(element, onVisible);
      return () => observed.delete(element);
    },
    frameBudgetMs,
  });
  return {
    scheduler,
    advanceClock: (ms) => { clock += ms; },
    get now() { return clock; },
    frame() {
      const fn = queued;
      queued = null;
      fn?.();
      return fn !== null;
    },
    get pending() { return queued !== null; },
    setVisible(element, visible) { observed.get(element)(visible); },
    setHidden(value) { hidden = value; scheduler.visibilityChanged(); },
  };
}

function countingRunner(fake, { element = {}, speed = 5, msPerStep = 0 } = {}) {
  const log = { steps: 0, calls: [], draws: 0 };
  const runner = createRunner({
    scheduler: fake.scheduler,
    now: () => fake.now,
    element,
    speed,
    advance: (n) => {
      log.calls.push(n);
      log.steps += n;
      fake.advanceClock(n * msPerStep);
      return true;
    },
    draw: () => { log.draws++; },
  });
  return { runner, log, element };
}

test('scheduler: only playing, visible tasks get frames, sharing the budget', () => {
  const fake = fakeScheduler({ frameBudgetMs: 8 });
  const a = countingRunner(fake, { speed: 100, msPerStep: 1 });
  const b = countingRunner(fake, { speed: 100, msPerStep: 1 });
  assert.equal(fake.pending, false, 'nothing plays, so no frame is asked for');
  a.runner.play();
  b.runner.play();
  for (let i = 0; i < 10; i++) fake.frame();
  // Two tasks share 8 ms: 4 steps of 1 ms each per frame once settled.
  assert.deepEqual([a.log.calls.at(-1), b.log.calls.at(-1)], [4, 4]);

  // B scrolled out: it gets no frames, A gets the whole budget.
  fake.setVisible(b.element, false);
  const bSteps = b.log.steps;
  for (let i = 0; i < 10; i++) fake.frame();
  assert.equal(b.log.steps, bSteps);
  assert.equal(a.log.calls.at(-1), 8);
  assert.equal(b.runner.playing, true, 'out of view is not paused');

  // A hidden tab stops everything without asking for frames.
  fake.setHidden(true);
  const aSteps = a.log.steps;
  fake.frame();
  assert.equal(a.log.steps, aSteps);
  assert.equal(fake.pending, false, 'no frames are asked for while hidden');
  fake.setHidden(false);
  fake.setVisible(b.element, true);
  fake.frame();
  assert.ok(a.log.steps > aSteps && b.log.steps > bSteps);
});

test('runner: Pause takes effect before the next frame, Step takes exactly one step', () => {
  const fake = fakeScheduler();
  const { runner, log } = countingRunner(fake, { speed: 3 });
  runner.play();
  fake.frame();
  fake.frame();
  runner.pause();
  const steps = log.steps;
  fake.frame();
  assert.equal(log.steps, steps, 'the frame already asked for takes no step');
  assert.equal(fake.pending, false, 'a paused runner asks for no more frames');
  runner.step();
  assert.equal(log.steps, steps + 1);
  assert.deepEqual(log.calls.at(-1), 1);
  assert.equal(runner.playing, false);
  runner.destroy();
  runner.play();
  assert.equal(fake.pending, false, 'a destroyed runner never plays again');
});

test('runner: an off-thread advance is awaited; Pause cancels it and answers at once', async () => {
  const fake = fakeScheduler();
  let release;
  let cancels = 0;
  const asked = [];
  const lives = [];
  const runner = createRunner({
    scheduler: fake.scheduler,
    speed: 7,
    budgeted: false,
    advance: (n, info) => {
      asked.push({ n, single: info.single });
      lives.push(info.shown);
      return new Promise((resolve) => { release = resolve; });
    },
    cancel: () => { cancels++; },
  });
  const states = [];
  runner.onChange((s) => states.push({ ...s }));
  runner.play();
  fake.frame();
  assert.deepEqual(asked, [{ n: 7, single: false }], 'not budgeted: the full speed goes to the worker');
  assert.equal(runner.busy, true);
  fake.frame();
  assert.equal(asked.length, 1, 'no second request while one is in flight');
  assert.equal(lives[0](), true);
  runner.pause();
  assert.deepEqual({ playing: runner.playing, busy: runner.busy, cancels }, { playing: false, busy: true, cancels: 1 });
  assert.equal(lives[0](), false, 'the answer to an advance asked for before Pause is not to be shown');
  release(true);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(runner.busy, false);
  assert.deepEqual(states.at(-1), { playing: false, busy: false });
  fake.frame();
  assert.equal(asked.length, 1, 'paused: nothing more is asked');
  runner.step();
  assert.deepEqual(asked.at(-1), { n: 1, single: true });
  assert.equal(lives.at(-1)(), true, 'a Step after Pause is shown');
});

test('runner: Pause draws at once what arrived before it, and nothing after', async () => {
  const fake = fakeScheduler();
  const releases = [];
  let draws = 0;
  const runner = createRunner({
    scheduler: fake.scheduler,
    speed: 5,
    budgeted: false,
    advance: () => new Promise((resolve) => releases.push(resolve)),
    draw: () => { draws++; },
  });
  runner.play();
  fake.frame();
  releases[0](true);
  await Promise.resolve();
  await Promise.resolve();
  // The answer came, its frame has not: Pause shows it in the same call.
  assert.equal(draws, 0);
  runner.pause();
  assert.equal(draws, 1);
  fake.frame();
  assert.equal(draws, 1, 'nothing is left to draw after Pause');
});

test('runner: an advance that returns false stops playing', () => {
  const fake = fakeScheduler();
  let left = 3;
  const runner = createRunner({ scheduler: fake.scheduler, speed: 1, advance: () => --left > 0 });
  runner.play();
  for (let i = 0; i < 5; i++) fake.frame();
  assert.equal(runner.playing, false);
  assert.equal(left, 0);
});

test('Duty: an extra costing c ms is due again (1 − share)/share · c ms after it ended', () => {
  const duty = new Duty(0.25);
  let clock = 0;
  assert.equal(duty.due(0), true);
  duty.run(() => { clock += 10; }, () => clock);
  assert.equal(duty.due(clock + 29), false);
  assert.equal(duty.due(clock + 30), true);
});

test('gridFor: small networks get the full map, big ones a coarser one, never below 16 cells', () => {
  assert.equal(gridFor(600, 96), 96);
  assert.equal(gridFor(1_000_000, 96), 31);
  assert.equal(gridFor(5_250_000, 96), 16);
  assert.equal(gridFor(5_250_000, 8), 8);
});
