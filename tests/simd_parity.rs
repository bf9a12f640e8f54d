//! The SIMD kernels' independent expectations, natively (the portable
//! paths). The same checks run in the browser's `simd128` build from
//! `tests/web.rs`, which also compares each SIMD path with the portable
//! one byte for byte.

mod parity;

use parity::resample::Kernel;

#[test]
fn resample_matches_golden_pixels_within_one() {
    let off_by_one = parity::resample::golden_cases_within_one(Kernel::Dispatching);
    let portable = parity::resample::golden_cases_within_one(Kernel::Portable);
    assert_eq!(off_by_one, portable);
    println!("resample: {off_by_one} bytes off by one from the float reference");
}

#[test]
fn resample_hand_computed_cases_are_exact() {
    parity::resample::hand_computed_cases();
}

#[test]
fn colour_full_and_partial_blocks_agree() {
    parity::color::full_and_partial_blocks_agree();
}

#[test]
fn colour_saturation_matches_its_formula() {
    parity::color::saturation_matches_its_formula();
}

#[test]
fn matrix_products_equal_their_ordered_references() {
    parity::matmul::products_equal_their_ordered_references();
}

#[test]
fn packed_gemm_equals_its_ordered_reference() {
    parity::matmul::gemm_equals_its_ordered_reference();
}

#[test]
fn matrix_summation_order_is_visible_in_the_bits() {
    parity::matmul::summation_order_is_visible_in_the_bits();
}
