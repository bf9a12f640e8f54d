//! Row-major f32 matrix products, the only hot loops of the engine.
//!
//! Three shapes are needed, and each is written so that the innermost loop
//! runs along contiguous memory of a long dimension:
//!
//! * [`matmul`]: `C = A·B (+ bias)`, vectorised along the columns of B. Each
//!   tile of 16 output columns lives in registers while the loop runs over
//!   the shared dimension, so B is streamed once per row of A.
//! * [`matmul_transposed_b`]: `C = A·Bᵀ (+ bias)`, dot products of rows,
//!   vectorised along the shared dimension. This is the good choice when the
//!   output is narrow (three classes) but the shared dimension is long.
//! * [`matmul_transposed_a`]: `C = Aᵀ·B`, the weight gradient `Xᵀ·dY`,
//!   vectorised along the columns of B with a tile of up to 4 rows × 8
//!   columns of C held in registers over the whole batch.
//!
//! The dense layer picks the variant whose vectorised dimension is long, and
//! transposes small weight matrices when that helps (see `dense.rs`).

use super::lanes::F32x4;

/// `c[m×n] = a[m×k] · b[k×n]`, plus `bias[n]` on every row when given.
pub fn matmul(
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
    m: usize,
    k: usize,
    n: usize,
) {
    check_lengths(a.len(), m * k, b.len(), k * n, c.len(), m * n);
    for i in 0..m {
        let a_row = &a[i * k..(i + 1) * k];
        let c_row = &mut c[i * n..(i + 1) * n];
        let mut j = 0;
        while j + 16 <= n {
            row_times_columns::<4>(a_row, b, bias, c_row, j, n);
            j += 16;
        }
        while j + 4 <= n {
            row_times_columns::<1>(a_row, b, bias, c_row, j, n);
            j += 4;
        }
        for col in j..n {
            let mut sum = bias.map_or(0.0, |bias| bias[col]);
            for (p, &x) in a_row.iter().enumerate() {
                sum += x * b[p * n + col];
            }
            c_row[col] = sum;
        }
    }
}

/// Columns `j .. j + 4·V` of one output row: `V` vectors of accumulators.
#[inline(always)]
fn row_times_columns<const V: usize>(
    a_row: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c_row: &mut [f32],
    j: usize,
    n: usize,
) {
    let mut acc = [F32x4::zero(); V];
    if let Some(bias) = bias {
        for (v, slot) in acc.iter_mut().enumerate() {
            *slot = F32x4::load(&bias[j + 4 * v..]);
        }
    }
    for (p, &x) in a_row.iter().enumerate() {
        let x = F32x4::splat(x);
        let b_part = &b[p * n + j..p * n + j + 4 * V];
        for (v, slot) in acc.iter_mut().enumerate() {
            *slot = slot.mul_add(x, F32x4::load(&b_part[4 * v..]));
        }
    }
    for (v, slot) in acc.iter().enumerate() {
        slot.store(&mut c_row[j + 4 * v..]);
    }
}

/// `c[m×n] = a[m×k] · b[n×k]ᵀ`, plus `bias[n]` on every row when given.
pub fn matmul_transposed_b(
    a: &[f32],
    b: &[f32],
    bias: Option<&[f32]>,
    c: &mut [f32],
    m: usize,
    k: usize,
    n: usize,
) {
    check_lengths(a.len(), m * k, b.len(), n * k, c.len(), m * n);
    if n == 0 {
        return;
    }
    for i in 0..m {
        let a_row = &a[i * k..(i + 1) * k];
        let c_row = &mut c[i * n..(i + 1) * n];
        let mut j = 0;
        while j + 4 <= n {
            dot_rows::<4>(a_row, b, k, j, c_row);
            j += 4;
        }
        match n - j {
            3 => dot_rows::<3>(a_row, b, k, j, c_row),
            2 => dot_rows::<2>(a_row, b, k, j, c_row),
            1 => dot_rows::<1>(a_row, b, k, j, c_row),
            _ => {}
        }
        if let Some(bias) = bias {
            for (c, &b) in c_row.iter_mut().zip(bias) {
                *c += b;
            }
        }
    }
}

