// DotLayer: every pixel of stamped dots against the documented rule,
// recomputed here (coverage clamp(edge + 0.5 − d, 0, 1) from each pixel's
// centre, body inside radius − lineWidth/2, rim out to radius + lineWidth/2,
// source-over onto a transparent layer, classes drawn in order).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, throwsNaming } from './harness.mjs';

const COLORS = ['#c81e28', '#143cdc'];
const RGB = [[200, 30, 40], [20, 60, 220]];

function byHand(width, height, dots) {
  const rgba = new Float64Array(width * height * 4);
  for (const { x, y, cls, radius, lineWidth, hollow } of dots) {
    const outer = radius + lineWidth / 2;
    const inner = radius - lineWidth / 2;
    const body = hollow ? [255, 255, 255] : RGB[cls % RGB.length];
    const rim = hollow ? RGB[cls % RGB.length] : [255, 255, 255];
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const d = Math.hypot(px + 0.5 - x, py + 0.5 - y);
        const all = Math.min(1, Math.max(0, outer + 0.5 - d));
        if (all <= 0) continue;
        const ofBody = Math.min(1, Math.max(0, inner + 0.5 - d));
        const at = (py * width + px) * 4;
        const under = rgba[at + 3];
        const kept = under * (1 - all);
        const out = all + kept;
        for (let c = 0; c < 3; c++) {
          const color = (ofBody * body[c] + (all - ofBody) * rim[c]) / all;
          rgba[at + c] = (color * all + rgba[at + c] * kept) / out;
        }
        rgba[at + 3] = out;
      }
    }
  }
  return rgba;
}

test('DotLayer.draw: filled and hollow dots, edges and overlaps, pixel by pixel', () => {
  const [w, h] = [40, 30];
  const layer = new api.DotLayer(w, h);
  assert.deepEqual([layer.width, layer.height], [w, h]);
  assert.ok(layer.pixels().every((b) => b === 0), 'a new layer is transparent');
  // Class 1 listed first is still drawn after class 0; the third dot overlaps both.
  const filled = { radius: 5.3, lineWidth: 1.5, hollow: false };
  const hollow = { radius: 4, lineWidth: 2, hollow: true };
  const first = [[18.2, 12.7, 1], [12.6, 13.1, 0], [7.0, 9.5, 0]];
  const second = [[24.5, 17.25, 1], [-1.5, 28.4, 0]];
  layer.draw(Float32Array.from(first.flatMap(([x, y]) => [x, y])), Uint8Array.from(first.map(([, , c]) => c)), { ...filled, colors: COLORS });
  layer.draw(Float32Array.from(second.flatMap(([x, y]) => [x, y])), Uint8Array.from(second.map(([, , c]) => c)), { ...hollow, colors: COLORS });
  const order = [first[1], first[2], first[0]].map(([x, y, cls]) => ({ x, y, cls, ...filled }))
    .concat([second[1], second[0]].map(([x, y, cls]) => ({ x, y, cls, ...hollow })));
  const want = byHand(w, h, order);
  const got = layer.pixels();
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const expected = i % 4 === 3 ? want[i] * 255 : want[i];
    worst = Math.max(worst, Math.abs(got[i] - expected));
  }
  // f32 in the engine against f64 here, each rounded to a byte.
  assert.ok(worst <= 1, `largest difference ${worst}`);
  // Some pixels of every kind exist, so the comparison covered them.
  const kinds = new Set();
  for (let i = 0; i < got.length; i += 4) kinds.add(got[i + 3] === 0 ? 'clear' : got[i + 3] === 255 ? 'solid' : 'edge');
  assert.deepEqual([...kinds].sort(), ['clear', 'edge', 'solid']);
  layer.clear();
  assert.ok(layer.pixels().every((b) => b === 0), 'clear() makes it transparent again');
  layer.free();
});

test('DotLayer: bad sizes, styles and lengths throw and leave the layer as it was', () => {
  throwsNaming(() => new api.DotLayer(0, 10), 'dot layer size');
  throwsNaming(() => new api.DotLayer(10, 5000), 'dot layer size');
  const layer = new api.DotLayer(8, 8);
  const one = Float32Array.from([4, 4]);
  const cls = Uint8Array.from([0]);
  throwsNaming(() => layer.draw(one, cls, { radius: -1, colors: COLORS }), 'radius');
  throwsNaming(() => layer.draw(one, cls, { radius: 3, lineWidth: 7, colors: COLORS }), 'line width');
  throwsNaming(() => layer.draw(one, cls, { radius: 3, colors: ['red'] }), '#1f77b4');
  throwsNaming(() => layer.draw(one, cls, { radius: 3 }), 'colors');
  throwsNaming(() => layer.draw(one, cls, { radius: 3, colors: COLORS, size: 2 }), 'size');
  throwsNaming(() => layer.draw(Float32Array.from([1, 2, 3]), cls, { radius: 3, colors: COLORS }), '3 coordinates for 1 labels');
  assert.ok(layer.pixels().every((b) => b === 0));
  // Still usable after the refusals.
  layer.draw(one, cls, { radius: 2, colors: COLORS });
  assert.deepEqual(Array.from(layer.pixels().slice((4 * 8 + 4) * 4, (4 * 8 + 4) * 4 + 4)), [200, 30, 40, 255]);
  layer.free();
});
