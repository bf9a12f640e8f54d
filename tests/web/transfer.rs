//! Transfer learning through the JS `Trainer` inside the browser's wasm:
//! frozen layers, `setFrozen`, `setOptimizer`, per-layer rates, copying a
//! body under a new head, and the shipped weights file.

use js_sys::{Array, Float32Array, Object, Reflect, Uint8Array};
use trainlab::api::read_weights_file;
use trainlab::api::trainer::JsTrainer;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn message(error: wasm_bindgen::JsError) -> String {
    String::from(
        JsValue::from(error)
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message(),
    )
}

fn build_error(result: Result<JsTrainer, wasm_bindgen::JsError>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => message(e),
    }
}

/// 40 grey 6×6 images: class 0 bright on the left, class 1 on the right.
fn halves() -> JsValue {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for i in 0..40 {
        let right = i % 2 == 1;
        for p in 0..36 {
            let bright = (p % 6 >= 3) == right;
            x.push(if bright { 0.8 } else { 0.1 } + ((i * 7 + p * 3) % 5) as f32 * 0.02);
        }
        y.push(right as u8 as f32);
    }
    object(&[
        ("kind", "images".into()),
        ("width", 6.into()),
        ("height", 6.into()),
        ("channels", 1.into()),
        ("x", Float32Array::from(&x[..]).into()),
        ("y", Float32Array::from(&y[..]).into()),
    ])
}

fn layer(pairs: &[(&str, JsValue)]) -> JsValue {
    object(pairs)
}

/// conv 3×3×3 → ReLU → pool, then `head` (dense layers of these widths,
/// ReLU between, the last of 2 units).
fn layers(head: &[u32]) -> Array {
    let mut list = vec![
        layer(&[
            ("kind", "conv".into()),
            ("filters", 3.into()),
            ("size", 3.into()),
        ]),
        layer(&[("kind", "relu".into())]),
        layer(&[("kind", "maxpool".into()), ("size", 2.into())]),
    ];
    for (i, &units) in head.iter().enumerate() {
        if i > 0 {
            list.push(layer(&[("kind", "relu".into())]));
        }
        list.push(layer(&[("kind", "dense".into()), ("units", units.into())]));
    }
    list.iter().collect()
}

fn momentum(lr: f64) -> JsValue {
    object(&[
        ("kind", "momentum".into()),
        ("lr", lr.into()),
        ("momentum", 0.9.into()),
    ])
}

