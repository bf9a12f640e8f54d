//! Behaviour of the network engine: gradients against finite differences,
//! dropout and batch-norm statistics against hand-computed values, the
//! spiral benchmark, the weight layout, validation and buffer reuse.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use trainlab::nn::loss::{add_l2_gradient, l2_penalty, softmax_cross_entropy};
use trainlab::nn::{
    parse_dataset_kind, seed_from_number, whole_number, Activation, BatchNorm, DataSource, Dataset,
    DatasetKind, Dense, Dropout, DropoutMode, Mode, Model, ModelSpec, Trainer, TrainerConfig,
    WeightInit,
};
use trainlab::optim::{Optimizer, Rule, Settings};
use trainlab::rng::Rng;

// ---------------------------------------------------------------------------
// Counting allocations on the current thread (tests run on several threads).

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(work: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    work();
    ALLOCATIONS.with(Cell::get) - before
}

// ---------------------------------------------------------------------------
// Helpers.

fn random_vec(rng: &mut Rng, n: usize, scale: f64) -> Vec<f32> {
    (0..n).map(|_| (rng.normal() * scale) as f32).collect()
}

/// `Σ r·y` in f64: a scalar whose gradient with respect to `y` is `r`.
fn weighted_sum(r: &[f32], y: &[f32]) -> f64 {
    r.iter().zip(y).map(|(&a, &b)| a as f64 * b as f64).sum()
}

/// Fails unless every analytic entry is within `abs + rel·|numeric|` of the numeric one.
fn assert_gradients_close(what: &str, analytic: &[f32], numeric: &[f64], abs: f64, rel: f64) {
    assert_eq!(analytic.len(), numeric.len(), "{what}: lengths differ");
    for (i, (&a, &n)) in analytic.iter().zip(numeric).enumerate() {
        let tolerance = abs + rel * n.abs();
        assert!(
            (a as f64 - n).abs() <= tolerance,
            "{what}[{i}]: analytic {a}, finite difference {n}"
        );
    }
}

/// Central differences of `f` at `x` in f32 arithmetic with step `h`.
///
/// The engine's layers compute in f32, so their outputs carry relative
/// rounding of ~6e-8. With h = 1e-2 the rounding contributes about
/// 6e-8·|Σr·y| / 2h ≈ 3e-6·|Σr·y| to each estimate, and the truncation
/// error h²/6·f''' is ~2e-5 for the smooth layers here (zero for the
/// linear ones), so tolerances of a few 1e-4 are meaningful.
fn finite_differences_f32(x: &mut [f32], h: f32, mut f: impl FnMut(&[f32]) -> f64) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let saved = x[i];
            x[i] = saved + h;
            let plus = f(x);
            x[i] = saved - h;
            let minus = f(x);
            x[i] = saved;
            (plus - minus) / (2.0 * h as f64)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Layer gradient checks (loss = Σ r·layer(x), so dL/dy = r).

#[test]
fn dense_gradients_match_finite_differences_for_every_kernel_shape() {
    // (inputs, outputs) pairs exercise: narrow outputs (dot products, transposed
    // weight gradient), wide outputs, narrow inputs (dot-product input gradient).
    for &(inputs, outputs) in &[(2usize, 3usize), (17, 3), (3, 20), (18, 18), (5, 9)] {
        let batch = 7;
        let mut rng = Rng::new(inputs as u64 * 100 + outputs as u64);
        let mut params = random_vec(&mut rng, inputs * outputs + outputs, 0.5);
        let x = random_vec(&mut rng, batch * inputs, 1.0);
        let r = random_vec(&mut rng, batch * outputs, 1.0);
        let mut layer = Dense::new(inputs, outputs, 0);
        let mut y = vec![0.0; batch * outputs];

        layer.forward(&params, &x, &mut y, batch);
        // Forward against the textbook formula.
        for i in 0..batch {
            for j in 0..outputs {
                let mut want = params[inputs * outputs + j] as f64;
                for p in 0..inputs {
                    want += x[i * inputs + p] as f64 * params[p * outputs + j] as f64;
                }
                assert!((y[i * outputs + j] as f64 - want).abs() < 1e-5);
            }
        }
        let mut grads = vec![f32::NAN; params.len()];
        let mut dx = vec![f32::NAN; x.len()];
        layer.backward(&params, &mut grads, &x, &r, Some(&mut dx), batch);

        let mut out = vec![0.0; batch * outputs];
        let numeric_x = finite_differences_f32(&mut x.clone(), 1e-2, |x| {
            layer.clone().forward(&params, x, &mut out, batch);
            weighted_sum(&r, &out)
        });
        assert_gradients_close("dense dx", &dx, &numeric_x, 2e-4, 1e-4);
        let numeric_p = finite_differences_f32(&mut params, 1e-2, |p| {
            layer.clone().forward(p, &x, &mut out, batch);
            weighted_sum(&r, &out)
        });
        assert_gradients_close("dense dW, db", &grads, &numeric_p, 2e-4, 1e-4);
    }
}

