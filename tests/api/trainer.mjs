// Trainer: a small network whose weights are set by hand, checked against
// a plain-JavaScript reference in f64: one SGD step (loss, L2, every
// gradient), held-out validation accuracy and losses, the decision map and
// its probabilities, dropout masks and scaling (inverted and original), the
// ensemble gap against its expected rate, batch-norm statistics, curves,
// points, shapes and the chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';
import { fakeCanvas } from './fake-canvas.mjs';
import { crossEntropy, forward, softmaxRows } from './mlp.mjs';

/** A trainer on given points (no split unless asked), plain SGD, full batch. */
function trainerOn(points, labels, extra = {}) {
  return new api.Trainer({
    dataset: { kind: 'custom', x: Float64Array.from(points), y: Int32Array.from(labels) },
    validationSplit: 0,
    hidden: [3],
    activation: 'relu',
    optimizer: { kind: 'sgd', lr: 0.5 },
    l2: 0,
    batchSize: 1000,
    seed: 1,
    ...extra,
  });
}

const POINTS = [0.9, 0.3, -0.7, 0.8, 0.4, -0.6, -0.5, -0.9, 0.2, 0.7, -0.8, -0.1];
const LABELS = [0, 1, 0, 1, 1, 0];
const HAND = [
  [0.5, -0.3, 0.8, -0.4, 0.9, 0.2],
  [0.1, -0.1, 0.05],
  [0.3, -0.6, 0.7, 0.2, -0.5, 0.4],
  [0.05, -0.05],
];

test('Trainer: one SGD step moves every weight by lr × (its gradient + L2), by hand', () => {
  const l2 = 0.01;
  const lr = 0.5;
  const t = trainerOn(POINTS, LABELS, { l2, optimizer: { kind: 'sgd', lr } });
  t.setWeights(HAND.map((w) => Float32Array.from(w)));
  const [W1, b1, W2, b2] = HAND;
  const { z, h, s } = forward(HAND, POINTS, { hidden: 3, classes: 2 });
  const n = LABELS.length;
  const squares = [...W1, ...W2].reduce((a, w) => a + w * w, 0);
  const loss = crossEntropy(s, LABELS, 2) + 0.5 * l2 * squares;
  // Backward: dS = (softmax − onehot)/n, then through W2, ReLU, W1.
  const p = softmaxRows(s, 2);
  const dS = p.map((v, i) => (v - (LABELS[Math.floor(i / 2)] === i % 2 ? 1 : 0)) / n);
  const dW2 = W2.map((w, k) => {
    const [j, c] = [Math.floor(k / 2), k % 2];
    let g = l2 * w;
    for (let r = 0; r < n; r++) g += h[r * 3 + j] * dS[r * 2 + c];
    return g;
  });
  const db2 = [0, 1].map((c) => LABELS.reduce((a, _, r) => a + dS[r * 2 + c], 0));
  const dZ = z.map((v, i) => {
    const [r, j] = [Math.floor(i / 3), i % 3];
    return v > 0 ? dS[r * 2] * W2[j * 2] + dS[r * 2 + 1] * W2[j * 2 + 1] : 0;
  });
  const dW1 = W1.map((w, k) => {
    const [i, j] = [Math.floor(k / 3), k % 3];
    let g = l2 * w;
    for (let r = 0; r < n; r++) g += POINTS[2 * r + i] * dZ[r * 3 + j];
    return g;
  });
  const db1 = [0, 1, 2].map((j) => LABELS.reduce((a, _, r) => a + dZ[r * 3 + j], 0));

  approx(t.run(1), loss, 1e-6, 'loss of the step');
  const after = t.getWeights();
  assert.equal(after.length, 4);
  [[W1, dW1], [b1, db1], [W2, dW2], [b2, db2]].forEach(([w, g], k) => {
    assert.ok(after[k] instanceof Float32Array);
    approxAll(after[k], w.map((v, i) => v - lr * g[i]), 2e-6, `block ${k}`);
  });
  const history = t.lossHistory();
  assert.equal(history.length, 1);
  approx(history[0], loss, 1e-6, 'lossHistory[0]');
  assert.equal(t.steps, 1);
  // train(0) only evaluates: loss is the last step's, accuracy on the data.
  const report = t.train(0);
  assert.deepEqual(Object.keys(report), ['loss', 'trainAccuracy', 'valAccuracy']);
  approx(report.loss, loss, 1e-6);
  assert.equal(report.valAccuracy, null);
  const scores = forward(after.map((a) => [...a]), POINTS, { hidden: 3, classes: 2 }).s;
  const right = LABELS.filter((y, r) => (scores[2 * r + 1] > scores[2 * r] ? 1 : 0) === y).length;
  approx(report.trainAccuracy, right / n, 1e-12, 'train accuracy');
  assert.equal(t.steps, 1);
});

