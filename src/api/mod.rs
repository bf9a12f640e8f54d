//! The only wasm-bindgen layer: opaque handles over the plain-Rust core,
//! settings read through [`crate::config`], errors as JS `Error`s.
//!
//! Per-frame data (paths, losses, pixels) goes out as typed-array views
//! over wasm memory: JS must use such a view before calling into wasm
//! again, since any allocation may move the memory under it.

mod augmenter;
mod chart;
mod dots;
pub mod ensemble;
mod heatmap;
mod images;
mod optimizer;
mod race;
mod schedule;
mod surface;
pub mod trainer;
mod transfer;
mod types;

// The chart functions, for the browser tests (tests/web) that draw with them.
pub use chart::draw_loss_chart;
pub use dots::JsDotLayer;
pub use ensemble::JsEnsemble;
pub use heatmap::JsHeatmap;
pub use images::center_digit_js;
pub use optimizer::JsOptimizer;
pub use race::JsRace;
pub use schedule::JsSchedule;
pub use surface::JsSurface;
pub use transfer::read_weights_file;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use augmenter::JsAugmenter;

use crate::config::ConfigValue;

/// Deepest nesting a settings object may have. The deepest real one (a
/// race's racers' schedules) is four levels down. The reader recurses once
/// per level, and running out of stack inside wasm would leave the module
/// broken for every later call, so deeper values are refused up front.
const MAX_SETTINGS_DEPTH: usize = 32;

/// Refuses values nested deeper than [`MAX_SETTINGS_DEPTH`], without
/// recursion and without letting a throwing getter unwind through wasm.
fn check_depth(value: &JsValue, what: &str) -> Result<(), JsError> {
    let too_deep = || {
        JsError::new(&format!(
            "{what} settings are nested more than {MAX_SETTINGS_DEPTH} levels deep"
        ))
    };
    let unreadable =
        |e: JsValue| JsError::new(&format!("{what} settings could not be read: {e:?}"));
    let mut pending = vec![(value.clone(), 0usize)];
    while let Some((item, depth)) = pending.pop() {
        // Typed arrays hold numbers only.
        if !item.is_object() || js_sys::ArrayBuffer::is_view(&item) {
            continue;
        }
        if depth >= MAX_SETTINGS_DEPTH {
            return Err(too_deep());
        }
        let keys = js_sys::Reflect::own_keys(item.unchecked_ref()).map_err(unreadable)?;
        for key in keys.iter() {
            let child = js_sys::Reflect::get(&item, &key).map_err(unreadable)?;
            if child.is_object() {
                pending.push((child, depth + 1));
            }
        }
    }
    Ok(())
}

/// Reads a settings object from JS, naming `what` in any error.
pub(crate) fn read_config(value: &JsValue, what: &str) -> Result<ConfigValue, JsError> {
    check_depth(value, what)?;
    serde_wasm_bindgen::from_value::<ConfigValue>(value.clone())
        .map_err(|e| JsError::new(&format!("{what} settings could not be read: {e}")))
}

#[wasm_bindgen]
extern "C" {
    /// `Object.assign` that hands a throwing getter's error back as a
    /// value: an exception unwinding through wasm frames would leave the
    /// module's stack pointer behind.
    #[wasm_bindgen(js_namespace = Object, js_name = assign, catch)]
    pub(crate) fn assign_catching(
        target: &js_sys::Object,
        source: &JsValue,
    ) -> Result<js_sys::Object, JsValue>;
}

/// A `Uint8ClampedArray` view over `bytes` in wasm memory, for `ImageData`.
///
/// js-sys's `Uint8ClampedArray::view` hands JS a plain `Uint8Array` (it
/// casts by element type), which `new ImageData(...)` refuses; this builds
/// the clamped view over the same bytes.
///
/// # Safety
/// As for any view: JS must read it before the next call into wasm.
pub(crate) unsafe fn clamped_view(bytes: &[u8]) -> js_sys::Uint8ClampedArray {
    let plain = js_sys::Uint8Array::view(bytes);
    js_sys::Uint8ClampedArray::new_with_byte_offset_and_length(
        &plain.buffer(),
        plain.byte_offset(),
        plain.length(),
    )
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
