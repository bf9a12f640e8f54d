//! wasm-bindgen tests of the `Augmenter` API: output sizes, determinism per
//! seed, the shape and meaning of the drawn `params`, and the errors bad
//! settings and bad buffers raise.

use js_sys::{Array, Reflect, Uint8ClampedArray, JSON};
use trainlab::api::JsAugmenter;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The pipeline from the issue text.
const ISSUE_PIPELINE: &str = r#"{"ops": [
  {"kind": "hflip", "p": 0.5},
  {"kind": "random_resized_crop", "scale": [0.3, 1.0], "ratio": [0.75, 1.333], "size": [224, 224]},
  {"kind": "color_jitter", "brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "hue": 0.1}
]}"#;

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property read")
}

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

fn params(out: &JsValue) -> Vec<JsValue> {
    get(out, "params").dyn_into::<Array>().unwrap().to_vec()
}

fn bytes(out: &JsValue) -> Vec<u8> {
    get(out, "data")
        .dyn_into::<Uint8ClampedArray>()
        .expect("data is a Uint8ClampedArray")
        .to_vec()
}

/// A `width`×`height` image whose pixels all differ: R = x, G = y, B = x·y mod 256.
fn gradient(width: u32, height: u32) -> Vec<u8> {
    let mut data = Vec::new();
    for y in 0..height {
        for x in 0..width {
            data.extend_from_slice(&[x as u8, y as u8, (x * y) as u8, 255]);
        }
    }
    data
}

fn message_of(result: Result<impl Sized, wasm_bindgen::JsError>) -> String {
    let Err(error) = result else {
        panic!("expected an error")
    };
    get(&JsValue::from(error), "message").as_string().unwrap()
}

#[wasm_bindgen_test]
fn issue_pipeline_outputs_224_square_images_in_a_clamped_array() {
    let aug = JsAugmenter::new(json(ISSUE_PIPELINE)).unwrap();
    assert_eq!(aug.length(), 3);
    let image = gradient(451, 300);
    let out = aug.apply(&image, 451, 300, 7.0).unwrap();
    assert_eq!(number(&out, "width"), 224.0);
    assert_eq!(number(&out, "height"), 224.0);
    assert_eq!(bytes(&out).len(), 224 * 224 * 4);
}

#[wasm_bindgen_test]
fn same_seed_same_sample_other_seeds_differ() {
    let aug = JsAugmenter::new(json(ISSUE_PIPELINE)).unwrap();
    let image = gradient(451, 300);
    let a = aug.apply(&image, 451, 300, 42.0).unwrap();
    let b = aug.apply(&image, 451, 300, 42.0).unwrap();
    assert_eq!(bytes(&a), bytes(&b));
    let text = |out: &JsValue| JSON::stringify(&get(out, "params")).unwrap().as_string();
    assert_eq!(text(&a), text(&b));
    let first = bytes(&a);
    let differing = (43..48)
        .filter(|&seed| bytes(&aug.apply(&image, 451, 300, seed as f64).unwrap()) != first)
        .count();
    assert_eq!(differing, 5, "every other seed should give another crop");
}

#[wasm_bindgen_test]
fn params_report_each_op_with_documented_keys() {
    let aug = JsAugmenter::new(json(ISSUE_PIPELINE)).unwrap();
    let image = gradient(451, 300);
    let mut flips = 0;
    for seed in 0..20 {
        let out = aug.apply(&image, 451, 300, seed as f64).unwrap();
        let ops = params(&out);
        assert_eq!(ops.len(), 3);
        let kinds: Vec<String> = ops
            .iter()
            .map(|p| get(p, "kind").as_string().unwrap())
            .collect();
        assert_eq!(kinds, ["hflip", "random_resized_crop", "color_jitter"]);

        let flip = &ops[0];
        let flipped = get(flip, "flipped").as_bool().unwrap();
        assert_eq!(get(flip, "applied").as_bool(), Some(flipped));
        flips += flipped as u32;

        let crop = &ops[1];
        assert_eq!(number(crop, "inputWidth"), 451.0);
        assert_eq!(number(crop, "inputHeight"), 300.0);
        assert_eq!(number(crop, "outputWidth"), 224.0);
        let region = get(crop, "box");
        let (x, y) = (number(&region, "x"), number(&region, "y"));
        let (w, h) = (number(&region, "width"), number(&region, "height"));
        assert!(x >= 0.0 && y >= 0.0 && x + w <= 451.0 && y + h <= 300.0);
        // Area between 30 % and 100 % of the image, up to rounding of the sides.
        let area = w * h / (451.0 * 300.0);
        assert!((0.29..=1.0).contains(&area), "area fraction {area}");
        assert!(get(crop, "fallback").as_bool().is_some());

        let jitter = &ops[2];
        for key in ["brightness", "contrast", "saturation"] {
            let f = number(jitter, key);
            assert!((0.6..=1.4).contains(&f), "{key} {f}");
        }
        assert!(number(jitter, "hue").abs() <= 0.1);
        let mut order: Vec<String> = get(jitter, "order")
            .dyn_into::<Array>()
            .unwrap()
            .iter()
            .map(|v| v.as_string().unwrap())
            .collect();
        order.sort();
        assert_eq!(order, ["brightness", "contrast", "hue", "saturation"]);
    }
    // p = 0.5 over 20 seeds: all-or-nothing has odds 2·2^-20.
    assert!((1..20).contains(&flips), "{flips} flips in 20");
}

