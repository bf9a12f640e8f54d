//! Native figures of the image lab's convolutional network.
//!
//! `cargo run --release --example cnn_bench` prints, for the issue's
//! network (conv 5×5×16 → ReLU → max-pool 2 → conv 5×5×32 → ReLU →
//! max-pool 2 → dense 10 on 28×28×1 digits; momentum 0.9, lr 0.01, L2 1e-4,
//! batch 32):
//!
//! 1. milliseconds per training step (forward, backward, update) and the
//!    rate of its multiply-adds in GFLOP/s;
//! 2. held-out accuracy on the fixed 500-image validation set after
//!    training on 50 digits a class;
//! 3. the same with 10 a class, without and with augmentation, mean of
//!    three seeds.
//!
//! `--quick` runs only the timing. The data are `www/assets/digits.bin.gz`.

use std::io::Read;
use std::time::Instant;

use flate2::read::GzDecoder;
use trainlab::config::{augment_pipeline, layer_list, ConfigValue};
use trainlab::nn::{DataSource, ImageBytes, LayerSpec, Trainer, TrainerConfig};
use trainlab::optim::{Rule, Settings};

/// The network, written as the JS settings would be.
const NETWORK: &str = "conv 16 5, relu, maxpool 2, conv 32 5, relu, maxpool 2, dense 10";

/// The augmentation compared in part 3: small rotations and shifts, the
/// changes handwriting really has (flips would make other digits).
const AUGMENT: [(&str, f64); 2] = [("rotate", 12.0), ("translate", 0.1)];

fn layers() -> Vec<LayerSpec> {
    let text = |s: &str| ConfigValue::Text(s.to_string());
    let num = ConfigValue::Number;
    let items = NETWORK
        .split(", ")
        .map(|layer| {
            let words: Vec<&str> = layer.split(' ').collect();
            let mut map = std::collections::BTreeMap::new();
            map.insert("kind".to_string(), text(words[0]));
            match words[0] {
                "conv" => {
                    map.insert("filters".into(), num(words[1].parse().unwrap()));
                    map.insert("size".into(), num(words[2].parse().unwrap()));
                }
                "maxpool" => {
                    map.insert("size".into(), num(words[1].parse().unwrap()));
                }
                "dense" => {
                    map.insert("units".into(), num(words[1].parse().unwrap()));
                }
                _ => {}
            }
            ConfigValue::Map(map)
        })
        .collect();
    layer_list(&ConfigValue::List(items)).expect("layers")
}

fn augmentation() -> trainlab::augment::Pipeline {
    let ops = AUGMENT
        .iter()
        .map(|&(kind, amount)| {
            let key = if kind == "rotate" {
                "degrees"
            } else {
                "max_shift"
            };
            ConfigValue::Map(
                [
                    ("kind".to_string(), ConfigValue::Text(kind.into())),
                    (key.to_string(), ConfigValue::Number(amount)),
                ]
                .into(),
            )
        })
        .collect();
    let settings = ConfigValue::Map([("ops".to_string(), ConfigValue::List(ops))].into());
    augment_pipeline(&settings).expect("augment")
}

fn digits() -> ImageBytes {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/assets/digits.bin.gz");
    let mut bytes = Vec::new();
    GzDecoder::new(std::fs::File::open(path).expect(path))
        .read_to_end(&mut bytes)
        .expect("inflate");
    ImageBytes::parse(&bytes).expect("asset")
}

fn trainer(images: &ImageBytes, per_class: usize, augment: bool, seed: u64) -> Trainer {
    let (train, validation) = images.split(per_class, 50, seed).expect("split");
    Trainer::new(TrainerConfig {
        dataset: DataSource::Split { train, validation },
        classes: 10,
        layers: Some(layers()),
        augment: augment.then(augmentation),
        l2: 1e-4,
        batch_size: 32,
        optimizer: Settings {
            lr: 0.01,
            rule: Rule::Momentum { rho: 0.9 },
        },
        seed,
        ..TrainerConfig::default()
    })
    .expect("trainer")
}

/// Multiply-adds of one step, 2 flops each: every conv and dense layer's
/// forward product and weight gradient, and the input gradient of all but
/// the first layer.
fn flops_per_step(trainer: &Trainer, batch: usize) -> f64 {
    let model = trainer.model();
    let mut macs = 0usize;
    for (l, layer) in model.layer_specs().iter().enumerate() {
        let (input, output) = (model.shapes()[l], model.shapes()[l + 1]);
        let per_example = match *layer {
            LayerSpec::Conv { size, .. } => output.len() * input.channels * size * size,
            LayerSpec::Dense { units } => input.len() * units,
            _ => continue,
        };
        macs += per_example * batch * if l == 0 { 2 } else { 3 };
    }
    2.0 * macs as f64
}

/// Seconds of CPU this process has used (user + system), from /proc.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn timing(images: &ImageBytes) {
    let mut t = trainer(images, 50, false, 1);
    t.run(20).expect("warm-up");
    let steps = 200;
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    t.run(steps).expect("steps");
    let ms = wall.elapsed().as_secs_f64() * 1e3 / steps as f64;
    let cpu_ms = cpu
        .zip(cpu_seconds())
        .map(|(a, b)| (b - a) * 1e3 / steps as f64);
    let flops = flops_per_step(&t, 32);
    println!("network: {NETWORK}, batch 32, momentum 0.9, lr 0.01, l2 1e-4");
    println!(
        "  {ms:.2} ms/step wall clock, {:.1} GFLOP/s ({:.0} MFLOP/step)",
        flops / (ms * 1e6),
        flops / 1e6
    );
    if let Some(cpu_ms) = cpu_ms {
        println!(
            "  {cpu_ms:.2} ms/step of CPU time, {:.1} GFLOP/s (differs from the wall clock on a busy machine)",
            flops / (cpu_ms * 1e6)
        );
    }
    let eval = Instant::now();
    let (_, val) = t.scores().expect("scores");
    println!(
        "  evaluating 500 + 500 images: {:.0} ms (validation accuracy {:.1} % after 220 steps)",
        eval.elapsed().as_secs_f64() * 1e3,
        100.0 * val.expect("validation").accuracy
    );
}

fn accuracy(images: &ImageBytes, per_class: usize, augment: bool, seed: u64, steps: usize) -> f64 {
    let mut t = trainer(images, per_class, augment, seed);
    t.run(steps).expect("training");
    100.0 * t.scores().expect("scores").1.expect("validation").accuracy
}

fn main() {
    let images = digits();
    timing(&images);
    if std::env::args().any(|a| a == "--quick") {
        return;
    }
    let steps = 600;
    println!("\nheld-out accuracy (500 fixed validation digits), {steps} steps:");
    let fifty = accuracy(&images, 50, false, 1, steps);
    println!("  50 a class, seed 1: {fifty:.1} %");

    let augment_text: Vec<String> = AUGMENT.iter().map(|(k, v)| format!("{k} {v}")).collect();
    println!(
        "  10 a class, without and with augmentation ({}), seeds 1-3:",
        augment_text.join(", ")
    );
    let (mut plain, mut augmented) = (Vec::new(), Vec::new());
    for seed in 1..=3 {
        plain.push(accuracy(&images, 10, false, seed, steps));
        augmented.push(accuracy(&images, 10, true, seed, steps));
        println!(
            "    seed {seed}: {:.1} % → {:.1} %",
            plain[plain.len() - 1],
            augmented[augmented.len() - 1]
        );
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "    mean: {:.1} % → {:.1} % ({:+.1} points)",
        mean(&plain),
        mean(&augmented),
        mean(&augmented) - mean(&plain)
    );
}
