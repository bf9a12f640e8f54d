//! Convolution windows as matrix columns ("im2col") and back ("col2im").
//!
//! For a batch of `N` examples of `C × H × W`, kernels of `K × K`, stride
//! `S` and zero padding `P`, output position `(oh, ow)` of example `n` reads
//! the window starting at input pixel `(oh·S − P, ow·S − P)`. [`im2col`]
//! writes every window as one column of a `(C·K·K) × (N·Ho·Wo)` matrix:
//!
//! `cols[(c·K + ki)·K + kj][n·Ho·Wo + oh·Wo + ow] = x[n][c][oh·S + ki − P][ow·S + kj − P]`
//!
//! (0 where the index falls into the padding), so the whole layer's
//! forward pass is one product `W[F × C·K·K] · cols`. [`col2im`] is its
//! adjoint: it adds every entry of a column matrix back onto the input
//! pixel it was read from, which turns `∂L/∂cols` into `∂L/∂x`.
//!
//! The convolution layer never writes `cols` out: [`Windows`] reads its
//! entries straight from the image while the matrix product packs its
//! panels (see `gemm.rs`), which saves a pass over a matrix K² times the
//! size of the input. [`im2col`] is the same matrix written out, for tests.

use super::shape::Shape;

/// Where a convolution's windows sit: input and output shapes, kernel
/// side, stride and padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvGeometry {
    /// One input example.
    pub input: Shape,
    /// One output example (its channels are the filters).
    pub output: Shape,
    /// Kernel side K.
    pub size: usize,
    /// Step S between windows.
    pub stride: usize,
    /// Zeros P on every side.
    pub pad: usize,
}

impl ConvGeometry {
    /// Rows of the column matrix: `C·K·K`, the length of one window.
    pub fn patch_len(&self) -> usize {
        self.input.channels * self.size * self.size
    }

    /// Output positions per example: `Ho·Wo`.
    pub fn positions(&self) -> usize {
        self.output.plane()
    }

    /// The output columns `ow` whose window column `kj` lands inside the
    /// image (the others read padding), as a half-open range.
    fn valid_columns(&self, kj: usize) -> (usize, usize) {
        let (stride, pad) = (self.stride as isize, self.pad as isize);
        let offset = kj as isize - pad;
        // ow·S + offset ≥ 0  ⇔  ow ≥ ⌈−offset / S⌉.
        let low = if offset >= 0 {
            0
        } else {
            (-offset + stride - 1) / stride
        };
        // ow·S + offset ≤ W − 1  ⇔  ow ≤ ⌊(W − 1 − offset) / S⌋.
        let last = self.input.width as isize - 1 - offset;
        let high = if last < 0 { 0 } else { last / stride + 1 };
        let out_width = self.output.width as isize;
        let low = low.min(out_width) as usize;
        (low, high.clamp(low as isize, out_width) as usize)
    }

    /// The input row window row `ki` of output row `oh` reads, if inside.
    fn input_row(&self, oh: usize, ki: usize) -> Option<usize> {
        let row = (oh * self.stride + ki) as isize - self.pad as isize;
        (row >= 0 && (row as usize) < self.input.height).then_some(row as usize)
    }
}

/// The column matrix of a batch (`patch_len × batch·positions`), read
/// from the input on demand.
#[derive(Clone, Copy, Debug)]
pub struct Windows<'a> {
    /// Where the windows sit.
    pub geometry: &'a ConvGeometry,
    /// The batch's input, NCHW.
    pub input: &'a [f32],
    /// Examples in the batch.
    pub batch: usize,
}

