//! Figures for model ensembles, snapshot ensembles and Polyak averaging.
//!
//! ```sh
//! cargo run --release --example ensemble_figures
//! ```
//!
//! For each data set and seed it trains, from the same settings:
//! five independent members (each `steps` steps; the "mean member" is one
//! model's expected result), their average, a snapshot ensemble of one run
//! of `steps` steps with warm restarts every `steps / 5` (so it takes five
//! snapshots), and one model
//! with Polyak averaging (d = 0.99). Then it times a training step of a
//! 5-member ensemble against five separate Trainers. About a minute or
//! two on a free core.

use std::time::Instant;

use trainlab::nn::{DataSource, DatasetKind, Ensemble, EnsembleKind, Trainer, TrainerConfig};
use trainlab::optim::{Rule, Settings};

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];
const MEMBERS: usize = 5;
/// The setting recommended as the demo's default (its seeds are printed too).
const DEFAULT: &str = "spiral, 8 hidden, lr 2";

/// One setting to measure.
#[derive(Clone, Copy)]
struct Setting {
    name: &'static str,
    kind: DatasetKind,
    classes: usize,
    points_per_class: usize,
    noise: f64,
    validation_split: f64,
    hidden: &'static [usize],
    l2: f64,
    lr: f64,
    batch: usize,
    steps: usize,
}

impl Setting {
    fn config(&self, seed: u64) -> TrainerConfig {
        TrainerConfig {
            dataset: DataSource::Generated(self.kind),
            classes: self.classes,
            points_per_class: self.points_per_class,
            noise: self.noise,
            validation_split: self.validation_split,
            hidden: self.hidden.to_vec(),
            l2: self.l2,
            batch_size: self.batch,
            optimizer: Settings {
                lr: self.lr,
                rule: Rule::Sgd,
            },
            seed,
            ..TrainerConfig::default()
        }
    }
}

/// Validation accuracies (and losses) of one seed.
#[derive(Default, Clone, Copy)]
struct Row {
    member: f64,
    best_member: f64,
    ensemble: f64,
    vote: f64,
    snapshot: f64,
    snapshot_run: f64,
    polyak: f64,
    polyak_raw: f64,
    member_loss: f64,
    ensemble_loss: f64,
    snapshot_loss: f64,
}

fn measure(setting: &Setting, seed: u64) -> Row {
    let config = setting.config(seed);
    let mut independent = Ensemble::new(EnsembleKind::Independent, MEMBERS, |k| {
        Trainer::new_member(config.clone(), k)
    })
    .unwrap();
    let report = independent.train(setting.steps).unwrap();
    let vals: Vec<_> = report.members.iter().map(|m| m.val.unwrap()).collect();
    let ensemble = report.ensemble.unwrap();

    let cycle = (setting.steps / MEMBERS) as u64;
    let mut snapshot = Ensemble::new(EnsembleKind::Snapshot { cycle }, MEMBERS, |k| {
        Trainer::new_member(config.clone(), k)
    })
    .unwrap();
    let snap = snapshot.train(setting.steps).unwrap();

    let mut polyak = Trainer::new(config.clone()).unwrap();
    polyak.set_polyak(Some(0.99)).unwrap();
    let polyak_val = polyak.train(setting.steps).unwrap().val_accuracy.unwrap();
    let polyak_raw = polyak.without_polyak(|t| t.evaluate().unwrap().val_accuracy.unwrap());

    Row {
        member: vals.iter().map(|v| v.accuracy).sum::<f64>() / vals.len() as f64,
        best_member: vals.iter().map(|v| v.accuracy).fold(0.0, f64::max),
        ensemble: ensemble.val.unwrap().accuracy,
        vote: ensemble.val_vote_accuracy.unwrap(),
        snapshot: snap.ensemble.unwrap().val.unwrap().accuracy,
        snapshot_run: snap.run.unwrap().val.unwrap().accuracy,
        polyak: polyak_val,
        polyak_raw,
        member_loss: vals.iter().map(|v| v.loss).sum::<f64>() / vals.len() as f64,
        ensemble_loss: ensemble.val.unwrap().loss,
        snapshot_loss: snap.ensemble.unwrap().val.unwrap().loss,
    }
}

fn percent(x: f64) -> String {
    format!("{:6.1}", 100.0 * x)
}

