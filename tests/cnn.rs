//! The convolutional engine: conv, max-pool and spatial batch norm against
//! numpy references and hand-computed cases, their gradients against finite
//! differences, whole networks against an independent f64 implementation,
//! and a small network learning a task only a convolution solves easily.

use trainlab::nn::im2col::ConvGeometry;
use trainlab::nn::{
    Activation, BatchNorm, Conv, DataSource, Dataset, LayerSpec, MaxPool, Mode, Model, ModelSpec,
    Shape, Trainer, TrainerConfig,
};
use trainlab::optim::{Rule, Settings};
use trainlab::rng::Rng;

include!("reference/conv_values.rs");

// ---------------------------------------------------------------------------
// Helpers.

fn random_vec(rng: &mut Rng, n: usize, scale: f64) -> Vec<f32> {
    (0..n).map(|_| (rng.normal() * scale) as f32).collect()
}

/// The numpy script's inputs: `((i·a + b) mod m − ⌊m/2⌋) / 8`.
fn pattern(n: usize, a: usize, b: usize, modulus: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * a + b) % modulus) as f32 - (modulus / 2) as f32)
        .map(|v| v / 8.0)
        .collect()
}

fn assert_close(what: &str, got: &[f32], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g as f64 - w).abs() <= tolerance * (1.0 + w.abs()),
            "{what}[{i}]: got {g}, want {w}"
        );
    }
}

/// `Σ r·y` in f64: a scalar whose gradient with respect to `y` is `r`.
fn weighted_sum(r: &[f32], y: &[f32]) -> f64 {
    r.iter().zip(y).map(|(&a, &b)| a as f64 * b as f64).sum()
}

