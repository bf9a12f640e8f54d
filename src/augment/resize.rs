//! Bilinear resampling, of a whole image or of a box inside it.
//!
//! Pixel-centre convention (as OpenCV, PIL and PyTorch's
//! `align_corners=False`): output pixel `o` of `n_out` has its centre at
//! `o + 0.5` and reads the source at `(o + 0.5) · n_src / n_out − 0.5`, in
//! source pixel indices, clamped to the first and last source pixel. So a
//! 2×1 image `[a, b]` resized to 3×1 gives `[a, (a + b) / 2, b]`.
//!
//! Weights are fixed point (1/2048); the per-column taps are computed once
//! per call so the inner loops are integer multiply-adds only.

use super::crop::CropBox;
use super::image::{check_output, checked_byte_len, RgbaImage, RgbaView, CHANNELS};
use crate::error::Result;

/// Fixed-point weight scale: 11 bits keep the two-stage product within u32.
const WEIGHT_BITS: u32 = 11;
const WEIGHT_ONE: u32 = 1 << WEIGHT_BITS;

/// The two source samples an output index blends and the second one's weight.
#[derive(Clone, Copy, Debug)]
struct Tap {
    first: usize,
    second: usize,
    second_weight: u32,
}

/// Taps for `out_len` outputs resampling source indices `start..start + len`;
/// `mirror` reverses the output order (a fused flip).
fn axis_taps(start: u32, len: u32, out_len: u32, mirror: bool) -> Vec<Tap> {
    let scale = len as f64 / out_len as f64;
    let last = (len - 1) as f64;
    (0..out_len)
        .map(|o| {
            let index = if mirror { out_len - 1 - o } else { o };
            let position = ((index as f64 + 0.5) * scale - 0.5).clamp(0.0, last);
            let below = position.floor();
            let first = below as u32;
            let second = (first + 1).min(len - 1);
            let second_weight = ((position - below) * WEIGHT_ONE as f64).round() as u32;
            Tap {
                first: (start + first) as usize,
                second: (start + second) as usize,
                second_weight,
            }
        })
        .collect()
}

/// Bilinear resampling of `crop_box` (inside `src`, already checked) to
/// `out_width`×`out_height` in `out`, optionally mirrored in x and/or y.
///
/// Per output row the two source rows are first blended vertically over the
/// box's columns (a contiguous loop the compiler vectorises), then each
/// output pixel blends two columns of that row. The integer result equals
/// the direct 2×2 formula: no rounding happens in between.
pub(crate) fn resample_box(
    src: &RgbaView<'_>,
    crop_box: CropBox,
    out_width: u32,
    out_height: u32,
    mirror_x: bool,
    mirror_y: bool,
    out: &mut [u8],
) {
    // Column taps relative to the box, as offsets into the blended row.
    let x_taps: Vec<Tap> = axis_taps(0, crop_box.width, out_width, mirror_x)
        .into_iter()
        .map(|tap| Tap {
            first: tap.first * CHANNELS,
            second: tap.second * CHANNELS,
            second_weight: tap.second_weight,
        })
        .collect();
    let y_taps = axis_taps(crop_box.y as u32, crop_box.height, out_height, mirror_y);
    let row_bytes = src.width() as usize * CHANNELS;
    let box_start = crop_box.x as usize * CHANNELS;
    let box_bytes = crop_box.width as usize * CHANNELS;
    let data = src.data();
    let out_row_bytes = out_width as usize * CHANNELS;
    let rounding = 1u32 << (2 * WEIGHT_BITS - 1);
    // The box's columns of two source rows blended vertically (weights 1/2048).
    let mut blended = vec![0u32; box_bytes];
    let mut blended_for: Option<(usize, usize, u32)> = None;
    for (out_row, y_tap) in out.chunks_exact_mut(out_row_bytes).zip(&y_taps) {
        let key = (y_tap.first, y_tap.second, y_tap.second_weight);
        if blended_for != Some(key) {
            let upper = &data[y_tap.first * row_bytes + box_start..][..box_bytes];
            let lower = &data[y_tap.second * row_bytes + box_start..][..box_bytes];
            let lower_weight = y_tap.second_weight;
            let upper_weight = WEIGHT_ONE - lower_weight;
            for ((sum, &up), &down) in blended.iter_mut().zip(upper).zip(lower) {
                *sum = up as u32 * upper_weight + down as u32 * lower_weight;
            }
            blended_for = Some(key);
        }
        for (pixel, x_tap) in out_row.chunks_exact_mut(CHANNELS).zip(&x_taps) {
            let right_weight = x_tap.second_weight;
            let left_weight = WEIGHT_ONE - right_weight;
            let left = &blended[x_tap.first..x_tap.first + CHANNELS];
            let right = &blended[x_tap.second..x_tap.second + CHANNELS];
            for c in 0..CHANNELS {
                let value = left[c] * left_weight + right[c] * right_weight + rounding;
                pixel[c] = (value >> (2 * WEIGHT_BITS)) as u8;
            }
        }
    }
}

/// `src` resized to `out_width`×`out_height` by bilinear interpolation.
pub fn resize_bilinear<'a>(
    src: impl Into<RgbaView<'a>>,
    out_width: u32,
    out_height: u32,
) -> Result<RgbaImage> {
    let src = src.into();
    let whole = CropBox::new(0, 0, src.width(), src.height());
    resized_crop(src, whole, out_width, out_height)
}

/// Writes `src` resized bilinearly into `out`, whose size is `out_width`×`out_height`.
pub fn resize_bilinear_into<'a>(
    src: impl Into<RgbaView<'a>>,
    out_width: u32,
    out_height: u32,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    let whole = CropBox::new(0, 0, src.width(), src.height());
    resized_crop_into(src, whole, out_width, out_height, out)
}

/// The part of `src` under `crop_box` (inside the image) resized bilinearly
/// to `out_width`×`out_height`, in one pass: the same as [`super::crop`]
/// followed by [`resize_bilinear`], without the intermediate buffer.
pub fn resized_crop<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    out_width: u32,
    out_height: u32,
) -> Result<RgbaImage> {
    let len = checked_byte_len("resize output", out_width, out_height)?;
    let mut out = vec![0u8; len];
    resized_crop_into(src, crop_box, out_width, out_height, &mut out)?;
    RgbaImage::new(out_width, out_height, out)
}

/// Writes the resized crop into `out`, whose size is `out_width`×`out_height`.
pub fn resized_crop_into<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    out_width: u32,
    out_height: u32,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    crop_box.check_inside("crop box", src.width(), src.height())?;
    check_output("resize", out, out_width, out_height)?;
    resample_box(&src, crop_box, out_width, out_height, false, false, out);
    Ok(())
}
