//! The built-in surfaces against finite differences, their documented minima,
//! their lessons, and the gradient noise.

use trainlab::objective::{
    Bounds, GradientNoise, Hessian, NoisyObjective, Objective, Point, Quadratic, Surface,
};
use trainlab::optim::{Optimizer, Rule, Settings};
use trainlab::rng::Rng;

fn all_surfaces() -> Vec<Surface> {
    Surface::NAMES
        .iter()
        .map(|name| Surface::from_name(name).unwrap())
        .collect()
}

fn norm(v: Point) -> f64 {
    v[0].hypot(v[1])
}

/// Points spread over the view: a 21×21 grid plus 200 random points, so no
/// formula is only checked on "nice" coordinates.
fn sample_points(bounds: Bounds, seed: u64) -> Vec<Point> {
    let mut points = Vec::new();
    for i in 0..=20 {
        for j in 0..=20 {
            points.push([
                bounds.x_min + bounds.width() * i as f64 / 20.0,
                bounds.y_min + bounds.height() * j as f64 / 20.0,
            ]);
        }
    }
    let mut rng = Rng::new(seed);
    for _ in 0..200 {
        points.push([
            rng.uniform_in(bounds.x_min, bounds.x_max),
            rng.uniform_in(bounds.y_min, bounds.y_max),
        ]);
    }
    points
}

/// Central-difference step: 1e-6 of the view's larger side (at most 1e-5).
fn fd_step(bounds: Bounds) -> f64 {
    1e-6 * bounds.width().max(bounds.height())
}

/// Whether an analytic derivative matches its central difference.
///
/// The central difference of a quantity q has truncation error h²|q‴|/6 and
/// rounding error about ε|q|/h. With h ≤ 1e-5 the first is below 2e-8 even
/// where the third derivatives are largest (≈ 1e3 on Beale's view), well
/// inside the 1e-6·(1 + |derivative|) allowance; the second is about
/// 1e-11·|q| and is covered by the 1e-9·|q| term, which matters only where
/// q itself is huge (Beale's corners reach |f| ≈ 2e5).
fn agrees(analytic: f64, numeric: f64, differenced_size: f64) -> bool {
    (analytic - numeric).abs() <= 1e-6 * (1.0 + analytic.abs()) + 1e-9 * differenced_size
}

fn check_derivatives(surface: &dyn Objective, label: &str, seed: u64) {
    let bounds = surface.bounds();
    let h = fd_step(bounds);
    for p in sample_points(bounds, seed) {
        let g = surface.gradient(p);
        let hess = surface.hessian(p);
        assert_eq!(
            hess[0][1], hess[1][0],
            "{label}: Hessian not symmetric at {p:?}"
        );
        for axis in 0..2 {
            let mut plus = p;
            let mut minus = p;
            plus[axis] += h;
            minus[axis] -= h;
            let f_size = surface.value(plus).abs().max(surface.value(minus).abs());
            let numeric = (surface.value(plus) - surface.value(minus)) / (2.0 * h);
            assert!(
                agrees(g[axis], numeric, f_size),
                "{label}: ∂f/∂{axis} at {p:?}: analytic {} numeric {numeric}",
                g[axis]
            );
            let (gp, gm) = (surface.gradient(plus), surface.gradient(minus));
            for row in 0..2 {
                let numeric = (gp[row] - gm[row]) / (2.0 * h);
                let g_size = gp[row].abs().max(gm[row].abs());
                assert!(
                    agrees(hess[row][axis], numeric, g_size),
                    "{label}: H[{row}][{axis}] at {p:?}: analytic {} numeric {numeric}",
                    hess[row][axis]
                );
            }
        }
    }
}

#[test]
fn every_surface_gradient_and_hessian_match_central_differences() {
    for (k, surface) in all_surfaces().iter().enumerate() {
        check_derivatives(surface, surface.name(), 100 + k as u64);
    }
    for (condition, rotation) in [(1.0, 0.0), (7.5, 33.0), (1000.0, -120.0)] {
        let quadratic = Quadratic::new(condition, rotation).unwrap();
        check_derivatives(&quadratic, "rotated quadratic", 7);
    }
}

