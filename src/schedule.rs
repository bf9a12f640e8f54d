//! Learning-rate schedules as pure functions of the step.
//!
//! Steps count from 0, the optimizer's first step, and `at(0)` is the base
//! rate `lr` for every shape (a warm-up changes that, see [`ScheduleSpec`]).
//! Being pure, a schedule can be plotted ahead of a run and replayed from a
//! shared link without any state.

use crate::error::{check_in, check_positive, Error, Result};
use std::f64::consts::PI;

/// The largest step count a schedule accepts: 2^53 − 1, the largest integer
/// a JS number (and an f64 in the formulas) holds exactly.
pub const MAX_STEPS: u64 = (1 << 53) - 1;

/// The shape of a learning-rate schedule; field names are the JS API's keys.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// lr at every step.
    Constant { lr: f64 },
    /// lr·γ^⌊t/every⌋ (PyTorch `StepLR` with `step_size = every`).
    Step { lr: f64, gamma: f64, every: u64 },
    /// lr·e^(−kt), the lecture's exponential decay.
    Exponential { lr: f64, k: f64 },
    /// lr/(1 + kt), the lecture's 1/t decay.
    InverseTime { lr: f64, k: f64 },
    /// PyTorch `CosineAnnealingLR` with `T_max = total`, `eta_min = min`:
    /// min + (lr − min)(1 + cos(πt/total))/2 for t ≤ total.
    ///
    /// For t > total the rate holds at `min`. (PyTorch's closed form would
    /// climb back towards lr; a run that outlasts its schedule should not
    /// silently speed up again.)
    Cosine { lr: f64, total: u64, min: f64 },
    /// PyTorch `CosineAnnealingWarmRestarts` (SGDR) with `T_0 = period`,
    /// `T_mult = mult`, `eta_min = min`: cycle i lasts period·mult^i steps,
    /// and within a cycle the rate falls like [`Schedule::Cosine`] from lr
    /// towards min, jumping back to lr at the start of the next cycle.
    WarmRestarts {
        lr: f64,
        period: u64,
        mult: u64,
        min: f64,
    },
}

impl Schedule {
    /// The learning rate for step `step` (counting from 0).
    ///
    /// Meant for validated schedules; on invalid settings the value is
    /// meaningless but the call never panics.
    pub fn at(&self, step: u64) -> f64 {
        match *self {
            Schedule::Constant { lr } => lr,
            Schedule::Step { lr, gamma, every } => {
                let decays = step / every.max(1);
                lr * gamma.powf(decays as f64)
            }
            Schedule::Exponential { lr, k } => lr * (-k * step as f64).exp(),
            Schedule::InverseTime { lr, k } => lr / (1.0 + k * step as f64),
            Schedule::Cosine { lr, total, min } => {
                let total = total.max(1);
                cosine_between(lr, min, step.min(total), total)
            }
            Schedule::WarmRestarts {
                lr,
                period,
                mult,
                min,
            } => {
                let cycle = warm_restart_cycle(period, mult, step);
                cosine_between(lr, min, step - cycle.start, cycle.length)
            }
        }
    }

    /// Checks every setting; the message names the offending JS key.
    pub fn validate(&self) -> Result<()> {
        check_positive("lr", self.base_lr())?;
        match *self {
            Schedule::Constant { .. } => Ok(()),
            Schedule::Step { gamma, every, .. } => {
                if !gamma.is_finite() || gamma <= 0.0 || gamma > 1.0 {
                    return Err(Error::new(format!(
                        "gamma must be above 0 and at most 1, got {gamma}"
                    )));
                }
                check_step_count("every", every)
            }
            Schedule::Exponential { k, .. } | Schedule::InverseTime { k, .. } => {
                if !k.is_finite() || k < 0.0 {
                    return Err(Error::new(format!(
                        "k must be a non-negative finite number, got {k}"
                    )));
                }
                Ok(())
            }
            Schedule::Cosine { lr, total, min } => {
                check_step_count("total", total)?;
                check_in("min", min, 0.0, lr)
            }
            Schedule::WarmRestarts {
                lr,
                period,
                mult,
                min,
            } => {
                check_step_count("period", period)?;
                check_step_count("mult", mult)?;
                check_in("min", min, 0.0, lr)
            }
        }
    }

    /// The base rate `lr`: the rate at step 0 and the peak of every shape.
    pub fn base_lr(&self) -> f64 {
        match *self {
            Schedule::Constant { lr }
            | Schedule::Step { lr, .. }
            | Schedule::Exponential { lr, .. }
            | Schedule::InverseTime { lr, .. }
            | Schedule::Cosine { lr, .. }
            | Schedule::WarmRestarts { lr, .. } => lr,
        }
    }

