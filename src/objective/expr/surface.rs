//! A typed-in expression as a loss surface like any other.

use super::ast::Expr;
use super::error::ParseError;
use super::parser::parse_expression;
use super::tape::Tape;
use crate::error::{Error, Result};
use crate::objective::{Bounds, Hessian, Objective, Point};

/// The view a typed expression gets unless told otherwise: [−3, 3]².
pub const DEFAULT_BOUNDS: Bounds = Bounds {
    x_min: -3.0,
    x_max: 3.0,
    y_min: -3.0,
    y_max: 3.0,
};

/// Largest allowed |coordinate| and side of a view.
pub const MAX_VIEW_EXTENT: f64 = 1e6;

/// [`ExprSurface::check_view`] fails when more than this fraction of the
/// view is undefined.
pub const MAX_NON_FINITE_FRACTION: f64 = 0.5;

/// Samples per axis [`ExprSurface::check_view`] looks at.
const CHECK_SAMPLES_PER_AXIS: usize = 64;

/// How far in from each edge the default start sits, as a fraction of the view.
const START_INSET: f64 = 0.2;

/// A loss surface f(x, y) typed by the student, differentiated exactly by
/// forward-mode automatic differentiation.
#[derive(Clone, Debug)]
pub struct ExprSurface {
    source: String,
    expr: Expr,
    tape: Tape,
    bounds: Bounds,
    start: Point,
}

impl ExprSurface {
    /// Parses and compiles `text`, viewed over [`DEFAULT_BOUNDS`].
    pub fn parse(text: &str) -> std::result::Result<ExprSurface, ParseError> {
        let expr = parse_expression(text)?;
        let tape = Tape::compile(&expr);
        let mut surface = ExprSurface {
            source: text.to_string(),
            expr,
            tape,
            bounds: DEFAULT_BOUNDS,
            start: [0.0, 0.0],
        };
        surface.start = surface.pick_start();
        Ok(surface)
    }

    /// The text as the student typed it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed tree; its `Display` shows how the text was read, e.g.
    /// `-x^2` as `-(x^2)`.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The compiled tape.
    pub fn tape(&self) -> &Tape {
        &self.tape
    }

    /// The same surface shown over `bounds`; the default start moves with it.
    pub fn with_bounds(mut self, bounds: Bounds) -> Result<ExprSurface> {
        check_bounds(bounds)?;
        self.bounds = bounds;
        self.start = self.pick_start();
        Ok(self)
    }

    /// The same surface with another default start, which must be finite.
    pub fn with_start(mut self, start: Point) -> Result<ExprSurface> {
        if !start[0].is_finite() || !start[1].is_finite() {
            return Err(Error::new(format!(
                "start must be a finite point, got ({}, {})",
                start[0], start[1]
            )));
        }
        self.start = start;
        Ok(self)
    }

    /// Fraction of a `samples_per_axis`² grid of cell centres over `bounds`
    /// where the value is NaN or infinite (0 means defined everywhere
    /// sampled). A zero sample count is treated as one.
    pub fn non_finite_fraction(&self, bounds: Bounds, samples_per_axis: usize) -> f64 {
        self.non_finite_survey(bounds, samples_per_axis).0
    }

    /// Fails with a message for the student when the expression is not a
    /// finite number over more than half of the current view (think
    /// `log(x)` with x < 0 everywhere, or `1/0`).
    pub fn check_view(&self) -> Result<()> {
        let (fraction, example) = self.non_finite_survey(self.bounds, CHECK_SAMPLES_PER_AXIS);
        if fraction <= MAX_NON_FINITE_FRACTION {
            return Ok(());
        }
        let b = self.bounds;
        let place = match example {
            Some([x, y]) => format!(" (e.g. at x = {x:.3}, y = {y:.3})"),
            None => String::new(),
        };
        Err(Error::new(format!(
            "loss expression: '{}' is not a finite number on {:.0}% of the view \
             x in [{}, {}], y in [{}, {}]{place}; choose a view where it is defined \
             (log and sqrt need positive arguments, and nothing may be divided by 0)",
            self.source,
            fraction * 100.0,
            b.x_min,
            b.x_max,
            b.y_min,
            b.y_max
        )))
    }