/** Hand weights for a 2 → 2 → 2 ReLU net that says class 0 right of x = 0, class 1 left. */
const SIDES = [[1, -1, 0, 0], [0, 0], [2, 0, 0, 2], [0, 0]];

test('Trainer: validation accuracy and loss come from the held-out points only', () => {
  // 40 points; labels agree with the hand classifier for y > 0 and disagree
  // for y < 0, so each set's accuracy is its share of points with y > 0.
  const points = [];
  const labels = [];
  for (let k = 0; k < 40; k++) {
    const x = ((k * 0.618) % 1) * 2 - 1 || 0.3;
    const y = ((k * 0.377 + 0.1) % 1) * 2 - 1;
    points.push(x, y);
    labels.push((x > 0 ? 0 : 1) ^ (y < 0 ? 1 : 0));
  }
  const t = trainerOn(points, labels, { validationSplit: 0.5, hidden: [2] });
  t.setWeights(SIDES.map((w) => Float32Array.from(w)));
  const train = [...t.trainPoints()];
  const trainLabels = [...t.trainLabels()];
  const val = [...t.valPoints()];
  const valLabels = [...t.valLabels()];
  assert.equal(val.length, 2 * 20, 'round(0.5 × 40) validation points');
  // Together they are the data, each point once.
  const key = (xs, ys) => ys.map((y, r) => `${Math.fround(xs[2 * r])},${Math.fround(xs[2 * r + 1])}:${y}`);
  assert.deepEqual([...key(train, trainLabels), ...key(val, valLabels)].sort(), key(points, labels).sort());
  const share = (xs) => xs.filter((_, i) => i % 2 === 1 && xs[i] > 0).length / (xs.length / 2);
  const report = t.train(0);
  approx(report.trainAccuracy, share(train), 1e-12, 'train accuracy');
  approx(report.valAccuracy, share(val), 1e-12, 'validation accuracy');
  assert.notEqual(share(train), share(val), 'this split must make the two sets differ');
  const evaluation = t.evaluate();
  const loss = (xs, ys) => crossEntropy(forward(SIDES, xs, { hidden: 2, classes: 2 }).s, ys, 2);
  approx(evaluation.trainLoss, loss(train, trainLabels), 1e-6, 'trainLoss');
  approx(evaluation.valLoss, loss(val, valLabels), 1e-6, 'valLoss');
  assert.equal(evaluation.step, 0);
  assert.equal(evaluation.lr, 0.5);
  approx(evaluation.valAccuracy, share(val), 1e-12);
});

const PALETTE = [[31, 119, 180], [255, 127, 14]];

test('Trainer.predictGrid and gridProbabilities: the decision map by hand', () => {
  const t = trainerOn(POINTS, LABELS, { hidden: [2] });
  t.setWeights(SIDES.map((w) => Float32Array.from(w)));
  const [w, h] = [8, 6];
  const pixels = t.predictGrid(-1, 1, -0.5, 1, w, h).slice();
  assert.ok(t.predictGrid(-1, 1, -0.5, 1, w, h) instanceof Uint8ClampedArray);
  const probs = [...t.gridProbabilities()];
  assert.equal(probs.length, w * h * 2);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const x = Math.fround(-1 + (col + 0.5) * 2 / w);
      const y = Math.fround(1 - (row + 0.5) * 1.5 / h);
      const { s } = forward(SIDES, [x, y], { hidden: 2, classes: 2 });
      const p = softmaxRows(s, 2);
      const cell = row * w + col;
      approxAll(probs.slice(cell * 2, cell * 2 + 2), p, 1e-6, `probabilities at (${col}, ${row})`);
      const best = p[1] > p[0] ? 1 : 0;
      const confidence = Math.min(1, Math.max(0, (p[best] - 0.5) / 0.5));
      const alpha = 0.15 + 0.5 * confidence;
      const want = PALETTE[best].map((v) => Math.floor(255 * (1 - alpha) + v * alpha));
      const got = [...pixels.slice(cell * 4, cell * 4 + 3)];
      assert.ok(got.every((v, c) => Math.abs(v - want[c]) <= 1), `pixel (${col}, ${row}): ${got} vs ${want}`);
      assert.equal(pixels[cell * 4 + 3], 255);
      // Right of x = 0 is class 0 (blue), left is class 1 (orange).
      assert.equal(best, x > 0 ? 0 : 1);
    }
  }
  throwsNaming(() => t.predictGrid(-1, 1, 0, 1, 4000, 2), '2048');
  throwsNaming(() => t.predictGrid(1, -1, 0, 1, 4, 4), 'x_min < x_max');
});

