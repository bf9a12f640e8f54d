// The image lab's pure pieces in Node: its config builder (the runs differ
// only where the comparison says), the augmentation pipeline it builds,
// the test-digit picker, the drawing pad's plain (uncentred) shrink, and
// what the downloads hold (share link, curves CSV, confusion CSV, JSON).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { params, trainerConfig, augmentOps, runPlan, pickerIndices, CNN_LAYERS, shareLink, curveColumns, confusionCsv, resultsOf } from '../../www/demos/images.js';
import { csvFromColumns, jsonText } from '../../www/ui/download.js';
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
  assert.deepEqual(b.augment, { ops: [{ kind: 'rotate', degrees: 12 }, { kind: 'translate', maxShift: 0.1 }] });
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
    { kind: 'translate', maxShift: 0.2 },
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

test('the share link holds exactly the settings that differ from the defaults, and decodes back to them', () => {
  assert.equal(shareLink(valuesOf(''), 'https://example.org/lab/index.html?x=1#network?hidden=8'), 'https://example.org/lab/index.html?x=1#images');
  const values = valuesOf('per=20&ops=hflip,vflip&seed=4&cmp=arch');
  const link = new URL(shareLink(values, 'http://localhost:8000/'));
  const [demo, query] = link.hash.slice(1).split('?');
  assert.equal(demo, 'images');
  assert.deepEqual([...new URLSearchParams(query).keys()].sort(), ['cmp', 'ops', 'per', 'seed']);
  assert.deepEqual(valuesOf(query), values);
});

test('the curves CSV has a step column and four curves per run; a shorter run leaves empty cells', () => {
  const curves = (steps, base) => ({
    steps: Float64Array.from(steps),
    trainLoss: Float64Array.from(steps, (s) => base + s), valLoss: Float64Array.from(steps, (s) => base + s + 0.5),
    trainAccuracy: Float64Array.from(steps, () => 0.25), valAccuracy: Float64Array.from(steps, () => 0.125),
  });
  const csv = csvFromColumns(curveColumns([{ which: 'a', curves: curves([0, 10], 1) }, { which: 'b', curves: curves([0], 2) }, { which: 'c', curves: null }]));
  assert.equal(csv, [
    'a.step,a.trainLoss,a.valLoss,a.trainAccuracy,a.valAccuracy,b.step,b.trainLoss,b.valLoss,b.trainAccuracy,b.valAccuracy',
    '0,1,1.5,0.25,0.125,0,2,2.5,0.25,0.125',
    '10,11,11.5,0.25,0.125,,,,,',
    '',
  ].join('\r\n'));
});

test('the confusion CSV has a row per true class and a column per predicted class', () => {
  // counts[true * 3 + predicted]
  const counts = Uint32Array.from([5, 1, 0, 2, 7, 0, 0, 3, 9]);
  assert.equal(confusionCsv(counts, 3), 'true/predicted,0,1,2\r\n0,5,1,0\r\n1,2,7,0\r\n2,0,3,9\r\n');
});

test('the JSON download holds the link, the settings, each run\'s engine config, metrics, curves and last evaluation', () => {
  const values = valuesOf('per=5');
  const run = (which) => ({
    which, arch: 'cnn', augmented: which === 'b', steps: 12,
    metrics: { step: 12, loss: 0.5, trainLoss: 0.4, valLoss: 0.6, trainAccuracy: 0.9, valAccuracy: 0.8 },
    curves: { steps: Float64Array.from([0, 12]), trainLoss: Float64Array.from([2.3, 0.4]), valLoss: Float64Array.from([2.3, 0.6]),
      trainAccuracy: Float64Array.from([0.1, 0.9]), valAccuracy: Float64Array.from([0.1, 0.8]) },
    results: which === 'a' ? null : {
      step: 12, confusion: new Uint32Array(100).fill(5),
      mistakes: { indices: Uint32Array.from([7, 3]), labels: Uint8Array.from([4, 9]), predicted: Uint8Array.from([9, 4]), confidence: Float32Array.from([0.5, 0.25]), images: new Uint8Array(2 * 784) },
    },
  });
  const json = JSON.parse(jsonText(resultsOf(values, [run('a'), run('b')], 'http://h/#images?per=5')));
  assert.equal(json.link, 'http://h/#images?per=5');
  assert.equal(json.settings.per, 5);
  assert.deepEqual(json.runs.a.config, JSON.parse(JSON.stringify(trainerConfig(values, 'a'))));
  assert.deepEqual(json.runs.b.config.augment, trainerConfig(values, 'b').augment);
  assert.equal(json.runs.a.evaluation, null);
  assert.deepEqual(json.runs.b.curves.valAccuracy, [0.1, 0.8]);
  assert.equal(json.runs.b.evaluation.confusion.length, 100);
  assert.deepEqual(json.runs.b.evaluation.mistakes, { validationIndices: [7, 3], labels: [4, 9], predicted: [9, 4], confidence: [0.5, 0.25] });
});

test('every confusion-matrix cell keeps WCAG AA contrast (4.5:1) with its text colour, on the panel\'s white', async () => {
  const { shade } = await import('../../www/ui/parts/confusion-matrix.js');
  const linear = (c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const INK = [0x1d, 0x1d, 0x1f];
  const WHITE = [255, 255, 255];
  for (const diagonal of [true, false]) {
    for (let k = 0; k <= 100; k++) {
      const share = k / 100;
      const [r, g, b, a] = shade(diagonal, share).match(/[\d.]+/g).map(Number);
      assert.ok(a >= 0 && a <= 1, `opacity ${a}`);
      // The colour over white, as the page shows it.
      const shown = [r, g, b].map((c) => Math.round(255 * (1 - a) + c * a));
      const text = share > 0.5 ? WHITE : INK; // td.strong is white
      assert.ok(contrast(shown, text) >= 4.5, `${diagonal ? 'diagonal' : 'off'} share ${share}: ${contrast(shown, text).toFixed(2)}:1`);
    }
  }
  // Shading still grows with the share.
  assert.ok(Number(shade(true, 0.2).match(/[\d.]+\)$/)[0].slice(0, -1)) < Number(shade(true, 0.4).match(/[\d.]+\)$/)[0].slice(0, -1)));
});
