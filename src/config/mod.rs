//! Settings objects from JavaScript or the URL, turned into the crate's
//! enums and validated. Plain Rust, so every rule is tested natively; the
//! wasm layer only converts a `JsValue` into a [`ConfigValue`].

mod optimizer;
mod value;

pub use optimizer::{default_lr, first_order_settings, FIRST_ORDER_KINDS};
pub use value::{ConfigMap, ConfigValue};
