//! One entry of a network's layer list, and the shape it produces.
//!
//! A list such as `conv 5×5×16 → relu → maxpool 2 → dense 10` is checked
//! layer by layer against the shape flowing into it; every error names the
//! layer's index and key as JavaScript writes them (`layers[3].size`).

use super::activation::Activation;
use super::dropout::check_drop_prob;
use super::shape::Shape;
use super::spec::MAX_WIDTH;
use crate::error::{Error, Result};

/// Most layers a list may hold.
pub const MAX_LAYERS: usize = 32;
/// Most filters of one convolution.
pub const MAX_FILTERS: usize = 256;
/// Largest side of a convolution or pooling window.
pub const MAX_WINDOW: usize = 16;
/// Largest stride of a convolution or pooling window.
pub const MAX_STRIDE: usize = 16;
/// Most values one example may hold in any layer's output (1 Mi floats).
pub const MAX_EXAMPLE_VALUES: usize = 1 << 20;

/// One layer of a network, as configured (before any parameters exist).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LayerSpec {
    /// Cross-correlation of `filters` kernels of `size × size` over all
    /// input channels, moved `stride` pixels at a time over the input
    /// padded with `pad` zeros on every side (CS231n's `conv_forward_naive`).
    Conv {
        /// Number of kernels F, i.e. output channels.
        filters: usize,
        /// Kernel side HH = WW.
        size: usize,
        /// Step between windows.
        stride: usize,
        /// Zeros added on every side.
        pad: usize,
    },
    /// The maximum of each `size × size` window, windows `stride` apart.
    MaxPool {
        /// Window side.
        size: usize,
        /// Step between windows (the window size unless set).
        stride: usize,
    },
    /// A fully connected layer over the flattened example.
    Dense {
        /// Output width.
        units: usize,
    },
    /// An elementwise nonlinearity.
    Activation(Activation),
    /// Inverted or original dropout with this drop probability.
    Dropout {
        /// Probability of zeroing each unit while training.
        drop_prob: f32,
    },
    /// Batch normalization: per feature after a dense layer, per channel
    /// over batch × height × width after a convolution.
    BatchNorm,
}

impl LayerSpec {
    /// The `kind` the JS settings use: "conv", "maxpool", "dense", "relu",
    /// "tanh", "sigmoid", "dropout" or "batchnorm".
    pub fn kind_name(&self) -> &'static str {
        match self {
            LayerSpec::Conv { .. } => "conv",
            LayerSpec::MaxPool { .. } => "maxpool",
            LayerSpec::Dense { .. } => "dense",
            LayerSpec::Activation(a) => a.name(),
            LayerSpec::Dropout { .. } => "dropout",
            LayerSpec::BatchNorm => "batchnorm",
        }
    }

    /// A short description for messages: "conv 16 5×5 stride 1 pad 0",
    /// "maxpool 2 stride 2", "dense 10", "dropout 0.5", "relu".
    pub fn describe(&self) -> String {
        match *self {
            LayerSpec::Conv {
                filters,
                size,
                stride,
                pad,
            } => format!("conv {filters} {size}×{size} stride {stride} pad {pad}"),
            LayerSpec::MaxPool { size, stride } => format!("maxpool {size} stride {stride}"),
            LayerSpec::Dense { units } => format!("dense {units}"),
            LayerSpec::Dropout { drop_prob } => format!("dropout {drop_prob}"),
            other => other.kind_name().to_string(),
        }
    }

    /// Whether the layer owns trainable parameters (conv, dense, batch norm).
    pub fn has_params(&self) -> bool {
        matches!(
            self,
            LayerSpec::Conv { .. } | LayerSpec::Dense { .. } | LayerSpec::BatchNorm
        )
    }

    /// Number of parameters the layer owns given its input shape.
    pub fn parameter_count(&self, input: Shape) -> usize {
        match *self {
            LayerSpec::Conv { filters, size, .. } => {
                filters * input.channels * size * size + filters
            }
            LayerSpec::Dense { units } => input.len() * units + units,
            LayerSpec::BatchNorm => 2 * input.channels,
            _ => 0,
        }
    }

    /// Checks the layer's own settings (no shapes); `index` is its position.
    pub fn validate(&self, index: usize) -> Result<()> {
        let key = |name: &str| format!("layers[{index}].{name}");
        match *self {
            LayerSpec::Conv {
                filters,
                size,
                stride,
                pad,
            } => {
                in_range(&key("filters"), filters, 1, MAX_FILTERS)?;
                in_range(&key("size"), size, 1, MAX_WINDOW)?;
                in_range(&key("stride"), stride, 1, MAX_STRIDE)?;
                if pad >= size {
                    return Err(Error::new(format!(
                        "{} must be below the kernel size {size}, got {pad}",
                        key("pad")
                    )));
                }
                Ok(())
            }
            LayerSpec::MaxPool { size, stride } => {
                in_range(&key("size"), size, 1, MAX_WINDOW)?;
                in_range(&key("stride"), stride, 1, MAX_STRIDE)
            }
            LayerSpec::Dense { units } => in_range(&key("units"), units, 1, MAX_WIDTH),
            LayerSpec::Dropout { drop_prob } => check_drop_prob(drop_prob as f64).map_err(|_| {
                Error::new(format!(
                    "{} (the drop probability) must be at least 0 and below 1, got {drop_prob}",
                    key("p")
                ))
            }),
            LayerSpec::Activation(_) | LayerSpec::BatchNorm => Ok(()),
        }
    }

    /// The shape this layer outputs for `input`, or an error naming
    /// `layers[index]` when the layer does not fit.
    pub fn output_shape(&self, index: usize, input: Shape) -> Result<Shape> {
        self.validate(index)?;
        let shape = match *self {
            LayerSpec::Conv {
                filters,
                size,
                stride,
                pad,
            } => {
                let (height, width) = (input.height + 2 * pad, input.width + 2 * pad);
                if size > height || size > width {
                    return Err(Error::new(format!(
                        "layers[{index}].size {size} is larger than its input {}×{} (padded by {pad}: {height}×{width})",
                        input.height, input.width
                    )));
                }
                Shape::new(
                    filters,
                    (height - size) / stride + 1,
                    (width - size) / stride + 1,
                )
            }
            LayerSpec::MaxPool { size, stride } => {
                if size > input.height || size > input.width {
                    return Err(Error::new(format!(
                        "layers[{index}].size {size} is larger than its input {}×{}",
                        input.height, input.width
                    )));
                }
                Shape::new(
                    input.channels,
                    (input.height - size) / stride + 1,
                    (input.width - size) / stride + 1,
                )
            }
            LayerSpec::Dense { units } => Shape::flat(units),
            LayerSpec::Activation(_) | LayerSpec::Dropout { .. } | LayerSpec::BatchNorm => input,
        };
        if shape.len() > MAX_EXAMPLE_VALUES {
            return Err(Error::new(format!(
                "layers[{index}] ({}) would output {shape} = {} values per example; the most is {MAX_EXAMPLE_VALUES}",
                self.kind_name(),
                shape.len()
            )));
        }
        Ok(shape)
    }
}

