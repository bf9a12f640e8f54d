//! A packed matrix product `C = A·B` for the convolution layers.
//!
//! A convolution turned into matrix products (see `im2col.rs`) multiplies a
//! small matrix (the kernels) by a very wide one (one column per output
//! position of the whole batch), and its backward pass needs the same with
//! either side transposed. The dense layer's kernels in `matmul.rs` stream
//! one operand once per row of the other, which is fine for the MLP but
//! slow here. This file does what BLAS libraries do, in miniature:
//!
//! * copy ("pack") A into panels of [`MR`] rows and B into panels of [`NR`]
//!   columns, each laid out step by step along the shared dimension, so the
//!   inner loop reads both with unit stride whatever their original layout
//!   (plain or transposed) — this also avoids cache-set conflicts when a
//!   row of B is a multiple of 4 KiB long;
//! * multiply panel by panel in a 4 × 8 register tile: per step of the
//!   shared dimension two vector loads of B, four broadcasts of A and eight
//!   vector multiply-adds, with the 32 sums held in eight `F32x4`s;
//! * walk the shared dimension in blocks of [`KC`] so a packed B panel stays
//!   in the L1 cache while every A panel passes over it.
//!
//! Each entry of C is summed in increasing order of the shared index, on
//! the SIMD and the portable path alike, so both give identical results.

use super::im2col::Windows;
use super::lanes::F32x4;

/// Rows of A (and C) in one register tile.
pub const MR: usize = 4;
/// Columns of B (and C) in one register tile: two four-lane vectors.
pub const NR: usize = 8;
/// Steps of the shared dimension packed at a time.
pub const KC: usize = 256;

