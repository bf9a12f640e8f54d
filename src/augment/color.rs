//! Per-pixel colour adjustments, chained and run in one fused pass.
//!
//! Each step maps 8-bit RGB to 8-bit RGB (rounded and clamped after every
//! step, as torchvision does on `uint8` tensors); alpha is never touched.
//! A chain is compiled once: neutral steps vanish, consecutive per-channel
//! maps (brightness, contrast, RGB shifts) merge into one lookup table,
//! and the pixels are then visited once, 64 at a time: each block is split
//! into R, G, B arrays and every step runs over the block while it sits in
//! cache, as plain loops the compiler vectorises. Saturation and hue work
//! in `f32` (rounding to nearest; exact ties may go to the even neighbour).
//! Contrast is the exception to the single pass: it
//! blends towards the mean grey of the image *as it is at that point*, so a
//! chain with contrast after other steps visits the pixels twice (the first
//! pass applies the earlier steps and sums the grey levels).

use super::grayscale::{luma_fixed, LUMA_WEIGHTS};
use super::hue::{hue_shift, rotate_hue_block, round_small, BLOCK};
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
    /// Saturation factor.
    Saturation(f32),
    /// Hue offset in sectors (sixths of a turn).
    Hue(f32),
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
            *entry = rounded_byte(map(channel, value as f64));
        }
    }
    tables
}

