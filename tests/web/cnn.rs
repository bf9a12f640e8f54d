//! The convolutional engine inside the browser's wasm: the f32x4 GEMM
//! against a scalar loop summing in the same order (bit for bit), the
//! layers against the numpy reference, and the JS `Trainer` with images.

use js_sys::{Array, Float32Array, Object, Reflect, Uint32Array, Uint8Array};
use trainlab::api::center_digit_js;
use trainlab::api::trainer::JsTrainer;
use trainlab::nn::gemm::{Gemm, Operand, KC};
use trainlab::nn::im2col::ConvGeometry;
use trainlab::nn::{BatchNorm, Conv, MaxPool, Mode, Shape};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The numpy reference (only some cases run here; all run natively).
#[allow(dead_code)]
mod reference {
    include!("../reference/conv_values.rs");
}
use reference::*;

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

fn error_text(result: Result<JsTrainer, wasm_bindgen::JsError>) -> String {
    let err = match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => JsValue::from(e),
    };
    String::from(err.dyn_into::<js_sys::Error>().unwrap().message())
}

fn js_error(error: wasm_bindgen::JsError) -> String {
    String::from(
        JsValue::from(error)
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message(),
    )
}

// ---------------------------------------------------------------------------
// Kernels.

fn filled(len: usize, salt: usize) -> Vec<f32> {
    (0..len)
        .map(|i| ((i * 7 + salt * 3) % 23) as f32 * 0.37 - 4.1)
        .collect()
}

/// `c = a·b` in scalar f32, summing each entry in increasing order within
/// blocks of KC steps and adding the blocks in turn: exactly the GEMM's order.
fn scalar_product(
    a: &[f32],
    b: &[f32],
    c0: Option<&[f32]>,
    m: usize,
    n: usize,
    k: usize,
) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut total = c0.map(|c0| c0[i * n + j]);
            let mut k0 = 0;
            while k0 < k {
                let mut s = 0.0f32;
                for p in k0..(k0 + KC).min(k) {
                    s += a[i * k + p] * b[p * n + j];
                }
                total = Some(match total {
                    Some(t) => t + s,
                    None => s,
                });
                k0 += KC;
            }
            c[i * n + j] = total.unwrap_or(0.0);
        }
    }
    c
}

fn transpose(a: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; a.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = a[r * cols + c];
        }
    }
    out
}

#[wasm_bindgen_test]
fn the_simd_gemm_matches_scalar_f32_bit_for_bit_on_every_remainder() {
    let mut gemm = Gemm::new();
    // Every row remainder of the 4-row tile, every column remainder of the
    // 8-column tile, and a shared dimension past one 256-step block.
    for m in 1..=9 {
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 17] {
            for k in [1, 5, 300] {
                let a = filled(m * k, m + k);
                let b = filled(k * n, n);
                let want = scalar_product(&a, &b, None, m, n, k);
                let c_init = filled(m * n, 5);
                let want_added = scalar_product(&a, &b, Some(&c_init), m, n, k);
                let (at, bt) = (transpose(&a, m, k), transpose(&b, k, n));
                for (a_op, b_op) in [
                    (Operand::Plain(&a), Operand::Plain(&b)),
                    (Operand::Transposed(&at), Operand::Transposed(&bt)),
                    (Operand::Plain(&a), Operand::Transposed(&bt)),
                ] {
                    let mut c = vec![f32::NAN; m * n];
                    gemm.multiply(m, n, k, a_op, b_op, &mut c, false);
                    assert_eq!(c, want, "{m}×{n}×{k}");
                    let mut added = c_init.clone();
                    gemm.multiply(m, n, k, a_op, b_op, &mut added, true);
                    assert_eq!(added, want_added, "{m}×{n}×{k} accumulate");
                }
            }
        }
    }
}

fn pattern(n: usize, a: usize, b: usize, modulus: usize) -> Vec<f32> {
    (0..n)
        .map(|i| (((i * a + b) % modulus) as f32 - (modulus / 2) as f32) / 8.0)
        .collect()
}

