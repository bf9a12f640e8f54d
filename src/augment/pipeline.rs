//! A sequence of randomly applied ops, reproducible from a seed.
//!
//! Each op gets its own generator, seeded from the pipeline seed in op
//! order, so changing one op's probability or ranges does not change what
//! the other ops draw for the same seed.
//!
//! Three shortcuts keep one sample cheap without changing the result: flips
//! are not carried out at once but remembered, and a following random
//! resized crop reads the unflipped pixels through a mirrored box (so the
//! flip costs nothing); a random resized crop itself waits until its pixels
//! are needed, so flips after it only mirror how it reads; consecutive
//! colour ops are merged into one [`ColorAdjust`] and run in one pass just
//! before the next geometric op or at the end (flips and per-pixel colour
//! maps commute).

use super::color::{ColorAdjust, ColorStep};
use super::crop::{crop_padded, CropBox};
use super::erase::{erase_in_place, random_erase_box};
use super::flip::{hflip, hflip_in_place, vflip_in_place};
use super::image::{RgbaImage, RgbaView};
use super::jitter::{JitterFactors, JitterStrength};
use super::lighting::{draw_lighting_alpha, pca_lighting_shift};
use super::noise::add_noise_in_place;
use super::random_crop::{random_crop_box, random_resized_crop_box};
use super::resize::resample_box;
use super::rotate::rotate;
use super::spec::{erase_fill, OpKind, OpSpec};
use super::translate::translate;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// What one op of a pipeline did to one image, with its drawn parameters.
/// Boxes are in the coordinates of the image the op received.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AppliedOp {
    /// The op's coin came up tails; it did nothing.
    Skipped {
        /// Which op was skipped.
        kind: OpKind,
    },
    /// Mirrored left to right.
    HFlip,
    /// Mirrored top to bottom.
    VFlip,
    /// Cropped this box (may reach into the padding).
    RandomCrop {
        /// The box.
        crop: CropBox,
    },
    /// Cropped this box and resized it to the output size.
    RandomResizedCrop {
        /// The box, inside the image.
        crop: CropBox,
        /// True if the ten draws failed and a centre crop was used.
        fallback: bool,
    },
    /// Colour jitter with these factors and order.
    ColorJitter(JitterFactors),
    /// PCA lighting with weights `alpha` giving the RGB shift `rgb_shift` (0–255 units).
    Lighting {
        /// The drawn weights α.
        alpha: [f64; 3],
        /// The shift added to R, G, B.
        rgb_shift: [f64; 3],
    },
    /// Rotated counter-clockwise by this many degrees.
    Rotate {
        /// The drawn angle.
        degrees: f64,
    },
    /// Shifted by whole pixels (right and down positive).
    Translate {
        /// Horizontal shift.
        dx: i32,
        /// Vertical shift.
        dy: i32,
    },
    /// Erased this box (`None`: no box fitted in ten draws).
    Cutout {
        /// The erased box.
        region: Option<CropBox>,
    },
    /// Converted to grey.
    Grayscale,
    /// Gaussian noise drawn from this seed.
    Noise {
        /// Seed of the noise stream.
        seed: u64,
    },
}

impl AppliedOp {
    /// Which op this report is about.
    pub fn kind(&self) -> OpKind {
        match self {
            AppliedOp::Skipped { kind } => *kind,
            AppliedOp::HFlip => OpKind::HFlip,
            AppliedOp::VFlip => OpKind::VFlip,
            AppliedOp::RandomCrop { .. } => OpKind::RandomCrop,
            AppliedOp::RandomResizedCrop { .. } => OpKind::RandomResizedCrop,
            AppliedOp::ColorJitter(_) => OpKind::ColorJitter,
            AppliedOp::Lighting { .. } => OpKind::Lighting,
            AppliedOp::Rotate { .. } => OpKind::Rotate,
            AppliedOp::Translate { .. } => OpKind::Translate,
            AppliedOp::Cutout { .. } => OpKind::Cutout,
            AppliedOp::Grayscale => OpKind::Grayscale,
            AppliedOp::Noise { .. } => OpKind::Noise,
        }
    }

    /// True unless the op was skipped.
    pub fn was_applied(&self) -> bool {
        !matches!(self, AppliedOp::Skipped { .. })
    }
}

/// A validated list of ops.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    ops: Vec<OpSpec>,
}

impl Pipeline {
    /// Validates every op; the error starts with the op's position.
    pub fn new(ops: Vec<OpSpec>) -> Result<Self> {
        for (index, op) in ops.iter().enumerate() {
            op.validate()
                .map_err(|e| Error::new(format!("op {index}: {}", e.message())))?;
        }
        Ok(Pipeline { ops })
    }