test('Trainer: dropout masks and their scaling, inverted and original', () => {
  const inputs = [];
  for (let k = 0; k < 200; k++) inputs.push(Math.sin(k * 1.3), Math.cos(k * 0.7));
  const weights = [[0.8, -0.6, 0.4, 1.1, 0.3, 0.9, -0.7, 0.5], [0.1, 0.2, 0.05, -0.1], [0.5, -0.4, 0.9, 0.2, -0.3, 0.6, 0.7, -0.8], [0.02, -0.02]];
  for (const mode of ['inverted', 'original']) {
    const t = trainerOn(POINTS, LABELS, { hidden: [4], dropout: 0.5, dropoutMode: mode });
    t.setWeights(weights.map((w) => Float32Array.from(w)));
    const scores = [...t.forwardTrain(Float64Array.from(inputs))];
    const mask = [...t.dropoutMask(0)];
    assert.equal(mask.length, 200 * 4);
    assert.ok(mask.every((m) => m === 0 || m === 1));
    const kept = mask.filter((m) => m === 1).length / mask.length;
    // 800 coin flips at p_keep = 0.5: ±0.1 is five standard deviations.
    assert.ok(Math.abs(kept - 0.5) < 0.1, `kept ${kept}`);
    // Inverted dropout scales kept units by 1/p_keep while training; the original keeps them as they are.
    const trainScale = mode === 'inverted' ? 2 : 1;
    const want = forward(weights, inputs, { hidden: 4, classes: 2, mask, scale: trainScale }).s;
    approxAll(scores, want, 1e-5, `${mode} training scores`);
    // Test time: "auto" is the run's convention, "keep" multiplies by p_keep, "none" by 1.
    const at = (scale) => forward(weights, inputs.slice(0, 20), { hidden: 4, classes: 2, scale }).s;
    const ten = Float64Array.from(inputs.slice(0, 20));
    approxAll(t.forwardEval(ten), at(mode === 'inverted' ? 1 : 0.5), 1e-5, `${mode} auto`);
    approxAll(t.forwardEval(ten, 'keep'), at(0.5), 1e-5, `${mode} keep`);
    approxAll(t.forwardEval(ten, 'none'), at(1), 1e-5, `${mode} none`);
    throwsNaming(() => t.forwardEval(ten, 'half'), 'testScale');
  }
});

test('Trainer.ensembleGap falls like its expected rate: exact for one mask, σ√(2/π)/√K for many', () => {
  // One hidden layer: each score is linear in the masks, so averaging K
  // masks leaves a deviation from the eval-mode score with standard
  // deviation σ/√K, σ² = Σⱼ (aⱼ wⱼ)² (1 − p)/p for p_keep = p.
  const inputs = [];
  for (let k = 0; k < 200; k++) inputs.push(Math.sin(k * 2.1) * 1.5, Math.cos(k * 1.7) * 1.5);
  const weights = [[0.8, -0.6, 0.4, 1.1, 0.3, 0.9, -0.7, 0.5], [0.1, 0.2, 0.05, -0.1], [0.5, -0.4, 0.9, 0.2, -0.3, 0.6, 0.7, -0.8], [0.02, -0.02]];
  const t = trainerOn(POINTS, LABELS, { hidden: [4], dropout: 0.5 });
  t.setWeights(weights.map((w) => Float32Array.from(w)));
  const gaps = t.ensembleGap(Float64Array.from(inputs), 400);
  assert.ok(gaps instanceof Float64Array);
  assert.equal(gaps.length, 400);
  const { h } = forward(weights, inputs, { hidden: 4, classes: 2 });
  let exactOne = 0;
  let sigmaSum = 0;
  for (let r = 0; r < 200; r++) {
    for (let c = 0; c < 2; c++) {
      const contributions = [0, 1, 2, 3].map((j) => h[r * 4 + j] * weights[2][j * 2 + c]);
      // K = 1: E|Σ cⱼ(mⱼ/p − 1)| over the 16 equally likely masks (p = 0.5).
      let mean = 0;
      for (let m = 0; m < 16; m++) {
        mean += Math.abs(contributions.reduce((a, cj, j) => a + cj * ((m >> j) & 1 ? 1 : -1), 0)) / 16;
      }
      exactOne += mean / 400;
      sigmaSum += Math.sqrt(contributions.reduce((a, cj) => a + cj * cj, 0)) / 400;
    }
  }
  const ratio = (got, want) => got / want;
  assert.ok(Math.abs(ratio(gaps[0], exactOne) - 1) < 0.15, `K = 1: ${gaps[0]} vs expected ${exactOne}`);
  for (const k of [100, 400]) {
    const expected = sigmaSum * Math.sqrt(2 / Math.PI) / Math.sqrt(k);
    assert.ok(Math.abs(ratio(gaps[k - 1], expected) - 1) < 0.15, `K = ${k}: ${gaps[k - 1]} vs expected ${expected}`);
  }
  throwsNaming(() => t.ensembleGap(Float64Array.from(inputs), 0), 'kMax');
});