/// How a matrix operand is stored.
#[derive(Clone, Copy, Debug)]
pub enum Operand<'a> {
    /// The matrix itself, row-major.
    Plain(&'a [f32]),
    /// Its transpose, row-major: the matrix read column by column.
    Transposed(&'a [f32]),
    /// A convolution's im2col matrix, read from the image while packing.
    Windows(Windows<'a>),
    /// The transpose of a convolution's im2col matrix.
    WindowsTransposed(Windows<'a>),
}

impl Operand<'_> {
    fn len(&self) -> usize {
        match self {
            Operand::Plain(v) | Operand::Transposed(v) => v.len(),
            Operand::Windows(w) | Operand::WindowsTransposed(w) => w.len(),
        }
    }

    /// Entry (i, j) of the matrix this operand stands for, whose rows have
    /// `cols` entries (the slow, general path of the packing).
    fn at(&self, i: usize, j: usize, rows: usize, cols: usize) -> f32 {
        match self {
            Operand::Plain(v) => v[i * cols + j],
            Operand::Transposed(v) => v[j * rows + i],
            Operand::Windows(w) => w.value(i, j),
            Operand::WindowsTransposed(w) => w.value(j, i),
        }
    }
}

/// The packing buffers, kept between calls so a warm product allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Gemm {
    packed_a: Vec<f32>,
    packed_b: Vec<f32>,
}

impl Gemm {
    /// Empty buffers; they grow to the largest product seen.
    pub fn new() -> Self {
        Gemm::default()
    }

    /// `c[m×n] = a[m×k]·b[k×n]`, or `c += a·b` when `accumulate` is set.
    ///
    /// Panics if a buffer's length does not match its shape (an engine bug,
    /// never a user error: every caller sizes its buffers from the layer).
    #[allow(clippy::too_many_arguments)]
    pub fn multiply(
        &mut self,
        m: usize,
        n: usize,
        k: usize,
        a: Operand<'_>,
        b: Operand<'_>,
        c: &mut [f32],
        accumulate: bool,
    ) {
        assert!(
            a.len() == m * k && b.len() == k * n && c.len() == m * n,
            "gemm buffers {}, {}, {} do not match {m}×{k} · {k}×{n}",
            a.len(),
            b.len(),
            c.len()
        );
        if m == 0 || n == 0 {
            return;
        }
        if k == 0 {
            if !accumulate {
                c.fill(0.0);
            }
            return;
        }
        let (row_panels, col_panels) = (m.div_ceil(MR), n.div_ceil(NR));
        let mut k0 = 0;
        while k0 < k {
            let kc = KC.min(k - k0);
            self.packed_a.resize(row_panels * MR * kc, 0.0);
            self.packed_b.resize(col_panels * NR * kc, 0.0);
            pack_a(a, m, k, k0, kc, &mut self.packed_a);
            pack_b(b, k, n, k0, kc, &mut self.packed_b);
            let add = accumulate || k0 > 0;
            for (jp, b_panel) in self.packed_b.chunks_exact(NR * kc).enumerate() {
                let j0 = jp * NR;
                for (ip, a_panel) in self.packed_a.chunks_exact(MR * kc).enumerate() {
                    let i0 = ip * MR;
                    let tile = micro_kernel(a_panel, b_panel);
                    store_tile(&tile, c, n, i0, j0, MR.min(m - i0), NR.min(n - j0), add);
                }
            }
            k0 += kc;
        }
    }
}

/// Packs rows `MR` at a time: panel `ip` holds, for each shared index `p`
/// of the block, `a[ip·MR + r][k0 + p]` for r = 0..MR (zeros past `m`).
fn pack_a(a: Operand<'_>, m: usize, k: usize, k0: usize, kc: usize, out: &mut [f32]) {
    for (ip, panel) in out.chunks_exact_mut(MR * kc).enumerate() {
        for r in 0..MR {
            let row = ip * MR + r;
            if row >= m {
                for p in 0..kc {
                    panel[p * MR + r] = 0.0;
                }
                continue;
            }
            match a {
                Operand::Plain(a) => {
                    let source = &a[row * k + k0..row * k + k0 + kc];
                    for (p, &value) in source.iter().enumerate() {
                        panel[p * MR + r] = value;
                    }
                }
                Operand::Transposed(at) => {
                    for p in 0..kc {
                        panel[p * MR + r] = at[(k0 + p) * m + row];
                    }
                }
                windows => {
                    for p in 0..kc {
                        panel[p * MR + r] = windows.at(row, k0 + p, m, k);
                    }
                }
            }
        }
    }
}

/// Packs columns `NR` at a time: panel `jp` holds, for each shared index
/// `p` of the block, `b[k0 + p][jp·NR + c]` for c = 0..NR (zeros past `n`).
fn pack_b(b: Operand<'_>, k: usize, n: usize, k0: usize, kc: usize, out: &mut [f32]) {
    for (jp, panel) in out.chunks_exact_mut(NR * kc).enumerate() {
        let j0 = jp * NR;
        let cols = NR.min(n - j0);
        match b {
            Operand::Plain(b) if cols == NR => {
                for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
                    let start = (k0 + p) * n + j0;
                    let source: &[f32; NR] = b[start..start + NR].try_into().expect("NR values");
                    step.copy_from_slice(source);
                }
            }
            Operand::Plain(b) => {
                for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
                    let start = (k0 + p) * n + j0;
                    for (c, slot) in step.iter_mut().enumerate() {
                        *slot = if c < cols { b[start + c] } else { 0.0 };
                    }
                }
            }
            Operand::Transposed(bt) => {
                for c in 0..NR {
                    if c >= cols {
                        for p in 0..kc {
                            panel[p * NR + c] = 0.0;
                        }
                        continue;
                    }
                    let source = &bt[(j0 + c) * k + k0..(j0 + c) * k + k0 + kc];
                    for (p, &value) in source.iter().enumerate() {
                        panel[p * NR + c] = value;
                    }
                }
            }
            Operand::Windows(w) => pack_windows(&w, k0, j0, cols, panel),
            Operand::WindowsTransposed(w) => pack_windows_transposed(&w, k0, j0, cols, panel),
        }
    }
}

/// A B panel of im2col columns `j0 .. j0 + cols`, rows `k0 ..`: eight
/// consecutive input pixels per row when the columns read a contiguous run.
fn pack_windows(w: &Windows<'_>, k0: usize, j0: usize, cols: usize, panel: &mut [f32]) {
    if let Some(origin) = w.contiguous_columns(j0, NR).filter(|_| cols == NR) {
        for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
            let start = origin + w.row_offset(k0 + p);
            let source: &[f32; NR] = w.input[start..start + NR].try_into().expect("NR values");
            step.copy_from_slice(source);
        }
        return;
    }
    for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
        for (c, slot) in step.iter_mut().enumerate() {
            *slot = if c < cols {
                w.value(k0 + p, j0 + c)
            } else {
                0.0
            };
        }
    }
}