#[test]
fn activation_gradients_match_finite_differences() {
    let mut rng = Rng::new(5);
    // Keep inputs at least 0.05 from ReLU's kink, farther than the step h.
    let x: Vec<f32> = random_vec(&mut rng, 40, 1.5)
        .into_iter()
        .map(|v| if v.abs() < 0.05 { v + 0.1 } else { v })
        .collect();
    let r = random_vec(&mut rng, 40, 1.0);
    for activation in Activation::ALL {
        let mut y = vec![0.0; x.len()];
        activation.forward(&x, &mut y);
        let mut dx = vec![f32::NAN; x.len()];
        activation.backward(&y, &r, &mut dx);
        let numeric = finite_differences_f32(&mut x.clone(), 1e-2, |x| {
            let mut out = vec![0.0; x.len()];
            activation.forward(x, &mut out);
            weighted_sum(&r, &out)
        });
        assert_gradients_close(activation.name(), &dx, &numeric, 1e-4, 2e-3);
    }
}

#[test]
fn batch_norm_train_mode_gradients_match_finite_differences() {
    let (batch, features) = (6, 4);
    let mut rng = Rng::new(11);
    let x = random_vec(&mut rng, batch * features, 1.0);
    // γ (non-trivial) then β.
    let mut params: Vec<f32> = (0..features)
        .map(|c| 0.5 + 0.3 * c as f32)
        .chain((0..features).map(|c| 0.1 * c as f32 - 0.2))
        .collect();
    let r = random_vec(&mut rng, batch * features, 1.0);
    let mut layer = BatchNorm::new(features, 0);
    let mut y = vec![0.0; x.len()];
    layer.forward(&params, &x, &mut y, batch, Mode::Train);
    let mut grads = vec![f32::NAN; params.len()];
    let mut dx = vec![f32::NAN; x.len()];
    layer.backward(&params, &mut grads, &r, &mut dx, batch);

    let mut out = vec![0.0; x.len()];
    let numeric_x = finite_differences_f32(&mut x.clone(), 1e-2, |x| {
        layer
            .clone()
            .forward(&params, x, &mut out, batch, Mode::Train);
        weighted_sum(&r, &out)
    });
    assert_gradients_close("batch norm dx", &dx, &numeric_x, 5e-4, 5e-3);
    let numeric_p = finite_differences_f32(&mut params, 1e-2, |p| {
        layer.clone().forward(p, &x, &mut out, batch, Mode::Train);
        weighted_sum(&r, &out)
    });
    assert_gradients_close("batch norm dγ, dβ", &grads, &numeric_p, 2e-4, 1e-4);
}

#[test]
fn dropout_gradient_with_a_fixed_mask_matches_finite_differences() {
    let mut rng = Rng::new(3);
    let x = random_vec(&mut rng, 12, 1.0);
    let r = random_vec(&mut rng, 12, 1.0);
    let mask: Vec<f32> = (0..12).map(|i| (i % 3 != 0) as u8 as f32).collect();
    for mode in [DropoutMode::Inverted, DropoutMode::Original] {
        let mut layer = Dropout::new(0.4, mode, 1).unwrap();
        layer.fix_mask(&mask).unwrap();
        let mut y = vec![0.0; 12];
        layer.forward(&x, &mut y, Mode::Train);
        assert_eq!(layer.mask(), &mask[..], "a fixed mask is not redrawn");
        let mut dx = vec![f32::NAN; 12];
        layer.backward(&r, &mut dx);
        let numeric = finite_differences_f32(&mut x.clone(), 1e-2, |x| {
            let mut out = vec![0.0; 12];
            layer.clone().forward(x, &mut out, Mode::Train);
            weighted_sum(&r, &out)
        });
        assert_gradients_close("dropout dx", &dx, &numeric, 1e-4, 1e-4);
        // Dropped units pass no gradient; kept ones are scaled (1/0.6 inverted, 1 original).
        let scale = if mode == DropoutMode::Inverted {
            1.0 / 0.6
        } else {
            1.0
        };
        assert_eq!(dx[0], 0.0);
        assert!((dx[1] - r[1] * scale).abs() < 1e-6);
    }
}

#[test]
fn softmax_cross_entropy_value_and_gradient() {
    // By hand: logits (0, ln 2, ln 5) give p = (1/8, 2/8, 5/8); label 2 ⇒ loss −ln(5/8).
    let logits = [0.0f32, 2f32.ln(), 5f32.ln()];
    let mut probs = [0.0; 3];
    let mut grad = [0.0; 3];
    let loss = softmax_cross_entropy(&logits, &[2], 3, &mut probs, &mut grad);
    assert!((loss - (8.0f64 / 5.0).ln()).abs() < 1e-6);
    assert!((probs[0] - 0.125).abs() < 1e-6 && (probs[2] - 0.625).abs() < 1e-6);
    assert!((grad[2] + 0.375).abs() < 1e-6);
    // Huge scores do not overflow.
    let loss = softmax_cross_entropy(&[1000.0, 0.0], &[0], 2, &mut [0.0; 2], &mut [0.0; 2]);
    assert!(loss.is_finite() && loss < 1e-6);

    // Gradient of the batch mean against finite differences.
    let mut rng = Rng::new(17);
    let (batch, classes) = (5, 4);
    let mut z = random_vec(&mut rng, batch * classes, 2.0);
    let labels: Vec<u32> = (0..batch as u32).map(|i| i % classes as u32).collect();
    let mut probs = vec![0.0; z.len()];
    let mut grad = vec![0.0; z.len()];
    softmax_cross_entropy(&z, &labels, classes, &mut probs, &mut grad);
    let numeric = finite_differences_f32(&mut z, 1e-2, |z| {
        softmax_cross_entropy(
            z,
            &labels,
            classes,
            &mut vec![0.0; z.len()],
            &mut vec![0.0; z.len()],
        )
    });
    assert_gradients_close("softmax", &grad, &numeric, 1e-4, 1e-3);
}

