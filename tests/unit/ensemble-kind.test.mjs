// The engine host's Ensemble kind in Node, with a fake engine whose arrays
// are views over buffers that the next call overwrites (as wasm memory
// views are): answers are copies, the averaged map comes before the
// members', a snapshot ensemble shows its live run until its first
// snapshot, the history keeps one entry per evaluated step, and "due"
// evaluations keep to their share of the time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHostCore } from '../../www/workers/host-core.js';
import * as EnsembleKind from '../../www/workers/kinds/ensemble.js';

const POINTS = { train: [0, 0, 1, 2, -1, 1], trainLabels: [0, 1, 2], val: [0.5, -2, 3, 0], valLabels: [1, 0] };

/**
 * A fake `Ensemble`: member k's validation accuracy is (k + 1)/10 + steps/1e4,
 * the average's is the members' mean + 0.05, every cell of member k's map
 * is filled with the byte 10·(k + 1), the average's with 1, the live run's
 * with 200. Grids come back as views of one scratch buffer.
 */
class FakeEnsemble {
  constructor(config) {
    if (!(config.members >= 1 && config.members <= 32)) throw new Error(`members must be from 1 to 32, got ${config.members}`);
    this.config = config;
    this.kind = config.kind;
    this.capacity = config.members;
    this.cycle = config.kind === 'snapshot' ? config.cycle : undefined;
    this.runs = config.kind === 'snapshot' ? 1 : config.members;
    this.classes = 3;
    this.steps = 0;
    this.scratch = new Uint8ClampedArray(1 << 20);
    this.freed = false;
    this.calls = [];
  }

  get computeSteps() { return this.steps * this.runs; }

  get count() {
    if (this.kind !== 'snapshot') return this.capacity;
    return Math.min(this.capacity, Math.floor(this.steps / this.cycle));
  }

  run(n) { this.steps += n; }

  memberAccuracy(k) { return (k + 1) / 10 + this.steps / 1e4; }

  evaluate() {
    this.calls.push('evaluate');
    const members = Array.from({ length: this.count }, (_, k) => ({
      steps: this.steps, trainAccuracy: 1, trainLoss: 0.1, valAccuracy: this.memberAccuracy(k), valLoss: 1 + k,
    }));
    const mean = members.reduce((s, m) => s + m.valAccuracy, 0) / Math.max(1, members.length);
    return {
      steps: this.steps,
      computeSteps: this.computeSteps,
      count: this.count,
      members,
      ensemble: this.count ? { trainAccuracy: 1, trainLoss: 0.1, valAccuracy: mean + 0.05, valLoss: 0.5, voteAccuracy: mean } : null,
      run: this.kind === 'snapshot' ? { steps: this.steps, trainAccuracy: 1, trainLoss: 0.2, valAccuracy: 0.77, valLoss: 0.9 } : null,
    };
  }

  accuracyByCount() { return Float64Array.from({ length: this.count }, (_, k) => (50 + k) / 100); }
  lossByCount() { return Float64Array.from({ length: this.count }, (_, k) => 1 - k / 100); }
  voteAccuracyByCount() { return Float64Array.from({ length: this.count }, (_, k) => (40 + k) / 100); }

  snapshotSteps() {
    return Float64Array.from({ length: this.count }, (_, k) => (Math.floor(this.steps / this.cycle) - k) * this.cycle - 1);
  }

  lrHistory() { return Float64Array.from({ length: this.steps }, (_, i) => 1 / (i + 1)); }
  lossHistory(run) {
    if (run !== 0) throw new Error('run 0 only');
    return Float32Array.from({ length: this.steps }, (_, i) => i / 2);
  }

  /** Fills the one scratch buffer in place, as wasm reuses its grid buffer. */
  fill(blocks, w, h) {
    blocks.forEach((byte, i) => this.scratch.fill(byte, i * w * h * 4, (i + 1) * w * h * 4));
    return this.scratch.subarray(0, blocks.length * w * h * 4);
  }

  predictGrid(x0, x1, y0, y1, w, h) {
    if (!this.count) throw new Error('no snapshot yet');
    this.calls.push(`predictGrid ${w}`);
    return this.fill([1], w, h);
  }

  predictGrids(x0, x1, y0, y1, w, h) {
    if (!this.count) throw new Error('no snapshot yet');
    this.calls.push(`predictGrids ${w}`);
    return this.fill([1, ...Array.from({ length: this.count }, (_, k) => 10 * (k + 1))], w, h);
  }

  runGrid(run, x0, x1, y0, y1, w, h) {
    this.calls.push(`runGrid ${w}`);
    return this.fill([200], w, h);
  }

  trainPoints() { return Float32Array.from(POINTS.train); }
  trainLabels() { return Uint32Array.from(POINTS.trainLabels); }
  valPoints() { return Float32Array.from(POINTS.val); }
  valLabels() { return Uint32Array.from(POINTS.valLabels); }
  free() { this.freed = true; }
}

