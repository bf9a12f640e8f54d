//! Himmelblau's function: four equal minima, so where a run ends depends on
//! where it starts and how it moves.

use super::{Bounds, Hessian, Objective, Point};

/// f(x, y) = (x² + y − 11)² + (x + y² − 7)².
///
/// Four minima, all with value 0: (3, 2) and, to six decimals,
/// (−2.805118, 3.131312), (−3.779310, −3.283186), (3.584428, −1.848126).
/// A local maximum sits near (−0.270845, −0.923039).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Himmelblau;

impl Himmelblau {
    /// Gradient-noise σ at batch size 1: about 0.4 of the gradient at the
    /// start and an eighth of the median in the view (the rim is steep).
    pub fn noise_scale(&self) -> f64 {
        10.0
    }
}

impl Objective for Himmelblau {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        a * a + b * b
    }

    fn gradient(&self, p: Point) -> Point {
        let [x, y] = p;
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [x, y] = p;
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        let hxy = 4.0 * (x + y);
        [
            [4.0 * a + 8.0 * x * x + 2.0, hxy],
            [hxy, 4.0 * b + 8.0 * y * y + 2.0],
        ]
    }

    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -5.0,
            x_max: 5.0,
            y_min: -5.0,
            y_max: 5.0,
        }
    }

    /// The four minima; the three irrational ones were solved to full double
    /// precision with Newton's method (the tests check they are stationary).
    fn minima(&self) -> Vec<Point> {
        vec![
            [3.0, 2.0],
            [-2.805_118_086_952_745, 3.131_312_518_250_573],
            [-3.779_310_253_377_747, -3.283_185_991_286_17],
            [3.584_428_340_330_492, -1.848_126_526_964_403],
        ]
    }

    fn default_start(&self) -> Point {
        [0.0, 0.0]
    }
}
