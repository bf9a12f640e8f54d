//! The convolutional engine: conv, max-pool and spatial batch norm against
//! numpy references and hand-computed cases, their gradients against finite
//! differences, whole networks against an independent f64 implementation,
//! and a small network learning a task only a convolution solves easily.

mod common;
use common::bars;

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
    type Case<'a> = (
        &'a str,
        [usize; 8],
        &'a [f64],
        &'a [f64],
        &'a [f64],
        &'a [f64],
    );
    let cases: [Case; 3] = [
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
        layer.backward(&params, &mut grads, &x, &dout, Some(&mut grad_x), n);
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
        layer.backward(&params, &mut grads, &x, &r, Some(&mut dx), batch);

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

// ---------------------------------------------------------------------------
// Whole networks against an independent f64 implementation.

/// The documented network written directly in f64 from the layer list and
/// the flat layout (conv `W[F][C][K][K]`, dense `W[in][out]`, then biases,
/// γ, β), with fixed dropout masks: returns (data loss, L2 term).
fn reference_loss(
    model: &Model,
    params: &[f64],
    masks: &[Vec<f32>],
    inputs: &[f32],
    labels: &[u32],
    l2: f64,
) -> (f64, f64) {
    let rows = labels.len();
    let mut h: Vec<f64> = inputs.iter().map(|&v| v as f64).collect();
    let (mut offset, mut regularization, mut mask_index) = (0, 0.0, 0);
    let mut take = |n: usize| {
        let block = &params[offset..offset + n];
        offset += n;
        block
    };
    for (l, layer) in model.layer_specs().iter().enumerate() {
        let (si, so) = (model.shapes()[l], model.shapes()[l + 1]);
        let mut out = vec![0.0f64; rows * so.len()];
        match *layer {
            LayerSpec::Conv {
                filters,
                size,
                stride,
                pad,
            } => {
                let w = take(filters * si.channels * size * size);
                regularization += 0.5 * l2 * w.iter().map(|v| v * v).sum::<f64>();
                let b = take(filters);
                for n in 0..rows {
                    for f in 0..filters {
                        for r in 0..so.height {
                            for s in 0..so.width {
                                let mut sum = b[f];
                                for c in 0..si.channels {
                                    for ki in 0..size {
                                        for kj in 0..size {
                                            let y = (r * stride + ki) as isize - pad as isize;
                                            let x = (s * stride + kj) as isize - pad as isize;
                                            if y < 0 || x < 0 {
                                                continue;
                                            }
                                            let (y, x) = (y as usize, x as usize);
                                            if y >= si.height || x >= si.width {
                                                continue;
                                            }
                                            sum += w
                                                [((f * si.channels + c) * size + ki) * size + kj]
                                                * h[((n * si.channels + c) * si.height + y)
                                                    * si.width
                                                    + x];
                                        }
                                    }
                                }
                                out[((n * filters + f) * so.height + r) * so.width + s] = sum;
                            }
                        }
                    }
                }
            }
            LayerSpec::MaxPool { size, stride } => {
                for n in 0..rows {
                    for c in 0..si.channels {
                        for r in 0..so.height {
                            for s in 0..so.width {
                                let mut best = f64::NEG_INFINITY;
                                for ki in 0..size {
                                    for kj in 0..size {
                                        let (y, x) = (r * stride + ki, s * stride + kj);
                                        best = best.max(
                                            h[((n * si.channels + c) * si.height + y) * si.width
                                                + x],
                                        );
                                    }
                                }
                                out[((n * si.channels + c) * so.height + r) * so.width + s] = best;
                            }
                        }
                    }
                }
            }
            LayerSpec::Dense { units } => {
                let k = si.len();
                let w = take(k * units);
                regularization += 0.5 * l2 * w.iter().map(|v| v * v).sum::<f64>();
                let b = take(units);
                for n in 0..rows {
                    for j in 0..units {
                        out[n * units + j] =
                            b[j] + (0..k).map(|p| h[n * k + p] * w[p * units + j]).sum::<f64>();
                    }
                }
            }
            LayerSpec::BatchNorm => {
                let (channels, plane) = (si.channels, si.plane());
                let gamma = take(channels).to_vec();
                let beta = take(channels).to_vec();
                for c in 0..channels {
                    let index = |n: usize, p: usize| (n * channels + c) * plane + p;
                    let values: Vec<f64> = (0..rows)
                        .flat_map(|n| (0..plane).map(move |p| (n, p)))
                        .map(|(n, p)| h[index(n, p)])
                        .collect();
                    let mean = values.iter().sum::<f64>() / values.len() as f64;
                    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
                        / values.len() as f64;
                    for n in 0..rows {
                        for p in 0..plane {
                            let i = index(n, p);
                            out[i] = gamma[c] * (h[i] - mean) / (var + 1e-5).sqrt() + beta[c];
                        }
                    }
                }
            }
            LayerSpec::Activation(activation) => {
                for (o, &v) in out.iter_mut().zip(&h) {
                    *o = match activation {
                        Activation::Relu => v.max(0.0),
                        Activation::Tanh => v.tanh(),
                        Activation::Sigmoid => 1.0 / (1.0 + (-v).exp()),
                    };
                }
            }
            LayerSpec::Dropout { drop_prob } => {
                let scale = 1.0 / (1.0 - drop_prob as f64);
                for ((o, &v), &m) in out.iter_mut().zip(&h).zip(&masks[mask_index]) {
                    *o = v * m as f64 * scale;
                }
                mask_index += 1;
            }
        }
        h = out;
    }
    assert_eq!(offset, params.len(), "the layout covers every parameter");
    let classes = h.len() / rows;
    let mut data = 0.0;
    for (i, &label) in labels.iter().enumerate() {
        let row = &h[i * classes..(i + 1) * classes];
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_sum = row.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
        data += log_sum - row[label as usize];
    }
    (data / rows as f64, regularization)
}

fn small_cnn_layers() -> Vec<LayerSpec> {
    vec![
        LayerSpec::Conv {
            filters: 3,
            size: 3,
            stride: 1,
            pad: 1,
        },
        LayerSpec::BatchNorm,
        LayerSpec::Activation(Activation::Tanh),
        LayerSpec::MaxPool { size: 2, stride: 2 },
        LayerSpec::Conv {
            filters: 5,
            size: 2,
            stride: 1,
            pad: 0,
        },
        LayerSpec::Activation(Activation::Relu),
        LayerSpec::Dropout { drop_prob: 0.3 },
        LayerSpec::Dense { units: 3 },
    ]
}

#[test]
fn a_cnn_with_batch_norm_and_dropout_matches_an_f64_reference_and_its_gradients() {
    let spec = ModelSpec::from_layers(Shape::new(2, 7, 7), small_cnn_layers(), 3);
    let mut model = Model::new(&spec, 5).unwrap();
    let shapes: Vec<String> = model.shapes().iter().map(|s| s.to_string()).collect();
    assert_eq!(
        shapes,
        [
            "2×7×7", "3×7×7", "3×7×7", "3×7×7", "3×3×3", "5×2×2", "5×2×2", "5×2×2", "3"
        ]
    );
    let rows = 4;
    let l2 = 0.05;
    let mut rng = Rng::new(9);
    let inputs = random_vec(&mut rng, rows * 98, 1.0);
    let labels = [0, 2, 1, 2];
    let mut weights = model.weights();
    for v in weights.iter_mut() {
        *v += (rng.normal() * 0.1) as f32;
    }
    model.set_weights(&weights).unwrap();
    let mask: Vec<f32> = (0..rows * 20).map(|i| (i % 4 != 1) as u8 as f32).collect();
    for layer in model.layers_mut() {
        if let trainlab::nn::Layer::Dropout(d) = layer {
            d.fix_mask(&mask).unwrap();
        }
    }
    let loss = model
        .compute_gradients(&inputs, &labels, l2 as f32)
        .unwrap();
    let params: Vec<f64> = model.params().iter().map(|&v| v as f64).collect();
    let masks = [mask];
    let (data, regularization) = reference_loss(&model, &params, &masks, &inputs, &labels, l2);
    assert!(
        (loss.data - data).abs() < 1e-5 * (1.0 + data),
        "{} vs {data}",
        loss.data
    );
    assert!((loss.regularization - regularization).abs() < 1e-6 * (1.0 + regularization));

    let h = 1e-6;
    let mut probe = params.clone();
    let numeric: Vec<f64> = (0..params.len())
        .map(|i| {
            probe[i] = params[i] + h;
            let (d1, r1) = reference_loss(&model, &probe, &masks, &inputs, &labels, l2);
            probe[i] = params[i] - h;
            let (d2, r2) = reference_loss(&model, &probe, &masks, &inputs, &labels, l2);
            probe[i] = params[i];
            ((d1 + r1) - (d2 + r2)) / (2.0 * h)
        })
        .collect();
    for (i, (&a, &n)) in model.grads().iter().zip(&numeric).enumerate() {
        assert!(
            (a as f64 - n).abs() <= 1e-4 + 1e-3 * n.abs(),
            "gradient {i}: engine {a}, reference {n}"
        );
    }
    // The blocks are W1, b1 (conv), γ1, β1, W2, b2 (conv), W3, b3 (dense).
    let names: Vec<&str> = model.blocks().iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        ["W1", "b1", "gamma1", "beta1", "W2", "b2", "W3", "b3"]
    );
    assert_eq!(model.blocks()[0].dims, vec![3, 2, 3, 3]);
    assert_eq!(model.blocks()[6].dims, vec![20, 3]);
    assert_eq!(model.param_layers(), vec![0, 1, 4, 7]);
    assert_eq!(model.param_prefix_len(2), 3 * 18 + 3 + 6);
}

