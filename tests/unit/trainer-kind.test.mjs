// The engine host's Trainer kind in Node with a fake engine whose arrays are
// views over one scratch buffer that the next call overwrites (as wasm
// memory views are): a layer snapshot is a copy of the asked layer, a report
// is the trainer's evaluation, per-handle snapshot requests reach their own
// handle, and forward passes run in the asked mode and come back as copies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHostCore } from '../../www/workers/host-core.js';
import * as TrainerKind from '../../www/workers/kinds/trainer.js';

/** A fake Trainer: layer h's pre-activations are 10·h + steps + i, its dense outputs 100·h + i; batch norm only with `norm`. */
function fakeEngine() {
  const scratch = new Float32Array(64);
  const view = (n, f) => {
    for (let i = 0; i < n; i++) scratch[i] = f(i);
    return scratch.subarray(0, n);
  };
  class Trainer {
    constructor(config) {
      this.norm = Boolean(config.norm);
      this.steps = 0;
      this.lr = 0.1;
      this.classes = 2;
      this.parameterCount = 8;
      this.batchSize = config.batchSize;
      this.hiddenWidths = [4, 4];
      this.passes = [];
    }
    free() {}
    run(n) { this.steps += n; }
    train() { return { loss: 1, trainAccuracy: 0.5, valAccuracy: 0.5 }; }
    evaluate() { return { step: this.steps, trainLoss: 1 / (1 + this.steps), trainAccuracy: 0.5, valAccuracy: 0.25 }; }
    trainPoints() { return view(4, (i) => i); }
    valPoints() { return view(2, (i) => -i); }
    preActivations(h) { return view(8, (i) => 10 * h + this.steps + i); }
    denseOutputs(h) { return view(8, (i) => 100 * h + i); }
    batchNormStats(h) {
      return this.norm ? { batchMean: Float32Array.of(h), batchVar: Float32Array.of(1), runningMean: Float32Array.of(0), runningVar: Float32Array.of(1), momentum: 0.9 } : null;
    }
    forwardTrain(inputs) { this.passes.push('train'); return view(2, (i) => inputs[0] + i); }
    forwardEval(inputs) { this.passes.push('eval'); return view(2, (i) => -inputs[0] - i); }
  }
  return { Trainer };
}

function host() {
  return createHostCore(fakeEngine(), { kinds: { Trainer: TrainerKind } });
}

test('a layer snapshot copies the asked layer and its batch-norm statistics', async () => {
  const core = host();
  await core.handle({ op: 'create', handle: 1, kind: 'Trainer', spec: { config: { norm: true, batchSize: 2 } } });
  await core.handle({ op: 'create', handle: 2, kind: 'Trainer', spec: { config: { batchSize: 3 } } });
  const { value } = await core.handle({ id: 1, op: 'run', handles: [1, 2], steps: 3, snapshot: [{ layer: { index: 1 }, report: true }, { layer: { index: 0 } }] });
  const [norm, plain] = value.snapshots;
  // Taken after norm's: plain's arrays overwrote the scratch buffer, so norm's must be copies.
  assert.deepEqual(Array.from(norm.layer.preActivations), [13, 14, 15, 16, 17, 18, 19, 20]);
  assert.deepEqual(Array.from(norm.layer.denseOutputs), [100, 101, 102, 103, 104, 105, 106, 107]);
  assert.equal(norm.layer.index, 1);
  assert.equal(norm.layer.batchSize, 2);
  assert.deepEqual(Array.from(norm.layer.batchNormStats.batchMean), [1]);
  assert.deepEqual(norm.report, { step: 3, trainLoss: 0.25, trainAccuracy: 0.5, valAccuracy: 0.25 });
  assert.deepEqual(Array.from(plain.layer.preActivations), [3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(plain.layer.batchNormStats, null);
  assert.equal(plain.report, undefined, 'only the handle that asked gets a report');
});

test('forward passes run in their mode, in order, and answer copies; a bad mode is refused by name', async () => {
  const core = host();
  await core.handle({ op: 'create', handle: 1, kind: 'Trainer', spec: { config: { norm: true, batchSize: 2 } } });
  const { value } = await core.handle({ op: 'command', handle: 1, name: 'forward', args: [[{ mode: 'train', inputs: [5, 0] }, { mode: 'eval', inputs: [7, 0] }]] });
  assert.deepEqual(value.result.map((s) => Array.from(s)), [[5, 6], [-7, -8]]);
  await assert.rejects(core.handle({ op: 'command', handle: 1, name: 'forward', args: [[{ mode: 'test', inputs: [1, 0] }]] }), /mode is "train" or "eval", got "test"/);
});