#[test]
fn l2_value_and_gradient() {
    let mut w = vec![1.0f32, -2.0, 0.5];
    assert!((l2_penalty(&w, 0.1) - 0.5 * 0.1 * 5.25).abs() < 1e-7);
    let mut g = vec![0.0f32; 3];
    add_l2_gradient(&w, &mut g, 0.1);
    let numeric = finite_differences_f32(&mut w, 1e-2, |w| l2_penalty(w, 0.1));
    assert_gradients_close("l2", &g, &numeric, 1e-5, 1e-4);
}

// ---------------------------------------------------------------------------
// Whole networks against an independent f64 implementation.

/// The documented network, written directly in f64 from the flat layout
/// `[W1, b1, (γ1, β1), …]`: returns (data loss, L2 term).
fn reference_loss(
    spec: &ModelSpec,
    params: &[f64],
    masks: &[Vec<f32>],
    inputs: &[f32],
    labels: &[u32],
    l2: f64,
) -> (f64, f64) {
    let rows = labels.len();
    let mut h: Vec<f64> = inputs.iter().map(|&v| v as f64).collect();
    let mut width = spec.inputs;
    let mut offset = 0;
    let mut regularization = 0.0;
    let layer_widths: Vec<usize> = spec.hidden.iter().copied().chain([spec.classes]).collect();
    for (index, &out) in layer_widths.iter().enumerate() {
        let w = &params[offset..offset + width * out];
        let b = &params[offset + width * out..offset + width * out + out];
        offset += width * out + out;
        regularization += 0.5 * l2 * w.iter().map(|v| v * v).sum::<f64>();
        let mut z = vec![0.0; rows * out];
        for i in 0..rows {
            for j in 0..out {
                z[i * out + j] = b[j]
                    + (0..width)
                        .map(|p| h[i * width + p] * w[p * out + j])
                        .sum::<f64>();
            }
        }
        width = out;
        if index == spec.hidden.len() {
            h = z;
            break;
        }
        if spec.batch_norm {
            let gamma = &params[offset..offset + out];
            let beta = &params[offset + out..offset + 2 * out];
            offset += 2 * out;
            for j in 0..out {
                let mean = (0..rows).map(|i| z[i * out + j]).sum::<f64>() / rows as f64;
                let var = (0..rows)
                    .map(|i| (z[i * out + j] - mean).powi(2))
                    .sum::<f64>()
                    / rows as f64;
                for i in 0..rows {
                    z[i * out + j] =
                        gamma[j] * (z[i * out + j] - mean) / (var + 1e-5).sqrt() + beta[j];
                }
            }
        }
        for v in &mut z {
            *v = match spec.activation {
                Activation::Relu => v.max(0.0),
                Activation::Tanh => v.tanh(),
                Activation::Sigmoid => 1.0 / (1.0 + (-*v).exp()),
            };
        }
        if let Some(p) = spec.dropout {
            let keep = 1.0 - p as f64;
            let scale = match spec.dropout_mode {
                DropoutMode::Inverted => 1.0 / keep,
                DropoutMode::Original => 1.0,
            };
            for (v, &m) in z.iter_mut().zip(&masks[index]) {
                *v *= m as f64 * scale;
            }
        }
        h = z;
    }
    assert_eq!(
        offset,
        params.len(),
        "the reference layout covers every parameter"
    );
    let classes = spec.classes;
    let mut data = 0.0;
    for (i, &label) in labels.iter().enumerate() {
        let row = &h[i * classes..(i + 1) * classes];
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_sum = row.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
        data += log_sum - row[label as usize];
    }
    (data / rows as f64, regularization)
}