// ---------------------------------------------------------------------------
// Training runs.

fn bars_config(layers: Option<Vec<LayerSpec>>) -> TrainerConfig {
    TrainerConfig {
        dataset: DataSource::Custom(bars(400, 3)),
        classes: 2,
        validation_split: 0.25,
        layers,
        hidden: vec![16],
        batch_size: 32,
        l2: 1e-4,
        optimizer: Settings {
            lr: 0.05,
            rule: Rule::Momentum { rho: 0.9 },
        },
        ..TrainerConfig::default()
    }
}

fn bar_layers() -> Vec<LayerSpec> {
    vec![
        LayerSpec::Conv {
            filters: 6,
            size: 3,
            stride: 1,
            pad: 1,
        },
        LayerSpec::Activation(Activation::Relu),
        LayerSpec::MaxPool { size: 2, stride: 2 },
        LayerSpec::Dense { units: 2 },
    ]
}

#[test]
fn a_small_cnn_learns_bar_orientation_anywhere_in_the_image() {
    let mut trainer = Trainer::new(bars_config(Some(bar_layers()))).unwrap();
    assert_eq!(trainer.train_set().len(), 300);
    let before = trainer.evaluate().unwrap();
    let metrics = trainer.train(150).unwrap();
    assert!(
        metrics.val_accuracy.unwrap() >= 0.97,
        "{before:?} → {metrics:?}"
    );
    // The same run replays exactly from its seed.
    let mut again = Trainer::new(bars_config(Some(bar_layers()))).unwrap();
    again.run(150).unwrap();
    assert_eq!(again.model().weights(), trainer.model().weights());
    // `hidden` still builds an MLP on the flattened images.
    let mut mlp = Trainer::new(bars_config(None)).unwrap();
    assert_eq!(mlp.model().blocks()[0].shape, (64, 16));
    assert!(mlp.train(150).unwrap().train_accuracy > 0.8);
}

