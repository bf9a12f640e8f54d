//! Writes the pretrained source model of the transfer-learning demo.
//!
//! `cargo run --release --example pretrain_digits` trains the image lab's
//! CNN on the digits 0–4 (recipe in `src/transfer.rs`: 600 steps, batch 32,
//! momentum 0.9, lr 0.01, L2 1e-4, seed 1) and writes
//! `www/assets/pretrained-digits04.bin`. `--check` only compares a fresh
//! run with the file (the native test `cargo test --test transfer` does too).

use std::io::Read;

use flate2::read::GzDecoder;
use trainlab::transfer::{pretrain, source_file, SOURCE_FILE, SOURCE_STEPS};

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let root = env!("CARGO_MANIFEST_DIR");
    let gz = std::fs::read(format!("{root}/www/assets/digits.bin.gz")).expect("the digits asset");
    let mut asset = Vec::new();
    GzDecoder::new(&gz[..])
        .read_to_end(&mut asset)
        .expect("inflate the digits");
    let started = std::time::Instant::now();
    let mut trainer = pretrain(&asset, |done| {
        eprint!("\rpretraining: {done}/{SOURCE_STEPS} steps");
    })
    .expect("pretraining");
    eprintln!(" ({:.1} s)", started.elapsed().as_secs_f64());
    let file = source_file(&mut trainer).expect("the weights file");
    let bytes = file.to_bytes();
    println!("{}", file.meta);
    let path = format!("{root}/{SOURCE_FILE}");
    if check {
        let shipped = std::fs::read(&path).expect("the shipped file");
        if shipped == bytes {
            println!("{path}: identical ({} bytes)", bytes.len());
        } else {
            eprintln!("{path}: DIFFERS from a fresh run");
            std::process::exit(1);
        }
    } else {
        std::fs::write(&path, &bytes).expect("write the weights");
        println!("wrote {path} ({} bytes)", bytes.len());
    }
}
