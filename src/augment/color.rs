//! Per-pixel colour adjustments, chained and run in one fused pass.
//!
//! Each step maps 8-bit RGB to 8-bit RGB (rounded and clamped after every
//! step, as torchvision does on `uint8` tensors); alpha is never touched.
//! A chain is compiled once: neutral steps vanish, consecutive per-channel
//! maps (brightness, contrast, RGB shifts) merge into one lookup table,
//! and the pixels are then visited once. Contrast is the exception: it
//! blends towards the mean grey of the image *as it is at that point*, so a
//! chain with contrast after other steps visits the pixels twice (the first
//! pass applies the earlier steps and sums the grey levels).

use super::grayscale::luma_fixed;
use super::hue::{hue_shift, rotate_hue};
use super::image::{check_output, RgbaImage, RgbaView, RgbaViewMut, CHANNELS};
use crate::error::{check_in, Error, Result};

/// Largest brightness, contrast or saturation factor accepted.
pub const MAX_COLOR_FACTOR: f64 = 1000.0;

/// One colour adjustment with its (already drawn) parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ColorStep {
    /// Multiply R, G, B by the factor: 0 gives black, 1 changes nothing.
    Brightness(f64),
    /// Blend with the image's mean grey level: `f·v + (1 − f)·mean`
    /// (0 gives flat mean grey, 1 changes nothing), as torchvision's
    /// `adjust_contrast`; the mean is of BT.601 luma over all pixels.
    Contrast(f64),
    /// Blend with the pixel's own grey: `f·v + (1 − f)·luma` (0 gives
    /// greyscale, 1 changes nothing, above 1 boosts colour).
    Saturation(f64),
    /// Rotate the HSV hue by this fraction of a turn (1/3 takes red to green).
    Hue(f64),
    /// Replace R, G, B by the BT.601 luma (the same as `Saturation(0.0)`).
    Grayscale,
    /// Add a constant to each of R, G, B (0–255 units): the PCA lighting shift.
    AddRgb([f64; 3]),
}

impl ColorStep {
    /// Fails on a parameter outside its range, naming the step.
    pub fn validate(&self) -> Result<()> {
        match *self {
            ColorStep::Brightness(f) => check_in("brightness factor", f, 0.0, MAX_COLOR_FACTOR),
            ColorStep::Contrast(f) => check_in("contrast factor", f, 0.0, MAX_COLOR_FACTOR),
            ColorStep::Saturation(f) => check_in("saturation factor", f, 0.0, MAX_COLOR_FACTOR),
            ColorStep::Hue(turns) => {
                if turns.is_finite() {
                    Ok(())
                } else {
                    Err(Error::new(format!(
                        "hue must be a finite number of turns, got {turns}"
                    )))
                }
            }
            ColorStep::Grayscale => Ok(()),
            ColorStep::AddRgb(shift) => {
                for (channel, value) in ["red", "green", "blue"].iter().zip(shift) {
                    check_in(&format!("{channel} shift"), value, -1e6, 1e6)?;
                }
                Ok(())
            }
        }
    }
}

/// A per-channel map of 8-bit values (R, G and B tables).
type ChannelTables = [[u8; 256]; 3];

/// A compiled step the pixel loop runs.
#[derive(Clone, Debug)]
enum Stage {
    Tables(Box<ChannelTables>),
    /// Saturation factor in 16.16 fixed point.
    Saturation(i64),
    /// Hue offset in 16.16 sectors.
    Hue(i64),
}

/// Compiled form: stages, with contrast left open until its mean is known.
enum Planned {
    Stage(Stage),
    Contrast(f64),
}

fn tables_from(map: impl Fn(usize, f64) -> f64) -> Box<ChannelTables> {
    let mut tables = Box::new([[0u8; 256]; 3]);
    for (channel, table) in tables.iter_mut().enumerate() {
        for (value, entry) in table.iter_mut().enumerate() {
            *entry = map(channel, value as f64).round().clamp(0.0, 255.0) as u8;
        }
    }
    tables
}

fn contrast_tables(factor: f64, mean: f64) -> Box<ChannelTables> {
    tables_from(|_, v| factor * v + (1.0 - factor) * mean)
}

/// Appends `stage`, merging it into a preceding table stage when both are tables.
fn push_stage(stages: &mut Vec<Stage>, stage: Stage) {
    if let (Some(Stage::Tables(first)), Stage::Tables(second)) = (stages.last_mut(), &stage) {
        for (first_table, second_table) in first.iter_mut().zip(second.iter()) {
            for entry in first_table.iter_mut() {
                *entry = second_table[*entry as usize];
            }
        }
        return;
    }
    stages.push(stage);
}