/// Builds `spec`, fixes random dropout masks, and compares the engine's
/// loss and gradients with the f64 reference and its central differences.
fn check_network_gradients(spec: ModelSpec, seed: u64) {
    let rows = 8;
    let l2 = 0.05;
    let mut rng = Rng::new(seed);
    let inputs = random_vec(&mut rng, rows * spec.inputs, 1.0);
    let labels: Vec<u32> = (0..rows).map(|i| (i % spec.classes) as u32).collect();
    let mut model = Model::new(&spec, seed).unwrap();
    // Non-trivial biases, γ and β so that every parameter matters.
    let mut weights = model.weights();
    for v in weights.iter_mut() {
        *v += (rng.normal() * 0.1) as f32;
    }
    model.set_weights(&weights).unwrap();
    let masks: Vec<Vec<f32>> = spec
        .hidden
        .iter()
        .map(|&w| {
            (0..rows * w)
                .map(|_| rng.bernoulli(0.7) as u8 as f32)
                .collect()
        })
        .collect();
    for (h, mask) in masks.iter().enumerate() {
        if let Some(dropout) = model.dropout_mut(h) {
            dropout.fix_mask(mask).unwrap();
        }
    }

    if spec.dropout.is_some() {
        let short = model.compute_gradients(&inputs[..spec.inputs], &labels[..1], l2 as f32);
        assert!(short.unwrap_err().message().contains("fixed dropout mask"));
    }
    let loss = model
        .compute_gradients(&inputs, &labels, l2 as f32)
        .unwrap();
    let params: Vec<f64> = model.params().iter().map(|&v| v as f64).collect();
    let (data, regularization) = reference_loss(&spec, &params, &masks, &inputs, &labels, l2);
    assert!(
        (loss.data - data).abs() < 1e-5 * (1.0 + data),
        "data loss {} vs {data}",
        loss.data
    );
    assert!((loss.regularization - regularization).abs() < 1e-9 + 1e-6 * regularization);

    // f64 central differences with h = 1e-6: truncation ~1e-12, rounding ~1e-10.
    let h = 1e-6;
    let mut probe = params.clone();
    let numeric: Vec<f64> = (0..params.len())
        .map(|i| {
            probe[i] = params[i] + h;
            let (d1, r1) = reference_loss(&spec, &probe, &masks, &inputs, &labels, l2);
            probe[i] = params[i] - h;
            let (d2, r2) = reference_loss(&spec, &probe, &masks, &inputs, &labels, l2);
            probe[i] = params[i];
            ((d1 + r1) - (d2 + r2)) / (2.0 * h)
        })
        .collect();
    // The engine's f32 sums carry relative errors of ~1e-6; batch norm's
    // centred sums cancel, hence the absolute part.
    assert_gradients_close("network", model.grads(), &numeric, 1e-4, 1e-3);
}

#[test]
fn relu_network_gradients_match_an_f64_reference() {
    check_network_gradients(ModelSpec::new(vec![6, 5], 3), 1);
}

#[test]
fn tanh_network_with_batch_norm_and_inverted_dropout_gradients() {
    let spec = ModelSpec {
        activation: Activation::Tanh,
        batch_norm: true,
        dropout: Some(0.3),
        ..ModelSpec::new(vec![5, 4], 3)
    };
    check_network_gradients(spec, 2);
}

#[test]
fn sigmoid_network_with_batch_norm_and_original_dropout_gradients() {
    let spec = ModelSpec {
        activation: Activation::Sigmoid,
        batch_norm: true,
        dropout: Some(0.5),
        dropout_mode: DropoutMode::Original,
        ..ModelSpec::new(vec![20], 4)
    };
    check_network_gradients(spec, 3);
}

#[test]
fn relu_network_with_batch_norm_and_a_wide_layer_gradients() {
    let spec = ModelSpec {
        batch_norm: true,
        dropout: Some(0.2),
        ..ModelSpec::new(vec![17, 9], 2)
    };
    check_network_gradients(spec, 4);
}

// ---------------------------------------------------------------------------
// Dropout expectations.

#[test]
fn inverted_dropout_averages_to_the_eval_output() {
    let x = [1.0f32, -2.0, 0.5, 3.0];
    let mut layer = Dropout::new(0.5, DropoutMode::Inverted, 7).unwrap();
    let mut eval = [0.0; 4];
    layer.forward(&x, &mut eval, Mode::Eval);
    assert_eq!(eval, x, "inverted dropout is the identity at test time");
    let trials = 40_000;
    let mut mean = [0.0f64; 4];
    let mut kept = 0.0;
    let mut y = [0.0; 4];
    for _ in 0..trials {
        layer.forward(&x, &mut y, Mode::Train);
        for (m, &v) in mean.iter_mut().zip(&y) {
            *m += v as f64 / trials as f64;
        }
        kept += layer.mask().iter().sum::<f32>() as f64;
        // Kept units are doubled (1/p_keep = 2), dropped ones are 0.
        assert!(y.iter().zip(&x).all(|(&y, &x)| y == 0.0 || y == 2.0 * x));
    }
    assert!((kept / (4.0 * trials as f64) - 0.5).abs() < 0.01);
    // Standard error of each mean is |x|/√trials ≈ 0.005|x|.
    for (m, &e) in mean.iter().zip(&eval) {
        assert!((m - e as f64).abs() < 0.03 * (e as f64).abs(), "{m} vs {e}");
    }
}

#[test]
fn original_dropout_scales_at_test_time_and_forgetting_is_off_by_p_keep() {
    let x = [2.0f32, -4.0];
    let mut layer = Dropout::new(0.25, DropoutMode::Original, 9).unwrap();
    let mut eval = [0.0; 2];
    layer.forward(&x, &mut eval, Mode::Eval);
    assert_eq!(eval, [1.5, -3.0], "eval multiplies by p_keep = 0.75");

    let trials = 40_000;
    let mut mean = [0.0f64; 2];
    let mut y = [0.0; 2];
    for _ in 0..trials {
        layer.forward(&x, &mut y, Mode::Train);
        assert!(
            y.iter().zip(&x).all(|(&y, &x)| y == 0.0 || y == x),
            "no scaling in training"
        );
        for (m, &v) in mean.iter_mut().zip(&y) {
            *m += v as f64 / trials as f64;
        }
    }
    // The training expectation is p_keep·x = (1.5, −3): what eval gives.
    assert!((mean[0] - 1.5).abs() < 0.03 && (mean[1] + 3.0).abs() < 0.06);
    // A test pass that forgot the factor would output x itself: 1/p_keep too large.
    let ratio = x[0] as f64 / mean[0];
    assert!((ratio - 1.0 / 0.75).abs() < 0.03, "off by {ratio}");
}