    /// The ops in order.
    pub fn ops(&self) -> &[OpSpec] {
        &self.ops
    }

    /// Runs the pipeline on `image` with randomness fixed by `seed`; returns
    /// the augmented image and one report per op.
    pub fn apply<'a>(
        &self,
        image: impl Into<RgbaView<'a>>,
        seed: u64,
    ) -> Result<(RgbaImage, Vec<AppliedOp>)> {
        self.apply_reusing(image, seed, Vec::new())
    }

    /// [`apply`](Self::apply), with `spare` (say the buffer of the previous
    /// result, from [`RgbaImage::into_data`]) reused for a resized crop's
    /// output instead of a fresh allocation; the result is the same.
    pub fn apply_reusing<'a>(
        &self,
        image: impl Into<RgbaView<'a>>,
        seed: u64,
        spare: Vec<u8>,
    ) -> Result<(RgbaImage, Vec<AppliedOp>)> {
        let mut work = Work::new(image.into());
        work.spare = spare;
        let mut seeds = Rng::new(seed);
        let mut report = Vec::with_capacity(self.ops.len());
        for (index, op) in self.ops.iter().enumerate() {
            let mut rng = Rng::new(seeds.next_u64());
            let applied = if rng.bernoulli(op.probability()) {
                work.apply_op(op, &mut rng)
                    .map_err(|e| Error::new(format!("op {index}: {}", e.message())))?
            } else {
                AppliedOp::Skipped { kind: op.kind() }
            };
            report.push(applied);
        }
        Ok((work.finish()?, report))
    }
}

/// The image between ops, with flips and colour steps not yet carried out.
struct Work<'a> {
    source: RgbaView<'a>,
    /// The current pixels once an op has written any (else `source`).
    owned: Option<RgbaImage>,
    /// The current image is the stored pixels mirrored left to right.
    pending_hflip: bool,
    /// The current image is the stored pixels mirrored top to bottom.
    pending_vflip: bool,
    /// Colour steps still to run over the stored pixels.
    pending_colour: ColorAdjust,
    /// A buffer a resized crop may write into (its contents do not matter).
    spare: Vec<u8>,
    /// A resized crop of the stored pixels not yet carried out; once it is,
    /// its output becomes the stored pixels.
    pending_resample: Option<PendingResample>,
}

/// A resized crop waiting to run, so that flips after it fold into it too.
#[derive(Clone, Copy)]
struct PendingResample {
    /// The box in the stored pixels.
    crop_box: CropBox,
    /// Output size.
    size: (u32, u32),
    /// Read the box mirrored left to right / top to bottom.
    mirror_x: bool,
    mirror_y: bool,
}

impl<'a> Work<'a> {
    fn new(source: RgbaView<'a>) -> Self {
        Work {
            source,
            owned: None,
            pending_hflip: false,
            pending_vflip: false,
            pending_colour: ColorAdjust::new(),
            spare: Vec::new(),
            pending_resample: None,
        }
    }