fn close(what: &str, got: &[f32], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g as f64 - w).abs() <= 1e-5 * (1.0 + w.abs()),
            "{what}[{i}]: {g} vs {w}"
        );
    }
}

#[wasm_bindgen_test]
fn conv_pool_and_spatial_batch_norm_match_the_numpy_reference() {
    let [n, c, h, w, f, k, stride, pad] = CONV_STRIDED_SHAPE;
    let out = |side: usize| (side + 2 * pad - k) / stride + 1;
    let g = ConvGeometry {
        input: Shape::new(c, h, w),
        output: Shape::new(f, out(h), out(w)),
        size: k,
        stride,
        pad,
    };
    let x = pattern(n * c * h * w, 7, 3, 17);
    let mut params = pattern(f * c * k * k, 5, 1, 13);
    params.extend(pattern(f, 3, 2, 7));
    let mut conv = Conv::new(g, 0);
    let mut y = vec![0.0; n * g.output.len()];
    conv.forward(&params, &x, &mut y, n);
    close("conv out", &y, &CONV_STRIDED_OUT);
    let dout = pattern(y.len(), 11, 4, 19);
    let mut grads = vec![0.0; params.len()];
    let mut dx = vec![0.0; x.len()];
    conv.backward(&params, &mut grads, &x, &dout, Some(&mut dx), n);
    close("conv dx", &dx, &CONV_STRIDED_DX);
    close("conv dW", &grads[..f * c * k * k], &CONV_STRIDED_DW);

    let [n, c, h, w, size, stride] = POOL_SHAPE;
    let (input, output) = (
        Shape::new(c, h, w),
        Shape::new(c, (h - size) / stride + 1, (w - size) / stride + 1),
    );
    let x = pattern(n * input.len(), 7, 3, 17);
    let mut pool = MaxPool::new(input, output, size, stride);
    let mut y = vec![0.0; n * output.len()];
    pool.forward(&x, &mut y, n, Mode::Train);
    close("pool out", &y, &POOL_OUT);

    let [n, c, h, w] = BN_SHAPE;
    let x: Vec<f32> = pattern(n * c * h * w, 7, 3, 17)
        .iter()
        .map(|v| v * 2.0 + 0.5)
        .collect();
    let mut bn = BatchNorm::spatial(c, h * w, 0);
    let mut y = vec![0.0; x.len()];
    bn.forward(&[1.5, -0.5, 0.25, -1.0], &x, &mut y, n, Mode::Train);
    close("bn out", &y, &BN_OUT);
}

// ---------------------------------------------------------------------------
// The JS Trainer with images.

/// `count` 6×6 grey images: class 0 has a bright left half, class 1 a
/// bright right half, with a pattern on top.
fn halves(count: usize) -> (Vec<f32>, Vec<f32>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for i in 0..count {
        let right = i % 2 == 1;
        for p in 0..36 {
            let bright = (p % 6 >= 3) == right;
            x.push(if bright { 0.8 } else { 0.1 } + ((i * 7 + p * 3) % 5) as f32 * 0.02);
        }
        y.push(right as u8 as f32);
    }
    (x, y)
}

