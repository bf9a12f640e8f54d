//! The pipeline's op descriptions: parameter *ranges* to draw from.
//!
//! Every op carries `p`, the probability it is applied at all. Config keys
//! are snake_case (`random_resized_crop.scale`), and every validation error
//! names the key, so a JSON config maps one to one:
//! `{kind: "random_resized_crop", scale: [0.3, 1.0], ratio: [0.75, 1.333], size: [224, 224]}`.
//! Sizes are (width, height).

use super::erase::EraseFill;
use super::noise::MAX_NOISE_STD;
use super::padding::Padding;
use super::random_crop::{check_fraction_range, check_ratio_range};
use crate::error::{check_in, Error, Result};

/// Largest output side a crop op may ask for.
pub const MAX_OUTPUT_SIDE: u32 = 4096;

/// How the cutout box is filled (noise is seeded from the pipeline seed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutoutFill {
    /// One RGB colour.
    Constant([u8; 3]),
    /// Uniform random RGB noise.
    Noise,
}

/// One augmentation op with the ranges its parameters are drawn from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OpSpec {
    /// Mirror left to right.
    HFlip {
        /// Probability of applying the op.
        p: f64,
    },
    /// Mirror top to bottom.
    VFlip {
        /// Probability of applying the op.
        p: f64,
    },
    /// A `size` crop at a uniform position in the image padded by `padding`.
    RandomCrop {
        /// Probability of applying the op.
        p: f64,
        /// Output (width, height).
        size: (u32, u32),
        /// Pixels added on every side before cropping.
        padding: u32,
        /// How the padding is filled.
        padding_mode: Padding,
    },
    /// Crop a random area fraction and aspect ratio, resize to `size`.
    RandomResizedCrop {
        /// Probability of applying the op.
        p: f64,
        /// Range of the crop's area as a fraction of the image (0 < min ≤ max ≤ 1).
        scale: (f64, f64),
        /// Range of the crop's width / height (log-uniform).
        ratio: (f64, f64),
        /// Output (width, height).
        size: (u32, u32),
    },
    /// Random brightness, contrast, saturation, hue (torchvision strengths).
    ColorJitter {
        /// Probability of applying the op.
        p: f64,
        /// Brightness factor drawn from [max(0, 1 − b), 1 + b].
        brightness: f64,
        /// Contrast factor drawn from [max(0, 1 − c), 1 + c].
        contrast: f64,
        /// Saturation factor drawn from [max(0, 1 − s), 1 + s].
        saturation: f64,
        /// Hue rotation drawn from [−h, h] turns, h ≤ 0.5.
        hue: f64,
    },
    /// AlexNet PCA lighting with α ~ N(0, std).
    Lighting {
        /// Probability of applying the op.
        p: f64,
        /// Standard deviation of the weights α (AlexNet: 0.1).
        std: f64,
    },
    /// Rotation by an angle drawn uniformly from `degrees`.
    Rotate {
        /// Probability of applying the op.
        p: f64,
        /// (min, max) angle in degrees, counter-clockwise positive.
        degrees: (f64, f64),
        /// RGBA colour of the uncovered corners.
        fill: [u8; 4],
    },
    /// A whole-pixel shift of up to `max_shift` of the width and height.
    Translate {
        /// Probability of applying the op.
        p: f64,
        /// Largest shift as fractions (of width, of height), each in [0, 1].
        max_shift: (f64, f64),
        /// How the uncovered strip is filled.
        padding: Padding,
    },
    /// Random erasing of a box (area fraction `scale`, ratio `ratio`).
    Cutout {
        /// Probability of applying the op.
        p: f64,
        /// Range of the box's area as a fraction of the image.
        scale: (f64, f64),
        /// Range of the box's width / height (log-uniform).
        ratio: (f64, f64),
        /// What fills the box.
        fill: CutoutFill,
    },
    /// Convert to grey (BT.601 luma).
    Grayscale {
        /// Probability of applying the op.
        p: f64,
    },
    /// Gaussian noise on every R, G, B value.
    Noise {
        /// Probability of applying the op.
        p: f64,
        /// Standard deviation as a fraction of the 0–255 range.
        std: f64,
    },
}