impl Windows<'_> {
    /// Rows × columns of the matrix.
    pub fn len(&self) -> usize {
        self.geometry.patch_len() * self.batch * self.geometry.positions()
    }

    /// Whether the matrix is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where window row `row` (channel, kernel row, kernel column) reads,
    /// relative to the window's top-left input pixel.
    #[inline]
    pub fn row_offset(&self, row: usize) -> usize {
        let g = self.geometry;
        let kk = g.size * g.size;
        let (channel, k) = (row / kk, row % kk);
        channel * g.input.plane() + (k / g.size) * g.input.width + k % g.size
    }

    /// The input index of column `column`'s window origin, when the layer
    /// has no padding (so every window lies inside its example).
    #[inline]
    pub fn column_origin(&self, column: usize) -> usize {
        let g = self.geometry;
        let positions = g.positions();
        let (n, position) = (column / positions, column % positions);
        let (oh, ow) = (position / g.output.width, position % g.output.width);
        n * g.input.len() + oh * g.stride * g.input.width + ow * g.stride
    }

    /// The input index of the first of `count` columns from `column`, when
    /// they read consecutive pixels: stride 1, no padding, one output row.
    #[inline]
    pub fn contiguous_columns(&self, column: usize, count: usize) -> Option<usize> {
        let g = self.geometry;
        let ow = column % g.positions() % g.output.width;
        (g.stride == 1 && g.pad == 0 && ow + count <= g.output.width)
            .then(|| self.column_origin(column))
    }

    /// Entry (row, column) of the matrix (0 in the padding).
    pub fn value(&self, row: usize, column: usize) -> f32 {
        let g = self.geometry;
        let kk = g.size * g.size;
        let (channel, ki, kj) = (row / kk, row % kk / g.size, row % g.size);
        let positions = g.positions();
        let (n, position) = (column / positions, column % positions);
        let (oh, ow) = (position / g.output.width, position % g.output.width);
        let y = (oh * g.stride + ki) as isize - g.pad as isize;
        let x = (ow * g.stride + kj) as isize - g.pad as isize;
        if y < 0 || x < 0 || y as usize >= g.input.height || x as usize >= g.input.width {
            return 0.0;
        }
        let plane = (n * g.input.channels + channel) * g.input.plane();
        self.input[plane + y as usize * g.input.width + x as usize]
    }
}

