//! Drawing crop boxes: random crop with padding, and the random resized
//! crop of Inception / torchvision's `RandomResizedCrop`.

use super::crop::CropBox;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Fails unless `0 < min <= max <= 1`; `name` is the config key.
pub(crate) fn check_fraction_range(name: &str, range: (f64, f64)) -> Result<()> {
    let (min, max) = range;
    if min.is_finite() && max.is_finite() && 0.0 < min && min <= max && max <= 1.0 {
        return Ok(());
    }
    Err(Error::new(format!(
        "{name} must satisfy 0 < min <= max <= 1, got [{min}, {max}]"
    )))
}

/// Fails unless `0 < min <= max <= 100` (aspect ratios, width / height).
pub(crate) fn check_ratio_range(name: &str, range: (f64, f64)) -> Result<()> {
    let (min, max) = range;
    if min.is_finite() && max.is_finite() && 0.0 < min && min <= max && max <= 100.0 {
        return Ok(());
    }
    Err(Error::new(format!(
        "{name} must satisfy 0 < min <= max <= 100, got [{min}, {max}]"
    )))
}

/// Draws a box size whose area is a uniform fraction `scale` of
/// `area` and whose width / height ratio is log-uniform in `ratio`.
pub(crate) fn draw_box_size(
    area: f64,
    scale: (f64, f64),
    ratio: (f64, f64),
    rng: &mut Rng,
) -> (i64, i64) {
    let target_area = area * rng.uniform_in(scale.0, scale.1);
    let aspect = rng.uniform_in(ratio.0.ln(), ratio.1.ln()).exp();
    let width = (target_area * aspect).sqrt().round() as i64;
    let height = (target_area / aspect).sqrt().round() as i64;
    (width, height)
}

/// A drawn random-resized-crop box and whether the draws all failed and
/// the centre-crop fallback was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResizedCropDraw {
    /// The box, inside the image.
    pub crop: CropBox,
    /// True if the ten draws failed and a centre crop was taken instead.
    pub fallback: bool,
}

/// Number of draws before falling back to a centre crop (torchvision's 10).
const ATTEMPTS: usize = 10;

/// Draws the crop box of a random resized crop of a `width`×`height` image.
///
/// Up to ten times: draw an area fraction uniformly from `scale` and a
/// width/height ratio log-uniformly from `ratio`, round the box sides and
/// keep the box if it fits, at a uniformly random position. Otherwise
/// take the largest centred box whose ratio is clamped into `ratio`.
pub fn random_resized_crop_box(
    width: u32,
    height: u32,
    scale: (f64, f64),
    ratio: (f64, f64),
    rng: &mut Rng,
) -> Result<ResizedCropDraw> {
    check_fraction_range("scale", scale)?;
    check_ratio_range("ratio", ratio)?;
    if width == 0 || height == 0 {
        return Err(Error::new(format!(
            "random resized crop needs a non-empty image, got {width}×{height}"
        )));
    }
    let (w, h) = (width as i64, height as i64);
    for _ in 0..ATTEMPTS {
        let (crop_w, crop_h) = draw_box_size((w * h) as f64, scale, ratio, rng);
        if (1..=w).contains(&crop_w) && (1..=h).contains(&crop_h) {
            let x = rng.below((w - crop_w + 1) as usize) as i32;
            let y = rng.below((h - crop_h + 1) as usize) as i32;
            return Ok(ResizedCropDraw {
                crop: CropBox::new(x, y, crop_w as u32, crop_h as u32),
                fallback: false,
            });
        }
    }
    let image_ratio = w as f64 / h as f64;
    let (crop_w, crop_h) = if image_ratio < ratio.0 {
        (w, ((w as f64 / ratio.0).round() as i64).clamp(1, h))
    } else if image_ratio > ratio.1 {
        (((h as f64 * ratio.1).round() as i64).clamp(1, w), h)
    } else {
        (w, h)
    };
    Ok(ResizedCropDraw {
        crop: CropBox::new(
            ((w - crop_w) / 2) as i32,
            ((h - crop_h) / 2) as i32,
            crop_w as u32,
            crop_h as u32,
        ),
        fallback: true,
    })
}

/// Draws a `crop_width`×`crop_height` box uniformly inside the image
/// padded by `padding` pixels on every side (so the box may reach up to
/// `padding` past the edges, as torchvision's `RandomCrop(padding=...)`).
pub fn random_crop_box(
    width: u32,
    height: u32,
    crop_width: u32,
    crop_height: u32,
    padding: u32,
    rng: &mut Rng,
) -> Result<CropBox> {
    let padded_w = width as i64 + 2 * padding as i64;
    let padded_h = height as i64 + 2 * padding as i64;
    if crop_width == 0
        || crop_height == 0
        || crop_width as i64 > padded_w
        || crop_height as i64 > padded_h
    {
        return Err(Error::new(format!(
            "random_crop.size {crop_width}×{crop_height} must be non-empty and fit in the \
             {padded_w}×{padded_h} padded image ({width}×{height} plus padding {padding})"
        )));
    }
    let x = rng.below((padded_w - crop_width as i64 + 1) as usize) as i64 - padding as i64;
    let y = rng.below((padded_h - crop_height as i64 + 1) as usize) as i64 - padding as i64;
    Ok(CropBox::new(x as i32, y as i32, crop_width, crop_height))
}
