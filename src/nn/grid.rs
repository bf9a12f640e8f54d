//! A decision-map grid: the cell centres of a rectangle of the plane, and
//! a model's class probabilities at each of them.

use super::model::Model;
use crate::error::{Error, Result};

/// `width × height` cells over `[x_min, x_max] × [y_min, y_max]`; row 0 is
/// the top (`y` near `y_max`), as on a canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
    pub width: usize,
    pub height: usize,
}

impl Grid {
    /// A checked grid: finite bounds, `min < max` on both axes, at least one cell.
    pub fn new(
        (x_min, x_max): (f64, f64),
        (y_min, y_max): (f64, f64),
        width: usize,
        height: usize,
    ) -> Result<Grid> {
        for (name, value) in [
            ("x_min", x_min),
            ("x_max", x_max),
            ("y_min", y_min),
            ("y_max", y_max),
        ] {
            if !value.is_finite() {
                return Err(Error::new(format!("{name} must be finite, got {value}")));
            }
        }
        if x_max <= x_min || y_max <= y_min {
            return Err(Error::new(format!(
                "the grid needs x_min < x_max and y_min < y_max, got [{x_min}, {x_max}] × [{y_min}, {y_max}]"
            )));
        }
        if width == 0 || height == 0 {
            return Err(Error::new(format!(
                "the grid needs at least one cell, got {width} × {height}"
            )));
        }
        Ok(Grid {
            x_min,
            x_max,
            y_min,
            y_max,
            width,
            height,
        })
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.width * self.height
    }

    /// Writes the centres of cells `first, first + 1, …` as `[x, y]` rows into `chunk`.
    pub fn fill_centres(&self, first: usize, chunk: &mut [f32]) {
        let dx = (self.x_max - self.x_min) / self.width as f64;
        let dy = (self.y_max - self.y_min) / self.height as f64;
        for (offset, xy) in chunk.chunks_exact_mut(2).enumerate() {
            let cell = first + offset;
            let (row, col) = (cell / self.width, cell % self.width);
            xy[0] = (self.x_min + (col as f64 + 0.5) * dx) as f32;
            xy[1] = (self.y_max - (row as f64 + 0.5) * dy) as f32;
        }
    }

    /// Eval-mode class probabilities of `model` at every cell centre, row by
    /// row, into `out` (`cells × classes` values).
    pub fn predict(&self, model: &mut Model, out: &mut [f32]) -> Result<()> {
        model.predict_with(
            self.cells(),
            |first, chunk| self.fill_centres(first, chunk),
            out,
        )
    }
}