/// Writes the windows of `batch` examples of `input` as the columns of
/// `cols` (`patch_len × batch·positions`, overwritten).
pub fn im2col(geometry: &ConvGeometry, input: &[f32], batch: usize, cols: &mut [f32]) {
    let g = geometry;
    let (plane_in, positions) = (g.input.plane(), g.positions());
    let (width, out_width, stride) = (g.input.width, g.output.width, g.stride);
    let columns = batch * positions;
    assert!(
        input.len() == batch * g.input.len() && cols.len() == g.patch_len() * columns,
        "im2col buffers do not match the geometry"
    );
    if g.stride == 1 && g.pad == 0 {
        im2col_dense(g, input, columns, cols);
        return;
    }
    for c in 0..g.input.channels {
        for ki in 0..g.size {
            for kj in 0..g.size {
                let row = (c * g.size + ki) * g.size + kj;
                let (low, high) = g.valid_columns(kj);
                let matrix_row = &mut cols[row * columns..(row + 1) * columns];
                for (n, block) in matrix_row.chunks_exact_mut(positions).enumerate() {
                    let plane = &input[(n * g.input.channels + c) * plane_in..][..plane_in];
                    for (oh, out_row) in block.chunks_exact_mut(out_width).enumerate() {
                        let Some(ih) = g.input_row(oh, ki) else {
                            for slot in out_row.iter_mut() {
                                *slot = 0.0;
                            }
                            continue;
                        };
                        let source = &plane[ih * width..(ih + 1) * width];
                        // Rows are short (Wo values): element loops, not
                        // memset/memcpy calls, whose call overhead dominated.
                        for slot in &mut out_row[..low] {
                            *slot = 0.0;
                        }
                        for slot in &mut out_row[high..] {
                            *slot = 0.0;
                        }
                        if low < high {
                            let first = low * stride + kj - g.pad;
                            let inside = &mut out_row[low..high];
                            if stride == 1 {
                                for (slot, &value) in inside.iter_mut().zip(&source[first..]) {
                                    *slot = value;
                                }
                            } else {
                                for (slot, ow) in inside.iter_mut().zip(0..) {
                                    *slot = source[first + ow * stride];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// [`im2col`] for stride 1 without padding: every window lies inside the
/// image, so each output row is one contiguous run of the input row.
fn im2col_dense(g: &ConvGeometry, input: &[f32], columns: usize, cols: &mut [f32]) {
    let (plane_in, positions) = (g.input.plane(), g.positions());
    let (width, out_width) = (g.input.width, g.output.width);
    for c in 0..g.input.channels {
        for ki in 0..g.size {
            for kj in 0..g.size {
                let row = (c * g.size + ki) * g.size + kj;
                let matrix_row = &mut cols[row * columns..(row + 1) * columns];
                for (n, block) in matrix_row.chunks_exact_mut(positions).enumerate() {
                    let plane = &input[(n * g.input.channels + c) * plane_in..][..plane_in];
                    for (oh, out_row) in block.chunks_exact_mut(out_width).enumerate() {
                        let start = (oh + ki) * width + kj;
                        for (slot, &value) in
                            out_row.iter_mut().zip(&plane[start..start + out_width])
                        {
                            *slot = value;
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of [`im2col`]: `grad_input` (overwritten) receives, for
/// every input pixel, the sum of the entries of `cols` read from it.
pub fn col2im(geometry: &ConvGeometry, cols: &[f32], batch: usize, grad_input: &mut [f32]) {
    let g = geometry;
    let (plane_in, positions) = (g.input.plane(), g.positions());
    let (width, out_width, stride) = (g.input.width, g.output.width, g.stride);
    let columns = batch * positions;
    assert!(
        grad_input.len() == batch * g.input.len() && cols.len() == g.patch_len() * columns,
        "col2im buffers do not match the geometry"
    );
    grad_input.fill(0.0);
    for c in 0..g.input.channels {
        for ki in 0..g.size {
            for kj in 0..g.size {
                let row = (c * g.size + ki) * g.size + kj;
                let (low, high) = g.valid_columns(kj);
                if low >= high {
                    continue;
                }
                let matrix_row = &cols[row * columns..(row + 1) * columns];
                for (n, block) in matrix_row.chunks_exact(positions).enumerate() {
                    let plane =
                        &mut grad_input[(n * g.input.channels + c) * plane_in..][..plane_in];
                    for (oh, out_row) in block.chunks_exact(out_width).enumerate() {
                        let Some(ih) = g.input_row(oh, ki) else {
                            continue;
                        };
                        let target = &mut plane[ih * width..(ih + 1) * width];
                        let first = low * stride + kj - g.pad;
                        if stride == 1 {
                            for (t, &v) in target[first..first + high - low]
                                .iter_mut()
                                .zip(&out_row[low..high])
                            {
                                *t += v;
                            }
                        } else {
                            for (ow, &v) in out_row[low..high].iter().enumerate() {
                                target[first + ow * stride] += v;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(input: Shape, size: usize, stride: usize, pad: usize) -> ConvGeometry {
        let out = |side: usize| (side + 2 * pad - size) / stride + 1;
        ConvGeometry {
            input,
            output: Shape::new(1, out(input.height), out(input.width)),
            size,
            stride,
            pad,
        }
    }

    #[test]
    fn columns_of_a_padded_3x3_image_by_hand() {
        // x = [[1 2 3] [4 5 6] [7 8 9]], K = 2, S = 2, P = 1: outputs 2×2.
        let g = geometry(Shape::new(1, 3, 3), 2, 2, 1);
        let x: Vec<f32> = (1..=9).map(|v| v as f32).collect();
        let mut cols = vec![f32::NAN; 4 * 4];
        im2col(&g, &x, 1, &mut cols);
        // Windows start at (−1,−1), (−1,1), (1,−1), (1,1).
        let want = [
            [0.0, 0.0, 0.0, 5.0], // (ki, kj) = (0, 0)
            [0.0, 0.0, 4.0, 6.0], // (0, 1)
            [0.0, 2.0, 0.0, 8.0], // (1, 0)
            [1.0, 3.0, 7.0, 9.0], // (1, 1)
        ];
        for (row, want_row) in want.iter().enumerate() {
            assert_eq!(&cols[row * 4..row * 4 + 4], want_row, "row {row}");
        }
    }

    #[test]
    fn col2im_is_the_adjoint_of_im2col() {
        // ⟨im2col(x), r⟩ = ⟨x, col2im(r)⟩ for every stride/padding mix.
        for &(h, w, size, stride, pad) in &[
            (5, 6, 3, 1, 1),
            (7, 5, 3, 2, 0),
            (6, 6, 4, 3, 2),
            (4, 4, 1, 1, 0),
        ] {
            let g = geometry(Shape::new(2, h, w), size, stride, pad);
            let batch = 3;
            let x: Vec<f32> = (0..batch * g.input.len())
                .map(|i| ((i * 5) % 7) as f32 - 3.0)
                .collect();
            let len = g.patch_len() * batch * g.positions();
            let r: Vec<f32> = (0..len).map(|i| ((i * 3) % 11) as f32 - 5.0).collect();
            let mut cols = vec![0.0; len];
            im2col(&g, &x, batch, &mut cols);
            let mut back = vec![f32::NAN; x.len()];
            col2im(&g, &r, batch, &mut back);
            let left: f64 = cols.iter().zip(&r).map(|(a, b)| (a * b) as f64).sum();
            let right: f64 = x.iter().zip(&back).map(|(a, b)| (a * b) as f64).sum();
            assert_eq!(left, right, "{h}×{w} K{size} S{stride} P{pad}");
        }
    }
}