    /// Values at the cell centres of a `columns` × `rows` grid over the
    /// view, row-major with row 0 at the top (y near `y_max`), for heatmaps.
    pub fn values_on_grid(&self, columns: usize, rows: usize, out: &mut Vec<f64>) {
        self.tape.values_on_grid(self.bounds, columns, rows, out);
    }

    /// (fraction of non-finite samples, one non-finite sample point).
    fn non_finite_survey(&self, bounds: Bounds, samples_per_axis: usize) -> (f64, Option<Point>) {
        let n = samples_per_axis.max(1);
        let mut values = Vec::new();
        self.tape.values_on_grid(bounds, n, n, &mut values);
        let mut count = 0;
        let mut example = None;
        for (index, value) in values.iter().enumerate() {
            if !value.is_finite() {
                count += 1;
                if example.is_none() {
                    let (row, column) = (index / n, index % n);
                    example = Some([
                        bounds.x_min + (column as f64 + 0.5) * bounds.width() / n as f64,
                        bounds.y_max - (row as f64 + 0.5) * bounds.height() / n as f64,
                    ]);
                }
            }
        }
        (count as f64 / values.len() as f64, example)
    }

    /// The first point inset from a corner (upper left, upper right, lower
    /// left, lower right) where value and gradient are finite.
    fn pick_start(&self) -> Point {
        let b = self.bounds;
        let (dx, dy) = (START_INSET * b.width(), START_INSET * b.height());
        let candidates = [
            [b.x_min + dx, b.y_max - dy],
            [b.x_max - dx, b.y_max - dy],
            [b.x_min + dx, b.y_min + dy],
            [b.x_max - dx, b.y_min + dy],
        ];
        candidates
            .iter()
            .copied()
            .find(|&[x, y]| {
                let d = self.tape.gradient(x, y);
                d.value.is_finite() && d.gradient.iter().all(|g| g.is_finite())
            })
            .unwrap_or(candidates[0])
    }
}

fn check_bounds(b: Bounds) -> Result<()> {
    for (name, value) in [
        ("x_min", b.x_min),
        ("x_max", b.x_max),
        ("y_min", b.y_min),
        ("y_max", b.y_max),
    ] {
        if !value.is_finite() || value.abs() > MAX_VIEW_EXTENT {
            return Err(Error::new(format!(
                "bounds: {name} must be a finite number of size at most {MAX_VIEW_EXTENT}, got {value}"
            )));
        }
    }
    if b.x_min >= b.x_max {
        return Err(Error::new(format!(
            "bounds: x_min must be below x_max, got {} and {}",
            b.x_min, b.x_max
        )));
    }
    if b.y_min >= b.y_max {
        return Err(Error::new(format!(
            "bounds: y_min must be below y_max, got {} and {}",
            b.y_min, b.y_max
        )));
    }
    Ok(())
}

impl Objective for ExprSurface {
    fn value(&self, p: Point) -> f64 {
        self.tape.value(p[0], p[1])
    }

    fn gradient(&self, p: Point) -> Point {
        self.tape.gradient(p[0], p[1]).gradient
    }

    fn hessian(&self, p: Point) -> Hessian {
        self.tape.hessian(p[0], p[1]).hessian_matrix()
    }

    fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// Unknown for a typed expression: none in closed form.
    fn minima(&self) -> Vec<Point> {
        Vec::new()
    }

    fn default_start(&self) -> Point {
        self.start
    }

    /// The batched tape: 4–6× faster than one point at a time.
    fn fill_grid(&self, view: Bounds, columns: usize, rows: usize, out: &mut [f64]) {
        self.tape.fill_grid(view, columns, rows, out);
    }
}
