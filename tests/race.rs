//! The race engine: racers move independently, diverging ones stop with
//! the step they diverged at, resets replay runs exactly.

use std::rc::Rc;

use trainlab::objective::{Bounds, Hessian, Objective, Point, Surface};
use trainlab::optim::{Optimizer, Rule, Settings};
use trainlab::race::{Method, NoiseSpec, Race, RacerStatus, MAX_STEPS};
use trainlab::second_order::{Damping, SecondOrderSettings, StepStatus};

#[path = "parity/schedules.rs"]
mod schedules;
use schedules::{hand_rate, schedule_of, SCHEDULE_KINDS};

fn sgd(lr: f64) -> Method {
    Method::first_order(Settings {
        lr,
        rule: Rule::Sgd,
    })
}

fn adam(lr: f64) -> Method {
    Method::first_order(Settings {
        lr,
        rule: Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: true,
        },
    })
}

#[test]
fn racers_follow_their_optimizer_exactly() {
    let surface = Surface::from_name("rosenbrock").unwrap();
    let start = [-1.2, 1.0];
    let mut race = Race::new(
        Rc::new(surface.clone()),
        start,
        vec![sgd(1e-3), adam(0.05)],
        None,
        1,
    )
    .unwrap();
    race.step(25);
    // Independent replay with the optimizer alone.
    for (index, settings) in [
        Settings {
            lr: 1e-3,
            rule: Rule::Sgd,
        },
        Settings {
            lr: 0.05,
            rule: Rule::Adam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                bias_correction: true,
            },
        },
    ]
    .into_iter()
    .enumerate()
    {
        let mut opt = Optimizer::new(settings).unwrap();
        let mut x = start;
        let racer = race.racer(index).unwrap();
        for k in 0..25 {
            assert_eq!(&racer.path()[2 * k..2 * k + 2], &x[..]);
            assert_eq!(racer.losses()[k], surface.value(x));
            let g = surface.gradient(x);
            opt.step(&mut x, &g).unwrap();
        }
        assert_eq!(racer.position(), x);
        assert_eq!(racer.steps(), 25);
    }
}

#[test]
fn a_diverging_racer_stops_and_reports_its_step_while_others_go_on() {
    // On x² − y² with lr 0.6, y grows by 2.2× a step from 0.02: it leaves the
    // 5-view-sizes margin (|y| > 22) at a step we can count by hand.
    let surface = Surface::from_name("saddle").unwrap();
    let mut race = Race::new(
        Rc::new(surface),
        [-1.8, 0.02],
        vec![sgd(0.6), sgd(0.001)],
        None,
        1,
    )
    .unwrap();
    race.step(100);
    let mut y: f64 = 0.02;
    let mut expected = 0;
    for k in 1..100 {
        y *= 1.0 + 2.0 * 0.6;
        if y.abs() > 22.0 {
            expected = k;
            break;
        }
    }
    assert_eq!(
        race.racer(0).unwrap().status(),
        RacerStatus::Diverged { step: expected }
    );
    assert_eq!(race.racer(0).unwrap().steps(), expected - 1);
    assert_eq!(race.racer(1).unwrap().status(), RacerStatus::Running);
    assert_eq!(race.racer(1).unwrap().steps(), 100);
    // One racer out, one still going: the race as a whole still runs.
    assert!(race.any_running());
}

#[test]
fn non_finite_loss_is_divergence() {
    let surface = Surface::from_name("rosenbrock").unwrap();
    // lr 1 on Rosenbrock explodes within a few steps (gradients of order 10²).
    let mut race = Race::new(Rc::new(surface), [-1.2, 1.0], vec![sgd(1.0)], None, 1).unwrap();
    race.step(50);
    assert!(matches!(
        race.racer(0).unwrap().status(),
        RacerStatus::Diverged { .. }
    ));
    assert!(!race.any_running());
    assert!(race
        .racer(0)
        .unwrap()
        .losses()
        .iter()
        .all(|l| l.is_finite()));
}