/// A B panel of the transposed im2col matrix: window rows `j0 .. j0 + cols`
/// for columns (positions) `k0 ..`; without padding each entry is one load.
fn pack_windows_transposed(w: &Windows<'_>, k0: usize, j0: usize, cols: usize, panel: &mut [f32]) {
    if w.geometry.pad == 0 {
        let mut offsets = [0usize; NR];
        for (c, offset) in offsets.iter_mut().enumerate().take(cols) {
            *offset = w.row_offset(j0 + c);
        }
        for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
            let origin = w.column_origin(k0 + p);
            for (c, slot) in step.iter_mut().enumerate() {
                *slot = if c < cols {
                    w.input[origin + offsets[c]]
                } else {
                    0.0
                };
            }
        }
        return;
    }
    for (p, step) in panel.chunks_exact_mut(NR).enumerate() {
        for (c, slot) in step.iter_mut().enumerate() {
            *slot = if c < cols {
                w.value(j0 + c, k0 + p)
            } else {
                0.0
            };
        }
    }
}

/// One `MR × NR` tile of `A·B` from a packed A panel and a packed B panel.
#[inline(always)]
fn micro_kernel(a_panel: &[f32], b_panel: &[f32]) -> [[F32x4; 2]; MR] {
    let mut acc = [[F32x4::zero(); 2]; MR];
    for (a, b) in a_panel.chunks_exact(MR).zip(b_panel.chunks_exact(NR)) {
        let b0 = F32x4::load(&b[..4]);
        let b1 = F32x4::load(&b[4..]);
        for (row, &x) in acc.iter_mut().zip(a) {
            let x = F32x4::splat(x);
            row[0] = row[0].mul_add(x, b0);
            row[1] = row[1].mul_add(x, b1);
        }
    }
    acc
}