/// `x.round().clamp(0.0, 255.0) as u8` without the call to `round` (wasm
/// has no instruction for halves away from zero; `floor` is one): for
/// x ≥ 0 the fraction x − ⌊x⌋ is exact, and below 0.5 both give 0.
#[inline]
fn rounded_byte(x: f64) -> u8 {
    let below = x.floor();
    let nearest = if x - below >= 0.5 { below + 1.0 } else { below };
    nearest.clamp(0.0, 255.0) as u8
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

// A block's luma sum must fit in i32 (see `run_pass`).
const _: () = assert!(BLOCK as i64 * 255 * 65536 <= i32::MAX as i64);

/// One block of pixels split into channel arrays (values 0–255), so each
/// stage is a simple loop the compiler can vectorise.
struct Block {
    red: [i32; BLOCK],
    green: [i32; BLOCK],
    blue: [i32; BLOCK],
}

/// Runs `stages` over every pixel of `data`, block by block (one pass over
/// memory); returns the mean luma of the result (0–255) when `want_mean`,
/// else 0. Writes nothing if `stages` is empty.
///
/// Pixels are read and written as little-endian u32 words (R in the low
/// byte, A in the high one), so splitting a block into channels and merging
/// it back are shifts and masks the compiler vectorises.
fn run_pass(data: &mut [u8], stages: &[Stage], want_mean: bool) -> f64 {
    if stages.is_empty() {
        return if want_mean {
            mean_luma_after(data, None)
        } else {
            0.0
        };
    }
    if let ([Stage::Tables(tables)], false) = (stages, want_mean) {
        // Lookups alone need no channel split.
        let [red, green, blue] = &**tables;
        for pixel in data.chunks_exact_mut(CHANNELS) {
            pixel[0] = red[pixel[0] as usize];
            pixel[1] = green[pixel[1] as usize];
            pixel[2] = blue[pixel[2] as usize];
        }
        return 0.0;
    }
    let mut luma_sum: u64 = 0;
    let mut block = Block {
        red: [0; BLOCK],
        green: [0; BLOCK],
        blue: [0; BLOCK],
    };
    let mut alpha = [0u32; BLOCK];
    for chunk in data.chunks_mut(BLOCK * CHANNELS) {
        let count = chunk.len() / CHANNELS;
        split_block(chunk, &mut block, &mut alpha);
        for stage in stages {
            apply_stage(stage, &mut block);
        }
        if want_mean {
            // At most BLOCK · 255 · 65536 < 2³¹ (asserted above).
            let mut block_sum: i32 = 0;
            for i in 0..count {
                block_sum += block.red[i] * LUMA_WEIGHTS[0]
                    + block.green[i] * LUMA_WEIGHTS[1]
                    + block.blue[i] * LUMA_WEIGHTS[2];
            }
            luma_sum += block_sum as u64;
        }
        merge_block(&block, &alpha, chunk);
    }
    let pixels = (data.len() / CHANNELS) as f64;
    luma_sum as f64 / 65536.0 / pixels
}

/// Splits up to [`BLOCK`] RGBA pixels into the block's channels, keeping
/// each alpha byte in place in `alpha` (as the top byte of a u32).
fn split_block(chunk: &[u8], block: &mut Block, alpha: &mut [u32; BLOCK]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if chunk.len() == BLOCK * CHANNELS {
        simd_block::split(chunk, block, alpha);
        return;
    }
    for (i, pixel) in chunk.chunks_exact(CHANNELS).enumerate() {
        let word = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
        block.red[i] = (word & 255) as i32;
        block.green[i] = (word >> 8 & 255) as i32;
        block.blue[i] = (word >> 16 & 255) as i32;
        alpha[i] = word & 0xff00_0000;
    }
}

/// Writes the block's channels (each 0–255) and the kept alpha back as RGBA.
fn merge_block(block: &Block, alpha: &[u32; BLOCK], chunk: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if chunk.len() == BLOCK * CHANNELS {
        simd_block::merge(block, alpha, chunk);
        return;
    }
    for (i, pixel) in chunk.chunks_exact_mut(CHANNELS).enumerate() {
        let word = alpha[i]
            | block.red[i] as u32
            | (block.green[i] as u32) << 8
            | (block.blue[i] as u32) << 16;
        pixel.copy_from_slice(&word.to_le_bytes());
    }
}

/// Block split and merge with wasm `simd128`: four pixels per 16-byte word
/// vector, channels taken apart and put back with shifts and masks.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd_block {
    use super::{Block, BLOCK, CHANNELS};
    use core::arch::wasm32::*;

    pub(super) fn split(chunk: &[u8], block: &mut Block, alpha: &mut [u32; BLOCK]) {
        assert_eq!(chunk.len(), BLOCK * CHANNELS);
        let low_byte = u32x4_splat(255);
        let alpha_byte = u32x4_splat(0xff00_0000);
        for q in 0..BLOCK / 4 {
            // SAFETY: the assert keeps every 16-byte access inside `chunk`
            // and the 64-entry arrays; wasm loads and stores need no alignment.
            unsafe {
                let words = v128_load(chunk.as_ptr().add(q * 16) as *const v128);
                let at = q * 4;
                v128_store(
                    block.red.as_mut_ptr().add(at) as *mut v128,
                    v128_and(words, low_byte),
                );
                v128_store(
                    block.green.as_mut_ptr().add(at) as *mut v128,
                    v128_and(u32x4_shr(words, 8), low_byte),
                );
                v128_store(
                    block.blue.as_mut_ptr().add(at) as *mut v128,
                    v128_and(u32x4_shr(words, 16), low_byte),
                );
                v128_store(
                    alpha.as_mut_ptr().add(at) as *mut v128,
                    v128_and(words, alpha_byte),
                );
            }
        }
    }

    pub(super) fn merge(block: &Block, alpha: &[u32; BLOCK], chunk: &mut [u8]) {
        assert_eq!(chunk.len(), BLOCK * CHANNELS);
        for q in 0..BLOCK / 4 {
            let at = q * 4;
            // SAFETY: as in `split`.
            unsafe {
                let red = v128_load(block.red.as_ptr().add(at) as *const v128);
                let green = v128_load(block.green.as_ptr().add(at) as *const v128);
                let blue = v128_load(block.blue.as_ptr().add(at) as *const v128);
                let kept = v128_load(alpha.as_ptr().add(at) as *const v128);
                let words = v128_or(
                    v128_or(kept, red),
                    v128_or(i32x4_shl(green, 8), i32x4_shl(blue, 16)),
                );
                v128_store(chunk.as_mut_ptr().add(q * 16) as *mut v128, words);
            }
        }
    }
}