#[test]
fn values_at_hand_computed_points() {
    let value = |name: &str, p: Point| Surface::from_name(name).unwrap().value(p);
    // (1 + 1.2)² + 100·(1 − 1.44)² = 4.84 + 19.36.
    assert!((value("rosenbrock", [-1.2, 1.0]) - 24.2).abs() < 1e-12);
    // (1.5 − 1 + 1.5)² + (2.25 − 1 + 2.25)² + (2.625 − 1 + 3.375)² = 4 + 12.25 + 25.
    assert!((value("beale", [1.0, 1.5]) - 41.25).abs() < 1e-12);
    // (−11)² + (−7)².
    assert_eq!(value("himmelblau", [0.0, 0.0]), 170.0);
    assert_eq!(value("saddle", [1.0, 2.0]), -3.0);
    // 1 − 3 + ¾·2².
    assert!((value("monkey", [1.0, 1.0]) - 1.0).abs() < 1e-12);
    // 0.1·0.25 + 0.35·(2 − cos(π/2) − cos 0) = 0.025 + 0.35.
    assert!((value("bumpy", [0.5, 0.0]) - 0.375).abs() < 1e-12);
    // ½·(1 − tanh 0) + 0.01·(1.5² + 0²).
    assert!((value("plateau", [0.0, 0.0]) - 0.5225).abs() < 1e-12);
    // Far out on the plateau the cliff term is its full height 1.
    assert!((value("plateau", [-4.0, 1.0]) - (1.0 + 0.01 * (5.5f64.powi(2) + 1.0))).abs() < 1e-8);
}

/// Newton's method with the analytic Hessian, used to polish a point into
/// the stationary point next to it.
fn newton_polish(surface: &dyn Objective, start: Point, iterations: usize) -> Point {
    let mut p = start;
    for _ in 0..iterations {
        let g = surface.gradient(p);
        let [[a, b], [_, c]] = surface.hessian(p);
        let det = a * c - b * b;
        p[0] -= (c * g[0] - b * g[1]) / det;
        p[1] -= (a * g[1] - b * g[0]) / det;
    }
    p
}

fn positive_definite(h: Hessian) -> bool {
    h[0][0] > 0.0 && h[0][0] * h[1][1] - h[0][1] * h[1][0] > 0.0
}

#[test]
fn listed_minima_are_stationary_positive_definite_and_in_view() {
    for surface in all_surfaces() {
        let name = surface.name();
        let minima = surface.minima();
        let bounds = surface.bounds();
        for &m in &minima {
            // The gradient scales with the surface's curvature (up to ~1000
            // for Rosenbrock at its minimum), hence the relative allowance.
            let [[a, _], [_, c]] = surface.hessian(m);
            assert!(
                norm(surface.gradient(m)) < 1e-8 * (1.0 + a.abs() + c.abs()),
                "{name}: gradient {:?} at listed minimum {m:?}",
                surface.gradient(m)
            );
            assert!(positive_definite(surface.hessian(m)), "{name}: {m:?}");
            assert!(bounds.contains(m), "{name}: minimum {m:?} outside the view");
            let polished = newton_polish(&surface, m, 10);
            assert!(
                norm([polished[0] - m[0], polished[1] - m[1]]) < 1e-9,
                "{name}: Newton moved {m:?} to {polished:?}"
            );
        }
        // Global first.
        if let Some(&first) = minima.first() {
            for &m in &minima {
                assert!(surface.value(first) <= surface.value(m) + 1e-12, "{name}");
            }
        }
        assert!(bounds.contains(surface.default_start()), "{name}: start");
    }
    assert!(Surface::from_name("saddle").unwrap().minima().is_empty());
}