#[wasm_bindgen_test]
fn crop_box_in_params_is_where_the_pixels_came_from() {
    // A plain random crop copies pixels, so the output must equal the
    // input under the reported box.
    let aug = JsAugmenter::new(json(
        r#"{"ops": [{"kind": "random_crop", "size": [5, 3]}]}"#,
    ))
    .unwrap();
    let image = gradient(20, 10);
    for seed in 0..5 {
        let out = aug.apply(&image, 20, 10, seed as f64).unwrap();
        let region = get(&params(&out)[0], "box");
        let (x0, y0) = (number(&region, "x") as u32, number(&region, "y") as u32);
        let data = bytes(&out);
        for y in 0..3 {
            for x in 0..5 {
                let at = ((y * 5 + x) * 4) as usize;
                assert_eq!(
                    &data[at..at + 4],
                    &[
                        (x0 + x) as u8,
                        (y0 + y) as u8,
                        ((x0 + x) * (y0 + y)) as u8,
                        255
                    ]
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn preview_op_always_applies_the_op() {
    // p = 0 in the settings; the preview ignores it and mirrors the 3×1 row.
    let image = [1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255];
    let out =
        JsAugmenter::preview_op(json(r#"{"kind": "hflip", "p": 0}"#), &image, 3, 1, 0.0).unwrap();
    assert_eq!(bytes(&out), [3, 0, 0, 255, 2, 0, 0, 255, 1, 0, 0, 255]);
    assert_eq!(get(&params(&out)[0], "flipped").as_bool(), Some(true));
    let err = message_of(JsAugmenter::preview_op(
        json(r#"{"kind": "blur"}"#),
        &image,
        3,
        1,
        0.0,
    ));
    assert!(err.contains("'blur'"), "{err}");
}

#[wasm_bindgen_test]
fn skipped_ops_say_so_and_drawn_keys_are_absent() {
    let aug = JsAugmenter::new(json(
        r#"{"ops": [{"kind": "rotate", "p": 0}, {"kind": "cutout", "p": 0}]}"#,
    ))
    .unwrap();
    let image = gradient(8, 8);
    let out = aug.apply(&image, 8, 8, 3.0).unwrap();
    assert_eq!(bytes(&out), image);
    for op in params(&out) {
        assert_eq!(get(&op, "applied").as_bool(), Some(false));
        assert!(get(&op, "degrees").is_undefined());
        assert!(get(&op, "box").is_undefined());
    }
}

#[wasm_bindgen_test]
fn bad_settings_throw_errors_naming_the_problem() {
    let cases = [
        (r#"{"ops": [{"kind": "mixup"}]}"#, "'mixup'"),
        (
            r#"{"ops": [{"kind": "color_jitter", "brightnes": 0.4}]}"#,
            "'brightnes'",
        ),
        (r#"{"ops": [{"kind": "hflip", "p": 2}]}"#, "hflip.p"),
        (
            r#"{"ops": [{"kind": "random_resized_crop", "size": [0, 10]}]}"#,
            "random_resized_crop.size",
        ),
        (
            r#"{"ops": [{"kind": "color_jitter", "hue": "lots"}]}"#,
            "'hue'",
        ),
        (r#"{"op": []}"#, "'op'"),
        (r#"{"ops": 3}"#, "'ops'"),
        (r#""hflip""#, "must be an object"),
    ];
    for (config, expected) in cases {
        let err = message_of(JsAugmenter::new(json(config)));
        assert!(err.contains(expected), "{config}: {err}");
    }
}

#[wasm_bindgen_test]
fn wrong_buffer_length_and_bad_seeds_are_errors() {
    let aug = JsAugmenter::new(json(ISSUE_PIPELINE)).unwrap();
    let image = gradient(10, 10);
    let err = message_of(aug.apply(&image[..396], 10, 10, 1.0));
    assert!(err.contains("396 bytes") && err.contains("400"), "{err}");
    let err = message_of(aug.apply(&image, 10, 0, 1.0));
    assert!(err.contains("10×0"), "{err}");
    for seed in [1.5, -1.0, f64::NAN] {
        let err = message_of(aug.apply(&image, 10, 10, seed));
        assert!(err.contains("seed"), "{err}");
    }
}

#[wasm_bindgen_test]
fn test_time_crop_boxes_match_hand_placed_ones() {
    // 10×8 image, 4×4 crops: corners at x ∈ {0, 6}, y ∈ {0, 4}; centre at (3, 2).
    let boxes = JsAugmenter::five_crop_boxes(10, 8, 4, 4).unwrap();
    let corners: Vec<(f64, f64)> = boxes
        .dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|b| {
            assert_eq!(number(&b, "width"), 4.0);
            (number(&b, "x"), number(&b, "y"))
        })
        .collect();
    assert_eq!(
        corners,
        [(0.0, 0.0), (6.0, 0.0), (0.0, 4.0), (6.0, 4.0), (3.0, 2.0)]
    );
    let ten = JsAugmenter::ten_crop(10, 8, 4, 4)
        .unwrap()
        .dyn_into::<Array>()
        .unwrap();
    assert_eq!(ten.length(), 10);
    let flips: Vec<bool> = ten
        .iter()
        .map(|c| get(&c, "hflip").as_bool().unwrap())
        .collect();
    assert_eq!(
        flips,
        [false, false, false, false, false, true, true, true, true, true]
    );
    assert_eq!(number(&ten.get(7), "x"), 0.0);
    assert_eq!(number(&ten.get(7), "y"), 4.0);
    let err = message_of(JsAugmenter::five_crop_boxes(10, 8, 12, 4));
    assert!(err.contains("12×4"), "{err}");
}

#[wasm_bindgen_test]
fn downscale_to_fit_averages_blocks() {
    // 4×2 → longest side 2 → 2×1; each output pixel is the mean of a 2×2 block.
    let mut image = Vec::new();
    for value in [0u8, 100, 10, 30, 20, 60, 30, 90] {
        image.extend_from_slice(&[value, value, value, 255]);
    }
    let out = JsAugmenter::downscale_to_fit(&image, 4, 2, 2).unwrap();
    assert_eq!((number(&out, "width"), number(&out, "height")), (2.0, 1.0));
    // Left block: 0, 100, 20, 60 → 45; right block: 10, 30, 30, 90 → 40.
    assert_eq!(bytes(&out), [45, 45, 45, 255, 40, 40, 40, 255]);
    assert_eq!(JsAugmenter::op_kinds().len(), 11);
    assert_eq!(JsAugmenter::op_kinds()[10], "noise");
}

#[wasm_bindgen_test]
fn sample_on_a_set_image_equals_apply() {
    let mut aug = JsAugmenter::new(json(ISSUE_PIPELINE)).unwrap();
    let err = message_of(aug.sample(1.0));
    assert!(err.contains("setImage"), "{err}");
    let image = gradient(60, 40);
    let err = message_of(aug.set_image(&image[..100], 60, 40));
    assert!(err.contains("100 bytes"), "{err}");
    aug.set_image(&image, 60, 40).unwrap();
    for seed in [0.0, 5.0, 99.0] {
        let sampled = aug.sample(seed).unwrap();
        let applied = aug.apply(&image, 60, 40, seed).unwrap();
        assert_eq!(bytes(&sampled), bytes(&applied));
        let text = |out: &JsValue| JSON::stringify(&get(out, "params")).unwrap().as_string();
        assert_eq!(text(&sampled), text(&applied));
    }
}

#[wasm_bindgen_test]
fn camel_case_keys_and_old_snake_case_spellings_give_the_same_samples() {
    let image = gradient(40, 30);
    let translate = |keys: &str| {
        let config = format!(r#"{{"ops": [{{"kind": "translate", {keys}}}]}}"#);
        let aug = JsAugmenter::new(json(&config)).unwrap();
        let out = aug.apply(&image, 40, 30, 7.0).unwrap();
        let params = JSON::stringify(&get(&out, "params")).unwrap().as_string();
        (bytes(&out), params)
    };
    let camel = translate(r#""maxShift": [0.3, 0.3], "paddingMode": "wrap""#);
    let snake = translate(r#""max_shift": [0.3, 0.3], "padding_mode": "wrap""#);
    assert_eq!(camel, snake);
    // The keys are read, not ignored: the default (black padding) differs.
    let default = translate(r#""maxShift": [0.3, 0.3]"#);
    assert_ne!(camel.0, default.0);

    let preview =
        |op: &str| bytes(&JsAugmenter::preview_op(json(op), &image, 40, 30, 3.0).unwrap());
    assert_eq!(
        preview(r#"{"kind": "random_crop", "size": 36, "padding": 6, "paddingMode": "edge"}"#),
        preview(r#"{"kind": "random_crop", "size": 36, "padding": 6, "padding_mode": "edge"}"#)
    );

    let err = message_of(JsAugmenter::new(json(
        r#"{"ops": [{"kind": "translate", "maxShift": 0.1, "max_shift": 0.2}]}"#,
    )));
    assert!(
        err.contains("'maxShift'") && err.contains("'max_shift'") && err.starts_with("ops[0]"),
        "{err}"
    );
}
