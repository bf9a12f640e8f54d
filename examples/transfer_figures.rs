//! Transfer learning, measured: validation accuracy of four strategies
//! against labelled images per class, in each cell of the lecture's table.
//!
//! `cargo run --release --example transfer_figures` prints, for the CNN
//! pretrained on the digits 0–4 (`www/assets/pretrained-digits04.bin`):
//!
//! - the targets: "similar" = the digits 0–4 in another style (thick,
//!   shifted, noisy, inverted), "different" = the new classes 5–9;
//! - the strategies, all from the same seed (the same images and batches;
//!   the borrowed-body ones share a new head re-drawn by
//!   `Trainer::borrow_body`, as the page's `setWeights(…, {freshHead})`, never
//!   the source's initial head): scratch (random weights, all layers
//!   learn); frozen (the pretrained convs frozen, a new head);
//!   fine-tune (pretrained convs, a new head, everything learns at the same
//!   rate); two-stage (frozen for the first half of the steps, then
//!   everything at a tenth of the rate);
//! - mean ± sd over seeds of the accuracy on the 250 fixed validation
//!   images (50 a class) after the same number of steps;
//! - then the MLP contrast: a 784-100-5 MLP pretrained on 0–4 the same way,
//!   its hidden layer frozen under a new head, against scratch on 5–9.
//!
//! Options: `--steps N` (default 200), `--seeds N` (3), `--sizes 1,5,20`,
//! `--targets different,thick` (default all), `--quick` (one size per cell).

use std::io::Read;
use std::time::Instant;

use flate2::read::GzDecoder;
use trainlab::config::{trainer_setup_with, ConfigValue, DatasetArrays};
use trainlab::nn::{Trainer, WeightsFile};
use trainlab::optim::{Rule, Settings};
use trainlab::transfer::{cnn_layers, BODY_LAYERS, SOURCE_FILE};

const LR: f64 = 0.01;
const STRATEGIES: [&str; 4] = ["scratch", "frozen", "finetune", "twostage"];