fn in_range(key: &str, value: usize, low: usize, high: usize) -> Result<()> {
    if value < low || value > high {
        return Err(Error::new(format!(
            "{key} must be a whole number from {low} to {high}, got {value}"
        )));
    }
    Ok(())
}

/// The shapes of every layer's output for `input`, checking each layer.
pub fn output_shapes(input: Shape, layers: &[LayerSpec]) -> Result<Vec<Shape>> {
    if layers.is_empty() {
        return Err(Error::new("layers must list at least one layer"));
    }
    if layers.len() > MAX_LAYERS {
        return Err(Error::new(format!(
            "layers may list at most {MAX_LAYERS} layers, got {}",
            layers.len()
        )));
    }
    let mut shape = input;
    layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            shape = layer.output_shape(index, shape)?;
            Ok(shape)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(filters: usize, size: usize, stride: usize, pad: usize) -> LayerSpec {
        LayerSpec::Conv {
            filters,
            size,
            stride,
            pad,
        }
    }

    #[test]
    fn the_issue_network_has_the_lecture_shapes() {
        let layers = [
            conv(16, 5, 1, 0),
            LayerSpec::Activation(Activation::Relu),
            LayerSpec::MaxPool { size: 2, stride: 2 },
            conv(32, 5, 1, 0),
            LayerSpec::Activation(Activation::Relu),
            LayerSpec::MaxPool { size: 2, stride: 2 },
            LayerSpec::Dense { units: 10 },
        ];
        let shapes = output_shapes(Shape::new(1, 28, 28), &layers).unwrap();
        let want = [
            Shape::new(16, 24, 24),
            Shape::new(16, 24, 24),
            Shape::new(16, 12, 12),
            Shape::new(32, 8, 8),
            Shape::new(32, 8, 8),
            Shape::new(32, 4, 4),
            Shape::flat(10),
        ];
        assert_eq!(shapes, want);
        assert_eq!(layers[0].parameter_count(Shape::new(1, 28, 28)), 416);
        assert_eq!(layers[6].parameter_count(Shape::new(32, 4, 4)), 5130);
    }

    #[test]
    fn stride_and_padding_follow_the_cs231n_formula() {
        // (H + 2P − HH)/S + 1 = (7 + 2 − 3)/2 + 1 = 4; the remainder is floored.
        let s = conv(2, 3, 2, 1)
            .output_shape(0, Shape::new(3, 7, 8))
            .unwrap();
        assert_eq!(s, Shape::new(2, 4, 4));
        let p = LayerSpec::MaxPool { size: 3, stride: 2 }
            .output_shape(0, Shape::new(4, 7, 6))
            .unwrap();
        assert_eq!(p, Shape::new(4, 3, 2));
    }

    #[test]
    fn errors_name_the_layer_and_key() {
        let message = |layer: LayerSpec, input: Shape| {
            layer
                .output_shape(3, input)
                .unwrap_err()
                .message()
                .to_string()
        };
        let small = Shape::new(1, 4, 4);
        assert!(message(conv(8, 5, 1, 0), small).starts_with("layers[3].size 5 is larger"));
        assert!(message(conv(0, 3, 1, 0), small).starts_with("layers[3].filters"));
        assert!(message(conv(8, 3, 0, 0), small).starts_with("layers[3].stride"));
        assert!(message(conv(8, 3, 1, 3), small).starts_with("layers[3].pad"));
        let pool = LayerSpec::MaxPool { size: 5, stride: 5 };
        assert!(message(pool, small).starts_with("layers[3].size 5 is larger"));
        assert!(message(LayerSpec::Dense { units: 0 }, small).starts_with("layers[3].units"));
        let drop = LayerSpec::Dropout { drop_prob: 1.0 };
        assert!(message(drop, small).starts_with("layers[3].p"));
        let huge = conv(256, 1, 1, 0).output_shape(0, Shape::new(1, 128, 128));
        assert!(huge.unwrap_err().message().contains("values per example"));
        assert!(output_shapes(small, &[]).is_err());
    }
}
