//! wasm-bindgen tests of the trainer API (filled in by its own change).
