//! The JS API of the optimizer race, called the way course pages call it:
//! settings as plain JS objects, errors as JS `Error`s naming the problem.

use js_sys::{Array, Object, Reflect};
use trainlab::api::{JsHeatmap, JsOptimizer, JsRace, JsSchedule, JsSurface};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// A JS object from (key, value) pairs.
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in pairs {
        Reflect::set(&obj, &JsValue::from_str(key), value).unwrap();
    }
    obj.into()
}

fn num(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// The message of a JS Error thrown across the boundary.
fn message(error: wasm_bindgen::JsError) -> String {
    let value: JsValue = error.into();
    value
        .dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn adam_steps_like_its_formula_from_js() {
    let mut opt = JsOptimizer::new(object(&[
        ("kind", text("adam")),
        ("lr", num(0.1)),
        ("beta1", num(0.9)),
        ("beta2", num(0.999)),
        ("eps", num(1e-8)),
    ]))
    .unwrap();
    let mut params = [1.0, -2.0];
    opt.step(&mut params, &[3.0, -0.5]).unwrap();
    // First bias-corrected Adam step: α·g/(|g| + ε) = ±α.
    assert!((params[0] - 0.9).abs() < 1e-7);
    assert!((params[1] + 1.9).abs() < 1e-7);
    opt.reset();
    assert_eq!(opt.steps(), 0.0);
}

#[wasm_bindgen_test]
fn bad_optimizer_settings_throw_errors_naming_them() {
    let cases = [
        (object(&[("kind", text("adamw"))]), "'adamw'"),
        (object(&[("kind", text("sgd")), ("lrr", num(0.1))]), "'lrr'"),
        (
            object(&[("kind", text("sgd")), ("lr", num(f64::NAN))]),
            "lr",
        ),
        (
            object(&[("kind", text("rmsprop")), ("decay", num(1.5))]),
            "decay",
        ),
        (
            object(&[("kind", text("adam")), ("lr", text("fast"))]),
            "'lr'",
        ),
        (object(&[("lr", num(0.1))]), "'kind'"),
    ];
    for (config, expected) in cases {
        let Err(error) = JsOptimizer::new(config) else {
            panic!("accepted a bad config (expected {expected})");
        };
        let text = message(error);
        assert!(
            text.contains(expected),
            "{text:?} should mention {expected}"
        );
    }
    let mut opt = JsOptimizer::new(object(&[("kind", text("sgd"))])).unwrap();
    let err = opt.step(&mut [0.0, 0.0], &[1.0]).unwrap_err();
    assert!(message(err).contains("same length"));
}

#[wasm_bindgen_test]
fn surfaces_give_values_gradients_and_typed_expressions_agree() {
    let rosenbrock = JsSurface::new(text("rosenbrock")).unwrap();
    assert_eq!(rosenbrock.value(1.0, 1.0), 0.0);
    // ∇f at (0, 0) is (−2, 0) for (1 − x)² + 100(y − x²)².
    assert_eq!(rosenbrock.grad(0.0, 0.0), vec![-2.0, 0.0]);
    let typed = JsSurface::new(object(&[("expr", text("(1-x)^2 + 100*(y-x^2)^2"))])).unwrap();
    for &(x, y) in &[(-1.2, 1.0), (0.3, -0.7), (2.0, 2.5)] {
        let (a, b) = (rosenbrock.grad(x, y), typed.grad(x, y));
        for i in 0..2 {
            assert!((a[i] - b[i]).abs() <= 1e-12 * a[i].abs().max(1.0));
        }
    }
    assert_eq!(typed.name(), "custom");
    let err = JsSurface::new(object(&[("expr", text("x + (y"))]))
        .err()
        .unwrap();
    assert!(message(err).contains("position"));
    let err = JsSurface::new(text("rosenbrok")).err().unwrap();
    assert!(message(err).contains("rosenbrock"));
}

#[wasm_bindgen_test]
fn schedules_match_their_formulas() {
    let step = JsSchedule::new(object(&[
        ("kind", text("step")),
        ("lr", num(0.1)),
        ("gamma", num(0.5)),
        ("every", num(10.0)),
    ]))
    .unwrap();
    assert_eq!(step.at(0.0), 0.1);
    assert_eq!(step.at(9.0), 0.1);
    assert_eq!(step.at(10.0), 0.05);
    let cosine = JsSchedule::new(object(&[
        ("kind", text("cosine")),
        ("lr", num(1.0)),
        ("total", num(100.0)),
        ("min", num(0.0)),
    ]))
    .unwrap();
    assert!((cosine.at(50.0) - 0.5).abs() < 1e-15);
    assert!(JsSchedule::new(object(&[("kind", text("step")), ("every", num(0.0))])).is_err());
}

#[wasm_bindgen_test]
fn lbfgs_and_bfgs_step_on_a_surface_and_report_their_evaluations() {
    let surface = JsSurface::new(text("rosenbrock")).unwrap();
    for kind in ["lbfgs", "bfgs"] {
        let mut opt = JsOptimizer::new(object(&[("kind", text(kind))])).unwrap();
        let mut x = [-1.2, 1.0];
        let mut evaluations = 0.0;
        for _ in 0..100 {
            let report = opt.step_on(&surface, &mut x).unwrap();
            evaluations += Reflect::get(&report, &text("evaluations"))
                .unwrap()
                .as_f64()
                .unwrap();
        }
        assert!(
            (x[0] - 1.0).abs() < 1e-6 && (x[1] - 1.0).abs() < 1e-6,
            "{kind}: {x:?}"
        );
        assert!(evaluations >= 30.0, "{kind}");
        let err = opt.step(&mut x, &[0.0, 0.0]).unwrap_err();
        assert!(message(err).contains("stepOn"));
    }
}

/// A race of `racers` (JS settings objects) on `surface`, starting at (1, 1).
fn race_from_one_one(surface: &JsSurface, racers: &[JsValue]) -> JsRace {
    let list: Array = racers.iter().collect();
    JsRace::new(
        surface,
        object(&[
            ("start", Array::of2(&num(1.0), &num(1.0)).into()),
            ("racers", list.into()),
        ]),
    )
    .unwrap()
}

#[wasm_bindgen_test]
fn a_race_hands_out_paths_and_statuses() {
    let surface = JsSurface::new(text("quadratic")).unwrap();
    let mut race = race_from_one_one(
        &surface,
        &[
            object(&[("kind", text("sgd")), ("lr", num(0.5))]),
            object(&[("kind", text("newton"))]),
        ],
    );
    race.step(3);
    let path = race.path(0).unwrap().to_vec();
    assert_eq!(path.len(), 8);
    assert_eq!(&path[..2], &[1.0, 1.0]);
    let status = race.status(1).unwrap();
    let state = Reflect::get(&status, &text("state"))
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(state, "converged", "Newton solves a quadratic in one step");
    assert!(race.path(5).is_err());
    let mut map = JsHeatmap::new(8, 8).unwrap();
    map.render(&surface, None, None, None, None).unwrap();
    assert_eq!(map.pixels().length(), 8 * 8 * 4);
    // A real Uint8ClampedArray, so `new ImageData(map.pixels(), w, h)` works.
    assert!(JsValue::from(map.pixels()).is_instance_of::<js_sys::Uint8ClampedArray>());
    assert!(JsHeatmap::new(0, 8).is_err());
}

#[wasm_bindgen_test]
fn surface_hessian_is_fxx_fxy_fyx_fyy_by_hand_and_by_differences() {
    // (1 − x)² + 100(y − x²)²: fxx = 2 − 400y + 1200x², fxy = −400x, fyy = 200.
    let s = JsSurface::new(text("rosenbrock")).unwrap();
    assert_eq!(s.hessian(0.5, 0.2), vec![222.0, -200.0, -200.0, 200.0]);
    // x³ + 2xy² + y at (1, 2): fxx = 6x = 6, fxy = 4y = 8, fyy = 4x = 4.
    let typed = JsSurface::new(object(&[("expr", text("x^3 + 2*x*y^2 + y"))])).unwrap();
    assert_eq!(typed.hessian(1.0, 2.0), vec![6.0, 8.0, 8.0, 4.0]);
    // Every built-in against central differences of its gradient.
    for name in JsSurface::names() {
        let s = JsSurface::new(text(&name)).unwrap();
        let [x, y] = [0.37, -0.61];
        let h = 1e-5;
        let (gxp, gxm) = (s.grad(x + h, y), s.grad(x - h, y));
        let (gyp, gym) = (s.grad(x, y + h), s.grad(x, y - h));
        let fd = [
            (gxp[0] - gxm[0]) / (2.0 * h),
            (gxp[1] - gxm[1]) / (2.0 * h),
            (gyp[0] - gym[0]) / (2.0 * h),
            (gyp[1] - gym[1]) / (2.0 * h),
        ];
        let got = s.hessian(x, y);
        let scale = got.iter().fold(1f64, |m, v| m.max(v.abs()));
        for k in 0..4 {
            assert!(
                (got[k] - fd[k]).abs() <= 1e-5 * scale,
                "{name} H[{k}]: {got:?} vs {fd:?}"
            );
        }
    }
}

/// Calls `target.name(...args)` in JS.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> JsValue {
    let function: js_sys::Function = Reflect::get(target, &text(name)).unwrap().unchecked_into();
    function
        .apply(target, &args.iter().collect::<Array>())
        .unwrap()
}

/// Pixels that are clearly `rgb` (each channel within 60), in a canvas's RGBA.
fn pixels_near(rgba: &[u8], (r, g, b): (u8, u8, u8)) -> usize {
    let near = |a: u8, b: u8| a.abs_diff(b) <= 60;
    rgba.chunks(4)
        .filter(|p| p[3] > 200 && near(p[0], r) && near(p[1], g) && near(p[2], b))
        .count()
}

#[wasm_bindgen_test]
fn the_loss_chart_draws_each_racer_in_its_colour_and_hides_a_null_one() {
    let surface = JsSurface::new(text("quadratic")).unwrap();
    let mut race = race_from_one_one(
        &surface,
        &[
            object(&[("kind", text("sgd")), ("lr", num(0.05))]),
            object(&[("kind", text("momentum")), ("lr", num(0.01))]),
        ],
    );
    race.step(60);
    let document = Reflect::get(&js_sys::global(), &text("document")).unwrap();
    let canvas = call(&document, "createElement", &[text("canvas")]);
    Reflect::set(&canvas, &text("width"), &num(400.0)).unwrap();
    Reflect::set(&canvas, &text("height"), &num(200.0)).unwrap();
    let draw = |colors: Array| -> Vec<u8> {
        trainlab::api::draw_loss_chart(
            canvas.clone().unchecked_into(),
            &race,
            object(&[("colors", colors.into()), ("logY", JsValue::TRUE)]),
        )
        .unwrap();
        let context = call(&canvas, "getContext", &[text("2d")]);
        let image = call(
            &context,
            "getImageData",
            &[num(0.0), num(0.0), num(400.0), num(200.0)],
        );
        let data: js_sys::Uint8ClampedArray = Reflect::get(&image, &text("data"))
            .unwrap()
            .unchecked_into();
        data.to_vec()
    };
    const RED: (u8, u8, u8) = (230, 0, 0);
    const BLUE: (u8, u8, u8) = (0, 0, 230);
    let both = draw(Array::of2(&text("#e60000"), &text("#0000e6")));
    assert!(
        pixels_near(&both, RED) > 40,
        "the first racer's curve in red"
    );
    assert!(
        pixels_near(&both, BLUE) > 40,
        "the second racer's curve in blue"
    );
    // A null colour hides that racer; the other keeps its colour.
    let blue_only = draw(Array::of2(&JsValue::NULL, &text("#0000e6")));
    assert_eq!(pixels_near(&blue_only, RED), 0, "no red curve");
    assert!(pixels_near(&blue_only, BLUE) > 40);
    // A colour that is not #rrggbb is refused by name.
    let err = trainlab::api::draw_loss_chart(
        canvas.clone().unchecked_into(),
        &race,
        object(&[("colors", Array::of1(&text("red")).into())]),
    )
    .unwrap_err();
    assert!(message(err).contains("#1f77b4"));
}