    fn stored(&self) -> RgbaView<'_> {
        match &self.owned {
            Some(image) => image.view(),
            None => self.source,
        }
    }

    /// Size of the current image.
    fn size(&self) -> (u32, u32) {
        match self.pending_resample {
            Some(pending) => pending.size,
            None => (self.stored().width(), self.stored().height()),
        }
    }

    /// Carries out a pending resized crop, folding in the flips that came
    /// after it (a flip of the output is the same crop read mirrored).
    fn run_resample(&mut self) -> Result<()> {
        let Some(pending) = self.pending_resample.take() else {
            return Ok(());
        };
        let (width, height) = pending.size;
        // Every byte is overwritten, so old contents may stay.
        let mut out = std::mem::take(&mut self.spare);
        out.resize(width as usize * height as usize * 4, 0);
        resample_box(
            &self.stored(),
            pending.crop_box,
            width,
            height,
            pending.mirror_x != self.pending_hflip,
            pending.mirror_y != self.pending_vflip,
            &mut out,
        );
        self.owned = Some(RgbaImage::new(width, height, out)?);
        self.pending_hflip = false;
        self.pending_vflip = false;
        Ok(())
    }

    fn run_colour(&mut self) -> Result<()> {
        // Colour steps pending now came after any pending crop.
        self.run_resample()?;
        if self.pending_colour.is_empty() {
            return Ok(());
        }
        match &mut self.owned {
            Some(image) => self.pending_colour.apply_in_place(image),
            None => self.owned = Some(self.pending_colour.apply(self.source)?),
        }
        self.pending_colour = ColorAdjust::new();
        Ok(())
    }

    /// Runs pending colour steps and flips: afterwards the stored pixels are the image.
    fn settle(&mut self) -> Result<()> {
        self.run_colour()?;
        if self.pending_hflip {
            match &mut self.owned {
                Some(image) => hflip_in_place(image),
                None => self.owned = Some(hflip(self.source)?),
            }
            self.pending_hflip = false;
        }
        if self.pending_vflip {
            let image = self.owned.get_or_insert_with(|| self.source.to_image());
            vflip_in_place(image);
            self.pending_vflip = false;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<RgbaImage> {
        self.settle()?;
        Ok(match self.owned {
            Some(image) => image,
            None => self.source.to_image(),
        })
    }

    fn apply_op(&mut self, op: &OpSpec, rng: &mut Rng) -> Result<AppliedOp> {
        let (width, height) = self.size();
        Ok(match *op {
            OpSpec::HFlip { .. } => {
                self.pending_hflip = !self.pending_hflip;
                AppliedOp::HFlip
            }
            OpSpec::VFlip { .. } => {
                self.pending_vflip = !self.pending_vflip;
                AppliedOp::VFlip
            }
            OpSpec::RandomResizedCrop {
                scale, ratio, size, ..
            } => {
                let draw = random_resized_crop_box(width, height, scale, ratio, rng)?;
                // Runs any earlier crop, then the colour steps before this one.
                self.run_colour()?;
                // The box was drawn on the (virtually) flipped image; find it
                // in the stored pixels and sample it mirrored.
                let mut stored_box = draw.crop;
                if self.pending_hflip {
                    stored_box = stored_box.mirrored_x(width);
                }
                if self.pending_vflip {
                    stored_box = stored_box.mirrored_y(height);
                }
                self.pending_resample = Some(PendingResample {
                    crop_box: stored_box,
                    size,
                    mirror_x: self.pending_hflip,
                    mirror_y: self.pending_vflip,
                });
                self.pending_hflip = false;
                self.pending_vflip = false;
                AppliedOp::RandomResizedCrop {
                    crop: draw.crop,
                    fallback: draw.fallback,
                }
            }
            OpSpec::RandomCrop {
                size,
                padding,
                padding_mode,
                ..
            } => {
                let crop = random_crop_box(width, height, size.0, size.1, padding, rng)?;
                self.settle()?;
                self.owned = Some(crop_padded(self.stored(), crop, padding_mode)?);
                AppliedOp::RandomCrop { crop }
            }
            OpSpec::ColorJitter {
                brightness,
                contrast,
                saturation,
                hue,
                ..
            } => {
                let factors = JitterStrength {
                    brightness,
                    contrast,
                    saturation,
                    hue,
                }
                .draw(rng);
                self.pending_colour.extend(&factors.to_adjust()?);
                AppliedOp::ColorJitter(factors)
            }
            OpSpec::Lighting { std, .. } => {
                let alpha = draw_lighting_alpha(std, rng);
                let rgb_shift = pca_lighting_shift(alpha);
                self.pending_colour.push(ColorStep::AddRgb(rgb_shift))?;
                AppliedOp::Lighting { alpha, rgb_shift }
            }
            OpSpec::Grayscale { .. } => {
                self.pending_colour.push(ColorStep::Grayscale)?;
                AppliedOp::Grayscale
            }
            OpSpec::Rotate { degrees, fill, .. } => {
                let angle = rng.uniform_in(degrees.0, degrees.1);
                self.settle()?;
                self.owned = Some(rotate(self.stored(), angle, fill)?);
                AppliedOp::Rotate { degrees: angle }
            }
            OpSpec::Translate {
                max_shift, padding, ..
            } => {
                let limit_x = max_shift.0 * width as f64;
                let limit_y = max_shift.1 * height as f64;
                let dx = rng.uniform_in(-limit_x, limit_x).round() as i32;
                let dy = rng.uniform_in(-limit_y, limit_y).round() as i32;
                self.settle()?;
                self.owned = Some(translate(self.stored(), dx, dy, padding)?);
                AppliedOp::Translate { dx, dy }
            }
            OpSpec::Cutout {
                scale, ratio, fill, ..
            } => {
                let region = random_erase_box(width, height, scale, ratio, rng)?;
                let noise_seed = rng.next_u64();
                if let Some(region) = region {
                    self.settle()?;
                    let image = self.owned.get_or_insert_with(|| self.source.to_image());
                    erase_in_place(image, region, erase_fill(fill, noise_seed))?;
                }
                AppliedOp::Cutout { region }
            }
            OpSpec::Noise { std, .. } => {
                let seed = rng.next_u64();
                self.settle()?;
                let image = self.owned.get_or_insert_with(|| self.source.to_image());
                add_noise_in_place(image, std, seed)?;
                AppliedOp::Noise { seed }
            }
        })
    }
}
