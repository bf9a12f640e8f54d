// The Trainer on images: a conv → ReLU → max-pool → dense network with
// weights set by hand against a plain-JavaScript forward pass (forward to
// any layer, predict), the layer table, evaluation in pieces with its
// confusion matrix and most confidently wrong examples, kernel and feature
// mosaics in the documented colours, and centerDigit by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';

const [W, H] = [5, 5];
const N = 12;
/** Twelve 5×5 grey images with varied values, labels alternating. */
const IMAGES = Float32Array.from({ length: N * W * H }, (_, i) => ((i * 37) % 19) / 19 - 0.3 * ((i >> 3) % 2));
const LABELS = Int32Array.from({ length: N }, (_, i) => (i * 7) % 2);

function imageTrainer(layers, extra = {}) {
  return new api.Trainer({
    dataset: { kind: 'images', width: W, height: H, channels: 1, x: IMAGES, y: LABELS },
    validationSplit: 0.5, layers, optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 6, seed: 3, ...extra,
  });
}

const CONV_W = [0.5, -0.25, 0.75, 0.1, -0.6, 0.3, 0.2, -0.4]; // [2 filters][1][2][2]
const CONV_B = [0.05, -0.1];
const DENSE_W = Array.from({ length: 16 }, (_, k) => ((k * 5) % 7) / 7 - 0.4); // [8][2]
const DENSE_B = [0.1, -0.2];

/** conv(2 filters, 2×2) → ReLU → max-pool 2 → dense 2, for one 5×5 image. */
function byHand(image) {
  const conv = [];
  for (let f = 0; f < 2; f++) {
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let v = CONV_B[f];
        for (let ki = 0; ki < 2; ki++) for (let kj = 0; kj < 2; kj++) v += image[(i + ki) * W + j + kj] * CONV_W[f * 4 + ki * 2 + kj];
        conv.push(v);
      }
    }
  }
  const relu = conv.map((v) => Math.max(0, v));
  const pool = [];
  for (let f = 0; f < 2; f++) {
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const at = (di, dj) => relu[f * 16 + (2 * i + di) * 4 + 2 * j + dj];
        pool.push(Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1)));
      }
    }
  }
  const logits = [0, 1].map((u) => DENSE_B[u] + pool.reduce((a, v, k) => a + v * DENSE_W[k * 2 + u], 0));
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const probs = e.map((v) => v / (e[0] + e[1]));
  return { conv, relu, pool, logits, probs };
}

const LAYERS = [{ kind: 'conv', filters: 2, size: 2 }, { kind: 'relu' }, { kind: 'maxpool', size: 2 }, { kind: 'dense', units: 2 }];
const imageOf = (data, n) => data.slice(n * W * H, (n + 1) * W * H);

function handSet(t) {
  t.setWeights([CONV_W, CONV_B, DENSE_W, DENSE_B].map((w) => Float32Array.from(w)));
}

test('image Trainer: forward to any layer, predict, and the layer table by hand', () => {
  const t = imageTrainer(LAYERS);
  handSet(t);
  assert.deepEqual([...t.inputShape], [1, 5, 5]);
  const info = t.layerInfo();
  assert.deepEqual(info.map((l) => [l.index, l.kind, l.outputShape, l.parameters]), [
    [0, 'conv', [2, 4, 4], 10], [1, 'relu', [2, 4, 4], 0], [2, 'maxpool', [2, 2, 2], 0], [3, 'dense', info[3].outputShape, 18],
  ]);
  assert.equal(info[3].outputShape.reduce((a, b) => a * b, 1), 2);
  assert.deepEqual(t.weightShapes().map((b) => [b.name, b.dims]), [['W1', [2, 1, 2, 2]], ['b1', [2]], ['W2', [8, 2]], ['b2', [2]]]);
  const three = IMAGES.slice(0, 3 * W * H);
  const want = [0, 1, 2].map((n) => byHand(imageOf(IMAGES, n)));
  approxAll(t.forward(three), want.flatMap((w) => w.logits), 1e-5, 'logits');
  approxAll(t.predict(three), want.flatMap((w) => w.probs), 1e-5, 'probabilities');
  // A stack ending in the conv returns its feature maps; one ending in ReLU, those.
  const convOnly = imageTrainer([LAYERS[0]]);
  convOnly.setWeights([CONV_W, CONV_B].map((w) => Float32Array.from(w)));
  approxAll(convOnly.forward(three), want.flatMap((w) => w.conv), 1e-5, 'conv feature maps');
  throwsNaming(() => convOnly.predict(three), 'dense');
  throwsNaming(() => t.forward(IMAGES.slice(0, 30)), '25');
  throwsNaming(() => t.predictGrid(0, 1, 0, 1, 4, 4), 'image');
});