#[test]
fn dropout_masks_are_seeded_and_drop_probability_is_validated() {
    let x = vec![1.0f32; 64];
    let mut y = vec![0.0; 64];
    let mut a = Dropout::new(0.5, DropoutMode::Inverted, 42).unwrap();
    let mut b = Dropout::new(0.5, DropoutMode::Inverted, 42).unwrap();
    a.forward(&x, &mut y, Mode::Train);
    b.forward(&x, &mut y, Mode::Train);
    assert_eq!(a.mask(), b.mask());
    let first = a.mask().to_vec();
    a.forward(&x, &mut y, Mode::Train);
    assert_ne!(a.mask(), &first[..], "a new mask every training pass");
    a.reseed(42);
    a.forward(&x, &mut y, Mode::Train);
    assert_eq!(a.mask(), &first[..], "reseeding replays the masks");
    // p = 0 keeps everything.
    let mut none = Dropout::new(0.0, DropoutMode::Inverted, 1).unwrap();
    none.forward(&x, &mut y, Mode::Train);
    assert_eq!(y, x);
    for bad in [1.0f32, -0.1, f32::NAN] {
        let err = Dropout::new(bad, DropoutMode::Inverted, 1).unwrap_err();
        assert!(err.message().starts_with("dropout"), "{}", err.message());
    }
    assert!(a.fix_mask(&[0.5]).is_err());
}

// ---------------------------------------------------------------------------
// Batch norm statistics.

#[test]
fn batch_norm_normalises_a_small_batch_as_computed_by_hand() {
    // Feature 0: 1, 2, 3, 6 → mean 3, biased variance (4+1+0+9)/4 = 3.5.
    // Feature 1: 0, 0, 4, 4 → mean 2, biased variance 4.
    let x = [1.0f32, 0.0, 2.0, 0.0, 3.0, 4.0, 6.0, 4.0];
    let params = [1.0f32, 1.0, 0.0, 0.0]; // γ = 1, β = 0
    let mut layer = BatchNorm::new(2, 0);
    let mut y = [0.0f32; 8];
    layer.forward(&params, &x, &mut y, 4, Mode::Train);
    let s0 = (3.5f64 + 1e-5).sqrt();
    let s1 = (4.0f64 + 1e-5).sqrt();
    let want = [
        -2.0 / s0,
        -2.0 / s1,
        -1.0 / s0,
        -2.0 / s1,
        0.0,
        2.0 / s1,
        3.0 / s0,
        2.0 / s1,
    ];
    for (g, w) in y.iter().zip(want) {
        assert!((*g as f64 - w).abs() < 1e-6, "{g} vs {w}");
    }
    for c in 0..2 {
        let column: Vec<f64> = (0..4).map(|i| y[2 * i + c] as f64).collect();
        let mean = column.iter().sum::<f64>() / 4.0;
        let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0;
        assert!(mean.abs() < 1e-6);
        assert!((var - 1.0).abs() < 1e-5, "variance {var}");
    }
    assert_eq!(layer.batch_mean(), &[3.0, 2.0]);
    assert_eq!(layer.batch_var(), &[3.5, 4.0]);
}

#[test]
fn batch_norm_running_statistics_follow_the_momentum_recursion() {
    // Three alternating batches of two features, five steps, momentum 0.1.
    let batches: [[f32; 6]; 3] = [
        [1.0, 10.0, 2.0, 20.0, 6.0, 30.0],
        [0.0, -1.0, 0.0, 1.0, 3.0, 0.0],
        [5.0, 2.0, -5.0, 2.0, 0.0, 8.0],
    ];
    let params = [1.0f32, 1.0, 0.0, 0.0];
    let mut layer = BatchNorm::new(2, 0);
    assert_eq!(layer.momentum(), 0.1);
    let steps = 5;
    let mut y = [0.0f32; 6];
    for t in 0..steps {
        layer.forward(&params, &batches[t % 3], &mut y, 3, Mode::Train);
    }
    // Closed form: r_k = 0.9^k·r_0 + Σ_t 0.1·0.9^(k−1−t)·s_t, with r_0 = (0, 1)
    // and s_t the batch mean or the unbiased (n − 1 = 2) batch variance.
    for c in 0..2 {
        let (mut mean_want, mut var_want) = (0.0, 0.9f64.powi(steps as i32));
        for t in 0..steps {
            let column: Vec<f64> = (0..3).map(|i| batches[t % 3][2 * i + c] as f64).collect();
            let mean = column.iter().sum::<f64>() / 3.0;
            let unbiased = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 2.0;
            let weight = 0.1 * 0.9f64.powi((steps - 1 - t) as i32);
            mean_want += weight * mean;
            var_want += weight * unbiased;
        }
        assert!(
            (layer.running_mean()[c] as f64 - mean_want).abs() < 1e-5 * (1.0 + mean_want.abs())
        );
        assert!((layer.running_var()[c] as f64 - var_want).abs() < 1e-5 * (1.0 + var_want));
    }

    // Eval mode uses the running statistics, with γ = (2, 0.5) and β = (1, −1).
    let params = [2.0f32, 0.5, 1.0, -1.0];
    let x = [4.0f32, -3.0];
    let mut out = [0.0f32; 2];
    let before = (layer.running_mean().to_vec(), layer.running_var().to_vec());
    layer.forward(&params, &x, &mut out, 1, Mode::Eval);
    for c in 0..2 {
        let (m, v) = (before.0[c] as f64, before.1[c] as f64);
        let want = params[c] as f64 * (x[c] as f64 - m) / (v + 1e-5).sqrt() + params[2 + c] as f64;
        assert!((out[c] as f64 - want).abs() < 1e-5, "{} vs {want}", out[c]);
    }
    assert_eq!(
        layer.running_mean(),
        &before.0[..],
        "eval leaves the statistics alone"
    );
}

