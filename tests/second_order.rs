//! Newton, L-BFGS, the line searches and the quadratic model, on test-local
//! surfaces whose derivatives are written out by hand (and checked against
//! finite differences below).

use std::cell::Cell;

use trainlab::objective::{Bounds, Hessian, Objective, Point};
use trainlab::rng::Rng;
use trainlab::second_order::line_search::{backtracking, strong_wolfe};
use trainlab::second_order::{
    symmetric_eigen, Curvature, Damping, LbfgsMemory, LineFunction, LineSearchKind, QuadraticModel,
    SecondOrderSettings, SecondOrderSolver, StepCounts, StepStatus, WolfeConstants,
};

// ---------------------------------------------------------------- surfaces

const WIDE: Bounds = Bounds {
    x_min: -5.0,
    x_max: 5.0,
    y_min: -5.0,
    y_max: 5.0,
};

/// ½ (p − c)ᵀ A (p − c) + offset, with A symmetric.
struct Quadratic {
    a: Hessian,
    center: Point,
    offset: f64,
}

impl Quadratic {
    /// A = R(θ) diag(l0, l1) R(θ)ᵀ.
    fn rotated(l0: f64, l1: f64, theta: f64, center: Point) -> Self {
        let (s, c) = theta.sin_cos();
        let a = [
            [l0 * c * c + l1 * s * s, (l0 - l1) * c * s],
            [(l0 - l1) * c * s, l0 * s * s + l1 * c * c],
        ];
        Quadratic {
            a,
            center,
            offset: 0.5,
        }
    }
}

impl Objective for Quadratic {
    fn value(&self, p: Point) -> f64 {
        let g = self.gradient(p);
        let d = [p[0] - self.center[0], p[1] - self.center[1]];
        0.5 * (d[0] * g[0] + d[1] * g[1]) + self.offset
    }
    fn gradient(&self, p: Point) -> Point {
        let d = [p[0] - self.center[0], p[1] - self.center[1]];
        [
            self.a[0][0] * d[0] + self.a[0][1] * d[1],
            self.a[1][0] * d[0] + self.a[1][1] * d[1],
        ]
    }
    fn hessian(&self, _: Point) -> Hessian {
        self.a
    }
    fn bounds(&self) -> Bounds {
        WIDE
    }
    fn minima(&self) -> Vec<Point> {
        vec![self.center]
    }
    fn default_start(&self) -> Point {
        [1.0, 1.0]
    }
}

/// (1 − x)² + 100 (y − x²)².
struct Rosenbrock;

impl Objective for Rosenbrock {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
    }
    fn gradient(&self, p: Point) -> Point {
        let [x, y] = p;
        [
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            200.0 * (y - x * x),
        ]
    }
    fn hessian(&self, p: Point) -> Hessian {
        let [x, y] = p;
        [
            [2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x],
            [-400.0 * x, 200.0],
        ]
    }
    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -2.0,
            x_max: 2.0,
            y_min: -1.0,
            y_max: 3.0,
        }
    }
    fn minima(&self) -> Vec<Point> {
        vec![[1.0, 1.0]]
    }
    fn default_start(&self) -> Point {
        [-1.2, 1.0]
    }
}

/// x² − y²: a saddle at the origin, unbounded below along y.
struct Saddle;

impl Objective for Saddle {
    fn value(&self, p: Point) -> f64 {
        p[0] * p[0] - p[1] * p[1]
    }
    fn gradient(&self, p: Point) -> Point {
        [2.0 * p[0], -2.0 * p[1]]
    }
    fn hessian(&self, _: Point) -> Hessian {
        [[2.0, 0.0], [0.0, -2.0]]
    }
    fn bounds(&self) -> Bounds {
        WIDE
    }
    fn minima(&self) -> Vec<Point> {
        vec![]
    }
    fn default_start(&self) -> Point {
        [1.0, 0.5]
    }
}

/// (x + y)²: a valley of minima along x + y = 0; the Hessian is singular.
struct Valley;

impl Objective for Valley {
    fn value(&self, p: Point) -> f64 {
        (p[0] + p[1]).powi(2)
    }
    fn gradient(&self, p: Point) -> Point {
        let t = 2.0 * (p[0] + p[1]);
        [t, t]
    }
    fn hessian(&self, _: Point) -> Hessian {
        [[2.0, 2.0], [2.0, 2.0]]
    }
    fn bounds(&self) -> Bounds {
        WIDE
    }
    fn minima(&self) -> Vec<Point> {
        vec![[0.0, 0.0]]
    }
    fn default_start(&self) -> Point {
        [1.0, 2.0]
    }
}

/// Rosenbrock with the gradient pointing the wrong way: no step along the
/// "descent" direction decreases f.
struct LyingGradient;

impl Objective for LyingGradient {
    fn value(&self, p: Point) -> f64 {
        Rosenbrock.value(p)
    }
    fn gradient(&self, p: Point) -> Point {
        let g = Rosenbrock.gradient(p);
        [-g[0], -g[1]]
    }
    fn hessian(&self, p: Point) -> Hessian {
        Rosenbrock.hessian(p)
    }
    fn bounds(&self) -> Bounds {
        Rosenbrock.bounds()
    }
    fn minima(&self) -> Vec<Point> {
        vec![]
    }
    fn default_start(&self) -> Point {
        [-1.2, 1.0]
    }
}

/// Counts calls independently of the solver's own bookkeeping.
struct Counting<'a> {
    inner: &'a dyn Objective,
    values: Cell<u32>,
    gradients: Cell<u32>,
    hessians: Cell<u32>,
}

impl<'a> Counting<'a> {
    fn new(inner: &'a dyn Objective) -> Self {
        Counting {
            inner,
            values: Cell::new(0),
            gradients: Cell::new(0),
            hessians: Cell::new(0),
        }
    }
    fn counts(&self) -> StepCounts {
        StepCounts {
            evaluations: self.values.get(),
            gradients: self.gradients.get(),
            hessians: self.hessians.get(),
        }
    }
}