/// The kind of an op, for reports and messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    /// [`OpSpec::HFlip`].
    HFlip,
    /// [`OpSpec::VFlip`].
    VFlip,
    /// [`OpSpec::RandomCrop`].
    RandomCrop,
    /// [`OpSpec::RandomResizedCrop`].
    RandomResizedCrop,
    /// [`OpSpec::ColorJitter`].
    ColorJitter,
    /// [`OpSpec::Lighting`].
    Lighting,
    /// [`OpSpec::Rotate`].
    Rotate,
    /// [`OpSpec::Translate`].
    Translate,
    /// [`OpSpec::Cutout`].
    Cutout,
    /// [`OpSpec::Grayscale`].
    Grayscale,
    /// [`OpSpec::Noise`].
    Noise,
}

impl OpKind {
    /// The snake_case config name ("hflip", "random_resized_crop", ...).
    pub fn name(&self) -> &'static str {
        match self {
            OpKind::HFlip => "hflip",
            OpKind::VFlip => "vflip",
            OpKind::RandomCrop => "random_crop",
            OpKind::RandomResizedCrop => "random_resized_crop",
            OpKind::ColorJitter => "color_jitter",
            OpKind::Lighting => "lighting",
            OpKind::Rotate => "rotate",
            OpKind::Translate => "translate",
            OpKind::Cutout => "cutout",
            OpKind::Grayscale => "grayscale",
            OpKind::Noise => "noise",
        }
    }
}

fn check_size(key: &str, size: (u32, u32)) -> Result<()> {
    let (w, h) = size;
    if (1..=MAX_OUTPUT_SIDE).contains(&w) && (1..=MAX_OUTPUT_SIDE).contains(&h) {
        return Ok(());
    }
    Err(Error::new(format!(
        "{key} must be between 1×1 and {MAX_OUTPUT_SIDE}×{MAX_OUTPUT_SIDE}, got {w}×{h}"
    )))
}

impl OpSpec {
    /// Which op this is.
    pub fn kind(&self) -> OpKind {
        match self {
            OpSpec::HFlip { .. } => OpKind::HFlip,
            OpSpec::VFlip { .. } => OpKind::VFlip,
            OpSpec::RandomCrop { .. } => OpKind::RandomCrop,
            OpSpec::RandomResizedCrop { .. } => OpKind::RandomResizedCrop,
            OpSpec::ColorJitter { .. } => OpKind::ColorJitter,
            OpSpec::Lighting { .. } => OpKind::Lighting,
            OpSpec::Rotate { .. } => OpKind::Rotate,
            OpSpec::Translate { .. } => OpKind::Translate,
            OpSpec::Cutout { .. } => OpKind::Cutout,
            OpSpec::Grayscale { .. } => OpKind::Grayscale,
            OpSpec::Noise { .. } => OpKind::Noise,
        }
    }

    /// The probability of applying the op.
    pub fn probability(&self) -> f64 {
        match *self {
            OpSpec::HFlip { p }
            | OpSpec::VFlip { p }
            | OpSpec::RandomCrop { p, .. }
            | OpSpec::RandomResizedCrop { p, .. }
            | OpSpec::ColorJitter { p, .. }
            | OpSpec::Lighting { p, .. }
            | OpSpec::Rotate { p, .. }
            | OpSpec::Translate { p, .. }
            | OpSpec::Cutout { p, .. }
            | OpSpec::Noise { p, .. }
            | OpSpec::Grayscale { p } => p,
        }
    }