#[test]
fn a_stack_may_end_anywhere_but_only_a_class_sized_dense_layer_trains() {
    let layers = vec![
        LayerSpec::Conv {
            filters: 2,
            size: 3,
            stride: 1,
            pad: 0,
        },
        LayerSpec::MaxPool { size: 2, stride: 2 },
    ];
    let mut trainer = Trainer::new(bars_config(Some(layers))).unwrap();
    let image = trainer.train_set().row(0).to_vec();
    let mut out = Vec::new();
    trainer.model_mut().outputs(&image, &mut out).unwrap();
    assert_eq!(out.len(), 2 * 3 * 3);
    // The same numbers as the conv layer and the pool by hand.
    let params = trainer.model().params().to_vec();
    let g = geometry(Shape::new(1, 8, 8), 2, 3, 1, 0);
    let mut conv_out = vec![0.0; 72];
    Conv::new(g, 0).forward(&params, &image, &mut conv_out, 1);
    for c in 0..2 {
        for r in 0..3 {
            for s in 0..3 {
                let window = |i: usize, j: usize| conv_out[c * 36 + (2 * r + i) * 6 + 2 * s + j];
                let want = window(0, 0)
                    .max(window(0, 1))
                    .max(window(1, 0))
                    .max(window(1, 1));
                assert_eq!(out[c * 9 + r * 3 + s], want);
            }
        }
    }
    let message = trainer.run(1).unwrap_err().message().to_string();
    assert!(message.contains("layers[1] is maxpool"), "{message}");
    let wrong_units = vec![LayerSpec::Dense { units: 3 }];
    let mut trainer = Trainer::new(bars_config(Some(wrong_units))).unwrap();
    let message = trainer.run(1).unwrap_err().message().to_string();
    assert!(message.starts_with("layers[0].units"), "{message}");
}

