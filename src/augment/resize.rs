//! Bilinear resampling, of a whole image or of a box inside it.
//!
//! Pixel-centre convention (as OpenCV, PIL and PyTorch's
//! `align_corners=False`): output pixel `o` of `n_out` has its centre at
//! `o + 0.5` and reads the source at `(o + 0.5) · n_src / n_out − 0.5`, in
//! source pixel indices, clamped to the first and last source pixel. So a
//! 2×1 image `[a, b]` resized to 3×1 gives `[a, (a + b) / 2, b]`.
//!
//! Weights are fixed point (1/2048); the per-column taps are computed once
//! per call so the inner loops are integer multiply-adds only, rounded once
//! per output value.

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
            // round() of a non-negative value without a libm call in wasm.
            let scaled = (position - below) * WEIGHT_ONE as f64;
            let whole = scaled.floor();
            let second_weight = whole as u32 + (scaled - whole >= 0.5) as u32;
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
/// Every output value is the integer sum of pixel × (row weight × column
/// weight) over its 2×2 source pixels, rounded once: at most 255·2²² plus the
/// rounding term, so it fits in u32 and the order of the multiply-adds does
/// not change the result. With wasm `simd128` each output pixel is blended
/// directly (see [`simd`]); elsewhere two source rows are first blended over
/// the box's columns (a contiguous loop the compiler vectorises), then each
/// output pixel blends two columns of that row.
pub(crate) fn resample_box(
    src: &RgbaView<'_>,
    crop_box: CropBox,
    out_width: u32,
    out_height: u32,
    mirror_x: bool,
    mirror_y: bool,
    out: &mut [u8],
) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if src.width() >= 2 {
        let x_taps = axis_taps(crop_box.x as u32, crop_box.width, out_width, mirror_x);
        let y_taps = axis_taps(crop_box.y as u32, crop_box.height, out_height, mirror_y);
        let row_bytes = src.width() as usize * CHANNELS;
        let data = src.data();
        let pairs = simd::column_pairs(&x_taps, src.width() as usize);
        let out_row_bytes = out_width as usize * CHANNELS;
        for (out_row, y_tap) in out.chunks_exact_mut(out_row_bytes).zip(&y_taps) {
            let upper = &data[y_tap.first * row_bytes..][..row_bytes];
            let lower = &data[y_tap.second * row_bytes..][..row_bytes];
            simd::blend_row(upper, lower, y_tap.second_weight, &pairs, out_row);
        }
        return;
    }
    resample_rows_then_columns(
        src, crop_box, out_width, out_height, mirror_x, mirror_y, out,
    );
}