fn num(x: f64) -> ConfigValue {
    ConfigValue::Number(x)
}
fn text(s: &str) -> ConfigValue {
    ConfigValue::Text(s.to_string())
}
fn map(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
    ConfigValue::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The target task's settings: `target` is "different" (digits 5–9) or a
/// style of the digits 0–4.
fn target_settings(target: &str, per_class: usize, seed: u64, layers: ConfigValue) -> ConfigValue {
    let (digits, style) = match target {
        "different" => ([5., 6., 7., 8., 9.], "plain"),
        style => ([0., 1., 2., 3., 4.], style),
    };
    map(&[
        (
            "dataset",
            map(&[
                ("kind", text("digits")),
                (
                    "digits",
                    ConfigValue::List(digits.iter().map(|&d| num(d)).collect()),
                ),
                ("style", text(style)),
                ("perClass", num(per_class as f64)),
                ("validationPerClass", num(50.0)),
            ]),
        ),
        ("layers", layers),
        (
            "optimizer",
            map(&[
                ("kind", text("momentum")),
                ("lr", num(LR)),
                ("momentum", num(0.9)),
            ]),
        ),
        ("l2", num(1e-4)),
        ("batchSize", num(32.0)),
        ("seed", num(seed as f64)),
    ])
}

fn build(settings: &ConfigValue, asset: &[u8]) -> Trainer {
    let arrays = DatasetArrays {
        data: Some(asset.to_vec()),
        ..DatasetArrays::default()
    };
    trainer_setup_with(settings, &arrays)
        .expect("settings")
        .build()
        .expect("trainer")
}

/// Trains one strategy and returns its validation accuracy.
fn run(
    strategy: &str,
    mut trainer: Trainer,
    body: &[f32],
    body_layers: usize,
    steps: usize,
) -> f64 {
    if strategy != "scratch" {
        // The same call as the page's setWeights(…, {freshHead: true}): the
        // head is re-initialised, not the source's initial head at seed 1.
        trainer.borrow_body(body_layers, body).expect("body");
    }
    match strategy {
        "frozen" => {
            trainer.set_frozen(body_layers as f64).unwrap();
            trainer.run(steps).unwrap();
        }
        "twostage" => {
            trainer.set_frozen(body_layers as f64).unwrap();
            trainer.run(steps / 2).unwrap();
            trainer.set_frozen(0.0).unwrap();
            let settings = Settings {
                lr: LR / 10.0,
                rule: Rule::Momentum { rho: 0.9 },
            };
            trainer.set_optimizer(settings, None).unwrap();
            trainer.run(steps - steps / 2).unwrap();
        }
        _ => {
            trainer.run(steps).unwrap();
        }
    }
    trainer.scores().unwrap().1.unwrap().accuracy
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

fn option(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let steps: usize = option(&args, "--steps").map_or(200, |s| s.parse().unwrap());
    let seeds: u64 = option(&args, "--seeds").map_or(3, |s| s.parse().unwrap());
    let quick = args.iter().any(|a| a == "--quick");
    let sizes: Vec<usize> = match option(&args, "--sizes") {
        Some(list) => list.split(',').map(|s| s.parse().unwrap()).collect(),
        None if quick => vec![5, 100],
        None => vec![1, 2, 5, 10, 50, 100, 200, 400],
    };
    let targets: Vec<String> = match option(&args, "--targets") {
        Some(list) => list.split(',').map(String::from).collect(),
        None => ["different", "thick", "shifted", "noisy", "inverted"]
            .map(String::from)
            .to_vec(),
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let gz = std::fs::read(format!("{root}/www/assets/digits.bin.gz")).expect("digits asset");
    let mut asset = Vec::new();
    GzDecoder::new(&gz[..]).read_to_end(&mut asset).unwrap();
    let shipped = std::fs::read(format!("{root}/{SOURCE_FILE}")).expect("pretrained weights");
    let source = WeightsFile::parse(&shipped).expect("weights file");
    let body: Vec<f32> = source.blocks[..2 * BODY_LAYERS]
        .iter()
        .flat_map(|b| b.values.iter().copied())
        .collect();
    println!(
        "# CNN pretrained on digits 0-4 ({SOURCE_FILE}); {steps} steps, batch 32, momentum 0.9, lr {LR}; \
         two-stage: {} steps frozen, then all layers at lr/10; mean ± sd over seeds 1..={seeds}; \
         accuracy on 250 fixed validation images",
        steps / 2
    );
    println!("target\tper class\t{}", STRATEGIES.join("\t"));
    let started = Instant::now();
    for target in &targets {
        for &per_class in &sizes {
            let mut cells = Vec::new();
            for strategy in STRATEGIES {
                let accuracies: Vec<f64> = (1..=seeds)
                    .map(|seed| {
                        let settings = target_settings(target, per_class, seed, cnn_layers(5));
                        run(
                            strategy,
                            build(&settings, &asset),
                            &body,
                            BODY_LAYERS,
                            steps,
                        )
                    })
                    .collect();
                let (mean, sd) = mean_sd(&accuracies);
                cells.push(format!("{:.1} ± {:.1}", 100.0 * mean, 100.0 * sd));
            }
            println!("{target}\t{per_class}\t{}", cells.join("\t"));
        }
    }
    // The MLP contrast: dense features of 0–4 under a new head for 5–9.
    let mlp = || {
        ConfigValue::List(vec![
            map(&[("kind", text("dense")), ("units", num(100.0))]),
            map(&[("kind", text("relu"))]),
            map(&[("kind", text("dense")), ("units", num(5.0))]),
        ])
    };
    let mut source_settings = trainlab::transfer::source_settings();
    if let ConfigValue::Map(m) = &mut source_settings {
        m.insert("layers".into(), mlp());
    }
    let mut mlp_source = build(&source_settings, &asset);
    mlp_source.run(600).unwrap();
    let mlp_body = mlp_source.model().params()[..mlp_source.model().param_prefix_len(1)].to_vec();
    let source_accuracy = mlp_source.scores().unwrap().1.unwrap().accuracy;
    println!(
        "\n# MLP 784-100-5 pretrained on 0-4 the same way (validation accuracy {:.1} %); digits 5-9",
        100.0 * source_accuracy
    );
    println!("per class\tscratch\tfrozen");
    for &per_class in &[5usize, 20] {
        let mut cells = Vec::new();
        for strategy in ["scratch", "frozen"] {
            let accuracies: Vec<f64> = (1..=seeds)
                .map(|seed| {
                    let settings = target_settings("different", per_class, seed, mlp());
                    run(strategy, build(&settings, &asset), &mlp_body, 1, steps)
                })
                .collect();
            let (mean, sd) = mean_sd(&accuracies);
            cells.push(format!("{:.1} ± {:.1}", 100.0 * mean, 100.0 * sd));
        }
        println!("{per_class}\t{}", cells.join("\t"));
    }

    eprintln!("({:.0} s)", started.elapsed().as_secs_f64());
}
