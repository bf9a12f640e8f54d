//! Settings that could break the module rather than just be wrong: values
//! nested thousands of levels deep (the reader would run out of stack
//! inside wasm, which leaves the module unusable for every later call),
//! getters that throw, and over-long strings echoed in messages.

use crate::js::{json, message};
use js_sys::{Array, Function, Object, Reflect};
use trainlab::api::trainer::JsTrainer;
use trainlab::api::{JsEnsemble, JsOptimizer, JsRace, JsSurface};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn nested(depth: usize) -> JsValue {
    let mut value = JsValue::from_f64(1.0);
    for _ in 0..depth {
        value = Array::of1(&value).into();
    }
    value
}

/// An object whose `kind` getter throws.
fn throwing_getter() -> JsValue {
    let object = Object::new();
    let getter = Function::new_no_args("throw new Error('getter refused')");
    let descriptor = Object::new();
    Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
    Reflect::set(&descriptor, &"enumerable".into(), &true.into()).unwrap();
    Object::define_property(&object, &"kind".into(), &descriptor);
    object.into()
}

#[wasm_bindgen_test]
fn deep_nesting_is_refused_and_the_module_keeps_working() {
    let surface = JsSurface::new(json(r#""rosenbrock""#)).unwrap();
    let racers = Array::of1(&json(r#"{"kind": "adam", "lr": 0.05}"#));
    let config = Object::new();
    Reflect::set(&config, &"racers".into(), &racers).unwrap();
    let mut before = JsRace::new(&surface, config.clone().into()).unwrap();
    for _ in 0..50 {
        let deep = Object::new();
        Reflect::set(&deep, &"kind".into(), &"sgd".into()).unwrap();
        Reflect::set(&deep, &"lr".into(), &nested(20_000)).unwrap();
        let err = message(JsOptimizer::new(deep.into()));
        assert!(err.contains("nested more than 32 levels"), "{err}");
        let err = message(JsTrainer::new(nested(20_000)));
        assert!(err.contains("nested"), "{err}");
    }
    // 32 levels of lists are still read (and refused for their content).
    let err = message(JsOptimizer::new(nested(31)));
    assert!(!err.contains("nested"), "{err}");
    before.step(10);
    let mut twin = JsRace::new(&surface, config.into()).unwrap();
    twin.step(10);
    assert_eq!(
        before.path(0).unwrap().to_vec(),
        twin.path(0).unwrap().to_vec()
    );
}

#[wasm_bindgen_test]
fn throwing_getters_are_refused_as_errors() {
    // The getter's error comes back wrapped by the engine ("… settings could
    // not be read"): caught at the boundary, not unwound through wasm frames
    // (which would leave Rust's stack pointer behind, call after call).
    for _ in 0..200 {
        let err = message(JsOptimizer::new(throwing_getter()));
        assert!(
            err.contains("optimizer settings could not be read") && err.contains("getter refused"),
            "{err}"
        );
        let dataset = Object::new();
        Reflect::set(&dataset, &"dataset".into(), &throwing_getter()).unwrap();
        let err = message(JsTrainer::new(dataset.clone().into()));
        assert!(
            err.contains("trainer settings could not be read") && err.contains("getter refused"),
            "{err}"
        );
        let ensemble = Object::new();
        Reflect::set(&ensemble, &"trainer".into(), &dataset).unwrap();
        let err = message(JsEnsemble::new(ensemble.into()));
        assert!(
            err.contains("settings could not be read") && err.contains("getter refused"),
            "{err}"
        );
    }
    let mut opt = JsOptimizer::new(json(r#"{"kind": "sgd", "lr": 0.5}"#)).unwrap();
    let mut x = [1.0];
    opt.step(&mut x, &[1.0]).unwrap();
    assert_eq!(x, [0.5]);
}

#[wasm_bindgen_test]
fn a_megabyte_kind_gives_a_short_message() {
    let kind = "x".repeat(1_000_000);
    let err = message(JsOptimizer::new(json(&format!(r#"{{"kind": "{kind}"}}"#))));
    assert!(err.len() < 300, "{} bytes", err.len());
    assert!(err.starts_with("unknown optimizer kind 'xxx"), "{err}");
    assert!(err.contains('…') && err.contains("valid kinds"), "{err}");
}
