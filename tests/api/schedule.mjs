// Schedule: at(), values() and restartsBefore() against the README's
// formulas written out here, for every kind, with and without warm-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, throwsNaming } from './harness.mjs';

const cosine = (lr, min, done, length) => min + (lr - min) * (1 + Math.cos(Math.PI * done / length)) / 2;

/** [settings, lr(t) by hand] for every kind. */
const CASES = [
  [{ kind: 'constant', lr: 0.3 }, () => 0.3],
  [{ kind: 'step', lr: 0.4, gamma: 0.5, every: 4 }, (t) => 0.4 * 0.5 ** Math.floor(t / 4)],
  [{ kind: 'exponential', lr: 0.5, k: 0.1 }, (t) => 0.5 * Math.exp(-0.1 * t)],
  [{ kind: 'inverse_time', lr: 0.5, k: 0.25 }, (t) => 0.5 / (1 + 0.25 * t)],
  [{ kind: 'cosine', lr: 0.6, total: 10, min: 0.05 }, (t) => cosine(0.6, 0.05, Math.min(t, 10), 10)],
  [{ kind: 'warm_restarts', lr: 0.5, period: 3, mult: 2 }, (t) => {
    let [start, length] = [0, 3];
    while (t >= start + length) [start, length] = [start + length, length * 2];
    return cosine(0.5, 0, t - start, length);
  }],
];

test('Schedule.at and values follow every kind, with and without warm-up', () => {
  for (const [settings, rate] of CASES) {
    for (const warmup of [0, 5]) {
      const config = warmup ? { ...settings, warmup } : settings;
      const s = new api.Schedule(config);
      assert.equal(s.kind, settings.kind);
      const hand = (t) => (t < warmup ? settings.lr * (t + 1) / warmup : rate(t - warmup));
      const values = s.values(40);
      assert.ok(values instanceof Float64Array);
      assert.equal(values.length, 40);
      for (let t = 0; t < 40; t++) {
        approx(s.at(t), hand(t), 1e-15, `${settings.kind} warmup ${warmup} at(${t})`);
        assert.equal(values[t], s.at(t));
      }
      // Fractional steps round down; negative and NaN steps read as step 0.
      assert.equal(s.at(7.9), s.at(7));
      assert.equal(s.at(-3), s.at(0));
      assert.equal(s.at(Number.NaN), s.at(0));
      s.free();
    }
  }
  // The base rate defaults to 0.1 when a standalone schedule has none.
  assert.equal(new api.Schedule({ kind: 'constant' }).at(5), 0.1);
});

test('Schedule.restartsBefore lists where warm-restart cycles begin', () => {
  // period 3, mult 2: cycles [0, 3), [3, 9), [9, 21), [21, 45).
  const s = new api.Schedule({ kind: 'warm_restarts', lr: 1, period: 3, mult: 2 });
  assert.deepEqual([...s.restartsBefore(22)], [3, 9, 21]);
  assert.deepEqual([...s.restartsBefore(21)], [3, 9]);
  assert.deepEqual([...s.restartsBefore(3)], []);
  // The rate jumps back to lr exactly at each restart.
  for (const [r, length] of [[3, 3], [9, 6], [21, 12]]) {
    assert.equal(s.at(r), 1);
    approx(s.at(r - 1), cosine(1, 0, length - 1, length), 1e-15);
  }
  // A warm-up delays every restart by its length.
  const warm = new api.Schedule({ kind: 'warm_restarts', lr: 1, period: 3, mult: 2, warmup: 5 });
  assert.deepEqual([...warm.restartsBefore(27)], [8, 14, 26]);
  assert.deepEqual([...new api.Schedule({ kind: 'cosine', total: 10 }).restartsBefore(100)], []);
  assert.deepEqual([...s.restartsBefore(-5)], []);
  throwsNaming(() => new api.Schedule({ kind: 'warm_restarts', period: 0 }), 'period');
  throwsNaming(() => new api.Schedule({ kind: 'linear' }), "'linear'");
  throwsNaming(() => new api.Schedule({ kind: 'cosine', gamma: 0.5 }), "'gamma'");
  throwsNaming(() => s.values(20_000_000), '10 000 000');
});
