//! The convolution layer, as three matrix products over im2col columns.
//!
//! Weights are `W[F][C][K][K]` (row-major, so `W` is also the matrix
//! `F × C·K·K`) followed by the biases `b[F]` in the flat parameter vector.
//! With `cols = im2col(x)` (`C·K·K × N·P`, P = Ho·Wo positions):
//!
//! * forward: `S = W · cols` (`F × N·P`), then `y[n][f][p] = S[f][n·P + p] + b[f]`;
//! * backward, with `G[f][n·P + p] = dy[n][f][p]`:
//!   `dW = G · colsᵀ`, `db[f] = Σ G[f][·]`, `dx = col2im(Wᵀ · G)`.
//!
//! `cols` is never written out: the products read it from the input as
//! they pack it ([`Windows`]). This is cross-correlation (the kernel is not
//! flipped), as in CS231n's `conv_forward_naive` and every deep-learning
//! framework.

use super::gemm::{Gemm, Operand};
use super::im2col::{col2im, ConvGeometry, Windows};

/// A convolution layer: its geometry, where its parameters live, and the
/// buffers of the last forward pass.
#[derive(Clone, Debug)]
pub struct Conv {
    geometry: ConvGeometry,
    offset: usize,
    /// `W·cols` before the reorder to NCHW; in the backward pass, `dy` reordered.
    channel_major: Vec<f32>,
    /// `Wᵀ·G`, the gradient of the columns.
    grad_cols: Vec<f32>,
    gemm: Gemm,
}

impl Conv {
    /// A layer of the given geometry whose `W` starts at `offset`.
    pub fn new(geometry: ConvGeometry, offset: usize) -> Self {
        Conv {
            geometry,
            offset,
            channel_major: Vec::new(),
            grad_cols: Vec::new(),
            gemm: Gemm::new(),
        }
    }

    /// Shapes, kernel side, stride and padding.
    pub fn geometry(&self) -> &ConvGeometry {
        &self.geometry
    }

    /// Number of filters F.
    pub fn filters(&self) -> usize {
        self.geometry.output.channels
    }

    /// Number of parameters: `F·C·K·K` weights then `F` biases.
    pub fn parameter_count(&self) -> usize {
        self.filters() * self.geometry.patch_len() + self.filters()
    }

    /// The range of `W` in the flat parameter vector.
    pub fn weight_range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.filters() * self.geometry.patch_len()
    }

    /// The range of `b` in the flat parameter vector.
    pub fn bias_range(&self) -> std::ops::Range<usize> {
        let start = self.weight_range().end;
        start..start + self.filters()
    }

    /// Floats of scratch one example needs (the columns' gradient and the
    /// channel-major output).
    pub fn scratch_per_example(&self) -> usize {
        (self.geometry.patch_len() + self.filters()) * self.geometry.positions()
    }

    /// `output = conv(input) + b` for `batch` examples (NCHW both).
    pub fn forward(&mut self, params: &[f32], input: &[f32], output: &mut [f32], batch: usize) {
        let g = self.geometry;
        let (filters, patch, positions) = (self.filters(), g.patch_len(), g.positions());
        let columns = batch * positions;
        self.channel_major.resize(filters * columns, 0.0);
        let windows = Windows {
            geometry: &g,
            input,
            batch,
        };
        self.gemm.multiply(
            filters,
            columns,
            patch,
            Operand::Plain(&params[self.weight_range()]),
            Operand::Windows(windows),
            &mut self.channel_major,
            false,
        );
        let bias = &params[self.bias_range()];
        for (n, example) in output.chunks_exact_mut(filters * positions).enumerate() {
            for ((f, out), &b) in example.chunks_exact_mut(positions).enumerate().zip(bias) {
                let source = &self.channel_major[f * columns + n * positions..][..positions];
                for (y, &s) in out.iter_mut().zip(source) {
                    *y = s + b;
                }
            }
        }
    }

    /// Writes `dW` and `db` into `grads` (overwriting) and, unless
    /// `grad_input` is `None` (the input is data), `dx` into it; `input` is
    /// the last forward pass's, of `batch` examples.
    pub fn backward(
        &mut self,
        params: &[f32],
        grads: &mut [f32],
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let g = self.geometry;
        let (filters, patch, positions) = (self.filters(), g.patch_len(), g.positions());
        let columns = batch * positions;
        let bias_range = self.bias_range();
        let bias_grad = &mut grads[bias_range];
        bias_grad.fill(0.0);
        for (n, example) in grad_output.chunks_exact(filters * positions).enumerate() {
            for ((f, dy), db) in example
                .chunks_exact(positions)
                .enumerate()
                .zip(bias_grad.iter_mut())
            {
                self.channel_major[f * columns + n * positions..][..positions].copy_from_slice(dy);
                *db += dy.iter().sum::<f32>();
            }
        }
        let windows = Windows {
            geometry: &g,
            input,
            batch,
        };
        self.gemm.multiply(
            filters,
            patch,
            columns,
            Operand::Plain(&self.channel_major),
            Operand::WindowsTransposed(windows),
            &mut grads[self.weight_range()],
            false,
        );
        if let Some(grad_input) = grad_input {
            self.grad_cols.resize(patch * columns, 0.0);
            self.gemm.multiply(
                patch,
                columns,
                filters,
                Operand::Transposed(&params[self.weight_range()]),
                Operand::Plain(&self.channel_major),
                &mut self.grad_cols,
                false,
            );
            col2im(&g, &self.grad_cols, batch, grad_input);
        }
    }
}