impl Objective for Counting<'_> {
    fn value(&self, p: Point) -> f64 {
        self.values.set(self.values.get() + 1);
        self.inner.value(p)
    }
    fn gradient(&self, p: Point) -> Point {
        self.gradients.set(self.gradients.get() + 1);
        self.inner.gradient(p)
    }
    fn hessian(&self, p: Point) -> Hessian {
        self.hessians.set(self.hessians.get() + 1);
        self.inner.hessian(p)
    }
    fn bounds(&self) -> Bounds {
        self.inner.bounds()
    }
    fn minima(&self) -> Vec<Point> {
        self.inner.minima()
    }
    fn default_start(&self) -> Point {
        self.inner.default_start()
    }
}

fn norm(p: Point) -> f64 {
    p[0].hypot(p[1])
}

fn distance(a: Point, b: Point) -> f64 {
    norm([a[0] - b[0], a[1] - b[1]])
}

fn solver(settings: SecondOrderSettings) -> SecondOrderSolver {
    SecondOrderSolver::new(settings).expect("valid settings")
}

fn plain_newton() -> SecondOrderSolver {
    solver(SecondOrderSettings::Newton {
        damping: Damping::None,
    })
}

#[test]
fn test_surfaces_have_correct_derivatives() {
    // Central differences, so the hand-written derivatives the other tests
    // rely on are themselves checked.
    let quadratic = Quadratic::rotated(0.7, 4.0, 0.6, [0.3, -1.1]);
    let surfaces: [&dyn Objective; 4] = [&quadratic, &Rosenbrock, &Saddle, &Valley];
    let h = 1e-5;
    for f in surfaces {
        for p in [[-1.2, 1.0], [0.4, -0.3], [1.5, 2.0]] {
            let g = f.gradient(p);
            let hess = f.hessian(p);
            for i in 0..2 {
                let mut plus = p;
                let mut minus = p;
                plus[i] += h;
                minus[i] -= h;
                let fd = (f.value(plus) - f.value(minus)) / (2.0 * h);
                assert!(
                    (fd - g[i]).abs() <= 1e-5 * (1.0 + g[i].abs()),
                    "gradient {i} at {p:?}"
                );
                let (gp, gm) = (f.gradient(plus), f.gradient(minus));
                for j in 0..2 {
                    let fd = (gp[j] - gm[j]) / (2.0 * h);
                    assert!(
                        (fd - hess[i][j]).abs() <= 1e-5 * (1.0 + hess[i][j].abs()),
                        "hessian {i}{j} at {p:?}"
                    );
                }
            }
        }
    }
}

// ------------------------------------------------------------------ Newton

#[test]
fn plain_newton_solves_random_positive_definite_quadratics_in_one_step() {
    for seed in [1u64, 2, 3, 17, 2024, 99_999] {
        let mut rng = Rng::new(seed);
        let l0 = rng.uniform_in(0.1, 10.0);
        let l1 = rng.uniform_in(0.1, 10.0);
        let theta = rng.uniform_in(0.0, std::f64::consts::PI);
        let center = [rng.uniform_in(-3.0, 3.0), rng.uniform_in(-3.0, 3.0)];
        let f = Quadratic::rotated(l0, l1, theta, center);
        let mut x = [rng.uniform_in(-5.0, 5.0), rng.uniform_in(-5.0, 5.0)];
        let mut newton = plain_newton();
        let report = newton.step(&f, &mut x).unwrap();
        assert_eq!(report.status, StepStatus::Moved, "seed {seed}");
        assert!(
            distance(x, center) <= 1e-12,
            "seed {seed}: {x:?} vs {center:?}"
        );
        // One gradient and one Hessian; plain Newton never needs f itself.
        assert_eq!(
            report.counts,
            StepCounts {
                evaluations: 0,
                gradients: 1,
                hessians: 1
            }
        );
        let again = newton.step(&f, &mut x).unwrap();
        assert_eq!(again.status, StepStatus::Converged, "seed {seed}");
        assert_eq!(newton.iterations(), 1);

        // Damped Newton takes the same unit step: the Hessian is positive
        // definite and the full step passes the Armijo test on a quadratic.
        let mut y = [rng.uniform_in(-5.0, 5.0), rng.uniform_in(-5.0, 5.0)];
        let mut damped = solver(SecondOrderSettings::newton());
        let report = damped.step(&f, &mut y).unwrap();
        assert_eq!(report.step_length, 1.0);
        assert!(!report.hessian_modified);
        assert!(distance(y, center) <= 1e-12, "seed {seed} damped");
    }
}

#[test]
fn plain_newton_jumps_into_the_saddle_damped_newton_escapes_it() {
    let start = [1.0, 0.5];
    let model = QuadraticModel::at(&Saddle, start).unwrap();
    assert_eq!(model.classify(), Curvature::Saddle);

    let mut x = start;
    let mut plain = plain_newton();
    let report = plain.step(&Saddle, &mut x).unwrap();
    assert_eq!(report.status, StepStatus::Moved);
    assert_eq!(x, [0.0, 0.0], "plain Newton lands exactly on the saddle");
    // ...and stays there: the gradient vanishes at a saddle.
    assert_eq!(
        plain.step(&Saddle, &mut x).unwrap().status,
        StepStatus::Converged
    );

    let mut x = start;
    let mut damped = solver(SecondOrderSettings::newton());
    let mut previous = Saddle.value(x);
    for step in 0..5 {
        let report = damped.step(&Saddle, &mut x).unwrap();
        assert_eq!(report.status, StepStatus::Moved);
        assert!(
            report.hessian_modified,
            "the indefinite Hessian is modified"
        );
        let value = Saddle.value(x);
        assert!(
            value < previous,
            "step {step}: f went from {previous} to {value}"
        );
        previous = value;
    }
    // The modified Hessian |H| = 2I doubles |y| each step: away from the saddle.
    assert!(x[1].abs() >= 0.5 * 2f64.powi(5) - 1e-12, "{x:?}");
    assert!(norm(x) > norm(start));
}

