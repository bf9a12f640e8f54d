//! One racer: a method, its state, and the path it has left.

use super::MAX_STEPS;
use crate::error::Result;
use crate::objective::{Bounds, GradientNoise, NoisyObjective, Objective, Point};
use crate::optim::{Optimizer, Settings};
use crate::schedule::ScheduleSpec;
use crate::second_order::{
    SecondOrderSettings, SecondOrderSolver, StepCounts, StepReport, StepStatus,
};

/// How a racer moves.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// A first-order optimizer, its rate optionally given per step by a schedule.
    FirstOrder {
        settings: Settings,
        schedule: Option<ScheduleSpec>,
    },
    /// Newton or L-BFGS: they query the surface themselves.
    SecondOrder(SecondOrderSettings),
}

impl Method {
    /// A first-order method with a constant rate.
    pub fn first_order(settings: Settings) -> Self {
        Method::FirstOrder {
            settings,
            schedule: None,
        }
    }

    /// The machine name of the kind ("sgd", ..., "newton", "lbfgs").
    pub fn kind(&self) -> &'static str {
        match self {
            Method::FirstOrder { settings, .. } => settings.rule.kind(),
            Method::SecondOrder(settings) => settings.kind(),
        }
    }

    /// The learning rate used at step `step` (first-order methods only).
    pub fn lr_at(&self, step: u64) -> Option<f64> {
        match self {
            Method::FirstOrder {
                schedule: Some(schedule),
                ..
            } => Some(schedule.at(step)),
            Method::FirstOrder { settings, .. } => Some(settings.lr),
            Method::SecondOrder(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
enum Stepper {
    FirstOrder(Optimizer),
    SecondOrder(SecondOrderSolver),
}

/// Whether a racer still moves, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RacerStatus {
    Running,
    /// The loss became non-finite or the point left the safe region at this step.
    Diverged {
        step: u64,
    },
    /// A second-order method found ‖∇f‖ below its tolerance after `step` steps.
    Converged {
        step: u64,
    },
    /// A second-order method cannot go on from here (singular Hessian,
    /// failed line search, non-finite surface).
    Stuck {
        step: u64,
        reason: StepStatus,
    },
    /// Reached [`MAX_STEPS`].
    Finished,
}

#[derive(Clone, Debug)]
pub struct Racer {
    method: Method,
    stepper: Stepper,
    position: Point,
    /// Interleaved x, y of every visited point, the start first.
    path: Vec<f64>,
    /// Noise-free loss at every visited point.
    losses: Vec<f64>,
    /// The (possibly noisy) gradient the last step saw.
    last_gradient: Point,
    /// Displacement made by the last step.
    last_step: Point,
    /// Evaluations the method itself asked for (display values not counted).
    counts: StepCounts,
    /// The last second-order step's details.
    last_report: Option<StepReport>,
    /// Consecutive failed line searches (L-BFGS retries once from steepest descent).
    failed_searches: u32,
    noise: Option<GradientNoise>,
    status: RacerStatus,
}

impl Racer {
    pub(super) fn new(
        method: Method,
        start: Point,
        surface: &dyn Objective,
        noise: Option<GradientNoise>,
    ) -> Result<Self> {
        let stepper = match &method {
            Method::FirstOrder { settings, schedule } => {
                if let Some(schedule) = schedule {
                    schedule.validate()?;
                }
                Stepper::FirstOrder(Optimizer::new(*settings)?)
            }
            Method::SecondOrder(settings) => {
                Stepper::SecondOrder(SecondOrderSolver::new(*settings)?)
            }
        };
        let mut racer = Racer {
            method,
            stepper,
            position: start,
            path: Vec::new(),
            losses: Vec::new(),
            last_gradient: [0.0, 0.0],
            last_step: [0.0, 0.0],
            counts: StepCounts::default(),
            last_report: None,
            failed_searches: 0,
            noise,
            status: RacerStatus::Running,
        };
        racer.restart(start, surface, None);
        Ok(racer)
    }

    pub(super) fn restart(
        &mut self,
        start: Point,
        surface: &dyn Objective,
        noise: Option<GradientNoise>,
    ) {
        if noise.is_some() {
            self.noise = noise;
        } else if let Some(noise) = &mut self.noise {
            noise.reset();
        }
        match &mut self.stepper {
            Stepper::FirstOrder(opt) => opt.reset(),
            Stepper::SecondOrder(solver) => solver.reset(),
        }
        self.position = start;
        self.path.clear();
        self.losses.clear();
        self.last_gradient = [0.0, 0.0];
        self.last_step = [0.0, 0.0];
        self.counts = StepCounts::default();
        self.last_report = None;
        self.failed_searches = 0;
        self.status = RacerStatus::Running;
        self.record(surface.value(start));
    }

    fn record(&mut self, loss: f64) {
        self.path.extend_from_slice(&self.position);
        self.losses.push(loss);
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    pub fn is_running(&self) -> bool {
        self.status == RacerStatus::Running
    }

    pub fn status(&self) -> RacerStatus {
        self.status
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.losses.len() as u64 - 1
    }

    pub fn position(&self) -> Point {
        self.position
    }

    pub fn path(&self) -> &[f64] {
        &self.path
    }

    pub fn losses(&self) -> &[f64] {
        &self.losses
    }

    pub fn last_gradient(&self) -> Point {
        self.last_gradient
    }

    /// The parameter change of the last step (the "velocity" arrow).
    pub fn last_update(&self) -> Point {
        self.last_step
    }

    /// Function, gradient and Hessian evaluations the method has used.
    pub fn counts(&self) -> StepCounts {
        self.counts
    }

    /// Details of the last second-order step, if any.
    pub fn last_report(&self) -> Option<&StepReport> {
        self.last_report.as_ref()
    }

    /// The learning rate the next step will use (first-order methods).
    pub fn current_lr(&self) -> Option<f64> {
        self.method.lr_at(self.steps())
    }

    pub(super) fn step(&mut self, surface: &dyn Objective, view: &Bounds) {
        let step = self.steps() + 1;
        let mut x = self.position;
        let moved = match &mut self.stepper {
            Stepper::FirstOrder(opt) => {
                let mut gradient = surface.gradient(x);
                if let Some(noise) = &mut self.noise {
                    noise.perturb(&mut gradient);
                }
                self.last_gradient = gradient;
                self.counts.gradients += 1;
                let lr = self.method.lr_at(step - 1).unwrap_or(0.0);
                opt.step_with_lr(&mut x, &gradient, lr).is_ok()
            }
            Stepper::SecondOrder(solver) => {
                let outcome = match self.noise.take() {
                    Some(noise) => {
                        let noisy = NoisyObjective::new(surface, noise);
                        let outcome = solver.step(&noisy, &mut x);
                        self.noise = Some(noisy.into_noise());
                        outcome
                    }
                    None => solver.step(surface, &mut x),
                };
                match outcome {
                    Ok(report) => {
                        self.counts += report.counts;
                        self.last_report = Some(report);
                        match report.status {
                            StepStatus::Moved => {
                                self.failed_searches = 0;
                                true
                            }
                            StepStatus::Converged => {
                                self.status = RacerStatus::Converged { step: step - 1 };
                                return;
                            }
                            StepStatus::LineSearchFailed if self.failed_searches == 0 => {
                                // L-BFGS dropped its pairs: give steepest descent one try.
                                self.failed_searches += 1;
                                return;
                            }
                            reason => {
                                self.status = RacerStatus::Stuck {
                                    step: step - 1,
                                    reason,
                                };
                                return;
                            }
                        }
                    }
                    Err(_) => false,
                }
            }
        };
        let loss = surface.value(x);
        if !moved || !loss.is_finite() || !x.iter().all(|v| v.is_finite()) || far_outside(x, view) {
            self.status = RacerStatus::Diverged { step };
            return;
        }
        if matches!(self.stepper, Stepper::SecondOrder(_)) {
            self.last_gradient = surface.gradient(self.position);
        }
        self.last_step = [x[0] - self.position[0], x[1] - self.position[1]];
        self.position = x;
        self.record(loss);
        if step >= MAX_STEPS {
            self.status = RacerStatus::Finished;
        }
    }
}

/// Outside the view widened by five view-sizes on every side.
fn far_outside(p: Point, view: &Bounds) -> bool {
    let margin_x = 5.0 * view.width();
    let margin_y = 5.0 * view.height();
    p[0] < view.x_min - margin_x
        || p[0] > view.x_max + margin_x
        || p[1] < view.y_min - margin_y
        || p[1] > view.y_max + margin_y
}