fn images_dataset(count: usize) -> JsValue {
    let (x, y) = halves(count);
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

fn small_layers() -> Array {
    [
        layer(&[
            ("kind", "conv".into()),
            ("filters", 3.into()),
            ("size", 3.into()),
        ]),
        layer(&[("kind", "relu".into())]),
        layer(&[("kind", "maxpool".into()), ("size", 2.into())]),
        layer(&[("kind", "dense".into()), ("units", 2.into())]),
    ]
    .iter()
    .collect()
}

fn images_config(extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("dataset", images_dataset(40)),
        ("validationSplit", 0.25.into()),
        ("layers", small_layers().into()),
        (
            "optimizer",
            object(&[
                ("kind", "momentum".into()),
                ("lr", 0.05.into()),
                ("momentum", 0.9.into()),
            ]),
        ),
        ("l2", 1e-4.into()),
        ("batchSize", 10.into()),
        ("seed", 1.into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    object(&pairs)
}

#[wasm_bindgen_test]
fn the_issue_network_builds_with_the_documented_weight_order() {
    let images = 4;
    let x: Vec<f32> = (0..images * 784)
        .map(|i| (i % 255) as f32 / 255.0)
        .collect();
    let y = [0.0f32, 3.0, 9.0, 1.0];
    let dataset = object(&[
        ("kind", "images".into()),
        ("width", 28.into()),
        ("height", 28.into()),
        ("channels", 1.into()),
        ("x", Float32Array::from(&x[..]).into()),
        ("y", Float32Array::from(&y[..]).into()),
    ]);
    let conv = |filters: i32, stride: Option<i32>| {
        let mut pairs = vec![
            ("kind", "conv".into()),
            ("filters", filters.into()),
            ("size", 5.into()),
        ];
        if let Some(s) = stride {
            pairs.push(("stride", s.into()));
            pairs.push(("pad", 0.into()));
        }
        layer(&pairs)
    };
    let layers: Array = [
        conv(16, None),
        layer(&[("kind", "relu".into())]),
        layer(&[("kind", "maxpool".into()), ("size", 2.into())]),
        conv(32, Some(1)),
        layer(&[("kind", "relu".into())]),
        layer(&[("kind", "maxpool".into()), ("size", 2.into())]),
        layer(&[("kind", "dense".into()), ("units", 10.into())]),
    ]
    .iter()
    .collect();
    let augment = object(&[(
        "ops",
        [
            object(&[("kind", "rotate".into()), ("degrees", 12.into())]),
            object(&[("kind", "translate".into()), ("max_shift", 0.08.into())]),
        ]
        .iter()
        .collect::<Array>()
        .into(),
    )]);
    let config = object(&[
        ("dataset", dataset),
        ("validationSplit", 0.into()),
        ("layers", layers.into()),
        ("augment", augment),
        (
            "optimizer",
            object(&[
                ("kind", "momentum".into()),
                ("lr", 0.01.into()),
                ("momentum", 0.9.into()),
            ]),
        ),
        ("l2", 1e-4.into()),
        ("batchSize", 32.into()),
        ("seed", 1.into()),
    ]);
    let mut t = JsTrainer::new(config).unwrap();
    assert_eq!(t.classes(), 10);
    assert_eq!(t.input_shape(), vec![1, 28, 28]);
    let lengths: Vec<u32> = t
        .get_weights()
        .iter()
        .map(|w| w.dyn_into::<Float32Array>().unwrap().length())
        .collect();
    // [conv1 W 16·1·5·5, conv1 b, conv2 W 32·16·5·5, conv2 b, dense W 512·10, dense b].
    assert_eq!(lengths, [400, 16, 12800, 32, 5120, 10]);
    let shapes = t.weight_shapes().unwrap();
    let dims = |i: u32| -> Vec<f64> {
        Array::from(&get(&Array::from(&shapes).get(i), "dims"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    assert_eq!(dims(0), [16.0, 1.0, 5.0, 5.0]);
    assert_eq!(dims(2), [32.0, 16.0, 5.0, 5.0]);
    assert_eq!(dims(4), [512.0, 10.0]);
    let info = Array::from(&t.layer_info().unwrap());
    let shape_of = |i: u32| -> Vec<f64> {
        Array::from(&get(&info.get(i), "outputShape"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    assert_eq!(shape_of(2), [16.0, 12.0, 12.0]);
    assert_eq!(shape_of(5), [32.0, 4.0, 4.0]);

    let probs = t
        .predict(Float32Array::from(&x[..784 * 2]).into())
        .unwrap()
        .to_vec();
    assert_eq!(probs.len(), 20);
    for row in probs.chunks(10) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
    let scores = t
        .forward(Float32Array::from(&x[..784]).into())
        .unwrap()
        .to_vec();
    assert_eq!(scores.len(), 10);
    let report = t.train(2.0).unwrap();
    assert!(get(&report, "loss").as_f64().unwrap().is_finite());
    assert!(get(&report, "valAccuracy").is_null());
    let message = js_error(
        t.forward(Float32Array::new_with_length(700).into())
            .unwrap_err(),
    );
    assert!(message.contains("784 values (1×28×28)"), "{message}");
    let grid = t.predict_grid(0.0, 1.0, 0.0, 1.0, 4, 4).unwrap_err();
    assert!(js_error(grid).contains("1×28×28 images"));
}

#[wasm_bindgen_test]
fn bad_image_settings_name_the_layer_index_and_key() {
    let layers_with = |index: u32, replacement: JsValue| {
        let layers = small_layers();
        layers.set(index, replacement);
        layers
    };
    let big_conv = layer(&[
        ("kind", "conv".into()),
        ("filters", 2.into()),
        ("size", 7.into()),
    ]);
    let no_filters = layer(&[
        ("kind", "conv".into()),
        ("filters", 0.into()),
        ("size", 3.into()),
    ]);
    let pool_too_big = layer(&[("kind", "maxpool".into()), ("size", 5.into())]);
    let crop = object(&[(
        "ops",
        Array::of1(&object(&[
            ("kind", "random_crop".into()),
            ("size", 4.into()),
            ("padding", 1.into()),
        ]))
        .into(),
    )]);
    let lighting = object(&[(
        "ops",
        Array::of1(&object(&[("kind", "lighting".into())])).into(),
    )]);
    let (x, mut y) = halves(10);
    y[3] = 12.0;
    let label_out_of_range = object(&[
        ("kind", "images".into()),
        ("width", 6.into()),
        ("height", 6.into()),
        ("channels", 1.into()),
        ("classes", 2.into()),
        ("x", Float32Array::from(&x[..]).into()),
        ("y", Float32Array::from(&y[..]).into()),
    ]);
    let mismatched = object(&[
        ("kind", "images".into()),
        ("width", 6.into()),
        ("height", 6.into()),
        ("channels", 1.into()),
        ("x", Float32Array::from(&x[..35]).into()),
        ("y", Float32Array::from(&halves(10).1[..]).into()),
    ]);
    let cases: Vec<(&str, JsValue, &str)> = vec![
        (
            "layers",
            layers_with(0, big_conv).into(),
            "layers[0].size 7 is larger",
        ),
        (
            "layers",
            layers_with(0, no_filters).into(),
            "layers[0].filters",
        ),
        (
            "layers",
            layers_with(2, pool_too_big).into(),
            "layers[2].size 5 is larger",
        ),
        ("augment", crop, "augment.ops[0].size"),
        ("augment", lighting, "augment.ops[0] (lighting)"),
        ("dataset", label_out_of_range, "below classes = 2"),
        ("dataset", mismatched, "dataset.x must hold"),
        (
            "hidden",
            Array::of1(&4.into()).into(),
            "hidden does not apply",
        ),
    ];
    for (key, value, needle) in cases {
        let message = error_text(JsTrainer::new(images_config(&[(key, value)])));
        assert!(message.contains(needle), "{key}: {message}");
    }
}

#[wasm_bindgen_test]
fn chunked_evaluation_agrees_with_evaluate_and_explains_its_mistakes() {
    let mut t = JsTrainer::new(images_config(&[])).unwrap();
    t.run(3.0).unwrap();
    let whole = t.evaluate().unwrap();
    let progress = t.start_evaluation(JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&progress, "total").as_f64(), Some(40.0));
    let mut calls = 0;
    loop {
        let p = t.continue_evaluation(7.0).unwrap();
        calls += 1;
        if get(&p, "done").as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(calls, 6, "40 examples, 7 at a time");
    let result = t.evaluation_result().unwrap();
    for key in ["trainLoss", "trainAccuracy", "valLoss", "valAccuracy"] {
        let (a, b) = (
            get(&result, key).as_f64().unwrap(),
            get(&whole, key).as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{key}: {a} vs {b}");
    }
    assert_eq!(get(&result, "step").as_f64(), Some(3.0));
    let confusion = t.confusion_matrix().unwrap().to_vec();
    assert_eq!(confusion.iter().sum::<u32>(), 10);
    let accuracy = (confusion[0] + confusion[3]) as f64 / 10.0;
    assert_eq!(accuracy, get(&whole, "valAccuracy").as_f64().unwrap());
    let wrong = t.most_confidently_wrong(10.0).unwrap();
    let labels: Uint32Array = get(&wrong, "labels").dyn_into().unwrap();
    let predicted: Uint32Array = get(&wrong, "predicted").dyn_into().unwrap();
    let confidence = get(&wrong, "confidence")
        .dyn_into::<Float32Array>()
        .unwrap()
        .to_vec();
    let probabilities = get(&wrong, "probabilities")
        .dyn_into::<Float32Array>()
        .unwrap()
        .to_vec();
    assert_eq!(labels.length(), confusion[1] + confusion[2]);
    for i in 0..labels.length() {
        assert_ne!(labels.get_index(i), predicted.get_index(i));
        let row = &probabilities[2 * i as usize..2 * i as usize + 2];
        assert_eq!(row[predicted.get_index(i) as usize], confidence[i as usize]);
    }
    assert!(
        confidence.windows(2).all(|w| w[0] >= w[1]),
        "most confident first"
    );
    // The finished evaluation joined the curves at step 3.
    assert_eq!(t.eval_steps().to_vec(), [3.0]);
}

#[wasm_bindgen_test]
fn a_spread_evaluation_scores_evenly_spaced_training_images() {
    let mut t = JsTrainer::new(images_config(&[])).unwrap();
    t.run(2.0).unwrap();
    let options = object(&[("trainLimit", 10.into()), ("spread", true.into())]);
    let progress = t.start_evaluation(options).unwrap();
    assert_eq!(
        get(&progress, "total").as_f64(),
        Some(20.0),
        "10 training + 10 validation"
    );
    while !get(&t.continue_evaluation(4.0).unwrap(), "done")
        .as_bool()
        .unwrap()
    {}
    let result = t.evaluation_result().unwrap();
    // Independently: predict the training images ⌊j·30/10⌋ = 0, 3, 6, …
    let train = t.train_points().to_vec();
    let labels = t.train_labels().to_vec();
    assert_eq!(labels.len(), 30);
    let picks: Vec<usize> = (0..10).map(|j| j * 3).collect();
    let rows: Vec<f32> = picks
        .iter()
        .flat_map(|&i| train[i * 36..(i + 1) * 36].to_vec())
        .collect();
    let probs = t
        .predict(Float32Array::from(&rows[..]).into())
        .unwrap()
        .to_vec();
    let (mut loss, mut correct) = (0.0f64, 0usize);
    for (k, &i) in picks.iter().enumerate() {
        let row = &probs[2 * k..2 * k + 2];
        let label = labels[i] as usize;
        loss -= (row[label] as f64).ln();
        correct += usize::from(row[label] >= row[1 - label]);
    }
    let got_loss = get(&result, "trainLoss").as_f64().unwrap();
    assert!(
        (got_loss - loss / 10.0).abs() < 1e-5,
        "{got_loss} vs {}",
        loss / 10.0
    );
    assert_eq!(
        get(&result, "trainAccuracy").as_f64().unwrap(),
        correct as f64 / 10.0
    );
    let bad = object(&[("trainLimit", 10.into()), ("spred", true.into())]);
    let message = js_error(t.start_evaluation(bad).unwrap_err());
    assert!(message.contains("spred"), "{message}");
}

#[wasm_bindgen_test]
fn a_stack_ending_in_conv_returns_its_feature_maps_and_tiles_show_weights() {
    let layers: Array = [layer(&[
        ("kind", "conv".into()),
        ("filters", 2.into()),
        ("size", 2.into()),
    ])]
    .iter()
    .collect();
    let mut t = JsTrainer::new(images_config(&[("layers", layers.into())])).unwrap();
    // Filter 0 picks the top-left pixel, filter 1 is minus the bottom-right one.
    let w = [1.0f32, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0];
    let arrays = Array::of2(
        &Float32Array::from(&w[..]),
        &Float32Array::from(&[0.5f32, 0.0][..]),
    );
    t.set_weights(arrays.into(), None).unwrap();
    let image: Vec<f32> = (0..36).map(|p| p as f32).collect();
    let out = t
        .forward(Float32Array::from(&image[..]).into())
        .unwrap()
        .to_vec();
    assert_eq!(out.len(), 2 * 25);
    assert_eq!(out[0], 0.5);
    assert_eq!(out[24], 28.0 + 0.5);
    assert_eq!(out[25], -7.0);
    let message = js_error(t.run(1.0).unwrap_err());
    assert!(message.contains("layers[0] is conv"), "{message}");

    let tiles = t
        .filter_tiles(None, object(&[("scale", 1.into())]))
        .unwrap();
    assert_eq!(get(&tiles, "columns").as_f64(), Some(2.0));
    assert_eq!(get(&tiles, "width").as_f64(), Some(5.0));
    let pixels = get(&tiles, "pixels")
        .dyn_into::<js_sys::Uint8ClampedArray>()
        .unwrap()
        .to_vec();
    // Largest magnitude 1: +1 full red, 0 white, −1 (second tile's last pixel) full blue.
    assert_eq!(&pixels[..8], &[255, 0, 0, 255, 255, 255, 255, 255]);
    let last = (5 + 4) * 4;
    assert_eq!(&pixels[last..last + 4], &[0, 0, 255, 255]);

    let maps = t
        .feature_maps(Float32Array::from(&image[..]).into(), 0, JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(get(&maps, "tileWidth").as_f64(), Some(5.0));
    assert_eq!(get(&maps, "scale").as_f64(), Some(2.0));
    assert!(t
        .feature_maps(Float32Array::from(&image[..]).into(), 3, JsValue::UNDEFINED)
        .is_err());
}

#[wasm_bindgen_test]
fn digits_come_from_the_asset_bytes_and_center_digit_centres_the_mass() {
    // A tiny asset: 4 images a class of 2 classes, 6×6.
    let mut bytes = b"TLIM".to_vec();
    bytes.extend(8u32.to_le_bytes());
    bytes.extend(6u16.to_le_bytes());
    bytes.extend(6u16.to_le_bytes());
    bytes.extend([1, 2, 0, 0]);
    bytes.extend([0, 0, 0, 0, 1, 1, 1, 1]);
    let (x, _) = halves(8);
    let mut pixels: Vec<u8> = Vec::new();
    for class in 0..2 {
        for i in 0..4 {
            let row = &x[(2 * i + class) * 36..(2 * i + class + 1) * 36];
            pixels.extend(row.iter().map(|v| (v * 255.0) as u8));
        }
    }
    bytes.extend(pixels);
    let dataset = object(&[
        ("kind", "digits".into()),
        ("data", Uint8Array::from(&bytes[..]).into()),
        ("perClass", 2.into()),
        ("validationPerClass", 1.into()),
    ]);
    let config = images_config(&[("dataset", dataset.clone()), ("validationSplit", 0.into())]);
    let t = JsTrainer::new(config).unwrap();
    assert_eq!(t.train_labels().length(), 4);
    assert_eq!(t.val_labels().length(), 2);
    let split = images_config(&[("dataset", dataset)]);
    assert!(error_text(JsTrainer::new(split)).contains("validationSplit must be 0"));
    let broken = object(&[
        ("kind", "digits".into()),
        ("data", Uint8Array::from(&bytes[..20]).into()),
    ]);
    let message = error_text(JsTrainer::new(images_config(&[
        ("dataset", broken),
        ("validationSplit", 0.into()),
    ])));
    assert!(message.starts_with("dataset.data"), "{message}");

    // A 10×10 square in a 40×40 drawing → ones in rows and columns 4..24.
    let mut drawing = vec![0.0f32; 1600];
    for r in 25..35 {
        for c in 2..12 {
            drawing[r * 40 + c] = 1.0;
        }
    }
    let centred = center_digit_js(&drawing, 40, 40).unwrap().to_vec();
    assert_eq!(centred.iter().sum::<f32>(), 400.0);
    assert_eq!(centred[4 * 28 + 4], 1.0);
    assert_eq!(centred[23 * 28 + 23], 1.0);
    assert_eq!(centred[3 * 28 + 4], 0.0);
    assert!(center_digit_js(&drawing, 40, 39).is_err());
}