#[test]
fn noisy_runs_are_reproducible_and_reset_replays_them() {
    let surface = Rc::new(Surface::from_name("quadratic").unwrap());
    let noise = Some(NoiseSpec {
        sigma_at_batch_one: 0.2,
        batch_size: 4,
    });
    let make = || {
        Race::new(
            surface.clone(),
            [1.0, 1.0],
            vec![sgd(0.1), sgd(0.1)],
            noise,
            7,
        )
        .unwrap()
    };
    let mut a = make();
    let mut b = make();
    a.step(30);
    b.step(30);
    assert_eq!(a.racer(0).unwrap().path(), b.racer(0).unwrap().path());
    // Two racers with the same settings draw different noise streams.
    assert_ne!(a.racer(0).unwrap().path(), a.racer(1).unwrap().path());
    let first = a.racer(0).unwrap().path().to_vec();
    a.reset().unwrap();
    a.step(30);
    assert_eq!(a.racer(0).unwrap().path(), &first[..]);
    // Noise actually perturbs: a noiseless run differs.
    let mut clean = Race::new(surface, [1.0, 1.0], vec![sgd(0.1)], None, 7).unwrap();
    clean.step(30);
    assert_ne!(clean.racer(0).unwrap().path(), &first[..]);
}

#[test]
fn restart_moves_the_start_and_bad_input_is_an_error() {
    let surface = Rc::new(Surface::from_name("himmelblau").unwrap());
    let mut race = Race::new(surface.clone(), [0.0, 0.0], vec![sgd(0.01)], None, 1).unwrap();
    race.step(10);
    race.restart_from([1.0, -1.0]).unwrap();
    assert_eq!(race.racer(0).unwrap().path(), &[1.0, -1.0]);
    assert!(race.restart_from([f64::NAN, 0.0]).is_err());
    assert!(Race::new(
        surface.clone(),
        [f64::INFINITY, 0.0],
        vec![sgd(0.01)],
        None,
        1
    )
    .is_err());
    assert!(Race::new(surface, [0.0, 0.0], vec![sgd(-1.0)], None, 1).is_err());
    assert!(race.racer(5).is_err());
}

#[test]
fn racers_stop_at_the_step_limit() {
    let surface = Rc::new(Surface::from_name("quadratic").unwrap());
    let mut race = Race::new(surface, [1.0, 1.0], vec![sgd(0.01)], None, 1).unwrap();
    for _ in 0..(MAX_STEPS / 5_000 + 1) {
        race.step(5_000);
    }
    assert_eq!(race.racer(0).unwrap().status(), RacerStatus::Finished);
    assert_eq!(race.racer(0).unwrap().steps(), MAX_STEPS);
}

#[test]
fn racers_step_at_their_scheduled_rate_and_show_the_rate_they_use() {
    // f = ½(x² + y²) (κ = 1): ∇f = (x, y), so plain SGD gives
    // x_{t+1} = x_t − lr_t·x_t and momentum (PyTorch form) v_t = ρv_{t−1} + x_t,
    // x_{t+1} = x_t − lr_t·v_t. Each racer has its own schedule; the base
    // rate (`settings.lr`) is set to a decoy that no step may use.
    let surface = Surface::quadratic(1.0, 0.0).unwrap();
    let decoy = 0.777;
    let rho = 0.5;
    let mut methods = Vec::new();
    for kind in SCHEDULE_KINDS {
        for rule in [Rule::Sgd, Rule::Momentum { rho }] {
            methods.push(Method::FirstOrder {
                settings: Settings { lr: decoy, rule },
                schedule: Some(schedule_of(kind)),
            });
        }
    }
    let start = [1.5, -0.75];
    let mut race = Race::new(Rc::new(surface), start, methods, None, 1).unwrap();
    let steps = 25;
    let mut expected: Vec<([f64; 2], [f64; 2])> = vec![(start, [0.0, 0.0]); race.racers().len()];
    for t in 0..steps {
        for (index, racer) in race.racers().iter().enumerate() {
            let kind = SCHEDULE_KINDS[index / 2];
            let want = hand_rate(kind, t);
            let shown = racer.current_lr().unwrap();
            assert!(
                (shown - want).abs() <= 1e-15 * want.max(1.0),
                "{kind} racer {index} shows lr {shown} before step {t}, formula {want}"
            );
        }
        race.step(1);
        for (index, racer) in race.racers().iter().enumerate() {
            let kind = SCHEDULE_KINDS[index / 2];
            let lr = hand_rate(kind, t);
            let (x, v) = &mut expected[index];
            for axis in 0..2 {
                let g = x[axis];
                let direction = if index % 2 == 0 {
                    g
                } else {
                    v[axis] = rho * v[axis] + g;
                    v[axis]
                };
                x[axis] -= lr * direction;
            }
            let got = racer.position();
            for axis in 0..2 {
                assert!(
                    (got[axis] - x[axis]).abs() <= 1e-13 * x[axis].abs().max(1e-3),
                    "{kind} racer {index} after step {}: {got:?}, by hand {x:?}",
                    t + 1
                );
            }
        }
    }
}