// ---------------------------------------------------------------------------
// The spiral benchmark of the CS231n notes.

#[test]
fn spiral_reaches_96_percent_after_2000_steps_and_98_after_10000() {
    let mut trainer = Trainer::new(TrainerConfig::default()).unwrap();
    assert_eq!(trainer.train_set().len(), 300);
    assert!(trainer.is_full_batch());
    let first = trainer.train(1).unwrap();
    assert!(
        (first.loss - 3f64.ln()).abs() < 0.5,
        "starts near ln 3: {}",
        first.loss
    );
    let early = trainer.train(1999).unwrap();
    assert!(early.train_accuracy >= 0.96, "after 2000 steps: {early:?}");
    let late = trainer.train(8000).unwrap();
    assert!(late.train_accuracy >= 0.98, "after 10000 steps: {late:?}");
    assert_eq!(trainer.history().len(), 10_000);
    assert!(late.loss < early.loss && late.loss < 0.5);
    assert_eq!(late.val_accuracy, None);
}

// ---------------------------------------------------------------------------
// Weights, layout and buffers.

#[test]
fn weight_layout_is_w_b_gamma_beta_and_round_trips() {
    let spec = ModelSpec {
        batch_norm: true,
        ..ModelSpec::new(vec![4, 3], 2)
    };
    let mut model = Model::new(&spec, 8).unwrap();
    let names: Vec<&str> = model.blocks().iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"]
    );
    let sizes: Vec<usize> = model.blocks().iter().map(|b| b.len()).collect();
    assert_eq!(sizes, [8, 4, 4, 4, 12, 3, 3, 3, 6, 2]);
    assert_eq!(model.parameter_count(), 49);
    let w = model.weights();
    // γ starts at 1, β and biases at 0.
    assert_eq!(&w[8..12], &[0.0; 4]);
    assert_eq!(&w[12..16], &[1.0; 4]);
    assert_eq!(&w[16..20], &[0.0; 4]);

    let changed: Vec<f32> = (0..49).map(|i| i as f32 * 0.01 - 0.2).collect();
    model.set_weights(&changed).unwrap();
    assert_eq!(model.weights(), changed);
    let err = model.set_weights(&changed[..48]).unwrap_err();
    assert!(err.message().contains("49"), "{}", err.message());
    assert!(model.set_weights(&[f32::NAN; 49]).is_err());
    assert_eq!(model.weights(), changed, "a failed set changes nothing");
}

#[test]
fn zero_weights_predict_uniform_probabilities_and_w1_shapes_pre_activations() {
    let mut model = Model::new(&ModelSpec::new(vec![3], 4), 1).unwrap();
    let zeros = vec![0.0; model.parameter_count()];
    model.set_weights(&zeros).unwrap();
    let mut probs = vec![0.0; 2 * 4];
    model.predict(&[0.3, -1.0, 2.0, 5.0], &mut probs).unwrap();
    assert!(probs.iter().all(|&p| (p - 0.25).abs() < 1e-7));

    // W1 = [[1, 2, 3], [4, 5, 6]], b1 = (0.5, 0, −1): pre-activations by hand.
    let mut w = zeros;
    w[..6].copy_from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    w[6..9].copy_from_slice(&[0.5, 0.0, -1.0]);
    model.set_weights(&w).unwrap();
    model
        .compute_gradients(&[1.0, 1.0, -1.0, 0.5], &[0, 3], 0.0)
        .unwrap();
    assert_eq!(
        model.pre_activations(0).unwrap(),
        &[5.5, 7.0, 8.0, 1.5, 0.5, -1.0]
    );
    assert_eq!(
        model.dense_outputs(0).unwrap(),
        model.pre_activations(0).unwrap()
    );
    assert!(model.pre_activations(1).is_none());
}

