//! Rosenbrock's banana valley: easy to find, slow to follow.

use super::{Bounds, Hessian, Objective, Point};

/// f(x, y) = (a − x)² + b(y − x²)² with a = 1, b = 100.
///
/// A curved valley along y = x² whose floor falls gently to the one minimum,
/// 0 at (a, a²) = (1, 1), where the Hessian's condition number is about 2500.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rosenbrock {
    a: f64,
    b: f64,
}

impl Default for Rosenbrock {
    fn default() -> Self {
        Rosenbrock { a: 1.0, b: 100.0 }
    }
}

impl Rosenbrock {
    /// Gradient-noise σ at batch size 1. The walls are steep (gradients in the
    /// hundreds) but runs spend their time on the valley floor, where the
    /// gradient is a few units; σ = 20 jostles them across the floor without
    /// throwing them out of the valley.
    pub fn noise_scale(&self) -> f64 {
        20.0
    }
}

impl Objective for Rosenbrock {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        let dx = self.a - x;
        let dy = y - x * x;
        dx * dx + self.b * dy * dy
    }

    fn gradient(&self, p: Point) -> Point {
        let [x, y] = p;
        let dy = y - x * x;
        [
            -2.0 * (self.a - x) - 4.0 * self.b * x * dy,
            2.0 * self.b * dy,
        ]
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [x, y] = p;
        let hxx = 2.0 - 4.0 * self.b * y + 12.0 * self.b * x * x;
        let hxy = -4.0 * self.b * x;
        [[hxx, hxy], [hxy, 2.0 * self.b]]
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
        vec![[self.a, self.a * self.a]]
    }

    /// Rosenbrock's own start, on the far side of the valley's bend.
    fn default_start(&self) -> Point {
        [-1.2, 1.0]
    }
}
