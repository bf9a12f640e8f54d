//! Colour jitter: brightness, contrast, saturation and hue, drawn at random.
//!
//! As torchvision's `ColorJitter`: a strength `s` for brightness, contrast
//! or saturation draws a factor uniformly from `[max(0, 1 − s), 1 + s]`; a
//! hue strength `h` (at most 0.5) draws a rotation uniformly from `[−h, h]`
//! of a turn; a strength of 0 leaves that adjustment out. The four are
//! applied in a random order, drawn afresh for every image (torchvision
//! does the same), and the order is reported with the factors.

use super::color::{ColorAdjust, ColorStep};
use super::image::{RgbaImage, RgbaView, RgbaViewMut};
use crate::error::Result;
use crate::rng::Rng;

/// One of the four jitter adjustments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitterKind {
    /// Brightness factor.
    Brightness,
    /// Contrast factor.
    Contrast,
    /// Saturation factor.
    Saturation,
    /// Hue rotation.
    Hue,
}

impl JitterKind {
    /// The snake_case name ("brightness", ...).
    pub fn name(&self) -> &'static str {
        match self {
            JitterKind::Brightness => "brightness",
            JitterKind::Contrast => "contrast",
            JitterKind::Saturation => "saturation",
            JitterKind::Hue => "hue",
        }
    }
}

/// Drawn jitter parameters: three factors (1 = unchanged), a hue rotation
/// in turns (0 = unchanged) and the order they are applied in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JitterFactors {
    /// Brightness factor.
    pub brightness: f64,
    /// Contrast factor.
    pub contrast: f64,
    /// Saturation factor.
    pub saturation: f64,
    /// Hue rotation, fraction of a turn.
    pub hue: f64,
    /// Application order.
    pub order: [JitterKind; 4],
}

impl JitterFactors {
    /// Factors that change nothing, in the fixed order brightness,
    /// contrast, saturation, hue.
    pub fn neutral() -> Self {
        JitterFactors {
            brightness: 1.0,
            contrast: 1.0,
            saturation: 1.0,
            hue: 0.0,
            order: [
                JitterKind::Brightness,
                JitterKind::Contrast,
                JitterKind::Saturation,
                JitterKind::Hue,
            ],
        }
    }

    /// The colour chain these factors describe (validates them).
    pub fn to_adjust(&self) -> Result<ColorAdjust> {
        let steps = self
            .order
            .iter()
            .map(|kind| match kind {
                JitterKind::Brightness => ColorStep::Brightness(self.brightness),
                JitterKind::Contrast => ColorStep::Contrast(self.contrast),
                JitterKind::Saturation => ColorStep::Saturation(self.saturation),
                JitterKind::Hue => ColorStep::Hue(self.hue),
            })
            .collect();
        ColorAdjust::from_steps(steps)
    }
}

/// Jitter strengths as torchvision's `ColorJitter` takes them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JitterStrength {
    /// Brightness strength (≥ 0).
    pub brightness: f64,
    /// Contrast strength (≥ 0).
    pub contrast: f64,
    /// Saturation strength (≥ 0).
    pub saturation: f64,
    /// Hue strength, 0 to 0.5 of a turn.
    pub hue: f64,
}

impl JitterStrength {
    /// Draws factors and an order from `rng`.
    pub fn draw(&self, rng: &mut Rng) -> JitterFactors {
        let mut factors = JitterFactors::neutral();
        rng.shuffle(&mut factors.order);
        let factor = |strength: f64, rng: &mut Rng| {
            if strength == 0.0 {
                1.0
            } else {
                rng.uniform_in((1.0 - strength).max(0.0), 1.0 + strength)
            }
        };
        factors.brightness = factor(self.brightness, rng);
        factors.contrast = factor(self.contrast, rng);
        factors.saturation = factor(self.saturation, rng);
        if self.hue != 0.0 {
            factors.hue = rng.uniform_in(-self.hue, self.hue);
        }
        factors
    }
}

/// `src` with the jitter `factors` applied.
pub fn color_jitter<'a>(
    src: impl Into<RgbaView<'a>>,
    factors: &JitterFactors,
) -> Result<RgbaImage> {
    factors.to_adjust()?.apply(src)
}

/// Writes `src` with the jitter applied into `out` (same size).
pub fn color_jitter_into<'a>(
    src: impl Into<RgbaView<'a>>,
    factors: &JitterFactors,
    out: &mut [u8],
) -> Result<()> {
    factors.to_adjust()?.apply_into(src, out)
}

/// Applies the jitter in place.
pub fn color_jitter_in_place<'a>(
    image: impl Into<RgbaViewMut<'a>>,
    factors: &JitterFactors,
) -> Result<()> {
    factors.to_adjust()?.apply_in_place(image);
    Ok(())
}
