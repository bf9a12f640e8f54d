//! Optimizer settings: which update rule, and its read-only hyperparameters.

use crate::error::{check_positive, check_unit_interval, Result};

/// The first-order update rules of the lecture.
///
/// Conventions follow `torch.optim` (so trajectories equal PyTorch's for a
/// constant rate): the learning rate multiplies the velocity from outside,
/// `v ← ρv + g; x ← x − αv`, which for a constant α is the lecture's
/// `v ← ρv − α g; x ← x + v` with the velocity rescaled by −α.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// x ← x − α g
    Sgd,
    /// v ← ρv + g; x ← x − α v
    Momentum { rho: f64 },
    /// v ← ρv + g; x ← x − α (g + ρv)  (PyTorch's `nesterov=True`)
    Nesterov { rho: f64 },
    /// s ← s + g²; x ← x − α g / (√s + ε)
    AdaGrad { eps: f64 },
    /// s ← δs + (1 − δ) g²; x ← x − α g / (√s + ε)
    RmsProp { decay: f64, eps: f64 },
    /// m ← β₁m + (1 − β₁) g; v ← β₂v + (1 − β₂) g²;
    /// with bias correction m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ);
    /// x ← x − α m̂ / (√v̂ + ε)
    Adam {
        beta1: f64,
        beta2: f64,
        eps: f64,
        bias_correction: bool,
    },
}

impl Rule {
    /// The short machine name used by the JS API and the URL.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Sgd => "sgd",
            Rule::Momentum { .. } => "momentum",
            Rule::Nesterov { .. } => "nesterov",
            Rule::AdaGrad { .. } => "adagrad",
            Rule::RmsProp { .. } => "rmsprop",
            Rule::Adam { .. } => "adam",
        }
    }

    /// Whether the rule keeps a first-moment (velocity) buffer.
    pub fn has_velocity(&self) -> bool {
        matches!(
            self,
            Rule::Momentum { .. } | Rule::Nesterov { .. } | Rule::Adam { .. }
        )
    }

    /// Whether the rule keeps a running sum or average of squared gradients.
    pub fn has_second_moment(&self) -> bool {
        matches!(
            self,
            Rule::AdaGrad { .. } | Rule::RmsProp { .. } | Rule::Adam { .. }
        )
    }
}

/// A complete, validated description of a first-order optimizer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The base learning rate α (a schedule may scale it per step).
    pub lr: f64,
    pub rule: Rule,
}

/// PyTorch's defaults, which are also the lecture's typical values.
pub const DEFAULT_MOMENTUM: f64 = 0.9;
pub const DEFAULT_RMSPROP_DECAY: f64 = 0.99;
pub const DEFAULT_BETA1: f64 = 0.9;
pub const DEFAULT_BETA2: f64 = 0.999;
pub const DEFAULT_ADAGRAD_EPS: f64 = 1e-10;
pub const DEFAULT_EPS: f64 = 1e-8;

impl Settings {
    /// Checks every hyperparameter; the message names the bad one.
    pub fn validate(&self) -> Result<()> {
        check_positive("lr", self.lr)?;
        match self.rule {
            Rule::Sgd => Ok(()),
            Rule::Momentum { rho } | Rule::Nesterov { rho } => check_unit_interval("momentum", rho),
            Rule::AdaGrad { eps } => check_eps(eps),
            Rule::RmsProp { decay, eps } => {
                check_unit_interval("decay", decay)?;
                check_eps(eps)
            }
            Rule::Adam {
                beta1, beta2, eps, ..
            } => {
                check_unit_interval("beta1", beta1)?;
                check_unit_interval("beta2", beta2)?;
                check_eps(eps)
            }
        }
    }
}

fn check_eps(eps: f64) -> Result<()> {
    check_positive("eps", eps)
}
