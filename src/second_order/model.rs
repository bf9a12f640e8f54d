//! The local quadratic model Newton's method minimizes, and what its Hessian
//! says about the surface: eigenvalues, eigenvectors, conditioning, shape.
//!
//! m(p) = f + gᵀ(p − x) + ½ (p − x)ᵀ H (p − x)

use crate::error::{Error, Result};
use crate::objective::{Bounds, Hessian, Objective, Point};

use super::vec2::{add_scaled, dot, is_finite, sub};

/// Eigenvalues below this fraction of the largest one (in magnitude) count as
/// zero: the matrix is then treated as singular (condition number above 1e12).
pub const SINGULAR_RELATIVE_TOLERANCE: f64 = 1e-12;

/// Eigen-decomposition of a symmetric 2×2 matrix: H = Σ λᵢ vᵢ vᵢᵀ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SymmetricEigen {
    /// The eigenvalues in ascending order.
    pub values: [f64; 2],
    /// Orthonormal eigenvectors; `vectors[i]` belongs to `values[i]`.
    pub vectors: [Point; 2],
}

/// What the quadratic model looks like around its stationary point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curvature {
    /// Both eigenvalues positive: a bowl; Newton's target is its bottom.
    MinimumLike,
    /// Eigenvalues of opposite signs: plain Newton jumps to the saddle.
    Saddle,
    /// Both eigenvalues negative: a dome; plain Newton climbs to its top.
    MaximumLike,
    /// An eigenvalue is (numerically) zero: a valley or ridge without a
    /// unique stationary point; the Newton step is undefined.
    Degenerate,
}

impl Curvature {
    /// A short machine name for the UI.
    pub fn name(&self) -> &'static str {
        match self {
            Curvature::MinimumLike => "minimum",
            Curvature::Saddle => "saddle",
            Curvature::MaximumLike => "maximum",
            Curvature::Degenerate => "degenerate",
        }
    }
}

/// Eigenvalues and eigenvectors of the symmetric matrix [[a, b], [b, d]]
/// (the off-diagonal is read from `h[0][1]`), in closed form.
///
/// The eigenvalue of larger magnitude is m ± r with m = (a + d)/2 and
/// r = hypot((a − d)/2, b), taken with the sign of m so nothing cancels; the
/// other is det / (that one), with the determinant formed by Kahan's
/// fused-multiply-add trick, so a tiny eigenvalue keeps its relative accuracy.
/// The eigenvectors come from the rotation angle θ = ½ atan2(2b, a − d),
/// which makes them orthonormal by construction.
pub fn symmetric_eigen(h: &Hessian) -> SymmetricEigen {
    let (a, b, d) = (h[0][0], h[0][1], h[1][1]);
    let mean = 0.5 * (a + d);
    let radius = (0.5 * (a - d)).hypot(b);
    let det = kahan_determinant(a, b, d);
    let (mut low, mut high) = if mean >= 0.0 {
        let high = mean + radius;
        let low = if high != 0.0 && det.is_finite() {
            det / high
        } else {
            mean - radius
        };
        (low, high)
    } else {
        let low = mean - radius;
        let high = if det.is_finite() {
            det / low
        } else {
            mean + radius
        };
        (low, high)
    };
    if low > high {
        // Only rounding can get here (a nearly repeated eigenvalue).
        std::mem::swap(&mut low, &mut high);
    }
    let theta = 0.5 * (2.0 * b).atan2(a - d);
    let (sin, cos) = theta.sin_cos();
    SymmetricEigen {
        values: [low, high],
        vectors: [[-sin, cos], [cos, sin]],
    }
}

/// a·d − b·b with one rounding error instead of a catastrophic cancellation.
fn kahan_determinant(a: f64, b: f64, d: f64) -> f64 {
    let bb = b * b;
    let bb_error = (-b).mul_add(b, bb);
    a.mul_add(d, -bb) + bb_error
}

impl SymmetricEigen {
    /// The largest eigenvalue magnitude (the matrix's spectral norm).
    pub fn spectral_norm(&self) -> f64 {
        self.values[0].abs().max(self.values[1].abs())
    }

    /// Whether an eigenvalue is zero relative to the largest one (or the
    /// matrix is zero).
    pub fn is_singular(&self) -> bool {
        let scale = self.spectral_norm();
        scale == 0.0
            || !scale.is_finite()
            || self.values[0].abs().min(self.values[1].abs()) <= SINGULAR_RELATIVE_TOLERANCE * scale
    }

    /// |λ|max / |λ|min: how elongated the contours are. Infinite when
    /// singular; for an indefinite matrix it is still the ratio of magnitudes.
    pub fn condition_number(&self) -> f64 {
        let smallest = self.values[0].abs().min(self.values[1].abs());
        if smallest == 0.0 {
            f64::INFINITY
        } else {
            self.spectral_norm() / smallest
        }
    }

    /// The shape of the quadratic form, by the signs of the eigenvalues.
    pub fn classify(&self) -> Curvature {
        if self.is_singular() {
            Curvature::Degenerate
        } else if self.values[0] > 0.0 {
            Curvature::MinimumLike
        } else if self.values[1] < 0.0 {
            Curvature::MaximumLike
        } else {
            Curvature::Saddle
        }
    }