/// f(x, y) = x²: its Hessian [[2, 0], [0, 0]] is singular everywhere.
struct Trough;

impl Objective for Trough {
    fn value(&self, p: Point) -> f64 {
        p[0] * p[0]
    }
    fn gradient(&self, p: Point) -> Point {
        [2.0 * p[0], 0.0]
    }
    fn hessian(&self, _: Point) -> Hessian {
        [[2.0, 0.0], [0.0, 0.0]]
    }
    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -2.0,
            x_max: 2.0,
            y_min: -2.0,
            y_max: 2.0,
        }
    }
    fn minima(&self) -> Vec<Point> {
        Vec::new()
    }
    fn default_start(&self) -> Point {
        [1.0, 1.0]
    }
}

#[test]
fn racers_report_the_step_they_stopped_at_what_they_spent_and_their_last_move() {
    let plain_newton = || {
        Method::SecondOrder(SecondOrderSettings::Newton {
            damping: Damping::None,
        })
    };
    // f = x² + 10 y² (condition 10): plain Newton lands on the minimum in its
    // first step; its second call finds a zero gradient: converged after 1.
    let surface = Surface::quadratic(10.0, 0.0).unwrap();
    let start = [1.0, 1.0];
    let mut race = Race::new(
        Rc::new(surface.clone()),
        start,
        vec![plain_newton(), sgd(0.01)],
        None,
        1,
    )
    .unwrap();
    race.step(5);
    let newton = race.racer(0).unwrap();
    assert_eq!(newton.status(), RacerStatus::Converged { step: 1 });
    assert_eq!(newton.steps(), 1);
    let minimum = surface.minima()[0];
    let moved = newton.last_update();
    assert!(
        (moved[0] - (minimum[0] - start[0])).abs() < 1e-12
            && (moved[1] - (minimum[1] - start[1])).abs() < 1e-12,
        "Newton's one move {moved:?} goes from the start to the minimum {minimum:?}"
    );
    // SGD: five steps, one gradient each; its last move is the path's last segment.
    let sgd_racer = race.racer(1).unwrap();
    assert_eq!(sgd_racer.steps(), 5);
    assert_eq!(sgd_racer.counts().gradients, 5);
    let path = sgd_racer.path();
    let n = path.len();
    assert_eq!(
        sgd_racer.last_update(),
        [path[n - 2] - path[n - 4], path[n - 1] - path[n - 3]]
    );
    assert_ne!(sgd_racer.last_update(), [0.0, 0.0]);

    // Plain Newton on x² has no step at all (singular Hessian): stuck at step 0.
    let mut stuck = Race::new(Rc::new(Trough), [1.0, 1.0], vec![plain_newton()], None, 1).unwrap();
    stuck.step(3);
    let racer = stuck.racer(0).unwrap();
    assert_eq!(
        racer.status(),
        RacerStatus::Stuck {
            step: 0,
            reason: StepStatus::SingularHessian
        }
    );
    assert_eq!(racer.steps(), 0);
    assert!(!stuck.any_running());
}
