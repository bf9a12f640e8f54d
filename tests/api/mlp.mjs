// A one-hidden-layer ReLU network in plain f64 JavaScript: the reference
// the Trainer and Ensemble tests compare the engine with.

/** Forward pass of a one-hidden-layer ReLU network in f64: z, h, scores. */
export function forward([W1, b1, W2, b2], X, { hidden, classes, mask = null, scale = 1 }) {
  const rows = X.length / 2;
  const z = [];
  const h = [];
  const s = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < hidden; j++) {
      const v = X[2 * r] * W1[j] + X[2 * r + 1] * W1[hidden + j] + b1[j];
      z.push(v);
      const keep = mask ? mask[r * hidden + j] : 1;
      h.push(Math.max(0, v) * keep * scale);
    }
    for (let c = 0; c < classes; c++) {
      let v = b2[c];
      for (let j = 0; j < hidden; j++) v += h[r * hidden + j] * W2[j * classes + c];
      s.push(v);
    }
  }
  return { z, h, s };
}

export function softmaxRows(s, classes) {
  const p = [];
  for (let r = 0; r < s.length / classes; r++) {
    const row = s.slice(r * classes, (r + 1) * classes);
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    p.push(...e.map((v) => v / sum));
  }
  return p;
}

export function crossEntropy(s, labels, classes) {
  const p = softmaxRows(s, classes);
  return labels.reduce((sum, y, r) => sum - Math.log(p[r * classes + y]), 0) / labels.length;
}
