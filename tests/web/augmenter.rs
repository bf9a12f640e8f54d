//! wasm-bindgen tests of the augmenter API (filled in by its own change).