#[test]
fn classic_minima_have_their_known_values() {
    let rosenbrock = Surface::from_name("rosenbrock").unwrap();
    assert_eq!(rosenbrock.minima(), vec![[1.0, 1.0]]);
    assert_eq!(rosenbrock.value([1.0, 1.0]), 0.0);
    assert_eq!(rosenbrock.default_start(), [-1.2, 1.0]);

    let beale = Surface::from_name("beale").unwrap();
    assert_eq!(beale.minima(), vec![[3.0, 0.5]]);
    assert_eq!(beale.value([3.0, 0.5]), 0.0);

    // Himmelblau's four minima to the decimals quoted in the literature.
    let himmelblau = Surface::from_name("himmelblau").unwrap();
    let quoted = [
        [3.0, 2.0],
        [-2.805118, 3.131312],
        [-3.779310, -3.283186],
        [3.584428, -1.848126],
    ];
    let listed = himmelblau.minima();
    assert_eq!(listed.len(), 4);
    for (m, q) in listed.iter().zip(quoted) {
        assert!(
            (m[0] - q[0]).abs() < 1e-6 && (m[1] - q[1]).abs() < 1e-6,
            "{m:?} vs {q:?}"
        );
        assert!(himmelblau.value(*m) < 1e-24, "{m:?}");
    }

    // Monkey saddle: three minima of value −¼ on the unit circle, 120° apart,
    // with curvatures 3 (radial) and 9 (around).
    let monkey = Surface::from_name("monkey").unwrap();
    let minima = monkey.minima();
    assert_eq!(minima.len(), 3);
    for (k, m) in minima.iter().enumerate() {
        assert!((monkey.value(*m) + 0.25).abs() < 1e-12);
        assert!((norm(*m) - 1.0).abs() < 1e-12);
        let (low, high) = eigenvalues(monkey.hessian(*m));
        assert!(
            (low - 3.0).abs() < 1e-9 && (high - 9.0).abs() < 1e-9,
            "{k}: {low} {high}"
        );
    }
    // The origin is a flat (degenerate) saddle: zero gradient and Hessian.
    assert_eq!(monkey.gradient([0.0, 0.0]), [0.0, 0.0]);
    assert_eq!(monkey.hessian([0.0, 0.0]), [[0.0, 0.0], [0.0, 0.0]]);

    let bumpy = Surface::from_name("bumpy").unwrap();
    assert_eq!(bumpy.minima()[0], [0.0, 0.0]);
    assert_eq!(bumpy.value([0.0, 0.0]), 0.0);
}

/// Descends from a grid of starts, polishes each end with Newton and
/// collects the distinct minima reached.
fn minima_found_by_descent(surface: &dyn Objective, lr: f64, steps: usize) -> Vec<Point> {
    let bounds = surface.bounds();
    let mut found: Vec<Point> = Vec::new();
    for i in 0..=16 {
        for j in 0..=16 {
            let mut p = [
                bounds.x_min + bounds.width() * i as f64 / 16.0,
                bounds.y_min + bounds.height() * j as f64 / 16.0,
            ];
            for _ in 0..steps {
                let g = surface.gradient(p);
                p = [p[0] - lr * g[0], p[1] - lr * g[1]];
            }
            let p = newton_polish(surface, p, 8);
            let is_minimum = norm(surface.gradient(p)) < 1e-10
                && positive_definite(surface.hessian(p))
                && bounds.contains(p);
            let is_new = found
                .iter()
                .all(|q| norm([p[0] - q[0], p[1] - q[1]]) > 1e-6);
            if is_minimum && is_new {
                found.push(p);
            }
        }
    }
    found
}

fn same_point_sets(a: &[Point], b: &[Point]) -> bool {
    let near = |p: &Point, q: &Point| norm([p[0] - q[0], p[1] - q[1]]) < 1e-8;
    a.len() == b.len() && a.iter().all(|p| b.iter().any(|q| near(p, q)))
}

#[test]
fn bumpy_lists_exactly_the_minima_that_descent_finds() {
    let bumpy = Surface::from_name("bumpy").unwrap();
    let listed = bumpy.minima();
    // Curvature is at most 2b + Aω² ≈ 3.65, so lr = 0.25 is stable.
    let found = minima_found_by_descent(&bumpy, 0.25, 400);
    assert!(
        same_point_sets(&listed, &found),
        "listed {listed:?}\nfound {found:?}"
    );
    // A real trap: many local minima, all above the global one.
    assert!(listed.len() >= 9, "{}", listed.len());
    for m in &listed[1..] {
        assert!(bumpy.value(*m) > 0.3, "{m:?}");
    }
}

