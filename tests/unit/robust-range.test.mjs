// robustRange (www/ui/net-lines.js), the batch-norm histograms' shared range:
// the 0.5 % and 99.5 % order statistics of every finite value of all lists,
// widened by 5 %; non-finite values ignored; a flat or empty input still
// gives a usable range. Checked against order statistics computed here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { robustRange } from '../../www/ui/net-lines.js';

test('robustRange takes the tail order statistics of all finite values of every list, padded by 5 %', () => {
  // Deterministic values in two lists (one typed), with NaN and ±Infinity mixed in.
  const a = Array.from({ length: 701 }, (_, i) => Math.sin(i * 1.7) * (i % 13));
  const b = Float32Array.from({ length: 300 }, (_, i) => (i % 7) - 3 + i / 1000);
  const dirty = [...a.slice(0, 350), NaN, Infinity, ...a.slice(350), -Infinity];
  const finite = [...a, ...b].sort((x, y) => x - y);
  const lo = finite[Math.floor(0.005 * (finite.length - 1))];
  const hi = finite[Math.ceil(0.995 * (finite.length - 1))];
  const pad = 0.05 * (hi - lo);
  const [gotLo, gotHi] = robustRange([dirty, b]);
  assert.equal(gotLo, lo - pad);
  assert.equal(gotHi, hi + pad);
  // tail 0: the extremes themselves, ordered as numbers (as text, 9 would be the largest).
  assert.deepEqual(robustRange([[10, 9, -2, 100]], 0), [-2 - 0.05 * 102, 100 + 0.05 * 102]);
});

test('robustRange of nothing finite is [-1, 1]; of one repeated value, a small range around it', () => {
  assert.deepEqual(robustRange([[], [NaN, Infinity]]), [-1, 1]);
  assert.deepEqual(robustRange([[1, 1, 1]]), [1 - 1e-3 - 0.1, 1 + 1e-3 + 0.1]);
});