const engine = { Ensemble: FakeEnsemble };
const trainer = { hidden: [8] };
const independent = (members = 3) => ({ config: { trainer, kind: 'independent', members } });
const snapshotSpec = (members = 3, cycle = 10) => ({ config: { trainer, kind: 'snapshot', members, cycle } });
const clock = () => 0;

test('describe, the square view around every point, and copies of the points', () => {
  const state = EnsembleKind.create(engine, independent());
  assert.deepEqual(EnsembleKind.describe(state), { kind: 'independent', runs: 3, capacity: 3, cycle: null, classes: 3, parameterCount: 2 * 8 + 8 + 8 * 3 + 3 });
  const { value, transfer } = EnsembleKind.snapshot(state, { points: true }, clock);
  // Points span [-2, 3] on both axes, padded by 12 % of 5.
  assert.deepEqual(value.view, { xMin: -2.6, xMax: 3.6, yMin: -2.6, yMax: 3.6 });
  assert.deepEqual(Array.from(value.points.val), POINTS.val);
  assert.deepEqual(Array.from(value.points.trainLabels), POINTS.trainLabels);
  assert.equal(transfer.length, 4);
  assert.deepEqual([value.steps, value.count, value.computeSteps, value.report], [0, 3, 0, undefined]);
  EnsembleKind.free(state);
  assert.equal(state.ensemble.freed, true);
});

test('an evaluation answers the report, the curves by count and one history entry', () => {
  const state = EnsembleKind.create(engine, independent(4));
  EnsembleKind.step(state, 100);
  const { value } = EnsembleKind.snapshot(state, { evaluate: 'always', history: true }, clock);
  assert.equal(value.report.step, 100);
  assert.equal(value.computeSteps, 400, 'four runs of 100 steps');
  assert.deepEqual(Array.from(value.counts.accuracy), [0.5, 0.51, 0.52, 0.53]);
  assert.deepEqual(Array.from(value.counts.vote), [0.4, 0.41, 0.42, 0.43]);
  const h = value.history;
  assert.deepEqual(Array.from(h.steps), [100]);
  // Members score 0.11, 0.21, 0.31, 0.41: mean 0.26; the model is member 0.
  assert.ok(Math.abs(h.memberValAccuracy[0] - 0.26) < 1e-12, String(h.memberValAccuracy[0]));
  assert.ok(Math.abs(h.valAccuracy[0] - 0.31) < 1e-12);
  assert.equal(h.memberValLoss[0], 2.5);
  assert.ok(Math.abs(h.modelValAccuracy[0] - 0.11) < 1e-12);
  assert.equal(h.modelValLoss[0], 1);

  // A second evaluation at the same step replaces the entry; a later one adds one.
  EnsembleKind.snapshot(state, { evaluate: 'always' }, clock);
  EnsembleKind.step(state, 50);
  const later = EnsembleKind.snapshot(state, { evaluate: 'always', history: true }, clock).value;
  assert.deepEqual(Array.from(later.history.steps), [100, 150]);
  // Without an evaluation the last report is answered again, unchanged.
  EnsembleKind.step(state, 50);
  const stale = EnsembleKind.snapshot(state, { evaluate: 'never' }, clock).value;
  assert.deepEqual([stale.steps, stale.report.step], [200, 150]);
});

test('a snapshot ensemble: its model is the run; before the first snapshot the map is the live run', () => {
  const state = EnsembleKind.create(engine, snapshotSpec(3, 10));
  EnsembleKind.step(state, 5);
  const early = EnsembleKind.snapshot(state, { evaluate: 'always', history: true, maps: { grid: 4, when: 'always', members: true, run: true } }, clock).value;
  assert.equal(early.count, 0);
  assert.equal(early.report.ensemble, null);
  assert.ok(Number.isNaN(early.history.valAccuracy[0]), 'no average yet');
  assert.equal(early.history.modelValAccuracy[0], 0.77, 'the run itself');
  assert.equal(early.maps.live, true);
  assert.equal(early.maps.rgba.length, 4 * 4 * 4);
  assert.ok(early.maps.rgba.every((b) => b === 200), 'the live run map');
  assert.equal(early.maps.run, null);

  EnsembleKind.step(state, 20);
  const { value, transfer } = EnsembleKind.snapshot(state, { maps: { grid: 4, when: 'always', members: true, run: true }, schedule: true }, clock);
  const maps = value.maps;
  assert.deepEqual([maps.live, maps.members, maps.count, maps.grid], [false, true, 2, 4]);
  assert.deepEqual(Array.from(maps.snapshotSteps), [19, 9], 'newest first');
  // Average first, then member 0 and member 1, each 4 × 4 RGBA.
  const block = 4 * 4 * 4;
  assert.equal(maps.rgba.length, 3 * block);
  assert.deepEqual([maps.rgba[0], maps.rgba[block], maps.rgba[2 * block + 5]], [1, 10, 20]);
  // The live run's map was drawn first but is still intact: a copy, not the scratch view.
  assert.ok(maps.run.every((b) => b === 200));
  assert.ok(transfer.includes(maps.rgba.buffer) && transfer.includes(maps.run.buffer));
  assert.equal(value.schedule.lr.length, 25);
  assert.equal(value.schedule.loss[24], 12);
  assert.deepEqual(Array.from(value.schedule.snapshotSteps), [19, 9]);
});

