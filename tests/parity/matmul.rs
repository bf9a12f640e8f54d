//! The dense layer's three matrix products and the convolutions' packed
//! GEMM against scalar loops that add in the order each kernel documents,
//! compared bit for bit. Baseline wasm SIMD has no fused multiply-add and
//! the kernels never reassociate across lanes except where stated, so the
//! SIMD build must give exactly these bits. Shapes cover every remainder of
//! the 4-, 8- and 16-wide tiles and of the GEMM's 4 × 8 tile and 256-step blocks.

use trainlab::nn::gemm::{Gemm, Operand, KC};
use trainlab::nn::matmul::{matmul, matmul_transposed_a, matmul_transposed_b};

/// Values of mixed sign and magnitude, so a changed summation order shows.
fn values(count: usize, seed: u32) -> Vec<f32> {
    super::lcg_bytes(count * 2, seed)
        .chunks_exact(2)
        .map(|pair| {
            let mantissa = pair[0] as f32 / 256.0 - 0.5;
            let scale = [1e-3f32, 0.1, 1.0, 37.0][(pair[1] % 4) as usize];
            mantissa * scale * if pair[1] & 4 == 0 { 1.0 } else { 1.7 }
        })
        .collect()
}

/// `C = A·B (+ bias)`: each entry starts at its bias (or 0) and adds
/// `a[i][p]·b[p][j]` for p = 0, 1, … in turn.
fn reference_ab(
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    m: usize,
    k: usize,
    n: usize,
) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut sum = bias.map_or(0.0, |bias| bias[j]);
            for p in 0..k {
                sum += a[i * k + p] * b[p * n + j];
            }
            c[i * n + j] = sum;
        }
    }
    c
}

/// `C = A·Bᵀ (+ bias)`: four partial sums, lane l taking p ≡ l (mod 4) over
/// the whole groups of four, joined as (s0 + s1) + (s2 + s3); then the
/// leftover p in turn; then the bias.
fn reference_abt(
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    m: usize,
    k: usize,
    n: usize,
) -> Vec<f32> {
    let whole = k / 4 * 4;
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut lanes = [0.0f32; 4];
            for p in (0..whole).step_by(4) {
                for (l, lane) in lanes.iter_mut().enumerate() {
                    *lane += a[i * k + p + l] * b[j * k + p + l];
                }
            }
            let mut sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            for p in whole..k {
                sum += a[i * k + p] * b[j * k + p];
            }
            if let Some(bias) = bias {
                sum += bias[j];
            }
            c[i * n + j] = sum;
        }
    }
    c
}

/// `C = Aᵀ·B` for `a[m×k]`, `b[m×n]`: each entry adds `a[i][p]·b[i][j]`
/// for i = 0, 1, … in turn, from 0.
fn reference_atb(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; k * n];
    for p in 0..k {
        for j in 0..n {
            let mut sum = 0.0f32;
            for i in 0..m {
                sum += a[i * k + p] * b[i * n + j];
            }
            c[p * n + j] = sum;
        }
    }
    c
}

fn assert_bits(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (index, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(
            g.to_bits(),
            w.to_bits(),
            "{what}: entry {index} is {g:e}, expected {w:e}"
        );
    }
}

/// Shapes (m, k, n) with every remainder of the tiles.
pub fn shapes() -> Vec<(usize, usize, usize)> {
    let mut shapes = Vec::new();
    for (m, k) in [(1, 1), (3, 2), (2, 5), (4, 9), (5, 17), (9, 7)] {
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 19, 33] {
            shapes.push((m, k, n));
        }
    }
    shapes
}

