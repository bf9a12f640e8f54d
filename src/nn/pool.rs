//! Max pooling: the largest value of each `size × size` window of every
//! channel, windows `stride` apart (no padding; a remainder narrower than
//! the window is dropped, as in PyTorch's `MaxPool2d` and CS231n).
//!
//! The backward pass routes each output's gradient to the input that was
//! the maximum (the first one in row-major order on ties); with overlapping
//! windows an input collects the gradients of every window it won.

use super::shape::Shape;
use super::Mode;

/// A max-pooling layer and the winners of the last training forward.
#[derive(Clone, Debug)]
pub struct MaxPool {
    input: Shape,
    output: Shape,
    size: usize,
    stride: usize,
    /// For every output of the last training batch, the index of its
    /// maximum in the batch's input buffer.
    winners: Vec<u32>,
}

impl MaxPool {
    /// A layer mapping `input` to `output` with `size × size` windows.
    pub fn new(input: Shape, output: Shape, size: usize, stride: usize) -> Self {
        MaxPool {
            input,
            output,
            size,
            stride,
            winners: Vec::new(),
        }
    }

    /// Window side.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Step between windows.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Window maxima of `batch` examples; training mode remembers the winners.
    pub fn forward(&mut self, input: &[f32], output: &mut [f32], batch: usize, mode: Mode) {
        let (plane_in, plane_out) = (self.input.plane(), self.output.plane());
        let (width, out_width) = (self.input.width, self.output.width);
        let planes = batch * self.input.channels;
        assert!(
            input.len() == planes * plane_in && output.len() == planes * plane_out,
            "max-pool buffers do not match the layer"
        );
        let remember = mode == Mode::Train;
        if remember {
            self.winners.resize(output.len(), 0);
        }
        if self.size == 2 && self.stride == 2 {
            self.forward_2x2(input, output, planes, remember);
            return;
        }
        for plane in 0..planes {
            let source = &input[plane * plane_in..(plane + 1) * plane_in];
            for oh in 0..self.output.height {
                for ow in 0..out_width {
                    let (top, left) = (oh * self.stride, ow * self.stride);
                    let mut best_index = top * width + left;
                    let mut best = source[best_index];
                    for ki in 0..self.size {
                        let row = &source[(top + ki) * width + left..][..self.size];
                        for (kj, &value) in row.iter().enumerate() {
                            // `>` keeps the first maximum; NaN never wins, but a
                            // NaN first value stays, so a diverged run still shows.
                            if value > best {
                                best = value;
                                best_index = (top + ki) * width + left + kj;
                            }
                        }
                    }
                    let out = plane * plane_out + oh * out_width + ow;
                    output[out] = best;
                    if remember {
                        self.winners[out] = (plane * plane_in + best_index) as u32;
                    }
                }
            }
        }
    }

    /// The common 2 × 2, stride 2 case with the window unrolled (same
    /// results, same tie rule: the first maximum in row-major order wins).
    fn forward_2x2(&mut self, input: &[f32], output: &mut [f32], planes: usize, remember: bool) {
        let (plane_in, plane_out) = (self.input.plane(), self.output.plane());
        let (width, out_width) = (self.input.width, self.output.width);
        for plane in 0..planes {
            let source = &input[plane * plane_in..(plane + 1) * plane_in];
            let out_plane = &mut output[plane * plane_out..(plane + 1) * plane_out];
            for (oh, out_row) in out_plane.chunks_exact_mut(out_width).enumerate() {
                let upper = &source[2 * oh * width..(2 * oh + 1) * width];
                let lower = &source[(2 * oh + 1) * width..(2 * oh + 2) * width];
                for (ow, out) in out_row.iter_mut().enumerate() {
                    let x = 2 * ow;
                    let candidates = [upper[x], upper[x + 1], lower[x], lower[x + 1]];
                    let mut best = 0;
                    for k in 1..4 {
                        if candidates[k] > candidates[best] {
                            best = k;
                        }
                    }
                    *out = candidates[best];
                    if remember {
                        let index = (2 * oh + best / 2) * width + x + best % 2;
                        self.winners[plane * plane_out + oh * out_width + ow] =
                            (plane * plane_in + index) as u32;
                    }
                }
            }
        }
    }

    /// `grad_input` (overwritten) gets each output's gradient at its winner.
    pub fn backward(&self, grad_output: &[f32], grad_input: &mut [f32]) {
        assert_eq!(
            grad_output.len(),
            self.winners.len(),
            "max-pool backward needs the batch of the last training forward"
        );
        grad_input.fill(0.0);
        for (&dy, &winner) in grad_output.iter().zip(&self.winners) {
            grad_input[winner as usize] += dy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxima_and_winners_by_hand() {
        // One 4×4 plane, 2×2 windows with stride 2.
        let x = [
            1.0, 3.0, 2.0, 0.0, //
            4.0, -1.0, 2.0, 5.0, //
            0.0, 0.0, -3.0, -2.0, //
            0.0, 7.0, -4.0, -1.0,
        ];
        let mut pool = MaxPool::new(Shape::new(1, 4, 4), Shape::new(1, 2, 2), 2, 2);
        let mut y = [0.0; 4];
        pool.forward(&x, &mut y, 1, Mode::Train);
        assert_eq!(y, [4.0, 5.0, 7.0, -1.0]);
        let mut dx = [9.0; 16];
        pool.backward(&[1.0, 2.0, 3.0, 4.0], &mut dx);
        let mut want = [0.0; 16];
        (want[4], want[7], want[13], want[15]) = (1.0, 2.0, 3.0, 4.0);
        assert_eq!(dx, want);
    }

    #[test]
    fn ties_go_to_the_first_maximum_in_row_major_order() {
        // 2×2 windows (the unrolled path) and 3×3 ones (the general path).
        for (size, side) in [(2, 4), (3, 3)] {
            let x = vec![5.0; side * side];
            let out_side = (side - size) / size + 1;
            let shape_out = Shape::new(1, out_side, out_side);
            let mut pool = MaxPool::new(Shape::new(1, side, side), shape_out, size, size);
            let mut y = vec![0.0; out_side * out_side];
            pool.forward(&x, &mut y, 1, Mode::Train);
            let mut dx = vec![0.0; side * side];
            pool.backward(&vec![1.0; y.len()], &mut dx);
            for (oh, ow) in (0..out_side).flat_map(|r| (0..out_side).map(move |c| (r, c))) {
                assert_eq!(dx[oh * size * side + ow * size], 1.0, "size {size}");
            }
            assert_eq!(dx.iter().sum::<f32>(), y.len() as f32);
        }
    }

    #[test]
    fn overlapping_windows_add_their_gradients_at_a_shared_winner() {
        // A 3×3 plane, 2×2 windows with stride 1: the centre 9 wins all four.
        let x = [1.0, 2.0, 1.0, 2.0, 9.0, 2.0, 1.0, 2.0, 1.0];
        let mut pool = MaxPool::new(Shape::new(1, 3, 3), Shape::new(1, 2, 2), 2, 1);
        let mut y = [0.0; 4];
        pool.forward(&x, &mut y, 1, Mode::Train);
        assert_eq!(y, [9.0; 4]);
        let mut dx = [0.0; 9];
        pool.backward(&[1.0, 2.0, 3.0, 4.0], &mut dx);
        assert_eq!(dx[4], 10.0);
        assert_eq!(dx.iter().sum::<f32>(), 10.0);
    }
}
