//! Every `simd128` path of the crate against its portable twin, byte for
//! byte, and against the independent expectations of `tests/parity/`
//! (which the native suite checks on the portable paths):
//!
//! - bilinear resampling (`src/augment/resize.rs`): golden pixels within ±1
//!   and SIMD = portable exactly, on the golden cases and on random boxes,
//!   sizes and mirrorings;
//! - the colour pass's block split and merge (`src/augment/color.rs`):
//!   full blocks (SIMD) = partial blocks (portable), and the formula;
//! - the network's four lanes (`src/nn/lanes.rs`) op by op, and the matrix
//!   products (`src/nn/matmul.rs`, the convolutions' `src/nn/gemm.rs`) bit
//!   for bit against ordered sums.

use crate::parity;
use crate::parity::resample::{run, Kernel, RESAMPLE_CASES};
use trainlab::nn::lanes::{portable, F32x4};
use trainlab::rng::Rng;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
// A runtime check on purpose: a build without simd128 still runs the other tests.
#[allow(clippy::assertions_on_constants)]
fn this_build_has_simd128_so_the_parity_tests_compare_two_paths() {
    assert!(
        cfg!(target_feature = "simd128"),
        "the wasm tests must be built with -C target-feature=+simd128 (.cargo/config.toml)"
    );
}

#[wasm_bindgen_test]
fn resample_simd_matches_golden_pixels_within_one() {
    let simd = parity::resample::golden_cases_within_one(Kernel::Dispatching);
    let portable = parity::resample::golden_cases_within_one(Kernel::Portable);
    assert_eq!(simd, portable, "bytes off by one");
}

#[wasm_bindgen_test]
fn resample_simd_hand_computed_cases_are_exact() {
    parity::resample::hand_computed_cases();
}

#[wasm_bindgen_test]
fn resample_simd_equals_portable_byte_for_byte() {
    for case in RESAMPLE_CASES {
        let args = (
            case.src_size,
            case.src,
            case.crop,
            case.out_size,
            case.mirror,
        );
        assert_eq!(
            run(Kernel::Dispatching, args.0, args.1, args.2, args.3, args.4),
            run(Kernel::Portable, args.0, args.1, args.2, args.3, args.4),
            "golden case {:?} → {:?}",
            case.crop,
            case.out_size
        );
    }
    // Random boxes (often touching the right edge), sizes up and down, mirrors.
    let mut rng = Rng::new(2024);
    for trial in 0..400 {
        let width = 1 + rng.below(40) as u32;
        let height = 1 + rng.below(12) as u32;
        let src = parity::lcg_bytes((width * height * 4) as usize, trial);
        let box_width = 1 + rng.below(width as usize) as u32;
        let box_height = 1 + rng.below(height as usize) as u32;
        let x = if rng.below(3) == 0 {
            width - box_width
        } else {
            rng.below((width - box_width + 1) as usize) as u32
        };
        let y = rng.below((height - box_height + 1) as usize) as u32;
        let out = (1 + rng.below(50) as u32, 1 + rng.below(9) as u32);
        let mirror = (rng.below(2) == 1, rng.below(2) == 1);
        let crop = (x as i32, y as i32, box_width, box_height);
        assert_eq!(
            run(
                Kernel::Dispatching,
                (width, height),
                &src,
                crop,
                out,
                mirror
            ),
            run(Kernel::Portable, (width, height), &src, crop, out, mirror),
            "trial {trial}: {width}×{height} box {crop:?} → {out:?} mirror {mirror:?}"
        );
    }
}

#[wasm_bindgen_test]
fn colour_simd_blocks_equal_portable_blocks() {
    parity::color::full_and_partial_blocks_agree();
}

#[wasm_bindgen_test]
fn colour_simd_saturation_matches_its_formula() {
    parity::color::saturation_matches_its_formula();
}

/// Bits of four lanes, with every NaN counted as one value (wasm may
/// canonicalise NaN payloads).
fn lane_bits(values: [f32; 4]) -> [u32; 4] {
    values.map(|v| {
        if v.is_nan() {
            f32::NAN.to_bits()
        } else {
            v.to_bits()
        }
    })
}

#[wasm_bindgen_test]
fn simd_lanes_equal_portable_lanes_op_by_op() {
    let specials = [
        0.0f32,
        -0.0,
        1.0,
        -1.5,
        f32::MIN_POSITIVE / 4.0,
        3.4e38,
        f32::INFINITY,
        f32::NAN,
    ];
    let mut rng = Rng::new(7);
    let mut draw = |k: usize| -> f32 {
        if k % 5 == 0 {
            specials[rng.below(specials.len())]
        } else {
            (rng.normal() * 10f64.powi(rng.below(7) as i32 - 3)) as f32
        }
    };
    for trial in 0..2_000 {
        let values: Vec<f32> = (0..13).map(|k| draw(k + trial)).collect();
        let (acc, a, b) = (&values[0..], &values[4..], &values[8..]);
        let scalar = values[12];

        let simd = F32x4::load(acc).mul_add(F32x4::load(a), F32x4::load(b));
        let plain =
            portable::F32x4::load(acc).mul_add(portable::F32x4::load(a), portable::F32x4::load(b));
        let (mut got, mut want) = ([0.0f32; 4], [0.0f32; 4]);
        simd.store(&mut got);
        plain.store(&mut want);
        assert_eq!(lane_bits(got), lane_bits(want), "mul_add {values:?}");
        let (s, p) = (simd.sum(), plain.sum());
        assert!(
            s.to_bits() == p.to_bits() || (s.is_nan() && p.is_nan()),
            "sum {values:?}: {s} vs {p}"
        );

        let plus = F32x4::load(acc).plus(F32x4::load(b));
        let plus_plain = portable::F32x4::load(acc).plus(portable::F32x4::load(b));
        plus.store(&mut got);
        plus_plain.store(&mut want);
        assert_eq!(lane_bits(got), lane_bits(want), "plus {values:?}");

        let splat = F32x4::zero().mul_add(F32x4::splat(scalar), F32x4::load(a));
        let splat_plain = portable::F32x4::zero()
            .mul_add(portable::F32x4::splat(scalar), portable::F32x4::load(a));
        splat.store(&mut got);
        splat_plain.store(&mut want);
        assert_eq!(lane_bits(got), lane_bits(want), "splat·a {values:?}");
    }
    // Store writes four lanes and no more.
    let mut out = [9.0f32; 6];
    F32x4::load(&[1.0, 2.0, 3.0, 4.0]).store(&mut out[1..]);
    assert_eq!(out, [9.0, 1.0, 2.0, 3.0, 4.0, 9.0]);
    assert_eq!(F32x4::load(&[1.0, 2.0, 4.0, 8.0]).sum(), 15.0);
}

#[wasm_bindgen_test]
fn simd_matrix_products_equal_their_ordered_references() {
    parity::matmul::products_equal_their_ordered_references();
    parity::matmul::summation_order_is_visible_in_the_bits();
}

#[wasm_bindgen_test]
fn simd_packed_gemm_equals_its_ordered_reference() {
    parity::matmul::gemm_equals_its_ordered_reference();
}
