//! Training-time augmentation of image batches with `crate::augment`.
//!
//! The augmentation ops work on RGBA bytes (a canvas `ImageData`), the
//! network on f32 NCHW rows. Each training image is converted on the fly:
//! values are mapped from the training set's range `[low, high]` to 0–255
//! (grey images to R = G = B, three-channel images plane by plane), run
//! through the pipeline with its own seed, and mapped back (grey images
//! from R; ops such as noise draw each channel separately, and R alone
//! keeps their strength). For data that are already bytes / 255, such as
//! the digits, the round trip is exact, and an image whose ops all skipped
//! is left untouched. Evaluation never sees this: only training batches
//! pass through it.
//!
//! A pipeline must keep the image's size (the network's input is fixed), so
//! crops must output exactly `[width, height]`: `random_crop` with
//! `padding` is the usual shift-by-cropping. Lighting shifts colours along
//! ImageNet's RGB principal components and is refused for grey images.

use super::shape::Shape;
use crate::augment::{OpSpec, Pipeline, RgbaView};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Fails, naming `augment.ops[i]`, unless every op of `pipeline` keeps
/// images of `shape` at their size and suits their channels.
pub fn check_pipeline_fits(pipeline: &Pipeline, shape: Shape) -> Result<()> {
    if shape.channels != 1 && shape.channels != 3 {
        return Err(Error::new(format!(
            "augment needs images with 1 or 3 channels, these have {}",
            shape.channels
        )));
    }
    let size = (shape.width as u32, shape.height as u32);
    for (i, op) in pipeline.ops().iter().enumerate() {
        let name = op.kind().name();
        match *op {
            OpSpec::RandomCrop { size: out, .. } | OpSpec::RandomResizedCrop { size: out, .. }
                if out != size =>
            {
                return Err(Error::new(format!(
                    "augment.ops[{i}].size ({name}) must be [{}, {}], the images' size and so the network's input, got [{}, {}]",
                    size.0, size.1, out.0, out.1
                )));
            }
            OpSpec::Lighting { .. } if shape.channels == 1 => {
                return Err(Error::new(format!(
                    "augment.ops[{i}] (lighting) shifts colours along ImageNet's RGB principal components; it does not apply to 1-channel images"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Augments training images in place, each with a fresh seed.
#[derive(Clone, Debug)]
pub struct ImageAugmenter {
    pipeline: Pipeline,
    shape: Shape,
    low: f32,
    span: f32,
    rng: Rng,
    rgba: Vec<u8>,
    spare: Vec<u8>,
}

impl ImageAugmenter {
    /// An augmenter for images of `shape` whose values lie in `range`
    /// (mapped to 0–255), drawing its seeds from `seed`.
    pub fn new(pipeline: Pipeline, shape: Shape, range: (f32, f32), seed: u64) -> Result<Self> {
        check_pipeline_fits(&pipeline, shape)?;
        let (low, high) = range;
        let span = if high > low { high - low } else { 1.0 };
        Ok(ImageAugmenter {
            pipeline,
            shape,
            low,
            span,
            rng: Rng::new(seed),
            rgba: vec![0; shape.plane() * 4],
            spare: Vec::new(),
        })
    }

    /// The ops applied.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Augments every image of `batch` (rows of `C·H·W` values).
    pub fn augment_batch(&mut self, batch: &mut [f32]) -> Result<()> {
        for image in batch.chunks_exact_mut(self.shape.len()) {
            let seed = self.rng.next_u64();
            self.augment_image(image, seed)?;
        }
        Ok(())
    }

    /// Augments one image in place with the pipeline's randomness fixed by
    /// `seed`; returns whether any op applied.
    pub fn augment_image(&mut self, image: &mut [f32], seed: u64) -> Result<bool> {
        let plane = self.shape.plane();
        let (low, span) = (self.low, self.span);
        let to_byte = |v: f32| ((v - low) / span * 255.0).round().clamp(0.0, 255.0) as u8;
        for (p, pixel) in self.rgba.chunks_exact_mut(4).enumerate() {
            if self.shape.channels == 1 {
                let b = to_byte(image[p]);
                pixel.copy_from_slice(&[b, b, b, 255]);
            } else {
                for (c, slot) in pixel[..3].iter_mut().enumerate() {
                    *slot = to_byte(image[c * plane + p]);
                }
                pixel[3] = 255;
            }
        }
        let view = RgbaView::new(
            self.shape.width as u32,
            self.shape.height as u32,
            &self.rgba,
        )?;
        let spare = std::mem::take(&mut self.spare);
        let (out, report) = self.pipeline.apply_reusing(view, seed, spare)?;
        let applied = report.iter().any(|op| op.was_applied());
        if applied {
            let from_byte = |b: u8| low + b as f32 / 255.0 * span;
            for (p, pixel) in out.data().chunks_exact(4).enumerate() {
                for c in 0..self.shape.channels {
                    image[c * plane + p] = from_byte(pixel[c]);
                }
            }
        }
        self.spare = out.into_data();
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::Padding;

    fn pipeline(ops: Vec<OpSpec>) -> Pipeline {
        Pipeline::new(ops).unwrap()
    }

    #[test]
    fn a_translation_moves_a_grey_image_exactly() {
        // A 4×3 image of bytes / 255 with one bright pixel at (1, 1).
        let shape = Shape::new(1, 3, 4);
        let mut image = vec![0.0f32; 12];
        image[5] = 200.0 / 255.0;
        let shift = pipeline(vec![OpSpec::Translate {
            p: 1.0,
            max_shift: (0.5, 0.0),
            padding: Padding::Constant([0, 0, 0, 255]),
        }]);
        let mut augmenter = ImageAugmenter::new(shift, shape, (0.0, 1.0), 1).unwrap();
        let mut moved = image.clone();
        assert!(augmenter.augment_image(&mut moved, 3).unwrap());
        let at = moved.iter().position(|&v| v > 0.0).unwrap();
        assert_eq!(
            moved[at],
            200.0 / 255.0,
            "bytes / 255 survive the round trip"
        );
        assert_eq!(at / 4, 1, "a horizontal shift keeps the row");
        // Skipped ops leave the values alone, even off the byte grid.
        let never = pipeline(vec![OpSpec::HFlip { p: 0.0 }]);
        let mut augmenter = ImageAugmenter::new(never, shape, (0.0, 1.0), 1).unwrap();
        let mut odd = vec![0.123_456_7f32; 12];
        assert!(!augmenter.augment_image(&mut odd, 1).unwrap());
        assert_eq!(odd, vec![0.123_456_7f32; 12]);
    }

    #[test]
    fn three_channel_images_flip_plane_by_plane_in_their_range() {
        // Planes R, G, B of a 2×1 image in [−1, 1]: a flip swaps each plane's pixels.
        let shape = Shape::new(3, 1, 2);
        let mut image = vec![-1.0, 1.0, 1.0, -1.0, -1.0, -1.0];
        let flip = pipeline(vec![OpSpec::HFlip { p: 1.0 }]);
        let mut augmenter = ImageAugmenter::new(flip, shape, (-1.0, 1.0), 1).unwrap();
        augmenter.augment_image(&mut image, 0).unwrap();
        assert_eq!(image, vec![1.0, -1.0, -1.0, 1.0, -1.0, -1.0]);
    }

    #[test]
    fn ops_that_do_not_fit_the_images_are_named() {
        let shape = Shape::new(1, 28, 28);
        let crop = |size| OpSpec::RandomCrop {
            p: 1.0,
            size,
            padding: 4,
            padding_mode: Padding::Constant([0, 0, 0, 255]),
        };
        assert!(check_pipeline_fits(&pipeline(vec![crop((28, 28))]), shape).is_ok());
        let message = |ops, shape| {
            check_pipeline_fits(&pipeline(ops), shape)
                .unwrap_err()
                .message()
                .to_string()
        };
        let wrong = message(vec![OpSpec::HFlip { p: 0.5 }, crop((24, 28))], shape);
        assert!(wrong.starts_with("augment.ops[1].size"), "{wrong}");
        let lighting = message(vec![OpSpec::Lighting { p: 1.0, std: 0.1 }], shape);
        assert!(
            lighting.starts_with("augment.ops[0] (lighting)"),
            "{lighting}"
        );
        let two = message(vec![], Shape::new(2, 28, 28));
        assert!(two.contains("1 or 3 channels"), "{two}");
    }
}