test('image Trainer: evaluation in pieces, the confusion matrix and the most confidently wrong', () => {
  const t = imageTrainer(LAYERS);
  handSet(t);
  const val = [...t.valPoints()];
  const valLabels = [...t.valLabels()];
  const train = [...t.trainPoints()];
  const trainLabels = [...t.trainLabels()];
  assert.equal(val.length, 6 * W * H, 'half of twelve images held out, as pixels');
  assert.equal(train.length + val.length, IMAGES.length);
  const start = t.startEvaluation({ trainLimit: 4 });
  assert.deepEqual(start, { evaluated: 0, total: 4 + 6, done: false });
  let progress;
  let calls = 0;
  do {
    progress = t.continueEvaluation(3);
    calls += 1;
    assert.ok(progress.evaluated <= Math.min(10, 3 * calls));
  } while (!progress.done);
  assert.deepEqual([progress.evaluated, progress.total, calls], [10, 10, 4]);
  const probs = [0, 1, 2, 3, 4, 5].map((n) => byHand(val.slice(n * 25, (n + 1) * 25)).probs);
  approxAll(t.validationProbabilities(), probs.flat(), 1e-5, 'validation probabilities');
  const predicted = probs.map((p) => (p[1] > p[0] ? 1 : 0));
  const result = t.evaluationResult();
  approx(result.valAccuracy, predicted.filter((c, n) => c === valLabels[n]).length / 6, 1e-12, 'valAccuracy');
  approx(result.valLoss, -probs.reduce((a, p, n) => a + Math.log(p[valLabels[n]]), 0) / 6, 1e-5, 'valLoss');
  const trainProbs = [0, 1, 2, 3].map((n) => byHand(train.slice(n * 25, (n + 1) * 25)).probs);
  approx(result.trainAccuracy, trainProbs.filter((p, n) => (p[1] > p[0] ? 1 : 0) === trainLabels[n]).length / 4, 1e-12, 'trainAccuracy over the first four');
  assert.deepEqual([result.evaluated, result.total, result.done, result.step], [10, 10, true, 0]);
  const matrix = [0, 0, 0, 0];
  predicted.forEach((c, n) => { matrix[valLabels[n] * 2 + c] += 1; });
  assert.deepEqual([...t.confusionMatrix()], matrix);
  const wrong = predicted.map((c, n) => ({ n, c, confidence: probs[n][c] })).filter(({ n, c }) => c !== valLabels[n])
    .sort((a, b) => b.confidence - a.confidence);
  const worst = t.mostConfidentlyWrong(2);
  assert.deepEqual([...worst.indices], wrong.slice(0, 2).map((w) => w.n));
  assert.deepEqual([...worst.predicted], wrong.slice(0, 2).map((w) => w.c));
  assert.deepEqual([...worst.labels], wrong.slice(0, 2).map((w) => valLabels[w.n]));
  approxAll(worst.confidence, wrong.slice(0, 2).map((w) => w.confidence), 1e-5);
  assert.equal(worst.probabilities.length, 2 * Math.min(2, wrong.length));
});

