//! Test-time augmentation crops: five-crop and ten-crop.
//!
//! At test time AlexNet-style evaluation averages the predictions over the
//! four corner crops and the centre crop ("five-crop") and over the same
//! five mirrored ("ten-crop").

use super::crop::{crop, CropBox};
use super::flip::hflip_in_place;
use super::image::{RgbaImage, RgbaView};
use crate::error::{Error, Result};

/// One test-time crop: a box, optionally mirrored left to right afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtaCrop {
    /// The box inside the image.
    pub crop: CropBox,
    /// Whether the cropped patch is mirrored.
    pub hflip: bool,
}

/// The five crop boxes of size `crop_width`×`crop_height` in a
/// `width`×`height` image: top-left, top-right, bottom-left, bottom-right,
/// centre (torchvision's order). The centre box's corner is rounded down.
pub fn five_crop_boxes(
    width: u32,
    height: u32,
    crop_width: u32,
    crop_height: u32,
) -> Result<[CropBox; 5]> {
    if crop_width == 0 || crop_height == 0 || crop_width > width || crop_height > height {
        return Err(Error::new(format!(
            "five-crop size {crop_width}×{crop_height} must be non-empty and fit in the {width}×{height} image"
        )));
    }
    let right = (width - crop_width) as i32;
    let bottom = (height - crop_height) as i32;
    let at = |x: i32, y: i32| CropBox::new(x, y, crop_width, crop_height);
    Ok([
        at(0, 0),
        at(right, 0),
        at(0, bottom),
        at(right, bottom),
        at(right / 2, bottom / 2),
    ])
}

/// The ten crops: the five of [`five_crop_boxes`] as they are, then the
/// same five mirrored (the same patches torchvision's `TenCrop` takes from
/// the flipped image).
pub fn ten_crop(
    width: u32,
    height: u32,
    crop_width: u32,
    crop_height: u32,
) -> Result<[TtaCrop; 10]> {
    let boxes = five_crop_boxes(width, height, crop_width, crop_height)?;
    Ok(std::array::from_fn(|i| TtaCrop {
        crop: boxes[i % 5],
        hflip: i >= 5,
    }))
}

/// The patch a test-time crop describes.
pub fn tta_crop<'a>(src: impl Into<RgbaView<'a>>, tta: &TtaCrop) -> Result<RgbaImage> {
    let mut patch = crop(src, tta.crop)?;
    if tta.hflip {
        hflip_in_place(&mut patch);
    }
    Ok(patch)
}
