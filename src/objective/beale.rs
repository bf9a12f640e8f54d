//! Beale's function: a narrow curved valley between flat shoulders and
//! steep corners.

use super::{Bounds, Hessian, Objective, Point};

/// The constants c₁, c₂, c₃ of the three squared terms.
const C: [f64; 3] = [1.5, 2.25, 2.625];

/// f(x, y) = Σₖ (cₖ − x + x yᵏ)² for k = 1, 2, 3 with c = (1.5, 2.25, 2.625).
///
/// Each term vanishes at (3, ½), the one minimum (value 0). Along x = 0 the
/// function is a flat 14.2, and the y³ term makes the corners very steep.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Beale;

impl Beale {
    /// The residuals tₖ = cₖ − x + x yᵏ and powers yᵏ for k = 1, 2, 3.
    fn residuals(x: f64, y: f64) -> ([f64; 3], [f64; 3]) {
        let powers = [y, y * y, y * y * y];
        let t = [
            C[0] - x + x * powers[0],
            C[1] - x + x * powers[1],
            C[2] - x + x * powers[2],
        ];
        (t, powers)
    }

    /// Gradient-noise σ at batch size 1: a tenth of the gradient at the start;
    /// it shows most on the valley floor, where gradients are a few units.
    pub fn noise_scale(&self) -> f64 {
        10.0
    }
}

impl Objective for Beale {
    fn value(&self, p: Point) -> f64 {
        let (t, _) = Beale::residuals(p[0], p[1]);
        t[0] * t[0] + t[1] * t[1] + t[2] * t[2]
    }

    fn gradient(&self, p: Point) -> Point {
        let [x, y] = p;
        let (t, yk) = Beale::residuals(x, y);
        // ∂tₖ/∂x = yᵏ − 1 and ∂tₖ/∂y = k x yᵏ⁻¹.
        let dty = [x, 2.0 * x * y, 3.0 * x * yk[1]];
        let mut g = [0.0, 0.0];
        for k in 0..3 {
            g[0] += 2.0 * t[k] * (yk[k] - 1.0);
            g[1] += 2.0 * t[k] * dty[k];
        }
        g
    }

    fn hessian(&self, p: Point) -> Hessian {
        let [x, y] = p;
        let (t, yk) = Beale::residuals(x, y);
        let dtx = [yk[0] - 1.0, yk[1] - 1.0, yk[2] - 1.0];
        let dty = [x, 2.0 * x * y, 3.0 * x * yk[1]];
        // ∂²tₖ/∂x² = 0, ∂²tₖ/∂x∂y = k yᵏ⁻¹, ∂²tₖ/∂y² = k(k−1) x yᵏ⁻².
        let dtxy = [1.0, 2.0 * y, 3.0 * yk[1]];
        let dtyy = [0.0, 2.0 * x, 6.0 * x * y];
        let (mut hxx, mut hxy, mut hyy) = (0.0, 0.0, 0.0);
        for k in 0..3 {
            hxx += 2.0 * dtx[k] * dtx[k];
            hxy += 2.0 * (dtx[k] * dty[k] + t[k] * dtxy[k]);
            hyy += 2.0 * (dty[k] * dty[k] + t[k] * dtyy[k]);
        }
        [[hxx, hxy], [hxy, hyy]]
    }

    /// The customary search square [−4.5, 4.5]².
    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -4.5,
            x_max: 4.5,
            y_min: -4.5,
            y_max: 4.5,
        }
    }

    fn minima(&self) -> Vec<Point> {
        vec![[3.0, 0.5]]
    }

    fn default_start(&self) -> Point {
        [1.0, 1.5]
    }
}
