//! wasm-bindgen tests of the JS `Trainer` API: settings errors name their
//! keys, `train` returns its documented shape, weights round-trip.

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect};
use trainlab::nn::{Dataset, DatasetKind};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// `JsTrainer` is not exported to Rust under a stable path, so the tests
/// go through the same generated glue JS uses.
use trainlab::api::trainer::JsTrainer;

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn spiral_config(extra: &[(&str, JsValue)]) -> JsValue {
    let dataset = object(&[
        ("kind", "spiral".into()),
        ("classes", 3.into()),
        ("pointsPerClass", 100.into()),
        ("noise", 0.2.into()),
        ("seed", 1.into()),
    ]);
    let optimizer = object(&[("kind", "sgd".into()), ("lr", 1.0.into())]);
    let hidden: JsValue = Array::of1(&100.into()).into();
    let mut pairs = vec![
        ("dataset", dataset),
        ("validationSplit", 0.2.into()),
        ("hidden", hidden),
        ("activation", "relu".into()),
        ("dropout", JsValue::NULL),
        ("batchNorm", false.into()),
        ("optimizer", optimizer),
        ("l2", 1e-3.into()),
        ("batchSize", 300.into()),
        ("seed", 1.into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    object(&pairs)
}

fn error_text(result: Result<JsTrainer, wasm_bindgen::JsError>) -> String {
    let err = match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => JsValue::from(e),
    };
    let err: js_sys::Error = err.dyn_into().unwrap();
    String::from(err.message())
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn config_errors_name_the_key() {
    let cases: Vec<(&str, JsValue, &str)> = vec![
        ("hidden", Array::of1(&0.into()).into(), "hidden"),
        ("activation", "swish".into(), "activation"),
        ("dropout", 1.5.into(), "dropout"),
        ("l2", (-1.0).into(), "l2"),
        ("batchSize", 0.into(), "batchSize"),
        ("validationSplit", 1.into(), "validationSplit"),
        ("hiden", 3.into(), "'hiden'"),
        (
            "optimizer",
            object(&[("kind", "lbfgs".into())]),
            "first-order",
        ),
        (
            "optimizer",
            object(&[("kind", "sgd".into()), ("beta1", 0.9.into())]),
            "'beta1'",
        ),
        ("dataset", object(&[("kind", "swirl".into())]), "dataset"),
    ];
    for (key, value, needle) in cases {
        let message = error_text(JsTrainer::new(spiral_config(&[(key, value)])));
        assert!(message.contains(needle), "{key}: {message}");
    }
}

#[wasm_bindgen_test]
fn train_returns_loss_and_both_accuracies() {
    let mut t = JsTrainer::new(spiral_config(&[])).unwrap();
    let before = t.train(0.0).unwrap();
    let report = t.train(200.0).unwrap();
    let keys: Vec<String> = Object::keys(report.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(keys, ["loss", "trainAccuracy", "valAccuracy"]);
    let loss = get(&report, "loss").as_f64().unwrap();
    let train = get(&report, "trainAccuracy").as_f64().unwrap();
    let val = get(&report, "valAccuracy").as_f64().unwrap();
    // Chance is 1/3 and the initial loss near ln 3 ≈ 1.1; 200 full-batch
    // SGD steps on the spiral get well past both.
    assert!(get(&before, "loss").as_f64().unwrap() > 0.9);
    assert!(loss < 0.8, "loss {loss}");
    assert!(train > 0.75, "train accuracy {train}");
    assert!((0.0..=1.0).contains(&val));
    assert_eq!(t.steps(), 200.0);

    // Without validation data the key is there and null.
    let mut all = JsTrainer::new(spiral_config(&[("validationSplit", 0.into())])).unwrap();
    let report = all.train(1.0).unwrap();
    assert!(get(&report, "valAccuracy").is_null());
    assert_eq!(all.train_points().length(), 600);
}

#[wasm_bindgen_test]
fn run_trains_like_train_without_evaluating() {
    let mut a = JsTrainer::new(spiral_config(&[])).unwrap();
    let mut b = JsTrainer::new(spiral_config(&[])).unwrap();
    assert!(a.run(0.0).unwrap().is_nan(), "no step, no loss");
    let loss = a.run(50.0).unwrap();
    let report = b.train(50.0).unwrap();
    // Same seed, same steps: the same last minibatch loss and the same weights.
    assert_eq!(loss, get(&report, "loss").as_f64().unwrap());
    assert_eq!(a.steps(), 50.0);
    let (wa, wb) = (a.get_weights(), b.get_weights());
    for i in 0..wa.length() {
        let x: Float32Array = wa.get(i).unchecked_into();
        let y: Float32Array = wb.get(i).unchecked_into();
        assert_eq!(x.to_vec(), y.to_vec());
    }
    assert!(a.run(-1.0).is_err());
    assert!(a.run(0.5).is_err());
}

#[wasm_bindgen_test]
fn get_weights_follows_the_documented_layout() {
    let t = JsTrainer::new(spiral_config(&[])).unwrap();
    let weights = t.get_weights();
    let lengths: Vec<u32> = weights
        .iter()
        .map(|w| w.dyn_into::<Float32Array>().unwrap().length())
        .collect();
    // W1 2×100, b1 100, W2 100×3, b2 3.
    assert_eq!(lengths, [200, 100, 300, 3]);
    // Biases start at zero, weights do not.
    let b1: Float32Array = weights.get(1).dyn_into().unwrap();
    assert!(b1.to_vec().iter().all(|&b| b == 0.0));
    let w1: Float32Array = weights.get(0).dyn_into().unwrap();
    assert!(w1.to_vec().iter().any(|&w| w != 0.0));

    // Row-major [in][out]: W1[i][j] is element i·100 + j. A network whose
    // only nonzero weight is W1[1][5] = 1 (then W2[5][2] = 1) scores class
    // 2 with y for inputs with y > 0, which pins the index convention.
    let mut t = JsTrainer::new(spiral_config(&[])).unwrap();
    let zeros = |n: usize| vec![0.0f32; n];
    let mut w1 = zeros(200);
    w1[100 + 5] = 1.0;
    let mut w2 = zeros(300);
    w2[5 * 3 + 2] = 1.0;
    let arrays = Array::new();
    for block in [w1, zeros(100), w2, zeros(3)] {
        arrays.push(&Float32Array::from(&block[..]));
    }
    t.set_weights(arrays.into()).unwrap();
    let inputs = Float64Array::from(&[0.3, 0.7, 0.3, -0.7][..]);
    let scores = t.forward_eval(inputs.into(), None).unwrap().to_vec();
    assert_eq!(scores, [0.0, 0.0, 0.7, 0.0, 0.0, 0.0]);
}

#[wasm_bindgen_test]
fn set_weights_round_trips_and_checks_sizes() {
    let mut a = JsTrainer::new(spiral_config(&[])).unwrap();
    a.train(50.0).unwrap();
    let trained = a.get_weights();
    let mut b = JsTrainer::new(spiral_config(&[("seed", 2.into())])).unwrap();
    b.set_weights(trained.clone().into()).unwrap();
    let copied = b.get_weights();
    for i in 0..trained.length() {
        let x: Float32Array = trained.get(i).dyn_into().unwrap();
        let y: Float32Array = copied.get(i).dyn_into().unwrap();
        assert_eq!(x.to_vec(), y.to_vec());
    }
    let inputs = Float64Array::from(&[0.1, -0.4][..]);
    assert_eq!(
        a.forward_eval(inputs.clone().into(), None)
            .unwrap()
            .to_vec(),
        b.forward_eval(inputs.into(), None).unwrap().to_vec()
    );

    let short = trained.slice(0, 3);
    let message = String::from(
        JsValue::from(b.set_weights(short.into()).unwrap_err())
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message(),
    );
    assert!(message.contains("4 arrays"), "{message}");
    let wrong = trained.clone();
    wrong.set(2, Float32Array::new_with_length(299).into());
    let message = String::from(
        JsValue::from(b.set_weights(wrong.into()).unwrap_err())
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message(),
    );
    assert!(
        message.contains("W2") && message.contains("300"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn a_custom_dataset_comes_from_a_float64array() {
    let data = Dataset::generate(DatasetKind::Moons, 2, 40, 0.05, 3).unwrap();
    let x: Vec<f64> = data.points().iter().map(|&v| v as f64).collect();
    let y: Vec<f64> = data.labels().iter().map(|&v| v as f64).collect();
    let dataset = object(&[
        ("kind", "custom".into()),
        ("x", Float64Array::from(&x[..]).into()),
        (
            "y",
            js_sys::Int32Array::from(&y.iter().map(|&v| v as i32).collect::<Vec<_>>()[..]).into(),
        ),
    ]);
    let mut t = JsTrainer::new(spiral_config(&[
        ("dataset", dataset),
        ("validationSplit", 0.into()),
        ("hidden", Array::of1(&16.into()).into()),
        ("batchSize", 80.into()),
    ]))
    .unwrap();
    assert_eq!(t.classes(), 2);
    assert_eq!(t.train_points().to_vec(), data.points());
    assert_eq!(t.train_labels().to_vec(), data.labels());
    let report = t.train(300.0).unwrap();
    assert!(get(&report, "trainAccuracy").as_f64().unwrap() > 0.95);

    // The click path: a point is added to the training data.
    t.add_point(0.0, 2.0, 1).unwrap();
    assert_eq!(t.train_labels().length(), 81);
    assert!(t.add_point(0.0, 2.0, 5).is_err());
    assert!(t.remove_point(0.0, 1.95, 0.1).unwrap());
    assert_eq!(t.train_labels().length(), 80);

    let odd = object(&[
        ("kind", "custom".into()),
        ("x", Float64Array::from(&[0.0, 1.0, 2.0][..]).into()),
        ("y", Float64Array::from(&[0.0, 1.0][..]).into()),
    ]);
    let message = error_text(JsTrainer::new(spiral_config(&[("dataset", odd)])));
    assert!(message.contains("dataset"), "{message}");
}

#[wasm_bindgen_test]
fn inverted_dropout_masks_average_to_the_eval_network() {
    let mut t = JsTrainer::new(spiral_config(&[
        ("dropout", 0.5.into()),
        ("hidden", Array::of1(&20.into()).into()),
    ]))
    .unwrap();
    t.train(20.0).unwrap();
    let inputs = Float64Array::from(&[0.2, -0.3][..]);
    t.forward_train(inputs.clone().into()).unwrap();
    let mask = t.dropout_mask(0).to_vec();
    assert_eq!(mask.len(), 20);
    assert!(mask.iter().all(|&m| m == 0.0 || m == 1.0));
    // One hidden layer: scores are linear in the dropped units, so the
    // average of K masks deviates from the eval-mode scores with a spread
    // like 1/√K. Over 150 inputs (450 scores) the mean gap at K = 400 is
    // half the one at K = 100, within 20 %.
    let many: Vec<f64> = (0..300)
        .map(|i| ((i * 37 % 101) as f64 / 50.0) - 1.0)
        .collect();
    let gaps = t
        .ensemble_gap(Float64Array::from(&many[..]).into(), 400, None)
        .unwrap()
        .to_vec();
    let ratio = gaps[399] / gaps[99];
    assert!(
        (ratio - 0.5).abs() < 0.1,
        "gap ratio K=400 / K=100: {ratio}"
    );
    let ratio = gaps[99] / gaps[24];
    assert!((ratio - 0.5).abs() < 0.1, "gap ratio K=100 / K=25: {ratio}");
}
