// Whether a train − validation accuracy gap is real or within what the
// validation set's size can resolve. A validation accuracy p measured on n
// points has a standard error of √(p(1 − p)/n) (binomial): with 60 points
// and p = 0.9 that is 3.9 points, so a 5-point gap proves nothing.

/** Two standard errors of an accuracy measured on `count` points. */
export function accuracyMargin(accuracy, count) {
  if (!(count > 0)) return Infinity;
  // Half a point away from 0 and 1, so a perfect score still has an error.
  const p = Math.min(1 - 0.5 / count, Math.max(0.5 / count, accuracy));
  return 2 * Math.sqrt((p * (1 - p)) / count);
}

/**
 * {gap, margin, overfitting}: the gap trainAccuracy − valAccuracy, two
 * standard errors of the validation accuracy, and whether the gap exceeds
 * them (overfitting shown by the data, not by chance at about 95%).
 */
export function gapVerdict(trainAccuracy, valAccuracy, valCount) {
  const gap = trainAccuracy - valAccuracy;
  const margin = accuracyMargin(valAccuracy, valCount);
  return { gap, margin, overfitting: gap > margin };
}