test('Trainer: batch-norm statistics, running averages, activation inputs and shapes', () => {
  const t = trainerOn(POINTS, LABELS, { batchNorm: true, hidden: [3] });
  const shapes = t.weightShapes();
  assert.deepEqual(shapes.map(({ name, rows, cols }) => ({ name, rows, cols })), [
    { name: 'W1', rows: 2, cols: 3 }, { name: 'b1', rows: 1, cols: 3 },
    { name: 'gamma1', rows: 1, cols: 3 }, { name: 'beta1', rows: 1, cols: 3 },
    { name: 'W2', rows: 3, cols: 2 }, { name: 'b2', rows: 1, cols: 2 },
  ]);
  // dims: the full shape of each block (a vector is one dimension).
  assert.deepEqual(shapes.map((b) => b.dims.reduce((a, d) => a * d, 1)), shapes.map((b) => b.rows * b.cols));
  assert.equal(t.parameterCount, 6 + 3 + 3 + 3 + 6 + 2);
  const gamma = [1.5, 0.5, 2];
  const beta = [0.1, -0.2, 0.3];
  t.setWeights([HAND[0], HAND[1], gamma, beta, HAND[2], HAND[3]].map((w) => Float32Array.from(w)));
  const before = t.batchNormStats(0);
  assert.deepEqual(Object.keys(before), ['batchMean', 'batchVar', 'runningMean', 'runningVar', 'momentum']);
  approx(before.momentum, 0.1, 1e-7);
  const inputs = [0.3, -0.2, 0.9, 0.4, -0.6, 0.8, 0.1, 0.1, -0.4, -0.9];
  t.forwardTrain(Float64Array.from(inputs));
  const stats = t.batchNormStats(0);
  const { z } = forward(HAND, inputs, { hidden: 3, classes: 2 });
  const rows = 5;
  const mean = [0, 1, 2].map((j) => z.filter((_, i) => i % 3 === j).reduce((a, b) => a + b, 0) / rows);
  const variance = [0, 1, 2].map((j) => z.filter((_, i) => i % 3 === j).reduce((a, v) => a + (v - mean[j]) ** 2, 0) / rows);
  approxAll(stats.batchMean, mean, 1e-6, 'batch mean');
  approxAll(stats.batchVar, variance, 1e-6, 'batch variance (biased)');
  // PyTorch's running averages: momentum 0.1, the unbiased variance.
  approxAll(stats.runningMean, [0, 1, 2].map((j) => 0.9 * before.runningMean[j] + 0.1 * mean[j]), 1e-6, 'running mean');
  approxAll(stats.runningVar, [0, 1, 2].map((j) => 0.9 * before.runningVar[j] + 0.1 * variance[j] * rows / (rows - 1)), 1e-6, 'running variance');
  approxAll(t.denseOutputs(0), z, 1e-6, 'dense outputs');
  const normalised = z.map((v, i) => gamma[i % 3] * (v - mean[i % 3]) / Math.sqrt(variance[i % 3] + 1e-5) + beta[i % 3]);
  approxAll(t.preActivations(0), normalised, 1e-5, 'activation inputs after batch norm');
  assert.equal(t.preActivations(7).length, 0, 'no such layer: empty');
  assert.equal(trainerOn(POINTS, LABELS).batchNormStats(0), null);
});

