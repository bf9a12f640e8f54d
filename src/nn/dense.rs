//! The fully connected layer `Y = X·W + b`.
//!
//! `X` is `[batch][inputs]`, `W` is `[inputs][outputs]` and `b` is
//! `[outputs]`, all row-major, and `W` then `b` sit next to each other in the
//! model's flat parameter vector. The layer owns no parameters itself, only
//! an offset into that vector and two scratch matrices for transposes.

use super::matmul::{column_sums, matmul, matmul_transposed_a, matmul_transposed_b, transpose};

/// Outputs (or inputs) at least this wide are vectorised along that side;
/// narrower ones are handled as dot products along the other side.
const WIDE: usize = 16;

/// A dense layer: its shape and where its parameters live.
#[derive(Clone, Debug)]
pub struct Dense {
    inputs: usize,
    outputs: usize,
    offset: usize,
    /// `Wᵀ`, `[outputs][inputs]`, refreshed whenever a product needs it.
    weights_transposed: Vec<f32>,
    /// `dWᵀ` for narrow outputs, transposed into place afterwards.
    weight_grad_transposed: Vec<f32>,
}

impl Dense {
    /// A layer whose `W` starts at `offset` in the flat parameters.
    pub fn new(inputs: usize, outputs: usize, offset: usize) -> Self {
        Dense {
            inputs,
            outputs,
            offset,
            weights_transposed: vec![0.0; inputs * outputs],
            weight_grad_transposed: vec![0.0; inputs * outputs],
        }
    }

    /// Width of each input row.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Width of each output row.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// Where `W` starts in the flat parameter vector.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of parameters: `inputs·outputs` weights then `outputs` biases.
    pub fn parameter_count(&self) -> usize {
        self.inputs * self.outputs + self.outputs
    }

    /// The range of `W` in the flat parameter vector.
    pub fn weight_range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.inputs * self.outputs
    }

    /// The range of `b` in the flat parameter vector.
    pub fn bias_range(&self) -> std::ops::Range<usize> {
        let start = self.offset + self.inputs * self.outputs;
        start..start + self.outputs
    }

    /// `output = input·W + b` for `batch` rows.
    pub fn forward(&mut self, params: &[f32], input: &[f32], output: &mut [f32], batch: usize) {
        let (weights, bias) = (&params[self.weight_range()], &params[self.bias_range()]);
        let (k, n) = (self.inputs, self.outputs);
        if n >= WIDE {
            matmul(input, weights, Some(bias), output, batch, k, n);
        } else {
            // A handful of outputs: dot products along the (longer) input side.
            transpose(weights, &mut self.weights_transposed, k, n);
            matmul_transposed_b(
                input,
                &self.weights_transposed,
                Some(bias),
                output,
                batch,
                k,
                n,
            );
        }
    }

    /// Writes `dW = Xᵀ·dY` and `db = Σ_rows dY` into `grads` (overwriting),
    /// and `dX = dY·Wᵀ` into `grad_input` unless it is `None` (the first
    /// layer, whose input is data, needs no input gradient).
    pub fn backward(
        &mut self,
        params: &[f32],
        grads: &mut [f32],
        input: &[f32],
        grad_output: &[f32],
        grad_input: Option<&mut [f32]>,
        batch: usize,
    ) {
        let (k, n) = (self.inputs, self.outputs);
        let weight_range = self.weight_range();
        let bias_range = self.bias_range();
        if n >= 8 {
            matmul_transposed_a(
                input,
                grad_output,
                &mut grads[weight_range.clone()],
                batch,
                k,
                n,
            );
        } else {
            // dWᵀ = dYᵀ·X is vectorised along the inputs instead of the few outputs.
            matmul_transposed_a(
                grad_output,
                input,
                &mut self.weight_grad_transposed,
                batch,
                n,
                k,
            );
            transpose(
                &self.weight_grad_transposed,
                &mut grads[weight_range.clone()],
                n,
                k,
            );
        }
        column_sums(grad_output, &mut grads[bias_range], batch, n);

        if let Some(grad_input) = grad_input {
            let weights = &params[weight_range];
            if k >= WIDE {
                transpose(weights, &mut self.weights_transposed, k, n);
                matmul(
                    grad_output,
                    &self.weights_transposed,
                    None,
                    grad_input,
                    batch,
                    n,
                    k,
                );
            } else {
                // Row p of W is the p-th column of Wᵀ: dots of length `outputs`.
                matmul_transposed_b(grad_output, weights, None, grad_input, batch, n, k);
            }
        }
    }
}