    /// The short machine name used by the JS API.
    pub fn kind(&self) -> &'static str {
        match self {
            Schedule::Constant { .. } => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::InverseTime { .. } => "inverse_time",
            Schedule::Cosine { .. } => "cosine",
            Schedule::WarmRestarts { .. } => "warm_restarts",
        }
    }

    /// The steps s with 0 < s < `step` at which a warm-restart cycle begins
    /// (the rate jumps back to lr), in increasing order; empty for every
    /// other shape. A snapshot ensemble saves the parameters after step
    /// s − 1, the end of each cycle. One entry per restart, so pass the
    /// run's length rather than a huge bound.
    pub fn restarts_before(&self, step: u64) -> Vec<u64> {
        let Schedule::WarmRestarts { period, mult, .. } = *self else {
            return Vec::new();
        };
        let mut restarts = Vec::new();
        let mut cycle = Cycle {
            start: 0,
            length: period.max(1),
        };
        while let Some(next) = cycle.next(mult) {
            if next.start >= step {
                break;
            }
            restarts.push(next.start);
            cycle = next;
        }
        restarts
    }

    /// This schedule behind a linear warm-up of `steps` steps.
    pub fn with_warmup(self, steps: u64) -> ScheduleSpec {
        ScheduleSpec {
            kind: self,
            warmup: steps,
        }
    }
}

/// A schedule shape with an optional linear warm-up in front of it.
///
/// With `warmup = W ≥ 1` the rate at step t is
/// - `base_lr · (t + 1) / W` for t < W: it climbs in equal steps from
///   base_lr/W (so no step is wasted at rate 0) and reaches base_lr at
///   step W − 1;
/// - `kind.at(t − W)` for t ≥ W: the shape starts at its own step 0 once the
///   warm-up is over, so it is delayed by W steps, not cut short.
///
/// Step W − 1 and step W therefore both run at base_lr. This equals PyTorch's
/// `SequentialLR([LinearLR(start_factor = 1/W, total_iters = W − 1), inner],
/// milestones = [W])`. With `warmup = 0` the shape is used as is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScheduleSpec {
    /// The shape that follows the warm-up.
    pub kind: Schedule,
    /// Warm-up steps W (0 for none).
    pub warmup: u64,
}

impl From<Schedule> for ScheduleSpec {
    fn from(kind: Schedule) -> Self {
        kind.with_warmup(0)
    }
}

impl ScheduleSpec {
    /// The learning rate for step `step` (counting from 0), warm-up included.
    pub fn at(&self, step: u64) -> f64 {
        if step < self.warmup {
            self.kind.base_lr() * (step + 1) as f64 / self.warmup as f64
        } else {
            self.kind.at(step - self.warmup)
        }
    }

    /// Checks the shape and the warm-up length; messages name the JS key.
    pub fn validate(&self) -> Result<()> {
        self.kind.validate()?;
        if self.warmup > MAX_STEPS {
            return Err(Error::new(format!(
                "warmup must be at most {MAX_STEPS} steps, got {}",
                self.warmup
            )));
        }
        Ok(())
    }

    /// The shape's base rate `lr` (the rate the warm-up climbs to).
    pub fn base_lr(&self) -> f64 {
        self.kind.base_lr()
    }

    /// The shape's machine name (the warm-up is a separate setting).
    pub fn kind(&self) -> &'static str {
        self.kind.kind()
    }

    /// The steps s with 0 < s < `step` at which a warm-restart cycle begins,
    /// shifted by the warm-up (the end of the warm-up is not a restart).
    pub fn restarts_before(&self, step: u64) -> Vec<u64> {
        self.kind
            .restarts_before(step.saturating_sub(self.warmup))
            .into_iter()
            .map(|s| s + self.warmup)
            .collect()
    }
}

/// Fails unless a step count is a whole number from 1 to [`MAX_STEPS`].
fn check_step_count(name: &str, value: u64) -> Result<()> {
    if value == 0 {
        return Err(Error::new(format!("{name} must be at least 1, got 0")));
    }
    if value > MAX_STEPS {
        return Err(Error::new(format!(
            "{name} must be at most {MAX_STEPS}, got {value}"
        )));
    }
    Ok(())
}

/// min + (lr − min)(1 + cos(π·done/length))/2: lr at done = 0, min at length.
fn cosine_between(lr: f64, min: f64, done: u64, length: u64) -> f64 {
    let fraction = done as f64 / length as f64;
    min + (lr - min) * (1.0 + (PI * fraction).cos()) / 2.0
}

/// One warm-restart cycle: the step it starts at and how many steps it lasts.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cycle {
    start: u64,
    length: u64,
}

impl Cycle {
    /// The cycle after this one, or `None` if its start overflows u64.
    fn next(self, mult: u64) -> Option<Cycle> {
        let start = self.start.checked_add(self.length)?;
        Some(Cycle {
            start,
            length: self.length.saturating_mul(mult.max(1)),
        })
    }
}

