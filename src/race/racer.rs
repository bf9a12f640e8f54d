//! One racer: a method, its state, and the path it has left.

use super::MAX_STEPS;
use crate::error::Result;
use crate::objective::{Bounds, GradientNoise, Objective, Point};
use crate::optim::{Optimizer, Settings};

/// How a racer moves.
#[derive(Clone, Debug)]
pub enum Method {
    FirstOrder(Settings),
}

#[derive(Clone, Debug)]
enum Stepper {
    FirstOrder(Optimizer),
}

/// Whether a racer still moves, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RacerStatus {
    Running,
    /// The loss became non-finite or the point left the safe region at this step.
    Diverged {
        step: u64,
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
    /// The (possibly noisy) gradient used by the last step.
    last_gradient: Point,
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
            Method::FirstOrder(settings) => Stepper::FirstOrder(Optimizer::new(*settings)?),
        };
        let mut racer = Racer {
            method,
            stepper,
            position: start,
            path: Vec::new(),
            losses: Vec::new(),
            last_gradient: [0.0, 0.0],
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
        }
        self.position = start;
        self.path.clear();
        self.losses.clear();
        self.last_gradient = [0.0, 0.0];
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
        match &self.stepper {
            Stepper::FirstOrder(opt) => match opt.last_update() {
                [dx, dy] => [*dx, *dy],
                _ => [0.0, 0.0],
            },
        }
    }

    pub(super) fn step(&mut self, surface: &dyn Objective, view: &Bounds) {
        let mut gradient = surface.gradient(self.position);
        if let Some(noise) = &mut self.noise {
            noise.perturb(&mut gradient);
        }
        self.last_gradient = gradient;
        let mut x = self.position;
        let moved = match &mut self.stepper {
            Stepper::FirstOrder(opt) => opt.step(&mut x, &gradient).is_ok(),
        };
        let step = self.steps() + 1;
        let loss = surface.value(x);
        if !moved || !loss.is_finite() || !x.iter().all(|v| v.is_finite()) || far_outside(x, view) {
            self.status = RacerStatus::Diverged { step };
            return;
        }
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
