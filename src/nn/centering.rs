//! Preparing a drawn digit the way MNIST's digits were prepared.
//!
//! LeCun et al. describe it: each digit was size-normalised to fit a 20 × 20
//! box, keeping its aspect ratio (anti-aliasing gives grey levels), then
//! placed in a 28 × 28 image so that its centre of mass is at the centre.
//! [`center_digit`] does the same to a drawing of any size: white (1) ink
//! on black (0); ink is every pixel above 0.
//!
//! * the ink's bounding box is scaled so its longer side is 20 pixels
//!   (the other side rounded, at least 1) by area averaging: each output
//!   pixel is the mean of the source area it covers, fractions included;
//! * the centre of mass (Σ v·(x + ½) / Σ v, in pixels) of the scaled digit
//!   is moved to (14, 14), rounded to whole pixels; ink that would land
//!   outside the 28 × 28 image is cut off.
//!
//! A drawing without ink gives an empty (all-zero) image.

use crate::error::{Error, Result};

/// Side of the output image.
pub const DIGIT_SIDE: usize = 28;
/// Side of the box the digit is scaled into.
pub const DIGIT_BOX: usize = 20;
/// Largest drawing side accepted.
pub const MAX_DRAWING_SIDE: usize = 4096;

/// The 28 × 28 MNIST-style image (values in [0, 1], row-major) of a
/// `width × height` drawing; fails on a size mismatch or non-finite values.
pub fn center_digit(pixels: &[f32], width: usize, height: usize) -> Result<Vec<f32>> {
    if !(1..=MAX_DRAWING_SIDE).contains(&width) || !(1..=MAX_DRAWING_SIDE).contains(&height) {
        return Err(Error::new(format!(
            "the drawing must be 1 to {MAX_DRAWING_SIDE} pixels a side, got {width}×{height}"
        )));
    }
    if pixels.len() != width * height {
        return Err(Error::new(format!(
            "the drawing of {width}×{height} needs {} values, got {}",
            width * height,
            pixels.len()
        )));
    }
    if let Some(bad) = pixels.iter().find(|v| !v.is_finite()) {
        return Err(Error::new(format!(
            "the drawing's values must be finite, got {bad}"
        )));
    }
    let mut out = vec![0.0f32; DIGIT_SIDE * DIGIT_SIDE];
    let ink = |x: usize, y: usize| pixels[y * width + x].clamp(0.0, 1.0);
    let (mut left, mut top, mut right, mut bottom) = (width, height, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if ink(x, y) > 0.0 {
                (left, top) = (left.min(x), top.min(y));
                (right, bottom) = (right.max(x + 1), bottom.max(y + 1));
            }
        }
    }
    if left >= right {
        return Ok(out);
    }
    let (box_w, box_h) = (right - left, bottom - top);
    let scale = DIGIT_BOX as f64 / box_w.max(box_h) as f64;
    let out_w = ((box_w as f64 * scale).round() as usize).clamp(1, DIGIT_BOX);
    let out_h = ((box_h as f64 * scale).round() as usize).clamp(1, DIGIT_BOX);

    // Area averaging, separable: columns first, then rows.
    let x_weights = coverage(left, box_w, out_w);
    let y_weights = coverage(top, box_h, out_h);
    let mut columns = vec![0.0f64; box_h * out_w];
    for (y, row) in columns.chunks_exact_mut(out_w).enumerate() {
        for (slot, taps) in row.iter_mut().zip(&x_weights) {
            *slot = taps.iter().map(|&(x, w)| w * ink(x, top + y) as f64).sum();
        }
    }
    let mut small = vec![0.0f64; out_w * out_h];
    for (row, taps) in small.chunks_exact_mut(out_w).zip(&y_weights) {
        for (j, slot) in row.iter_mut().enumerate() {
            *slot = taps
                .iter()
                .map(|&(y, w)| w * columns[(y - top) * out_w + j])
                .sum();
        }
    }

    let mass: f64 = small.iter().sum();
    let (mut cx, mut cy) = (0.0, 0.0);
    for (i, &v) in small.iter().enumerate() {
        cx += v * ((i % out_w) as f64 + 0.5);
        cy += v * ((i / out_w) as f64 + 0.5);
    }
    let (cx, cy) = (cx / mass, cy / mass);
    let half = DIGIT_SIDE as f64 / 2.0;
    let (dx, dy) = ((half - cx).round() as i64, (half - cy).round() as i64);
    for (i, &v) in small.iter().enumerate() {
        let (x, y) = ((i % out_w) as i64 + dx, (i / out_w) as i64 + dy);
        if (0..DIGIT_SIDE as i64).contains(&x) && (0..DIGIT_SIDE as i64).contains(&y) {
            out[y as usize * DIGIT_SIDE + x as usize] = v as f32;
        }
    }
    Ok(out)
}

