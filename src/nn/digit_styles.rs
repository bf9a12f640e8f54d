//! Handwritten digits in another style: the "similar data" targets of
//! transfer learning (the same classes as the source task, drawn
//! differently).
//!
//! A style changes an image once, when the data set is made (it is a new
//! data set, not augmentation). Its random choices (a shift, the noise)
//! are seeded by the image's index in the asset, not by the run, so the
//! fixed validation set is the same images in the same style for every
//! run and seed.

use super::shape::Shape;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Largest shift of the `shifted` style, in pixels each way (MNIST digits
/// fill a 20 × 20 box in the middle of 28 × 28, so ±4 keeps them whole).
pub const MAX_SHIFT: i64 = 4;
/// Standard deviation of the `noisy` style's Gaussian noise (values in [0, 1]).
pub const NOISE_STD: f64 = 0.35;
/// Seeds the per-image choices of the shifted and noisy styles.
const STYLE_SEED: u64 = 0x57A1_E5EE_D000;

/// How the digits of a target task are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitStyle {
    /// As in the asset: white ink on black.
    Plain,
    /// Strokes thickened by a 3 × 3 grey dilation (each pixel becomes the
    /// brightest of its neighbourhood).
    Thick,
    /// Black ink on white: every value v becomes 1 − v.
    Inverted,
    /// Moved by a whole number of pixels, up to ±4 each way (zeros fill in).
    Shifted,
    /// Gaussian noise (σ = 0.35) added to every pixel, clipped to [0, 1].
    Noisy,
}

impl DigitStyle {
    /// Every style, in the order the UI lists them.
    pub const ALL: [DigitStyle; 5] = [
        DigitStyle::Plain,
        DigitStyle::Thick,
        DigitStyle::Inverted,
        DigitStyle::Shifted,
        DigitStyle::Noisy,
    ];

    /// The name the settings use.
    pub fn name(self) -> &'static str {
        match self {
            DigitStyle::Plain => "plain",
            DigitStyle::Thick => "thick",
            DigitStyle::Inverted => "inverted",
            DigitStyle::Shifted => "shifted",
            DigitStyle::Noisy => "noisy",
        }
    }

    /// Reads a style name; the error names `dataset.style`.
    pub fn parse(name: &str) -> Result<DigitStyle> {
        DigitStyle::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = DigitStyle::ALL.iter().map(|s| s.name()).collect();
                Error::new(format!(
                    "dataset.style must be one of {}, got \"{name}\"",
                    names.join(", ")
                ))
            })
    }

    /// Restyles one image (`values` in [0, 1], `shape` its C × H × W),
    /// `index` being its position in the asset.
    pub fn apply(self, values: &mut [f32], shape: Shape, index: usize) {
        debug_assert_eq!(values.len(), shape.len());
        let mut rng = Rng::new(STYLE_SEED ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let plane = shape.plane();
        match self {
            DigitStyle::Plain => {}
            DigitStyle::Inverted => values.iter_mut().for_each(|v| *v = 1.0 - *v),
            DigitStyle::Noisy => {
                for v in values.iter_mut() {
                    *v = (*v as f64 + NOISE_STD * rng.normal()).clamp(0.0, 1.0) as f32;
                }
            }
            DigitStyle::Thick => {
                for channel in values.chunks_exact_mut(plane) {
                    let source = channel.to_vec();
                    dilate(&source, channel, shape.height, shape.width);
                }
            }
            DigitStyle::Shifted => {
                let span = (2 * MAX_SHIFT + 1) as usize;
                let dx = rng.below(span) as i64 - MAX_SHIFT;
                let dy = rng.below(span) as i64 - MAX_SHIFT;
                for channel in values.chunks_exact_mut(plane) {
                    let source = channel.to_vec();
                    shift(&source, channel, shape.height, shape.width, dx, dy);
                }
            }
        }
    }
}

/// `out[y][x]` = the largest of `source` over the 3 × 3 window around (y, x)
/// (the window clipped at the edges).
fn dilate(source: &[f32], out: &mut [f32], height: usize, width: usize) {
    for y in 0..height {
        for x in 0..width {
            let mut best = f32::NEG_INFINITY;
            for sy in y.saturating_sub(1)..(y + 2).min(height) {
                for sx in x.saturating_sub(1)..(x + 2).min(width) {
                    best = best.max(source[sy * width + sx]);
                }
            }
            out[y * width + x] = best;
        }
    }
}

