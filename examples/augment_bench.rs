//! Times one augmentation sample (hflip + random resized crop to 224×224 +
//! colour jitter) on a synthetic 451×300 photo-like image, then the two
//! halves apart: flip + crop alone, and the jitter alone on a 224×224 image.
//!
//! Run with `cargo run --release --example augment_bench`.

use std::time::Instant;
use trainlab::augment::{OpSpec, Pipeline, RgbaImage};

/// Rounds of [`ROUND_SAMPLES`] seeds each; the fastest round is reported,
/// since on a shared machine other work only ever adds time.
const ROUNDS: u64 = 10;
const ROUND_SAMPLES: u64 = 200;

/// Microseconds per `pipeline` sample on `image` (after a warm-up; best
/// round), reusing the output buffer as the wasm `sample(seed)` path does;
/// also a checksum of some output bytes over all seeds.
fn micros_per_sample(pipeline: &Pipeline, image: &RgbaImage) -> (f64, u64) {
    let mut checksum = 0u64;
    let mut spare = Vec::new();
    for seed in 0..50 {
        let (out, _) = pipeline.apply_reusing(image, seed, spare).unwrap();
        checksum += out.data()[1000] as u64;
        spare = out.into_data();
    }
    let mut best = f64::INFINITY;
    for round in 0..ROUNDS {
        let start = Instant::now();
        for seed in round * ROUND_SAMPLES..(round + 1) * ROUND_SAMPLES {
            let (out, _) = pipeline.apply_reusing(image, seed, spare).unwrap();
            checksum += out.data()[out.data().len() / 2] as u64;
            spare = out.into_data();
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / ROUND_SAMPLES as f64);
    }
    (best, checksum)
}

fn photo_like(width: u32, height: u32) -> Result<RgbaImage, trainlab::Error> {
    // Smooth gradients plus a little texture, so no colour op is trivial.
    RgbaImage::from_fn(width, height, |x, y| {
        let texture = ((x * 7 + y * 13) % 23) as u8;
        [
            (x * 255 / (width - 1)) as u8,
            (y * 255 / (height - 1)) as u8,
            128u8.wrapping_add(texture),
            255,
        ]
    })
}

fn main() -> Result<(), trainlab::Error> {
    let image = photo_like(451, 300)?;
    let flip = OpSpec::HFlip { p: 0.5 };
    let crop = OpSpec::RandomResizedCrop {
        p: 1.0,
        scale: (0.08, 1.0),
        ratio: (3.0 / 4.0, 4.0 / 3.0),
        size: (224, 224),
    };
    let jitter = OpSpec::ColorJitter {
        p: 1.0,
        brightness: 0.4,
        contrast: 0.4,
        saturation: 0.4,
        hue: 0.1,
    };
    let full = Pipeline::new(vec![flip, crop, jitter])?;
    let (micros, checksum) = micros_per_sample(&full, &image);
    println!(
        "hflip + random resized crop 224×224 + colour jitter on 451×300: {micros:.1} µs per sample \
         (best of {ROUNDS} rounds of {ROUND_SAMPLES} seeds; checksum {checksum})"
    );
    let geometry = Pipeline::new(vec![flip, crop])?;
    let (micros, _) = micros_per_sample(&geometry, &image);
    println!("  hflip + random resized crop alone: {micros:.1} µs");
    let colour = Pipeline::new(vec![jitter])?;
    let (micros, _) = micros_per_sample(&colour, &photo_like(224, 224)?);
    println!("  colour jitter alone on 224×224 (incl. copying the input): {micros:.1} µs");
    Ok(())
}
