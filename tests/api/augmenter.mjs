// Augmenter: every op's pixels against what its drawn parameters say
// (mirrors, crops, shifts and boxes exactly; resampling, greyscale and
// brightness by the documented formula), sample = apply, the preview, the
// downscale and the test-time crops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, throwsNaming } from './harness.mjs';

/** A w×h image whose every byte differs: R = 7x + 3y, G = 11y + x, B = x·y, A = 255 − x. */
function image(w, h) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set([(7 * x + 3 * y) & 255, (11 * y + x) & 255, (x * y) & 255, 255 - (x & 127)], (y * w + x) * 4);
  }
  return data;
}

const pixel = (data, w, x, y) => [...data.slice((y * w + x) * 4, (y * w + x) * 4 + 4)];

function only(op, w = 9, h = 7, seed = 3) {
  const aug = new api.Augmenter({ ops: [op] });
  const src = image(w, h);
  const out = aug.apply(src, w, h, seed);
  assert.ok(out.data instanceof Uint8ClampedArray);
  assert.equal(out.data.length, out.width * out.height * 4);
  assert.equal(out.params.length, 1);
  return { src, out, p: out.params[0] };
}

test('Augmenter: flips, crops, translation and cutout move pixels exactly as their parameters say', () => {
  const [w, h] = [9, 7];
  let { src, out, p } = only({ kind: 'hflip', p: 1 });
  assert.deepEqual([p.kind, p.applied, p.flipped, p.inputWidth, p.outputWidth], ['hflip', true, true, w, w]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) assert.deepEqual(pixel(out.data, w, x, y), pixel(src, w, w - 1 - x, y));
  ({ src, out } = only({ kind: 'vflip', p: 1 }));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) assert.deepEqual(pixel(out.data, w, x, y), pixel(src, w, x, h - 1 - y));
  ({ src, out, p } = only({ kind: 'random_crop', size: [4, 3] }, w, h, 11));
  assert.deepEqual([out.width, out.height, p.outputWidth, p.outputHeight], [4, 3, 4, 3]);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) assert.deepEqual(pixel(out.data, 4, x, y), pixel(src, w, p.box.x + x, p.box.y + y));
  // translate: output (x, y) shows input (x − dx, y − dy), the rest is the fill.
  for (let seed = 0; seed < 6; seed++) {
    ({ src, out, p } = only({ kind: 'translate', maxShift: [0.4, 0.4], paddingMode: 'constant', fill: [1, 2, 3, 4] }, w, h, seed));
    assert.ok(Math.abs(p.dx) <= 0.4 * w && Math.abs(p.dy) <= 0.4 * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [sx, sy] = [x - p.dx, y - p.dy];
        const want = sx >= 0 && sx < w && sy >= 0 && sy < h ? pixel(src, w, sx, sy) : [1, 2, 3, 4];
        assert.deepEqual(pixel(out.data, w, x, y), want, `translate (${p.dx}, ${p.dy}) at (${x}, ${y})`);
      }
    }
  }
  // cutout: the drawn box takes the fill's R, G, B (alpha is kept), everything else is untouched.
  ({ src, out, p } = only({ kind: 'cutout', p: 1, scale: [0.1, 0.2], fill: [9, 8, 7, 255] }, w, h, 5));
  assert.ok(p.box, 'a box fitted');
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x >= p.box.x && x < p.box.x + p.box.width && y >= p.box.y && y < p.box.y + p.box.height;
      assert.deepEqual(pixel(out.data, w, x, y), inside ? [9, 8, 7, pixel(src, w, x, y)[3]] : pixel(src, w, x, y));
    }
  }
});

test('Augmenter: a random resized crop is the bilinear resample of its reported box', () => {
  const [w, h] = [40, 30];
  for (let seed = 0; seed < 5; seed++) {
    const { src, out, p } = only({ kind: 'random_resized_crop', scale: [0.2, 0.8], size: [17, 13] }, w, h, seed);
    assert.deepEqual([out.width, out.height], [17, 13]);
    const { x: bx, y: by, width: bw, height: bh } = p.box;
    const at = (o, n, start, len) => {
      const pos = Math.min(Math.max((o + 0.5) * len / n - 0.5, 0), len - 1);
      const below = Math.floor(pos);
      return [start + below, start + Math.min(below + 1, len - 1), pos - below];
    };
    for (let oy = 0; oy < 13; oy++) {
      const [y0, y1, fy] = at(oy, 13, by, bh);
      for (let ox = 0; ox < 17; ox++) {
        const [x0, x1, fx] = at(ox, 17, bx, bw);
        for (let c = 0; c < 4; c++) {
          const v = (xx, yy) => src[(yy * w + xx) * 4 + c];
          const want = (1 - fy) * ((1 - fx) * v(x0, y0) + fx * v(x1, y0)) + fy * ((1 - fx) * v(x0, y1) + fx * v(x1, y1));
          const got = out.data[(oy * 17 + ox) * 4 + c];
          assert.ok(Math.abs(got - want) <= 1, `seed ${seed} (${ox}, ${oy}) channel ${c}: ${got} vs ${want}`);
        }
      }
    }
  }
});