#[test]
fn singular_hessian_is_reported_not_nan() {
    let start = [1.0, 2.0];
    let mut x = start;
    let mut plain = plain_newton();
    let report = plain.step(&Valley, &mut x).unwrap();
    assert_eq!(report.status, StepStatus::SingularHessian);
    assert_eq!(x, start);
    assert_eq!(report.counts.hessians, 1);
    // Stepping again at the same point repeats the verdict for free.
    let again = plain.step(&Valley, &mut x).unwrap();
    assert_eq!(again.status, StepStatus::SingularHessian);
    assert_eq!(again.counts, StepCounts::default());
    assert_eq!(x, start);

    // The model agrees: no stationary point, infinite condition number.
    let model = QuadraticModel::at(&Valley, start).unwrap();
    assert_eq!(model.classify(), Curvature::Degenerate);
    assert_eq!(model.stationary_point(), None);
    assert!(model.condition_number() > 1e12);

    // Damped Newton floors the zero eigenvalue and reaches the valley floor.
    let mut x = start;
    let mut damped = solver(SecondOrderSettings::newton());
    let mut status = StepStatus::Moved;
    for _ in 0..5 {
        status = damped.step(&Valley, &mut x).unwrap().status;
        assert!(x[0].is_finite() && x[1].is_finite());
        if status == StepStatus::Converged {
            break;
        }
    }
    assert_eq!(status, StepStatus::Converged);
    assert!((x[0] + x[1]).abs() < 1e-8, "{x:?}");

    // Levenberg's shift makes the system solvable as well: (H + I) has
    // eigenvalues 1 and 5, so x + y shrinks by the factor 1 − 4/5 per step.
    let mut x = start;
    let mut levenberg = solver(SecondOrderSettings::Newton {
        damping: Damping::Levenberg { lambda: 1.0 },
    });
    levenberg.step(&Valley, &mut x).unwrap();
    assert!(((x[0] + x[1]) - 3.0 / 5.0).abs() < 1e-12, "{x:?}");
}

// ------------------------------------------------------------------ L-BFGS

#[test]
fn lbfgs_solves_rosenbrock_from_the_classic_start() {
    let counting = Counting::new(&Rosenbrock);
    let mut lbfgs = solver(SecondOrderSettings::lbfgs());
    let mut x = [-1.2, 1.0];
    let mut steps = 0;
    while norm(Rosenbrock.gradient(x)) >= 1e-5 {
        let report = lbfgs.step(&counting, &mut x).unwrap();
        assert_eq!(report.status, StepStatus::Moved, "step {steps} at {x:?}");
        // A strong Wolfe step always yields sᵀy > 0: no pair is lost.
        assert!(report.strong_wolfe, "step {steps}");
        assert!(!report.pair_skipped, "step {steps}");
        steps += 1;
        assert!(steps <= 200, "no convergence: {x:?}");
    }
    let totals = lbfgs.total_counts();
    println!(
        "L-BFGS (m = 10, strong Wolfe) on Rosenbrock from (-1.2, 1): {} iterations, {} function and {} gradient evaluations, x = {:?}",
        lbfgs.iterations(),
        totals.evaluations,
        totals.gradients,
        x
    );
    assert!(distance(x, [1.0, 1.0]) < 1e-4, "{x:?}");
    assert_eq!(lbfgs.iterations(), steps);
    // SciPy's L-BFGS-B needs roughly 35–45 iterations here.
    assert!((25..=60).contains(&steps), "{steps} iterations");
    assert!(totals.evaluations >= steps as u32 && totals.evaluations <= 2 * steps as u32);
    assert_eq!(totals, counting.counts());
    assert_eq!(totals.hessians, 0);
}

#[test]
fn bfgs_solves_rosenbrock_and_a_quadratic() {
    let counting = Counting::new(&Rosenbrock);
    let mut bfgs = solver(SecondOrderSettings::bfgs());
    let mut x = [-1.2, 1.0];
    let mut steps = 0;
    while norm(Rosenbrock.gradient(x)) >= 1e-5 {
        let report = bfgs.step(&counting, &mut x).unwrap();
        assert_eq!(report.status, StepStatus::Moved, "step {steps} at {x:?}");
        assert!(!report.pair_skipped, "step {steps}");
        steps += 1;
        assert!(steps <= 200, "no convergence: {x:?}");
    }
    let totals = bfgs.total_counts();
    println!(
        "BFGS (strong Wolfe) on Rosenbrock from (-1.2, 1): {} iterations, {} function and {} gradient evaluations",
        bfgs.iterations(),
        totals.evaluations,
        totals.gradients
    );
    assert!(distance(x, [1.0, 1.0]) < 1e-4, "{x:?}");
    // About as many as L-BFGS with m = 10 (36 here): in the plane the full
    // matrix and ten pairs carry nearly the same information.
    assert!((20..=60).contains(&steps), "{steps} iterations");
    assert_eq!(totals, counting.counts());
    assert_eq!(totals.hessians, 0);

    let f = Quadratic::rotated(1.0, 50.0, 0.4, [2.0, -1.0]);
    let mut bfgs = solver(SecondOrderSettings::bfgs());
    let mut x = [-3.0, 4.0];
    let mut iterations = 0;
    while bfgs.step(&f, &mut x).unwrap().status == StepStatus::Moved {
        iterations += 1;
        assert!(iterations <= 15, "no convergence on a quadratic: {x:?}");
    }
    assert!(distance(x, [2.0, -1.0]) < 1e-6, "{x:?}");
}

#[test]
fn lbfgs_with_history_1_and_10_both_converge_on_a_quadratic() {
    let f = Quadratic::rotated(1.0, 50.0, 0.4, [2.0, -1.0]);
    let mut iterations = Vec::new();
    for history in [1, 10] {
        let mut lbfgs = solver(SecondOrderSettings::Lbfgs {
            history,
            line_search: LineSearchKind::StrongWolfe,
        });
        let mut x = [-3.0, 4.0];
        let mut converged = false;
        for _ in 0..100 {
            let report = lbfgs.step(&f, &mut x).unwrap();
            assert!(report.status == StepStatus::Moved || report.status == StepStatus::Converged);
            assert!(lbfgs.memory().len() <= history);
            if report.status == StepStatus::Converged {
                converged = true;
                break;
            }
        }
        assert!(converged, "history {history}");
        assert!(distance(x, [2.0, -1.0]) < 1e-7, "history {history}: {x:?}");
        println!(
            "L-BFGS m = {history} on a condition-50 quadratic: {} iterations, {:?}",
            lbfgs.iterations(),
            lbfgs.total_counts()
        );
        iterations.push(lbfgs.iterations());
    }
    // In two dimensions two pairs pin the Hessian down; one pair cannot.
    assert!(iterations[1] <= iterations[0], "{iterations:?}");
}

