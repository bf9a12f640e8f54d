//! A plateau ending in a cliff: tiny gradients far from the goal.

use super::{Bounds, Hessian, Objective, Point};

/// Height of the plateau above the basin floor.
const HEIGHT: f64 = 1.0;
/// Where the cliff is (its steepest point), on the x axis.
const CLIFF_X: f64 = 0.0;
/// Width of the cliff; its steepest slope is HEIGHT / (2 WIDTH).
const CLIFF_WIDTH: f64 = 0.4;
/// Weight of the very shallow bowl that tilts the plateau towards the cliff.
const TILT: f64 = 0.01;
/// Centre of that bowl, beyond the cliff.
const BASIN_X: f64 = 1.5;

/// f(x, y) = H·½(1 − tanh((x − c)/w)) + ε((x − x₀)² + y²)
/// with H = 1, c = 0, w = 0.4, ε = 0.01, x₀ = 1.5.
///
/// Left of the cliff the surface is almost flat: the tanh contributes
/// nothing and the shallow bowl a slope of at most 2ε·|x − x₀| ≈ 0.1, so
/// plain SGD crawls while adaptive methods, which divide by the gradient's
/// size, walk at the pace of their learning rate. The cliff (slope up to
/// 1.25) drops the plateau by H into the basin, whose single minimum lies on
/// the x axis a little right of x₀, at x ≈ 1.589 (where the cliff's tail balances
/// the bowl).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Plateau;

impl Plateau {
    /// Gradient-noise σ at batch size 1: as large as the plateau's slope, so
    /// at batch size 1 noisy SGD half wanders there; larger batches steady it.
    pub fn noise_scale(&self) -> f64 {
        0.1
    }

    /// The cliff's s = tanh((x − c)/w) and its derivative factor 1 − s².
    fn cliff(x: f64) -> (f64, f64) {
        let s = ((x - CLIFF_X) / CLIFF_WIDTH).tanh();
        (s, 1.0 - s * s)
    }

    /// ∂f/∂x and ∂²f/∂x² on the x axis, for solving the minimum.
    fn slope_and_curvature(x: f64) -> (f64, f64) {
        let (s, sech2) = Plateau::cliff(x);
        let slope = -HEIGHT * sech2 / (2.0 * CLIFF_WIDTH) + 2.0 * TILT * (x - BASIN_X);
        let curvature = HEIGHT * s * sech2 / (CLIFF_WIDTH * CLIFF_WIDTH) + 2.0 * TILT;
        (slope, curvature)
    }
}

impl Objective for Plateau {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        let s = ((x - CLIFF_X) / CLIFF_WIDTH).tanh();
        let dx = x - BASIN_X;
        0.5 * HEIGHT * (1.0 - s) + TILT * (dx * dx + y * y)
    }

    fn gradient(&self, p: Point) -> Point {
        let (slope, _) = Plateau::slope_and_curvature(p[0]);
        [slope, 2.0 * TILT * p[1]]
    }

    fn hessian(&self, p: Point) -> Hessian {
        let (_, curvature) = Plateau::slope_and_curvature(p[0]);
        [[curvature, 0.0], [0.0, 2.0 * TILT]]
    }

    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -4.0,
            x_max: 3.0,
            y_min: -3.5,
            y_max: 3.5,
        }
    }

    /// The one minimum, solved by Newton's method along the x axis (the
    /// slope is increasing right of the cliff, so it converges from x₀).
    fn minima(&self) -> Vec<Point> {
        let mut x = BASIN_X;
        for _ in 0..50 {
            let (slope, curvature) = Plateau::slope_and_curvature(x);
            let step = slope / curvature;
            x -= step;
            if step.abs() < 1e-15 {
                break;
            }
        }
        vec![[x, 0.0]]
    }

    /// Far out on the plateau, off the axis.
    fn default_start(&self) -> Point {
        [-3.5, 2.0]
    }
}
