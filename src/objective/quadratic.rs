//! The ill-conditioned bowl: the lecture's picture of why plain SGD zig-zags.

use super::{Bounds, Hessian, Objective, Point};
use crate::error::{check_in, Result};

/// Condition number shown when none is chosen: large enough for SGD to
/// zig-zag visibly, small enough for it to still arrive.
pub const DEFAULT_CONDITION: f64 = 20.0;

/// Rotation shown when none is chosen: axis-aligned, as on the lecture slide.
pub const DEFAULT_ROTATION_DEG: f64 = 0.0;

/// The largest condition number accepted (beyond it the flat direction
/// barely moves within any run the lab can show).
pub const MAX_CONDITION: f64 = 1000.0;

/// The largest rotation magnitude accepted, in degrees.
pub const MAX_ROTATION_DEG: f64 = 360.0;

/// The steep curvature λ₂. Fixing it (rather than the flat one) keeps the
/// stability limit of gradient descent at lr < 2/λ₂ = 2 for every κ, so a
/// learning rate chosen once stays meaningful while κ is changed.
const STEEP_CURVATURE: f64 = 1.0;

/// Half-width of the square view.
const HALF_WIDTH: f64 = 2.0;

/// f(x, y) = ½(λ₁u² + λ₂v²), where (u, v) are the coordinates of (x, y)
/// along the bowl's axes, turned by θ from the x and y axes.
///
/// λ₂ = 1 and λ₁ = 1/κ: the flat axis u points along (cos θ, sin θ), the
/// steep axis v along (−sin θ, cos θ). The minimum is 0 at the origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Quadratic {
    condition: f64,
    rotation_deg: f64,
    /// The constant Hessian, kept so value and gradient are a few products.
    hessian: Hessian,
    cos: f64,
    sin: f64,
}

impl Quadratic {
    /// A bowl with condition number `condition` = λ₂/λ₁ (1 to 1000) turned
    /// by `rotation_deg` degrees counter-clockwise (−360 to 360).
    pub fn new(condition: f64, rotation_deg: f64) -> Result<Self> {
        check_in("condition number", condition, 1.0, MAX_CONDITION)?;
        check_in(
            "rotation",
            rotation_deg,
            -MAX_ROTATION_DEG,
            MAX_ROTATION_DEG,
        )?;
        let (sin, cos) = rotation_deg.to_radians().sin_cos();
        let flat = STEEP_CURVATURE / condition;
        let steep = STEEP_CURVATURE;
        // H = λ₁ e_u e_uᵀ + λ₂ e_v e_vᵀ with e_u = (c, s), e_v = (−s, c).
        let hxx = flat * cos * cos + steep * sin * sin;
        let hyy = flat * sin * sin + steep * cos * cos;
        let hxy = (flat - steep) * cos * sin;
        Ok(Quadratic {
            condition,
            rotation_deg,
            hessian: [[hxx, hxy], [hxy, hyy]],
            cos,
            sin,
        })
    }

    /// The condition number κ = λ₂/λ₁.
    pub fn condition(&self) -> f64 {
        self.condition
    }

    /// The rotation θ of the bowl's flat axis from the x axis, in degrees.
    pub fn rotation_deg(&self) -> f64 {
        self.rotation_deg
    }

    /// The two curvatures (λ₁, λ₂) along the flat and the steep axis.
    pub fn curvatures(&self) -> (f64, f64) {
        (STEEP_CURVATURE / self.condition, STEEP_CURVATURE)
    }

    /// Gradient-noise σ at batch size 1: a fifth of the median gradient norm
    /// in the view. Kept this small because SGD's stationary spread along an
    /// axis of curvature λ grows like lr·σ²/λ, and the flat axis is shallow.
    pub fn noise_scale(&self) -> f64 {
        0.2
    }
}

impl Default for Quadratic {
    fn default() -> Self {
        Quadratic::new(DEFAULT_CONDITION, DEFAULT_ROTATION_DEG)
            .expect("the default condition number and rotation are valid")
    }
}

impl Objective for Quadratic {
    fn value(&self, p: Point) -> f64 {
        let [[hxx, hxy], [_, hyy]] = self.hessian;
        let [x, y] = p;
        0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)
    }

    fn gradient(&self, p: Point) -> Point {
        let [[hxx, hxy], [_, hyy]] = self.hessian;
        let [x, y] = p;
        [hxx * x + hxy * y, hxy * x + hyy * y]
    }

    fn hessian(&self, _p: Point) -> Hessian {
        self.hessian
    }

    fn bounds(&self) -> Bounds {
        Bounds {
            x_min: -HALF_WIDTH,
            x_max: HALF_WIDTH,
            y_min: -HALF_WIDTH,
            y_max: HALF_WIDTH,
        }
    }

    fn minima(&self) -> Vec<Point> {
        vec![[0.0, 0.0]]
    }

    /// Far out along the flat axis and part way up the steep walls, turned
    /// with the bowl, so every rotation starts from the same place relative
    /// to it (|start| = 1.79 keeps it inside the view at any angle).
    fn default_start(&self) -> Point {
        let (u, v) = (-1.6, 0.8);
        [self.cos * u - self.sin * v, self.sin * u + self.cos * v]
    }
}