/// Central differences of `f` at `x` with step `h` (f32 inputs).
fn finite_differences(x: &mut [f32], h: f32, mut f: impl FnMut(&[f32]) -> f64) -> Vec<f64> {
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

fn geometry(input: Shape, filters: usize, size: usize, stride: usize, pad: usize) -> ConvGeometry {
    let out = |side: usize| (side + 2 * pad - size) / stride + 1;
    ConvGeometry {
        input,
        output: Shape::new(filters, out(input.height), out(input.width)),
        size,
        stride,
        pad,
    }
}

// ---------------------------------------------------------------------------
// Layers against numpy and by hand.

#[test]
fn conv_forward_and_backward_match_the_numpy_reference() {
    let cases: [(&str, [usize; 8], &[f64], &[f64], &[f64], &[f64]); 3] = [
        (
            "strided",
            CONV_STRIDED_SHAPE,
            &CONV_STRIDED_OUT,
            &CONV_STRIDED_DX,
            &CONV_STRIDED_DW,
            &CONV_STRIDED_DB,
        ),
        (
            "wide",
            CONV_WIDE_SHAPE,
            &CONV_WIDE_OUT,
            &CONV_WIDE_DX,
            &CONV_WIDE_DW,
            &CONV_WIDE_DB,
        ),
        (
            "padded",
            CONV_PADDED_SHAPE,
            &CONV_PADDED_OUT,
            &CONV_PADDED_DX,
            &CONV_PADDED_DW,
            &CONV_PADDED_DB,
        ),
    ];
    for (name, [n, c, h, w, f, k, stride, pad], out, dx, dw, db) in cases {
        let g = geometry(Shape::new(c, h, w), f, k, stride, pad);
        let x = pattern(n * c * h * w, 7, 3, 17);
        let mut params = pattern(f * c * k * k, 5, 1, 13);
        params.extend(pattern(f, 3, 2, 7));
        let mut layer = Conv::new(g, 0);
        let mut y = vec![f32::NAN; n * g.output.len()];
        layer.forward(&params, &x, &mut y, n);
        assert_close(&format!("{name} out"), &y, out, 1e-5);

        let dout = pattern(y.len(), 11, 4, 19);
        let mut grads = vec![f32::NAN; params.len()];
        let mut grad_x = vec![f32::NAN; x.len()];
        layer.backward(&params, &mut grads, &dout, Some(&mut grad_x), n);
        assert_close(&format!("{name} dx"), &grad_x, dx, 1e-5);
        assert_close(&format!("{name} dW"), &grads[..f * c * k * k], dw, 1e-5);
        assert_close(&format!("{name} db"), &grads[f * c * k * k..], db, 1e-5);
    }
}

#[test]
fn conv_of_a_small_image_by_hand() {
    // x = [[1 2 3] [4 5 6] [7 8 9]], one 2×2 kernel [[1 0] [0 −1]], b = 0.5:
    // each output is x[r][s] − x[r+1][s+1] + 0.5 = −4 + 0.5.
    let g = geometry(Shape::new(1, 3, 3), 1, 2, 1, 0);
    let x: Vec<f32> = (1..=9).map(|v| v as f32).collect();
    let params = [1.0, 0.0, 0.0, -1.0, 0.5];
    let mut y = [0.0; 4];
    Conv::new(g, 0).forward(&params, &x, &mut y, 1);
    assert_eq!(y, [-3.5; 4]);
    // With pad 1 the corner output sees only x[0][0] under the kernel's −1.
    let g = geometry(Shape::new(1, 3, 3), 1, 2, 1, 1);
    let mut y = [0.0; 16];
    Conv::new(g, 0).forward(&params, &x, &mut y, 1);
    assert_eq!(y[0], -1.0 + 0.5);
    assert_eq!(y[15], 9.0 + 0.5);
    assert_eq!(y[5], 1.0 - 5.0 + 0.5);
}

#[test]
fn max_pool_matches_the_numpy_reference() {
    let [n, c, h, w, size, stride] = POOL_SHAPE;
    let input = Shape::new(c, h, w);
    let output = Shape::new(c, (h - size) / stride + 1, (w - size) / stride + 1);
    let x = pattern(n * input.len(), 7, 3, 17);
    let mut pool = MaxPool::new(input, output, size, stride);
    let mut y = vec![f32::NAN; n * output.len()];
    pool.forward(&x, &mut y, n, Mode::Train);
    assert_close("pool out", &y, &POOL_OUT, 0.0);
    let dout = pattern(y.len(), 11, 4, 19);
    let mut dx = vec![f32::NAN; x.len()];
    pool.backward(&dout, &mut dx);
    assert_close("pool dx", &dx, &POOL_DX, 0.0);
}

#[test]
fn spatial_batch_norm_matches_the_numpy_reference() {
    let [n, c, h, w] = BN_SHAPE;
    let x: Vec<f32> = pattern(n * c * h * w, 7, 3, 17)
        .into_iter()
        .map(|v| v * 2.0 + 0.5)
        .collect();
    let params = [1.5, -0.5, 0.25, -1.0];
    let mut layer = BatchNorm::spatial(c, h * w, 0);
    let mut y = vec![f32::NAN; x.len()];
    layer.forward(&params, &x, &mut y, n, Mode::Train);
    assert_close("bn out", &y, &BN_OUT, 1e-5);
    assert_close("bn mean", layer.batch_mean(), &BN_MEAN, 1e-6);
    // PyTorch's running averages (momentum 0.1) track the unbiased variance
    // over all N·H·W values of a channel.
    let running: Vec<f64> = BN_UNBIASED_VAR.iter().map(|v| 0.9 + 0.1 * v).collect();
    assert_close("bn running var", layer.running_var(), &running, 1e-6);
    let dout = pattern(x.len(), 11, 4, 19);
    let mut grads = vec![f32::NAN; 4];
    let mut dx = vec![f32::NAN; x.len()];
    layer.backward(&params, &mut grads, &dout, &mut dx, n);
    assert_close("bn dx", &dx, &BN_DX, 1e-5);
    assert_close("bn dgamma", &grads[..2], &BN_DGAMMA, 1e-5);
    assert_close("bn dbeta", &grads[2..], &BN_DBETA, 1e-5);
}

// ---------------------------------------------------------------------------
// Gradients against finite differences.

#[test]
fn conv_gradients_match_finite_differences_on_awkward_geometries() {
    // Filters and positions that are not multiples of the 4 × 8 tiles,
    // strides that skip pixels, padding wider than one.
    for &(c, h, w, f, k, stride, pad) in &[
        (1, 5, 5, 1, 3, 1, 0),
        (3, 6, 7, 5, 3, 2, 1),
        (2, 7, 4, 9, 4, 3, 2),
        (4, 4, 4, 3, 1, 1, 0),
    ] {
        let batch = 3;
        let g = geometry(Shape::new(c, h, w), f, k, stride, pad);
        let mut rng = Rng::new((c * 100 + f * 10 + k) as u64);
        let mut params = random_vec(&mut rng, f * c * k * k + f, 0.5);
        let x = random_vec(&mut rng, batch * g.input.len(), 1.0);
        let r = random_vec(&mut rng, batch * g.output.len(), 1.0);
        let mut layer = Conv::new(g, 0);
        let mut y = vec![0.0; r.len()];
        layer.forward(&params, &x, &mut y, batch);
        let mut grads = vec![f32::NAN; params.len()];
        let mut dx = vec![f32::NAN; x.len()];
        layer.backward(&params, &mut grads, &r, Some(&mut dx), batch);

        // The layer is linear in x and in (W, b): central differences are
        // exact up to f32 rounding.
        let mut out = vec![0.0; r.len()];
        let numeric_x = finite_differences(&mut x.clone(), 1e-2, |x| {
            layer.clone().forward(&params, x, &mut out, batch);
            weighted_sum(&r, &out)
        });
        let numeric_p = finite_differences(&mut params, 1e-2, |p| {
            layer.clone().forward(p, &x, &mut out, batch);
            weighted_sum(&r, &out)
        });
        let label = format!("conv C{c} {h}×{w} F{f} K{k} S{stride} P{pad}");
        assert_close(&format!("{label} dx"), &dx, &numeric_x, 2e-3);
        assert_close(&format!("{label} dW, db"), &grads, &numeric_p, 2e-3);
    }
}

#[test]
fn max_pool_gradient_matches_finite_differences() {
    let (input, size, stride) = (Shape::new(2, 7, 6), 3, 2);
    let output = Shape::new(2, 3, 2);
    let batch = 2;
    // Distinct values at least 0.05 apart, so a step of 0.01 never changes a winner.
    let mut rng = Rng::new(4);
    let mut order: Vec<usize> = (0..batch * input.len()).collect();
    rng.shuffle(&mut order);
    let x: Vec<f32> = order.iter().map(|&i| i as f32 * 0.05 - 2.0).collect();
    let r = random_vec(&mut rng, batch * output.len(), 1.0);
    let mut pool = MaxPool::new(input, output, size, stride);
    let mut y = vec![0.0; r.len()];
    pool.forward(&x, &mut y, batch, Mode::Train);
    let mut dx = vec![f32::NAN; x.len()];
    pool.backward(&r, &mut dx);
    let numeric = finite_differences(&mut x.clone(), 1e-2, |x| {
        pool.clone().forward(x, &mut y, batch, Mode::Eval);
        weighted_sum(&r, &y)
    });
    assert_close("max-pool dx", &dx, &numeric, 1e-3);
}

#[test]
fn spatial_batch_norm_gradients_match_finite_differences() {
    let (batch, channels, positions) = (3, 3, 5);
    let mut rng = Rng::new(12);
    let x = random_vec(&mut rng, batch * channels * positions, 1.0);
    let mut params = vec![0.7, 1.3, -0.4, 0.1, -0.2, 0.3];
    let r = random_vec(&mut rng, x.len(), 1.0);
    let mut layer = BatchNorm::spatial(channels, positions, 0);
    let mut y = vec![0.0; x.len()];
    layer.forward(&params, &x, &mut y, batch, Mode::Train);
    let mut grads = vec![f32::NAN; 6];
    let mut dx = vec![f32::NAN; x.len()];
    layer.backward(&params, &mut grads, &r, &mut dx, batch);
    let mut only_params = vec![f32::NAN; 6];
    layer.parameter_gradients(&mut only_params, &r, batch);
    assert_eq!(grads, only_params);
    let mut out = vec![0.0; x.len()];
    let numeric_x = finite_differences(&mut x.clone(), 1e-2, |x| {
        layer
            .clone()
            .forward(&params, x, &mut out, batch, Mode::Train);
        weighted_sum(&r, &out)
    });
    assert_close("spatial bn dx", &dx, &numeric_x, 5e-3);
    let numeric_p = finite_differences(&mut params, 1e-2, |p| {
        layer.clone().forward(p, &x, &mut out, batch, Mode::Train);
        weighted_sum(&r, &out)
    });
    assert_close("spatial bn dγ, dβ", &grads, &numeric_p, 1e-3);
}
