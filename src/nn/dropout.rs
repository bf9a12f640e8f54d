//! Dropout (Srivastava et al. 2014): zero each unit with probability p.
//!
//! Two conventions keep the expected activation the same in training and
//! at test time, with `p_keep = 1 − p`:
//!
//! * [`DropoutMode::Inverted`] (what frameworks do): kept units are scaled by
//!   `1/p_keep` while training and nothing happens at test time.
//! * [`DropoutMode::Original`] (the lecture's first version): no scaling
//!   while training, every unit is multiplied by `p_keep` at test time.
//!
//! Masks are drawn from the crate [`Rng`] (seeded), or fixed with
//! [`Dropout::fix_mask`] so that a gradient check sees one deterministic
//! function.

use super::Mode;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Where the `1/p_keep` correction goes: training (inverted) or test (original).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropoutMode {
    /// Scale kept units by `1/p_keep` at train time; identity at test time.
    Inverted,
    /// No scaling at train time; multiply by `p_keep` at test time.
    Original,
}

impl DropoutMode {
    /// The name the JS API uses: "inverted" or "original".
    pub fn name(self) -> &'static str {
        match self {
            DropoutMode::Inverted => "inverted",
            DropoutMode::Original => "original",
        }
    }

    /// Reads a JS name; the error names the `dropoutMode` setting.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "inverted" => Ok(DropoutMode::Inverted),
            "original" => Ok(DropoutMode::Original),
            _ => Err(Error::new(format!(
                "dropoutMode must be inverted or original, got \"{name}\""
            ))),
        }
    }
}

/// A dropout layer with its own seeded generator and the last mask.
#[derive(Clone, Debug)]
pub struct Dropout {
    drop_prob: f32,
    mode: DropoutMode,
    rng: Rng,
    /// 1 for kept units, 0 for dropped ones, `[batch][features]`.
    mask: Vec<f32>,
    /// When set, training forwards reuse `mask` instead of drawing one.
    mask_fixed: bool,
}

impl Dropout {
    /// A layer dropping units with probability `drop_prob` (in [0, 1)),
    /// drawing masks from a generator seeded with `seed`.
    pub fn new(drop_prob: f32, mode: DropoutMode, seed: u64) -> Result<Self> {
        check_drop_prob(drop_prob as f64)?;
        Ok(Dropout {
            drop_prob,
            mode,
            rng: Rng::new(seed),
            mask: Vec::new(),
            mask_fixed: false,
        })
    }

    /// The probability p of dropping a unit.
    pub fn drop_prob(&self) -> f32 {
        self.drop_prob
    }

    /// The probability `1 − p` of keeping a unit.
    pub fn keep_prob(&self) -> f32 {
        1.0 - self.drop_prob
    }

    /// Which scaling convention is used.
    pub fn mode(&self) -> DropoutMode {
        self.mode
    }

    /// Switches the scaling convention (masks are unaffected).
    pub fn set_mode(&mut self, mode: DropoutMode) {
        self.mode = mode;
    }

    /// Restarts mask drawing from a fresh generator seeded with `seed`.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
    }

    /// The mask of the last training forward (1 kept, 0 dropped), row-major
    /// `[batch][features]`; empty before the first one.
    pub fn mask(&self) -> &[f32] {
        &self.mask
    }

    /// Uses `mask` (entries 0 or 1) for every training forward until
    /// [`Dropout::release_mask`]; its length must equal batch × features then.
    pub fn fix_mask(&mut self, mask: &[f32]) -> Result<()> {
        if let Some(bad) = mask.iter().find(|&&m| m != 0.0 && m != 1.0) {
            return Err(Error::new(format!(
                "dropout mask entries must be 0 or 1, got {bad}"
            )));
        }
        self.mask.clear();
        self.mask.extend_from_slice(mask);
        self.mask_fixed = true;
        Ok(())
    }

    /// Goes back to drawing a new mask on every training forward.
    pub fn release_mask(&mut self) {
        self.mask_fixed = false;
    }

    /// Whether a fixed mask is in use.
    pub fn mask_is_fixed(&self) -> bool {
        self.mask_fixed
    }

    /// The factor applied to kept units in `mode`.
    pub fn scale(&self, mode: Mode) -> f32 {
        match (mode, self.mode) {
            (Mode::Train, DropoutMode::Inverted) => 1.0 / self.keep_prob(),
            (Mode::Train, DropoutMode::Original) => 1.0,
            (Mode::Eval, DropoutMode::Inverted) => 1.0,
            (Mode::Eval, DropoutMode::Original) => self.keep_prob(),
        }
    }

    /// Training: draws (or reuses) a mask and outputs `x·mask·scale`.
    /// Eval: outputs `x·scale` with no mask.
    pub fn forward(&mut self, input: &[f32], output: &mut [f32], mode: Mode) {
        assert_eq!(
            input.len(),
            output.len(),
            "dropout buffers differ in length"
        );
        let scale = self.scale(mode);
        match mode {
            Mode::Train => {
                if self.mask_fixed {
                    assert_eq!(
                        self.mask.len(),
                        input.len(),
                        "the fixed dropout mask does not fit this batch"
                    );
                } else {
                    self.draw_mask(input.len());
                }
                for ((y, &x), &keep) in output.iter_mut().zip(input).zip(&self.mask) {
                    *y = x * keep * scale;
                }
            }
            Mode::Eval => {
                for (y, &x) in output.iter_mut().zip(input) {
                    *y = x * scale;
                }
            }
        }
    }

    /// `dx = dy·mask·scale` for the mask of the last training forward.
    pub fn backward(&self, grad_output: &[f32], grad_input: &mut [f32]) {
        let scale = self.scale(Mode::Train);
        for ((dx, &dy), &keep) in grad_input.iter_mut().zip(grad_output).zip(&self.mask) {
            *dx = dy * keep * scale;
        }
    }

    /// Each unit is kept when a 32-bit uniform draw falls below
    /// `p_keep·2³²`; one 64-bit draw decides two units.
    fn draw_mask(&mut self, len: usize) {
        let threshold = (self.keep_prob() as f64 * 4_294_967_296.0) as u64;
        self.mask.resize(len, 0.0);
        for pair in self.mask.chunks_mut(2) {
            let bits = self.rng.next_u64();
            let halves = [bits & 0xFFFF_FFFF, bits >> 32];
            for (keep, half) in pair.iter_mut().zip(halves) {
                *keep = if half < threshold { 1.0 } else { 0.0 };
            }
        }
    }
}

/// Fails unless the drop probability is in [0, 1); the error names `dropout`.
pub fn check_drop_prob(drop_prob: f64) -> Result<()> {
    if !drop_prob.is_finite() || !(0.0..1.0).contains(&drop_prob) {
        return Err(Error::new(format!(
            "dropout (the drop probability) must be at least 0 and below 1, got {drop_prob}"
        )));
    }
    Ok(())
}
