//! Area-averaging ("box filter") downscaling, for shrinking big uploads.
//!
//! Bilinear interpolation reads only 2×2 source pixels per output pixel,
//! so a large reduction skips most of the image and aliases. Here every
//! output pixel is the exact average over the source rectangle it covers,
//! partially covered source pixels counting by their covered fraction.
//! Channels are averaged independently (no premultiplied alpha), which is
//! right for the opaque photos the lab uses.

use super::image::{check_output, checked_byte_len, RgbaImage, RgbaView, CHANNELS};
use crate::error::{Error, Result};

/// For each output index, the source indices it covers and their weights
/// (covered fraction of the source pixel over the output pixel's width).
fn coverage(len: u32, out_len: u32) -> Vec<Vec<(usize, f32)>> {
    let span = len as f64 / out_len as f64;
    (0..out_len)
        .map(|o| {
            let start = o as f64 * span;
            let end = ((o + 1) as f64 * span).min(len as f64);
            let mut taps = Vec::new();
            let mut i = start.floor() as u32;
            while (i as f64) < end && i < len {
                let overlap = (end.min(i as f64 + 1.0) - start.max(i as f64)) / span;
                if overlap > 1e-9 {
                    taps.push((i as usize, overlap as f32));
                }
                i += 1;
            }
            taps
        })
        .collect()
}

/// `src` shrunk to `out_width`×`out_height` by area averaging; fails if
/// either side would grow (use [`super::resize_bilinear`] to enlarge).
pub fn resize_area<'a>(
    src: impl Into<RgbaView<'a>>,
    out_width: u32,
    out_height: u32,
) -> Result<RgbaImage> {
    let len = checked_byte_len("area resize output", out_width, out_height)?;
    let mut out = vec![0u8; len];
    resize_area_into(src, out_width, out_height, &mut out)?;
    RgbaImage::new(out_width, out_height, out)
}

/// Writes the area-averaged reduction of `src` into `out` (`out_width`×`out_height`).
pub fn resize_area_into<'a>(
    src: impl Into<RgbaView<'a>>,
    out_width: u32,
    out_height: u32,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    check_output("area resize", out, out_width, out_height)?;
    if out_width > src.width() || out_height > src.height() {
        return Err(Error::new(format!(
            "area resize only shrinks: cannot turn {}×{} into {out_width}×{out_height}",
            src.width(),
            src.height()
        )));
    }
    let columns = coverage(src.width(), out_width);
    let rows = coverage(src.height(), out_height);
    let row_bytes = src.width() as usize * CHANNELS;
    let out_row_len = out_width as usize * CHANNELS;
    let mut reduced_row = vec![0f32; out_row_len];
    let mut sum = vec![0f32; out_row_len];
    for (out_row, row_taps) in out.chunks_exact_mut(out_row_len).zip(&rows) {
        sum.fill(0.0);
        for &(source_row, row_weight) in row_taps {
            let line = &src.data()[source_row * row_bytes..(source_row + 1) * row_bytes];
            for (reduced, column_taps) in reduced_row.chunks_exact_mut(CHANNELS).zip(&columns) {
                reduced.fill(0.0);
                for &(source_column, weight) in column_taps {
                    let pixel = &line[source_column * CHANNELS..(source_column + 1) * CHANNELS];
                    for c in 0..CHANNELS {
                        reduced[c] += weight * pixel[c] as f32;
                    }
                }
            }
            for (total, reduced) in sum.iter_mut().zip(&reduced_row) {
                *total += row_weight * reduced;
            }
        }
        for (byte, total) in out_row.iter_mut().zip(&sum) {
            *byte = total.round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(())
}

/// `src` shrunk by area averaging so that its longer side is at most
/// `max_side`, keeping the aspect ratio; a copy if it already fits.
pub fn downscale_to_fit<'a>(src: impl Into<RgbaView<'a>>, max_side: u32) -> Result<RgbaImage> {
    let src = src.into();
    if max_side == 0 {
        return Err(Error::new("max_side must be at least 1, got 0"));
    }
    let longest = src.width().max(src.height());
    if longest <= max_side {
        return Ok(src.to_image());
    }
    let scale = max_side as f64 / longest as f64;
    let fit = |side: u32| {
        if side == longest {
            max_side
        } else {
            ((side as f64 * scale).round() as u32).max(1)
        }
    };
    resize_area(src, fit(src.width()), fit(src.height()))
}
