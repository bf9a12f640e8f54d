//! Additive Gaussian noise: every R, G and B value gets its own draw from
//! N(0, σ²), σ = `std`·255 (`std` is a fraction of the full range, as for
//! images scaled to [0, 1]); results are rounded and clamped to 0–255.
//! Alpha is kept. Training on noisy copies asks a network not to depend on
//! exact pixel values.

use super::image::{RgbaImage, RgbaView, RgbaViewMut, CHANNELS};
use crate::error::{check_in, Result};
use crate::rng::Rng;

/// Largest accepted `std` (a fraction of the 0–255 range).
pub const MAX_NOISE_STD: f64 = 1.0;

/// `src` with noise of standard deviation `std`·255 drawn from `seed`.
pub fn add_noise<'a>(src: impl Into<RgbaView<'a>>, std: f64, seed: u64) -> Result<RgbaImage> {
    let mut image = src.into().to_image();
    add_noise_in_place(&mut image, std, seed)?;
    Ok(image)
}

/// Adds the noise in place; fails unless `0 <= std <= 1`.
pub fn add_noise_in_place<'a>(
    image: impl Into<RgbaViewMut<'a>>,
    std: f64,
    seed: u64,
) -> Result<()> {
    check_in("noise.std", std, 0.0, MAX_NOISE_STD)?;
    let mut image = image.into();
    if std == 0.0 {
        return Ok(());
    }
    let sigma = std * 255.0;
    let mut rng = Rng::new(seed);
    for pixel in image.data_mut().chunks_exact_mut(CHANNELS) {
        for value in &mut pixel[..3] {
            let noisy = *value as f64 + sigma * rng.normal();
            *value = noisy.round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_has_the_asked_spread_keeps_alpha_and_replays_from_its_seed() {
        let grey = RgbaImage::filled(64, 64, [128, 128, 128, 77]).unwrap();
        let a = add_noise(&grey, 0.1, 5).unwrap();
        assert_eq!(a, add_noise(&grey, 0.1, 5).unwrap());
        assert_ne!(a, add_noise(&grey, 0.1, 6).unwrap());
        let values: Vec<f64> = a
            .data()
            .chunks_exact(4)
            .flat_map(|p| p[..3].iter().map(|&v| v as f64 - 128.0))
            .collect();
        assert!(a.data().chunks_exact(4).all(|p| p[3] == 77));
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        // σ = 25.5 levels; 12 288 draws put the sample σ within about ±0.3.
        assert!(mean.abs() < 1.0 && (std - 25.5).abs() < 1.5, "{mean} {std}");
        assert_eq!(add_noise(&grey, 0.0, 5).unwrap(), grey);
        assert!(add_noise(&grey, 1.5, 5).is_err());
        // Clamped, never wrapped: white stays at most 255.
        let white = RgbaImage::filled(8, 8, [255, 255, 255, 255]).unwrap();
        let noisy = add_noise(&white, 0.5, 1).unwrap();
        assert!(noisy.data().iter().any(|&v| v < 200));
    }
}
