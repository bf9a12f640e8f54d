//! Times a typed expression (Rosenbrock) over a 256×256 heatmap grid: the
//! pointwise value, the batched grid, gradients and Hessians; then how fast
//! the parser refuses inputs at its limits (a megabyte, 100 000 parentheses).
//!
//! Run with `cargo run --release --example expr_bench`. Figures only: the
//! test suite checks the results, never the time.

use std::time::{Duration, Instant};
use trainlab::objective::expr::ExprSurface;
use trainlab::objective::Objective;

/// The best of `rounds` timings of `work` (other work on a shared machine only adds time).
fn best_of(rounds: usize, mut work: impl FnMut() -> f64) -> (Duration, f64) {
    let mut best = Duration::MAX;
    let mut checksum = 0.0;
    for _ in 0..rounds {
        let started = Instant::now();
        checksum = work();
        best = best.min(started.elapsed());
    }
    (best, checksum)
}

fn main() {
    let s = ExprSurface::parse("(1 - x)^2 + 100*(y - x^2)^2").unwrap();
    let n = 256;
    let points: Vec<[f64; 2]> = (0..n * n)
        .map(|i| {
            let (row, column) = (i / n, i % n);
            [
                -3.0 + 6.0 * (column as f64 + 0.5) / n as f64,
                3.0 - 6.0 * (row as f64 + 0.5) / n as f64,
            ]
        })
        .collect();
    let mut grid = Vec::new();
    let rows = [
        (
            "value() per point",
            best_of(5, || points.iter().map(|&p| s.value(p)).sum()),
        ),
        (
            "values_on_grid",
            best_of(5, || {
                s.values_on_grid(n, n, &mut grid);
                grid.iter().sum()
            }),
        ),
        (
            "gradient() per point",
            best_of(5, || points.iter().map(|&p| s.gradient(p)[0]).sum()),
        ),
        (
            "hessian() per point",
            best_of(5, || points.iter().map(|&p| s.hessian(p)[0][0]).sum()),
        ),
    ];
    println!("rosenbrock typed, {} points (native, release):", n * n);
    for (name, (time, checksum)) in rows {
        println!(
            "  {name:<22} {:>9.3} ms   [{checksum:.3e}]",
            time.as_secs_f64() * 1e3
        );
    }
    let megabyte = "x+".repeat(500_000);
    let parens = "(".repeat(100_000);
    let (time, _) = best_of(5, || {
        let a = ExprSurface::parse(&megabyte).is_err();
        let b = ExprSurface::parse(&parens).is_err();
        (a && b) as u8 as f64
    });
    println!(
        "refusing a megabyte and 100 000 '(': {:.3} ms",
        time.as_secs_f64() * 1e3
    );
}