#[test]
fn lbfgs_backtracking_and_unit_step_variants_also_converge_on_a_quadratic() {
    let f = Quadratic::rotated(2.0, 9.0, 1.1, [-0.5, 0.25]);
    for line_search in [LineSearchKind::Backtracking, LineSearchKind::None] {
        let mut lbfgs = solver(SecondOrderSettings::Lbfgs {
            history: 5,
            line_search,
        });
        let mut x = [1.5, 1.0];
        for _ in 0..200 {
            if lbfgs.step(&f, &mut x).unwrap().status == StepStatus::Converged {
                break;
            }
        }
        assert!(distance(x, [-0.5, 0.25]) < 1e-7, "{line_search:?}: {x:?}");
        if line_search == LineSearchKind::None {
            // One value per step (plus f at the start): no searching at all.
            let totals = lbfgs.total_counts();
            assert_eq!(totals.evaluations as u64, lbfgs.iterations() + 1);
        }
    }
}

#[test]
fn curvature_check_skips_a_pair_with_negative_curvature() {
    // Memory on its own: sᵀy < 0, sᵀy = 0 and a good pair.
    let mut memory = LbfgsMemory::new(3);
    assert!(!memory.offer([1.0, 0.0], [-1.0, 0.5]));
    assert!(!memory.offer([1.0, 1.0], [1.0, -1.0]));
    assert!(memory.offer([1.0, 0.0], [2.0, 0.0]));
    assert_eq!(memory.skipped(), 2);
    assert_eq!(memory.len(), 1);
    // γ = sᵀy / yᵀy = 2 / 4.
    assert_eq!(memory.initial_scaling(), 0.5);

    // Through the solver: on x² − y² from (1, 2) without a line search, the
    // first step s = −g/‖g‖ has sᵀy = 2 s₀² − 2 s₁² = (8 − 32)/20 < 0.
    let mut lbfgs = solver(SecondOrderSettings::Lbfgs {
        history: 10,
        line_search: LineSearchKind::None,
    });
    let mut x = [1.0, 2.0];
    let report = lbfgs.step(&Saddle, &mut x).unwrap();
    assert_eq!(report.status, StepStatus::Moved);
    assert!(report.pair_skipped);
    assert_eq!(lbfgs.skipped_pairs(), 1);
    assert!(lbfgs.memory().is_empty());
    let g_norm = 20f64.sqrt();
    assert!(distance(x, [1.0 - 2.0 / g_norm, 2.0 + 4.0 / g_norm]) < 1e-15);
}

#[test]
fn two_loop_recursion_matches_the_bfgs_update_for_one_pair() {
    // With one pair, H = (I − ρsyᵀ) γI (I − ρysᵀ) + ρssᵀ; compare H·g
    // from the explicit matrix with the recursion.
    let s = [0.3, -0.7];
    let y = [0.9, -0.4];
    let g = [1.3, 0.2];
    let mut memory = LbfgsMemory::new(4);
    assert!(memory.offer(s, y));
    let sy = s[0] * y[0] + s[1] * y[1];
    let rho = 1.0 / sy;
    let gamma = sy / (y[0] * y[0] + y[1] * y[1]);
    let mut h = [[0.0; 2]; 2];
    for (i, row) in h.iter_mut().enumerate() {
        for (j, entry) in row.iter_mut().enumerate() {
            // Σ_k (δ_ik − ρ s_i y_k) γ (δ_kj − ρ y_k s_j) + ρ s_i s_j
            let mut sum = 0.0;
            for (k, &yk) in y.iter().enumerate() {
                let left = if i == k { 1.0 } else { 0.0 } - rho * s[i] * yk;
                let right = if k == j { 1.0 } else { 0.0 } - rho * yk * s[j];
                sum += left * gamma * right;
            }
            *entry = sum + rho * s[i] * s[j];
        }
    }
    let expected = [
        h[0][0] * g[0] + h[0][1] * g[1],
        h[1][0] * g[0] + h[1][1] * g[1],
    ];
    let got = memory.apply_inverse_hessian(g);
    assert!(distance(got, expected) < 1e-14, "{got:?} vs {expected:?}");
    // The secant equation H y = s holds.
    assert!(distance(memory.apply_inverse_hessian(y), s) < 1e-14);
}

#[test]
fn failed_line_search_leaves_x_alone_and_stops_costing_evaluations() {
    let mut lbfgs = solver(SecondOrderSettings::lbfgs());
    let start = [-1.2, 1.0];
    let mut x = start;
    let report = lbfgs.step(&LyingGradient, &mut x).unwrap();
    assert_eq!(report.status, StepStatus::LineSearchFailed);
    assert_eq!(x, start);
    assert!(report.counts.evaluations <= 41, "{:?}", report.counts);
    let again = lbfgs.step(&LyingGradient, &mut x).unwrap();
    assert_eq!(again.status, StepStatus::LineSearchFailed);
    assert_eq!(again.counts, StepCounts::default());

    let mut damped = solver(SecondOrderSettings::newton());
    // The lying gradient makes even the modified Newton direction ascend.
    let report = damped.step(&LyingGradient, &mut x).unwrap();
    assert_eq!(report.status, StepStatus::LineSearchFailed);
    assert_eq!(x, start);
}

