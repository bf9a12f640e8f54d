//! The classic saddle: downhill in one direction, uphill in the other.

use super::{Bounds, Hessian, Objective, Point};

/// f(x, y) = x² − y²: the gradient vanishes at the origin, yet it is no
/// minimum. It has no minimum at all, so every run eventually leaves the view.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Saddle;

impl Saddle {
    /// Gradient-noise σ at batch size 1, about a third of the median gradient
    /// norm in the view; noise is also what knocks a run off the unstable axis.
    pub fn noise_scale(&self) -> f64 {
        1.0
    }
}

impl Objective for Saddle {
    fn value(&self, p: Point) -> f64 {
        p[0] * p[0] - p[1] * p[1]
    }

    fn gradient(&self, p: Point) -> Point {
        [2.0 * p[0], -2.0 * p[1]]
    }

    fn hessian(&self, _p: Point) -> Hessian {
        [[2.0, 0.0], [0.0, -2.0]]
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

    /// Almost on the stable axis: a run first slides towards the saddle
    /// point, slows down near it, and only then escapes along y.
    fn default_start(&self) -> Point {
        [-1.8, 0.02]
    }
}
