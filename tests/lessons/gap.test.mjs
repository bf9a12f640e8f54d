// The network lab's overfitting flag weighs the validation set's size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracyMargin, gapVerdict } from '../../www/ui/gap.js';

test('two standard errors of a binomial accuracy', () => {
  // 2·√(0.9·0.1/60) = 0.07746
  assert.ok(Math.abs(accuracyMargin(0.9, 60) - 0.0774597) < 1e-6);
  // A perfect score is kept half a point from 1: 2·√((1/120)(119/120)/60).
  assert.ok(Math.abs(accuracyMargin(1, 60) - 2 * Math.sqrt((1 / 120) * (119 / 120) / 60)) < 1e-12);
  assert.equal(accuracyMargin(0.5, 0), Infinity);
});

test('a 5-point gap on 60 validation points is not flagged; on 1000 it is', () => {
  const small = gapVerdict(0.95, 0.9, 60);
  assert.ok(Math.abs(small.gap - 0.05) < 1e-12);
  assert.equal(small.overfitting, false);
  assert.equal(gapVerdict(0.95, 0.9, 1000).overfitting, true);
  assert.equal(gapVerdict(1, 0.8, 60).overfitting, true);
  assert.equal(gapVerdict(0.9, 0.95, 1000).overfitting, false, 'validation above training is no overfitting');
});
