//! Rotation of the HSV hue, for a block of pixels at a time.
//!
//! Rotating the hue keeps the value V = max and the saturation, hence the
//! largest and smallest channel and their difference (the chroma): only
//! where the colour sits on the six-sector hue circle changes. The code is
//! branch-free per pixel (selects, min/max) and works on plain arrays so
//! the compiler can turn it into SIMD (wasm `simd128`, SSE on x86).

/// Pixels per block in the colour passes.
pub(crate) const BLOCK: usize = 64;

/// Sectors in a turn (red 0, yellow 1, green 2, cyan 3, blue 4, magenta 5).
const TURN: f32 = 6.0;

/// A hue rotation by `turns` (any real; whole turns do nothing) in sectors,
/// in [0, 6).
pub(crate) fn hue_shift(turns: f64) -> f32 {
    let sectors = (turns.rem_euclid(1.0) * TURN as f64) as f32;
    if sectors >= TURN {
        0.0
    } else {
        sectors
    }
}

/// 2^23: adding it to a float in [0, 2^22] leaves the integer nearest to
/// it in the low mantissa bits.
const ROUNDING_MAGIC: f32 = 8_388_608.0;

/// `x` rounded to the nearest integer (ties to even), for 0 ≤ x ≤ 2^22.
///
/// A plain `as i32` is a saturating conversion that x86 without SSE4 cannot
/// vectorise; this is one float add and one integer subtract.
#[inline(always)]
pub(crate) fn round_small(x: f32) -> i32 {
    ((x + ROUNDING_MAGIC).to_bits() - ROUNDING_MAGIC.to_bits()) as i32
}

#[inline(always)]
fn smaller(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

/// Rotates the hue of every pixel in the block by `shift` sectors (from
/// [`hue_shift`]); channels hold integers 0–255 and stay in that range.
pub(crate) fn rotate_hue_block(
    red: &mut [i32; BLOCK],
    green: &mut [i32; BLOCK],
    blue: &mut [i32; BLOCK],
    shift: f32,
) {
    for i in 0..BLOCK {
        let (r, g, b) = (red[i], green[i], blue[i]);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let chroma = max - min;
        // Hue of the pixel in sectors; for a grey (chroma 0) any hue gives
        // the same output, and the divisor 1 avoids 0/0.
        let red_max = max == r;
        let green_max = !red_max && max == g;
        let base = if red_max {
            0.0
        } else if green_max {
            2.0
        } else {
            4.0
        };
        let towards = if red_max {
            g - b
        } else if green_max {
            b - r
        } else {
            r - g
        };
        let mut position = base + towards as f32 / chroma.max(1) as f32 + shift;
        // base + offset lies in [−1, 5] and shift in [0, 6): two folds suffice.
        position += if position < 0.0 { TURN } else { 0.0 };
        position -= if position >= TURN { TURN } else { 0.0 };
        // HSV to RGB: channel n (R 5, G 3, B 1) is
        // max − chroma·clamp(min(k, 4 − k), 0, 1) with k = (n + hue) mod 6.
        let chroma = chroma as f32;
        let channel = |n: f32| {
            let mut k = n + position;
            k -= if k >= TURN { TURN } else { 0.0 };
            let ramp = larger(smaller(smaller(k, 4.0 - k), 1.0), 0.0);
            max - round_small(chroma * ramp)
        };
        red[i] = channel(5.0);
        green[i] = channel(3.0);
        blue[i] = channel(1.0);
    }
}
