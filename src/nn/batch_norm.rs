//! Batch normalization (Ioffe & Szegedy 2015) over the rows of a batch.
//!
//! Training mode normalises each feature with the statistics of the current
//! batch, `x̂ = (x − μ_B) / √(σ²_B + ε)` with the biased variance
//! `σ²_B = Σ(x − μ_B)² / m`, then outputs `y = γ·x̂ + β`.
//!
//! Running estimates follow PyTorch's convention exactly: with momentum
//! `m = 0.1`, after every training forward
//! `running_mean ← (1 − m)·running_mean + m·μ_B` and
//! `running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1)`, i.e. the running
//! variance tracks the *unbiased* batch variance (for a batch of one, where
//! that is undefined, the biased value 0 is used). They start at 0 and 1.
//! Eval mode uses them in place of the batch statistics.
//!
//! After a convolution the layer is *spatial* (PyTorch's `BatchNorm2d`):
//! each channel has one γ, β and one pair of statistics, taken over the
//! batch and every position of its plane (m = N·H·W values), so a feature
//! map is normalised the same way wherever it is in the image. A flat
//! layer is the case of one position per channel.
//!
//! γ and β live in the model's flat parameters, γ first, at `offset`.

use super::Mode;

/// PyTorch's default momentum for the running statistics.
pub const DEFAULT_MOMENTUM: f32 = 0.1;
/// PyTorch's default ε added to the variance.
pub const DEFAULT_EPS: f32 = 1e-5;

/// A batch-norm layer: running statistics and the caches of the last
/// training forward pass (γ and β are in the flat parameters).
#[derive(Clone, Debug)]
pub struct BatchNorm {
    features: usize,
    /// Positions per feature in one example (1 after a dense layer, H·W after a conv).
    positions: usize,
    offset: usize,
    momentum: f32,
    eps: f32,
    running_mean: Vec<f32>,
    running_var: Vec<f32>,
    batch_mean: Vec<f32>,
    batch_var: Vec<f32>,
    inv_std: Vec<f32>,
    /// x̂ of the last training batch, `[batch][features][positions]`.
    normalized: Vec<f32>,
    /// Per-feature sums used by the backward pass.
    sum_grad: Vec<f32>,
    sum_grad_normalized: Vec<f32>,
}

impl BatchNorm {
    /// A layer over `features` columns with γ at `offset`, β right after.
    pub fn new(features: usize, offset: usize) -> Self {
        BatchNorm::spatial(features, 1, offset)
    }

    /// A layer over `channels` feature maps of `positions` values each
    /// (statistics per channel over batch × positions), γ at `offset`.
    pub fn spatial(channels: usize, positions: usize, offset: usize) -> Self {
        let features = channels;
        BatchNorm {
            features,
            positions: positions.max(1),
            offset,
            momentum: DEFAULT_MOMENTUM,
            eps: DEFAULT_EPS,
            running_mean: vec![0.0; features],
            running_var: vec![1.0; features],
            batch_mean: vec![0.0; features],
            batch_var: vec![0.0; features],
            inv_std: vec![0.0; features],
            normalized: Vec::new(),
            sum_grad: vec![0.0; features],
            sum_grad_normalized: vec![0.0; features],
        }
    }

    /// Number of features (columns), or channels when spatial.
    pub fn features(&self) -> usize {
        self.features
    }

    /// Positions per feature in one example (1 unless spatial).
    pub fn positions(&self) -> usize {
        self.positions
    }

