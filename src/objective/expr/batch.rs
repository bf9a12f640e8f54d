//! Value-only evaluation of many points at once, for heatmaps.
//!
//! The tape is interpreted one instruction at a time over a chunk of
//! points instead of one point at a time over all instructions: each
//! instruction's dispatch is paid once per chunk, and its inner loop over
//! fixed-size arrays is branch-free and vectorizable.

use super::ast::Function;
use super::derivatives;
use super::tape::{Op, Tape};
use crate::objective::Bounds;

/// Points evaluated together.
const CHUNK: usize = 64;

type Lane = [f64; CHUNK];

impl Tape {
    /// f at the points (xs[i], ys[i]), written to out[i], for i below the
    /// shortest of the three lengths.
    pub fn values_at(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let count = xs.len().min(ys.len()).min(out.len());
        let mut stack = vec![[0.0; CHUNK]; self.max_stack().max(1)];
        let (mut x_lane, mut y_lane) = ([0.0; CHUNK], [0.0; CHUNK]);
        for start in (0..count).step_by(CHUNK) {
            let n = CHUNK.min(count - start);
            x_lane[..n].copy_from_slice(&xs[start..start + n]);
            y_lane[..n].copy_from_slice(&ys[start..start + n]);
            let result = self.run_lanes(&mut stack, &x_lane, &y_lane);
            out[start..start + n].copy_from_slice(&result[..n]);
        }
    }

    /// Values at the centres of a `columns` × `rows` grid of cells covering
    /// `bounds`, row-major, row 0 at the top (y near `y_max`) as in an image.
    /// `out` is cleared and refilled.
    pub fn values_on_grid(&self, bounds: Bounds, columns: usize, rows: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(columns * rows, 0.0);
        self.fill_grid(bounds, columns, rows, out);
    }

    /// As [`Tape::values_on_grid`], into a slice of at least `columns * rows`
    /// values (rows beyond the slice are skipped).
    pub fn fill_grid(&self, bounds: Bounds, columns: usize, rows: usize, out: &mut [f64]) {
        let dx = bounds.width() / columns as f64;
        let dy = bounds.height() / rows as f64;
        let xs: Vec<f64> = (0..columns)
            .map(|column| bounds.x_min + (column as f64 + 0.5) * dx)
            .collect();
        let mut ys = vec![0.0; columns];
        for (row, row_out) in out.chunks_mut(columns.max(1)).take(rows).enumerate() {
            ys.fill(bounds.y_max - (row as f64 + 0.5) * dy);
            self.values_at(&xs, &ys, row_out);
        }
    }

    /// Runs the tape over one chunk; returns the result lane.
    fn run_lanes<'s>(&self, stack: &'s mut [Lane], xs: &Lane, ys: &Lane) -> &'s Lane {
        let mut top = 0;
        for op in self.ops() {
            match *op {
                Op::Constant(c) => {
                    stack[top] = [c; CHUNK];
                    top += 1;
                }
                Op::X => {
                    stack[top] = *xs;
                    top += 1;
                }
                Op::Y => {
                    stack[top] = *ys;
                    top += 1;
                }
                Op::Negate => map(&mut stack[top - 1], |a| -a),
                Op::PowInt(2) => map(&mut stack[top - 1], |a| a * a),
                Op::PowInt(n) => map(&mut stack[top - 1], |a| a.powi(n)),
                Op::PowReal(c) => map(&mut stack[top - 1], |a| a.powf(c)),
                Op::Call(function) => call(function, &mut stack[top - 1]),
                binary => {
                    top -= 1;
                    let (lower, upper) = stack.split_at_mut(top);
                    let (a, b) = (&mut lower[top - 1], &upper[0]);
                    match binary {
                        Op::Add => zip(a, b, |a, b| a + b),
                        Op::Sub => zip(a, b, |a, b| a - b),
                        Op::Mul => zip(a, b, |a, b| a * b),
                        Op::Div => zip(a, b, |a, b| a / b),
                        Op::Pow => zip(a, b, f64::powf),
                        // Same choice as the pointwise path: ties and NaN keep a.
                        Op::Min => zip(a, b, |a, b| if b < a { b } else { a }),
                        _ => zip(a, b, |a, b| if b > a { b } else { a }),
                    }
                }
            }
        }
        &stack[0]
    }
}

fn map(lane: &mut Lane, f: impl Fn(f64) -> f64) {
    for v in lane.iter_mut() {
        *v = f(*v);
    }
}

fn zip(a: &mut Lane, b: &Lane, f: impl Fn(f64, f64) -> f64) {
    for (a, b) in a.iter_mut().zip(b) {
        *a = f(*a, *b);
    }
}

/// Chooses the function once per lane, not once per point.
fn call(function: Function, lane: &mut Lane) {
    match function {
        Function::Sin => map(lane, f64::sin),
        Function::Cos => map(lane, f64::cos),
        Function::Tan => map(lane, f64::tan),
        Function::Exp => map(lane, f64::exp),
        Function::Ln => map(lane, f64::ln),
        Function::Sqrt => map(lane, f64::sqrt),
        Function::Abs => map(lane, f64::abs),
        Function::Tanh => map(lane, f64::tanh),
        Function::Sigmoid => map(lane, derivatives::sigmoid),
        other => map(lane, |u| derivatives::value(other, u)),
    }
}