/// `out[y][x]` = `source[y − dy][x − dx]`, 0 where that falls outside.
fn shift(source: &[f32], out: &mut [f32], height: usize, width: usize, dx: i64, dy: i64) {
    for y in 0..height {
        for x in 0..width {
            let (sy, sx) = (y as i64 - dy, x as i64 - dx);
            let inside = (0..height as i64).contains(&sy) && (0..width as i64).contains(&sx);
            out[y * width + x] = if inside {
                source[sy as usize * width + sx as usize]
            } else {
                0.0
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 × 4 × 5 image with one bright pixel at (row 1, column 2) and a
    /// dimmer one in the corner (row 3, column 4).
    fn image() -> Vec<f32> {
        let mut v = vec![0.0; 20];
        v[5 + 2] = 1.0;
        v[15 + 4] = 0.5;
        v
    }
    const SHAPE: Shape = Shape {
        channels: 1,
        height: 4,
        width: 5,
    };

    #[test]
    fn thick_dilates_each_pixel_into_its_neighbourhood() {
        let mut v = image();
        DigitStyle::Thick.apply(&mut v, SHAPE, 0);
        #[rustfmt::skip]
        let want = [
            0.0, 1.0, 1.0, 1.0, 0.0,
            0.0, 1.0, 1.0, 1.0, 0.0,
            0.0, 1.0, 1.0, 1.0, 0.5,
            0.0, 0.0, 0.0, 0.5, 0.5,
        ];
        assert_eq!(v, want);
    }

    #[test]
    fn inverted_and_plain() {
        let mut v = image();
        DigitStyle::Inverted.apply(&mut v, SHAPE, 3);
        assert_eq!((v[0], v[7], v[19]), (1.0, 0.0, 0.5));
        let mut p = image();
        DigitStyle::Plain.apply(&mut p, SHAPE, 3);
        assert_eq!(p, image());
    }

    #[test]
    fn shifted_moves_the_whole_image_by_a_fixed_offset_per_index() {
        // Find the offset by where the bright pixel went, then check every
        // pixel against it; the same index always gives the same offset.
        let mut offsets = std::collections::BTreeSet::new();
        for index in 0..40 {
            let mut v = vec![0.0f32; 81];
            v[4 * 9 + 4] = 1.0; // the centre of a 9 × 9 image
            let shape = Shape::new(1, 9, 9);
            DigitStyle::Shifted.apply(&mut v, shape, index);
            let at = v
                .iter()
                .position(|&x| x == 1.0)
                .expect("±4 keeps the centre inside");
            let (dy, dx) = (at as i64 / 9 - 4, at as i64 % 9 - 4);
            assert!(dx.abs() <= MAX_SHIFT && dy.abs() <= MAX_SHIFT);
            assert_eq!(v.iter().filter(|&&x| x != 0.0).count(), 1);
            let mut again = vec![0.0f32; 81];
            again[4 * 9 + 4] = 1.0;
            DigitStyle::Shifted.apply(&mut again, shape, index);
            assert_eq!(v, again);
            offsets.insert((dx, dy));
        }
        assert!(
            offsets.len() > 15,
            "offsets vary between images: {offsets:?}"
        );
        // Pixels shifted out are gone, zeros come in.
        let mut row = vec![0.0f32; 20];
        shift(&image(), &mut row, 4, 5, 2, -1);
        assert_eq!(row[4], 1.0, "(1, 2) → (0, 4)");
        assert_eq!(row.iter().filter(|&&x| x != 0.0).count(), 1, "(3, 4) left");
    }

    #[test]
    fn noisy_adds_noise_of_the_stated_spread_within_0_and_1() {
        let shape = Shape::new(1, 50, 50);
        let mut v = vec![0.5f32; shape.len()];
        DigitStyle::Noisy.apply(&mut v, shape, 7);
        assert!(v.iter().all(|x| (0.0..=1.0).contains(x)));
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
        let sd = (v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
        // Clipping at ±1.43σ shrinks the spread of N(0, 0.35²) to about 0.29.
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
        assert!((0.26..0.32).contains(&sd), "{sd}");
        let mut w = vec![0.5f32; shape.len()];
        DigitStyle::Noisy.apply(&mut w, shape, 8);
        assert_ne!(v, w, "each image its own noise");
    }

    #[test]
    fn names_round_trip_and_bad_names_are_refused() {
        for style in DigitStyle::ALL {
            assert_eq!(DigitStyle::parse(style.name()).unwrap(), style);
        }
        let message = DigitStyle::parse("bold").unwrap_err().message().to_string();
        assert!(
            message.starts_with("dataset.style must be one of plain"),
            "{message}"
        );
    }
}
