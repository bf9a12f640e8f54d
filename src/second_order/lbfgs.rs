//! The L-BFGS memory: the last m curvature pairs and the two-loop recursion
//! that applies the implicit inverse-Hessian approximation they define.

use std::collections::VecDeque;

use crate::objective::Point;

use super::vec2::{add_scaled, dot, norm, scale};

/// A pair is stored only if sᵀy > ε‖s‖‖y‖ (the cosine between s and y is
/// positive beyond rounding), which keeps the approximation positive definite.
pub const CURVATURE_EPSILON: f64 = 1e-8;

/// One curvature pair: s = x₊ − x and y = ∇f(x₊) − ∇f(x), with ρ = 1/(sᵀy).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvaturePair {
    /// The step taken.
    pub s: Point,
    /// The change of the gradient over it.
    pub y: Point,
    rho: f64,
}

/// The last `capacity` accepted curvature pairs, oldest first.
#[derive(Clone, Debug)]
pub struct LbfgsMemory {
    capacity: usize,
    pairs: VecDeque<CurvaturePair>,
    skipped: u64,
}

impl LbfgsMemory {
    /// An empty memory holding at most `capacity` pairs (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        LbfgsMemory {
            capacity,
            pairs: VecDeque::with_capacity(capacity),
            skipped: 0,
        }
    }

    /// The history size m.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The stored pairs, oldest first.
    pub fn pairs(&self) -> impl Iterator<Item = &CurvaturePair> {
        self.pairs.iter()
    }

    /// How many pairs are stored.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no pair is stored (the next direction is steepest descent).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// How many offered pairs the curvature check has rejected since creation
    /// or the last [`LbfgsMemory::reset`].
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Forgets every pair and the skip count.
    pub fn reset(&mut self) {
        self.pairs.clear();
        self.skipped = 0;
    }

    /// Forgets the pairs but keeps counting skips (a restart mid-run).
    pub fn clear_pairs(&mut self) {
        self.pairs.clear();
    }

    /// Stores (s, y) if it passes the curvature check sᵀy > ε‖s‖‖y‖, dropping
    /// the oldest pair when full. Returns whether it was stored.
    pub fn offer(&mut self, s: Point, y: Point) -> bool {
        let sy = dot(s, y);
        let finite = sy.is_finite() && norm(s).is_finite() && norm(y).is_finite();
        if !finite || sy <= CURVATURE_EPSILON * norm(s) * norm(y) {
            self.skipped += 1;
            return false;
        }
        if self.pairs.len() == self.capacity {
            self.pairs.pop_front();
        }
        self.pairs.push_back(CurvaturePair {
            s,
            y,
            rho: 1.0 / sy,
        });
        true
    }

    /// The initial scaling γ = sᵀy / yᵀy of the newest pair (1 when empty):
    /// H₀ = γI matches the curvature along the last step.
    pub fn initial_scaling(&self) -> f64 {
        match self.pairs.back() {
            Some(pair) => 1.0 / (pair.rho * dot(pair.y, pair.y)),
            None => 1.0,
        }
    }

    /// H·g for the implicit inverse-Hessian approximation H (two-loop
    /// recursion, N&W Algorithm 7.4); the search direction is its negative.
    pub fn apply_inverse_hessian(&self, g: Point) -> Point {
        let mut q = g;
        let mut alphas = vec![0.0; self.pairs.len()];
        for (i, pair) in self.pairs.iter().enumerate().rev() {
            let a = pair.rho * dot(pair.s, q);
            alphas[i] = a;
            q = add_scaled(q, -a, pair.y);
        }
        let mut r = scale(self.initial_scaling(), q);
        for (i, pair) in self.pairs.iter().enumerate() {
            let b = pair.rho * dot(pair.y, r);
            r = add_scaled(r, alphas[i] - b, pair.s);
        }
        r
    }
}

impl super::quasi_newton::CurvatureMemory for LbfgsMemory {
    fn is_empty(&self) -> bool {
        LbfgsMemory::is_empty(self)
    }

    fn apply_inverse_hessian(&self, g: Point) -> Point {
        LbfgsMemory::apply_inverse_hessian(self, g)
    }

    fn offer(&mut self, s: Point, y: Point) -> bool {
        LbfgsMemory::offer(self, s, y)
    }

    fn clear_pairs(&mut self) {
        LbfgsMemory::clear_pairs(self)
    }
}
