//! First-order optimizers: read-only [`Settings`] apart from mutable state.
//!
//! Keeping the two apart (as optax does) makes "race six optimizers from
//! one start" and "reset" trivial: a reset is a fresh state, the settings
//! stay as they were.

mod real;
mod rule;

pub use real::Real;
pub use rule::{
    Rule, Settings, DEFAULT_ADAGRAD_EPS, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS,
    DEFAULT_MOMENTUM, DEFAULT_RMSPROP_DECAY,
};

use crate::error::{Error, Result};

/// An optimizer: its settings and the state its rule accumulates.
#[derive(Clone, Debug)]
pub struct Optimizer {
    settings: Settings,
    /// Steps taken so far (t in Adam's bias correction counts from 1).
    steps: u64,
    /// Velocity (momentum, Nesterov) or first moment m (Adam).
    first: Vec<f64>,
    /// Sum (AdaGrad) or running average (RMSProp, Adam) of squared gradients.
    second: Vec<f64>,
    /// The change of the parameters made by the last step (for arrows).
    last_update: Vec<f64>,
}

impl Optimizer {
    pub fn new(settings: Settings) -> Result<Self> {
        settings.validate()?;
        Ok(Optimizer {
            settings,
            steps: 0,
            first: Vec::new(),
            second: Vec::new(),
            last_update: Vec::new(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Forgets all state: the next step behaves like the first.
    pub fn reset(&mut self) {
        self.steps = 0;
        self.first.clear();
        self.second.clear();
        self.last_update.clear();
    }

    /// The velocity or first-moment buffer (empty for rules without one).
    pub fn velocity(&self) -> &[f64] {
        &self.first
    }

    /// Parameter change made by the most recent step.
    pub fn last_update(&self) -> &[f64] {
        &self.last_update
    }

    /// One step with the base learning rate.
    pub fn step<T: Real>(&mut self, params: &mut [T], grads: &[T]) -> Result<()> {
        self.step_with_lr(params, grads, self.settings.lr)
    }

    /// One step with the learning rate `lr` (what a schedule gives for this step).
    pub fn step_with_lr<T: Real>(&mut self, params: &mut [T], grads: &[T], lr: f64) -> Result<()> {
        let all = [(0..params.len(), lr)];
        self.step_with_rates(params, grads, &all)
    }

    /// One step in which each `(range, lr)` of `rates` moves the parameters
    /// in `range` with its own learning rate (per-layer rates; the state is
    /// one, so Adam's step count is shared). Parameters in no range are not
    /// touched and keep their state; ranges must not overlap.
    pub fn step_with_rates<T: Real>(
        &mut self,
        params: &mut [T],
        grads: &[T],
        rates: &[(std::ops::Range<usize>, f64)],
    ) -> Result<()> {
        if params.len() != grads.len() {
            return Err(Error::new(format!(
                "params and grads must have the same length, got {} and {}",
                params.len(),
                grads.len()
            )));
        }
        for (range, lr) in rates {
            if !lr.is_finite() || *lr < 0.0 {
                return Err(Error::new(format!(
                    "lr must be a non-negative finite number, got {lr}"
                )));
            }
            if range.end > params.len() {
                return Err(Error::new(format!(
                    "a learning-rate range ends at {}, past the {} parameters",
                    range.end,
                    params.len()
                )));
            }
        }
        self.prepare_buffers(params.len())?;
        if rates.len() != 1 || rates[0].0 != (0..params.len()) {
            // Parameters outside every range do not move in this step.
            self.last_update.fill(0.0);
        }
        self.steps += 1;
        let t = self.steps as f64;
        let rule = self.settings.rule;
        for (range, lr) in rates {
            let lr = *lr;
            for i in range.clone() {
                let g = grads[i].to_f64();
                let delta = match rule {
                    Rule::Sgd => -lr * g,
                    Rule::Momentum { rho } => {
                        let v = rho * self.first[i] + g;
                        self.first[i] = v;
                        -lr * v
                    }
                    Rule::Nesterov { rho } => {
                        let v = rho * self.first[i] + g;
                        self.first[i] = v;
                        -lr * (g + rho * v)
                    }
                    Rule::AdaGrad { eps } => {
                        let s = self.second[i] + g * g;
                        self.second[i] = s;
                        -lr * g / (s.sqrt() + eps)
                    }
                    Rule::RmsProp { decay, eps } => {
                        let s = decay * self.second[i] + (1.0 - decay) * g * g;
                        self.second[i] = s;
                        -lr * g / (s.sqrt() + eps)
                    }
                    Rule::Adam {
                        beta1,
                        beta2,
                        eps,
                        bias_correction,
                    } => {
                        let m = beta1 * self.first[i] + (1.0 - beta1) * g;
                        let v = beta2 * self.second[i] + (1.0 - beta2) * g * g;
                        self.first[i] = m;
                        self.second[i] = v;
                        if bias_correction {
                            let m_hat = m / (1.0 - beta1.powf(t));
                            let v_hat = v / (1.0 - beta2.powf(t));
                            -lr * m_hat / (v_hat.sqrt() + eps)
                        } else {
                            -lr * m / (v.sqrt() + eps)
                        }
                    }
                };
                let x = params[i].to_f64() + delta;
                params[i] = T::from_f64(x);
                self.last_update[i] = delta;
            }
        }
        Ok(())
    }

    fn prepare_buffers(&mut self, n: usize) -> Result<()> {
        if self.steps == 0 {
            let rule = self.settings.rule;
            self.first = vec![0.0; if rule.has_velocity() { n } else { 0 }];
            self.second = vec![0.0; if rule.has_second_moment() { n } else { 0 }];
            self.last_update = vec![0.0; n];
            return Ok(());
        }
        if self.last_update.len() != n {
            return Err(Error::new(format!(
                "this optimizer was started on {} parameters, got {n}; call reset() first",
                self.last_update.len()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(rule: Rule) -> Settings {
        Settings { lr: 0.1, rule }
    }

    #[test]
    fn sgd_step_by_hand() {
        let mut opt = Optimizer::new(settings(Rule::Sgd)).unwrap();
        let mut x = [1.0, -2.0];
        opt.step(&mut x, &[0.5, -1.0]).unwrap();
        assert_eq!(x, [0.95, -1.9]);
    }

    #[test]
    fn adam_first_step_with_bias_correction_moves_by_lr() {
        // m̂ = g and v̂ = g² after one step, so the step is α·sign(g) (ε aside).
        let mut opt = Optimizer::new(settings(Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: true,
        }))
        .unwrap();
        let mut x = [0.0f64, 0.0];
        opt.step(&mut x, &[3.0, -0.01]).unwrap();
        assert!((x[0] + 0.1).abs() < 1e-8);
        assert!((x[1] - 0.1).abs() < 1e-6);
    }

    #[test]
    fn adam_without_bias_correction_takes_a_larger_first_step() {
        // m = 0.1 g, √v = √0.001 |g| ⇒ step = α · 0.1/0.0316 ≈ 3.16 α.
        let mut opt = Optimizer::new(settings(Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: false,
        }))
        .unwrap();
        let mut x = [0.0f64];
        opt.step(&mut x, &[2.0]).unwrap();
        let expected = -0.1 * 0.1 / 0.001f64.sqrt();
        assert!((x[0] - expected).abs() < 1e-7);
    }

    #[test]
    fn mismatched_lengths_and_bad_settings_are_errors() {
        let mut opt = Optimizer::new(settings(Rule::Sgd)).unwrap();
        let mut x = [0.0f64; 2];
        let err = opt.step(&mut x, &[1.0]).unwrap_err();
        assert!(err.message().contains("same length"));
        let bad = Settings {
            lr: f64::NAN,
            rule: Rule::Sgd,
        };
        assert!(Optimizer::new(bad).unwrap_err().message().contains("lr"));
        let bad = Settings {
            lr: 0.1,
            rule: Rule::Momentum { rho: 1.5 },
        };
        assert!(Optimizer::new(bad)
            .unwrap_err()
            .message()
            .contains("momentum"));
    }

    #[test]
    fn steps_velocity_and_last_update_read_the_state_by_hand() {
        // Momentum, ρ = 0.9, α = 0.1: v₁ = g₁, v₂ = ρ v₁ + g₂, update = −α v.
        let mut opt = Optimizer::new(settings(Rule::Momentum { rho: 0.9 })).unwrap();
        assert_eq!(opt.steps(), 0);
        assert!(opt.velocity().is_empty() && opt.last_update().is_empty());
        let mut x = [0.0f64, 0.0];
        opt.step(&mut x, &[1.0, -2.0]).unwrap();
        assert_eq!(opt.steps(), 1);
        assert_eq!(opt.velocity(), [1.0, -2.0]);
        assert_eq!(opt.last_update(), [-0.1, 0.2]);
        opt.step(&mut x, &[3.0, 0.5]).unwrap();
        assert_eq!(opt.steps(), 2);
        let v = opt.velocity();
        assert!(
            (v[0] - 3.9).abs() < 1e-12 && (v[1] + 1.3).abs() < 1e-12,
            "{v:?}"
        );
        let u = opt.last_update();
        assert!(
            (u[0] + 0.39).abs() < 1e-12 && (u[1] - 0.13).abs() < 1e-12,
            "{u:?}"
        );
        assert!(
            (x[0] + 0.49).abs() < 1e-12 && (x[1] - 0.33).abs() < 1e-12,
            "{x:?}"
        );
        opt.step(&mut x, &[0.0, 0.0]).unwrap();
        assert_eq!(opt.steps(), 3);
        // Plain SGD keeps no velocity; its last update is −α g.
        let mut sgd = Optimizer::new(settings(Rule::Sgd)).unwrap();
        sgd.step(&mut x, &[2.0, -4.0]).unwrap();
        assert!(sgd.velocity().is_empty());
        assert_eq!(sgd.last_update(), [-0.2, 0.4]);
    }

    #[test]
    fn rates_per_range_move_each_range_at_its_own_rate() {
        // Momentum, two steps with g = 1: v = 1 then 1.9; x = −α(1 + 1.9).
        let mut opt = Optimizer::new(settings(Rule::Momentum { rho: 0.9 })).unwrap();
        let mut x = [0.0f64; 5];
        let rates = [(0..2, 0.1), (3..5, 0.01)];
        for _ in 0..2 {
            opt.step_with_rates(&mut x, &[1.0; 5], &rates).unwrap();
        }
        let far = -0.1 * 2.9;
        let near = -0.01 * 2.9;
        assert!((x[0] - far).abs() < 1e-12 && (x[1] - far).abs() < 1e-12);
        assert_eq!(x[2], 0.0, "outside every range: untouched");
        assert!((x[3] - near).abs() < 1e-12 && (x[4] - near).abs() < 1e-12);
        assert_eq!(opt.velocity()[2], 0.0, "and its state too");
        // One range over everything is exactly step_with_lr.
        let (mut a, mut b) = ([0.5f32, -1.0, 2.0], [0.5f32, -1.0, 2.0]);
        let adam = Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: true,
        };
        let (mut p, mut q) = (
            Optimizer::new(settings(adam)).unwrap(),
            Optimizer::new(settings(adam)).unwrap(),
        );
        for g in [[0.3f32, -0.2, 0.1], [0.1, 0.4, -0.5]] {
            p.step_with_lr(&mut a, &g, 0.05).unwrap();
            q.step_with_rates(&mut b, &g, &[(0..3, 0.05)]).unwrap();
        }
        assert_eq!(a, b);
        let err = opt
            .step_with_rates(&mut x, &[1.0; 5], &[(0..6, 0.1)])
            .unwrap_err();
        assert!(err.message().contains("past the 5"), "{}", err.message());
    }

    #[test]
    fn a_zero_rate_range_is_frozen_and_a_partial_step_leaves_no_stale_update() {
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-12);
        // SGD, α = 0.1 over all three: the last update is −α g everywhere.
        let mut opt = Optimizer::new(settings(Rule::Sgd)).unwrap();
        let mut x = [1.0f64, 1.0, 1.0];
        let g = [1.0, 2.0, 3.0];
        opt.step_with_rates(&mut x, &g, &[(0..3, 0.1)]).unwrap();
        assert!(close(opt.last_update(), &[-0.1, -0.2, -0.3]));
        // Then only 0..1 moves; 1..3 learns at rate 0 (a frozen layer): allowed,
        // unmoved, and the last update there is 0, not the previous step's.
        opt.step_with_rates(&mut x, &g, &[(0..1, 0.5), (1..3, 0.0)])
            .unwrap();
        assert!(close(&x, &[0.4, 0.8, 0.7]), "{x:?}");
        assert!(close(opt.last_update(), &[-0.5, 0.0, 0.0]));
        // A range left out entirely also shows no update.
        opt.step_with_rates(&mut x, &g, &[(2..3, 0.1)]).unwrap();
        assert!(close(opt.last_update(), &[0.0, 0.0, -0.3]));
        // No range at all: a step that moves nothing (it still counts).
        opt.step_with_rates(&mut x, &g, &[]).unwrap();
        assert!(close(opt.last_update(), &[0.0, 0.0, 0.0]));
        assert!(close(&x, &[0.4, 0.8, 0.4]), "{x:?}");
        assert_eq!(opt.steps(), 4);
    }

    #[test]
    fn reset_restarts_state() {
        let mut opt = Optimizer::new(settings(Rule::Momentum { rho: 0.9 })).unwrap();
        let mut a = [0.0f64];
        opt.step(&mut a, &[1.0]).unwrap();
        opt.step(&mut a, &[1.0]).unwrap();
        opt.reset();
        let mut b = [0.0f64];
        opt.step(&mut b, &[1.0]).unwrap();
        assert_eq!(b, [-0.1]);
        assert_eq!(opt.steps(), 1);
    }
}
