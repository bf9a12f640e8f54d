// The image-trainer kind in Node with a fake engine (no wasm): the digits
// load once per host and only for digits datasets, an evaluation is spread
// over snapshots within each request's time, starts only when due, is
// spread over the class-sorted training set, and its results travel once
// per version; probes, filters and bad indices behave as documented.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageTrainerKind, TRAIN_SCORED, MISTAKES } from '../../www/workers/kinds/image-trainer.js';
import { createHostCore } from '../../www/workers/host-core.js';

/**
 * A fake engine whose Trainer scores `costMs` of fake time per image; it
 * records the calls the kind makes. Validation images are 4 pixels, image
 * i holding the value i/100 everywhere.
 */
function fakeEngine({ clock, costMs = 0.5, val = 40, train = 30, conv = true }) {
  const calls = [];
  class Trainer {
    constructor(config) {
      if (config.bad) throw new Error('Trainer key \'bad\' is refused');
      this.config = config;
      this.steps = 0;
      this.lr = 0.01;
      this.classes = 10;
      this.parameterCount = 123;
      this.inputShape = Uint32Array.from([1, 2, 2]);
      this.records = [];
      this.evaluation = null;
      this.freed = false;
      calls.push(['new', config]);
    }
    free() { this.freed = true; }
    run(n) { this.steps += n; return 2.5 - this.steps / 100; }
    trainLabels() { return new Uint32Array(train); }
    valLabels() { return Uint32Array.from({ length: val }, (_, i) => i % 10); }
    valPoints() { return Float32Array.from({ length: val * 4 }, (_, k) => Math.floor(k / 4) / 100); }
    layerInfo() { return [{ index: 0, kind: conv ? 'conv' : 'dense', outputShape: [2, 1, 1], parameters: 10 }]; }
    startEvaluation(options) {
      calls.push(['start', options, this.steps]);
      this.evaluation = { step: this.steps, evaluated: 0, total: Math.min(options.trainLimit, train) + val };
      return { evaluated: 0, total: this.evaluation.total, done: false };
    }
    continueEvaluation(max) {
      const e = this.evaluation;
      const n = Math.min(max, e.total - e.evaluated);
      e.evaluated += n;
      clock.now += n * costMs;
      calls.push(['continue', max]);
      const done = e.evaluated === e.total;
      if (done) this.records.push({ step: e.step, acc: 0.5 + e.step / 1000 });
      return { evaluated: e.evaluated, total: e.total, done };
    }
    evaluationResult() {
      const e = this.evaluation;
      if (!e) return null;
      const done = e.evaluated === e.total;
      const acc = done ? 0.5 + e.step / 1000 : null;
      return { step: e.step, evaluated: e.evaluated, total: e.total, done, trainLoss: done ? 1 : null, trainAccuracy: acc, valLoss: done ? 1.5 : null, valAccuracy: acc && acc - 0.1 };
    }
    confusionMatrix() { return Uint32Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 4 : 0)); }
    mostConfidentlyWrong(k) {
      calls.push(['wrong', k]);
      return { indices: Uint32Array.from([7, 3]), labels: Uint32Array.from([7, 3]), predicted: Uint32Array.from([1, 8]), confidence: Float32Array.from([0.9, 0.6]), probabilities: new Float32Array(20) };
    }
    evalSteps() { return Float64Array.from(this.records, (r) => r.step); }
    evalHistory(which) { return Float64Array.from(this.records, (r) => (which.endsWith('Accuracy') ? r.acc : 1)); }
    filterTiles(layer, options) { calls.push(['filters', layer, options]); return { width: 3, height: 2, pixels: new Uint8ClampedArray(24) }; }
    featureMaps(image, layer, options) { calls.push(['maps', Array.from(image), layer, options]); return { width: 2, height: 2, pixels: new Uint8ClampedArray(16) }; }
    predict(values) {
      if (values.length !== 4) throw new Error(`forward: each example has 1×2×2 = 4 values, got ${values.length}`);
      return Float32Array.from({ length: 10 }, (_, i) => (i === 3 ? 0.91 : 0.01));
    }
  }
  return { engine: { Trainer }, calls };
}

const DIGITS = { dataset: { kind: 'digits', perClass: 3, seed: 1 }, layers: [] };

