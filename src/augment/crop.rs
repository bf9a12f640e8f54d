//! Cutting a rectangle out of an image, inside it or reaching past its edges.

use super::image::{check_output, RgbaImage, RgbaView, CHANNELS};
use super::padding::Padding;
use crate::error::{Error, Result};

/// A rectangle in pixel coordinates: top-left corner (x, y) and size.
///
/// The corner may be negative for crops that reach past the image edge
/// (random crop with padding, translation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CropBox {
    /// Left edge (column of the first pixel).
    pub x: i32,
    /// Top edge (row of the first pixel).
    pub y: i32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl CropBox {
    /// The box with top-left corner (x, y) and the given size.
    pub fn new(x: i32, y: i32, width: u32, height: u32) -> Self {
        CropBox {
            x,
            y,
            width,
            height,
        }
    }

    /// Number of pixels covered.
    pub fn area(&self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// The same box in the left-right mirror of an image `image_width` wide.
    pub fn mirrored_x(&self, image_width: u32) -> CropBox {
        CropBox {
            x: image_width as i32 - self.x - self.width as i32,
            ..*self
        }
    }

    /// The same box in the top-bottom mirror of an image `image_height` tall.
    pub fn mirrored_y(&self, image_height: u32) -> CropBox {
        CropBox {
            y: image_height as i32 - self.y - self.height as i32,
            ..*self
        }
    }

    /// Whether the box is non-empty and lies inside a `width`×`height` image.
    pub fn fits_inside(&self, width: u32, height: u32) -> bool {
        self.width >= 1
            && self.height >= 1
            && self.x >= 0
            && self.y >= 0
            && self.x as i64 + self.width as i64 <= width as i64
            && self.y as i64 + self.height as i64 <= height as i64
    }

    /// Fails unless the box is non-empty and inside the image; `what` names it.
    pub(crate) fn check_inside(&self, what: &str, width: u32, height: u32) -> Result<()> {
        if self.fits_inside(width, height) {
            return Ok(());
        }
        Err(Error::new(format!(
            "{what} (x={}, y={}, {}×{}) must be non-empty and lie inside the {width}×{height} image",
            self.x, self.y, self.width, self.height
        )))
    }
}

/// The part of `src` under `crop_box`, which must lie inside the image.
pub fn crop<'a>(src: impl Into<RgbaView<'a>>, crop_box: CropBox) -> Result<RgbaImage> {
    let src = src.into();
    crop_box.check_inside("crop box", src.width(), src.height())?;
    let mut out = vec![0u8; crop_box.area() as usize * CHANNELS];
    crop_into(src, crop_box, &mut out)?;
    RgbaImage::new(crop_box.width, crop_box.height, out)
}

/// Writes the part of `src` under `crop_box` into `out` (the box's size).
pub fn crop_into<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    crop_box.check_inside("crop box", src.width(), src.height())?;
    check_output("crop", out, crop_box.width, crop_box.height)?;
    let src_row_bytes = src.width() as usize * CHANNELS;
    let out_row_bytes = crop_box.width as usize * CHANNELS;
    let first = crop_box.x as usize * CHANNELS;
    for (row, out_row) in out.chunks_exact_mut(out_row_bytes).enumerate() {
        let start = (crop_box.y as usize + row) * src_row_bytes + first;
        out_row.copy_from_slice(&src.data()[start..start + out_row_bytes]);
    }
    Ok(())
}

/// The part of `src` under `crop_box`, which may reach past the edges;
/// outside pixels come from `padding`.
pub fn crop_padded<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    padding: Padding,
) -> Result<RgbaImage> {
    let src = src.into();
    let len = super::image::checked_byte_len("padded crop", crop_box.width, crop_box.height)?;
    let mut out = vec![0u8; len];
    crop_padded_into(src, crop_box, padding, &mut out)?;
    RgbaImage::new(crop_box.width, crop_box.height, out)
}

/// Writes the padded crop of `src` under `crop_box` into `out` (the box's size).
pub fn crop_padded_into<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    padding: Padding,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    check_output("padded crop", out, crop_box.width, crop_box.height)?;
    let fill = match padding {
        Padding::Constant(colour) => colour,
        _ => [0; 4],
    };
    let src_width = src.width() as i64;
    // Column lookup once per call, not per pixel.
    let columns: Vec<Option<usize>> = (0..crop_box.width as i64)
        .map(|col| padding.source_index(crop_box.x as i64 + col, src_width))
        .collect();
    let src_row_bytes = src.width() as usize * CHANNELS;
    let out_row_bytes = crop_box.width as usize * CHANNELS;
    for (row, out_row) in out.chunks_exact_mut(out_row_bytes).enumerate() {
        let source_row = padding.source_index(crop_box.y as i64 + row as i64, src.height() as i64);
        for (pixel, column) in out_row.chunks_exact_mut(CHANNELS).zip(&columns) {
            match (source_row, column) {
                (Some(sy), Some(sx)) => {
                    let start = sy * src_row_bytes + sx * CHANNELS;
                    pixel.copy_from_slice(&src.data()[start..start + CHANNELS]);
                }
                _ => pixel.copy_from_slice(&fill),
            }
        }
    }
    Ok(())
}
