//! The shape of one example as it flows through the network.
//!
//! Every buffer is NCHW: example after example, and inside an example
//! channel after channel of `height × width` row-major planes. A flat
//! feature vector (the 2-D points, a dense layer's output) is `n × 1 × 1`,
//! which is also why a dense layer after a convolution simply reads the
//! `C × H × W` values of an example in that order (CS231n's
//! `affine_forward` flattening).

/// Channels, height and width of one example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Number of channels (feature maps, or features of a flat vector).
    pub channels: usize,
    /// Rows of each channel's plane.
    pub height: usize,
    /// Columns of each channel's plane.
    pub width: usize,
}

impl Shape {
    /// A `channels × height × width` example.
    pub const fn new(channels: usize, height: usize, width: usize) -> Self {
        Shape {
            channels,
            height,
            width,
        }
    }

    /// A flat vector of `features` values (`features × 1 × 1`).
    pub const fn flat(features: usize) -> Self {
        Shape::new(features, 1, 1)
    }

    /// Values per example: `C·H·W`.
    pub const fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Whether an example holds no values.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Positions per channel: `H·W`.
    pub const fn plane(&self) -> usize {
        self.height * self.width
    }

    /// Whether the shape is a flat vector (a plane of one position).
    pub const fn is_flat(&self) -> bool {
        self.height == 1 && self.width == 1
    }
}

impl std::fmt::Display for Shape {
    /// `C×H×W`, or just the count for a flat vector.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_flat() {
            write!(f, "{}", self.channels)
        } else {
            write!(f, "{}×{}×{}", self.channels, self.height, self.width)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_display() {
        let s = Shape::new(16, 12, 12);
        assert_eq!((s.len(), s.plane(), s.is_flat()), (2304, 144, false));
        assert_eq!(s.to_string(), "16×12×12");
        assert_eq!(Shape::flat(10).to_string(), "10");
        assert!(Shape::flat(0).is_empty());
    }
}