#[test]
fn himmelblau_and_plateau_list_every_minimum_descent_finds() {
    let himmelblau = Surface::from_name("himmelblau").unwrap();
    let found = minima_found_by_descent(&himmelblau, 0.005, 2000);
    assert!(same_point_sets(&himmelblau.minima(), &found), "{found:?}");
    let plateau = Surface::from_name("plateau").unwrap();
    let found = minima_found_by_descent(&plateau, 1.0, 3000);
    assert!(same_point_sets(&plateau.minima(), &found), "{found:?}");
}

/// Eigenvalues (low, high) of a symmetric 2×2 matrix, in closed form.
fn eigenvalues(h: Hessian) -> (f64, f64) {
    let mean = 0.5 * (h[0][0] + h[1][1]);
    let half_gap = (0.5 * (h[0][0] - h[1][1])).hypot(h[0][1]);
    (mean - half_gap, mean + half_gap)
}

#[test]
fn quadratic_eigenvalue_ratio_is_the_condition_number_at_any_rotation() {
    for condition in [1.0, 2.0, 20.0, 137.0, 1000.0] {
        for rotation in [-300.0, -135.0, 0.0, 17.0, 45.0, 90.0, 359.0] {
            let q = Quadratic::new(condition, rotation).unwrap();
            let (low, high) = eigenvalues(q.hessian([0.3, -0.7]));
            assert!(
                ((high / low) / condition - 1.0).abs() < 1e-9,
                "{condition} {rotation}"
            );
            assert!((high - 1.0).abs() < 1e-12);
            // The flat axis points along the rotation angle.
            let theta = f64::to_radians(rotation);
            let along = [2.0 * theta.cos(), 2.0 * theta.sin()];
            assert!((q.value(along) - 2.0 / condition).abs() < 1e-12);
            let across = [-2.0 * theta.sin(), 2.0 * theta.cos()];
            assert!((q.value(across) - 2.0).abs() < 1e-12);
            assert!(q.bounds().contains(q.default_start()), "{rotation}");
        }
    }
    let default = Quadratic::default();
    assert_eq!(default.condition(), 20.0);
    let surface = Surface::quadratic(5.0, 30.0).unwrap();
    let direct = Quadratic::new(5.0, 30.0).unwrap();
    assert_eq!(surface.value([0.4, 1.1]), direct.value([0.4, 1.1]));
    assert_eq!(surface.name(), "quadratic");
}

#[test]
fn quadratic_rejects_bad_settings_by_name() {
    for bad in [0.5, 0.0, -3.0, 1000.5, f64::NAN, f64::INFINITY] {
        let err = Quadratic::new(bad, 0.0).unwrap_err();
        assert!(err.message().contains("condition number"), "{err}");
        assert!(Surface::quadratic(bad, 0.0).is_err());
    }
    for bad in [400.0, -361.0, f64::NAN, f64::NEG_INFINITY] {
        let err = Quadratic::new(10.0, bad).unwrap_err();
        assert!(err.message().contains("rotation"), "{err}");
    }
}

#[test]
fn names_round_trip_and_unknown_names_are_rejected() {
    assert_eq!(Surface::NAMES.len(), 8);
    for &name in Surface::NAMES {
        assert_eq!(Surface::from_name(name).unwrap().name(), name);
        assert!(name.chars().all(|c| c.is_ascii_lowercase()), "{name}");
    }
    for bad in ["banana", "", "Rosenbrock", " saddle"] {
        let err = Surface::from_name(bad).unwrap_err();
        for &name in Surface::NAMES {
            assert!(err.message().contains(name), "{err}");
        }
    }
}

