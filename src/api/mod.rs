//! The only wasm-bindgen layer: opaque handles over the plain-Rust core,
//! settings read through [`crate::config`], errors as JS `Error`s.
//!
//! Per-frame data (paths, losses, pixels) goes out as typed-array views
//! over wasm memory: JS must use such a view before calling into wasm
//! again, since any allocation may move the memory under it.

mod augmenter;
mod chart;
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

pub use ensemble::JsEnsemble;
pub use heatmap::JsHeatmap;
pub use images::center_digit_js;
pub use optimizer::JsOptimizer;
pub use race::JsRace;
pub use schedule::JsSchedule;
pub use surface::JsSurface;
pub use transfer::read_weights_file;

use wasm_bindgen::prelude::*;

pub use augmenter::JsAugmenter;

use crate::config::ConfigValue;

/// Reads a settings object from JS, naming `what` in any error.
pub(crate) fn read_config(value: &JsValue, what: &str) -> Result<ConfigValue, JsError> {
    serde_wasm_bindgen::from_value::<ConfigValue>(value.clone())
        .map_err(|e| JsError::new(&format!("{what} settings could not be read: {e}")))
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