test('the digits load once per host, only for digits datasets, and again after a failure', async () => {
  const clock = { now: 0 };
  const { engine, calls } = fakeEngine({ clock });
  let loads = 0;
  let fail = true;
  const kind = imageTrainerKind({
    loadData: async () => {
      loads++;
      if (fail) throw new Error('the digits could not be loaded: HTTP 404');
      return Uint8Array.from([84, 76, 73, 77]);
    },
  });
  await assert.rejects(kind.create(engine, { config: DIGITS }), /HTTP 404/);
  fail = false;
  const a = await kind.create(engine, { config: DIGITS });
  const b = await kind.create(engine, { config: { ...DIGITS, seed: 2 } });
  assert.equal(loads, 2, 'one failed load, then one load for both trainers');
  const built = calls.filter((c) => c[0] === 'new').map((c) => c[1]);
  assert.deepEqual(Array.from(built[0].dataset.data), [84, 76, 73, 77]);
  assert.equal(built[0].dataset.data, built[1].dataset.data, 'the same bytes, not a second copy');
  assert.equal(DIGITS.dataset.data, undefined, 'the caller\'s config is left alone');
  // Caller-given images need no asset.
  await kind.create(engine, { config: { dataset: { kind: 'images', x: [], y: [] } } });
  assert.equal(loads, 2);
  // A refused config frees nothing it did not make and says why.
  await assert.rejects(kind.create(engine, { config: { ...DIGITS, bad: true } }), /'bad' is refused/);
  assert.deepEqual(kind.describe(a), {
    classes: 10, parameterCount: 123, inputShape: [1, 2, 2], trainCount: 30, valCount: 40,
    layers: [{ index: 0, kind: 'conv', outputShape: [2, 1, 1], parameters: 10 }],
    valLabels: Array.from({ length: 40 }, (_, i) => i % 10),
  });
  kind.free(b);
  assert.ok(b.trainer.freed);
});

test('an evaluation is spread over snapshots, each within its time, over a spread training sample', async () => {
  const clock = { now: 0 };
  const tick = () => clock.now;
  // 0.5 ms an image: 30 training + 40 validation images = 35 ms in all.
  const { engine, calls } = fakeEngine({ clock, costMs: 0.5 });
  const kind = imageTrainerKind({ loadData: async () => new Uint8Array(4) });
  const state = await kind.create(engine, { config: DIGITS });
  const first = kind.snapshot(state, { evaluate: 'now', evalMs: 10 }, tick).value;
  assert.deepEqual(calls.find((c) => c[0] === 'start').slice(1), [{ trainLimit: TRAIN_SCORED, spread: true }, 0]);
  assert.ok(!first.evaluation.done && first.evaluation.evaluated > 0, JSON.stringify(first.evaluation));
  assert.ok(clock.now < 10 + 12 + 1, `one request spent ${clock.now} ms (asked 10, a chunk aims at 12)`);
  assert.equal(first.metrics, undefined, 'no accuracies before the evaluation is done');
  // Training goes on meanwhile; the evaluation keeps its step.
  kind.step(state, 5);
  let s = first;
  let requests = 1;
  while (!s.evaluation.done) {
    s = kind.snapshot(state, { evaluate: 'due', evalMs: 10, curves: true, results: 0 }, tick).value;
    requests++;
  }
  assert.ok(requests >= 3, `35 ms of scoring in requests of 10 ms took ${requests} requests`);
  assert.equal(s.steps, 5);
  assert.deepEqual(s.metrics, { step: 0, loss: 1, trainLoss: 1, valLoss: 1.5, trainAccuracy: 0.5, valAccuracy: 0.4 });
  assert.deepEqual(Array.from(s.curves.steps), [0]);
  assert.equal(s.results.version, 1);
  assert.equal(s.results.step, 0);
  assert.equal(s.results.confusion.length, 100);
  assert.deepEqual(Array.from(s.results.mistakes.indices), [7, 3]);
  assert.deepEqual(calls.find((c) => c[0] === 'wrong'), ['wrong', MISTAKES]);
  // Each mistake's image: validation image i holds i/100, as bytes.
  assert.deepEqual(Array.from(s.results.mistakes.images), [18, 18, 18, 18, 8, 8, 8, 8]);
  assert.ok(Number.isFinite(s.loss));
});