/// `c_row[j + r] = a_row · b[j + r]` for `r < R`, sharing each load of `a_row`.
#[inline(always)]
fn dot_rows<const R: usize>(a_row: &[f32], b: &[f32], k: usize, j: usize, c_row: &mut [f32]) {
    let mut acc = [F32x4::zero(); R];
    let whole = k / 4 * 4;
    let mut p = 0;
    while p < whole {
        let x = F32x4::load(&a_row[p..]);
        for (r, slot) in acc.iter_mut().enumerate() {
            *slot = slot.mul_add(x, F32x4::load(&b[(j + r) * k + p..]));
        }
        p += 4;
    }
    for (r, slot) in acc.iter().enumerate() {
        let b_row = &b[(j + r) * k..(j + r + 1) * k];
        let mut sum = slot.sum();
        for q in whole..k {
            sum += a_row[q] * b_row[q];
        }
        c_row[j + r] = sum;
    }
}

/// `c[k×n] = a[m×k]ᵀ · b[m×n]` (overwrites `c`).
pub fn matmul_transposed_a(a: &[f32], b: &[f32], c: &mut [f32], m: usize, k: usize, n: usize) {
    check_lengths(a.len(), m * k, b.len(), m * n, c.len(), k * n);
    let mut p = 0;
    while p < k {
        match k - p {
            1 => tile_transposed_a::<1>(a, b, c, m, k, n, p),
            2 => tile_transposed_a::<2>(a, b, c, m, k, n, p),
            3 => tile_transposed_a::<3>(a, b, c, m, k, n, p),
            _ => tile_transposed_a::<4>(a, b, c, m, k, n, p),
        }
        p += 4;
    }
}

/// Rows `p .. p + P` of `c = aᵀ·b`, in tiles of 8 and then 4 columns.
#[inline(always)]
fn tile_transposed_a<const P: usize>(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    m: usize,
    k: usize,
    n: usize,
    p: usize,
) {
    let mut j = 0;
    while j + 8 <= n {
        let mut acc = [[F32x4::zero(); 2]; P];
        for i in 0..m {
            let b0 = F32x4::load(&b[i * n + j..]);
            let b1 = F32x4::load(&b[i * n + j + 4..]);
            let a_part = &a[i * k + p..i * k + p + P];
            for (slot, &x) in acc.iter_mut().zip(a_part) {
                let x = F32x4::splat(x);
                slot[0] = slot[0].mul_add(x, b0);
                slot[1] = slot[1].mul_add(x, b1);
            }
        }
        for (r, slot) in acc.iter().enumerate() {
            slot[0].store(&mut c[(p + r) * n + j..]);
            slot[1].store(&mut c[(p + r) * n + j + 4..]);
        }
        j += 8;
    }
    while j + 4 <= n {
        let mut acc = [F32x4::zero(); P];
        for i in 0..m {
            let b0 = F32x4::load(&b[i * n + j..]);
            let a_part = &a[i * k + p..i * k + p + P];
            for (slot, &x) in acc.iter_mut().zip(a_part) {
                *slot = slot.mul_add(F32x4::splat(x), b0);
            }
        }
        for (r, slot) in acc.iter().enumerate() {
            slot.store(&mut c[(p + r) * n + j..]);
        }
        j += 4;
    }
    for col in j..n {
        let mut acc = [0.0f32; P];
        for i in 0..m {
            let y = b[i * n + col];
            for (slot, &x) in acc.iter_mut().zip(&a[i * k + p..i * k + p + P]) {
                *slot += x * y;
            }
        }
        for (r, &sum) in acc.iter().enumerate() {
            c[(p + r) * n + col] = sum;
        }
    }
}

