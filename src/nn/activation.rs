//! Elementwise nonlinearities: ReLU, tanh and the logistic sigmoid.

use crate::error::{Error, Result};

/// The nonlinearity applied after each hidden dense (or batch-norm) layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// max(0, x)
    Relu,
    /// tanh(x)
    Tanh,
    /// σ(x) = 1 / (1 + e^(−x))
    Sigmoid,
}

impl Activation {
    /// Every activation, in the order the UI lists them.
    pub const ALL: [Activation; 3] = [Activation::Relu, Activation::Tanh, Activation::Sigmoid];

    /// The name the JS API uses: "relu", "tanh" or "sigmoid".
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
        }
    }

    /// Reads a JS name; the error names the `activation` setting.
    pub fn parse(name: &str) -> Result<Self> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::new(format!(
                    "activation must be one of relu, tanh, sigmoid, got \"{name}\""
                ))
            })
    }

    /// `output[i] = f(input[i])`.
    pub fn forward(self, input: &[f32], output: &mut [f32]) {
        assert_eq!(
            input.len(),
            output.len(),
            "activation buffers differ in length"
        );
        match self {
            Activation::Relu => {
                // Not `x.max(0.0)`: wasm has no IEEE maxNum, so that becomes a
                // scalar call per element, while a compare-and-select vectorises.
                // NaN stays NaN, so a diverged run still shows.
                for (y, &x) in output.iter_mut().zip(input) {
                    *y = if x < 0.0 { 0.0 } else { x };
                }
            }
            Activation::Tanh => {
                for (y, &x) in output.iter_mut().zip(input) {
                    *y = x.tanh();
                }
            }
            Activation::Sigmoid => {
                for (y, &x) in output.iter_mut().zip(input) {
                    *y = sigmoid(x);
                }
            }
        }
    }

    /// `grad_input[i] = f'(input[i]) · grad_output[i]`, with f' written in
    /// terms of the saved output where that is cheaper (tanh, sigmoid).
    pub fn backward(self, output: &[f32], grad_output: &[f32], grad_input: &mut [f32]) {
        assert!(
            output.len() == grad_output.len() && output.len() == grad_input.len(),
            "activation gradient buffers differ in length"
        );
        let rows = grad_input.iter_mut().zip(output.iter().zip(grad_output));
        match self {
            // y > 0 exactly when x > 0; the kink at 0 gets slope 0.
            Activation::Relu => {
                for (dx, (&y, &dy)) in rows {
                    *dx = if y > 0.0 { dy } else { 0.0 };
                }
            }
            Activation::Tanh => {
                for (dx, (&y, &dy)) in rows {
                    *dx = (1.0 - y * y) * dy;
                }
            }
            Activation::Sigmoid => {
                for (dx, (&y, &dy)) in rows {
                    *dx = y * (1.0 - y) * dy;
                }
            }
        }
    }
}

/// The logistic function, written so that no exponential overflows.
fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_by_hand() {
        let x = [-2.0f32, 0.0, 0.5];
        let mut y = [0.0; 3];
        Activation::Relu.forward(&x, &mut y);
        assert_eq!(y, [0.0, 0.0, 0.5]);
        Activation::Sigmoid.forward(&x, &mut y);
        assert!((y[0] - 0.119_202_92).abs() < 1e-7);
        assert_eq!(y[1], 0.5);
        Activation::Tanh.forward(&x, &mut y);
        assert!((y[2] - 0.462_117_16).abs() < 1e-7);
        let mut big = [0.0; 2];
        Activation::Sigmoid.forward(&[-200.0, 200.0], &mut big);
        assert_eq!(big, [0.0, 1.0]);
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for a in Activation::ALL {
            assert_eq!(Activation::parse(a.name()).unwrap(), a);
        }
        let err = Activation::parse("softplus").unwrap_err();
        assert!(err.message().starts_with("activation"));
    }
}
