//! Luma (ITU-R BT.601 weights) and the greyscale operation.

use super::color::{ColorAdjust, ColorStep};
use super::image::{RgbaImage, RgbaView, RgbaViewMut};
use crate::error::Result;

/// BT.601 luma weights 0.299, 0.587, 0.114 in 16.16 fixed point; they sum
/// to exactly 65536 so a grey pixel keeps its value.
pub(crate) const LUMA_WEIGHTS: [i32; 3] = [19595, 38470, 7471];

/// Luma of one pixel in 16.16 fixed point (unrounded; at most 255·65536).
#[inline]
pub(crate) fn luma_fixed(r: u8, g: u8, b: u8) -> i32 {
    r as i32 * LUMA_WEIGHTS[0] + g as i32 * LUMA_WEIGHTS[1] + b as i32 * LUMA_WEIGHTS[2]
}

/// `src` in grey: each of R, G, B becomes round(0.299 R + 0.587 G + 0.114 B);
/// alpha is kept.
pub fn grayscale<'a>(src: impl Into<RgbaView<'a>>) -> Result<RgbaImage> {
    ColorAdjust::from_steps(vec![ColorStep::Grayscale])?.apply(src)
}

/// Writes the greyscale version of `src` into `out` (same size).
pub fn grayscale_into<'a>(src: impl Into<RgbaView<'a>>, out: &mut [u8]) -> Result<()> {
    ColorAdjust::from_steps(vec![ColorStep::Grayscale])?.apply_into(src, out)
}

/// Turns the image grey in place.
pub fn grayscale_in_place<'a>(image: impl Into<RgbaViewMut<'a>>) {
    ColorAdjust {
        steps: vec![ColorStep::Grayscale],
    }
    .apply_in_place(image)
}
