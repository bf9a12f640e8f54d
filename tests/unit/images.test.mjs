// The image lab's pure pieces in Node: its config builder (the runs differ
// only where the comparison says), the augmentation pipeline it builds,
// the test-digit picker, and the drawing pad's plain (uncentred) shrink.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { params, trainerConfig, augmentOps, runPlan, pickerIndices, CNN_LAYERS } from '../../www/demos/images.js';
import { downscale } from '../../www/ui/parts/drawing-pad.js';
import { decode } from '../../www/state.js';

const valuesOf = (query) => {
  const { values, rejected } = decode(params, new URLSearchParams(query));
  assert.deepEqual(rejected, []);
  return values;
};

test('the default compares one CNN without and with augmentation, equal in everything else', () => {
  const values = valuesOf('');
  const a = trainerConfig(values, 'a');
  const b = trainerConfig(values, 'b');
  assert.deepEqual(a.layers, CNN_LAYERS);
  assert.equal(a.augment, undefined);
  assert.deepEqual(b.augment, { ops: [{ kind: 'rotate', degrees: 12 }, { kind: 'translate', max_shift: 0.1 }] });
  assert.deepEqual({ ...b, augment: undefined }, { ...a, augment: undefined });
  assert.deepEqual(a.dataset, { kind: 'digits', perClass: 10, validationPerClass: 50, seed: 1 });
  assert.deepEqual(a.optimizer, { kind: 'momentum', lr: 0.01, momentum: 0.9 });
  assert.equal(a.seed, 1);
  assert.throws(() => trainerConfig(valuesOf('cmp=off'), 'b'), /no run 'b' with cmp=off/);
});

test('compare architectures: the same data, seed and augmentation; the other network', () => {
  const values = valuesOf('cmp=arch&aug=0&per=20&seed=7');
  const a = trainerConfig(values, 'a');
  const b = trainerConfig(values, 'b');
  assert.deepEqual([a.layers !== undefined, b.hidden], [true, [100]]);
  assert.equal(b.activation, 'relu');
  assert.equal(a.augment ?? b.augment, undefined);
  assert.deepEqual(a.dataset, b.dataset);
  assert.equal(a.dataset.perClass, 20);
  assert.equal(b.seed, 7);
  assert.deepEqual(runPlan(valuesOf('cmp=arch&arch=mlp')).map((r) => r.arch), ['mlp', 'cnn']);
  // One run follows the augment switch.
  assert.equal(trainerConfig(valuesOf('cmp=off&aug=0'), 'a').augment, undefined);
  assert.ok(trainerConfig(valuesOf('cmp=off'), 'a').augment);
});

test('every op and strength reaches the pipeline, in a fixed order', () => {
  const values = valuesOf('ops=vflip,noise,rotate,crop,zoom,cutout,hflip,translate&rot=30&shift=0.2&pad=4&zoom=0.5&cut=0.3&noise=0.05&flip=0.25');
  assert.deepEqual(augmentOps(values), [
    { kind: 'rotate', degrees: 30 },
    { kind: 'translate', max_shift: 0.2 },
    { kind: 'random_crop', size: [28, 28], padding: 4 },
    { kind: 'random_resized_crop', scale: [0.5, 1], ratio: [0.8, 1.25], size: [28, 28] },
    { kind: 'cutout', scale: [0.02, 0.3], p: 0.5 },
    { kind: 'noise', std: 0.05 },
    { kind: 'hflip', p: 0.25 },
    { kind: 'vflip', p: 0.25 },
  ]);
  assert.deepEqual(augmentOps(valuesOf('ops=')), []);
  assert.equal(trainerConfig(valuesOf('ops='), 'b').augment, undefined, 'no ops: no augment key');
});

test('the picker offers two digits of each class, then the next two', () => {
  const labels = Array.from({ length: 50 }, (_, i) => Math.floor(i / 5));
  assert.deepEqual(pickerIndices(labels, 0).slice(0, 6), [0, 1, 5, 6, 10, 11]);
  assert.deepEqual(pickerIndices(labels, 1).slice(0, 4), [2, 3, 7, 8]);
  // Past the end of a class it wraps around.
  assert.deepEqual(pickerIndices(labels, 2).slice(0, 2), [4, 0]);
  assert.equal(pickerIndices(labels, 0).length, 20);
});

test('downscale averages each cell\'s area and keeps the drawing where it was', () => {
  // 4×4 → 2×2: each output is the mean of a 2×2 block.
  const four = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  assert.deepEqual(Array.from(downscale(four, 4, 4, 2)), [1, 0, 0, 0.25]);
  // 3×3 → 2×2: a cell covers 1.5 × 1.5 pixels; the centre pixel counts a quarter in each.
  const centre = [0, 0, 0, 0, 1, 0, 0, 0, 0];
  for (const v of downscale(centre, 3, 3, 2)) assert.ok(Math.abs(v - 0.25 / 2.25) < 1e-7, String(v));
  const corner = [1, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(Array.from(downscale(corner, 3, 3, 2), (v) => Number(v.toFixed(6))), [Number((1 / 2.25).toFixed(6)), 0, 0, 0]);
  // A blob drawn in the top-left of a 280×280 pad stays in the top-left of 28×28.
  const pad = new Float32Array(280 * 280);
  for (let y = 20; y < 60; y++) for (let x = 30; x < 70; x++) pad[y * 280 + x] = 1;
  const small = downscale(pad, 280, 280, 28);
  const ink = [];
  small.forEach((v, i) => { if (v > 0) ink.push([i % 28, Math.floor(i / 28)]); });
  assert.deepEqual([Math.min(...ink.map((p) => p[0])), Math.max(...ink.map((p) => p[0]))], [3, 6]);
  assert.deepEqual([Math.min(...ink.map((p) => p[1])), Math.max(...ink.map((p) => p[1]))], [2, 5]);
  assert.ok(Math.abs(small.reduce((a, b) => a + b, 0) - (40 * 40) / 100) < 1e-3, 'ink is conserved (area / 100)');
});