/// The portable form of [`resample_box`]: rows blended first, then columns.
fn resample_rows_then_columns(
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

/// The same row blend with wasm `simd128`: one 8-byte load fetches both
/// source pixels of a tap, four channels are blended at once, and four
/// output pixels are narrowed to bytes and stored together.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{Tap, CHANNELS, WEIGHT_BITS, WEIGHT_ONE};
    use core::arch::wasm32::*;

    /// A tap as two adjacent source pixels: the byte offset of the first and
    /// the weights of both, as `[w0; 4]` then `[w1; 4]` in u16 lanes.
    pub(super) struct ColumnPair {
        offset: usize,
        weights: v128,
    }

    /// Turns taps into adjacent pairs for a row `src_width` ≥ 2 pixels wide.
    /// A tap's second column is its first plus one, or equal to it with
    /// weight 0 (clamped at the box's last column); in the image's last
    /// column the pair starts one pixel earlier with all weight on its
    /// second pixel, so the 8-byte load never leaves the row.
    pub(super) fn column_pairs(taps: &[Tap], src_width: usize) -> Vec<ColumnPair> {
        taps.iter()
            .map(|tap| {
                debug_assert!(
                    tap.second == tap.first + 1
                        || (tap.second == tap.first && tap.second_weight == 0)
                );
                let (start, first_weight, second_weight) = if tap.first + 1 >= src_width {
                    (src_width - 2, 0, WEIGHT_ONE)
                } else {
                    (tap.first, WEIGHT_ONE - tap.second_weight, tap.second_weight)
                };
                let (a, b) = (first_weight as u16, second_weight as u16);
                ColumnPair {
                    offset: start * CHANNELS,
                    weights: u16x8(a, a, a, a, b, b, b, b),
                }
            })
            .collect()
    }

    /// Both rows' horizontal blends of one pair, scaled by the row weights.
    #[inline(always)]
    fn pixel(upper: &[u8], lower: &[u8], pair: &ColumnPair, row_weights: (v128, v128)) -> v128 {
        assert!(pair.offset + 2 * CHANNELS <= upper.len() && upper.len() == lower.len());
        // SAFETY: the assert keeps both 8-byte loads inside the rows.
        let (top, bottom) = unsafe {
            (
                u16x8_load_extend_u8x8(upper.as_ptr().add(pair.offset)),
                u16x8_load_extend_u8x8(lower.as_ptr().add(pair.offset)),
            )
        };
        let top = i32x4_add(
            u32x4_extmul_low_u16x8(top, pair.weights),
            u32x4_extmul_high_u16x8(top, pair.weights),
        );
        let bottom = i32x4_add(
            u32x4_extmul_low_u16x8(bottom, pair.weights),
            u32x4_extmul_high_u16x8(bottom, pair.weights),
        );
        let rounding = u32x4_splat(1 << (2 * WEIGHT_BITS - 1));
        let sum = i32x4_add(
            i32x4_add(
                i32x4_mul(top, row_weights.0),
                i32x4_mul(bottom, row_weights.1),
            ),
            rounding,
        );
        u32x4_shr(sum, 2 * WEIGHT_BITS)
    }

    /// One output row from two source rows (`lower_weight` of 2048 on the
    /// lower): per pixel, each row's two columns, then the two rows.
    pub(super) fn blend_row(
        upper: &[u8],
        lower: &[u8],
        lower_weight: u32,
        pairs: &[ColumnPair],
        out_row: &mut [u8],
    ) {
        let row_weights = (
            u32x4_splat(WEIGHT_ONE - lower_weight),
            u32x4_splat(lower_weight),
        );
        let mut out_quads = out_row.chunks_exact_mut(4 * CHANNELS);
        let mut pair_quads = pairs.chunks_exact(4);
        for (quad, four) in (&mut out_quads).zip(&mut pair_quads) {
            let p0 = pixel(upper, lower, &four[0], row_weights);
            let p1 = pixel(upper, lower, &four[1], row_weights);
            let p2 = pixel(upper, lower, &four[2], row_weights);
            let p3 = pixel(upper, lower, &four[3], row_weights);
            // Values are 0..=255, so both narrowings are exact.
            let bytes = u8x16_narrow_i16x8(i16x8_narrow_i32x4(p0, p1), i16x8_narrow_i32x4(p2, p3));
            // SAFETY: a v128 is 16 plain bytes.
            let lanes: [u8; 16] = unsafe { core::mem::transmute(bytes) };
            quad.copy_from_slice(&lanes);
        }
        for (out_pixel, pair) in out_quads
            .into_remainder()
            .chunks_exact_mut(CHANNELS)
            .zip(pair_quads.remainder())
        {
            let value = pixel(upper, lower, pair, row_weights);
            for (c, byte) in out_pixel.iter_mut().enumerate() {
                *byte = u32x4_extract_lane_dyn(value, c) as u8;
            }
        }
    }

    /// Lane `c` (0–3) of a u32x4.
    #[inline(always)]
    fn u32x4_extract_lane_dyn(value: v128, c: usize) -> u32 {
        // SAFETY: a v128 is four plain u32 lanes.
        let lanes: [u32; 4] = unsafe { core::mem::transmute(value) };
        lanes[c]
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

/// The resampling kernel itself: `crop_box` of `src` resized to
/// `out_width`×`out_height` into `out`, mirrored in x and/or y as asked
/// (the pipeline fuses flips into the resample this way). Uses the wasm
/// `simd128` form where the build has it.
pub fn resample_into<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    (out_width, out_height): (u32, u32),
    (mirror_x, mirror_y): (bool, bool),
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    crop_box.check_inside("crop box", src.width(), src.height())?;
    check_output("resize", out, out_width, out_height)?;
    resample_box(
        &src, crop_box, out_width, out_height, mirror_x, mirror_y, out,
    );
    Ok(())
}

/// [`resample_into`] always through the portable (non-SIMD) form, so tests
/// in a `simd128` build can compare the two byte for byte.
pub fn resample_portable_into<'a>(
    src: impl Into<RgbaView<'a>>,
    crop_box: CropBox,
    (out_width, out_height): (u32, u32),
    (mirror_x, mirror_y): (bool, bool),
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    crop_box.check_inside("crop box", src.width(), src.height())?;
    check_output("resize", out, out_width, out_height)?;
    resample_rows_then_columns(
        &src, crop_box, out_width, out_height, mirror_x, mirror_y, out,
    );
    Ok(())
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
