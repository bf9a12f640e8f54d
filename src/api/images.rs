//! Helpers for the image lab that need no trainer.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::nn::center_digit;

/// A drawing (`width × height` grey values, 0 background, 1 ink, as a
/// Float32Array or array) prepared the way MNIST digits were: the ink's
/// bounding box scaled into 20 × 20 (aspect kept, area averaging), then
/// its centre of mass moved to the centre of a 28 × 28 image. Returns 784
/// values in [0, 1]; an empty drawing gives zeros.
#[wasm_bindgen(js_name = centerDigit)]
pub fn center_digit_js(
    pixels: &[f32],
    width: usize,
    height: usize,
) -> Result<Float32Array, JsError> {
    Ok(Float32Array::from(
        &center_digit(pixels, width, height)?[..],
    ))
}