fn config(head: &[u32], extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("dataset", halves()),
        ("validationSplit", 0.into()),
        ("layers", layers(head).into()),
        ("optimizer", momentum(0.05)),
        ("l2", 1e-4.into()),
        ("batchSize", 10.into()),
        ("seed", 3.into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    object(&pairs)
}

fn weights(t: &JsTrainer) -> Vec<Vec<f32>> {
    t.get_weights()
        .iter()
        .map(|a| a.dyn_into::<Float32Array>().unwrap().to_vec())
        .collect()
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[wasm_bindgen_test]
fn frozen_layers_keep_their_bits_and_the_two_stage_recipe_runs() {
    let mut t = JsTrainer::new(config(&[2], &[("frozen", 1.into())])).unwrap();
    assert_eq!(t.frozen(), 1);
    assert_eq!(t.param_layers(), vec![0, 3]);
    assert_eq!(t.layer_rates().to_vec(), vec![0.0, 0.05]);
    let start = weights(&t);
    t.run(20.0).unwrap();
    let stage_one = weights(&t);
    assert_eq!(bits(&stage_one[0]), bits(&start[0]), "conv W frozen");
    assert_eq!(bits(&stage_one[1]), bits(&start[1]), "conv b frozen");
    assert_ne!(stage_one[2], start[2], "the head learns");
    // Stage two: unfreeze, fine-tune everything at a tenth of the rate.
    t.set_frozen(0.into()).unwrap();
    t.set_optimizer(momentum(0.005)).unwrap();
    assert_eq!(t.layer_rates().to_vec(), vec![0.005, 0.005]);
    assert_eq!(t.lr(), 0.005);
    t.run(20.0).unwrap();
    let stage_two = weights(&t);
    assert_ne!(stage_two[0], stage_one[0], "the body learns now");
    assert_eq!(t.steps(), 40.0);
}

#[wasm_bindgen_test]
fn bad_frozen_values_are_refused_naming_the_key() {
    let mut t = JsTrainer::new(config(&[2], &[])).unwrap();
    for bad in [
        JsValue::from(-1),
        JsValue::from(1.5),
        JsValue::from(f64::NAN),
        JsValue::from(3),
        JsValue::from("1"),
        JsValue::NULL,
    ] {
        let text = message(t.set_frozen(bad.clone()).unwrap_err());
        assert!(
            text.starts_with("frozen must be a whole number from 0 to 2"),
            "{bad:?}: {text}"
        );
        if bad.is_null() {
            continue; // null in settings means "not given"
        }
        let built = JsTrainer::new(config(&[2], &[("frozen", bad.clone())]));
        assert!(built.is_err(), "{bad:?} was accepted as frozen");
        let text = build_error(built);
        assert!(text.contains("frozen"), "{bad:?}: {text}");
    }
    assert_eq!(t.frozen(), 0);
}

#[wasm_bindgen_test]
fn set_optimizer_starts_with_fresh_state() {
    // Full batches (batchSize ≥ 40 images) make every step see the same
    // data, so a run that swaps in a fresh optimizer after 5 steps equals a
    // new run started from the weights it had then.
    let full = [("batchSize", JsValue::from(64))];
    let mut swapped = JsTrainer::new(config(&[2], &full)).unwrap();
    let mut kept = JsTrainer::new(config(&[2], &full)).unwrap();
    swapped.run(5.0).unwrap();
    kept.run(5.0).unwrap();
    let mut fresh = JsTrainer::new(config(&[2], &full)).unwrap();
    fresh
        .set_weights(swapped.get_weights().into(), None)
        .unwrap();
    swapped.set_optimizer(momentum(0.05)).unwrap();
    for t in [&mut swapped, &mut kept, &mut fresh] {
        t.run(3.0).unwrap();
    }
    let (a, b, c) = (weights(&swapped), weights(&kept), weights(&fresh));
    for i in 0..a.len() {
        assert_eq!(bits(&a[i]), bits(&c[i]), "block {i}: fresh state");
    }
    assert_ne!(a[2], b[2], "keeping the velocity differs");
    let text = message(
        swapped
            .set_optimizer(object(&[("kind", "newton".into())]))
            .unwrap_err(),
    );
    assert!(text.contains("first-order"), "{text}");
    let text = message(
        swapped
            .set_optimizer(object(&[("kind", "sgd".into()), ("lr", (-1).into())]))
            .unwrap_err(),
    );
    assert!(text.contains("lr"), "{text}");
}

#[wasm_bindgen_test]
fn a_body_moves_under_a_new_head_by_set_weights_or_copy_layers_from() {
    let mut source = JsTrainer::new(config(&[2], &[])).unwrap();
    source.run(10.0).unwrap();
    let body = weights(&source);
    // A different head: dense 4 → ReLU → dense 2.
    let mut target = JsTrainer::new(config(&[4, 2], &[])).unwrap();
    let own = weights(&target);
    target
        .set_weights(
            source.get_weights().into(),
            Some(object(&[("layers", 1.into())])),
        )
        .unwrap();
    let now = weights(&target);
    assert_eq!(
        (now[0].clone(), now[1].clone()),
        (body[0].clone(), body[1].clone())
    );
    assert_eq!(now[2..], own[2..], "the head keeps its own weights");
    // Errors: too few arrays for the prefix, a bad option, a wrong size.
    let one: Array = [JsValue::from(Float32Array::from(&body[0][..]))]
        .iter()
        .collect();
    let text = message(
        target
            .set_weights(one.into(), Some(object(&[("layers", 1.into())])))
            .unwrap_err(),
    );
    assert!(text.contains("at least 2 arrays (W1, b1)"), "{text}");
    for (options, want) in [
        (
            object(&[("layers", 4.into())]),
            "layers must be a whole number from 0 to 3",
        ),
        (object(&[("layerz", 1.into())]), "'layerz'"),
    ] {
        let text = message(
            target
                .set_weights(source.get_weights().into(), Some(options))
                .unwrap_err(),
        );
        assert!(text.contains(want), "{text}");
    }
    let text = message(
        target
            .set_weights(source.get_weights().into(), None)
            .unwrap_err(),
    );
    assert!(text.starts_with("setWeights needs 6 arrays"), "{text}");
    // freshHead: the body copied, the rest re-drawn from the seed's salted
    // stream — not the trainer's own first draw (which a source trained
    // with the same seed and shape started from), the same on every build.
    let with_fresh_head = |t: &mut JsTrainer| {
        t.set_weights(
            source.get_weights().into(),
            Some(object(&[("layers", 1.into()), ("freshHead", true.into())])),
        )
    };
    let mut fresh = JsTrainer::new(config(&[4, 2], &[])).unwrap();
    with_fresh_head(&mut fresh).unwrap();
    let drawn = weights(&fresh);
    assert_eq!(drawn[..2], body[..2], "the body is copied");
    assert_ne!(drawn[2], own[2], "the head is re-drawn");
    assert_ne!(drawn[4], own[4], "the head is re-drawn");
    let mut again = JsTrainer::new(config(&[4, 2], &[])).unwrap();
    with_fresh_head(&mut again).unwrap();
    assert_eq!(weights(&again), drawn, "reproducible from the seed");
    for (options, want) in [
        (
            object(&[("freshHead", true.into())]),
            "freshHead needs layers",
        ),
        (
            object(&[("layers", 1.into()), ("freshHead", "yes".into())]),
            "freshHead",
        ),
    ] {
        let text = message(
            fresh
                .set_weights(source.get_weights().into(), Some(options))
                .unwrap_err(),
        );
        assert!(text.contains(want), "{text}");
    }
    // copyLayersFrom: the same, engine to engine.
    let mut other = JsTrainer::new(config(&[4, 2], &[("seed", 9.into())])).unwrap();
    other.copy_layers_from(&source, 1.0).unwrap();
    assert_eq!(weights(&other)[0], body[0]);
    let text = message(other.copy_layers_from(&source, 2.0).unwrap_err());
    assert!(text.starts_with("layers[3] differ"), "{text}");
}

#[wasm_bindgen_test]
fn learning_rate_multipliers_show_per_layer() {
    let multipliers: Array = [JsValue::from(0.1), JsValue::from(1.0)].iter().collect();
    let mut t = JsTrainer::new(config(&[2], &[("lrMultipliers", multipliers.into())])).unwrap();
    assert_eq!(t.layer_rates().to_vec(), vec![0.05 * 0.1, 0.05]);
    assert_eq!(t.lr_multipliers().unwrap().to_vec(), vec![0.1, 1.0]);
    let bad: Array = [JsValue::from(1.0)].iter().collect();
    let text = message(t.set_lr_multipliers(bad.into()).unwrap_err());
    assert!(text.starts_with("lrMultipliers needs one factor"), "{text}");
    t.set_lr_multipliers(JsValue::NULL).unwrap();
    assert!(t.lr_multipliers().is_none());
    assert_eq!(t.layer_rates().to_vec(), vec![0.05, 0.05]);
}

#[wasm_bindgen_test]
fn the_shipped_weights_file_reads_into_the_recipe_network() {
    let bytes = include_bytes!("../../www/assets/pretrained-digits04.bin");
    let file = read_weights_file(Uint8Array::from(&bytes[..])).unwrap();
    let meta = get(&file, "meta").as_string().unwrap();
    let parsed = js_sys::JSON::parse(&meta).unwrap();
    let trainer = get(&parsed, "trainer");
    assert_eq!(get(&parsed, "steps").as_f64(), Some(600.0));
    assert_eq!(get(&parsed, "bodyLayers").as_f64(), Some(2.0));
    let blocks: Array = get(&file, "blocks").into();
    let names: Vec<String> = blocks
        .iter()
        .map(|b| get(&b, "name").as_string().unwrap())
        .collect();
    assert_eq!(names, ["W1", "b1", "W2", "b2", "W3", "b3"]);
    let dims: Vec<f64> = Array::from(&get(&blocks.get(0), "dims"))
        .iter()
        .map(|d| d.as_f64().unwrap())
        .collect();
    assert_eq!(dims, [16.0, 1.0, 5.0, 5.0]);
    // The recipe's layers, on 28×28 images of our own, with a 3-way head,
    // take the body's arrays.
    let recipe_layers: Array = get(&trainer, "layers").into();
    let last = recipe_layers.length() - 1;
    Reflect::set(&recipe_layers.get(last), &"units".into(), &3.into()).unwrap();
    let x = Float32Array::new_with_length(6 * 784);
    let y: Float32Array = Float32Array::from(&[0.0f32, 1.0, 2.0, 0.0, 1.0, 2.0][..]);
    let dataset = object(&[
        ("kind", "images".into()),
        ("width", 28.into()),
        ("height", 28.into()),
        ("channels", 1.into()),
        ("x", x.into()),
        ("y", y.into()),
    ]);
    let mut target = JsTrainer::new(object(&[
        ("dataset", dataset),
        ("layers", recipe_layers.into()),
        ("frozen", 2.into()),
    ]))
    .unwrap();
    let values: Array = blocks.iter().map(|b| get(&b, "values")).collect();
    target
        .set_weights(values.into(), Some(object(&[("layers", 2.into())])))
        .unwrap();
    let w2 = Float32Array::from(get(&blocks.get(2), "values")).to_vec();
    assert_eq!(weights(&target)[2], w2);
    let text = message(read_weights_file(Uint8Array::from(&bytes[..100])).unwrap_err());
    assert!(text.starts_with("not a trainlab weights file"), "{text}");
}