    /// The same op with probability `p` of being applied (a preview of
    /// one op forces 1 so every sample shows its effect).
    pub fn with_probability(mut self, p: f64) -> OpSpec {
        match &mut self {
            OpSpec::HFlip { p: q }
            | OpSpec::VFlip { p: q }
            | OpSpec::RandomCrop { p: q, .. }
            | OpSpec::RandomResizedCrop { p: q, .. }
            | OpSpec::ColorJitter { p: q, .. }
            | OpSpec::Lighting { p: q, .. }
            | OpSpec::Rotate { p: q, .. }
            | OpSpec::Translate { p: q, .. }
            | OpSpec::Cutout { p: q, .. }
            | OpSpec::Noise { p: q, .. }
            | OpSpec::Grayscale { p: q } => *q = p,
        }
        self
    }

    /// Checks every parameter; the error names the key, e.g.
    /// `random_resized_crop.scale must satisfy 0 < min <= max <= 1, got [0.5, 0.2]`.
    pub fn validate(&self) -> Result<()> {
        let kind = self.kind().name();
        let key = |name: &str| format!("{kind}.{name}");
        check_in(&key("p"), self.probability(), 0.0, 1.0)?;
        match *self {
            OpSpec::HFlip { .. } | OpSpec::VFlip { .. } | OpSpec::Grayscale { .. } => Ok(()),
            OpSpec::RandomCrop { size, padding, .. } => {
                check_size(&key("size"), size)?;
                if padding > MAX_OUTPUT_SIDE {
                    return Err(Error::new(format!(
                        "{} must be at most {MAX_OUTPUT_SIDE}, got {padding}",
                        key("padding")
                    )));
                }
                Ok(())
            }
            OpSpec::RandomResizedCrop {
                scale, ratio, size, ..
            } => {
                check_fraction_range(&key("scale"), scale)?;
                check_ratio_range(&key("ratio"), ratio)?;
                check_size(&key("size"), size)
            }
            OpSpec::ColorJitter {
                brightness,
                contrast,
                saturation,
                hue,
                ..
            } => {
                check_in(&key("brightness"), brightness, 0.0, 100.0)?;
                check_in(&key("contrast"), contrast, 0.0, 100.0)?;
                check_in(&key("saturation"), saturation, 0.0, 100.0)?;
                check_in(&key("hue"), hue, 0.0, 0.5)
            }
            OpSpec::Lighting { std, .. } => check_in(&key("std"), std, 0.0, 10.0),
            OpSpec::Rotate { degrees, .. } => {
                let (min, max) = degrees;
                if min.is_finite() && max.is_finite() && min <= max && min >= -360.0 && max <= 360.0
                {
                    Ok(())
                } else {
                    Err(Error::new(format!(
                        "{} must satisfy -360 <= min <= max <= 360, got [{min}, {max}]",
                        key("degrees")
                    )))
                }
            }
            OpSpec::Translate { max_shift, .. } => {
                check_in(&key("maxShift[0]"), max_shift.0, 0.0, 1.0)?;
                check_in(&key("maxShift[1]"), max_shift.1, 0.0, 1.0)
            }
            OpSpec::Cutout { scale, ratio, .. } => {
                check_fraction_range(&key("scale"), scale)?;
                check_ratio_range(&key("ratio"), ratio)
            }
            OpSpec::Noise { std, .. } => check_in(&key("std"), std, 0.0, MAX_NOISE_STD),
        }
    }
}

/// The erase fill a cutout spec turns into, given a drawn noise seed.
pub(crate) fn erase_fill(fill: CutoutFill, noise_seed: u64) -> EraseFill {
    match fill {
        CutoutFill::Constant(colour) => EraseFill::Constant(colour),
        CutoutFill::Noise => EraseFill::Noise { seed: noise_seed },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_probability_changes_only_p() {
        let jitter = OpSpec::ColorJitter {
            p: 0.2,
            brightness: 0.4,
            contrast: 0.3,
            saturation: 0.2,
            hue: 0.1,
        };
        assert_eq!(
            jitter.with_probability(1.0),
            OpSpec::ColorJitter {
                p: 1.0,
                brightness: 0.4,
                contrast: 0.3,
                saturation: 0.2,
                hue: 0.1,
            }
        );
        assert_eq!(
            OpSpec::Grayscale { p: 0.1 }.with_probability(0.0),
            OpSpec::Grayscale { p: 0.0 }
        );
    }
}