#[test]
fn image_trainers_refuse_the_plane_only_methods_and_oversized_batches() {
    let mut trainer = Trainer::new(bars_config(Some(bar_layers()))).unwrap();
    let mut grid = vec![0.0; 2 * 4];
    let message = trainer
        .predict_grid(0.0, 1.0, 0.0, 1.0, 2, 2, &mut grid)
        .unwrap_err();
    assert!(message.message().contains("1×8×8 images"), "{message}");
    assert!(trainer.add_point(0.0, 0.0, 1).is_err());
    assert!(trainer.remove_point_near(0.0, 0.0, 1.0).is_err());
    let huge = vec![
        LayerSpec::Conv {
            filters: 256,
            size: 1,
            stride: 1,
            pad: 0,
        };
        2
    ];
    let config = TrainerConfig {
        dataset: DataSource::Custom(bars(4000, 1)),
        batch_size: 4000,
        layers: Some([huge, vec![LayerSpec::Dense { units: 2 }]].concat()),
        ..bars_config(None)
    };
    let message = Trainer::new(config).err().unwrap().message().to_string();
    assert!(
        message.starts_with("batchSize 3000 is too large"),
        "{message}"
    );
}

#[test]
fn a_spread_evaluation_scores_evenly_spaced_training_examples_of_a_sorted_set() {
    // The training set sorted by class, as the digits' is: the first 90 of
    // 300 examples are all class 0.
    let mixed = bars(300, 5);
    let mut order: Vec<usize> = (0..mixed.len()).collect();
    order.sort_by_key(|&i| mixed.labels()[i]);
    let values: Vec<f32> = order.iter().flat_map(|&i| mixed.row(i).to_vec()).collect();
    let labels: Vec<u32> = order.iter().map(|&i| mixed.labels()[i]).collect();
    let sorted = Dataset::images(values, labels, 2, Shape::new(1, 8, 8)).unwrap();
    let config = |data: Dataset| TrainerConfig {
        dataset: DataSource::Custom(data),
        validation_split: 0.0,
        ..bars_config(Some(bar_layers()))
    };
    let mut trainer = Trainer::new(config(sorted.clone())).unwrap();
    trainer.run(20).unwrap();
    let train_len = trainer.train_set().len();
    assert_eq!(train_len, 300);

    let limit = 90;
    trainer.start_evaluation_of(Some(limit), true).unwrap();
    while !trainer.continue_evaluation(7).unwrap().done() {}
    let spread = trainer.evaluation().unwrap().train_score().unwrap();

    // The same network scored on exactly the examples ⌊j·300/90⌋, given as
    // a training set of their own and evaluated the ordinary way.
    let picks: Vec<usize> = (0..limit).map(|j| j * train_len / limit).collect();
    assert_eq!(&picks[..4], &[0, 3, 6, 10]);
    let set = trainer.train_set();
    let values: Vec<f32> = picks.iter().flat_map(|&i| set.row(i).to_vec()).collect();
    let labels: Vec<u32> = picks.iter().map(|&i| set.labels()[i]).collect();
    assert!(
        labels.contains(&0) && labels.contains(&1),
        "both classes are scored"
    );
    let subset = Dataset::images(values, labels, 2, Shape::new(1, 8, 8)).unwrap();
    let mut alone = Trainer::new(config(subset)).unwrap();
    alone.model_mut().copy_state_from(trainer.model()).unwrap();
    let (want, _) = alone.scores().unwrap();
    assert!(
        (spread.loss - want.loss).abs() < 1e-9,
        "{spread:?} vs {want:?}"
    );
    assert_eq!(spread.accuracy, want.accuracy);

    // Without spreading, the first 90 are class 0 only: a different score.
    trainer.start_evaluation(Some(limit)).unwrap();
    while !trainer.continue_evaluation(50).unwrap().done() {}
    let first = trainer.evaluation().unwrap().train_score().unwrap();
    assert_ne!(first.loss, spread.loss);
    // A limit of the whole set (or more) is the whole set either way.
    trainer.start_evaluation_of(Some(1000), true).unwrap();
    while !trainer.continue_evaluation(64).unwrap().done() {}
    let whole = trainer.evaluation().unwrap().train_score().unwrap();
    let (all, _) = trainer.scores().unwrap();
    assert!((whole.loss - all.loss).abs() < 1e-9);
}
