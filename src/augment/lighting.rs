//! AlexNet-style PCA colour augmentation ("lighting").
//!
//! Krizhevsky et al. (2012), section 4.1: add to every pixel
//! `Σ_j α_j λ_j p_j`, where `p_j`, `λ_j` are the eigenvectors and
//! eigenvalues of the 3×3 covariance of RGB values over the training set
//! and `α_j ~ N(0, σ)` is drawn once per image (σ = 0.1 in the paper). The
//! shift moves colours along the directions natural images vary in most
//! (mostly overall intensity, then a blue–orange axis).

use super::color::{ColorAdjust, ColorStep};
use super::image::{RgbaImage, RgbaView, RgbaViewMut};
use crate::error::Result;
use crate::rng::Rng;

/// Eigenvalues of the ImageNet RGB covariance (pixel values scaled to
/// 0–1), largest first. The AlexNet paper gives the method but not the
/// numbers; these are the values commonly used since Facebook's
/// `fb.resnet.torch` published them.
pub const IMAGENET_EIGENVALUES: [f64; 3] = [0.2175, 0.0188, 0.0045];

/// The matching eigenvectors as columns: row `c` is channel R, G, B,
/// column `j` is eigenvector `j` (same source as the eigenvalues).
pub const IMAGENET_EIGENVECTORS: [[f64; 3]; 3] = [
    [-0.5675, 0.7192, 0.4009],
    [-0.5808, -0.0045, -0.8140],
    [-0.5836, -0.6948, 0.4203],
];

/// The RGB shift, in 0–255 units, for the weights `alpha`.
pub fn pca_lighting_shift(alpha: [f64; 3]) -> [f64; 3] {
    let mut shift = [0.0; 3];
    for (channel, row) in IMAGENET_EIGENVECTORS.iter().enumerate() {
        shift[channel] = 255.0
            * (0..3)
                .map(|j| row[j] * alpha[j] * IMAGENET_EIGENVALUES[j])
                .sum::<f64>();
    }
    shift
}

/// Draws the weights α_j ~ N(0, `std`).
pub fn draw_lighting_alpha(std: f64, rng: &mut Rng) -> [f64; 3] {
    [rng.normal() * std, rng.normal() * std, rng.normal() * std]
}

/// `src` with the PCA lighting shift for `alpha` added (alpha channel kept).
pub fn lighting<'a>(src: impl Into<RgbaView<'a>>, alpha: [f64; 3]) -> Result<RgbaImage> {
    lighting_adjust(alpha)?.apply(src)
}

/// Writes `src` with the lighting shift into `out` (same size).
pub fn lighting_into<'a>(
    src: impl Into<RgbaView<'a>>,
    alpha: [f64; 3],
    out: &mut [u8],
) -> Result<()> {
    lighting_adjust(alpha)?.apply_into(src, out)
}

/// Adds the lighting shift in place.
pub fn lighting_in_place<'a>(image: impl Into<RgbaViewMut<'a>>, alpha: [f64; 3]) -> Result<()> {
    lighting_adjust(alpha)?.apply_in_place(image);
    Ok(())
}

fn lighting_adjust(alpha: [f64; 3]) -> Result<ColorAdjust> {
    ColorAdjust::from_steps(vec![ColorStep::AddRgb(pca_lighting_shift(alpha))])
}