    /// Solves M z = v where M has these eigenvectors and the eigenvalues
    /// `mu` (which may be modified ones): z = Σ (vᵢᵀv / μᵢ) vᵢ.
    pub(crate) fn solve_with(&self, mu: [f64; 2], v: Point) -> Point {
        let c0 = dot(self.vectors[0], v) / mu[0];
        let c1 = dot(self.vectors[1], v) / mu[1];
        add_scaled(
            [c0 * self.vectors[0][0], c0 * self.vectors[0][1]],
            c1,
            self.vectors[1],
        )
    }
}

/// The second-order Taylor model of a surface at a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuadraticModel {
    /// The expansion point x.
    pub center: Point,
    /// f(x).
    pub value: f64,
    /// ∇f(x).
    pub gradient: Point,
    /// ∇²f(x) (symmetric).
    pub hessian: Hessian,
}

impl QuadraticModel {
    /// The model of `f` at `x` (one value, gradient and Hessian evaluation).
    pub fn at(f: &dyn Objective, x: Point) -> Result<Self> {
        if !is_finite(x) {
            return Err(Error::new(format!(
                "the model's center must be a finite point, got ({}, {})",
                x[0], x[1]
            )));
        }
        let model = QuadraticModel {
            center: x,
            value: f.value(x),
            gradient: f.gradient(x),
            hessian: f.hessian(x),
        };
        let h = model.hessian;
        if !model.value.is_finite()
            || !is_finite(model.gradient)
            || !is_finite(h[0])
            || !is_finite(h[1])
        {
            return Err(Error::new(format!(
                "the surface's value, gradient or Hessian is not finite at ({}, {})",
                x[0], x[1]
            )));
        }
        Ok(model)
    }

    /// m(p) = f + gᵀ(p − x) + ½ (p − x)ᵀ H (p − x).
    pub fn value_at(&self, p: Point) -> f64 {
        let d = sub(p, self.center);
        let h = &self.hessian;
        let hd = [
            h[0][0] * d[0] + h[0][1] * d[1],
            h[0][1] * d[0] + h[1][1] * d[1],
        ];
        self.value + dot(self.gradient, d) + 0.5 * dot(d, hd)
    }

    /// The model at each of `points`, in order.
    pub fn values_at(&self, points: &[Point]) -> Vec<f64> {
        points.iter().map(|&p| self.value_at(p)).collect()
    }

    /// The model on a `columns` × `rows` grid spanning `bounds`, row-major:
    /// entry `r * columns + c` is at x = x_min + c·width/(columns − 1),
    /// y = y_min + r·height/(rows − 1) (row 0 is the bottom edge, y_min).
    pub fn values_on_grid(&self, bounds: Bounds, columns: usize, rows: usize) -> Result<Vec<f64>> {
        for (name, n) in [("grid columns", columns), ("grid rows", rows)] {
            if !(2..=4096).contains(&n) {
                return Err(Error::new(format!(
                    "{name} must be between 2 and 4096, got {n}"
                )));
            }
        }
        let finite = [bounds.x_min, bounds.x_max, bounds.y_min, bounds.y_max]
            .iter()
            .all(|v| v.is_finite());
        if !finite || bounds.width() <= 0.0 || bounds.height() <= 0.0 {
            return Err(Error::new(format!(
                "grid bounds must be finite with min below max, got x {}..{}, y {}..{}",
                bounds.x_min, bounds.x_max, bounds.y_min, bounds.y_max
            )));
        }
        let dx = bounds.width() / (columns - 1) as f64;
        let dy = bounds.height() / (rows - 1) as f64;
        let mut values = Vec::with_capacity(columns * rows);
        for r in 0..rows {
            let y = bounds.y_min + r as f64 * dy;
            for c in 0..columns {
                values.push(self.value_at([bounds.x_min + c as f64 * dx, y]));
            }
        }
        Ok(values)
    }

    /// Eigenvalues and eigenvectors of the Hessian.
    pub fn eigen(&self) -> SymmetricEigen {
        symmetric_eigen(&self.hessian)
    }

    /// |λ|max / |λ|min of the Hessian (infinite when singular).
    pub fn condition_number(&self) -> f64 {
        self.eigen().condition_number()
    }

    /// The shape of the model: bowl, saddle, dome or degenerate.
    pub fn classify(&self) -> Curvature {
        self.eigen().classify()
    }

    /// The plain Newton step −H⁻¹g, or `None` when H is singular.
    pub fn newton_step(&self) -> Option<Point> {
        let eigen = self.eigen();
        if eigen.is_singular() {
            return None;
        }
        let z = eigen.solve_with(eigen.values, self.gradient);
        let step = [-z[0], -z[1]];
        is_finite(step).then_some(step)
    }

    /// The model's stationary point x − H⁻¹g (where plain Newton jumps), or
    /// `None` when H is singular. It is the model's minimum only when the
    /// model is [`Curvature::MinimumLike`].
    pub fn stationary_point(&self) -> Option<Point> {
        self.newton_step().map(|s| add_scaled(self.center, 1.0, s))
    }
}