    /// The range of γ in the flat parameters.
    pub fn gamma_range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.features
    }

    /// The range of β in the flat parameters.
    pub fn beta_range(&self) -> std::ops::Range<usize> {
        self.offset + self.features..self.offset + 2 * self.features
    }

    /// The momentum m of the running statistics.
    pub fn momentum(&self) -> f32 {
        self.momentum
    }

    /// The ε added to the variance before the square root.
    pub fn eps(&self) -> f32 {
        self.eps
    }

    /// Running mean per feature (what eval mode subtracts).
    pub fn running_mean(&self) -> &[f32] {
        &self.running_mean
    }

    /// Running (unbiased) variance per feature (what eval mode divides by).
    pub fn running_var(&self) -> &[f32] {
        &self.running_var
    }

    /// Mean of each feature over the last training batch.
    pub fn batch_mean(&self) -> &[f32] {
        &self.batch_mean
    }

    /// Biased variance of each feature over the last training batch.
    pub fn batch_var(&self) -> &[f32] {
        &self.batch_var
    }

    /// Takes over `other`'s running statistics (same number of features).
    pub fn copy_running_statistics(&mut self, other: &BatchNorm) {
        self.running_mean.copy_from_slice(&other.running_mean);
        self.running_var.copy_from_slice(&other.running_var);
    }

    /// Resets the running statistics to mean 0, variance 1.
    pub fn reset_running_stats(&mut self) {
        self.running_mean.fill(0.0);
        self.running_var.fill(1.0);
    }

    /// `output = γ·x̂ + β`; training mode also updates the running statistics.
    pub fn forward(
        &mut self,
        params: &[f32],
        input: &[f32],
        output: &mut [f32],
        batch: usize,
        mode: Mode,
    ) {
        let (f, s) = (self.features, self.positions);
        let gamma = &params[self.gamma_range()];
        let beta = &params[self.beta_range()];
        match mode {
            Mode::Train => {
                self.compute_batch_statistics(input, batch);
                self.normalized.resize(batch * f * s, 0.0);
                for ((x_row, xhat_row), y_row) in input
                    .chunks_exact(f * s)
                    .zip(self.normalized.chunks_exact_mut(f * s))
                    .zip(output.chunks_exact_mut(f * s))
                    .take(batch)
                {
                    for c in 0..f {
                        let (mean, inv_std) = (self.batch_mean[c], self.inv_std[c]);
                        for i in c * s..(c + 1) * s {
                            let xhat = (x_row[i] - mean) * inv_std;
                            xhat_row[i] = xhat;
                            y_row[i] = gamma[c] * xhat + beta[c];
                        }
                    }
                }
                self.update_running_statistics(batch * s);
            }
            Mode::Eval => {
                // Fold the running statistics into one scale and shift per feature.
                for (x_row, y_row) in input
                    .chunks_exact(f * s)
                    .zip(output.chunks_exact_mut(f * s))
                    .take(batch)
                {
                    for c in 0..f {
                        let scale = gamma[c] / (self.running_var[c] + self.eps).sqrt();
                        for i in c * s..(c + 1) * s {
                            y_row[i] = (x_row[i] - self.running_mean[c]) * scale + beta[c];
                        }
                    }
                }
            }
        }
    }

    fn compute_batch_statistics(&mut self, input: &[f32], batch: usize) {
        let (f, s) = (self.features, self.positions);
        let rows = || input.chunks_exact(f * s).take(batch);
        self.batch_mean.fill(0.0);
        for row in rows() {
            for (mean, values) in self.batch_mean.iter_mut().zip(row.chunks_exact(s)) {
                for &x in values {
                    *mean += x;
                }
            }
        }
        let inv_count = 1.0 / (batch * s) as f32;
        for mean in &mut self.batch_mean {
            *mean *= inv_count;
        }
        // Two passes (mean, then centred squares) keep the variance accurate.
        self.batch_var.fill(0.0);
        for row in rows() {
            for ((var, &mean), values) in self
                .batch_var
                .iter_mut()
                .zip(&self.batch_mean)
                .zip(row.chunks_exact(s))
            {
                for &x in values {
                    *var += (x - mean) * (x - mean);
                }
            }
        }
        for (var, inv_std) in self.batch_var.iter_mut().zip(&mut self.inv_std) {
            *var *= inv_count;
            *inv_std = 1.0 / (*var + self.eps).sqrt();
        }
    }

    /// `count` is the number of values each statistic was taken over.
    fn update_running_statistics(&mut self, count: usize) {
        let m = self.momentum;
        let unbias = if count > 1 {
            count as f32 / (count - 1) as f32
        } else {
            1.0
        };
        for c in 0..self.features {
            self.running_mean[c] = (1.0 - m) * self.running_mean[c] + m * self.batch_mean[c];
            self.running_var[c] = (1.0 - m) * self.running_var[c] + m * self.batch_var[c] * unbias;
        }
    }

    /// Gradients of the last training forward pass: writes dγ and dβ into
    /// `grads` and `dx = (γ·inv_std/m)·(m·dy − Σdy − x̂·Σ(dy·x̂))` into
    /// `grad_input`, with m the number of values behind each statistic.
    pub fn backward(
        &mut self,
        params: &[f32],
        grads: &mut [f32],
        grad_output: &[f32],
        grad_input: &mut [f32],
        batch: usize,
    ) {
        self.parameter_gradients(grads, grad_output, batch);
        let (f, s) = (self.features, self.positions);
        let gamma = &params[self.gamma_range()];
        let inv_count = 1.0 / (batch * s) as f32;
        for ((dy_row, xhat_row), dx_row) in grad_output
            .chunks_exact(f * s)
            .zip(self.normalized.chunks_exact(f * s))
            .zip(grad_input.chunks_exact_mut(f * s))
            .take(batch)
        {
            for (c, &gamma) in gamma.iter().enumerate() {
                let (sum, sum_xhat) = (self.sum_grad[c], self.sum_grad_normalized[c]);
                let scale = gamma * self.inv_std[c];
                for i in c * s..(c + 1) * s {
                    let centred = dy_row[i] - inv_count * (sum + xhat_row[i] * sum_xhat);
                    dx_row[i] = scale * centred;
                }
            }
        }
    }

    /// Only dγ = Σ dy·x̂ and dβ = Σ dy of the last training forward pass,
    /// written into `grads` (for a first layer, whose input is data).
    pub fn parameter_gradients(&mut self, grads: &mut [f32], grad_output: &[f32], batch: usize) {
        let (f, s) = (self.features, self.positions);
        self.sum_grad.fill(0.0);
        self.sum_grad_normalized.fill(0.0);
        for (dy_row, xhat_row) in grad_output
            .chunks_exact(f * s)
            .zip(self.normalized.chunks_exact(f * s))
            .take(batch)
        {
            for c in 0..f {
                for i in c * s..(c + 1) * s {
                    self.sum_grad[c] += dy_row[i];
                    self.sum_grad_normalized[c] += dy_row[i] * xhat_row[i];
                }
            }
        }
        grads[self.gamma_range()].copy_from_slice(&self.sum_grad_normalized);
        grads[self.beta_range()].copy_from_slice(&self.sum_grad);
    }
}