#[test]
fn a_training_step_and_a_heatmap_redraw_allocate_nothing_once_warm() {
    let spec = ModelSpec {
        batch_norm: true,
        dropout: Some(0.2),
        ..ModelSpec::new(vec![100, 50], 3)
    };
    let mut model = Model::new(&spec, 1).unwrap();
    let data = Dataset::generate(DatasetKind::Spiral, 3, 100, 0.2, 1).unwrap();
    let mut optimizer = Optimizer::new(Settings {
        lr: 0.1,
        rule: Rule::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            bias_correction: true,
        },
    })
    .unwrap();
    let mut step = |model: &mut Model| {
        model
            .compute_gradients(data.points(), data.labels(), 1e-3)
            .unwrap();
        let (params, grads) = model.params_and_grads();
        optimizer.step(params, grads).unwrap();
    };
    step(&mut model);
    assert_eq!(allocations_during(|| step(&mut model)), 0);

    let mut trainer = Trainer::new(TrainerConfig {
        batch_size: 64,
        dropout: Some(0.1),
        ..TrainerConfig::default()
    })
    .unwrap();
    let mut grid = vec![0.0; 40 * 30 * 3];
    trainer.run(3).unwrap();
    trainer
        .predict_grid(-1.0, 1.0, -1.0, 1.0, 40, 30, &mut grid)
        .unwrap();
    assert!(
        allocations_during(|| {
            trainer.run(20).unwrap();
        }) <= 1,
        "at most the history's one reservation"
    );
    assert_eq!(
        allocations_during(|| trainer
            .predict_grid(-1.0, 1.0, -1.0, 1.0, 40, 30, &mut grid)
            .unwrap()),
        0
    );
}

// ---------------------------------------------------------------------------
// Trainer behaviour.

