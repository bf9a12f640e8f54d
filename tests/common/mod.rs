//! Data sets shared by the native test crates (`mod common;`). Cargo builds
//! no test crate of its own from a folder's `mod.rs`.

use trainlab::nn::{Dataset, Shape};
use trainlab::rng::Rng;

/// `count` grey 1×8×8 images, each a bar of 4 pixels anywhere over faint
/// noise: class 0 horizontal (even indices), class 1 vertical (odd ones).
/// The same `seed` gives the same images.
pub fn bars(count: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let (mut values, mut labels) = (Vec::new(), Vec::new());
    for i in 0..count {
        let vertical = i % 2 == 1;
        let mut image: Vec<f32> = (0..64).map(|_| (rng.uniform() * 0.1) as f32).collect();
        let (long, short) = (rng.below(5), rng.below(8));
        for t in 0..4 {
            let (row, col) = if vertical {
                (long + t, short)
            } else {
                (short, long + t)
            };
            image[row * 8 + col] = 1.0;
        }
        values.extend(image);
        labels.push(vertical as u32);
    }
    Dataset::images(values, labels, 2, Shape::new(1, 8, 8)).unwrap()
}
