//! Counting the function, gradient and Hessian evaluations a step spends.
//!
//! Iteration counts flatter methods whose iterations are expensive; the race
//! shows evaluations too, so every call to the objective goes through
//! [`Counted`], which cannot forget to count.

use std::cell::Cell;
use std::ops::{Add, AddAssign};

use crate::objective::{Hessian, Objective, Point};

/// How many times the objective's value, gradient and Hessian were evaluated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepCounts {
    /// Calls of [`Objective::value`].
    pub evaluations: u32,
    /// Calls of [`Objective::gradient`].
    pub gradients: u32,
    /// Calls of [`Objective::hessian`].
    pub hessians: u32,
}

impl Add for StepCounts {
    type Output = StepCounts;

    fn add(self, other: StepCounts) -> StepCounts {
        StepCounts {
            evaluations: self.evaluations.saturating_add(other.evaluations),
            gradients: self.gradients.saturating_add(other.gradients),
            hessians: self.hessians.saturating_add(other.hessians),
        }
    }
}

impl AddAssign for StepCounts {
    fn add_assign(&mut self, other: StepCounts) {
        *self = *self + other;
    }
}

/// An objective borrowed for one step, counting every call made through it.
pub(crate) struct Counted<'a> {
    objective: &'a dyn Objective,
    counts: Cell<StepCounts>,
}

impl<'a> Counted<'a> {
    pub(crate) fn new(objective: &'a dyn Objective) -> Self {
        Counted {
            objective,
            counts: Cell::new(StepCounts::default()),
        }
    }

    pub(crate) fn counts(&self) -> StepCounts {
        self.counts.get()
    }

    pub(crate) fn value(&self, p: Point) -> f64 {
        let mut c = self.counts.get();
        c.evaluations = c.evaluations.saturating_add(1);
        self.counts.set(c);
        self.objective.value(p)
    }

    pub(crate) fn gradient(&self, p: Point) -> Point {
        let mut c = self.counts.get();
        c.gradients = c.gradients.saturating_add(1);
        self.counts.set(c);
        self.objective.gradient(p)
    }

    pub(crate) fn hessian(&self, p: Point) -> Hessian {
        let mut c = self.counts.get();
        c.hessians = c.hessians.saturating_add(1);
        self.counts.set(c);
        self.objective.hessian(p)
    }
}