test('Trainer: sizes, schedules, points, curves and errors', () => {
  const t = trainerOn(POINTS, LABELS, {
    hidden: [5, 4],
    optimizer: { kind: 'sgd', lr: 0.4, schedule: { kind: 'step', gamma: 0.5, every: 3 } },
    batchSize: 4,
  });
  assert.equal(t.classes, 2);
  assert.equal(t.batchSize, 4);
  assert.deepEqual([...t.hiddenWidths], [5, 4]);
  assert.equal(t.parameterCount, 2 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2);
  for (let k = 0; k < 8; k++) {
    approx(t.lr, 0.4 * 0.5 ** Math.floor(k / 3), 1e-15, `lr before step ${k}`);
    t.run(1);
  }
  assert.equal(t.lossHistory().length, 8);
  assert.ok(Number.isNaN(trainerOn(POINTS, LABELS).run(0)), 'no step, no loss');
  // Curves: one record per train() call, at the step it ended on.
  const u = trainerOn(POINTS, LABELS, { validationSplit: 0.5 });
  const seen = [];
  for (const steps of [0, 5, 5]) {
    u.train(steps);
    seen.push(u.evaluate());
  }
  assert.deepEqual([...u.evalSteps()], [0, 5, 10]);
  for (const [name, key] of [['trainLoss', 'trainLoss'], ['valLoss', 'valLoss'], ['trainAccuracy', 'trainAccuracy'], ['valAccuracy', 'valAccuracy']]) {
    approxAll(u.evalHistory(name), seen.map((e) => e[key]), 1e-12, name);
  }
  throwsNaming(() => u.evalHistory('testLoss'), 'testLoss');
  // Points: added to the training set, removed by nearest within a radius.
  const count = u.trainLabels().length;
  u.addPoint(0.25, -0.75, 1);
  assert.equal(u.trainLabels().length, count + 1);
  assert.deepEqual([...u.trainPoints().slice(-2)], [0.25, -0.75]);
  assert.equal(u.trainLabels()[count], 1);
  throwsNaming(() => u.addPoint(0, 0, 2), 'label', 'classes = 2');
  assert.equal(u.removePoint(5, 5, 0.1), false);
  assert.equal(u.removePoint(0.26, -0.74, 0.1), true);
  assert.equal(u.trainLabels().length, count);
  throwsNaming(() => u.removePoint(0, 0, -1), 'radius');
  throwsNaming(() => u.setWeights([new Float32Array(6)]), '4 arrays');
  throwsNaming(() => u.setWeights([new Float32Array(5), new Float32Array(3), new Float32Array(6), new Float32Array(2)]), 'W1', '6 values');
  throwsNaming(() => u.run(-1), 'steps');
  throwsNaming(() => trainerOn(POINTS, LABELS, { hidden: [0] }), 'hidden');
  u.free();
});

test('Trainer.drawChart draws the training and validation curves in their colours', () => {
  const t = trainerOn(POINTS, LABELS, { validationSplit: 0.5 });
  for (let k = 0; k < 4; k++) t.train(10);
  const canvas = fakeCanvas(400, 240);
  t.drawChart(canvas, { metric: 'loss', trainColor: '#123456', valColor: '#abcdef' });
  // 40 steps of curves in each colour (plotters writes them as rgba()).
  assert.ok(canvas.context.linesIn('rgba(18,52,86,1)') >= 30, 'training curve');
  assert.ok(canvas.context.linesIn('rgba(171,205,239,1)') >= 30, 'validation curve');
  // Without validation data there is no second curve.
  const alone = trainerOn(POINTS, LABELS);
  for (let k = 0; k < 4; k++) alone.train(5);
  const single = fakeCanvas(400, 240);
  alone.drawChart(single, { metric: 'accuracy', trainColor: '#123456', valColor: '#abcdef' });
  assert.ok(single.context.linesIn('rgba(18,52,86,1)') >= 10);
  assert.equal(single.context.linesIn('rgba(171,205,239,1)'), 0);
  const small = fakeCanvas(20, 20);
  t.drawChart(small, { metric: 'accuracy' });
  assert.equal(small.context.calls.length, 0, 'a canvas not laid out yet is left alone');
  throwsNaming(() => t.drawChart(fakeCanvas(400, 240), { metric: 'speed' }), 'metric');
  throwsNaming(() => t.drawChart(fakeCanvas(400, 240), { colour: '#fff' }), "'colour'");
});
