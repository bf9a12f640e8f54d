//! Rotation about the image centre with bilinear sampling.
//!
//! The output has the input's size; corners that come from outside the
//! source take the fill colour. Bilinear sampling treats the image as
//! surrounded by fill pixels, so edges blend smoothly into the fill. A
//! positive angle turns the content counter-clockwise on screen (as
//! torchvision's `rotate`).

use super::image::{check_output, RgbaImage, RgbaView, CHANNELS};
use crate::error::{Error, Result};

/// `src` rotated by `degrees` counter-clockwise, uncovered areas in `fill`.
pub fn rotate<'a>(src: impl Into<RgbaView<'a>>, degrees: f64, fill: [u8; 4]) -> Result<RgbaImage> {
    let src = src.into();
    let mut out = vec![0u8; src.data().len()];
    rotate_into(src, degrees, fill, &mut out)?;
    RgbaImage::new(src.width(), src.height(), out)
}

/// Writes `src` rotated by `degrees` into `out` (same size as `src`).
pub fn rotate_into<'a>(
    src: impl Into<RgbaView<'a>>,
    degrees: f64,
    fill: [u8; 4],
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    if !degrees.is_finite() {
        return Err(Error::new(format!(
            "rotation angle must be finite, got {degrees}"
        )));
    }
    check_output("rotate", out, src.width(), src.height())?;
    let (width, height) = (src.width() as i64, src.height() as i64);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (centre_x, centre_y) = (width as f64 / 2.0, height as f64 / 2.0);
    let read = |x: i64, y: i64| -> [u8; 4] {
        if x < 0 || y < 0 || x >= width || y >= height {
            fill
        } else {
            src.pixel(x as u32, y as u32)
        }
    };
    for (y, out_row) in out.chunks_exact_mut(width as usize * CHANNELS).enumerate() {
        let dy = y as f64 + 0.5 - centre_y;
        for (x, pixel) in out_row.chunks_exact_mut(CHANNELS).enumerate() {
            let dx = x as f64 + 0.5 - centre_x;
            // Inverse map: the output point turned back by −angle (y axis points down).
            let source_x = centre_x + dx * cos - dy * sin - 0.5;
            let source_y = centre_y + dx * sin + dy * cos - 0.5;
            let (left, top) = (source_x.floor(), source_y.floor());
            let (fx, fy) = (source_x - left, source_y - top);
            let (left, top) = (left as i64, top as i64);
            if left < -1 || top < -1 || left >= width || top >= height {
                pixel.copy_from_slice(&fill);
                continue;
            }
            let (ul, ur) = (read(left, top), read(left + 1, top));
            let (ll, lr) = (read(left, top + 1), read(left + 1, top + 1));
            for c in 0..CHANNELS {
                let upper = ul[c] as f64 * (1.0 - fx) + ur[c] as f64 * fx;
                let lower = ll[c] as f64 * (1.0 - fx) + lr[c] as f64 * fx;
                pixel[c] = (upper * (1.0 - fy) + lower * fy).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    Ok(())
}
