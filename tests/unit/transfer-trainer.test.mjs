// The transfer-trainer kind in Node with a fake engine (no wasm): each
// strategy sets up its trainer as documented (the pretrained body only for
// borrowing strategies, frozen for frozen and two-stage), two-stage switches
// at its step exactly — whatever the step counts asked for — to everything
// unfrozen and a fresh optimizer at the lower rate; the weights file loads
// once per host; bad strategies are refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transferTrainerKind, STRATEGIES } from '../../www/workers/kinds/transfer-trainer.js';

function fakeEngine() {
  const calls = [];
  class Trainer {
    constructor(config) {
      this.config = config;
      this.steps = 0;
      this.lr = config.optimizer.lr;
      this.classes = 5;
      this.parameterCount = 10;
      this.inputShape = Uint32Array.from([1, 2, 2]);
      this.frozen = 0;
      this.log = [];
    }
    free() { this.freed = true; }
    run(n) {
      this.log.push({ at: this.steps, n, frozen: this.frozen, lr: this.lr });
      this.steps += n;
      return 1;
    }
    trainLabels() { return new Uint32Array(25); }
    valLabels() { return new Uint32Array(250); }
    layerInfo() { return [{ index: 0, kind: 'conv', outputShape: [2, 1, 1], parameters: 4 }, { index: 1, kind: 'dense', outputShape: [5, 1, 1], parameters: 6 }]; }
    paramLayers() { return Uint32Array.from([0, 1]); }
    layerRates() { return Float64Array.from([0, 1], (_, k) => (k < this.frozen ? 0 : this.lr)); }
    setWeights(arrays, options) { calls.push(['setWeights', arrays.length, options]); }
    setFrozen(n) { calls.push(['setFrozen', n, this.steps]); this.frozen = n; }
    setOptimizer(config) { calls.push(['setOptimizer', config, this.steps]); this.lr = config.lr; }
    getWeights() { return [Float32Array.from([1, 2])]; }
    evaluationResult() { return null; }
  }
  const engine = {
    Trainer,
    readWeightsFile(bytes) {
      calls.push(['readWeightsFile', bytes.length]);
      return { meta: '{}', blocks: [1, 2, 3, 4, 5, 6].map((k) => ({ name: `b${k}`, dims: [1], values: Float32Array.from([k]) })) };
    },
  };
  return { engine, calls };
}

const CONFIG = { dataset: { kind: 'images', x: [], y: [] }, layers: [], optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 } };

function kindWithCounter() {
  const loads = { n: 0 };
  const kind = transferTrainerKind({ loadWeights: async () => { loads.n++; return new Uint8Array(8); } });
  return { kind, loads };
}

test('each strategy: the borrowed body only where it is borrowed, frozen only where it is frozen', async () => {
  const { kind, loads } = kindWithCounter();
  const seen = {};
  for (const strategy of STRATEGIES) {
    const { engine, calls } = fakeEngine();
    const state = await kind.create(engine, { config: CONFIG, strategy, bodyLayers: 2, switchAt: 10, fineLr: 0.001 });
    seen[strategy] = { calls: calls.map((c) => c[0]), frozen: state.trainer.frozen };
    if (strategy !== 'scratch') assert.deepEqual(calls.find((c) => c[0] === 'setWeights'), ['setWeights', 6, { layers: 2, freshHead: true }]);
    const snap = kind.snapshot(state, {}, () => 0).value;
    assert.equal(snap.frozen, state.trainer.frozen);
    assert.deepEqual(snap.rates, Array.from(state.trainer.layerRates()));
    assert.equal(kind.describe(state).strategy, strategy);
    assert.deepEqual(kind.describe(state).paramLayers, [0, 1]);
  }
  assert.deepEqual(seen.scratch, { calls: [], frozen: 0 });
  assert.deepEqual(seen.frozen, { calls: ['readWeightsFile', 'setWeights', 'setFrozen'], frozen: 2 });
  assert.deepEqual(seen.finetune, { calls: ['readWeightsFile', 'setWeights'], frozen: 0 });
  assert.deepEqual(seen.twostage, { calls: ['readWeightsFile', 'setWeights', 'setFrozen'], frozen: 2 });
  assert.equal(loads.n, 1, 'the weights file is fetched once for every run of the host');
});

test('two stages switch at their step exactly, whatever step counts are asked for', async () => {
  const { kind } = kindWithCounter();
  const { engine, calls } = fakeEngine();
  const state = await kind.create(engine, { config: CONFIG, strategy: 'twostage', bodyLayers: 2, switchAt: 10, fineLr: 0.001 });
  for (const n of [3, 4, 5, 1, 7]) kind.step(state, n);
  assert.equal(state.trainer.steps, 20);
  // Runs before step 10 are frozen at the first rate; from step 10 on, nothing frozen at the lower rate.
  for (const run of state.trainer.log) {
    if (run.at < 10) {
      assert.ok(run.at + run.n <= 10, `a first-stage run crosses the switch: ${JSON.stringify(run)}`);
      assert.deepEqual([run.frozen, run.lr], [2, 0.01]);
    } else {
      assert.deepEqual([run.frozen, run.lr], [0, 0.001]);
    }
  }
  const switches = calls.filter((c) => c[0] === 'setOptimizer');
  assert.deepEqual(switches, [['setOptimizer', { kind: 'momentum', lr: 0.001, momentum: 0.9 }, 10]]);
  assert.deepEqual(calls.filter((c) => c[0] === 'setFrozen').map((c) => c.slice(1)), [[2, 0], [0, 10]]);
  assert.deepEqual(kind.snapshot(state, {}, () => 0).value.rates, [0.001, 0.001]);
});

test('a switch at step 0 is the fine-tuning at the lower rate from the start', async () => {
  const { kind } = kindWithCounter();
  const { engine } = fakeEngine();
  const state = await kind.create(engine, { config: CONFIG, strategy: 'twostage', bodyLayers: 2, switchAt: 0, fineLr: 0.001 });
  assert.deepEqual([state.trainer.frozen, state.trainer.lr], [0, 0.001]);
});

test('bad strategies and two-stage settings are refused by name; a failed load is retried', async () => {
  let fail = true;
  const kind = transferTrainerKind({ loadWeights: async () => { if (fail) throw new Error('the pretrained network could not be loaded: HTTP 404'); return new Uint8Array(8); } });
  const { engine } = fakeEngine();
  await assert.rejects(kind.create(engine, { config: CONFIG, strategy: 'frozn' }), /strategy must be one of scratch, frozen, finetune, twostage, got "frozn"/);
  await assert.rejects(kind.create(engine, { config: CONFIG, strategy: 'twostage', switchAt: 1.5, fineLr: 0.001 }), /twostage needs switchAt/);
  await assert.rejects(kind.create(engine, { config: CONFIG, strategy: 'twostage', switchAt: 5, fineLr: 0 }), /fineLr/);
  await assert.rejects(kind.create(engine, { config: CONFIG, strategy: 'frozen' }), /HTTP 404/);
  fail = false;
  const state = await kind.create(engine, { config: CONFIG, strategy: 'frozen' });
  assert.equal(state.trainer.frozen, 2);
  // Scratch needs no file at all.
  fail = true;
  await kind.create(engine, { config: CONFIG, strategy: 'scratch' });
  assert.deepEqual(Array.from(kind.commands.weights(state)[0]), [1, 2]);
});
