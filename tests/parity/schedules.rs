//! Seven learning-rate schedules written out by hand from the README's
//! table, shared by the native race test and the browser API tests: the
//! engine's racers and optimizers must step at exactly these rates.

// Each suite uses its own half (Rust specs natively, JSON in the browser).
#![allow(dead_code)]

/// Learning rates written out from the README's schedule table, one
/// formula per kind, independently of `trainlab::schedule`.
pub fn hand_rate(kind: &str, t: u64) -> f64 {
    let t = t as f64;
    let cosine = |lr: f64, min: f64, done: f64, length: f64| {
        min + (lr - min) * (1.0 + (std::f64::consts::PI * done / length).cos()) / 2.0
    };
    match kind {
        "constant" => 0.3,
        // lr 0.4, gamma 0.5, every 4
        "step" => 0.4 * 0.5f64.powi((t / 4.0).floor() as i32),
        // lr 0.5, k 0.1
        "exponential" => 0.5 * (-0.1 * t).exp(),
        // lr 0.5, k 0.25
        "inverse_time" => 0.5 / (1.0 + 0.25 * t),
        // lr 0.6, total 10, min 0.05; holds min after total
        "cosine" => cosine(0.6, 0.05, t.min(10.0), 10.0),
        // lr 0.5, period 3, mult 2, min 0: cycles [0, 3), [3, 9), [9, 21), …
        "warm_restarts" => {
            let (mut start, mut length) = (0.0, 3.0);
            while t >= start + length {
                start += length;
                length *= 2.0;
            }
            cosine(0.5, 0.0, t - start, length)
        }
        // lr 0.4, a linear warm-up over 5 steps, then step decay (gamma 0.5, every 4)
        "warmup_step" if t < 5.0 => 0.4 * (t + 1.0) / 5.0,
        "warmup_step" => hand_rate("step", t as u64 - 5),
        other => panic!("no hand formula for {other}"),
    }
}

/// The same schedules as `Schedule`s for the engine.
pub fn schedule_of(kind: &str) -> trainlab::schedule::ScheduleSpec {
    use trainlab::schedule::Schedule;
    match kind {
        "constant" => Schedule::Constant { lr: 0.3 }.into(),
        "step" => Schedule::Step {
            lr: 0.4,
            gamma: 0.5,
            every: 4,
        }
        .into(),
        "exponential" => Schedule::Exponential { lr: 0.5, k: 0.1 }.into(),
        "inverse_time" => Schedule::InverseTime { lr: 0.5, k: 0.25 }.into(),
        "cosine" => Schedule::Cosine {
            lr: 0.6,
            total: 10,
            min: 0.05,
        }
        .into(),
        "warm_restarts" => Schedule::WarmRestarts {
            lr: 0.5,
            period: 3,
            mult: 2,
            min: 0.0,
        }
        .into(),
        "warmup_step" => Schedule::Step {
            lr: 0.4,
            gamma: 0.5,
            every: 4,
        }
        .with_warmup(5),
        other => panic!("no schedule {other}"),
    }
}

pub const SCHEDULE_KINDS: [&str; 7] = [
    "constant",
    "step",
    "exponential",
    "inverse_time",
    "cosine",
    "warm_restarts",
    "warmup_step",
];

/// The same schedules as JS settings objects (JSON text).
pub fn schedule_json(kind: &str) -> &'static str {
    match kind {
        "constant" => r#"{"kind": "constant", "lr": 0.3}"#,
        "step" => r#"{"kind": "step", "lr": 0.4, "gamma": 0.5, "every": 4}"#,
        "exponential" => r#"{"kind": "exponential", "lr": 0.5, "k": 0.1}"#,
        "inverse_time" => r#"{"kind": "inverse_time", "lr": 0.5, "k": 0.25}"#,
        "cosine" => r#"{"kind": "cosine", "lr": 0.6, "total": 10, "min": 0.05}"#,
        "warm_restarts" => r#"{"kind": "warm_restarts", "lr": 0.5, "period": 3, "mult": 2}"#,
        "warmup_step" => r#"{"kind": "step", "lr": 0.4, "gamma": 0.5, "every": 4, "warmup": 5}"#,
        other => panic!("no schedule {other}"),
    }
}