#[test]
fn counters_match_an_independent_counting_wrapper() {
    let quadratic = Quadratic::rotated(0.5, 3.0, -0.3, [0.2, 0.9]);
    let surfaces: [&dyn Objective; 3] = [&Rosenbrock, &Saddle, &quadratic];
    let all_settings = [
        SecondOrderSettings::newton(),
        SecondOrderSettings::Newton {
            damping: Damping::None,
        },
        SecondOrderSettings::lbfgs(),
        SecondOrderSettings::Lbfgs {
            history: 3,
            line_search: LineSearchKind::Backtracking,
        },
    ];
    for surface in surfaces {
        for settings in all_settings {
            let counting = Counting::new(surface);
            let mut method = solver(settings);
            let mut x = [-1.2, 1.0];
            let mut summed = StepCounts::default();
            for _ in 0..15 {
                summed += method.step(&counting, &mut x).unwrap().counts;
            }
            assert_eq!(summed, counting.counts(), "{settings:?}");
            assert_eq!(method.total_counts(), counting.counts(), "{settings:?}");
            method.reset();
            assert_eq!(method.total_counts(), StepCounts::default());
            assert_eq!(method.iterations(), 0);
        }
    }
}

#[test]
fn moving_x_between_steps_restarts_lbfgs() {
    let mut lbfgs = solver(SecondOrderSettings::lbfgs());
    let mut x = [-1.2, 1.0];
    for _ in 0..3 {
        lbfgs.step(&Rosenbrock, &mut x).unwrap();
    }
    assert!(!lbfgs.memory().is_empty());
    let mut elsewhere = [0.5, -0.5];
    let report = lbfgs.step(&Rosenbrock, &mut elsewhere).unwrap();
    // Fresh start: value and gradient evaluated anew, steepest descent.
    let g = Rosenbrock.gradient([0.5, -0.5]);
    let cos = -(report.direction[0] * g[0] + report.direction[1] * g[1])
        / (norm(report.direction) * norm(g));
    assert!((cos - 1.0).abs() < 1e-12);
    assert_eq!(lbfgs.memory().len(), 1);
}

#[test]
fn non_finite_input_is_an_error_and_non_finite_surfaces_are_reported() {
    let mut lbfgs = solver(SecondOrderSettings::lbfgs());
    let mut x = [f64::NAN, 0.0];
    let err = lbfgs.step(&Rosenbrock, &mut x).unwrap_err();
    assert!(err.message().contains("start point"), "{err}");

    struct Broken;
    impl Objective for Broken {
        fn value(&self, _: Point) -> f64 {
            f64::NAN
        }
        fn gradient(&self, _: Point) -> Point {
            [1.0, 0.0]
        }
        fn hessian(&self, _: Point) -> Hessian {
            [[1.0, 0.0], [0.0, 1.0]]
        }
        fn bounds(&self) -> Bounds {
            WIDE
        }
        fn minima(&self) -> Vec<Point> {
            vec![]
        }
        fn default_start(&self) -> Point {
            [0.0, 0.0]
        }
    }
    let mut x = [0.0, 0.0];
    assert_eq!(
        lbfgs.step(&Broken, &mut x).unwrap().status,
        StepStatus::NotFinite
    );
    assert_eq!(x, [0.0, 0.0]);
}

#[test]
fn settings_are_validated_and_defaulted() {
    for history in [0, 101] {
        let err = SecondOrderSolver::new(SecondOrderSettings::Lbfgs {
            history,
            line_search: LineSearchKind::StrongWolfe,
        })
        .unwrap_err();
        assert!(err.message().contains("history"), "{err}");
    }
    for lambda in [-1.0, f64::NAN, 1e7] {
        let err = SecondOrderSolver::new(SecondOrderSettings::Newton {
            damping: Damping::Levenberg { lambda },
        })
        .unwrap_err();
        assert!(err.message().contains("lambda"), "{err}");
    }
    assert!(SecondOrderSolver::new(SecondOrderSettings::Lbfgs {
        history: 100,
        line_search: LineSearchKind::None,
    })
    .is_ok());
    assert_eq!(
        SecondOrderSettings::default(),
        SecondOrderSettings::Newton {
            damping: Damping::LineSearch
        }
    );
    assert_eq!(
        SecondOrderSettings::lbfgs(),
        SecondOrderSettings::Lbfgs {
            history: 10,
            line_search: LineSearchKind::StrongWolfe
        }
    );
    let mut s = solver(SecondOrderSettings::lbfgs());
    assert!(s.set_gradient_tolerance(0.0).is_err());
    assert!(s.set_gradient_tolerance(1e-3).is_ok());
}

// ------------------------------------------------------------ line searches

/// A 1-D function given by its value and derivative.
struct OneD {
    f: fn(f64) -> f64,
    df: fn(f64) -> f64,
}

impl LineFunction for OneD {
    fn value(&mut self, alpha: f64) -> f64 {
        (self.f)(alpha)
    }
    fn slope(&mut self, alpha: f64) -> f64 {
        (self.df)(alpha)
    }
}

/// (φ, φ′, first trial step)
fn one_dimensional_problems() -> Vec<(&'static str, OneD, f64)> {
    vec![
        (
            "parabola",
            OneD {
                f: |a| (a - 3.0) * (a - 3.0),
                df: |a| 2.0 * (a - 3.0),
            },
            1.0,
        ),
        (
            "parabola, overshooting start",
            OneD {
                f: |a| (a - 0.01) * (a - 0.01),
                df: |a| 2.0 * (a - 0.01),
            },
            5.0,
        ),
        (
            "-a/(a²+2) (Moré–Thuente 1)",
            OneD {
                f: |a| -a / (a * a + 2.0),
                df: |a| (a * a - 2.0) / ((a * a + 2.0) * (a * a + 2.0)),
            },
            0.1,
        ),
        (
            "wiggly: -sin 3a + 0.1a²",
            OneD {
                f: |a| -(3.0 * a).sin() + 0.1 * a * a,
                df: |a| -3.0 * (3.0 * a).cos() + 0.2 * a,
            },
            2.0,
        ),
        (
            "quartic, tiny start",
            OneD {
                f: |a| a.powi(4) - a,
                df: |a| 4.0 * a.powi(3) - 1.0,
            },
            1e-3,
        ),
        (
            "Rosenbrock along -grad from (-1.2, 1)",
            OneD {
                f: |a| {
                    let g = Rosenbrock.gradient([-1.2, 1.0]);
                    Rosenbrock.value([-1.2 - a * g[0], 1.0 - a * g[1]])
                },
                df: |a| {
                    let g = Rosenbrock.gradient([-1.2, 1.0]);
                    let h = Rosenbrock.gradient([-1.2 - a * g[0], 1.0 - a * g[1]]);
                    -(h[0] * g[0] + h[1] * g[1])
                },
            },
            1.0,
        ),
    ]
}

