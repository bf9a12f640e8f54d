//! Cutout / random erasing: blanking a rectangle.
//!
//! DeVries & Taylor's cutout and Zhong et al.'s random erasing hide a
//! random patch so the network cannot rely on any single region. The box
//! is drawn like torchvision's `RandomErasing` (area fraction uniform in
//! `scale`, width/height ratio log-uniform in `ratio`, ten tries, else no
//! erasing). Erasing writes R, G, B only: the alpha channel is kept.

use super::crop::CropBox;
use super::image::{check_output, RgbaImage, RgbaView, RgbaViewMut, CHANNELS};
use super::random_crop::{check_fraction_range, check_ratio_range, draw_box_size};
use crate::error::Result;
use crate::rng::Rng;

/// What an erased box is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraseFill {
    /// One RGB colour.
    Constant([u8; 3]),
    /// Independent uniform random bytes per channel, reproducible from `seed`.
    Noise {
        /// Seed of the noise stream.
        seed: u64,
    },
}

/// `src` with `region` (inside the image) filled.
pub fn erase<'a>(
    src: impl Into<RgbaView<'a>>,
    region: CropBox,
    fill: EraseFill,
) -> Result<RgbaImage> {
    let mut image = src.into().to_image();
    erase_in_place(&mut image, region, fill)?;
    Ok(image)
}

/// Writes `src` with `region` filled into `out` (same size as `src`).
pub fn erase_into<'a>(
    src: impl Into<RgbaView<'a>>,
    region: CropBox,
    fill: EraseFill,
    out: &mut [u8],
) -> Result<()> {
    let src = src.into();
    check_output("erase", out, src.width(), src.height())?;
    out.copy_from_slice(src.data());
    erase_in_place(
        RgbaViewMut::new(src.width(), src.height(), out)?,
        region,
        fill,
    )
}

/// Fills `region` (inside the image) in place.
pub fn erase_in_place<'a>(
    image: impl Into<RgbaViewMut<'a>>,
    region: CropBox,
    fill: EraseFill,
) -> Result<()> {
    let mut image = image.into();
    region.check_inside("erase box", image.width(), image.height())?;
    let row_bytes = image.width() as usize * CHANNELS;
    let mut noise = Rng::new(match fill {
        EraseFill::Noise { seed } => seed,
        EraseFill::Constant(_) => 0,
    });
    let data = image.data_mut();
    for row in region.y as usize..region.y as usize + region.height as usize {
        let start = row * row_bytes + region.x as usize * CHANNELS;
        let end = start + region.width as usize * CHANNELS;
        for pixel in data[start..end].chunks_exact_mut(CHANNELS) {
            let rgb = match fill {
                EraseFill::Constant(colour) => colour,
                EraseFill::Noise { .. } => {
                    let bits = noise.next_u64().to_le_bytes();
                    [bits[0], bits[1], bits[2]]
                }
            };
            pixel[..3].copy_from_slice(&rgb);
        }
    }
    Ok(())
}

/// Draws the box random erasing blanks in a `width`×`height` image, or
/// `None` when ten draws all fail to fit (then nothing is erased).
pub fn random_erase_box(
    width: u32,
    height: u32,
    scale: (f64, f64),
    ratio: (f64, f64),
    rng: &mut Rng,
) -> Result<Option<CropBox>> {
    check_fraction_range("scale", scale)?;
    check_ratio_range("ratio", ratio)?;
    let (w, h) = (width as i64, height as i64);
    for _ in 0..10 {
        let (box_w, box_h) = draw_box_size((w * h) as f64, scale, ratio, rng);
        if (1..=w).contains(&box_w) && (1..=h).contains(&box_h) {
            let x = rng.below((w - box_w + 1) as usize) as i32;
            let y = rng.below((h - box_h + 1) as usize) as i32;
            return Ok(Some(CropBox::new(x, y, box_w as u32, box_h as u32)));
        }
    }
    Ok(None)
}