/// Every product, with and without bias, equals its ordered reference bit
/// for bit.
pub fn products_equal_their_ordered_references() {
    for (s, &(m, k, n)) in shapes().iter().enumerate() {
        let seed = 31 * s as u32;
        let a = values(m * k, seed + 1);
        let b = values(k * n, seed + 2);
        let bt = values(n * k, seed + 3);
        let bm = values(m * n, seed + 4);
        let bias = values(n, seed + 5);
        let what = format!("{m}×{k}×{n}");
        for bias in [None, Some(&bias[..])] {
            let mut c = vec![f32::NAN; m * n];
            matmul(&a, &b, bias, &mut c, m, k, n);
            assert_bits(
                &c,
                &reference_ab(&a, &b, bias, m, k, n),
                &format!("A·B {what}"),
            );
            let mut c = vec![f32::NAN; m * n];
            matmul_transposed_b(&a, &bt, bias, &mut c, m, k, n);
            assert_bits(
                &c,
                &reference_abt(&a, &bt, bias, m, k, n),
                &format!("A·Bᵀ {what}"),
            );
        }
        let mut c = vec![f32::NAN; k * n];
        matmul_transposed_a(&a, &bm, &mut c, m, k, n);
        assert_bits(
            &c,
            &reference_atb(&a, &bm, m, k, n),
            &format!("Aᵀ·B {what}"),
        );
    }
}

/// The comparison can tell summation orders apart: on these values the
/// lane-split order of `A·Bᵀ` and a plain left-to-right sum differ in some
/// entries, so a kernel that mixed up its lanes would be caught.
pub fn summation_order_is_visible_in_the_bits() {
    let (m, k, n) = (5, 17, 19);
    let a = values(m * k, 1);
    let bt = values(n * k, 2);
    let lanes = reference_abt(&a, &bt, None, m, k, n);
    let mut plain = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            plain[i * n + j] = (0..k).fold(0.0f32, |s, p| s + a[i * k + p] * bt[j * k + p]);
        }
    }
    let differing = lanes
        .iter()
        .zip(&plain)
        .filter(|(x, y)| x.to_bits() != y.to_bits())
        .count();
    assert!(
        differing > 0,
        "the two orders agree everywhere on this data"
    );
}

/// The GEMM's order: each block of `KC` shared steps summed from 0 in
/// increasing order, the block sums then added to C in turn (onto C's old
/// value when accumulating).
fn reference_gemm(
    a: &[f32],
    b: &[f32],
    c0: &[f32],
    m: usize,
    n: usize,
    k: usize,
    accumulate: bool,
) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut total = c0[i * n + j];
            for (block, start) in (0..k).step_by(KC).enumerate() {
                let mut sum = 0.0f32;
                for p in start..(start + KC).min(k) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                total = if block == 0 && !accumulate {
                    sum
                } else {
                    total + sum
                };
            }
            c[i * n + j] = total;
        }
    }
    c
}

fn transposed(a: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; a.len()];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = a[r * cols + c];
        }
    }
    out
}

/// The packed GEMM, with plain and transposed operands, fresh and
/// accumulating, equals its ordered reference bit for bit.
pub fn gemm_equals_its_ordered_reference() {
    let mut gemm = Gemm::new();
    let shapes = [
        (1, 1, 1),
        (3, 5, 2),
        (4, 8, 7),
        (5, 9, 17),
        (7, 13, 33),
        (9, 17, 300),
        (4, 24, 513),
    ];
    for (s, &(m, n, k)) in shapes.iter().enumerate() {
        let seed = 97 * s as u32;
        let a = values(m * k, seed + 1);
        let b = values(k * n, seed + 2);
        let c0 = values(m * n, seed + 3);
        let (at, bt) = (transposed(&a, m, k), transposed(&b, k, n));
        for accumulate in [false, true] {
            let want = reference_gemm(&a, &b, &c0, m, n, k, accumulate);
            let operands = [
                (Operand::Plain(&a), Operand::Plain(&b), "A·B"),
                (Operand::Transposed(&at), Operand::Plain(&b), "(Aᵀ)ᵀ·B"),
                (Operand::Plain(&a), Operand::Transposed(&bt), "A·(Bᵀ)ᵀ"),
                (
                    Operand::Transposed(&at),
                    Operand::Transposed(&bt),
                    "(Aᵀ)ᵀ·(Bᵀ)ᵀ",
                ),
            ];
            for (left, right, what) in operands {
                let mut c = c0.clone();
                gemm.multiply(m, n, k, left, right, &mut c, accumulate);
                assert_bits(
                    &c,
                    &want,
                    &format!("gemm {what} {m}×{k}×{n} accumulate {accumulate}"),
                );
            }
        }
    }
}
