//! The colour pass against two expectations that do not depend on how it
//! splits pixels into channels: the documented saturation formula computed
//! here (within ±1: the kernel works in f32 and may round exact ties to
//! even), and per-pixel consistency between a full 64-pixel block (the
//! SIMD split and merge in a `simd128` build) and a partial last block
//! (always the portable loop), which must agree byte for byte.

use trainlab::augment::{ColorAdjust, ColorStep, RgbaView};

/// Pixels the colour pass handles per block (`src/augment/hue.rs`).
const BLOCK: usize = 64;

/// An image of `BLOCK + tail` pixels whose last `tail` pixels repeat its
/// first `tail`: the copies sit in the partial last block.
fn repeated_tail_image(tail: usize, seed: u32) -> Vec<u8> {
    let head = super::lcg_bytes(BLOCK * 4, seed);
    let mut data = head.clone();
    data.extend_from_slice(&head[..tail * 4]);
    data
}

fn apply(steps: &[ColorStep], data: &[u8]) -> Vec<u8> {
    let pixels = (data.len() / 4) as u32;
    let chain = ColorAdjust::from_steps(steps.to_vec()).unwrap();
    chain
        .apply(RgbaView::new(pixels, 1, data).unwrap())
        .unwrap()
        .data()
        .to_vec()
}

/// The chains checked: each has a stage that splits blocks into channels.
pub fn chains() -> Vec<Vec<ColorStep>> {
    vec![
        vec![ColorStep::Saturation(0.3)],
        vec![ColorStep::Grayscale],
        vec![ColorStep::Hue(0.2)],
        vec![ColorStep::Hue(-0.45), ColorStep::Saturation(1.7)],
        vec![ColorStep::Brightness(1.3), ColorStep::Saturation(2.5)],
        vec![ColorStep::AddRgb([12.0, -30.0, 7.5]), ColorStep::Hue(0.6)],
        // Contrast after a non-table stage: the first pass also sums luma.
        vec![ColorStep::Saturation(0.6), ColorStep::Contrast(0.5)],
    ]
}

/// Pixels in a full block and their copies in a partial block come out the
/// same, for every tail length 1..=63 (every position of the four-pixel
/// SIMD groups); alpha is never touched.
pub fn full_and_partial_blocks_agree() {
    for (c, chain) in chains().iter().enumerate() {
        for tail in 1..BLOCK {
            let data = repeated_tail_image(tail, 77 + tail as u32);
            let out = apply(chain, &data);
            let head = &out[..tail * 4];
            let copy = &out[BLOCK * 4..];
            assert_eq!(head, copy, "chain {c} {chain:?}, tail {tail}");
            for (i, pixel) in out.chunks_exact(4).enumerate() {
                assert_eq!(pixel[3], data[i * 4 + 3], "alpha of pixel {i}, chain {c}");
            }
        }
    }
}

/// `luma + f·(v − luma)` per channel (BT.601 luma), rounded and clamped:
/// the formula `ColorStep::Saturation` documents, in f64.
pub fn saturation_matches_its_formula() {
    for factor in [0.0, 0.3, 1.7, 4.0] {
        // Two full blocks and a partial one.
        let data = super::lcg_bytes((2 * BLOCK + 37) * 4, 5 + (factor * 10.0) as u32);
        let out = apply(&[ColorStep::Saturation(factor)], &data);
        let mut exact = 0;
        for (i, (src, got)) in data.chunks_exact(4).zip(out.chunks_exact(4)).enumerate() {
            let luma = 0.299 * src[0] as f64 + 0.587 * src[1] as f64 + 0.114 * src[2] as f64;
            for c in 0..3 {
                let want = (luma + factor * (src[c] as f64 - luma)).clamp(0.0, 255.0);
                let diff = (got[c] as f64 - want).abs();
                assert!(
                    diff <= 1.0,
                    "saturation {factor}: pixel {i} channel {c} is {}, formula gives {want:.3}",
                    got[c]
                );
                exact += (diff <= 0.5) as usize;
            }
            assert_eq!(got[3], src[3], "alpha of pixel {i}");
        }
        // Nearly every value is the nearest integer; ±1 is for ties and f32.
        assert!(
            exact * 100 >= 99 * 3 * (data.len() / 4),
            "{exact} exact values"
        );
    }
}