#[test]
fn noise_scale_is_comparable_to_the_gradient_at_the_start() {
    for surface in all_surfaces() {
        let g = norm(surface.gradient(surface.default_start()));
        let ratio = surface.noise_scale() / g;
        assert!(
            (0.05..=1.0).contains(&ratio),
            "{}: σ₁/|g| = {ratio}",
            surface.name()
        );
    }
}

fn run(surface: &dyn Objective, rule: Rule, lr: f64, steps: usize) -> Vec<Point> {
    let mut optimizer = Optimizer::new(Settings { lr, rule }).unwrap();
    let mut p = surface.default_start();
    let mut path = vec![p];
    for _ in 0..steps {
        let g = surface.gradient(p);
        optimizer.step(&mut p, &g).unwrap();
        path.push(p);
    }
    path
}

const MOMENTUM: Rule = Rule::Momentum { rho: 0.9 };
const ADAM: Rule = Rule::Adam {
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    bias_correction: true,
};

#[test]
fn bumpy_traps_sgd_but_momentum_rolls_through() {
    let bumpy = Surface::from_name("bumpy").unwrap();
    for lr in [0.05, 0.1] {
        let sgd_end = *run(&bumpy, Rule::Sgd, lr, 300).last().unwrap();
        assert!(
            bumpy.value(sgd_end) > 1.0,
            "lr {lr}: SGD ended at {sgd_end:?}"
        );
        let local = bumpy.minima();
        assert!(local[1..]
            .iter()
            .any(|m| norm([m[0] - sgd_end[0], m[1] - sgd_end[1]]) < 1e-6));
        let momentum_end = *run(&bumpy, MOMENTUM, lr, 300).last().unwrap();
        assert!(
            norm(momentum_end) < 1e-3,
            "lr {lr}: momentum ended at {momentum_end:?}"
        );
    }
}

#[test]
fn plateau_stalls_sgd_but_adam_crosses_the_cliff() {
    let plateau = Surface::from_name("plateau").unwrap();
    let sgd_end = *run(&plateau, Rule::Sgd, 0.1, 100).last().unwrap();
    assert!(sgd_end[0] < -2.0, "SGD reached {sgd_end:?}");
    let adam_end = *run(&plateau, ADAM, 0.1, 100).last().unwrap();
    assert!(adam_end[0] > 1.0, "Adam reached {adam_end:?}");
    // On the plateau the gradient is tiny compared with the cliff's slope.
    let start_slope = norm(plateau.gradient(plateau.default_start()));
    let cliff_slope = norm(plateau.gradient([0.0, 0.0]));
    assert!(
        start_slope < 0.12 && cliff_slope > 1.2,
        "{start_slope} {cliff_slope}"
    );
}

#[test]
fn quadratic_makes_sgd_zig_zag_across_the_valley() {
    for rotation in [0.0, 30.0] {
        let q = Quadratic::new(20.0, rotation).unwrap();
        let theta = f64::to_radians(rotation);
        // Coordinates along the flat (u) and steep (v) axes.
        let uv = |p: Point| {
            (
                theta.cos() * p[0] + theta.sin() * p[1],
                -theta.sin() * p[0] + theta.cos() * p[1],
            )
        };
        // lr = 1.5 lies between 1/λ₂ and 2/λ₂: each step overshoots the
        // steep direction (v ← −0.5 v) while u creeps (u ← 0.925 u).
        let path = run(&q, Rule::Sgd, 1.5, 8);
        for pair in path.windows(2) {
            let (u0, v0) = uv(pair[0]);
            let (u1, v1) = uv(pair[1]);
            assert!(v0 * v1 < 0.0, "no zig-zag at {rotation}°");
            assert!((v1 / v0 + 0.5).abs() < 1e-9);
            assert!((u1 / u0 - 0.925).abs() < 1e-9);
        }
    }
}

#[test]
fn saddle_runs_approach_the_saddle_point_then_leave_the_view() {
    let saddle = Surface::from_name("saddle").unwrap();
    let path = run(&saddle, Rule::Sgd, 0.05, 200);
    let closest = path.iter().map(|&p| norm(p)).fold(f64::INFINITY, f64::min);
    assert!(closest < 0.5, "{closest}");
    assert!(!saddle.bounds().contains(*path.last().unwrap()));
}

