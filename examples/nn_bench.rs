//! Native timing of the network engine's training step.
//!
//! `cargo run --release --example nn_bench` prints milliseconds per step
//! (forward + backward + SGD update) and the rate of the matrix products in
//! GFLOP/s, first for the CS231n spiral workload (3 × 100 points,
//! 2 → 100 ReLU → 3, full batch), then sweeping the hidden width and the
//! batch size.

use std::time::Instant;

use trainlab::nn::{Dataset, DatasetKind, Model, ModelSpec};
use trainlab::optim::{Optimizer, Rule, Settings};

/// Multiply-adds of one step's matrix products, counted as 2 flops each:
/// forward `X·W` for every layer, backward `Xᵀ·dY` for every layer and
/// `dY·Wᵀ` for all but the first.
fn flops_per_step(batch: usize, widths: &[usize]) -> f64 {
    let mut macs = 0usize;
    for (l, pair) in widths.windows(2).enumerate() {
        let layer = batch * pair[0] * pair[1];
        macs += if l == 0 { 2 * layer } else { 3 * layer };
    }
    2.0 * macs as f64
}

/// Runs `steps` full-batch SGD steps on `points × 2` inputs and returns
/// the mean milliseconds per step (after a warm-up).
fn time_steps(hidden: usize, batch: usize, steps: usize) -> f64 {
    let per_class = batch.div_ceil(3);
    let data = Dataset::generate(DatasetKind::Spiral, 3, per_class, 0.2, 1).expect("data");
    let inputs = &data.points()[..2 * batch];
    let labels = &data.labels()[..batch];
    let mut model = Model::new(&ModelSpec::new(vec![hidden], 3), 1).expect("model");
    let mut optimizer = Optimizer::new(Settings {
        lr: 1.0,
        rule: Rule::Sgd,
    })
    .expect("optimizer");
    let mut step = |model: &mut Model| {
        model
            .compute_gradients(inputs, labels, 1e-3)
            .expect("gradients");
        let (params, grads) = model.params_and_grads();
        optimizer.step(params, grads).expect("step");
    };
    for _ in 0..steps.div_ceil(10) {
        step(&mut model);
    }
    let start = Instant::now();
    for _ in 0..steps {
        step(&mut model);
    }
    start.elapsed().as_secs_f64() * 1e3 / steps as f64
}

fn report(hidden: usize, batch: usize, steps: usize) {
    let ms = time_steps(hidden, batch, steps);
    let gflops = flops_per_step(batch, &[2, hidden, 3]) / (ms * 1e-3) / 1e9;
    println!("hidden {hidden:>5}  batch {batch:>6}  {ms:>9.4} ms/step  {gflops:>6.2} GFLOP/s");
}

fn main() {
    println!("CS231n spiral workload (2 -> 100 ReLU -> 3, batch 300, SGD, l2 1e-3):");
    report(100, 300, 20_000);

    println!("\nhidden width sweep, batch 300:");
    for hidden in [16, 32, 64, 128, 256, 512, 1024] {
        report(hidden, 300, (2_000_000 / hidden).clamp(200, 20_000));
    }

    println!("\nbatch sweep, hidden 100:");
    for batch in [300, 1_000, 3_000, 10_000, 30_000] {
        report(100, batch, (3_000_000 / batch).clamp(50, 10_000));
    }

    println!("\nbatch 30000, hidden 1024:");
    report(1024, 30_000, 5);
}