test('maps answered earlier stay intact after later engine calls (they are copies)', () => {
  const state = EnsembleKind.create(engine, independent(2));
  const first = EnsembleKind.snapshot(state, { maps: { grid: 3, when: 'always', members: false } }, clock).value.maps;
  assert.equal(first.rgba.length, 3 * 3 * 4);
  EnsembleKind.snapshot(state, { maps: { grid: 3, when: 'always', members: true } }, clock);
  state.ensemble.scratch.fill(99);
  assert.ok(first.rgba.every((b) => b === 1));
  assert.deepEqual(state.ensemble.calls, ['predictGrid 3', 'predictGrids 3']);
});

test('a big network gets a coarser grid, never below 16 cells a side', () => {
  const state = EnsembleKind.create(engine, { config: { trainer: { hidden: [1024, 1024, 1024] }, kind: 'independent', members: 8 } });
  const maps = EnsembleKind.snapshot(state, { maps: { grid: 96, when: 'always', members: true } }, clock).value.maps;
  // About 2.1 M weights × 8 members: √(1e9 / 1.7e7) ≈ 7 cells, raised to 16.
  assert.equal(maps.grid, 16);
  const small = EnsembleKind.create(engine, independent(8));
  assert.equal(EnsembleKind.snapshot(small, { maps: { grid: 96, when: 'always', members: true } }, clock).value.maps.grid, 96);
});

test('"due" evaluations and maps keep to a quarter of the time', () => {
  let now = 0;
  const ticking = () => now;
  const state = EnsembleKind.create(engine, independent(2));
  // Each evaluation "costs" 8 ms of the fake clock.
  const evaluate = state.ensemble.evaluate.bind(state.ensemble);
  state.ensemble.evaluate = () => { now += 8; return evaluate(); };
  EnsembleKind.snapshot(state, { evaluate: 'due' }, ticking);
  assert.equal(state.ensemble.calls.filter((c) => c === 'evaluate').length, 1);
  now += 10;  // 24 ms of other work are needed after an 8 ms extra
  EnsembleKind.snapshot(state, { evaluate: 'due' }, ticking);
  assert.equal(state.ensemble.calls.filter((c) => c === 'evaluate').length, 1);
  now += 14;
  EnsembleKind.snapshot(state, { evaluate: 'due' }, ticking);
  assert.equal(state.ensemble.calls.filter((c) => c === 'evaluate').length, 2);
});

test('the history keeps its length bounded by thinning old entries', () => {
  const state = EnsembleKind.create(engine, independent(1));
  for (let i = 0; i < EnsembleKind.MAX_HISTORY + 10; i++) {
    EnsembleKind.step(state, 1);
    EnsembleKind.snapshot(state, { evaluate: 'always' }, clock);
  }
  const steps = EnsembleKind.snapshot(state, { history: true }, clock).value.history.steps;
  assert.ok(steps.length <= EnsembleKind.MAX_HISTORY, String(steps.length));
  assert.equal(steps[steps.length - 1], EnsembleKind.MAX_HISTORY + 10, 'the newest is kept');
  assert.ok(steps.every((s, i) => i === 0 || s > steps[i - 1]), 'in step order');
});

test('through the host: a bad setting is refused by name; runs step every member; nothing else may be called', async () => {
  const core = createHostCore(engine, { kinds: { Ensemble: EnsembleKind } });
  await assert.rejects(core.handle({ op: 'create', handle: 1, kind: 'Ensemble', spec: independent(40) }), /members must be from 1 to 32, got 40/);
  const made = await core.handle({ op: 'create', handle: 2, kind: 'Ensemble', spec: snapshotSpec(2, 5), snapshot: { evaluate: 'always' } });
  assert.equal(made.value.info.kind, 'snapshot');
  assert.equal(made.value.snapshot.report.step, 0);
  await core.handle({ op: 'create', handle: 3, kind: 'Ensemble', spec: independent(3) });
  const ran = await core.handle({ id: 1, op: 'run', handles: [2, 3], steps: 12, snapshot: { evaluate: 'always' } });
  assert.deepEqual(ran.value.snapshots.map((s) => [s.steps, s.computeSteps, s.count]), [[12, 12, 2], [12, 36, 3]]);
  await assert.rejects(core.handle({ op: 'command', handle: 2, name: 'free' }), /unknown command 'free' \(known: \)/);
  assert.deepEqual((await core.handle({ op: 'close' })).value, { live: 2, created: 2, freed: 0 });
});
