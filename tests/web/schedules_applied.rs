//! Schedules are really applied through the JS API: a racer's path and
//! `Optimizer.step` / `stepOn` move by exactly the hand-computed rate of
//! every step, and the rate they show (`status(i).lr`, `opt.lr`) is the
//! rate the next step uses. The base `lr` is a decoy no step may use.

use crate::js::{get, json, number};
use crate::schedules::{hand_rate, schedule_json, SCHEDULE_KINDS};
use trainlab::api::{JsOptimizer, JsRace, JsSurface};
use wasm_bindgen_test::wasm_bindgen_test;

const DECOY: f64 = 0.777;

fn optimizer_json(kind: &str, rule: &str) -> String {
    let extra = if rule == "momentum" {
        r#", "momentum": 0.5"#
    } else {
        ""
    };
    format!(
        r#"{{"kind": "{rule}", "lr": {DECOY}{extra}, "schedule": {}}}"#,
        schedule_json(kind)
    )
}

#[wasm_bindgen_test]
fn a_race_steps_each_racer_at_its_scheduled_rate_and_shows_it() {
    // f = ½(x² + y²): ∇f = (x, y); SGD x ← x − lr_t·x; momentum (ρ = 0.5,
    // PyTorch form) v ← ρv + x, x ← x − lr_t·v.
    let surface = JsSurface::new(json(r#"{"name": "quadratic", "condition": 1}"#)).unwrap();
    let racers: Vec<String> = SCHEDULE_KINDS
        .iter()
        .flat_map(|kind| {
            [
                optimizer_json(kind, "sgd"),
                optimizer_json(kind, "momentum"),
            ]
        })
        .collect();
    let config = format!(
        r#"{{"start": [1.5, -0.75], "racers": [{}], "seed": 3}}"#,
        racers.join(", ")
    );
    let mut race = JsRace::new(&surface, json(&config)).unwrap();
    assert_eq!(race.count(), 14);
    let mut state = vec![([1.5, -0.75], [0.0, 0.0]); 14];
    for t in 0..25u64 {
        for i in 0..14 {
            let kind = SCHEDULE_KINDS[i / 2];
            let shown = number(&race.status(i).unwrap(), "lr");
            let want = hand_rate(kind, t);
            assert!(
                (shown - want).abs() <= 1e-15,
                "{kind} racer {i} shows lr {shown} before step {t}, formula {want}"
            );
        }
        race.step(1);
        for (i, (x, v)) in state.iter_mut().enumerate() {
            let lr = hand_rate(SCHEDULE_KINDS[i / 2], t);
            for axis in 0..2 {
                let direction = if i % 2 == 0 {
                    x[axis]
                } else {
                    v[axis] = 0.5 * v[axis] + x[axis];
                    v[axis]
                };
                x[axis] -= lr * direction;
            }
            let path = race.path(i).unwrap().to_vec();
            assert_eq!(path.len() as u64, 2 * (t + 2));
            let got = &path[path.len() - 2..];
            for axis in 0..2 {
                assert!(
                    (got[axis] - x[axis]).abs() <= 1e-13 * x[axis].abs().max(1e-3),
                    "racer {i} ({}) after step {}: {got:?}, by hand {x:?}",
                    SCHEDULE_KINDS[i / 2],
                    t + 1
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn optimizer_step_uses_the_rate_it_shows() {
    let g = [0.25, -0.5];
    for kind in SCHEDULE_KINDS {
        let mut opt = JsOptimizer::new(json(&optimizer_json(kind, "sgd"))).unwrap();
        let mut x = [1.0, 2.0];
        for t in 0..30u64 {
            let shown = opt.lr();
            let want = hand_rate(kind, t);
            assert!(
                (shown - want).abs() <= 1e-15,
                "{kind} step {t}: lr {shown} vs {want}"
            );
            let before = x;
            opt.step(&mut x, &g).unwrap();
            // The rate used, read back from the move: (x_t − x_{t+1}) / g.
            for axis in 0..2 {
                let used = (before[axis] - x[axis]) / g[axis];
                assert!(
                    (used - shown).abs() <= 1e-12,
                    "{kind} step {t}: moved at rate {used}, showed {shown}"
                );
            }
            assert_eq!(opt.steps(), (t + 1) as f64);
        }
        // Reset starts the schedule over.
        opt.reset();
        assert_eq!(opt.lr(), hand_rate(kind, 0));
    }
}

#[wasm_bindgen_test]
fn momentum_velocity_and_step_on_follow_the_schedule() {
    let surface = JsSurface::new(json(r#"{"name": "quadratic", "condition": 1}"#)).unwrap();
    for kind in SCHEDULE_KINDS {
        let mut opt = JsOptimizer::new(json(&optimizer_json(kind, "momentum"))).unwrap();
        assert!(opt.velocity().is_empty() || opt.velocity().iter().all(|&v| v == 0.0));
        let mut p = [1.5, -0.75];
        let (mut x, mut v) = (p, [0.0, 0.0]);
        for t in 0..25u64 {
            assert!(
                (opt.lr() - hand_rate(kind, t)).abs() <= 1e-15,
                "{kind} step {t}"
            );
            let report = opt.step_on(&surface, &mut p).unwrap();
            assert_eq!(number(&report, "gradients"), 1.0);
            assert_eq!(number(&report, "evaluations"), 0.0);
            assert_eq!(get(&report, "status").as_string().unwrap(), "moved");
            let lr = hand_rate(kind, t);
            for axis in 0..2 {
                v[axis] = 0.5 * v[axis] + x[axis];
                x[axis] -= lr * v[axis];
            }
            let velocity = opt.velocity();
            for axis in 0..2 {
                assert!(
                    (velocity[axis] - v[axis]).abs() <= 1e-13,
                    "{kind} v {velocity:?} vs {v:?}"
                );
                assert!(
                    (p[axis] - x[axis]).abs() <= 1e-13 * x[axis].abs().max(1e-3),
                    "{kind} after step {}: {p:?} vs {x:?}",
                    t + 1
                );
            }
        }
    }
}
