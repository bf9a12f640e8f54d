//! Minibatch gradient noise: seeded Gaussian noise whose size shrinks as
//! 1/√B with the batch size B, as the spread of a minibatch mean does.

use std::cell::RefCell;

use super::{Bounds, Hessian, Objective, Point};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Adds independent N(0, σ²) noise to each gradient component, with
/// σ = σ₁/√B. "No noise" is the absence of one (`Option<GradientNoise>`).
#[derive(Clone, Debug)]
pub struct GradientNoise {
    sigma_at_batch_one: f64,
    batch_size: u32,
    seed: u64,
    rng: Rng,
}

impl GradientNoise {
    /// Noise of size `sigma_at_batch_one` (σ₁ ≥ 0) at batch size 1, scaled
    /// to the minibatch size `batch_size` (at least 1), drawn from `seed`.
    pub fn new(sigma_at_batch_one: f64, batch_size: u32, seed: u64) -> Result<Self> {
        if !sigma_at_batch_one.is_finite() || sigma_at_batch_one < 0.0 {
            return Err(Error::new(format!(
                "gradient noise must be a non-negative finite number, got {sigma_at_batch_one}"
            )));
        }
        if batch_size == 0 {
            return Err(Error::new("batch size must be at least 1, got 0"));
        }
        Ok(GradientNoise {
            sigma_at_batch_one,
            batch_size,
            seed,
            rng: Rng::new(seed),
        })
    }

    /// The standard deviation σ₁/√B added to each gradient component.
    pub fn sigma(&self) -> f64 {
        self.sigma_at_batch_one / f64::from(self.batch_size).sqrt()
    }

    /// The noise size σ₁ at batch size 1.
    pub fn sigma_at_batch_one(&self) -> f64 {
        self.sigma_at_batch_one
    }

    /// The minibatch size B.
    pub fn batch_size(&self) -> u32 {
        self.batch_size
    }

    /// The seed the noise stream starts from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Adds the next noise sample to `g`.
    pub fn perturb(&mut self, g: &mut Point) {
        let sigma = self.sigma();
        for component in g.iter_mut() {
            *component += sigma * self.rng.normal();
        }
    }

    /// Restarts the noise stream from the seed, so a rerun replays it.
    pub fn reset(&mut self) {
        self.rng = Rng::new(self.seed);
    }
}

/// A surface seen through minibatch noise: values and Hessians are exact,
/// gradients carry [`GradientNoise`]. Lets any method that asks an
/// [`Objective`] for gradients (second-order ones too) be fed noisy ones.
#[derive(Debug)]
pub struct NoisyObjective<'a, O: Objective + ?Sized> {
    inner: &'a O,
    /// The generator advances on each gradient, behind `&self`.
    noise: RefCell<GradientNoise>,
}

impl<'a, O: Objective + ?Sized> NoisyObjective<'a, O> {
    /// Wraps `inner`, perturbing each gradient it gives with `noise`.
    pub fn new(inner: &'a O, noise: GradientNoise) -> Self {
        NoisyObjective {
            inner,
            noise: RefCell::new(noise),
        }
    }

    /// The noise size σ added to each gradient component.
    pub fn sigma(&self) -> f64 {
        self.noise.borrow().sigma()
    }

    /// Restarts the noise stream from its seed.
    pub fn reset(&self) {
        self.noise.borrow_mut().reset();
    }

    /// The wrapped, noise-free surface.
    pub fn inner(&self) -> &'a O {
        self.inner
    }

    /// Unwraps the noise, with its stream where it is.
    pub fn into_noise(self) -> GradientNoise {
        self.noise.into_inner()
    }
}

impl<O: Objective + ?Sized> Objective for NoisyObjective<'_, O> {
    fn value(&self, p: Point) -> f64 {
        self.inner.value(p)
    }

    fn gradient(&self, p: Point) -> Point {
        let mut g = self.inner.gradient(p);
        self.noise.borrow_mut().perturb(&mut g);
        g
    }

    fn hessian(&self, p: Point) -> Hessian {
        self.inner.hessian(p)
    }

    fn bounds(&self) -> Bounds {
        self.inner.bounds()
    }

    fn minima(&self) -> Vec<Point> {
        self.inner.minima()
    }

    fn default_start(&self) -> Point {
        self.inner.default_start()
    }
}

/// A gradient-noise σ₁ for a surface without a hand-picked one (a typed
/// expression): 0.3 × the median gradient norm over a 16 × 16 grid of its
/// view, so noise is visible without drowning the descent; 1 if the
/// gradient is nowhere finite.
pub fn suggested_noise_scale(f: &dyn Objective) -> f64 {
    const SAMPLES: usize = 16;
    let view = f.bounds();
    let mut norms = Vec::with_capacity(SAMPLES * SAMPLES);
    for row in 0..SAMPLES {
        for column in 0..SAMPLES {
            let x = view.x_min + (column as f64 + 0.5) / SAMPLES as f64 * view.width();
            let y = view.y_min + (row as f64 + 0.5) / SAMPLES as f64 * view.height();
            let g = f.gradient([x, y]);
            let norm = g[0].hypot(g[1]);
            if norm.is_finite() {
                norms.push(norm);
            }
        }
    }
    if norms.is_empty() {
        return 1.0;
    }
    norms.sort_by(|a, b| a.total_cmp(b));
    let median = norms[norms.len() / 2];
    if median > 0.0 {
        0.3 * median
    } else {
        1.0
    }
}
