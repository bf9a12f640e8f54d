//! The Newton direction −M⁻¹g for the exact Hessian H and its damped
//! variants M (see [`Damping`]).

use crate::objective::{Hessian, Point};

use super::model::{symmetric_eigen, SINGULAR_RELATIVE_TOLERANCE};
use super::settings::Damping;
use super::vec2::is_finite;

/// Damped Newton floors modified eigenvalues at this fraction of the largest
/// magnitude, so the direction stays bounded along flat directions ...
pub const EIGENVALUE_FLOOR_RELATIVE: f64 = 1e-6;

/// ... and at this absolute value, for a Hessian that is (nearly) zero.
pub const EIGENVALUE_FLOOR_ABSOLUTE: f64 = 1e-8;

/// A search direction and how it was obtained.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewtonDirection {
    /// p = −M⁻¹g.
    pub direction: Point,
    /// Whether M differs from H (eigenvalues flipped or floored, or λI added).
    pub modified: bool,
}

/// The direction −M⁻¹g, where M is H itself (plain), H with its eigenvalues
/// replaced by max(|λ|, floor) (line-search damping: M is positive definite,
/// so p descends whenever g ≠ 0), or H + λI (Levenberg).
/// `None` when M is singular (or the result would not be finite).
pub fn newton_direction(
    hessian: &Hessian,
    gradient: Point,
    damping: Damping,
) -> Option<NewtonDirection> {
    let eigen = symmetric_eigen(hessian);
    let [low, high] = eigen.values;
    let (mu, modified) = match damping {
        Damping::None => ([low, high], false),
        Damping::LineSearch => {
            let floor =
                (EIGENVALUE_FLOOR_RELATIVE * eigen.spectral_norm()).max(EIGENVALUE_FLOOR_ABSOLUTE);
            let mu = [low.abs().max(floor), high.abs().max(floor)];
            (mu, mu != [low, high])
        }
        Damping::Levenberg { lambda } => ([low + lambda, high + lambda], lambda != 0.0),
    };
    let largest = mu[0].abs().max(mu[1].abs());
    let smallest = mu[0].abs().min(mu[1].abs());
    if !largest.is_finite() || largest == 0.0 || smallest <= SINGULAR_RELATIVE_TOLERANCE * largest {
        return None;
    }
    let z = eigen.solve_with(mu, gradient);
    let direction = [-z[0], -z[1]];
    is_finite(direction).then_some(NewtonDirection {
        direction,
        modified,
    })
}
