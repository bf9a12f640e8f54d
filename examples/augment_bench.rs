//! Times one augmentation sample (hflip + random resized crop to 224×224 +
//! colour jitter) on a synthetic 451×300 photo-like image.
//!
//! Run with `cargo run --release --example augment_bench`.

use std::time::Instant;
use trainlab::augment::{OpSpec, Pipeline, RgbaImage};

fn main() -> Result<(), trainlab::Error> {
    // Smooth gradients plus a little texture, so no colour op is trivial.
    let image = RgbaImage::from_fn(451, 300, |x, y| {
        let texture = ((x * 7 + y * 13) % 23) as u8;
        [
            (x * 255 / 450) as u8,
            (y * 255 / 299) as u8,
            128u8.wrapping_add(texture),
            255,
        ]
    })?;
    let pipeline = Pipeline::new(vec![
        OpSpec::HFlip { p: 0.5 },
        OpSpec::RandomResizedCrop {
            p: 1.0,
            scale: (0.08, 1.0),
            ratio: (3.0 / 4.0, 4.0 / 3.0),
            size: (224, 224),
        },
        OpSpec::ColorJitter {
            p: 1.0,
            brightness: 0.4,
            contrast: 0.4,
            saturation: 0.4,
            hue: 0.1,
        },
    ])?;
    // Warm up caches and the allocator.
    let mut checksum = 0u64;
    for seed in 0..50 {
        let (out, _) = pipeline.apply(&image, seed)?;
        checksum += out.data()[1000] as u64;
    }
    let samples = 2000;
    let start = Instant::now();
    for seed in 0..samples {
        let (out, _) = pipeline.apply(&image, seed)?;
        checksum += out.data()[out.data().len() / 2] as u64;
    }
    let micros = start.elapsed().as_secs_f64() * 1e6 / samples as f64;
    println!(
        "hflip + random resized crop 224×224 + colour jitter on 451×300: {micros:.1} µs per sample \
         ({samples} samples, checksum {checksum})"
    );
    Ok(())
}
