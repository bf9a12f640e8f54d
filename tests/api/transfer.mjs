// Transfer learning's part of the Trainer by value: which layers have
// parameters, frozen layers (bit-identical after a step, rate 0), per-layer
// rate factors and a new optimizer (each layer's update against an
// unfrozen twin's, scaled by exactly its factor), copying the first layers
// from another Trainer, and the shipped weights file read back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, approx, approxAll, REPO_ROOT, throwsNaming } from './harness.mjs';

const [W, H, N] = [5, 5, 12];
const IMAGES = Float32Array.from({ length: N * W * H }, (_, i) => ((i * 29) % 17) / 17 - 0.25 * ((i >> 4) % 2));
const LABELS = Int32Array.from({ length: N }, (_, i) => (i * 5) % 2);
// Two layers with parameters: the conv (layer 0) and the dense head (layer 3).
const LAYERS = [{ kind: 'conv', filters: 2, size: 2 }, { kind: 'relu' }, { kind: 'maxpool', size: 2 }, { kind: 'dense', units: 2 }];
const LR = 0.1;

function trainer(seed = 4) {
  return new api.Trainer({
    dataset: { kind: 'images', width: W, height: H, channels: 1, x: IMAGES, y: LABELS },
    validationSplit: 0.5, layers: LAYERS, optimizer: { kind: 'sgd', lr: LR }, batchSize: 6, seed,
  });
}

const copy = (t) => t.getWeights().map((w) => Float32Array.from(w));
/** The change of every block over one step. */
function stepDelta(t) {
  const before = copy(t);
  t.run(1);
  return t.getWeights().map((w, b) => Float32Array.from(w, (v, i) => v - before[b][i]));
}
const scaled = (blocks, factors) => blocks.map((d, b) => Float32Array.from(d, (v) => v * factors[b]));
const nonzero = (d) => d.some((v) => v !== 0);

test('paramLayers names the layers with parameters; frozen layers keep every bit and get rate 0', () => {
  const t = trainer();
  assert.deepEqual([...t.paramLayers()], [0, 3]);
  assert.equal(t.frozen, 0);
  approxAll(t.layerRates(), [LR, LR], 1e-15, 'rates');
  const free = stepDelta(trainer());
  assert.ok(free.every(nonzero), 'an unfrozen step moves every block');

  t.setFrozen(1);
  assert.equal(t.frozen, 1);
  approxAll(t.layerRates(), [0, LR], 1e-15, 'rates with the conv frozen');
  const before = copy(t);
  const delta = stepDelta(t);
  assert.deepEqual(t.getWeights()[0], before[0], 'conv weights bit-identical');
  assert.deepEqual(t.getWeights()[1], before[1], 'conv bias bit-identical');
  // The head's gradient does not depend on whether the body learns: same update as the twin's.
  approxAll(delta[2], free[2], 1e-6, 'head weights');
  approxAll(delta[3], free[3], 1e-6, 'head bias');

  t.setFrozen(0);
  assert.ok(stepDelta(t).every(nonzero), 'unfrozen again, every block moves');
  for (const bad of [-1, 3, 1.5, Number.NaN, '1']) throwsNaming(() => t.setFrozen(bad), 'frozen');
  assert.equal(t.frozen, 0, 'a refused value changes nothing');
});

test('lrMultipliers scale each layer by exactly its factor; setOptimizer swaps the rate', () => {
  const free = stepDelta(trainer());
  const t = trainer();
  assert.equal(t.lrMultipliers, undefined, 'no factors: undefined (the .d.ts says Float64Array | undefined)');
  t.setLrMultipliers([0.5, 2]);
  assert.deepEqual([...t.lrMultipliers], [0.5, 2]);
  approxAll(t.layerRates(), [0.05, 0.2], 1e-15, 'rates');
  const delta = stepDelta(t);
  const expected = scaled(free, [0.5, 0.5, 2, 2]);
  delta.forEach((d, b) => approxAll(d, expected[b], 1e-5, `block ${b}`));
  throwsNaming(() => t.setLrMultipliers([1]), 'lrMultipliers');
  throwsNaming(() => t.setLrMultipliers([1, -2]), 'lrMultipliers');
  assert.deepEqual([...t.lrMultipliers], [0.5, 2], 'a refused list keeps the old one');
  t.setLrMultipliers(null);
  assert.equal(t.lrMultipliers, undefined, 'no factors: undefined (the .d.ts says Float64Array | undefined)');

  const u = trainer();
  u.setOptimizer({ kind: 'sgd', lr: 0.01 });
  approxAll(u.layerRates(), [0.01, 0.01], 1e-15, 'rates after setOptimizer');
  const slow = stepDelta(u);
  const tenth = scaled(free, [0.1, 0.1, 0.1, 0.1]);
  slow.forEach((d, b) => approxAll(d, tenth[b], 1e-5, `block ${b} at a tenth of the rate`));
  throwsNaming(() => u.setOptimizer({ kind: 'sgd', lr: -1 }), 'lr');
  approxAll(u.layerRates(), [0.01, 0.01], 1e-15, 'a refused optimizer keeps the old one');
});

test('copyLayersFrom copies the first layers with parameters and nothing else', () => {
  const source = trainer(11);
  const target = trainer(4);
  const [src, own] = [copy(source), copy(target)];
  assert.notDeepEqual(src[0], own[0], 'two seeds start apart');
  target.copyLayersFrom(source, 1);
  const now = target.getWeights();
  assert.deepEqual(now[0], src[0]);
  assert.deepEqual(now[1], src[1]);
  assert.deepEqual(now[2], own[2], 'the head stays');
  assert.deepEqual(now[3], own[3]);
  throwsNaming(() => target.copyLayersFrom(source, 3), 'layers');
});

test('readWeightsFile reads the shipped source network: blocks, dims and values, and refuses corrupt bytes', () => {
  const bytes = new Uint8Array(readFileSync(path.join(REPO_ROOT, 'www/assets/pretrained-digits04.bin')));
  const file = api.readWeightsFile(bytes);
  const meta = JSON.parse(file.meta);
  assert.equal(typeof meta, 'object');
  assert.deepEqual(file.blocks.map((b) => b.name), ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
  assert.deepEqual(file.blocks.map((b) => b.values.length), [400, 16, 12800, 32, 2560, 5]);
  for (const b of file.blocks) {
    assert.equal(b.dims.reduce((a, d) => a * d, 1), b.values.length, `${b.name} dims`);
    assert.ok(b.values.every(Number.isFinite), `${b.name} finite`);
  }
  const spread = file.blocks[2].values.reduce((a, v) => a + v * v, 0);
  assert.ok(spread > 0, 'a trained layer is not all zeros');
  throwsNaming(() => api.readWeightsFile(bytes.subarray(0, bytes.length - 7)));
  throwsNaming(() => api.readWeightsFile(new Uint8Array([1, 2, 3])));
  approx(file.blocks[4].values.length, 512 * 5, 0, 'head 512 → 5');
});
