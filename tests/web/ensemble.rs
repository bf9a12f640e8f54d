//! wasm-bindgen tests of the JS `Ensemble` API and the Trainer's `polyak`
//! key, by value: reports against the engine run natively in the same
//! browser, member 0 against a plain `Trainer`, grids against each other,
//! snapshot steps and rates against the schedule, errors naming keys.

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect};
use trainlab::api::ensemble::JsEnsemble;
use trainlab::api::trainer::JsTrainer;
use trainlab::config::{ensemble_setup, ConfigValue};
use trainlab::nn::Ensemble;
use trainlab::schedule::Schedule;
use wasm_bindgen::{JsCast, JsError, JsValue};
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

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

fn keys(value: &JsValue) -> Vec<String> {
    Object::keys(value.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

/// Noisy moons, half held out, a small net: fast and able to overfit.
fn trainer_config(extra: &[(&str, JsValue)]) -> JsValue {
    let dataset = object(&[
        ("kind", "moons".into()),
        ("pointsPerClass", 40.into()),
        ("noise", 0.3.into()),
    ]);
    let mut pairs = vec![
        ("dataset", dataset),
        ("validationSplit", 0.5.into()),
        ("hidden", Array::of1(&32.into()).into()),
        (
            "optimizer",
            object(&[("kind", "sgd".into()), ("lr", 0.3.into())]),
        ),
        ("l2", 0.into()),
        ("batchSize", 20.into()),
        ("seed", 4.into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    object(&pairs)
}

fn ensemble_config(kind: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![
        ("trainer", trainer_config(&[])),
        ("kind", kind.into()),
        ("members", 3.into()),
    ];
    for (k, v) in extra {
        pairs.retain(|(key, _)| key != k);
        pairs.push((k, v.clone()));
    }
    object(&pairs)
}

/// The same ensemble built natively from the same settings object.
fn native(config: &JsValue) -> Ensemble {
    let value: ConfigValue = serde_wasm_bindgen::from_value(config.clone()).unwrap();
    ensemble_setup(&value).unwrap().build().unwrap()
}

fn message<T>(result: Result<T, JsError>) -> String {
    let err = match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => JsValue::from(e),
    };
    String::from(err.dyn_into::<js_sys::Error>().unwrap().message())
}

#[wasm_bindgen_test]
fn bad_settings_throw_errors_naming_the_key() {
    let cases: Vec<(&str, &str, JsValue, &str)> = vec![
        ("independent", "members", 0.into(), "'members'"),
        ("independent", "members", 33.into(), "'members'"),
        ("snapshot", "cycle", 0.into(), "'cycle'"),
        ("snapshot", "cycle", 1.5.into(), "'cycle'"),
        ("independent", "cycle", 10.into(), "'cycle'"),
        ("independent", "memebrs", 3.into(), "'memebrs'"),
        (
            "independent",
            "trainer",
            trainer_config(&[("polyak", 1.into())]),
            "polyak",
        ),
        (
            "snapshot",
            "trainer",
            trainer_config(&[("hiden", 3.into())]),
            "'hiden'",
        ),
    ];
    for (kind, key, value, needle) in cases {
        let text = message(JsEnsemble::new(ensemble_config(kind, &[(key, value)])));
        assert!(text.contains(needle), "{key}: {text}");
    }
    let text = message(JsEnsemble::new(ensemble_config("bagging", &[])));
    assert!(text.contains("kind") && text.contains("bagging"), "{text}");
    let text = message(JsEnsemble::new(JsValue::from(5)));
    assert!(text.contains("ensemble"), "{text}");
}

#[wasm_bindgen_test]
fn train_reports_the_documented_shape_with_the_engines_values() {
    let config = ensemble_config("independent", &[]);
    let mut e = JsEnsemble::new(config.clone()).unwrap();
    let report = e.train(40.0).unwrap();
    assert_eq!(
        keys(&report),
        [
            "steps",
            "computeSteps",
            "count",
            "members",
            "ensemble",
            "run"
        ]
    );
    assert_eq!(number(&report, "steps"), 40.0);
    assert_eq!(number(&report, "computeSteps"), 120.0);
    assert!(get(&report, "run").is_null());
    let members: Array = get(&report, "members").dyn_into().unwrap();
    assert_eq!(members.length(), 3);
    let ensemble = get(&report, "ensemble");
    assert_eq!(
        keys(&ensemble),
        [
            "trainAccuracy",
            "trainLoss",
            "valAccuracy",
            "valLoss",
            "voteAccuracy"
        ]
    );

    let mut twin = native(&config);
    let want = twin.train(40).unwrap();
    for (i, member) in members.iter().enumerate() {
        assert_eq!(
            keys(&member),
            [
                "steps",
                "trainAccuracy",
                "trainLoss",
                "valAccuracy",
                "valLoss"
            ]
        );
        let score = want.members[i];
        assert_eq!(number(&member, "trainAccuracy"), score.train.accuracy);
        assert_eq!(number(&member, "valAccuracy"), score.val.unwrap().accuracy);
        assert_eq!(number(&member, "valLoss"), score.val.unwrap().loss);
    }
    let average = want.ensemble.unwrap();
    assert_eq!(number(&ensemble, "valLoss"), average.val.unwrap().loss);
    assert_eq!(
        number(&ensemble, "valAccuracy"),
        average.val.unwrap().accuracy
    );
    assert_eq!(
        number(&ensemble, "voteAccuracy"),
        average.val_vote_accuracy.unwrap()
    );
    let by_count = e.accuracy_by_count().unwrap().to_vec();
    assert_eq!(by_count, twin.val_curves().unwrap().accuracy);
    assert_eq!(by_count.len(), e.count());
    assert_eq!(by_count[2], average.val.unwrap().accuracy);
    assert_eq!(
        e.loss_by_count().unwrap().to_vec(),
        twin.val_curves().unwrap().loss
    );
    assert_eq!(
        e.vote_accuracy_by_count().unwrap().to_vec(),
        twin.val_curves().unwrap().vote_accuracy
    );
    // Member 0's validation accuracy equals a plain Trainer's from the same settings.
    let mut plain = JsTrainer::new(trainer_config(&[])).unwrap();
    let alone = plain.train(40.0).unwrap();
    assert_eq!(by_count[0], number(&alone, "valAccuracy"));
    assert_eq!(
        e.loss_history(None).unwrap().to_vec(),
        plain.loss_history().to_vec()
    );
}

#[wasm_bindgen_test]
fn a_snapshot_run_of_1000_steps_with_cycle_200_keeps_five_members() {
    let config = ensemble_config("snapshot", &[("members", 5.into()), ("cycle", 200.into())]);
    let mut e = JsEnsemble::new(config).unwrap();
    assert_eq!((e.count(), e.capacity(), e.runs()), (0, 5, 1));
    assert_eq!(e.kind(), "snapshot");
    assert_eq!(e.cycle().as_f64(), Some(200.0));
    let early = e.train(150.0).unwrap();
    assert!(get(&early, "ensemble").is_null());
    assert_eq!(number(&get(&early, "run"), "steps"), 150.0);
    assert!(message(e.predict_grid(-1.0, 1.0, -1.0, 1.0, 4, 4)).contains("no members yet"));
    e.run(850.0).unwrap();
    assert_eq!(e.count(), 5);
    assert_eq!(
        e.snapshot_steps().to_vec(),
        [999.0, 799.0, 599.0, 399.0, 199.0]
    );
    let rates = e.lr_history().to_vec();
    let schedule = Schedule::WarmRestarts {
        lr: 0.3,
        period: 200,
        mult: 1,
        min: 0.0,
    };
    assert_eq!(rates.len(), 1000);
    for (t, rate) in rates.iter().enumerate() {
        assert_eq!(*rate, schedule.at(t as u64), "step {t}");
    }
    assert_eq!(e.compute_steps(), 1000.0);
    assert_eq!(e.accuracy_by_count().unwrap().length(), 5);
    let report = e.evaluate().unwrap();
    let members: Array = get(&report, "members").dyn_into().unwrap();
    assert_eq!(number(&members.get(4), "steps"), 200.0);
}

#[wasm_bindgen_test]
fn grids_are_the_averaged_and_member_maps() {
    let mut e = JsEnsemble::new(ensemble_config("independent", &[])).unwrap();
    e.run(30.0).unwrap();
    let (w, h) = (12, 8);
    let all = e
        .predict_grids(-2.0, 3.0, -1.5, 2.0, w, h)
        .unwrap()
        .to_vec();
    let size = w * h * 4;
    assert_eq!(all.len(), 4 * size);
    let average = e.predict_grid(-2.0, 3.0, -1.5, 2.0, w, h).unwrap().to_vec();
    assert_eq!(&all[..size], &average[..]);
    // The probabilities behind the averaged map sum to 1 per cell.
    let probs = e.grid_probabilities().to_vec();
    assert_eq!(probs.len(), w * h * 2);
    for cell in probs.chunks_exact(2) {
        assert!((cell[0] + cell[1] - 1.0).abs() < 1e-5);
    }
    for i in 0..3 {
        let member = e
            .member_grid(i, -2.0, 3.0, -1.5, 2.0, w, h)
            .unwrap()
            .to_vec();
        assert_eq!(
            &all[(i + 1) * size..(i + 2) * size],
            &member[..],
            "member {i}"
        );
    }
    // Member 0 draws the same map as a plain Trainer trained alike.
    let mut plain = JsTrainer::new(trainer_config(&[])).unwrap();
    plain.run(30.0).unwrap();
    let alone = plain
        .predict_grid(-2.0, 3.0, -1.5, 2.0, w, h)
        .unwrap()
        .to_vec();
    assert_eq!(&all[size..2 * size], &alone[..]);
    let run0 = e.run_grid(0, -2.0, 3.0, -1.5, 2.0, w, h).unwrap().to_vec();
    assert_eq!(run0, alone);
    // The members differ, so the average is not any one of them.
    assert_ne!(&all[size..2 * size], &all[2 * size..3 * size]);
    assert!(message(e.member_grid(3, -2.0, 3.0, -1.5, 2.0, w, h)).contains("member"));
    assert!(message(e.predict_grid(1.0, 0.0, -1.0, 1.0, w, h)).contains("x_min"));
    assert!(message(e.predict_grid(-1.0, 1.0, -1.0, 1.0, 5000, 2)).contains("at most"));
    assert!(message(e.loss_history(Some(3))).contains("run"));
}

#[wasm_bindgen_test]
fn predict_averages_the_members_and_points_are_shared() {
    let config = ensemble_config("independent", &[("members", 2.into())]);
    let mut e = JsEnsemble::new(config.clone()).unwrap();
    e.run(20.0).unwrap();
    let inputs = Float64Array::from(&[0.0, 0.0, 1.0, -0.5, 2.0, 0.5][..]);
    let probs = e.predict(inputs.into()).unwrap().to_vec();
    let mut twin = native(&config);
    twin.run(20).unwrap();
    let mut want = [0.0f32; 6];
    twin.predict(&[0.0, 0.0, 1.0, -0.5, 2.0, 0.5], &mut want)
        .unwrap();
    assert_eq!(probs, want);
    let plain = JsTrainer::new(trainer_config(&[])).unwrap();
    assert_eq!(e.train_points().to_vec(), plain.train_points().to_vec());
    assert_eq!(e.val_labels().to_vec(), plain.val_labels().to_vec());
    assert_eq!(e.train_points().length(), 80);
}

#[wasm_bindgen_test]
fn typed_array_data_in_the_trainer_settings_is_read() {
    let x = Float64Array::from(&[0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.2, 0.9, 0.9, 0.1][..]);
    let y = Float64Array::from(&[0.0, 0.0, 1.0, 1.0, 1.0, 1.0][..]);
    let dataset = object(&[("kind", "custom".into()), ("x", x.into()), ("y", y.into())]);
    let trainer = trainer_config(&[("dataset", dataset), ("validationSplit", 0.into())]);
    let mut e = JsEnsemble::new(ensemble_config("independent", &[("trainer", trainer)])).unwrap();
    let report = e.train(5.0).unwrap();
    let ensemble = get(&report, "ensemble");
    assert!(get(&ensemble, "valAccuracy").is_null());
    assert!(get(&ensemble, "voteAccuracy").is_null());
    assert!(e
        .accuracy_by_count()
        .unwrap()
        .to_vec()
        .iter()
        .all(|a| a.is_nan()));
    assert_eq!(e.train_accuracy_by_count().unwrap().length(), 3);
}

#[wasm_bindgen_test]
fn trainer_polyak_evaluates_with_the_average_and_zero_changes_nothing() {
    let mut averaged = JsTrainer::new(trainer_config(&[("polyak", 0.9.into())])).unwrap();
    assert_eq!(averaged.polyak().as_f64(), Some(0.9));
    let mut zero = JsTrainer::new(trainer_config(&[("polyak", 0.into())])).unwrap();
    let mut plain = JsTrainer::new(trainer_config(&[])).unwrap();
    assert!(plain.polyak().is_null(), "null, as documented");
    for t in [&mut averaged, &mut zero, &mut plain] {
        t.run(60.0).unwrap();
    }
    let (a, z, p) = (
        averaged.evaluate().unwrap(),
        zero.evaluate().unwrap(),
        plain.evaluate().unwrap(),
    );
    for key in ["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"] {
        assert_eq!(number(&z, key), number(&p, key), "{key}");
        // `current` is the weights themselves: the plain run's values.
        assert_eq!(number(&get(&a, "current"), key), number(&p, key), "{key}");
    }
    assert!(get(&p, "current").is_null());
    assert_ne!(number(&a, "valLoss"), number(&p, "valLoss"));
    // Training is unchanged by averaging.
    let (wa, wp) = (averaged.get_weights(), plain.get_weights());
    for i in 0..wa.length() {
        let x: Float32Array = wa.get(i).unchecked_into();
        let y: Float32Array = wp.get(i).unchecked_into();
        assert_eq!(x.to_vec(), y.to_vec());
    }
    for bad in [-0.5, 1.0, f64::NAN] {
        let text = message(JsTrainer::new(trainer_config(&[("polyak", bad.into())])));
        assert!(text.starts_with("polyak must be"), "{text}");
    }
}