#[test]
fn strong_wolfe_steps_satisfy_both_conditions() {
    for c2 in [0.9, 0.1] {
        let constants = WolfeConstants {
            c2,
            ..WolfeConstants::default()
        };
        assert_eq!(constants.c1, 1e-4);
        for (name, mut phi, initial) in one_dimensional_problems() {
            let (f0, d0) = ((phi.f)(0.0), (phi.df)(0.0));
            assert!(d0 < 0.0, "{name}");
            let step = strong_wolfe(&mut phi, f0, d0, initial, constants)
                .unwrap_or_else(|| panic!("{name}: no step"));
            let a = step.alpha;
            // Checked here from φ itself, not from what the search reports.
            let (fa, da) = ((phi.f)(a), (phi.df)(a));
            assert!(step.strong_wolfe, "{name}, c2 = {c2}");
            assert!(a > 0.0);
            assert!(
                fa <= f0 + 1e-4 * a * d0,
                "{name}, c2 = {c2}: sufficient decrease fails at {a}"
            );
            assert!(
                da.abs() <= c2 * d0.abs(),
                "{name}, c2 = {c2}: curvature fails at {a}: {da} vs {d0}"
            );
            assert_eq!(step.value, fa);
            assert_eq!(step.slope, Some(da));
            assert!(step.evaluations <= 40);
        }
    }
}

#[test]
fn backtracking_steps_satisfy_sufficient_decrease() {
    for (name, mut phi, initial) in one_dimensional_problems() {
        let (f0, d0) = ((phi.f)(0.0), (phi.df)(0.0));
        let step = backtracking(&mut phi, f0, d0, initial.max(1.0), 1e-4).unwrap();
        let a = step.alpha;
        assert!(a > 0.0 && a <= initial.max(1.0));
        assert!((phi.f)(a) <= f0 + 1e-4 * a * d0, "{name} at {a}");
        assert_eq!(step.slope, None);
    }
}

#[test]
fn line_searches_refuse_an_ascent_direction() {
    let mut phi = OneD {
        f: |a| a * a + a,
        df: |a| 2.0 * a + 1.0,
    };
    assert!(strong_wolfe(&mut phi, 0.0, 1.0, 1.0, WolfeConstants::default()).is_none());
    assert!(backtracking(&mut phi, 0.0, 1.0, 1.0, 1e-4).is_none());
}

// --------------------------------------------------------- quadratic model

fn assert_unit_parallel(v: Point, expected: Point, what: &str) {
    let n = norm(expected);
    let dot = (v[0] * expected[0] + v[1] * expected[1]) / n;
    assert!(
        (dot.abs() - 1.0).abs() < 1e-14,
        "{what}: {v:?} vs ±{expected:?}"
    );
    assert!((norm(v) - 1.0).abs() < 1e-15);
}

#[test]
fn eigen_decomposition_of_hand_computed_matrices() {
    let r = std::f64::consts::FRAC_1_SQRT_2;
    let e = symmetric_eigen(&[[2.0, 1.0], [1.0, 2.0]]);
    assert!((e.values[0] - 1.0).abs() < 1e-15 && (e.values[1] - 3.0).abs() < 1e-15);
    assert_unit_parallel(e.vectors[0], [r, -r], "[[2,1],[1,2]] λ=1");
    assert_unit_parallel(e.vectors[1], [r, r], "[[2,1],[1,2]] λ=3");
    assert_eq!(e.classify(), Curvature::MinimumLike);
    assert!((e.condition_number() - 3.0).abs() < 1e-14);

    let e = symmetric_eigen(&[[0.0, 1.0], [1.0, 0.0]]);
    assert_eq!(e.values, [-1.0, 1.0]);
    assert_unit_parallel(e.vectors[0], [1.0, -1.0], "[[0,1],[1,0]] λ=-1");
    assert_eq!(e.classify(), Curvature::Saddle);

    let e = symmetric_eigen(&[[4.0, 0.0], [0.0, -1.0]]);
    assert_eq!(e.values, [-1.0, 4.0]);
    assert_unit_parallel(e.vectors[0], [0.0, 1.0], "diag(4,-1) λ=-1");
    assert_unit_parallel(e.vectors[1], [1.0, 0.0], "diag(4,-1) λ=4");
    assert_eq!(e.condition_number(), 4.0);

    // λ = −2.5 ± √0.5
    let e = symmetric_eigen(&[[-2.0, 0.5], [0.5, -3.0]]);
    assert!((e.values[0] - (-2.5 - 0.5f64.sqrt())).abs() < 1e-15);
    assert!((e.values[1] - (-2.5 + 0.5f64.sqrt())).abs() < 1e-15);
    assert_eq!(e.classify(), Curvature::MaximumLike);

    // Rank one: eigenvalues 0 and 5, null vector (2, −1).
    let e = symmetric_eigen(&[[1.0, 2.0], [2.0, 4.0]]);
    assert_eq!(e.values[0], 0.0);
    assert!((e.values[1] - 5.0).abs() < 1e-15);
    assert_unit_parallel(e.vectors[0], [2.0, -1.0], "rank one null vector");
    assert_eq!(e.classify(), Curvature::Degenerate);
    assert_eq!(e.condition_number(), f64::INFINITY);

    let e = symmetric_eigen(&[[0.0, 0.0], [0.0, 0.0]]);
    assert_eq!(e.values, [0.0, 0.0]);
    assert_eq!(e.classify(), Curvature::Degenerate);

    let e = symmetric_eigen(&[[3.0, 0.0], [0.0, 3.0]]);
    assert_eq!(e.values, [3.0, 3.0]);
    assert_eq!(e.condition_number(), 1.0);
}

