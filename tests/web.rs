//! Smoke tests of the crate compiled to WebAssembly, run in headless Chromium.
//!
//! The native suite proves the numerics; these prove the same code behaves
//! the same inside the browser's wasm engine (64-bit integer arithmetic,
//! 32-bit usize, libm functions, SIMD-enabled codegen). Run them with
//! `cargo test --target wasm32-unknown-unknown --test web` after sourcing
//! `scripts/setup.sh` (which points cargo at wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use trainlab::optim::{Optimizer, Rule, Settings};
use trainlab::rng::Rng;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The first four outputs of SplitMix64 seeded with 0 (the reference C
/// code's sequence, recomputed independently in Python): xoshiro256**'s
/// initial state for `Rng::new(0)`.
const SPLITMIX_FROM_ZERO: [u64; 4] = [
    0xE220_A839_7B1D_CDAF,
    0x6E78_9E6A_A1B9_65F4,
    0x06C4_5D18_8009_454F,
    0xF88B_B8A8_724C_81EC,
];

/// The xoshiro256** output function applied to the second state word.
fn starstar(word: u64) -> u64 {
    word.wrapping_mul(5).rotate_left(7).wrapping_mul(9)
}

#[wasm_bindgen_test]
fn rng_from_seed_zero_follows_xoshiro_starstar() {
    let [s0, s1, s2, _] = SPLITMIX_FROM_ZERO;
    let mut rng = Rng::new(0);
    assert_eq!(rng.next_u64(), starstar(s1));
    // After one state update the second word is s1 ^ s2 ^ s0.
    assert_eq!(rng.next_u64(), starstar(s1 ^ s2 ^ s0));
}

#[wasm_bindgen_test]
fn rng_same_seed_replays_the_same_stream() {
    let mut a = Rng::new(2024);
    let mut b = Rng::new(2024);
    for _ in 0..100 {
        assert_eq!(a.normal().to_bits(), b.normal().to_bits());
        assert_eq!(a.below(1000), b.below(1000));
    }
}

#[wasm_bindgen_test]
fn rng_moments_are_right_inside_wasm() {
    let mut rng = Rng::new(11);
    let n = 40_000;
    let (mut sum_u, mut sum_z, mut sum_z2) = (0.0, 0.0, 0.0);
    for _ in 0..n {
        let u = rng.uniform();
        assert!((0.0..1.0).contains(&u));
        sum_u += u;
        let z = rng.normal();
        sum_z += z;
        sum_z2 += z * z;
    }
    let n = n as f64;
    // Standard errors: 0.29/√n ≈ 0.0014 for the uniform mean, 1/√n ≈ 0.005
    // for the normal mean, √2/√n ≈ 0.007 for the variance; bounds are ~4σ.
    assert!(
        (sum_u / n - 0.5).abs() < 0.006,
        "uniform mean {}",
        sum_u / n
    );
    assert!((sum_z / n).abs() < 0.02, "normal mean {}", sum_z / n);
    assert!(
        (sum_z2 / n - 1.0).abs() < 0.03,
        "normal variance {}",
        sum_z2 / n
    );
}

#[wasm_bindgen_test]
fn rng_below_covers_the_whole_32_bit_usize_range() {
    // usize is 32 bits on wasm32; the 64×32-bit product in `below` must keep
    // its high word, so draws under the largest bound fill both its bottom
    // and its top quarter (64 draws miss one with odds 2·(3/4)^64 ≈ 2e-8).
    let n = usize::MAX;
    let quarter = n / 4;
    let mut rng = Rng::new(5);
    let draws: Vec<usize> = (0..64).map(|_| rng.below(n)).collect();
    assert!(draws.iter().all(|&k| k < n));
    assert!(draws.iter().any(|&k| k < quarter), "{draws:?}");
    assert!(draws.iter().any(|&k| k > n - quarter), "{draws:?}");
}

#[wasm_bindgen_test]
fn rng_shuffle_is_a_permutation() {
    let mut rng = Rng::new(9);
    let mut items: Vec<u32> = (0..50).collect();
    rng.shuffle(&mut items);
    assert_ne!(items, (0..50).collect::<Vec<_>>());
    items.sort_unstable();
    assert_eq!(items, (0..50).collect::<Vec<_>>());
}

#[wasm_bindgen_test]
fn sgd_and_momentum_steps_match_hand_computation_in_f32() {
    let lr = 0.5;
    let mut sgd = Optimizer::new(Settings {
        lr,
        rule: Rule::Sgd,
    })
    .unwrap();
    let mut x = [1.0f32, -2.0];
    sgd.step(&mut x, &[0.5, -1.0]).unwrap();
    assert_eq!(x, [0.75, -1.5]);

    // v1 = g, x1 = x0 − lr·g; v2 = ρ·g + g, x2 = x1 − lr·(1 + ρ)·g.
    let rho = 0.5;
    let mut momentum = Optimizer::new(Settings {
        lr,
        rule: Rule::Momentum { rho },
    })
    .unwrap();
    let mut x = [0.0f32];
    momentum.step(&mut x, &[1.0]).unwrap();
    momentum.step(&mut x, &[1.0]).unwrap();
    assert_eq!(x, [-0.5 - 0.75]);
}

#[wasm_bindgen_test]
fn adam_first_step_moves_each_parameter_by_the_learning_rate() {
    // With bias correction m̂ = g and v̂ = g² after one step: Δ = −lr·g/(|g| + ε).
    let mut adam = Optimizer::new(Settings {
        lr: 0.1,
        rule: Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: true,
        },
    })
    .unwrap();
    let mut x = [0.0f64, 0.0];
    adam.step(&mut x, &[4.0, -0.02]).unwrap();
    assert!((x[0] + 0.1).abs() < 1e-8, "{x:?}");
    assert!((x[1] - 0.1).abs() < 1e-6, "{x:?}");
}

#[wasm_bindgen_test]
fn bad_settings_are_errors_with_a_message_naming_the_setting() {
    let err = Optimizer::new(Settings {
        lr: -1.0,
        rule: Rule::Sgd,
    })
    .unwrap_err();
    assert!(err.to_string().contains("lr"), "{err}");
}

// Checks shared with the native suite (tests/simd_parity.rs).
#[path = "parity/bfgs.rs"]
mod bfgs_by_hand;
#[path = "parity/mod.rs"]
mod parity;
#[path = "parity/schedules.rs"]
mod schedules;

// Helpers for calling the JS API from Rust.
#[path = "web/js.rs"]
mod js;

// Feature suites, one file each.
#[path = "web/augmenter.rs"]
mod augmenter;
#[path = "web/bfgs_api.rs"]
mod bfgs_api;
#[path = "web/cnn.rs"]
mod cnn;
#[path = "web/ensemble.rs"]
mod ensemble;
#[path = "web/hostile_settings.rs"]
mod hostile_settings;
#[path = "web/race_api.rs"]
mod race_api;
#[path = "web/schedules_applied.rs"]
mod schedules_applied;
#[path = "web/simd_parity.rs"]
mod simd_parity;
#[path = "web/trainer.rs"]
mod trainer;
