//! Horizontal and vertical mirror images.

use super::image::{check_output, RgbaImage, RgbaView, RgbaViewMut, CHANNELS};
use crate::error::Result;

/// The image mirrored left to right.
pub fn hflip<'a>(src: impl Into<RgbaView<'a>>) -> Result<RgbaImage> {
    let src = src.into();
    let mut out = vec![0u8; src.data().len()];
    hflip_into(src, &mut out)?;
    RgbaImage::new(src.width(), src.height(), out)
}

/// Writes the left-right mirror of `src` into `out` (same size as `src`).
pub fn hflip_into<'a>(src: impl Into<RgbaView<'a>>, out: &mut [u8]) -> Result<()> {
    let src = src.into();
    check_output("hflip", out, src.width(), src.height())?;
    let row_bytes = src.width() as usize * CHANNELS;
    for (src_row, out_row) in src
        .data()
        .chunks_exact(row_bytes)
        .zip(out.chunks_exact_mut(row_bytes))
    {
        for (from, to) in src_row
            .chunks_exact(CHANNELS)
            .rev()
            .zip(out_row.chunks_exact_mut(CHANNELS))
        {
            to.copy_from_slice(from);
        }
    }
    Ok(())
}

/// Mirrors the image left to right in place.
pub fn hflip_in_place<'a>(image: impl Into<RgbaViewMut<'a>>) {
    let mut image = image.into();
    let width = image.width() as usize;
    let row_bytes = width * CHANNELS;
    for row in image.data_mut().chunks_exact_mut(row_bytes) {
        for left in 0..width / 2 {
            let right = width - 1 - left;
            for c in 0..CHANNELS {
                row.swap(left * CHANNELS + c, right * CHANNELS + c);
            }
        }
    }
}

/// The image mirrored top to bottom.
pub fn vflip<'a>(src: impl Into<RgbaView<'a>>) -> Result<RgbaImage> {
    let src = src.into();
    let mut out = vec![0u8; src.data().len()];
    vflip_into(src, &mut out)?;
    RgbaImage::new(src.width(), src.height(), out)
}

/// Writes the top-bottom mirror of `src` into `out` (same size as `src`).
pub fn vflip_into<'a>(src: impl Into<RgbaView<'a>>, out: &mut [u8]) -> Result<()> {
    let src = src.into();
    check_output("vflip", out, src.width(), src.height())?;
    let row_bytes = src.width() as usize * CHANNELS;
    for (src_row, out_row) in src
        .data()
        .chunks_exact(row_bytes)
        .rev()
        .zip(out.chunks_exact_mut(row_bytes))
    {
        out_row.copy_from_slice(src_row);
    }
    Ok(())
}

/// Mirrors the image top to bottom in place.
pub fn vflip_in_place<'a>(image: impl Into<RgbaViewMut<'a>>) {
    let mut image = image.into();
    let height = image.height() as usize;
    let row_bytes = image.width() as usize * CHANNELS;
    let data = image.data_mut();
    for top in 0..height / 2 {
        let bottom = height - 1 - top;
        // Split so the two rows can be borrowed mutably at once.
        let (upper, lower) = data.split_at_mut(bottom * row_bytes);
        upper[top * row_bytes..(top + 1) * row_bytes].swap_with_slice(&mut lower[..row_bytes]);
    }
}