#[test]
fn predict_grid_matches_predictions_at_cell_centres() {
    let mut trainer = Trainer::new(TrainerConfig::default()).unwrap();
    trainer.run(50).unwrap();
    let (width, height) = (5, 4);
    let mut grid = vec![0.0; width * height * 3];
    trainer
        .predict_grid(-1.0, 1.5, -2.0, 2.0, width, height, &mut grid)
        .unwrap();
    // Cell (row 1, col 3): x = −1 + 3.5·0.5 = 0.75, y = 2 − 1.5·1 = 0.5.
    let mut probs = [0.0; 3];
    trainer
        .model_mut()
        .predict(&[0.75, 0.5], &mut probs)
        .unwrap();
    let cell = (width + 3) * 3;
    for c in 0..3 {
        assert!((grid[cell + c] - probs[c]).abs() < 1e-6);
    }
    for p in grid.chunks_exact(3) {
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
    assert!(trainer
        .predict_grid(0.0, 0.0, 0.0, 1.0, 5, 4, &mut grid)
        .is_err());
    assert!(trainer
        .predict_grid(0.0, 1.0, 0.0, 1.0, 5, 4, &mut grid[..3])
        .is_err());
}

#[test]
fn minibatches_validation_split_and_schedules_are_seeded() {
    let config = TrainerConfig {
        dataset: DataSource::Generated(DatasetKind::Moons),
        classes: 2,
        noise: 0.1,
        validation_split: 0.25,
        batch_size: 32,
        hidden: vec![16],
        dropout: Some(0.2),
        seed: 77,
        ..TrainerConfig::default()
    };
    let mut a = Trainer::new(config.clone()).unwrap();
    let mut b = Trainer::new(config.clone()).unwrap();
    assert_eq!((a.train_set().len(), a.val_set().len()), (150, 50));
    let ma = a.train(200).unwrap();
    let mb = b.train(200).unwrap();
    assert_eq!(ma, mb);
    assert_eq!(a.current_batch().1.len(), 32);
    assert_eq!(a.model().dropout_mask(0).unwrap().len(), 32 * 16);
    assert!(ma.val_accuracy.unwrap() > 0.8, "{ma:?}");

    // A schedule that returns 0 from step 10 on freezes the weights.
    let mut c = Trainer::new(config).unwrap();
    c.set_schedule(Box::new(|step| if step < 10 { 0.5 } else { 0.0 }));
    c.run(10).unwrap();
    let frozen = c.model().weights();
    assert_eq!(c.current_lr(), 0.0);
    c.run(5).unwrap();
    assert_eq!(c.model().weights(), frozen);
    c.set_lr(0.5).unwrap();
    c.run(1).unwrap();
    assert_ne!(c.model().weights(), frozen);
    assert!(c.set_lr(-1.0).unwrap_err().message().starts_with("lr"));
}

#[test]
fn every_dataset_trains_with_batch_norm_and_dropout() {
    for (kind, classes) in [
        (DatasetKind::Moons, 2),
        (DatasetKind::Circles, 2),
        (DatasetKind::Xor, 2),
        (DatasetKind::Blobs, 4),
    ] {
        let mut trainer = Trainer::new(TrainerConfig {
            dataset: DataSource::Generated(kind),
            classes,
            points_per_class: 60,
            noise: 0.05,
            hidden: vec![32, 32],
            batch_norm: true,
            dropout: Some(0.1),
            batch_size: 40,
            optimizer: Settings {
                lr: 0.1,
                rule: Rule::Momentum { rho: 0.9 },
            },
            ..TrainerConfig::default()
        })
        .unwrap();
        let metrics = trainer.train(400).unwrap();
        assert!(metrics.train_accuracy > 0.9, "{kind:?}: {metrics:?}");
    }
}

#[test]
fn custom_data_is_validated_and_trains() {
    let points = [0.0f32, 0.0, 1.0, 1.0, -1.0, 1.0, 1.0, -1.0];
    let labels = [0u32, 1, 1, 0];
    let data = Dataset::custom(&points, &labels, 2).unwrap();
    assert_eq!(data.bounds(), (-1.0, 1.0, -1.0, 1.0));
    for (points, labels) in [
        (&points[..], &labels[..3]),
        (&points[..0], &labels[..0]),
        (&[f32::NAN, 0.0][..], &[0u32][..]),
        (&points[..], &[0u32, 1, 2, 0][..]),
    ] {
        let err = Dataset::custom(points, labels, 2).unwrap_err();
        assert!(err.message().starts_with("dataset"), "{}", err.message());
    }
    let mut trainer = Trainer::new(TrainerConfig {
        dataset: DataSource::Custom(data),
        classes: 2,
        hidden: vec![8],
        batch_size: 100,
        ..TrainerConfig::default()
    })
    .unwrap();
    assert_eq!(trainer.batch_size(), 4);
    assert_eq!(trainer.train(300).unwrap().train_accuracy, 1.0);
}

#[test]
fn small_init_is_0_01_and_he_is_sqrt_2_over_fan_in() {
    let mut spec = ModelSpec::new(vec![400], 3);
    for (init, want) in [
        (WeightInit::Small, 0.01),
        (WeightInit::He, 1.0),
        (WeightInit::Xavier, (2.0f64 / 402.0).sqrt()),
    ] {
        spec.init = init;
        let model = Model::new(&spec, 1).unwrap();
        let w1 = &model.params()[model.blocks()[0].range()];
        let std = (w1.iter().map(|&w| (w as f64).powi(2)).sum::<f64>() / w1.len() as f64).sqrt();
        assert!(
            (std - want).abs() < 0.08 * want,
            "{init:?}: {std} vs {want}"
        );
    }
}

// ---------------------------------------------------------------------------
// Validation names the JS key.

fn err_of(config: TrainerConfig) -> String {
    match Trainer::new(config) {
        Ok(_) => panic!("config was accepted"),
        Err(err) => err.message().to_string(),
    }
}

#[test]
fn invalid_settings_are_errors_naming_the_key() {
    let base = TrainerConfig::default;
    let cases: Vec<(&str, String)> = vec![
        (
            "dataset",
            parse_dataset_kind("squares").unwrap_err().message().into(),
        ),
        (
            "classes",
            err_of(TrainerConfig {
                classes: 1,
                ..base()
            }),
        ),
        (
            "classes",
            err_of(TrainerConfig {
                classes: 99,
                ..base()
            }),
        ),
        (
            "classes",
            err_of(TrainerConfig {
                dataset: DataSource::Generated(DatasetKind::Moons),
                ..base()
            }),
        ),
        (
            "pointsPerClass",
            err_of(TrainerConfig {
                points_per_class: 0,
                ..base()
            }),
        ),
        (
            "noise",
            err_of(TrainerConfig {
                noise: -0.1,
                ..base()
            }),
        ),
        (
            "noise",
            err_of(TrainerConfig {
                noise: f64::NAN,
                ..base()
            }),
        ),
        (
            "validationSplit",
            err_of(TrainerConfig {
                validation_split: 1.0,
                ..base()
            }),
        ),
        (
            "hidden",
            err_of(TrainerConfig {
                hidden: vec![10, 0],
                ..base()
            }),
        ),
        (
            "hidden",
            err_of(TrainerConfig {
                hidden: vec![4; 17],
                ..base()
            }),
        ),
        (
            "activation",
            Activation::parse("swish").unwrap_err().message().into(),
        ),
        (
            "dropout",
            err_of(TrainerConfig {
                dropout: Some(1.0),
                ..base()
            }),
        ),
        (
            "batchNorm",
            err_of(TrainerConfig {
                batch_norm: true,
                batch_size: 1,
                ..base()
            }),
        ),
        (
            "l2",
            err_of(TrainerConfig {
                l2: -1e-3,
                ..base()
            }),
        ),
        (
            "batchSize",
            err_of(TrainerConfig {
                batch_size: 0,
                ..base()
            }),
        ),
        (
            "batchSize",
            whole_number("batchSize", 2.5, 1, 100)
                .unwrap_err()
                .message()
                .into(),
        ),
        (
            "lr",
            err_of(TrainerConfig {
                optimizer: Settings {
                    lr: 0.0,
                    rule: Rule::Sgd,
                },
                ..base()
            }),
        ),
        ("seed", seed_from_number(-1.0).unwrap_err().message().into()),
        ("seed", seed_from_number(0.5).unwrap_err().message().into()),
    ];
    for (key, message) in cases {
        assert!(message.starts_with(key), "expected {key}: {message}");
    }
    assert_eq!(parse_dataset_kind("custom").unwrap(), None);
    assert_eq!(parse_dataset_kind("xor").unwrap(), Some(DatasetKind::Xor));
    assert_eq!(seed_from_number(12.0).unwrap(), 12);
    assert_eq!(whole_number("batchSize", 64.0, 1, 100).unwrap(), 64);
}
