//! What L-BFGS and BFGS share: a curvature memory built from steps s and
//! gradient changes y, applied to the gradient to get a search direction.

use crate::objective::Point;

/// An inverse-Hessian estimate that learns from (s, y) pairs.
pub trait CurvatureMemory {
    /// Whether it has learnt nothing yet (the next direction is steepest descent).
    fn is_empty(&self) -> bool;
    /// H·g for the current inverse-Hessian estimate H (g itself when empty).
    fn apply_inverse_hessian(&self, g: Point) -> Point;
    /// Learns from a step if it passes the curvature check; returns whether it did.
    fn offer(&mut self, s: Point, y: Point) -> bool;
    /// Forgets what it learnt (a restart from steepest descent).
    fn clear_pairs(&mut self);
}