fn table(settings: &[Setting]) {
    println!("validation accuracy (%) and cross-entropy, mean over seeds {SEEDS:?}:");
    println!("  member: one independent member (mean of 5); best: the best of the 5;");
    println!("  avg5/vote5: the 5 averaged / majority vote (5× compute);");
    println!("  snap5: snapshot ensemble of one run (1× compute), cycle = steps/5; run: that run's last model;");
    println!(
        "  polyak: one model evaluated with its d = 0.99 average (raw: the same run without it)."
    );
    println!(
        "{:<30} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | beat member: avg5 snap5",
        "setting", "member", "best", "avg5", "vote5", "snap5", "run", "polyak", "raw", "L memb", "L avg5", "L snap"
    );
    for setting in settings {
        let rows: Vec<Row> = SEEDS.iter().map(|&s| measure(setting, s)).collect();
        let mean = |f: fn(&Row) -> f64| rows.iter().map(f).sum::<f64>() / rows.len() as f64;
        let avg_wins = rows.iter().filter(|r| r.ensemble > r.member).count();
        let snap_wins = rows.iter().filter(|r| r.snapshot > r.member).count();
        if setting.name == DEFAULT {
            for (seed, r) in SEEDS.iter().zip(&rows) {
                println!(
                    "  seed {seed}: member {} avg5 {} snap5 {} run {} polyak {}",
                    percent(r.member),
                    percent(r.ensemble),
                    percent(r.snapshot),
                    percent(r.snapshot_run),
                    percent(r.polyak)
                );
            }
        }
        println!(
            "{:<30} {} {} {} {} {} {} {} {} | {:6.3} {:6.3} {:6.3} | {avg_wins}/{n} {snap_wins}/{n}",
            setting.name,
            percent(mean(|r| r.member)),
            percent(mean(|r| r.best_member)),
            percent(mean(|r| r.ensemble)),
            percent(mean(|r| r.vote)),
            percent(mean(|r| r.snapshot)),
            percent(mean(|r| r.snapshot_run)),
            percent(mean(|r| r.polyak)),
            percent(mean(|r| r.polyak_raw)),
            mean(|r| r.member_loss),
            mean(|r| r.ensemble_loss),
            mean(|r| r.snapshot_loss),
            n = rows.len(),
        );
    }
}

/// Microseconds per step of a 5-member ensemble and of 5 separate Trainers.
fn timing(setting: &Setting) {
    let config = setting.config(1);
    let steps = 400;
    let mut best_ensemble = f64::INFINITY;
    let mut best_separate = f64::INFINITY;
    for _ in 0..3 {
        let mut ensemble = Ensemble::new(EnsembleKind::Independent, MEMBERS, |k| {
            Trainer::new_member(config.clone(), k)
        })
        .unwrap();
        let start = Instant::now();
        ensemble.run(steps).unwrap();
        best_ensemble = best_ensemble.min(start.elapsed().as_secs_f64());

        let mut separate: Vec<Trainer> = (0..MEMBERS)
            .map(|k| Trainer::new_member(config.clone(), k).unwrap())
            .collect();
        let start = Instant::now();
        for t in &mut separate {
            t.run(steps).unwrap();
        }
        best_separate = best_separate.min(start.elapsed().as_secs_f64());
    }
    let per_step = |seconds: f64| 1e6 * seconds / steps as f64;
    println!(
        "{}: one step of a {MEMBERS}-member ensemble {:.0} µs, {MEMBERS} separate Trainers {:.0} µs (best of 3 runs of {steps} steps)",
        setting.name,
        per_step(best_ensemble),
        per_step(best_separate)
    );
}

fn main() {
    // The recommended demo default: a small network on the spiral, where
    // seeds find different solutions.
    let spiral = Setting {
        name: DEFAULT,
        kind: DatasetKind::Spiral,
        classes: 3,
        points_per_class: 100,
        noise: 0.2,
        validation_split: 0.5,
        hidden: &[8],
        l2: 1e-3,
        lr: 2.0,
        batch: 300,
        steps: 3000,
    };
    let moons = Setting {
        name: "moons, 3 hidden, lr 2",
        kind: DatasetKind::Moons,
        classes: 2,
        points_per_class: 60,
        noise: 0.3,
        hidden: &[3],
        ..spiral
    };
    let noisy_sgd = Setting {
        name: "spiral, 8 hidden, batch 10",
        lr: 1.0,
        batch: 10,
        ..spiral
    };
    // The dropout demo's overfitting set (www/demos/dropout.js) and its moons twin.
    let overfit = Setting {
        name: "spiral overfit 3×50 [128,128]",
        points_per_class: 50,
        noise: 0.6,
        hidden: &[128, 128],
        l2: 0.0,
        lr: 0.3,
        batch: 75,
        steps: 2000,
        ..spiral
    };
    let moons_overfit = Setting {
        name: "moons overfit 2×75 [128,128]",
        kind: DatasetKind::Moons,
        classes: 2,
        points_per_class: 75,
        noise: 0.4,
        ..overfit
    };
    table(&[spiral, moons, noisy_sgd, overfit, moons_overfit]);
    println!();
    timing(&spiral);
    timing(&overfit);
}