#[test]
fn tiny_eigenvalue_keeps_its_relative_accuracy() {
    // [[1, 1], [1, 1 + δ]]: det = δ exactly; λmax = 1 + δ/2 + √(1 + δ²/4)
    // has no cancellation, and λmin = δ / λmax. The textbook m − r would
    // lose about half the digits of λmin ≈ δ/2.
    let delta = 2f64.powi(-30);
    let e = symmetric_eigen(&[[1.0, 1.0], [1.0, 1.0 + delta]]);
    let high = 1.0 + delta / 2.0 + (1.0 + delta * delta / 4.0).sqrt();
    let low = delta / high;
    assert!(((e.values[1] - high) / high).abs() < 1e-15);
    assert!(
        ((e.values[0] - low) / low).abs() < 1e-14,
        "{} vs {low}",
        e.values[0]
    );
}

#[test]
fn eigen_decomposition_reconstructs_random_symmetric_matrices() {
    let mut rng = Rng::new(5);
    for _ in 0..200 {
        let scale = 10f64.powf(rng.uniform_in(-3.0, 3.0));
        let h = [[scale * rng.normal(), 0.0], [0.0, scale * rng.normal()]];
        let b = scale * rng.normal();
        let h = [[h[0][0], b], [b, h[1][1]]];
        let e = symmetric_eigen(&h);
        assert!(e.values[0] <= e.values[1]);
        let [v0, v1] = e.vectors;
        assert!((v0[0] * v1[0] + v0[1] * v1[1]).abs() < 1e-15);
        for i in 0..2 {
            for j in 0..2 {
                let rebuilt = e.values[0] * v0[i] * v0[j] + e.values[1] * v1[i] * v1[j];
                assert!(
                    (rebuilt - h[i][j]).abs() < 1e-14 * e.spectral_norm(),
                    "{h:?}"
                );
            }
        }
        let det = h[0][0] * h[1][1] - b * b;
        assert!((e.values[0] * e.values[1] - det).abs() <= 1e-13 * e.spectral_norm().powi(2));
    }
}

#[test]
fn quadratic_model_of_rosenbrock() {
    let x = [-1.2, 1.0];
    let m = QuadraticModel::at(&Rosenbrock, x).unwrap();
    // Matches f, ∇f at the center and approximates f to second order.
    assert_eq!(m.value_at(x), Rosenbrock.value(x));
    for t in [1e-2, 1e-3] {
        let p = [x[0] + t, x[1] - 0.5 * t];
        let error = (m.value_at(p) - Rosenbrock.value(p)).abs();
        assert!(error < 1e3 * t * t * t, "model error {error} at step {t}");
    }
    // Stationary point by Cramer's rule, computed here independently.
    let g = Rosenbrock.gradient(x);
    let h = Rosenbrock.hessian(x);
    let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    let step = [
        -(h[1][1] * g[0] - h[0][1] * g[1]) / det,
        -(-h[1][0] * g[0] + h[0][0] * g[1]) / det,
    ];
    let target = m.stationary_point().unwrap();
    assert!(distance(target, [x[0] + step[0], x[1] + step[1]]) < 1e-12);
    // At (−1.2, 1) the Hessian [[1330, 480], [480, 200]] is positive definite.
    assert_eq!(m.classify(), Curvature::MinimumLike);
    // One plain Newton step goes exactly there.
    let mut y = x;
    plain_newton().step(&Rosenbrock, &mut y).unwrap();
    assert!(distance(y, target) < 1e-12);
    // Where y > x² + 1/200 the Hessian is indefinite: a saddle-shaped model.
    let m = QuadraticModel::at(&Rosenbrock, [0.0, 0.5]).unwrap();
    assert_eq!(m.classify(), Curvature::Saddle);
}

#[test]
fn quadratic_model_is_exact_for_a_quadratic_and_fills_grids_row_major() {
    let f = Quadratic::rotated(1.5, 0.2, 0.9, [0.4, -0.6]);
    let m = QuadraticModel::at(&f, [2.0, 1.0]).unwrap();
    let points = [[0.0, 0.0], [-3.0, 2.5], [0.4, -0.6]];
    for (p, v) in points.iter().zip(m.values_at(&points)) {
        assert!((v - f.value(*p)).abs() < 1e-12);
    }
    let target = m.stationary_point().unwrap();
    assert!(distance(target, [0.4, -0.6]) < 1e-12);
    assert!((m.condition_number() - 7.5).abs() < 1e-12);

    let bounds = Bounds {
        x_min: -1.0,
        x_max: 3.0,
        y_min: 0.0,
        y_max: 2.0,
    };
    let grid = m.values_on_grid(bounds, 5, 3).unwrap();
    assert_eq!(grid.len(), 15);
    // Row 2, column 1 is (x_min + 1, y_max).
    assert_eq!(grid[2 * 5 + 1], m.value_at([0.0, 2.0]));
    assert_eq!(grid[0], m.value_at([-1.0, 0.0]));
    assert!(m.values_on_grid(bounds, 1, 3).is_err());
    let flipped = Bounds {
        x_min: 1.0,
        x_max: -1.0,
        ..bounds
    };
    assert!(m
        .values_on_grid(flipped, 5, 3)
        .unwrap_err()
        .message()
        .contains("bounds"));
}

#[path = "parity/bfgs.rs"]
mod bfgs_by_hand;

