//! Full BFGS in the plane: the inverse-Hessian estimate is a 2×2 matrix,
//! updated after every accepted step (Nocedal & Wright, eq. 6.17). In two
//! dimensions keeping the whole matrix is cheaper than L-BFGS's pairs.

use super::lbfgs::CURVATURE_EPSILON;
use super::quasi_newton::CurvatureMemory;
use super::vec2::{dot, norm};
use crate::objective::{Hessian, Point};

/// The BFGS inverse-Hessian estimate H, symmetric positive definite.
#[derive(Clone, Debug, Default)]
pub struct BfgsMatrix {
    inverse: Option<Hessian>,
    skipped: u64,
}

impl BfgsMatrix {
    pub fn new() -> Self {
        Self::default()
    }

    /// The current estimate of the inverse Hessian (none before the first update).
    pub fn inverse_hessian(&self) -> Option<Hessian> {
        self.inverse
    }

    /// Pairs rejected by the curvature check since creation or the last reset.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Forgets the estimate and the skip count.
    pub fn reset(&mut self) {
        self.inverse = None;
        self.skipped = 0;
    }
}

impl CurvatureMemory for BfgsMatrix {
    fn is_empty(&self) -> bool {
        self.inverse.is_none()
    }

    fn apply_inverse_hessian(&self, g: Point) -> Point {
        match self.inverse {
            Some([[a, b], [_, c]]) => [a * g[0] + b * g[1], b * g[0] + c * g[1]],
            None => g,
        }
    }

    /// H₊ = (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ with ρ = 1/(sᵀy). Before the
    /// first update H is taken as γI, γ = sᵀy/yᵀy (N&W eq. 6.20), so the
    /// first quasi-Newton step already has the right length scale.
    fn offer(&mut self, s: Point, y: Point) -> bool {
        let sy = dot(s, y);
        let finite = sy.is_finite() && norm(s).is_finite() && norm(y).is_finite();
        if !finite || sy <= CURVATURE_EPSILON * norm(s) * norm(y) {
            self.skipped += 1;
            return false;
        }
        let rho = 1.0 / sy;
        let h = self.inverse.unwrap_or_else(|| {
            let gamma = sy / dot(y, y);
            [[gamma, 0.0], [0.0, gamma]]
        });
        // V = I − ρ s yᵀ; H₊ = V H Vᵀ + ρ s sᵀ.
        let v = [
            [1.0 - rho * s[0] * y[0], -rho * s[0] * y[1]],
            [-rho * s[1] * y[0], 1.0 - rho * s[1] * y[1]],
        ];
        let vh = [
            [
                v[0][0] * h[0][0] + v[0][1] * h[1][0],
                v[0][0] * h[0][1] + v[0][1] * h[1][1],
            ],
            [
                v[1][0] * h[0][0] + v[1][1] * h[1][0],
                v[1][0] * h[0][1] + v[1][1] * h[1][1],
            ],
        ];
        let entry =
            |i: usize, j: usize| vh[i][0] * v[j][0] + vh[i][1] * v[j][1] + rho * s[i] * s[j];
        // Symmetric by construction; average away the rounding.
        let off = 0.5 * (entry(0, 1) + entry(1, 0));
        self.inverse = Some([[entry(0, 0), off], [off, entry(1, 1)]]);
        true
    }

    fn clear_pairs(&mut self) {
        self.inverse = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_satisfies_the_secant_equation_and_stays_positive_definite() {
        let mut memory = BfgsMatrix::new();
        let pairs = [
            ([0.3, -0.1], [1.2, 0.4]),
            ([-0.05, 0.2], [0.1, 0.9]),
            ([0.4, 0.4], [0.5, 2.0]),
        ];
        for (s, y) in pairs {
            assert!(memory.offer(s, y));
            // H₊ y = s.
            let hy = memory.apply_inverse_hessian(y);
            assert!(
                (hy[0] - s[0]).abs() < 1e-12 && (hy[1] - s[1]).abs() < 1e-12,
                "{hy:?}"
            );
            let [[a, b], [_, c]] = memory.inverse_hessian().unwrap();
            assert!(a > 0.0 && a * c - b * b > 0.0, "not positive definite");
        }
        // sᵀy < 0 is refused and counted; the estimate is untouched.
        let before = memory.inverse_hessian();
        assert!(!memory.offer([1.0, 0.0], [-1.0, 0.0]));
        assert_eq!(memory.skipped(), 1);
        assert_eq!(memory.inverse_hessian(), before);
        memory.clear_pairs();
        assert!(memory.is_empty());
        assert_eq!(memory.apply_inverse_hessian([2.0, -3.0]), [2.0, -3.0]);
    }
}