test('Augmenter: colour ops by formula, rotation by a right angle exactly', () => {
  const [w, h] = [9, 7];
  let { src, out, p } = only({ kind: 'grayscale', p: 1 });
  for (let i = 0; i < w * h; i++) {
    const luma = 0.299 * src[4 * i] + 0.587 * src[4 * i + 1] + 0.114 * src[4 * i + 2];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(out.data[4 * i + c] - luma) <= 0.51, `grey ${i}`);
    assert.equal(out.data[4 * i + 3], src[4 * i + 3], 'alpha kept');
  }
  ({ src, out, p } = only({ kind: 'color_jitter', brightness: 0.4 }, w, h, 8));
  assert.ok(p.brightness >= 0.6 && p.brightness <= 1.4 && p.brightness !== 1);
  for (let i = 0; i < w * h * 4; i++) {
    const want = i % 4 === 3 ? src[i] : Math.min(255, Math.round(src[i] * p.brightness));
    assert.equal(out.data[i], want, `brightness ${p.brightness} byte ${i}`);
  }
  ({ src, out, p } = only({ kind: 'lighting', std: 0.1 }, w, h, 4));
  assert.equal(p.alpha.length, 3);
  assert.equal(p.rgbShift.length, 3);
  for (let i = 0; i < w * h * 4; i++) {
    const want = i % 4 === 3 ? src[i] : Math.min(255, Math.max(0, Math.round(src[i] + p.rgbShift[i % 4])));
    assert.ok(Math.abs(out.data[i] - want) <= 1, `lighting byte ${i}`);
  }
  // Gaussian noise, std 0.1 of the 0–255 range: on mid grey the changes have mean 0 and std 25.5.
  const grey = new Uint8Array(64 * 64 * 4).fill(128);
  const noisy = new api.Augmenter({ ops: [{ kind: 'noise', std: 0.1 }] }).apply(grey, 64, 64, 9).data;
  const changes = [];
  for (let i = 0; i < noisy.length; i++) {
    if (i % 4 === 3) assert.equal(noisy[i], 128, 'alpha kept');
    else changes.push(noisy[i] - 128);
  }
  const mean = changes.reduce((a, v) => a + v, 0) / changes.length;
  const std = Math.sqrt(changes.reduce((a, v) => a + (v - mean) ** 2, 0) / changes.length);
  // 12,288 draws: the mean's standard error is 0.23, the std's about 1 %.
  assert.ok(Math.abs(mean) < 1.2 && Math.abs(std - 25.5) < 1.5, `noise mean ${mean}, std ${std}`);
  // 90° counter-clockwise on a square: the source's right column becomes the top row.
  ({ src, out, p } = only({ kind: 'rotate', degrees: [90, 90] }, 8, 8, 1));
  assert.equal(p.degrees, 90);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) assert.deepEqual(pixel(out.data, 8, x, y), pixel(src, 8, 7 - y, x), `(${x}, ${y})`);
});

test('Augmenter: sample equals apply, previewOp ignores p, helpers by hand', () => {
  const pipeline = { ops: [{ kind: 'hflip' }, { kind: 'random_resized_crop', size: [32, 24] }, { kind: 'color_jitter', brightness: 0.4, hue: 0.1 }] };
  const aug = new api.Augmenter(pipeline);
  assert.equal(aug.length, 3);
  const src = image(60, 45);
  throwsNaming(() => aug.sample(1), 'setImage');
  aug.setImage(src, 60, 45);
  for (const seed of [0, 7, 123456789]) {
    const a = aug.sample(seed);
    const b = aug.apply(src, 60, 45, seed);
    assert.deepEqual([...a.data], [...b.data]);
    assert.deepEqual(a.params, b.params);
  }
  const preview = api.Augmenter.previewOp({ kind: 'hflip', p: 0 }, Uint8Array.from([1, 0, 0, 255, 2, 0, 0, 255]), 2, 1, 0);
  assert.deepEqual([...preview.data], [2, 0, 0, 255, 1, 0, 0, 255]);
  assert.deepEqual(api.Augmenter.opKinds(), ['hflip', 'vflip', 'random_crop', 'random_resized_crop', 'color_jitter', 'lighting', 'rotate', 'translate', 'cutout', 'grayscale', 'noise']);
  // 4×2 → fits 2: the mean of each 2×2 block.
  const grey = (vs) => Uint8Array.from(vs.flatMap((v) => [v, v, v, 255]));
  const small = api.Augmenter.downscaleToFit(grey([0, 100, 10, 30, 20, 60, 30, 90]), 4, 2, 2);
  assert.deepEqual([small.width, small.height, ...small.data], [2, 1, 45, 45, 45, 255, 40, 40, 40, 255]);
  assert.deepEqual(api.Augmenter.fiveCropBoxes(10, 8, 4, 4), [
    { x: 0, y: 0, width: 4, height: 4 }, { x: 6, y: 0, width: 4, height: 4 },
    { x: 0, y: 4, width: 4, height: 4 }, { x: 6, y: 4, width: 4, height: 4 },
    { x: 3, y: 2, width: 4, height: 4 },
  ]);
  const ten = api.Augmenter.tenCrop(10, 8, 4, 4);
  assert.deepEqual(ten.map((c) => c.hflip), [false, false, false, false, false, true, true, true, true, true]);
  assert.deepEqual(ten.slice(5).map(({ x, y }) => [x, y]), [[0, 0], [6, 0], [0, 4], [6, 4], [3, 2]]);
  throwsNaming(() => new api.Augmenter({ ops: [{ kind: 'mixup' }] }), "'mixup'");
  throwsNaming(() => aug.apply(src.slice(0, 100), 60, 45, 1), '100 bytes');
  throwsNaming(() => aug.apply(src, 60, 45, 1.5), 'seed');
  // A refused call leaves the pipeline and its image as they were.
  assert.deepEqual([...aug.sample(7).data], [...aug.apply(src, 60, 45, 7).data]);
  aug.free();
});
