//! A monkey saddle held up by a gentle quartic: three valleys meet at a flat
//! saddle point.

use super::{Bounds, Hessian, Objective, Point};

/// f(x, y) = x³ − 3xy² + ¾(x² + y²)².
///
/// In polar form f = r³ cos 3φ + ¾ r⁴: the cubic monkey saddle has three
/// downhill directions (φ = 60°, 180°, 300°), and the quartic bounds it below.
/// Along each downhill direction f = −r³ + ¾r⁴, least at r = 1, so the three
/// minima are (−1, 0), (½, ±√3⁄2), all with value −¼ (curvature 3 radially
/// and 9 around). The origin is a degenerate saddle: there the gradient and
/// the Hessian both vanish, so gradient descent slows to a crawl near it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MonkeySaddle;

/// Weight of the quartic; it puts the minima at radius 3/(4c) = 1.
const QUARTIC: f64 = 0.75;

impl MonkeySaddle {
    /// Gradient-noise σ at batch size 1, about a quarter of the median gradient
    /// norm in the view; it also decides which valley a run near the ridge takes.
    pub fn noise_scale(&self) -> f64 {
        1.5
    }
}

impl Objective for MonkeySaddle {
    fn value(&self, p: Point) -> f64 {
        let [x, y] = p;
        let r2 = x * x + y * y;
        x * (x * x - 3.0 * y * y) + QUARTIC * r2 * r2
    }

    fn gradient(&self, p: Point) -> Point {
        let [x, y] = p;
        let r2 = x * x + y * y;
        // ∂(c r⁴)/∂x = 4c r² x.
        let q = 4.0 * QUARTIC * r2;
        [3.0 * (x * x - y * y) + q * x, -6.0 * x * y + q * y]
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [x, y] = p;
        let r2 = x * x + y * y;
        let c4 = 4.0 * QUARTIC;
        let hxx = 6.0 * x + c4 * (r2 + 2.0 * x * x);
        let hyy = -6.0 * x + c4 * (r2 + 2.0 * y * y);
        let hxy = -6.0 * y + 2.0 * c4 * x * y;
        [[hxx, hxy], [hxy, hyy]]
    }

    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -1.6,
            x_max: 1.6,
            y_min: -1.6,
            y_max: 1.6,
        }
    }

    /// The three minima, all global (value −¼).
    fn minima(&self) -> Vec<Point> {
        let half_root3 = 0.75f64.sqrt();
        vec![[-1.0, 0.0], [0.5, half_root3], [0.5, -half_root3]]
    }

    /// On the ridge that runs into the saddle (the positive x axis), just off
    /// it: a run slides to the flat saddle point, lingers, then falls into the
    /// upper valley.
    fn default_start(&self) -> Point {
        [1.4, 0.08]
    }
}
