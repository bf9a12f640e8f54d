//! The only wasm-bindgen layer: opaque handles, serde configs, JsError.
