//! The optimizer race: several optimizers descending one surface from one
//! start, each leaving a path and a loss curve.
//!
//! A racer stops by itself when its loss stops being a finite number or it
//! wanders far outside the view ("diverged at step k"); the others go on.

mod racer;

pub use racer::{Method, Racer, RacerStatus};

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::objective::{GradientNoise, Objective, Point};

/// A racer is stopped after this many steps so memory stays bounded.
pub const MAX_STEPS: u64 = 20_000;

/// Gradient noise of a minibatch of `batch_size` samples: σ = σ₁ / √B.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoiseSpec {
    pub sigma_at_batch_one: f64,
    pub batch_size: u32,
}

pub struct Race {
    surface: Rc<dyn Objective>,
    start: Point,
    noise: Option<NoiseSpec>,
    seed: u64,
    racers: Vec<Racer>,
}

impl Race {
    pub fn new(
        surface: Rc<dyn Objective>,
        start: Point,
        methods: Vec<Method>,
        noise: Option<NoiseSpec>,
        seed: u64,
    ) -> Result<Self> {
        check_point(start)?;
        let mut race = Race {
            surface,
            start,
            noise,
            seed,
            racers: Vec::with_capacity(methods.len()),
        };
        for (index, method) in methods.into_iter().enumerate() {
            let noise = race.noise_for(index)?;
            let racer = Racer::new(method, start, race.surface.as_ref(), noise)?;
            race.racers.push(racer);
        }
        Ok(race)
    }

    /// Racer `index` draws its own noise stream, so adding a racer does not
    /// change what the others see.
    fn noise_for(&self, index: usize) -> Result<Option<GradientNoise>> {
        self.noise
            .map(|spec| {
                GradientNoise::new(
                    spec.sigma_at_batch_one,
                    spec.batch_size,
                    self.seed.wrapping_add(index as u64 * 0x9E37_79B9),
                )
            })
            .transpose()
    }

    pub fn surface(&self) -> &dyn Objective {
        self.surface.as_ref()
    }

    pub fn start(&self) -> Point {
        self.start
    }

    pub fn racers(&self) -> &[Racer] {
        &self.racers
    }

    pub fn racer(&self, index: usize) -> Result<&Racer> {
        self.racers.get(index).ok_or_else(|| {
            Error::new(format!(
                "racer index {index} is out of range (there are {})",
                self.racers.len()
            ))
        })
    }

    /// Advances every running racer by up to `steps` steps.
    pub fn step(&mut self, steps: u32) {
        let bounds = self.surface.bounds();
        for racer in &mut self.racers {
            for _ in 0..steps {
                if !racer.is_running() {
                    break;
                }
                racer.step(self.surface.as_ref(), &bounds);
            }
        }
    }

    /// Whether any racer can still move.
    pub fn any_running(&self) -> bool {
        self.racers.iter().any(Racer::is_running)
    }

    /// Back to the start with fresh optimizer state and noise streams.
    pub fn reset(&mut self) -> Result<()> {
        self.restart_from(self.start)
    }

    /// Restarts every racer from `start`.
    pub fn restart_from(&mut self, start: Point) -> Result<()> {
        check_point(start)?;
        self.start = start;
        for index in 0..self.racers.len() {
            let noise = self.noise_for(index)?;
            let surface = self.surface.as_ref();
            self.racers[index].restart(start, surface, noise);
        }
        Ok(())
    }
}

fn check_point(p: Point) -> Result<()> {
    if p.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::new(format!(
            "the start point must be finite, got ({}, {})",
            p[0], p[1]
        )))
    }
}
