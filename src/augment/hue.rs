//! Integer rotation of the HSV hue of one pixel.
//!
//! Rotating the hue keeps the value V = max and the saturation, hence the
//! largest and smallest channel and their difference (the chroma). Only
//! which channel is largest and where the middle one sits between min and
//! max change: the hue circle is six linear sectors. So the rotation needs
//! one reciprocal (from a table), no float and no division per pixel.

/// One hue sector (a sixth of a turn) in 16.16 fixed point.
const SECTOR: i64 = 1 << 16;
const TURN: i64 = 6 * SECTOR;

/// `RECIPROCAL[c]` = 2^32 / c rounded, for chroma c in 1..=255.
const RECIPROCAL: [i64; 256] = reciprocal_table();

const fn reciprocal_table() -> [i64; 256] {
    let mut table = [0i64; 256];
    let mut c = 1;
    while c < 256 {
        table[c] = ((1i64 << 32) + c as i64 / 2) / c as i64;
        c += 1;
    }
    table
}

/// A hue rotation by `turns` (any real; whole turns do nothing) as a
/// fixed-point sector offset for [`rotate_hue`].
pub(crate) fn hue_shift(turns: f64) -> i64 {
    (turns.rem_euclid(1.0) * TURN as f64).round() as i64 % TURN
}

/// The pixel (r, g, b) with its hue rotated by `shift` (from [`hue_shift`]).
///
/// Written without data-dependent branches (selects only), since neighbouring
/// pixels of a photo often fall in different hue sectors.
#[inline]
pub(crate) fn rotate_hue(rgb: [u8; 3], shift: i64) -> [u8; 3] {
    let [r, g, b] = rgb.map(|v| v as i64);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    // Hue in sectors: red at 0, yellow 1, green 2, cyan 3, blue 4, magenta 5.
    // (For a grey pixel chroma is 0 and any hue gives the same output.)
    let (base, towards) = if max == r {
        (0, g - b)
    } else if max == g {
        (2 * SECTOR, b - r)
    } else {
        (4 * SECTOR, r - g)
    };
    let mut position = base + ((towards * RECIPROCAL[chroma as usize]) >> 16) + shift;
    // base + offset lies in [−1, 5] sectors and shift in [0, 6): two folds suffice.
    position += if position < 0 { TURN } else { 0 };
    position -= if position >= TURN { TURN } else { 0 };
    // HSV to RGB: channel n ∈ {R: 5, G: 3, B: 1} is max − chroma·clamp(min(k, 4 − k), 0, 1)
    // with k = (n + hue) mod 6, all in sectors.
    let channel = |n: i64| {
        let mut k = n * SECTOR + position;
        k -= if k >= TURN { TURN } else { 0 };
        let ramp = k.min(4 * SECTOR - k).clamp(0, SECTOR);
        (max - ((chroma * ramp + SECTOR / 2) >> 16)) as u8
    };
    [channel(5), channel(3), channel(1)]
}
