//! Transfer learning's source model: the network the app ships pretrained
//! (`www/assets/pretrained-digits04.bin`), and how it is made.
//!
//! The source task is the digits 0–4 of the shipped MNIST subset: every
//! image of those classes outside the fixed validation set (450 a class),
//! the image lab's small CNN with a 5-way head, 600 steps of momentum SGD.
//! `cargo run --release --example pretrain_digits` writes the file; a test
//! regenerates it and compares it byte for byte. The recipe travels inside
//! the file (its JSON description holds the exact `Trainer` settings), so
//! the page can re-run the same pretraining live.

use crate::config::{trainer_setup_with, ConfigValue, DatasetArrays};
use crate::error::Result;
use crate::nn::weights_file::WeightsFile;
use crate::nn::{ImageBytes, Trainer};

/// Optimizer steps of the pretraining.
pub const SOURCE_STEPS: usize = 600;
/// The classes of the source task.
pub const SOURCE_DIGITS: [usize; 5] = [0, 1, 2, 3, 4];
/// Layers with parameters in the body a target task borrows (the two convs).
pub const BODY_LAYERS: usize = 2;
/// Where the shipped file lives, from the repository root.
pub const SOURCE_FILE: &str = "www/assets/pretrained-digits04.bin";

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

/// The layers of the image lab's small CNN with a head of `classes` units,
/// as `Trainer` settings: conv 5×5×16 → ReLU → max-pool 2 → conv 5×5×32 →
/// ReLU → max-pool 2 → dense.
pub fn cnn_layers(classes: usize) -> ConfigValue {
    ConfigValue::List(vec![
        map(&[
            ("kind", text("conv")),
            ("filters", num(16.0)),
            ("size", num(5.0)),
        ]),
        map(&[("kind", text("relu"))]),
        map(&[("kind", text("maxpool")), ("size", num(2.0))]),
        map(&[
            ("kind", text("conv")),
            ("filters", num(32.0)),
            ("size", num(5.0)),
        ]),
        map(&[("kind", text("relu"))]),
        map(&[("kind", text("maxpool")), ("size", num(2.0))]),
        map(&[("kind", text("dense")), ("units", num(classes as f64))]),
    ])
}

/// The source model's `Trainer` settings, without the asset's bytes
/// (`dataset.data`), exactly as a page passes them.
pub fn source_settings() -> ConfigValue {
    let digits = SOURCE_DIGITS.iter().map(|&d| num(d as f64)).collect();
    map(&[
        (
            "dataset",
            map(&[
                ("kind", text("digits")),
                ("digits", ConfigValue::List(digits)),
                ("perClass", num(450.0)),
                ("validationPerClass", num(50.0)),
            ]),
        ),
        ("layers", cnn_layers(SOURCE_DIGITS.len())),
        (
            "optimizer",
            map(&[
                ("kind", text("momentum")),
                ("lr", num(0.01)),
                ("momentum", num(0.9)),
            ]),
        ),
        ("l2", num(1e-4)),
        ("batchSize", num(32.0)),
        ("seed", num(1.0)),
    ])
}

/// A fresh trainer of the source task on the inflated digits asset.
pub fn source_trainer(asset: &[u8]) -> Result<Trainer> {
    ImageBytes::parse(asset)?;
    let arrays = DatasetArrays {
        data: Some(asset.to_vec()),
        ..DatasetArrays::default()
    };
    trainer_setup_with(&source_settings(), &arrays)?.build()
}

/// Runs the whole pretraining, calling `progress(steps done)` after each
/// block of 50 steps; returns the trained source model.
pub fn pretrain(asset: &[u8], mut progress: impl FnMut(usize)) -> Result<Trainer> {
    let mut trainer = source_trainer(asset)?;
    while (trainer.steps() as usize) < SOURCE_STEPS {
        let block = 50.min(SOURCE_STEPS - trainer.steps() as usize);
        trainer.run(block)?;
        progress(trainer.steps() as usize);
    }
    Ok(trainer)
}

/// The file of a pretrained source model: its weights, and a description
/// holding the recipe and its accuracy on the fixed validation digits.
pub fn source_file(trainer: &mut Trainer) -> Result<WeightsFile> {
    let (_, val) = trainer.scores()?;
    let accuracy = val.map_or(f64::NAN, |v| v.accuracy);
    let meta = map(&[
        (
            "about",
            text("the image lab's CNN trained on the digits 0-4 (trainlab, src/transfer.rs)"),
        ),
        ("trainer", source_settings()),
        ("steps", num(trainer.steps() as f64)),
        ("bodyLayers", num(BODY_LAYERS as f64)),
        ("validationAccuracy", num(accuracy)),
    ]);
    Ok(WeightsFile::of_model(trainer.model(), &meta.to_json()))
}
