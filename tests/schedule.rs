//! Learning-rate schedules against values computed independently by
//! tests/reference/schedule_reference.py (PyTorch's documented schedulers,
//! emulated step by step) and against values derived by hand.

use trainlab::schedule::{Schedule, ScheduleSpec};

/// One reference schedule: (step, rate) pairs and the restart steps below
/// `DENSE_STEPS` found by the step-by-step emulation.
struct ScheduleCase {
    spec: ScheduleSpec,
    values: &'static [(u64, f64)],
    restarts: &'static [u64],
}

include!("reference/schedule_values.rs");

/// Whether `actual` equals `expected` to 1e-12 relative (1e-15 absolute near 0).
fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-12 * expected.abs().max(1e-3)
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        close(actual, expected),
        "{what}: got {actual}, expected {expected}"
    );
}

#[test]
fn every_reference_value_matches() {
    let mut checked = 0;
    for case in SCHEDULE_CASES {
        assert_eq!(case.spec.validate(), Ok(()), "{:?}", case.spec);
        for &(step, expected) in case.values {
            let actual = case.spec.at(step);
            assert_close(actual, expected, &format!("{:?} at step {step}", case.spec));
            checked += 1;
        }
    }
    assert!(checked > 20 * DENSE_STEPS as usize);
}

#[test]
fn restarts_match_the_step_by_step_bookkeeping() {
    let mut with_restarts = 0;
    for case in SCHEDULE_CASES {
        assert_eq!(
            case.spec.restarts_before(DENSE_STEPS),
            case.restarts,
            "{:?}",
            case.spec
        );
        with_restarts += usize::from(!case.restarts.is_empty());
    }
    assert!(with_restarts >= 4);
}

#[test]
fn every_shape_starts_at_its_base_rate_without_warmup() {
    for case in SCHEDULE_CASES.iter().filter(|case| case.spec.warmup == 0) {
        assert_eq!(case.spec.at(0), case.spec.base_lr(), "{:?}", case.spec);
    }
}

