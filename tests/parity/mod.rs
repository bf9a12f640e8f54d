//! Checks shared by the native suite (`tests/simd_parity.rs`) and the
//! browser suite (`tests/web.rs`), so every SIMD kernel meets the same
//! independent expectations in both builds: golden pixels from
//! `tests/reference/resample_reference.py`, colour results from the
//! documented formulas, and matrix products summed in the order each kernel
//! documents. In a `simd128` build the browser suite also compares each SIMD
//! path with the portable one byte for byte (`tests/web/simd_parity.rs`).

pub mod color;
pub mod matmul;
pub mod resample;

/// A deterministic byte stream (a 32-bit LCG's top byte), the same one the
/// Python reference uses.
pub fn lcg_bytes(count: usize, seed: u32) -> Vec<u8> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect()
}