/// For each of `out_len` output pixels over source pixels
/// `start..start + len`, the source pixels it covers and the share of the
/// output pixel each covers (shares sum to 1).
fn coverage(start: usize, len: usize, out_len: usize) -> Vec<Vec<(usize, f64)>> {
    let step = len as f64 / out_len as f64;
    (0..out_len)
        .map(|o| {
            let (from, to) = (o as f64 * step, (o + 1) as f64 * step);
            let first = from.floor() as usize;
            let last = (to.ceil() as usize).min(len);
            (first..last)
                .map(|s| {
                    let overlap = (to.min(s as f64 + 1.0) - from.max(s as f64)).max(0.0);
                    (start + s, overlap / step)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas(width: usize, height: usize, ink: &[(usize, usize, usize, usize)]) -> Vec<f32> {
        let mut pixels = vec![0.0; width * height];
        for &(x0, y0, w, h) in ink {
            for y in y0..y0 + h {
                for x in x0..x0 + w {
                    pixels[y * width + x] = 1.0;
                }
            }
        }
        pixels
    }

    fn ink_box(image: &[f32]) -> (usize, usize, usize, usize) {
        let lit: Vec<usize> = (0..image.len()).filter(|&i| image[i] > 0.0).collect();
        let xs = lit.iter().map(|i| i % DIGIT_SIDE);
        let ys = lit.iter().map(|i| i / DIGIT_SIDE);
        (
            xs.clone().min().unwrap(),
            ys.clone().min().unwrap(),
            xs.max().unwrap() + 1,
            ys.max().unwrap() + 1,
        )
    }

    #[test]
    fn a_square_in_a_corner_fills_the_central_20x20_box() {
        // A 10×10 square at the top left of a 100×100 drawing: scaled ×2 to
        // 20×20 of ones, centre of mass (10, 10) moved to (14, 14).
        let image = center_digit(&canvas(100, 100, &[(3, 5, 10, 10)]), 100, 100).unwrap();
        assert_eq!(ink_box(&image), (4, 4, 24, 24));
        assert!(image.iter().all(|&v| v == 0.0 || v == 1.0));
        assert_eq!(image.iter().sum::<f32>(), 400.0);
    }

    #[test]
    fn a_wide_bar_keeps_its_aspect_ratio() {
        // 40×20 → 20×10; its centre (10, 5) goes to (14, 14): columns 4..24, rows 9..19.
        let image = center_digit(&canvas(60, 50, &[(15, 25, 40, 20)]), 60, 50).unwrap();
        assert_eq!(ink_box(&image), (4, 9, 24, 19));
    }

    #[test]
    fn the_centre_of_mass_not_the_box_goes_to_the_middle() {
        // An L: a 4×40 stem and a 36×4 foot. The box is 40×40 → ×0.5; the mass
        // sits low and left, so the box lands up and right of centre.
        let drawing = canvas(80, 80, &[(10, 10, 4, 40), (14, 46, 36, 4)]);
        let image = center_digit(&drawing, 80, 80).unwrap();
        let mass: f32 = image.iter().sum();
        let cx: f32 = (0..784)
            .map(|i| image[i] * ((i % 28) as f32 + 0.5))
            .sum::<f32>()
            / mass;
        let cy: f32 = (0..784)
            .map(|i| image[i] * ((i / 28) as f32 + 0.5))
            .sum::<f32>()
            / mass;
        assert!(
            (cx - 14.0).abs() <= 0.5 && (cy - 14.0).abs() <= 0.5,
            "{cx} {cy}"
        );
        let (left, top, right, bottom) = ink_box(&image);
        assert_eq!((right - left, bottom - top), (20, 20));
        assert!(left > 4 && top < 4, "{left} {top}");
        // Area averaging: a 4-pixel stem scaled by 0.5 is 2 full pixels wide.
        assert!((mass - (160.0 + 144.0) / 4.0).abs() < 1e-3, "{mass}");
    }

    #[test]
    fn a_small_drawing_is_enlarged_and_grey_edges_come_from_partial_cover() {
        // A 3×3 blob → 20×20 (scale 20/3): every output pixel is inside → all ones.
        let image = center_digit(&canvas(5, 5, &[(1, 1, 3, 3)]), 5, 5).unwrap();
        assert_eq!(ink_box(&image), (4, 4, 24, 24));
        // 4 ink pixels in a 3 × 2 box → 20 × 13 (scale 20/3, 13.3 rounded):
        // output row 6 straddles the two source rows, so the right part of
        // it, over an inked and an empty pixel, is grey. Area averaging
        // keeps the ink: 4 · (20·13)/(3·2).
        let image = center_digit(&canvas(3, 2, &[(0, 0, 3, 1), (0, 1, 1, 1)]), 3, 2).unwrap();
        let mass: f32 = image.iter().sum();
        assert!((mass - 4.0 * 260.0 / 6.0).abs() < 1e-3, "{mass}");
        let (left, top, right, bottom) = ink_box(&image);
        assert_eq!((right - left, bottom - top), (20, 13));
        let straddling = &image[(top + 6) * 28..(top + 7) * 28];
        assert!((straddling[right - 1] - 0.5).abs() < 1e-6, "{straddling:?}");
    }

    #[test]
    fn empty_and_bad_drawings() {
        assert_eq!(center_digit(&[0.0; 16], 4, 4).unwrap(), vec![0.0; 784]);
        assert!(center_digit(&[0.0; 15], 4, 4).is_err());
        assert!(center_digit(&[f32::NAN; 16], 4, 4).is_err());
        assert!(center_digit(&[], 0, 0).is_err());
    }
}
