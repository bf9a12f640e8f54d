//! Small helpers for calling the JS API from Rust the way a page does:
//! settings from JSON text, property reads, error messages.

use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsError, JsValue};

/// A JS value from JSON text.
pub fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("test JSON parses: {text}"))
}

/// `value[key]`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property read")
}

/// `value[key]` as a number (panics if it is not one).
pub fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number: {:?}", get(value, key)))
}

/// The message of the JS Error a refused call threw.
pub fn message<T>(result: Result<T, JsError>) -> String {
    let Err(error) = result else {
        panic!("expected an error")
    };
    JsValue::from(error)
        .dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .expect("a JS Error")
}