#[test]
fn reference_data_covers_every_kind() {
    let mut kinds: Vec<&str> = SCHEDULE_CASES.iter().map(|case| case.spec.kind()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let expected = [
        "constant",
        "cosine",
        "exponential",
        "inverse_time",
        "step",
        "warm_restarts",
    ];
    assert_eq!(kinds, expected);
}

#[test]
fn step_decay_changes_exactly_at_multiples_of_every() {
    let schedule = Schedule::Step {
        lr: 0.1,
        gamma: 0.5,
        every: 7,
    };
    assert_eq!(schedule.at(0), 0.1);
    assert_eq!(schedule.at(6), 0.1);
    assert_eq!(schedule.at(7), 0.05);
    assert_eq!(schedule.at(13), 0.05);
    assert_eq!(schedule.at(14), 0.025);
    assert_eq!(schedule.kind(), "step");
}

#[test]
fn lecture_decays_halve_where_expected() {
    let ln2 = std::f64::consts::LN_2;
    let exponential = Schedule::Exponential {
        lr: 0.4,
        k: ln2 / 10.0,
    };
    assert_close(exponential.at(10), 0.2, "e^(-kt) at one half-life");
    assert_close(exponential.at(30), 0.05, "e^(-kt) at three half-lives");
    let inverse = Schedule::InverseTime { lr: 0.4, k: 0.5 };
    assert_close(inverse.at(2), 0.2, "1/(1+kt) at kt = 1");
    assert_close(inverse.at(6), 0.1, "1/(1+kt) at kt = 3");
}

#[test]
fn cosine_spot_values_and_hold_after_total() {
    let schedule = Schedule::Cosine {
        lr: 0.5,
        total: 40,
        min: 0.01,
    };
    assert_eq!(schedule.at(0), 0.5);
    assert_close(
        schedule.at(20),
        0.255,
        "halfway is the midpoint of lr and min",
    );
    // cos(π/4) = √2/2 at a quarter of the way.
    let quarter = 0.01 + 0.49 * (1.0 + 0.5f64.sqrt()) / 2.0;
    assert_close(schedule.at(10), quarter, "a quarter of the way");
    assert_eq!(schedule.at(40), 0.01);
    assert_eq!(schedule.at(41), 0.01);
    assert_eq!(schedule.at(1_000_000), 0.01);
}

#[test]
fn warm_restarts_jump_back_at_period_and_period_times_one_plus_mult() {
    let (lr, min) = (0.1, 0.001);
    let schedule = Schedule::WarmRestarts {
        lr,
        period: 5,
        mult: 2,
        min,
    };
    // Last step of the first cycle: T_cur = 4, T_i = 5, cos(4π/5) = −(1+√5)/4.
    let end_of_first = min + (lr - min) * (3.0 - 5f64.sqrt()) / 8.0;
    assert_close(schedule.at(4), end_of_first, "end of the first cycle");
    assert_eq!(schedule.at(5), lr);
    // The second cycle lasts 10 steps: halfway (T_cur = 5) is the midpoint.
    assert_close(
        schedule.at(10),
        (lr + min) / 2.0,
        "middle of the second cycle",
    );
    assert!(schedule.at(14) < schedule.at(13));
    assert_eq!(schedule.at(15), lr);
    assert_eq!(schedule.at(35), lr);
    assert_eq!(schedule.restarts_before(15), [5]);
    assert_eq!(schedule.restarts_before(16), [5, 15]);
    assert_eq!(schedule.restarts_before(36), [5, 15, 35]);
    assert_eq!(schedule.kind(), "warm_restarts");

    let every_ten = Schedule::WarmRestarts {
        lr,
        period: 10,
        mult: 1,
        min: 0.0,
    };
    assert_eq!(every_ten.at(10), lr);
    assert_eq!(every_ten.at(20), lr);
    assert_close(every_ten.at(25), lr / 2.0, "middle of the third cycle");
    assert_eq!(every_ten.restarts_before(31), [10, 20, 30]);
}

#[test]
fn warm_restarts_far_out_use_exact_cycle_boundaries() {
    // Cycle i of period 3, mult 3 starts at 3(3^i − 1)/2.
    let schedule = Schedule::WarmRestarts {
        lr: 1.0,
        period: 3,
        mult: 3,
        min: 0.0,
    };
    for i in 1..30u32 {
        let start = 3 * (3u64.pow(i) - 1) / 2;
        assert_eq!(schedule.at(start), 1.0, "cycle {i} starts at {start}");
        // The cycle before lasts 3^i steps; its last rate is one step short of 0.
        let previous_length = 3f64.powi(i as i32);
        let last = (1.0 + (std::f64::consts::PI * (1.0 - 1.0 / previous_length)).cos()) / 2.0;
        let actual = schedule.at(start - 1);
        assert!(
            (actual - last).abs() <= 1e-12,
            "cycle {i} ends at {}: {actual} vs {last}",
            start - 1
        );
    }
}

#[test]
fn linear_warmup_climbs_to_the_base_rate_then_delays_the_shape() {
    let spec = Schedule::Constant { lr: 0.2 }.with_warmup(4);
    for (t, expected) in [0.05, 0.1, 0.15, 0.2, 0.2, 0.2].into_iter().enumerate() {
        assert_close(spec.at(t as u64), expected, &format!("warm-up step {t}"));
    }
    assert_eq!(spec.base_lr(), 0.2);
    assert_eq!(spec.kind(), "constant");

    let inner = Schedule::Step {
        lr: 0.1,
        gamma: 0.5,
        every: 3,
    };
    let spec = inner.with_warmup(2);
    assert_eq!(spec.at(0), 0.05);
    assert_eq!(spec.at(1), 0.1);
    // The shape starts at its own step 0 once the warm-up is over.
    for t in 2..20 {
        assert_eq!(spec.at(t), inner.at(t - 2));
    }

    let restarts = Schedule::WarmRestarts {
        lr: 0.1,
        period: 5,
        mult: 2,
        min: 0.0,
    };
    let spec = restarts.with_warmup(4);
    assert_eq!(spec.restarts_before(9), Vec::<u64>::new());
    assert_eq!(spec.restarts_before(20), [9, 19]);
    let plain: ScheduleSpec = restarts.into();
    assert_eq!(plain.warmup, 0);
    assert_eq!(plain.restarts_before(20), [5, 15]);
}

#[test]
fn shapes_without_restarts_report_none() {
    let schedules = [
        Schedule::Constant { lr: 0.1 },
        Schedule::Cosine {
            lr: 0.1,
            total: 10,
            min: 0.0,
        },
    ];
    for schedule in schedules {
        assert!(schedule.restarts_before(1000).is_empty());
        assert!(schedule.with_warmup(5).restarts_before(1000).is_empty());
    }
}

#[test]
fn step_counts_end_at_the_largest_integer_a_js_number_holds() {
    // 2^53 − 1 is the last whole number a JS Number (and an f64) holds
    // exactly; a schedule longer than that could not be replayed from a link.
    use trainlab::schedule::MAX_STEPS;
    let largest = 9_007_199_254_740_991u64;
    assert_eq!(MAX_STEPS, largest);
    let step = |every| Schedule::Step {
        lr: 0.1,
        gamma: 0.5,
        every,
    };
    assert!(step(largest).validate().is_ok());
    let err = step(largest + 1).validate().unwrap_err();
    assert!(
        err.message()
            .contains("every must be at most 9007199254740991"),
        "{err}"
    );
    assert!(Schedule::Constant { lr: 0.1 }
        .with_warmup(largest + 1)
        .validate()
        .is_err());
}