/// Runs `stages` over every pixel of `data`; returns the mean luma of the
/// result (0–255) when `want_mean`, else 0. Writes nothing if `stages` is empty.
fn run_pass(data: &mut [u8], stages: &[Stage], want_mean: bool) -> f64 {
    let mut luma_sum: u64 = 0;
    if stages.is_empty() {
        if want_mean {
            for pixel in data.chunks_exact(CHANNELS) {
                luma_sum += luma_fixed(pixel[0], pixel[1], pixel[2]) as u64;
            }
        }
    } else {
        for pixel in data.chunks_exact_mut(CHANNELS) {
            let mut rgb = [pixel[0], pixel[1], pixel[2]];
            for stage in stages {
                rgb = apply_stage(stage, rgb);
            }
            pixel[..3].copy_from_slice(&rgb);
            if want_mean {
                luma_sum += luma_fixed(rgb[0], rgb[1], rgb[2]) as u64;
            }
        }
    }
    let pixels = (data.len() / CHANNELS) as f64;
    luma_sum as f64 / 65536.0 / pixels
}

#[inline]
fn apply_stage(stage: &Stage, rgb: [u8; 3]) -> [u8; 3] {
    match stage {
        Stage::Tables(tables) => [
            tables[0][rgb[0] as usize],
            tables[1][rgb[1] as usize],
            tables[2][rgb[2] as usize],
        ],
        &Stage::Saturation(factor) => {
            let luma = luma_fixed(rgb[0], rgb[1], rgb[2]);
            // luma + factor·(v − luma), all 16.16, then rounded to an integer.
            let blend = |v: u8| {
                let fixed = luma * 65536 + factor * ((v as i64) * 65536 - luma);
                ((fixed + (1 << 31)) >> 32).clamp(0, 255) as u8
            };
            [blend(rgb[0]), blend(rgb[1]), blend(rgb[2])]
        }
        &Stage::Hue(shift) => rotate_hue(rgb, shift),
    }
}

/// A chain of colour steps applied left to right, in one fused pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColorAdjust {
    pub(crate) steps: Vec<ColorStep>,
}

impl ColorAdjust {
    /// The empty chain (changes nothing).
    pub fn new() -> Self {
        ColorAdjust::default()
    }

    /// A chain of `steps`, each validated.
    pub fn from_steps(steps: Vec<ColorStep>) -> Result<Self> {
        for step in &steps {
            step.validate()?;
        }
        Ok(ColorAdjust { steps })
    }

    /// This chain followed by `step`.
    pub fn then(mut self, step: ColorStep) -> Result<Self> {
        self.push(step)?;
        Ok(self)
    }

    /// Appends `step` to the chain.
    pub fn push(&mut self, step: ColorStep) -> Result<()> {
        step.validate()?;
        self.steps.push(step);
        Ok(())
    }

    /// Appends every step of `other`.
    pub fn extend(&mut self, other: &ColorAdjust) {
        self.steps.extend_from_slice(&other.steps);
    }

    /// The steps in order.
    pub fn steps(&self) -> &[ColorStep] {
        &self.steps
    }

    /// True if the chain has no step.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    fn plan(&self) -> Vec<Planned> {
        let mut plan = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let planned = match *step {
                ColorStep::Brightness(1.0) => continue,
                ColorStep::Contrast(1.0) => continue,
                ColorStep::Saturation(1.0) => continue,
                ColorStep::Hue(0.0) => continue,
                ColorStep::AddRgb(shift) if shift == [0.0; 3] => continue,
                ColorStep::Brightness(f) => {
                    Planned::Stage(Stage::Tables(tables_from(|_, v| v * f)))
                }
                ColorStep::AddRgb(shift) => {
                    Planned::Stage(Stage::Tables(tables_from(|channel, v| v + shift[channel])))
                }
                ColorStep::Contrast(f) => Planned::Contrast(f),
                ColorStep::Saturation(f) => {
                    Planned::Stage(Stage::Saturation((f * 65536.0).round() as i64))
                }
                ColorStep::Grayscale => Planned::Stage(Stage::Saturation(0)),
                ColorStep::Hue(turns) => Planned::Stage(Stage::Hue(hue_shift(turns))),
            };
            plan.push(planned);
        }
        plan
    }

    /// Applies the chain to the image in place.
    pub fn apply_in_place<'a>(&self, image: impl Into<RgbaViewMut<'a>>) {
        let mut image = image.into();
        let data = image.data_mut();
        let mut pending: Vec<Stage> = Vec::new();
        for planned in self.plan() {
            match planned {
                Planned::Stage(stage) => push_stage(&mut pending, stage),
                Planned::Contrast(factor) => {
                    let mean = run_pass(data, &pending, true);
                    pending.clear();
                    pending.push(Stage::Tables(contrast_tables(factor, mean)));
                }
            }
        }
        run_pass(data, &pending, false);
    }

    /// `src` with the chain applied.
    pub fn apply<'a>(&self, src: impl Into<RgbaView<'a>>) -> Result<RgbaImage> {
        let mut image = src.into().to_image();
        self.apply_in_place(&mut image);
        Ok(image)
    }

    /// Writes `src` with the chain applied into `out` (same size).
    pub fn apply_into<'a>(&self, src: impl Into<RgbaView<'a>>, out: &mut [u8]) -> Result<()> {
        let src = src.into();
        check_output("color adjust", out, src.width(), src.height())?;
        out.copy_from_slice(src.data());
        self.apply_in_place(RgbaViewMut::new(src.width(), src.height(), out)?);
        Ok(())
    }
}