/// The mean luma (0–255) the pixels would have after `tables`, without
/// changing them (the plain mean if `None`).
fn mean_luma_after(data: &[u8], tables: Option<&ChannelTables>) -> f64 {
    let mut luma_sum: u64 = 0;
    match tables {
        None => {
            for pixel in data.chunks_exact(CHANNELS) {
                luma_sum += luma_fixed(pixel[0], pixel[1], pixel[2]) as u64;
            }
        }
        Some([red, green, blue]) => {
            for pixel in data.chunks_exact(CHANNELS) {
                let (r, g, b) = (pixel[0], pixel[1], pixel[2]);
                luma_sum += luma_fixed(red[r as usize], green[g as usize], blue[b as usize]) as u64;
            }
        }
    }
    let pixels = (data.len() / CHANNELS) as f64;
    luma_sum as f64 / 65536.0 / pixels
}

fn apply_stage(stage: &Stage, block: &mut Block) {
    match stage {
        Stage::Tables(tables) => {
            let channels = [&mut block.red, &mut block.green, &mut block.blue];
            for (values, table) in channels.into_iter().zip(tables.iter()) {
                for value in values.iter_mut() {
                    *value = table[(*value & 255) as usize] as i32;
                }
            }
        }
        &Stage::Saturation(factor) => {
            for i in 0..BLOCK {
                let luma = (block.red[i] * LUMA_WEIGHTS[0]
                    + block.green[i] * LUMA_WEIGHTS[1]
                    + block.blue[i] * LUMA_WEIGHTS[2]) as f32
                    * (1.0 / 65536.0);
                // luma + factor·(v − luma), clamped and rounded.
                let blend = |v: i32| {
                    let mixed = luma + factor * (v as f32 - luma);
                    round_small(mixed.clamp(0.0, 255.0))
                };
                block.red[i] = blend(block.red[i]);
                block.green[i] = blend(block.green[i]);
                block.blue[i] = blend(block.blue[i]);
            }
        }
        &Stage::Hue(shift) => {
            rotate_hue_block(&mut block.red, &mut block.green, &mut block.blue, shift)
        }
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
                ColorStep::Saturation(f) => Planned::Stage(Stage::Saturation(f as f32)),
                ColorStep::Grayscale => Planned::Stage(Stage::Saturation(0.0)),
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
                Planned::Contrast(factor) => match pending.as_slice() {
                    // Only per-channel maps so far: their effect on the mean
                    // is read off without writing, and contrast joins them.
                    [] | [Stage::Tables(_)] => {
                        let tables = match pending.first() {
                            Some(Stage::Tables(tables)) => Some(&**tables),
                            _ => None,
                        };
                        let mean = mean_luma_after(data, tables);
                        push_stage(&mut pending, Stage::Tables(contrast_tables(factor, mean)));
                    }
                    _ => {
                        let mean = run_pass(data, &pending, true);
                        pending.clear();
                        pending.push(Stage::Tables(contrast_tables(factor, mean)));
                    }
                },
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

#[cfg(test)]
mod tests {
    use super::rounded_byte;

    #[test]
    fn rounded_byte_matches_round_then_clamp() {
        let reference = |x: f64| x.round().clamp(0.0, 255.0) as u8;
        let mut values = vec![
            -1e300,
            -3.5,
            -0.5,
            -0.49999999999999994,
            -0.0,
            0.0,
            0.49999999999999994,
            0.5,
            254.49999999999997,
            254.5,
            255.5,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every half and its neighbours in representation, plus a fine grid.
        for k in -4..=520 {
            let half = k as f64 * 0.5;
            values.extend([half, f64::from_bits(half.to_bits() + 1), half - 1e-9]);
        }
        for i in 0..=300_000 {
            values.push(-20.0 + i as f64 * 0.000_937);
        }
        for x in values {
            assert_eq!(rounded_byte(x), reference(x), "x = {x:e}");
        }
    }
}
