//! Polyak averaging: an exponential moving average of the weights.
//!
//! After every optimizer step `avg ← d·avg + (1 − d)·w`, and evaluation uses
//! `avg` instead of `w` (Polyak & Juditsky 1992 average every iterate; the
//! exponential form with decay `d` is what frameworks ship, e.g.
//! TensorFlow's `ExponentialMovingAverage`). The average starts at the
//! weights it is given (the initial weights), as TensorFlow's shadow
//! variables do, so with `d` near 1 it remembers the initialisation for
//! about `1/(1 − d)` steps. With `d = 0` it is exactly the latest weights.
//!
//! Only the parameters are averaged. Batch norm's running mean and variance
//! are not parameters: they are already exponential moving averages (of the
//! batch statistics), so evaluation with the averaged weights uses the
//! model's running statistics as they are.

use crate::error::{Error, Result};

/// The moving average of a flat parameter vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Polyak {
    decay: f64,
    average: Vec<f32>,
}

impl Polyak {
    /// Starts the average at `weights`; fails unless `0 ≤ decay < 1`
    /// (the error names `polyak`, the JS key).
    pub fn new(decay: f64, weights: &[f32]) -> Result<Polyak> {
        check_decay(decay)?;
        Ok(Polyak {
            decay,
            average: weights.to_vec(),
        })
    }

    /// The decay `d` (applied in f32).
    pub fn decay(&self) -> f64 {
        self.decay
    }

    /// The averaged weights.
    pub fn average(&self) -> &[f32] {
        &self.average
    }

    /// The averaged weights, to swap with the model's for an evaluation.
    pub fn average_mut(&mut self) -> &mut [f32] {
        &mut self.average
    }

    /// `avg ← d·avg + (1 − d)·w` for every parameter. With `d = 0` this
    /// stores `w` exactly (`0·avg + 1·w` is exact in floating point).
    pub fn update(&mut self, weights: &[f32]) {
        let d = self.decay as f32;
        let fresh = 1.0 - d;
        for (avg, &w) in self.average.iter_mut().zip(weights) {
            *avg = d * *avg + fresh * w;
        }
    }

    /// Restarts the average at `weights` (after the weights were replaced).
    pub fn restart(&mut self, weights: &[f32]) {
        self.average.clear();
        self.average.extend_from_slice(weights);
    }
}

/// Fails unless `0 ≤ decay < 1`; the error names `polyak`.
pub fn check_decay(decay: f64) -> Result<()> {
    if !decay.is_finite() || !(0.0..1.0).contains(&decay) {
        return Err(Error::new(format!(
            "polyak must be at least 0 and below 1 (the decay d of avg ← d·avg + (1 − d)·w), got {decay}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_follows_the_recursion_by_hand() {
        let mut p = Polyak::new(0.5, &[0.0, 4.0]).unwrap();
        p.update(&[2.0, 0.0]);
        assert_eq!(p.average(), &[1.0, 2.0]);
        p.update(&[2.0, 0.0]);
        assert_eq!(p.average(), &[1.5, 1.0]);
        p.restart(&[7.0, 8.0]);
        assert_eq!(p.average(), &[7.0, 8.0]);
    }

    #[test]
    fn decay_zero_keeps_exactly_the_latest_weights() {
        let mut p = Polyak::new(0.0, &[1.0e30, -3.0]).unwrap();
        p.update(&[0.1, 1.0e-30]);
        assert_eq!(p.average(), &[0.1, 1.0e-30]);
    }

    #[test]
    fn decay_outside_zero_to_one_names_polyak() {
        for d in [-0.1, 1.0, 1.5, f64::NAN, f64::INFINITY] {
            let err = Polyak::new(d, &[0.0]).unwrap_err();
            assert!(err.message().starts_with("polyak must be"), "{err}");
        }
    }
}