const diverging = (t) => {
  const fade = Math.round(255 * (1 - Math.min(1, Math.abs(t))));
  return t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255];
};
const grey = (t) => {
  const v = Math.round(255 * Math.min(1, Math.max(0, t)));
  return [v, v, v, 255];
};

/** Checks every tile of a mosaic against colour(tile, x, y), and the transparent gaps. */
function checkMosaic(m, count, tileW, tileH, scale, colour) {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  assert.deepEqual([m.columns, m.rows, m.tileWidth, m.tileHeight, m.scale], [columns, rows, tileW, tileH, scale]);
  assert.deepEqual([m.width, m.height], [columns * tileW * scale + columns - 1, rows * tileH * scale + rows - 1]);
  assert.equal(m.pixels.length, m.width * m.height * 4);
  const px = (x, y) => [...m.pixels.slice((y * m.width + x) * 4, (y * m.width + x) * 4 + 4)];
  for (let tile = 0; tile < count; tile++) {
    const [left, top] = [(tile % columns) * (tileW * scale + 1), Math.floor(tile / columns) * (tileH * scale + 1)];
    for (let y = 0; y < tileH; y++) {
      for (let x = 0; x < tileW; x++) {
        const want = colour(tile, x, y);
        for (const [dx, dy] of [[0, 0], [scale - 1, scale - 1]]) {
          const got = px(left + x * scale + dx, top + y * scale + dy);
          assert.ok(got.every((v, c) => Math.abs(v - want[c]) <= 1), `tile ${tile} (${x}, ${y}): ${got} vs ${want}`);
        }
      }
    }
  }
  if (columns > 1) assert.equal(px(tileW * scale, 0)[3], 0, 'the gap is transparent');
}

test('image Trainer: kernels and feature maps as mosaics in the documented colours', () => {
  const t = imageTrainer(LAYERS);
  handSet(t);
  const largest = Math.max(...CONV_W.map(Math.abs));
  checkMosaic(t.filterTiles(undefined, { scale: 3 }), 2, 2, 2, 3, (f, x, y) => diverging(CONV_W[f * 4 + y * 2 + x] / largest));
  const image = imageOf(IMAGES, 5);
  const { conv, relu } = byHand(image);
  // After ReLU: grey from 0 to the layer's largest value.
  const top = Math.max(...relu);
  checkMosaic(t.featureMaps(image, 1, { scale: 2 }), 2, 4, 4, 2, (f, x, y) => grey(relu[f * 16 + y * 4 + x] / top));
  // The conv's own output has negatives: the diverging map.
  const m = Math.max(...conv.map(Math.abs));
  assert.ok(conv.some((v) => v < 0));
  checkMosaic(t.featureMaps(image, 0, {}), 2, 4, 4, 2, (f, x, y) => diverging(conv[f * 16 + y * 4 + x] / m));
  throwsNaming(() => t.featureMaps(IMAGES.slice(0, 50), 1, {}), 'one example');
  throwsNaming(() => t.featureMaps(image, 9, {}), 'layer must be below 4');
});

test('centerDigit: the ink\'s box scaled into 20 × 20 (aspect kept), centre of mass at the centre of 28 × 28', () => {
  // A 2 × 4 block of ink in a 10 × 10 drawing scales to 10 × 20 and lands on columns 9–18, rows 4–23.
  const drawing = new Float32Array(100);
  for (let y = 3; y < 7; y++) for (let x = 6; x < 8; x++) drawing[y * 10 + x] = 1;
  const out = api.centerDigit(drawing, 10, 10);
  assert.equal(out.length, 784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const inside = x >= 9 && x < 19 && y >= 4 && y < 24;
      assert.ok(Math.abs(out[y * 28 + x] - (inside ? 1 : 0)) < 1e-6, `(${x}, ${y}) = ${out[y * 28 + x]}`);
    }
  }
  assert.ok(api.centerDigit(new Float32Array(16), 4, 4).every((v) => v === 0), 'an empty drawing gives zeros');
  throwsNaming(() => api.centerDigit(new Float32Array(10), 4, 4), '16');
});
