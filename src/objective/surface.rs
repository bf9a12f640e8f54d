//! The built-in surfaces behind one type, chosen by machine name.

use super::{
    Beale, Bounds, Bumpy, Hessian, Himmelblau, MonkeySaddle, Objective, Plateau, Point, Quadratic,
    Rosenbrock, Saddle,
};
use crate::error::{Error, Result};

/// One of the built-in loss surfaces; implements [`Objective`] by delegating.
#[derive(Clone, Debug, PartialEq)]
pub enum Surface {
    Quadratic(Quadratic),
    Saddle(Saddle),
    Monkey(MonkeySaddle),
    Rosenbrock(Rosenbrock),
    Beale(Beale),
    Himmelblau(Himmelblau),
    Bumpy(Bumpy),
    Plateau(Plateau),
}

impl Surface {
    /// The machine names (used by the JS API and in URLs), in menu order.
    pub const NAMES: &'static [&'static str] = &[
        "quadratic",
        "saddle",
        "monkey",
        "rosenbrock",
        "beale",
        "himmelblau",
        "bumpy",
        "plateau",
    ];

    /// The surface called `name`, with default settings.
    pub fn from_name(name: &str) -> Result<Surface> {
        let surface = match name {
            "quadratic" => Surface::Quadratic(Quadratic::default()),
            "saddle" => Surface::Saddle(Saddle),
            "monkey" => Surface::Monkey(MonkeySaddle),
            "rosenbrock" => Surface::Rosenbrock(Rosenbrock::default()),
            "beale" => Surface::Beale(Beale),
            "himmelblau" => Surface::Himmelblau(Himmelblau),
            "bumpy" => Surface::Bumpy(Bumpy),
            "plateau" => Surface::Plateau(Plateau),
            _ => {
                return Err(Error::new(format!(
                    "surface must be one of {}, got \"{name}\"",
                    Surface::NAMES.join(", ")
                )))
            }
        };
        Ok(surface)
    }

    /// The ill-conditioned bowl with condition number `condition` (1 to
    /// 1000) turned by `rotation_deg` degrees.
    pub fn quadratic(condition: f64, rotation_deg: f64) -> Result<Surface> {
        Ok(Surface::Quadratic(Quadratic::new(condition, rotation_deg)?))
    }

    /// This surface's machine name (one of [`Surface::NAMES`]).
    pub fn name(&self) -> &'static str {
        match self {
            Surface::Quadratic(_) => "quadratic",
            Surface::Saddle(_) => "saddle",
            Surface::Monkey(_) => "monkey",
            Surface::Rosenbrock(_) => "rosenbrock",
            Surface::Beale(_) => "beale",
            Surface::Himmelblau(_) => "himmelblau",
            Surface::Bumpy(_) => "bumpy",
            Surface::Plateau(_) => "plateau",
        }
    }

    /// The gradient-noise σ at batch size 1 that shows noise clearly in this
    /// surface's view without drowning the gradient.
    pub fn noise_scale(&self) -> f64 {
        match self {
            Surface::Quadratic(s) => s.noise_scale(),
            Surface::Saddle(s) => s.noise_scale(),
            Surface::Monkey(s) => s.noise_scale(),
            Surface::Rosenbrock(s) => s.noise_scale(),
            Surface::Beale(s) => s.noise_scale(),
            Surface::Himmelblau(s) => s.noise_scale(),
            Surface::Bumpy(s) => s.noise_scale(),
            Surface::Plateau(s) => s.noise_scale(),
        }
    }

    /// The wrapped surface as a trait object.
    fn inner(&self) -> &dyn Objective {
        match self {
            Surface::Quadratic(s) => s,
            Surface::Saddle(s) => s,
            Surface::Monkey(s) => s,
            Surface::Rosenbrock(s) => s,
            Surface::Beale(s) => s,
            Surface::Himmelblau(s) => s,
            Surface::Bumpy(s) => s,
            Surface::Plateau(s) => s,
        }
    }
}

impl Objective for Surface {
    fn value(&self, p: Point) -> f64 {
        self.inner().value(p)
    }

    fn gradient(&self, p: Point) -> Point {
        self.inner().gradient(p)
    }

    fn hessian(&self, p: Point) -> Hessian {
        self.inner().hessian(p)
    }

    fn bounds(&self) -> Bounds {
        self.inner().bounds()
    }

    fn minima(&self) -> Vec<Point> {
        self.inner().minima()
    }

    fn default_start(&self) -> Point {
        self.inner().default_start()
    }

    fn fill_grid(&self, view: Bounds, columns: usize, rows: usize, out: &mut [f64]) {
        self.inner().fill_grid(view, columns, rows, out)
    }
}
