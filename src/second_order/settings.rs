//! Which second-order method to race, and its read-only options.

use crate::error::{check_in, Error, Result};

/// The L-BFGS history size used by default.
pub const DEFAULT_HISTORY: usize = 10;

/// The largest L-BFGS history size accepted.
pub const MAX_HISTORY: usize = 100;

/// The largest Levenberg λ accepted (beyond it the step is negligible).
pub const MAX_LEVENBERG_LAMBDA: f64 = 1e6;

/// How Newton's method turns the Newton direction into a step.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Damping {
    /// Plain Newton, x ← x − H⁻¹g with a unit step. It jumps to the
    /// stationary point of the local model, whatever its kind, so it is
    /// attracted to saddles and maxima. A singular H stops it.
    None,
    /// Damped Newton: when H is not positive definite its eigenvalues are
    /// replaced by their absolute values (floored away from zero), so the
    /// direction always descends, and an Armijo backtracking line search
    /// starting at the unit step picks the step length.
    #[default]
    LineSearch,
    /// Levenberg regularization, x ← x − (H + λI)⁻¹g with a unit step:
    /// λ = 0 is plain Newton, a large λ is gradient descent with rate 1/λ.
    /// It does not force descent when H + λI is indefinite.
    Levenberg {
        /// The shift λ ≥ 0 added to every eigenvalue.
        lambda: f64,
    },
}

impl Damping {
    /// A short machine name for the UI.
    pub fn name(&self) -> &'static str {
        match self {
            Damping::None => "none",
            Damping::LineSearch => "line_search",
            Damping::Levenberg { .. } => "levenberg",
        }
    }
}

/// How L-BFGS picks the step length along its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineSearchKind {
    /// A step satisfying the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9),
    /// which guarantees sᵀy > 0 so every pair can be kept.
    #[default]
    StrongWolfe,
    /// Armijo backtracking only: cheaper, but pairs may fail the curvature
    /// check and be skipped.
    Backtracking,
    /// No line search: the unit step (on the very first step, when there is
    /// no curvature information yet, a step of length min(1, ‖g‖)); f may
    /// go up.
    None,
}

impl LineSearchKind {
    /// A short machine name for the UI.
    pub fn name(&self) -> &'static str {
        match self {
            LineSearchKind::StrongWolfe => "strong_wolfe",
            LineSearchKind::Backtracking => "backtracking",
            LineSearchKind::None => "none",
        }
    }
}

/// A second-order method and its options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SecondOrderSettings {
    /// Newton's method with the exact Hessian.
    Newton {
        /// How the Newton direction becomes a step.
        damping: Damping,
    },
    /// Full BFGS: the whole inverse-Hessian estimate, updated every step.
    Bfgs {
        /// How the step length is chosen.
        line_search: LineSearchKind,
    },
    /// Limited-memory BFGS.
    Lbfgs {
        /// How many (s, y) pairs to keep, 1..=100.
        history: usize,
        /// How the step length is chosen.
        line_search: LineSearchKind,
    },
}

impl Default for SecondOrderSettings {
    /// Damped Newton.
    fn default() -> Self {
        SecondOrderSettings::newton()
    }
}

impl SecondOrderSettings {
    /// Newton with the default (line-search) damping.
    pub fn newton() -> Self {
        SecondOrderSettings::Newton {
            damping: Damping::default(),
        }
    }

    /// L-BFGS with history 10 and a strong Wolfe line search.
    pub fn lbfgs() -> Self {
        SecondOrderSettings::Lbfgs {
            history: DEFAULT_HISTORY,
            line_search: LineSearchKind::default(),
        }
    }

    /// BFGS with a strong Wolfe line search.
    pub fn bfgs() -> Self {
        SecondOrderSettings::Bfgs {
            line_search: LineSearchKind::default(),
        }
    }

    /// The short machine name of the method ("newton", "bfgs" or "lbfgs").
    pub fn kind(&self) -> &'static str {
        match self {
            SecondOrderSettings::Newton { .. } => "newton",
            SecondOrderSettings::Bfgs { .. } => "bfgs",
            SecondOrderSettings::Lbfgs { .. } => "lbfgs",
        }
    }

    /// Checks every option; the message names the bad one.
    pub fn validate(&self) -> Result<()> {
        match *self {
            SecondOrderSettings::Newton { damping } => match damping {
                Damping::Levenberg { lambda } => {
                    check_in("Levenberg lambda", lambda, 0.0, MAX_LEVENBERG_LAMBDA)
                }
                Damping::None | Damping::LineSearch => Ok(()),
            },
            SecondOrderSettings::Bfgs { .. } => Ok(()),
            SecondOrderSettings::Lbfgs { history, .. } => {
                if (1..=MAX_HISTORY).contains(&history) {
                    Ok(())
                } else {
                    Err(Error::new(format!(
                        "L-BFGS history must be between 1 and {MAX_HISTORY}, got {history}"
                    )))
                }
            }
        }
    }
}
