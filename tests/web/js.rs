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

/// `value[key]` as a string (panics if it is not one).
pub fn string(value: &JsValue, key: &str) -> String {
    get(value, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string: {:?}", get(value, key)))
}

/// `value[key]` as a list of numbers (a plain array).
pub fn numbers(value: &JsValue, key: &str) -> Vec<f64> {
    js_sys::Array::from(&get(value, key))
        .iter()
        .map(|v| v.as_f64().expect("array of numbers"))
        .collect()
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

/// |a − b| ≤ tol·max(1, |b|).
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}