/// The cycle containing `step`, with T_0 = period and T_mult = mult.
///
/// Cycle i starts at period·(mult^i − 1)/(mult − 1) (at period·i when
/// mult = 1), so T_i = period·mult^i and T_cur = step − start. The start is
/// found in exact integers: by division for mult = 1, else by walking the
/// O(log step) cycle starts. (PyTorch inverts the sum with a floating-point
/// logarithm, which can land one cycle off right at a boundary.)
fn warm_restart_cycle(period: u64, mult: u64, step: u64) -> Cycle {
    let period = period.max(1);
    if mult <= 1 {
        return Cycle {
            start: step - step % period,
            length: period,
        };
    }
    let mut cycle = Cycle {
        start: 0,
        length: period,
    };
    while let Some(next) = cycle.next(mult) {
        if next.start > step {
            break;
        }
        cycle = next;
    }
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(schedule: Schedule) -> String {
        schedule.validate().unwrap_err().message().to_string()
    }

    #[test]
    fn valid_schedules_pass() {
        let schedules = [
            Schedule::Constant { lr: 0.1 },
            Schedule::Step {
                lr: 0.1,
                gamma: 1.0,
                every: 1,
            },
            Schedule::Exponential { lr: 0.1, k: 0.0 },
            Schedule::InverseTime { lr: 0.1, k: 2.0 },
            Schedule::Cosine {
                lr: 0.1,
                total: 1,
                min: 0.1,
            },
            Schedule::WarmRestarts {
                lr: 0.1,
                period: 1,
                mult: 1,
                min: 0.0,
            },
        ];
        for schedule in schedules {
            assert_eq!(schedule.validate(), Ok(()), "{schedule:?}");
            assert_eq!(schedule.with_warmup(MAX_STEPS).validate(), Ok(()));
        }
    }

    #[test]
    fn bad_rates_name_lr() {
        for lr in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            let text = message(Schedule::Exponential { lr, k: 0.1 });
            assert!(text.starts_with("lr must be"), "{text}");
        }
    }

    #[test]
    fn gamma_must_lie_in_zero_to_one() {
        for gamma in [0.0, -0.5, 1.5, f64::NAN] {
            let text = message(Schedule::Step {
                lr: 0.1,
                gamma,
                every: 3,
            });
            assert!(
                text.starts_with("gamma must be above 0 and at most 1"),
                "{text}"
            );
        }
    }

    #[test]
    fn step_counts_must_be_at_least_one_and_js_safe() {
        let every = message(Schedule::Step {
            lr: 0.1,
            gamma: 0.5,
            every: 0,
        });
        assert_eq!(every, "every must be at least 1, got 0");
        let total = message(Schedule::Cosine {
            lr: 0.1,
            total: 0,
            min: 0.0,
        });
        assert_eq!(total, "total must be at least 1, got 0");
        let period = message(Schedule::WarmRestarts {
            lr: 0.1,
            period: MAX_STEPS + 1,
            mult: 2,
            min: 0.0,
        });
        assert!(period.starts_with("period must be at most"), "{period}");
        let mult = message(Schedule::WarmRestarts {
            lr: 0.1,
            period: 5,
            mult: 0,
            min: 0.0,
        });
        assert_eq!(mult, "mult must be at least 1, got 0");
        let warmup = Schedule::Constant { lr: 0.1 }
            .with_warmup(MAX_STEPS + 1)
            .validate()
            .unwrap_err();
        assert!(warmup.message().starts_with("warmup must be at most"));
    }

    #[test]
    fn k_must_be_non_negative_and_finite() {
        for k in [-0.01, f64::NAN, f64::INFINITY] {
            let text = message(Schedule::InverseTime { lr: 0.1, k });
            assert!(text.starts_with("k must be a non-negative"), "{text}");
        }
    }

    #[test]
    fn min_must_lie_between_zero_and_lr() {
        for min in [-0.01, 0.2, f64::NAN] {
            let cosine = message(Schedule::Cosine {
                lr: 0.1,
                total: 10,
                min,
            });
            assert!(cosine.starts_with("min must be"), "{cosine}");
            let restarts = message(Schedule::WarmRestarts {
                lr: 0.1,
                period: 10,
                mult: 2,
                min,
            });
            assert!(restarts.starts_with("min must be"), "{restarts}");
        }
    }

    #[test]
    fn invalid_settings_do_not_panic() {
        let broken = [
            Schedule::Step {
                lr: 0.1,
                gamma: 0.5,
                every: 0,
            },
            Schedule::Cosine {
                lr: 0.1,
                total: 0,
                min: 0.0,
            },
            Schedule::WarmRestarts {
                lr: 0.1,
                period: 0,
                mult: 0,
                min: 0.0,
            },
            Schedule::WarmRestarts {
                lr: 0.1,
                period: u64::MAX,
                mult: u64::MAX,
                min: 0.0,
            },
        ];
        for schedule in broken {
            for step in [0, 1, 7, u64::MAX] {
                let _ = schedule.at(step);
                let _ = schedule.with_warmup(3).at(step);
            }
            let _ = schedule.restarts_before(100);
        }
    }

    #[test]
    fn cycles_stop_before_overflow() {
        // period·(2^i − 1) passes u64::MAX after 64 cycles; the walk must end.
        let cycle = warm_restart_cycle(1, 2, u64::MAX - 1);
        assert_eq!(cycle.start, u64::MAX >> 1);
        assert_eq!(cycle.length, 1 << 63);
    }
}
