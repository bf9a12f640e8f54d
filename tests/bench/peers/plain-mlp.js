// A careful plain-JavaScript two-layer classifier for the benchmark: the
// same network and update as the engine's spiral run (2 → H ReLU → K,
// softmax cross-entropy, L2 0.5·λ·ΣW² on the weights, full-batch SGD),
// Float32Array buffers allocated once, loops ordered for contiguous access.

/** A seeded normal generator (mulberry32 + Box–Muller), for the He init. */
function normals(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export class PlainMlp {
  /** points: Float32Array n×D row-major, labels: Uint32Array n. */
  constructor({ points, labels, inputs = 2, hidden = 100, classes = 3, lr = 1, l2 = 1e-3, seed = 1 }) {
    Object.assign(this, { points, labels, inputs, hidden, classes, lr, l2 });
    const n = labels.length;
    this.n = n;
    const normal = normals(seed);
    this.W1 = Float32Array.from({ length: inputs * hidden }, () => normal() * Math.sqrt(2 / inputs));
    this.b1 = new Float32Array(hidden);
    this.W2 = Float32Array.from({ length: hidden * classes }, () => normal() * Math.sqrt(2 / hidden));
    this.b2 = new Float32Array(classes);
    this.H = new Float32Array(n * hidden);
    this.S = new Float32Array(n * classes);
    this.dH = new Float32Array(n * hidden);
    this.dW1 = new Float32Array(inputs * hidden);
    this.db1 = new Float32Array(hidden);
    this.dW2 = new Float32Array(hidden * classes);
    this.db2 = new Float32Array(classes);
  }

  forward() {
    const { points: X, W1, b1, W2, b2, H, S, n, inputs: D, hidden: M, classes: K } = this;
    for (let i = 0; i < n; i++) {
      const h = i * M;
      for (let j = 0; j < M; j++) H[h + j] = b1[j];
      for (let d = 0; d < D; d++) {
        const x = X[i * D + d];
        const w = d * M;
        for (let j = 0; j < M; j++) H[h + j] += x * W1[w + j];
      }
      for (let j = 0; j < M; j++) if (H[h + j] < 0) H[h + j] = 0;
      const s = i * K;
      for (let k = 0; k < K; k++) S[s + k] = b2[k];
      for (let j = 0; j < M; j++) {
        const v = H[h + j];
        if (v === 0) continue;
        const w = j * K;
        for (let k = 0; k < K; k++) S[s + k] += v * W2[w + k];
      }
    }
  }

  /** One full-batch SGD step; returns the loss (data + L2). */
  step() {
    this.forward();
    const { points: X, labels: y, W1, b1, W2, b2, H, S, dH, dW1, db1, dW2, db2, n, inputs: D, hidden: M, classes: K, l2, lr } = this;
    let loss = 0;
    // Softmax in place: S becomes dScores = (p − onehot)/n.
    for (let i = 0; i < n; i++) {
      const s = i * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, S[s + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) { S[s + k] = Math.exp(S[s + k] - max); sum += S[s + k]; }
      loss -= Math.log(S[s + y[i]] / sum);
      for (let k = 0; k < K; k++) S[s + k] /= sum * n;
      S[s + y[i]] -= 1 / n;
    }
    loss /= n;
    dW2.fill(0); db2.fill(0); dW1.fill(0); db1.fill(0);
    for (let i = 0; i < n; i++) {
      const s = i * K;
      const h = i * M;
      for (let k = 0; k < K; k++) db2[k] += S[s + k];
      for (let j = 0; j < M; j++) {
        const v = H[h + j];
        const w = j * K;
        let g = 0;
        for (let k = 0; k < K; k++) {
          dW2[w + k] += v * S[s + k];
          g += W2[w + k] * S[s + k];
        }
        dH[h + j] = v > 0 ? g : 0;
      }
      for (let j = 0; j < M; j++) db1[j] += dH[h + j];
      for (let d = 0; d < D; d++) {
        const x = X[i * D + d];
        const w = d * M;
        for (let j = 0; j < M; j++) dW1[w + j] += x * dH[h + j];
      }
    }
    let reg = 0;
    for (const [W, dW] of [[W1, dW1], [W2, dW2]]) {
      for (let j = 0; j < W.length; j++) {
        reg += W[j] * W[j];
        W[j] -= lr * (dW[j] + l2 * W[j]);
      }
    }
    for (const [b, db] of [[b1, db1], [b2, db2]]) for (let j = 0; j < b.length; j++) b[j] -= lr * db[j];
    return loss + 0.5 * l2 * reg;
  }

  accuracy() {
    this.forward();
    const { S, labels: y, n, classes: K } = this;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (S[i * K + k] > S[i * K + best]) best = k;
      if (best === y[i]) correct++;
    }
    return correct / n;
  }
}