#[test]
fn monkey_runs_end_in_one_of_the_three_valleys() {
    let monkey = Surface::from_name("monkey").unwrap();
    for (rule, lr) in [(Rule::Sgd, 0.01), (MOMENTUM, 0.01), (ADAM, 0.05)] {
        let end = *run(&monkey, rule, lr, 2000).last().unwrap();
        assert!(
            monkey
                .minima()
                .iter()
                .any(|m| norm([m[0] - end[0], m[1] - end[1]]) < 1e-4),
            "{rule:?} ended at {end:?}"
        );
    }
}

/// Mean distance to the nearest listed minimum after noisy SGD runs from the
/// default start (5 seeds), and the largest final value among them.
fn noisy_sgd_ends(surface: &Surface, batch: u32, lr: f64, steps: usize) -> (f64, f64) {
    let (mut total_distance, mut worst_value) = (0.0, f64::NEG_INFINITY);
    for seed in 0..5 {
        let mut noise = GradientNoise::new(surface.noise_scale(), batch, seed).unwrap();
        let mut p = surface.default_start();
        for _ in 0..steps {
            let mut g = surface.gradient(p);
            noise.perturb(&mut g);
            p = [p[0] - lr * g[0], p[1] - lr * g[1]];
        }
        let nearest = surface
            .minima()
            .iter()
            .map(|m| norm([m[0] - p[0], m[1] - p[1]]))
            .fold(f64::INFINITY, f64::min);
        total_distance += nearest;
        worst_value = worst_value.max(surface.value(p));
    }
    (total_distance / 5.0, worst_value)
}

#[test]
fn noise_scale_shows_but_does_not_swamp_the_descent() {
    // A stable learning rate per surface, and enough steps to arrive.
    let runs = [
        ("quadratic", 0.5, 300),
        ("monkey", 0.01, 1000),
        ("rosenbrock", 1e-3, 5000),
        ("beale", 0.01, 3000),
        ("himmelblau", 0.01, 500),
        ("plateau", 0.3, 500),
    ];
    for (name, lr, steps) in runs {
        let surface = Surface::from_name(name).unwrap();
        let start_value = surface.value(surface.default_start());
        let best = surface.value(surface.minima()[0]);
        let (distance_1, worst_1) = noisy_sgd_ends(&surface, 1, lr, steps);
        let (distance_16, _) = noisy_sgd_ends(&surface, 16, lr, steps);
        // Not swamped: even at B = 1 every run gets most of the way down.
        assert!(
            worst_1 - best < 0.25 * (start_value - best),
            "{name}: worst final value {worst_1} from {start_value}"
        );
        // Visible: B = 1 ends measurably farther from the minimum than B = 16.
        assert!(
            distance_1 > 1.5 * distance_16 && distance_1 > 0.02,
            "{name}: mean distance {distance_1} at B = 1, {distance_16} at B = 16"
        );
    }
}

#[test]
fn same_seed_gives_the_same_noise_and_reset_replays_it() {
    let draw = |noise: &mut GradientNoise, n: usize| -> Vec<Point> {
        (0..n)
            .map(|_| {
                let mut g = [1.0, -2.0];
                noise.perturb(&mut g);
                g
            })
            .collect()
    };
    let mut a = GradientNoise::new(2.0, 4, 11).unwrap();
    let mut b = GradientNoise::new(2.0, 4, 11).unwrap();
    let mut c = GradientNoise::new(2.0, 4, 12).unwrap();
    let first = draw(&mut a, 50);
    assert_eq!(first, draw(&mut b, 50));
    assert_ne!(first, draw(&mut c, 50));
    a.reset();
    assert_eq!(first, draw(&mut a, 50));
    // Zero noise leaves the gradient as it is.
    let mut silent = GradientNoise::new(0.0, 1, 5).unwrap();
    assert_eq!(draw(&mut silent, 3), vec![[1.0, -2.0]; 3]);
}