/// `out[cols×rows] = aᵀ` for a row-major `a[rows×cols]`.
pub fn transpose(a: &[f32], out: &mut [f32], rows: usize, cols: usize) {
    check_lengths(a.len(), rows * cols, out.len(), rows * cols, 0, 0);
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = a[r * cols + c];
        }
    }
}

/// `out[n] = Σ_i a[i, ·]`: the column sums of `a[m×n]` (a bias gradient).
pub fn column_sums(a: &[f32], out: &mut [f32], m: usize, n: usize) {
    check_lengths(a.len(), m * n, out.len(), n, 0, 0);
    out.fill(0.0);
    for row in a.chunks_exact(n.max(1)).take(m) {
        for (o, &x) in out.iter_mut().zip(row) {
            *o += x;
        }
    }
}

fn check_lengths(a: usize, want_a: usize, b: usize, want_b: usize, c: usize, want_c: usize) {
    assert!(
        a == want_a && b == want_b && c == want_c,
        "matrix buffer lengths {a}, {b}, {c} do not match the shape ({want_a}, {want_b}, {want_c})"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries with a pattern that catches swapped indices.
    fn filled(rows: usize, cols: usize, salt: f32) -> Vec<f32> {
        (0..rows * cols)
            .map(|i| ((i * 7 + 3) % 11) as f32 * 0.25 - 1.0 + salt * (i % 3) as f32)
            .collect()
    }

    /// The textbook triple loop in f64.
    fn reference(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f64> {
        let mut c = vec![0.0f64; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] += a[i * k + p] as f64 * b[p * n + j] as f64;
                }
            }
        }
        c
    }

    fn transposed(a: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        let mut out = vec![0.0; rows * cols];
        transpose(a, &mut out, rows, cols);
        out
    }

    fn assert_close(got: &[f32], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((*g as f64 - w).abs() < 1e-4 * (1.0 + w.abs()), "{g} vs {w}");
        }
    }

    #[test]
    fn transpose_moves_entries() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(transposed(&a, 2, 3), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    }

    #[test]
    fn all_three_products_match_the_triple_loop_on_awkward_shapes() {
        // Shapes straddle the tile widths (4, 8, 16) and include K = 2 and N = 3.
        for &(m, k, n) in &[
            (1, 1, 1),
            (3, 2, 100),
            (5, 100, 3),
            (7, 17, 19),
            (4, 33, 36),
            (2, 5, 0),
            (6, 9, 8),
        ] {
            let a = filled(m, k, 0.1);
            let b = filled(k, n, -0.2);
            let want = reference(&a, &b, m, k, n);
            let bias: Vec<f32> = (0..n).map(|j| j as f32 * 0.5 - 1.0).collect();
            let want_bias: Vec<f64> = (0..m * n)
                .map(|idx| want[idx] + bias[idx % n.max(1)] as f64)
                .collect();

            let mut c = vec![f32::NAN; m * n];
            matmul(&a, &b, None, &mut c, m, k, n);
            assert_close(&c, &want);
            matmul(&a, &b, Some(&bias), &mut c, m, k, n);
            assert_close(&c, &want_bias);

            let bt = transposed(&b, k, n);
            let mut c = vec![f32::NAN; m * n];
            matmul_transposed_b(&a, &bt, None, &mut c, m, k, n);
            assert_close(&c, &want);
            matmul_transposed_b(&a, &bt, Some(&bias), &mut c, m, k, n);
            assert_close(&c, &want_bias);

            let at = transposed(&a, m, k);
            let mut c = vec![f32::NAN; m * n];
            matmul_transposed_a(&at, &b, &mut c, k, m, n);
            assert_close(&c, &want);
        }
    }

    #[test]
    fn column_sums_add_rows() {
        let mut out = [9.0; 3];
        column_sums(&[1.0, 2.0, 3.0, 10.0, 20.0, 30.0], &mut out, 2, 3);
        assert_eq!(out, [11.0, 22.0, 33.0]);
    }
}
