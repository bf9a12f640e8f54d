//! Two-dimensional loss surfaces: value, analytic gradient and Hessian,
//! display bounds and known minima.
//!
//! Everything that optimizes or draws a surface talks to it through the
//! [`Objective`] trait, so a typed-in expression is a surface like any other.

/// A point (x, y) of the plane.
pub type Point = [f64; 2];

/// A symmetric 2×2 matrix, row-major: [[fxx, fxy], [fxy, fyy]].
pub type Hessian = [[f64; 2]; 2];

/// The rectangle of the plane a surface is shown in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

impl Bounds {
    pub fn contains(&self, p: Point) -> bool {
        p[0] >= self.x_min && p[0] <= self.x_max && p[1] >= self.y_min && p[1] <= self.y_max
    }

    pub fn width(&self) -> f64 {
        self.x_max - self.x_min
    }

    pub fn height(&self) -> f64 {
        self.y_max - self.y_min
    }
}

/// A twice-differentiable function of two variables.
pub trait Objective {
    fn value(&self, p: Point) -> f64;
    fn gradient(&self, p: Point) -> Point;
    fn hessian(&self, p: Point) -> Hessian;
    /// The view rectangle in which the surface is interesting.
    fn bounds(&self) -> Bounds;
    /// Known minima (global first); empty if none are known in closed form.
    fn minima(&self) -> Vec<Point>;
    /// A start point that shows the surface's lesson.
    fn default_start(&self) -> Point;

    /// Values at the centres of a `columns` × `rows` grid of cells over
    /// `view`, row-major, the top row (y near `y_max`) first, as in an
    /// image. `out` must hold `columns * rows` values. Surfaces with a
    /// faster batched path (typed expressions) override it.
    fn fill_grid(&self, view: Bounds, columns: usize, rows: usize, out: &mut [f64]) {
        let dx = view.width() / columns as f64;
        let dy = view.height() / rows as f64;
        for (row, line) in out.chunks_mut(columns.max(1)).take(rows).enumerate() {
            let y = view.y_max - (row as f64 + 0.5) * dy;
            for (column, cell) in line.iter_mut().enumerate() {
                *cell = self.value([view.x_min + (column as f64 + 0.5) * dx, y]);
            }
        }
    }
}

pub mod expr;

mod beale;
mod bumpy;
mod himmelblau;
mod monkey;
mod noise;
mod plateau;
mod quadratic;
mod rosenbrock;
mod saddle;
mod surface;

pub use beale::Beale;
pub use bumpy::Bumpy;
pub use himmelblau::Himmelblau;
pub use monkey::MonkeySaddle;
pub use noise::{suggested_noise_scale, GradientNoise, NoisyObjective};
pub use plateau::Plateau;
pub use quadratic::{
    Quadratic, DEFAULT_CONDITION, DEFAULT_ROTATION_DEG, MAX_CONDITION, MAX_ROTATION_DEG,
};
pub use rosenbrock::Rosenbrock;
pub use saddle::Saddle;
pub use surface::Surface;