/// Writes (or adds) the valid `rows × cols` part of a tile into `c` at (i0, j0).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn store_tile(
    tile: &[[F32x4; 2]; MR],
    c: &mut [f32],
    n: usize,
    i0: usize,
    j0: usize,
    rows: usize,
    cols: usize,
    add: bool,
) {
    if cols == NR {
        for (r, pair) in tile.iter().enumerate().take(rows) {
            let out = &mut c[(i0 + r) * n + j0..(i0 + r) * n + j0 + NR];
            for (v, &value) in pair.iter().enumerate() {
                let slot = &mut out[4 * v..4 * v + 4];
                let value = if add {
                    F32x4::load(slot).plus(value)
                } else {
                    value
                };
                value.store(slot);
            }
        }
        return;
    }
    for (r, pair) in tile.iter().enumerate().take(rows) {
        let mut values = [0.0f32; NR];
        pair[0].store(&mut values[..4]);
        pair[1].store(&mut values[4..]);
        let out = &mut c[(i0 + r) * n + j0..(i0 + r) * n + j0 + cols];
        for (slot, &value) in out.iter_mut().zip(&values) {
            *slot = if add { *slot + value } else { value };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(len: usize, salt: usize) -> Vec<f32> {
        (0..len)
            .map(|i| ((i * 7 + salt * 3) % 13) as f32 * 0.25 - 1.5)
            .collect()
    }

    fn transpose(a: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        let mut out = vec![0.0; a.len()];
        for r in 0..rows {
            for c in 0..cols {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        out
    }

    #[test]
    fn windows_pack_exactly_like_the_written_out_im2col_matrix() {
        use crate::nn::im2col::{im2col, ConvGeometry};
        use crate::nn::Shape;
        // Wide rows (runs of 8 contiguous pixels), padding, strides, odd sizes.
        for &(c, h, w, k, stride, pad) in &[
            (2, 12, 21, 3, 1, 0),
            (1, 9, 16, 5, 1, 0),
            (3, 11, 13, 3, 1, 1),
            (2, 13, 19, 4, 2, 0),
            (1, 7, 30, 3, 3, 2),
        ] {
            let out = |side: usize| (side + 2 * pad - k) / stride + 1;
            let g = ConvGeometry {
                input: Shape::new(c, h, w),
                output: Shape::new(5, out(h), out(w)),
                size: k,
                stride,
                pad,
            };
            let batch = 2;
            let input = filled(batch * g.input.len(), 4);
            let (patch, columns) = (g.patch_len(), batch * g.positions());
            let mut cols = vec![0.0; patch * columns];
            im2col(&g, &input, batch, &mut cols);
            let windows = crate::nn::im2col::Windows {
                geometry: &g,
                input: &input,
                batch,
            };
            let weights = filled(5 * patch, 1);
            let grads = filled(5 * columns, 2);
            let mut gemm = Gemm::new();
            let (mut want, mut got) = (vec![0.0; 5 * columns], vec![1.0; 5 * columns]);
            gemm.multiply(
                5,
                columns,
                patch,
                Operand::Plain(&weights),
                Operand::Plain(&cols),
                &mut want,
                false,
            );
            gemm.multiply(
                5,
                columns,
                patch,
                Operand::Plain(&weights),
                Operand::Windows(windows),
                &mut got,
                false,
            );
            assert_eq!(got, want, "W·cols {c}×{h}×{w} K{k} S{stride} P{pad}");
            let (mut want, mut got) = (vec![0.0; 5 * patch], vec![1.0; 5 * patch]);
            gemm.multiply(
                5,
                patch,
                columns,
                Operand::Plain(&grads),
                Operand::Transposed(&cols),
                &mut want,
                false,
            );
            let transposed = Operand::WindowsTransposed(windows);
            gemm.multiply(
                5,
                patch,
                columns,
                Operand::Plain(&grads),
                transposed,
                &mut got,
                false,
            );
            assert_eq!(got, want, "G·colsᵀ {c}×{h}×{w} K{k} S{stride} P{pad}");
            // As the left operand too (the general path).
            let (mut want, mut got) = (vec![0.0; patch * 5], vec![1.0; patch * 5]);
            let right = filled(columns * 5, 3);
            gemm.multiply(
                patch,
                5,
                columns,
                Operand::Plain(&cols),
                Operand::Plain(&right),
                &mut want,
                false,
            );
            gemm.multiply(
                patch,
                5,
                columns,
                Operand::Windows(windows),
                Operand::Plain(&right),
                &mut got,
                false,
            );
            assert_eq!(got, want, "cols·R");
        }
    }

    #[test]
    fn every_layout_matches_the_triple_loop_on_awkward_shapes() {
        // Shapes straddle the 4 × 8 tile and the 256-step block (k = 300, 513).
        for &(m, n, k) in &[
            (1, 1, 1),
            (4, 8, 3),
            (5, 9, 7),
            (3, 17, 300),
            (13, 6, 513),
            (32, 70, 25),
            (2, 3, 0),
        ] {
            let a = filled(m * k, 1);
            let b = filled(k * n, 2);
            let mut want = vec![0.0f64; m * n];
            for i in 0..m {
                for j in 0..n {
                    for p in 0..k {
                        want[i * n + j] += a[i * k + p] as f64 * b[p * n + j] as f64;
                    }
                }
            }
            let (at, bt) = (transpose(&a, m, k), transpose(&b, k, n));
            let mut gemm = Gemm::new();
            for (a_op, b_op) in [
                (Operand::Plain(&a), Operand::Plain(&b)),
                (Operand::Transposed(&at), Operand::Plain(&b)),
                (Operand::Plain(&a), Operand::Transposed(&bt)),
                (Operand::Transposed(&at), Operand::Transposed(&bt)),
            ] {
                let mut c = vec![f32::NAN; m * n];
                gemm.multiply(m, n, k, a_op, b_op, &mut c, false);
                let mut added = vec![1.0f32; m * n];
                gemm.multiply(m, n, k, a_op, b_op, &mut added, true);
                for idx in 0..m * n {
                    let tolerance = 1e-4 * (1.0 + want[idx].abs());
                    assert!((c[idx] as f64 - want[idx]).abs() < tolerance, "{m}×{n}×{k}");
                    assert!((added[idx] as f64 - want[idx] - 1.0).abs() < tolerance);
                }
            }
        }
    }
}
