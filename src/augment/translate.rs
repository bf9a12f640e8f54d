//! Shifting the image content by whole pixels, padding what is uncovered.

use super::crop::{crop_padded, crop_padded_into, CropBox};
use super::image::{check_output, RgbaImage, RgbaView};
use super::padding::Padding;
use crate::error::Result;

/// The source window whose crop is the translated image: output pixel
/// (x, y) shows source pixel (x − dx, y − dy).
fn window(src: &RgbaView<'_>, dx: i32, dy: i32) -> CropBox {
    CropBox::new(-dx, -dy, src.width(), src.height())
}

/// `src` moved `dx` pixels right and `dy` pixels down (same size); the
/// uncovered strip is filled according to `padding`.
pub fn translate<'a>(
    src: impl Into<RgbaView<'a>>,
    dx: i32,
    dy: i32,
    padding: Padding,
) -> Result<RgbaImage> {
    let src = src.into();
    crop_padded(src, window(&src, dx, dy), padding)
}

/// Writes the translated image into `out` (same size as `src`).
pub fn translate_into<'a>(
    src: impl Into<RgbaView<'a>>,
    dx: i32,
    dy: i32,
    padding: Padding,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    check_output("translate", out, src.width(), src.height())?;
    crop_padded_into(src, window(&src, dx, dy), padding, out)
}
