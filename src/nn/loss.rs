//! The losses: softmax cross-entropy on the scores and L2 on the weights.

/// Softmax of one row of scores into `probs`, shifting by the maximum
/// first so that no exponential overflows. Returns `(max, Σ e^(z − max))`.
fn softmax_row(z: &[f32], probs: &mut [f32]) -> (f32, f32) {
    let max = z
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let mut total = 0.0f32;
    for (p, &z) in probs.iter_mut().zip(z) {
        *p = (z - max).exp();
        total += *p;
    }
    let inv_total = 1.0 / total;
    for p in probs.iter_mut() {
        *p *= inv_total;
    }
    (max, total)
}

/// The cross-entropy `−log softmax(z)[label]` of one row of scores, in
/// the same stable form (and f32 sums) as [`softmax_cross_entropy`].
pub fn cross_entropy_row(z: &[f32], label: usize) -> f64 {
    let max = z
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let sum_exp: f32 = z.iter().map(|&v| (v - max).exp()).sum();
    (sum_exp as f64).ln() - (z[label] - max) as f64
}

/// Row-wise softmax of `logits[rows][classes]` into `probs`.
pub fn softmax_rows(logits: &[f32], probs: &mut [f32], classes: usize) {
    assert_eq!(
        logits.len(),
        probs.len(),
        "softmax buffers differ in length"
    );
    for (z, p) in logits
        .chunks_exact(classes)
        .zip(probs.chunks_exact_mut(classes))
    {
        softmax_row(z, p);
    }
}

/// Mean softmax cross-entropy `−(1/B) Σ_i log p_i[y_i]` of a batch.
///
/// Also writes the probabilities into `probs` and the gradient
/// `∂loss/∂logits = (p − onehot(y)) / B` into `grad_logits`. Each row's
/// loss uses the stable form `log Σ_c e^(z_c − max) − (z_y − max)`, which
/// stays finite even when `p_y` underflows to 0.
pub fn softmax_cross_entropy(
    logits: &[f32],
    labels: &[u32],
    classes: usize,
    probs: &mut [f32],
    grad_logits: &mut [f32],
) -> f64 {
    let batch = labels.len();
    assert!(
        logits.len() == batch * classes
            && probs.len() == logits.len()
            && grad_logits.len() == logits.len(),
        "loss buffers do not match {batch} rows of {classes} classes"
    );
    let inv_batch = 1.0 / batch as f32;
    let mut total = 0.0f64;
    for (((z, p), g), &label) in logits
        .chunks_exact(classes)
        .zip(probs.chunks_exact_mut(classes))
        .zip(grad_logits.chunks_exact_mut(classes))
        .zip(labels)
    {
        let label = label as usize;
        let (max, sum_exp) = softmax_row(z, p);
        total += (sum_exp as f64).ln() - (z[label] - max) as f64;
        for (c, (g, &p)) in g.iter_mut().zip(p.iter()).enumerate() {
            let target = if c == label { 1.0 } else { 0.0 };
            *g = (p - target) * inv_batch;
        }
    }
    total / batch as f64
}

/// `0.5 · l2 · Σ w²` over one block of weights.
pub fn l2_penalty(weights: &[f32], l2: f32) -> f64 {
    let sum_squares: f64 = weights.iter().map(|&w| (w as f64) * (w as f64)).sum();
    0.5 * l2 as f64 * sum_squares
}

/// Adds `∂(0.5·l2·Σw²)/∂w = l2·w` to the gradients of one block of weights.
pub fn add_l2_gradient(weights: &[f32], grads: &mut [f32], l2: f32) {
    for (g, &w) in grads.iter_mut().zip(weights) {
        *g += l2 * w;
    }
}

/// Index of the largest score in each row (the predicted class).
pub fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (c, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = c;
        }
    }
    best
}