#[test]
fn bfgs_update_is_the_hand_computed_matrix_and_not_dfp() {
    use trainlab::second_order::quasi_newton::CurvatureMemory;
    use trainlab::second_order::BfgsMatrix;
    // s = (1, 0), y = (2, 1): sᵀy = 2, yᵀy = 5, so H₀ = γI with γ = 0.4
    // and ρ = 0.5. V = I − ρsyᵀ = [[0, −0.5], [0, 1]];
    // V H₀ Vᵀ = 0.4·[[0.25, −0.5], [−0.5, 1]] = [[0.1, −0.2], [−0.2, 0.4]];
    // plus ρssᵀ = [[0.5, 0], [0, 0]] gives H₁ = [[0.6, −0.2], [−0.2, 0.4]].
    // DFP, H₀ − H₀yyᵀH₀/(yᵀH₀y) + ssᵀ/(sᵀy), gives [[0.58, −0.16], [−0.16, 0.32]]
    // instead; both satisfy the secant equation H₁y = s, so only the
    // matrix itself tells them apart.
    let mut memory = BfgsMatrix::new();
    assert!(memory.offer([1.0, 0.0], [2.0, 1.0]));
    let h = memory.inverse_hessian().unwrap();
    let bfgs = [[0.6, -0.2], [-0.2, 0.4]];
    let dfp = [[0.58, -0.16], [-0.16, 0.32]];
    let gap = |a: [[f64; 2]; 2], b: [[f64; 2]; 2]| {
        (0..4)
            .map(|k| (a[k / 2][k % 2] - b[k / 2][k % 2]).abs())
            .fold(0.0, f64::max)
    };
    assert!(gap(h, bfgs) < 1e-15, "{h:?}");
    assert!(gap(h, dfp) > 0.01);
    assert!(distance(memory.apply_inverse_hessian([2.0, 1.0]), [1.0, 0.0]) < 1e-15);
    // A second pair: the explicit three-product formula.
    let (s, y) = ([0.5, -1.0], [0.3, -2.5]);
    let want = bfgs_by_hand::bfgs_update(&h, s, y);
    assert!(memory.offer(s, y));
    assert!(gap(memory.inverse_hessian().unwrap(), want) < 1e-14);
    // A pair with sᵀy ≤ 0 is refused and leaves H alone.
    assert!(!memory.offer([1.0, 0.0], [-1.0, 3.0]));
    assert!(gap(memory.inverse_hessian().unwrap(), want) < 1e-14);
    assert_eq!(memory.skipped(), 1);
}

/// f = ½(x²/4 + y²), the shape the hand formula assumes.
fn bowl_kappa_4() -> Quadratic {
    Quadratic {
        a: [[0.25, 0.0], [0.0, 1.0]],
        center: [0.0, 0.0],
        offset: 0.0,
    }
}

#[test]
fn bfgs_without_line_search_follows_the_hand_formula_and_counts() {
    let bowl = bowl_kappa_4();
    let counting = Counting::new(&bowl);
    let mut bfgs = solver(SecondOrderSettings::Bfgs {
        line_search: LineSearchKind::None,
    });
    let start = [2.0, 1.0];
    let path = bfgs_by_hand::path_without_line_search(start, 6);
    let mut x = start;
    for (k, want) in path.iter().enumerate().skip(1) {
        let report = bfgs.step(&counting, &mut x).unwrap();
        assert_eq!(report.status, StepStatus::Moved, "step {k}");
        assert!(distance(x, *want) < 1e-14, "step {k}: {x:?} vs {want:?}");
        let (values, gradients) = bfgs_by_hand::counts_without_line_search(k - 1);
        assert_eq!(
            report.counts,
            StepCounts {
                evaluations: values,
                gradients,
                hessians: 0
            },
            "step {k}"
        );
    }
    assert_eq!(bfgs.total_counts(), counting.counts());
    // Unit steps along −Hg on a quadratic: from 2.2 away to within 1e-3.
    assert!(norm(x) < 1e-3, "{x:?}");
}

#[test]
fn bfgs_backtracking_steps_decrease_sufficiently_and_counts_are_honest() {
    for (name, f) in [
        ("rosenbrock", &Rosenbrock as &dyn Objective),
        (
            "rotated bowl",
            &Quadratic::rotated(1.0, 30.0, 0.7, [0.5, -1.0]),
        ),
    ] {
        let counting = Counting::new(f);
        let mut bfgs = solver(SecondOrderSettings::Bfgs {
            line_search: LineSearchKind::Backtracking,
        });
        let mut x = [-1.2, 1.0];
        let mut steps = 0;
        loop {
            let before = x;
            let (f0, g0) = (f.value(x), f.gradient(x));
            let report = bfgs.step(&counting, &mut x).unwrap();
            if report.status == StepStatus::Converged {
                break;
            }
            assert_eq!(report.status, StepStatus::Moved, "{name} step {steps}");
            // Armijo with c₁ = 1e-4 at the accepted length, along the reported direction.
            let p = report.direction;
            let moved = [
                before[0] + report.step_length * p[0],
                before[1] + report.step_length * p[1],
            ];
            assert!(distance(moved, x) < 1e-12);
            let slope = g0[0] * p[0] + g0[1] * p[1];
            assert!(slope < 0.0, "{name}: not a descent direction");
            assert!(
                f.value(x) <= f0 + 1e-4 * report.step_length * slope,
                "{name} step {steps}"
            );
            assert!(report.counts.evaluations >= 1 && report.counts.hessians == 0);
            steps += 1;
            assert!(steps <= 300, "{name}: no convergence, at {x:?}");
        }
        assert_eq!(bfgs.total_counts(), counting.counts(), "{name}");
        assert_eq!(bfgs.iterations(), steps);
    }
}

#[test]
fn plain_newton_refuses_a_nearly_singular_hessian_but_not_a_merely_ill_conditioned_one() {
    use trainlab::second_order::newton_direction;
    // Eigenvalues 1 and 1e-15: below the relative tolerance 1e-12, so no step
    // (the "step" would be 10¹⁵ long, finite but meaningless).
    let nearly = [[1.0, 0.0], [0.0, 1e-15]];
    assert!(newton_direction(&nearly, [1.0, 1.0], Damping::None).is_none());
    // Eigenvalues 1 and 1e-9 (condition 10⁹): a step, exactly −H⁻¹g.
    let ill = [[1.0, 0.0], [0.0, 1e-9]];
    let step = newton_direction(&ill, [1.0, 1e-9], Damping::None).unwrap();
    assert!((step.direction[0] + 1.0).abs() < 1e-12 && (step.direction[1] + 1.0).abs() < 1e-6);
    assert!(!step.modified);
}