test('a new evaluation starts only when due (a quarter of the time) and results travel once per version', async () => {
  const clock = { now: 0 };
  const tick = () => clock.now;
  const { engine, calls } = fakeEngine({ clock, costMs: 0.5 });
  const kind = imageTrainerKind({ loadData: async () => new Uint8Array(4) });
  const state = await kind.create(engine, { config: DIGITS });
  const starts = () => calls.filter((c) => c[0] === 'start').length;
  kind.snapshot(state, { evaluate: 'now', evalMs: 1000 }, tick);
  const cost = clock.now;
  assert.equal(cost, 35);
  // The step is evaluated: "now" does not start it again.
  kind.snapshot(state, { evaluate: 'now', evalMs: 1000 }, tick);
  assert.equal(starts(), 1);
  kind.step(state, 1);
  // 35 ms of evaluating may be followed by 105 ms without.
  clock.now += 100;
  kind.snapshot(state, { evaluate: 'due', evalMs: 1000 }, tick);
  assert.equal(starts(), 1, 'not due 100 ms after a 35 ms evaluation');
  clock.now += 6;
  const later = kind.snapshot(state, { evaluate: 'due', evalMs: 1000, results: 1 }, tick).value;
  assert.equal(starts(), 2);
  assert.equal(later.results.version, 2);
  assert.equal(later.metrics.step, 1);
  // The page has version 2: nothing to send; "never" starts nothing.
  kind.step(state, 1);
  clock.now += 10_000;
  const quiet = kind.snapshot(state, { evaluate: 'never', evalMs: 1000, results: 2 }, tick).value;
  assert.equal(quiet.results, undefined);
  assert.equal(starts(), 2);
  assert.equal(quiet.evaluation.step, 1);
});

test('probes give probabilities and feature maps; filters only for conv networks; bad indices are refused', async () => {
  const clock = { now: 0 };
  const tick = () => clock.now;
  const { engine, calls } = fakeEngine({ clock });
  const kind = imageTrainerKind({ loadData: async () => new Uint8Array(4) });
  const state = await kind.create(engine, { config: DIGITS });
  const s = kind.snapshot(state, { filters: { scale: 3 }, probe: { input: [0, 0.5, 1, 0], layer: 1, scale: 2 } }, tick);
  assert.equal(s.value.probe.probabilities[3], Math.fround(0.91));
  assert.deepEqual(calls.find((c) => c[0] === 'maps'), ['maps', [0, 0.5, 1, 0], 1, { scale: 2 }]);
  assert.deepEqual(calls.find((c) => c[0] === 'filters'), ['filters', undefined, { scale: 3 }]);
  // Every typed array in the answer is listed for transfer.
  assert.ok(s.transfer.includes(s.value.probe.probabilities.buffer));
  assert.ok(s.transfer.includes(s.value.filters.pixels.buffer));
  assert.ok(s.transfer.includes(s.value.probe.featureMaps.pixels.buffer));
  const noMaps = kind.commands.probe(state, { input: Float32Array.from([1, 1, 1, 1]) });
  assert.equal(noMaps.featureMaps, undefined);
  assert.throws(() => kind.commands.probe(state, { input: [1, 2] }), /4 values, got 2/);
  const images = kind.commands.valImages(state, [2, 11]);
  assert.deepEqual(Array.from(images.labels), [2, 1]);
  assert.deepEqual(Array.from(images.pixels), [5, 5, 5, 5, 28, 28, 28, 28]);
  assert.throws(() => kind.commands.valImages(state, [3, 40]), /below 40, got 40/);
  assert.throws(() => kind.commands.valImages(state, [1.5]), /got 1.5/);

  const { engine: dense } = fakeEngine({ clock, conv: false });
  const mlp = await kind.create(dense, { config: DIGITS });
  assert.equal(kind.snapshot(mlp, { filters: { scale: 3 } }, tick).value.filters, undefined);
});

test('the host awaits a kind that loads its data, in request order', async () => {
  const clock = { now: 0 };
  const { engine } = fakeEngine({ clock });
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const kind = imageTrainerKind({ loadData: () => gate.then(() => new Uint8Array(4)) });
  const core = createHostCore(engine, { kinds: { ImageTrainer: kind }, clock: () => clock.now });
  const made = core.handle({ op: 'create', handle: 1, kind: 'ImageTrainer', spec: { config: DIGITS }, snapshot: { evaluate: 'now', evalMs: 0 } });
  let settled = false;
  made.then(() => { settled = true; });
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(settled, false, 'the create waits for the digits');
  release();
  const { value } = await made;
  assert.equal(value.info.valCount, 40);
  assert.deepEqual(value.snapshot.evaluation, { step: 0, evaluated: 0, total: 70, done: false });
  const run = await core.handle({ id: 1, op: 'run', handles: [1], steps: 3, snapshot: { evaluate: 'never' } });
  assert.equal(run.value.snapshots[0].steps, 3);
});