#[test]
fn empirical_noise_size_is_sigma_over_root_batch() {
    for (batch, seed) in [(1u32, 21u64), (16, 22)] {
        let mut noise = GradientNoise::new(3.0, batch, seed).unwrap();
        let expected = 3.0 / f64::from(batch).sqrt();
        assert!((noise.sigma() - expected).abs() < 1e-15);
        let draws = 100_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for _ in 0..draws {
            let mut g = [0.5, 0.5];
            noise.perturb(&mut g);
            for component in g {
                let delta = component - 0.5;
                sum += delta;
                sum_sq += delta * delta;
            }
        }
        let n = 2.0 * draws as f64;
        let mean = sum / n;
        let sd = (sum_sq / n - mean * mean).sqrt();
        // The sample sd of n normals has relative standard error 1/√(2n) ≈
        // 0.0016; 1% is six standard errors. The mean's standard error is σ/√n.
        assert!((sd / expected - 1.0).abs() < 0.01, "B = {batch}: sd {sd}");
        assert!(
            mean.abs() < 5.0 * expected / n.sqrt(),
            "B = {batch}: mean {mean}"
        );
    }
}

#[test]
fn bad_noise_settings_are_errors_naming_the_setting() {
    let err = GradientNoise::new(1.0, 0, 1).unwrap_err();
    assert!(err.message().contains("batch size"), "{err}");
    for bad in [-0.1, f64::NAN, f64::INFINITY] {
        let err = GradientNoise::new(bad, 8, 1).unwrap_err();
        assert!(err.message().contains("gradient noise"), "{err}");
    }
}

#[test]
fn noisy_objective_adds_the_noise_stream_to_exact_gradients() {
    let surface = Surface::from_name("himmelblau").unwrap();
    let noisy = NoisyObjective::new(&surface, GradientNoise::new(10.0, 4, 3).unwrap());
    assert_eq!(noisy.sigma(), 5.0);
    let mut reference = GradientNoise::new(10.0, 4, 3).unwrap();
    let points = [[0.5, 1.0], [-2.0, 3.0], [4.0, -1.0]];
    let mut first_pass = Vec::new();
    for p in points {
        let mut expected = surface.gradient(p);
        reference.perturb(&mut expected);
        let got = noisy.gradient(p);
        assert_eq!(got, expected);
        first_pass.push(got);
        assert_eq!(noisy.value(p), surface.value(p));
        assert_eq!(noisy.hessian(p), surface.hessian(p));
    }
    noisy.reset();
    let replay: Vec<Point> = points.iter().map(|&p| noisy.gradient(p)).collect();
    assert_eq!(first_pass, replay);
    assert_eq!(noisy.bounds(), surface.bounds());
    assert_eq!(noisy.minima(), surface.minima());
    assert_eq!(noisy.default_start(), surface.default_start());

    // Works behind a trait object too.
    let dynamic: &dyn Objective = &surface;
    let noisy_dyn = NoisyObjective::new(dynamic, GradientNoise::new(10.0, 4, 3).unwrap());
    assert_eq!(noisy_dyn.gradient(points[0]), first_pass[0]);
}

/// Every surface's grid filler (some are specialised for speed) agrees
/// with `value` at the cell centres, top row first.
#[test]
fn fill_grid_matches_value_at_cell_centres() {
    for name in Surface::NAMES {
        let surface = Surface::from_name(name).unwrap();
        let view = surface.bounds();
        let (columns, rows) = (7, 5);
        let mut grid = vec![0.0; columns * rows];
        surface.fill_grid(view, columns, rows, &mut grid);
        for row in 0..rows {
            for column in 0..columns {
                let x = view.x_min + (column as f64 + 0.5) / columns as f64 * view.width();
                let y = view.y_max - (row as f64 + 0.5) / rows as f64 * view.height();
                let expected = surface.value([x, y]);
                let got = grid[row * columns + column];
                assert!(
                    (got - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                    "{name} at ({x}, {y}): {got} vs {expected}"
                );
            }
        }
    }
}
