//! A bowl covered in gentle bumps: local minima that trap plain SGD.

use super::{Bounds, Hessian, Objective, Point};

/// Curvature weight of the bowl b in b(x² + y²).
const BOWL: f64 = 0.1;
/// Depth A of each bump term.
const BUMP: f64 = 0.35;
/// Spacing of the bumps (the cosines' period).
const PERIOD: f64 = 2.0;
/// Half-width of the square view.
const HALF_WIDTH: f64 = 5.0;

/// f(x, y) = b(x² + y²) + A(2 − cos ωx − cos ωy), with ω = 2π/P.
///
/// A Rastrigin-like surface, made gentle: b = 0.1, A = 0.35, P = 2. It is a
/// sum of the same function h(t) = b t² + A(1 − cos ωt) of x and of y, so
/// its minima are the pairs of one-dimensional minima of h: t = 0 (the
/// global minimum, 0 at the origin) and one near each nonzero multiple of P
/// where the bump's slope Aω can still hold the bowl's 2bt back, pulled
/// slightly towards 0. In the view [−5, 5]² those are t ≈ ±1.888 and
/// ±3.760, so there are 24 local minima besides the global one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bumpy;

impl Bumpy {
    /// Gradient-noise σ at batch size 1, about 0.4 of the median gradient
    /// norm in the view: runs visibly shake inside their pit.
    pub fn noise_scale(&self) -> f64 {
        0.5
    }

    /// h′(t) and h″(t) of the one-dimensional profile.
    fn profile_slope_and_curvature(t: f64) -> (f64, f64) {
        let omega = std::f64::consts::TAU / PERIOD;
        let (sin, cos) = (omega * t).sin_cos();
        (
            2.0 * BOWL * t + BUMP * omega * sin,
            2.0 * BOWL + BUMP * omega * omega * cos,
        )
    }

    /// The one-dimensional minima of h inside the view, nearest to 0 first.
    fn profile_minima() -> Vec<f64> {
        let mut found = vec![0.0];
        let last = (HALF_WIDTH / PERIOD).floor() as i32;
        for k in 1..=last {
            for sign in [1.0, -1.0] {
                let mut t = sign * k as f64 * PERIOD;
                for _ in 0..50 {
                    let (slope, curvature) = Bumpy::profile_slope_and_curvature(t);
                    let step = slope / curvature;
                    t -= step;
                    if step.abs() < 1e-15 {
                        break;
                    }
                }
                let (slope, curvature) = Bumpy::profile_slope_and_curvature(t);
                // Keep only true minima that stayed in this pit and the view.
                let in_pit = (t - sign * k as f64 * PERIOD).abs() < 0.5 * PERIOD;
                if slope.abs() < 1e-12 && curvature > 0.0 && in_pit && t.abs() <= HALF_WIDTH {
                    found.push(t);
                }
            }
        }
        found
    }
}

impl Objective for Bumpy {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        let omega = std::f64::consts::TAU / PERIOD;
        BOWL * (x * x + y * y) + BUMP * (2.0 - (omega * x).cos() - (omega * y).cos())
    }

    /// f(x, y) = g(x) + g(y) is separable: one cosine per column and per
    /// row instead of two per cell keeps the heatmap within its budget.
    fn fill_grid(&self, view: Bounds, columns: usize, rows: usize, out: &mut [f64]) {
        let omega = std::f64::consts::TAU / PERIOD;
        let profile = |t: f64| BOWL * t * t + BUMP * (1.0 - (omega * t).cos());
        let dx = view.width() / columns as f64;
        let dy = view.height() / rows as f64;
        let along_x: Vec<f64> = (0..columns)
            .map(|c| profile(view.x_min + (c as f64 + 0.5) * dx))
            .collect();
        for (row, line) in out.chunks_mut(columns.max(1)).take(rows).enumerate() {
            let gy = profile(view.y_max - (row as f64 + 0.5) * dy);
            for (cell, gx) in line.iter_mut().zip(&along_x) {
                *cell = gx + gy;
            }
        }
    }

    fn gradient(&self, p: Point) -> Point {
        [
            Bumpy::profile_slope_and_curvature(p[0]).0,
            Bumpy::profile_slope_and_curvature(p[1]).0,
        ]
    }

    fn hessian(&self, p: Point) -> Hessian {
        [
            [Bumpy::profile_slope_and_curvature(p[0]).1, 0.0],
            [0.0, Bumpy::profile_slope_and_curvature(p[1]).1],
        ]
    }

    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -HALF_WIDTH,
            x_max: HALF_WIDTH,
            y_min: -HALF_WIDTH,
            y_max: HALF_WIDTH,
        }
    }

    /// Every minimum in the view, lowest first: the global one at the
    /// origin, then the local ones (pairs of one-dimensional minima).
    fn minima(&self) -> Vec<Point> {
        let profile = Bumpy::profile_minima();
        let mut all = Vec::with_capacity(profile.len() * profile.len());
        for &x in &profile {
            for &y in &profile {
                all.push([x, y]);
            }
        }
        all.sort_by(|a, b| self.value(*a).total_cmp(&self.value(*b)));
        all
    }

    /// In an outer pit: SGD settles there, momentum rolls on towards the
    /// centre.
    fn default_start(&self) -> Point {
        [-4.3, 4.5]
    }
}
