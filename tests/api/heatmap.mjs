// Heatmap: the statistics and every pixel, against the documented
// rendering redrawn here (pixel centres, log levels, the colour map's
// control points, contour darkening, grey for non-finite cells).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, throwsNaming } from './harness.mjs';

const STOPS = [[13, 8, 64], [40, 60, 140], [31, 120, 150], [60, 170, 120], [170, 210, 80], [250, 245, 180]];
const TABLE = Array.from({ length: 256 }, (_, i) => {
  const t = i / 255 * 5;
  const k = Math.min(Math.floor(t), 4);
  const f = t - k;
  return STOPS[k].map((a, c) => Math.min(255, Math.max(0, Math.round(a + (STOPS[k + 1][c] - a) * f))));
});

function renderByHand(s, width, height, view = s.bounds()) {
  const values = [];
  for (let row = 0; row < height; row++) {
    const y = view.yMax - (row + 0.5) * (view.yMax - view.yMin) / height;
    for (let col = 0; col < width; col++) values.push(s.value(view.xMin + (col + 0.5) * (view.xMax - view.xMin) / width, y));
  }
  const finite = values.filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const range = max - min;
  const scale = range > 0 && Number.isFinite(range) ? range * 1e-3 : 1;
  const top = Math.max(Math.log(1 + Math.max(range, 0) / scale), Number.MIN_VALUE);
  const rgba = new Uint8Array(width * height * 4);
  const bands = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      rgba.set([120, 120, 120, 255], i * 4);
      bands.push(null);
      return;
    }
    const level = Math.min(1, Math.max(0, Math.fround(Math.log(Math.fround(1 + (v - min) / scale))) / top));
    rgba.set([...TABLE[level > 0 ? Math.min(255, Math.floor(level * 255)) : 0], 255], i * 4);
    bands.push(Math.floor(level * 14));
  });
  for (let i = 0; i < values.length; i++) {
    if (bands[i] === null) continue;
    const col = i % width;
    const differs = (j) => bands[j] !== null && bands[j] !== bands[i];
    if ((col + 1 < width && differs(i + 1)) || (i + width < values.length && differs(i + width))) {
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.floor(rgba[i * 4 + c] * 3 / 5);
    }
  }
  return { rgba, min, max, nonFinite: values.length - finite.length };
}

function comparePixels(got, want, what) {
  const pixels = got.length / 4;
  let same = 0;
  for (let i = 0; i < pixels; i++) {
    if ([0, 1, 2, 3].every((c) => got[i * 4 + c] === want[i * 4 + c])) same += 1;
  }
  // Levels are computed in f32; a cell right at a colour step may land on
  // the neighbouring entry.
  assert.ok(same >= 0.995 * pixels, `${what}: ${same} of ${pixels} pixels as documented`);
}

test('Heatmap.render: statistics and pixels of built-in and typed surfaces', () => {
  const cases = [
    [new api.Surface('rosenbrock'), 64, 48],
    [new api.Surface({ name: 'quadratic', condition: 20, rotation: 30 }), 50, 50],
    // Asymmetric in y: a top/bottom mix-up shows at once.
    [new api.Surface({ expr: 'y + 0.1*x^2', range: 2 }), 40, 30],
    // Undefined for x ≤ 0: those cells are grey and counted.
    [new api.Surface({ expr: 'log(x) + y^2', range: 1 }), 33, 20],
  ];
  for (const [s, w, h] of cases) {
    const map = new api.Heatmap(w, h);
    assert.equal(map.width, w);
    assert.equal(map.height, h);
    const stats = map.render(s);
    const want = renderByHand(s, w, h);
    assert.deepEqual(Object.keys(stats), ['min', 'max', 'nonFinite']);
    approx(stats.min, want.min, 1e-12, 'min');
    approx(stats.max, want.max, 1e-12, 'max');
    assert.equal(stats.nonFinite, want.nonFinite);
    const pixels = map.pixels();
    assert.ok(pixels instanceof Uint8ClampedArray);
    comparePixels(pixels, want.rgba, s.expression ?? s.name);
    map.free();
  }
  // log(x): the left half of a 33-wide grid over [−1, 1] (x ≤ 0 at columns 0–16) is grey.
  const map = new api.Heatmap(33, 20);
  assert.equal(map.render(new api.Surface({ expr: 'log(x) + y^2', range: 1 })).nonFinite, 17 * 20);
  assert.deepEqual([...map.pixels().slice(0, 4)], [120, 120, 120, 255]);
});

test('Heatmap.render over an explicit view, and bad sizes and views', () => {
  const s = new api.Surface('himmelblau');
  const view = { xMin: 2, xMax: 4, yMin: 1, yMax: 3 };
  const map = new api.Heatmap(30, 30);
  const stats = map.render(s, view.xMin, view.xMax, view.yMin, view.yMax);
  const want = renderByHand(s, 30, 30, view);
  approx(stats.min, want.min, 1e-12, 'min');
  comparePixels(map.pixels(), want.rgba, 'himmelblau zoomed');
  throwsNaming(() => new api.Heatmap(0, 10), 'heatmap size');
  throwsNaming(() => new api.Heatmap(10, 5000), 'heatmap size');
  throwsNaming(() => map.render(s, 1, 1, 0, 1), 'positive');
  // A refused render leaves the last picture in place.
  comparePixels(map.pixels(), want.rgba, 'after a refused render');
  map.free();
  assert.throws(() => map.pixels());
});
