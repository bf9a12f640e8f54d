//! Weights and feature maps as a mosaic of small images in one RGBA buffer.
//!
//! Tiles sit in a near-square grid (`columns = ⌈√count⌉`), row by row, one
//! transparent pixel apart, each source pixel drawn as a `scale × scale`
//! block. Colours are shared by the whole mosaic so tiles compare:
//!
//! * signed values (weights, or maps with negatives) use a diverging map
//!   with white at 0, red for positive and blue for negative, full colour
//!   at the largest magnitude `m`: `t = v / m`, red = (255, 255(1 − t),
//!   255(1 − t)), blue = (255(1 + t), 255(1 + t), 255);
//! * maps without negatives (after ReLU or pooling) are grey from black
//!   (0) to white (the largest value);
//! * three-channel filters are shown in colour, each value mapped from the
//!   weights' [min, max] to 0–255.

use crate::nn::Shape;

/// Gap between tiles, in pixels.
pub const GAP: usize = 1;

/// A grid of tiles in one RGBA image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mosaic {
    /// Width of the whole image in pixels.
    pub width: usize,
    /// Height of the whole image in pixels.
    pub height: usize,
    /// Tiles per row.
    pub columns: usize,
    /// Rows of tiles.
    pub rows: usize,
    /// Side of one tile's source pixels (before scaling): width.
    pub tile_width: usize,
    /// Height of one tile in source pixels.
    pub tile_height: usize,
    /// Pixels per source pixel along each side.
    pub scale: usize,
    /// RGBA bytes, row-major.
    pub pixels: Vec<u8>,
}

impl Mosaic {
    /// Lays out `count` tiles of `tile_width × tile_height` source pixels
    /// drawn `scale` times larger, taking each source pixel's colour from
    /// `colour(tile, x, y)`.
    pub fn new(
        count: usize,
        tile_width: usize,
        tile_height: usize,
        scale: usize,
        colour: impl Fn(usize, usize, usize) -> [u8; 4],
    ) -> Mosaic {
        let scale = scale.max(1);
        let columns = (count as f64).sqrt().ceil().max(1.0) as usize;
        let rows = count.div_ceil(columns);
        let (cell_w, cell_h) = (tile_width * scale, tile_height * scale);
        let width = columns * cell_w + columns.saturating_sub(1) * GAP;
        let height = rows * cell_h + rows.saturating_sub(1) * GAP;
        let mut pixels = vec![0u8; width * height * 4];
        for tile in 0..count {
            let (left, top) = (
                (tile % columns) * (cell_w + GAP),
                (tile / columns) * (cell_h + GAP),
            );
            for y in 0..tile_height {
                for x in 0..tile_width {
                    let rgba = colour(tile, x, y);
                    for dy in 0..scale {
                        let row = top + y * scale + dy;
                        let start = (row * width + left + x * scale) * 4;
                        for pixel in pixels[start..start + scale * 4].chunks_exact_mut(4) {
                            pixel.copy_from_slice(&rgba);
                        }
                    }
                }
            }
        }
        Mosaic {
            width,
            height,
            columns,
            rows,
            tile_width,
            tile_height,
            scale,
            pixels,
        }
    }
}

/// White at 0, red towards `t = 1`, blue towards `t = −1` (clamped).
pub fn diverging(t: f32) -> [u8; 4] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let fade = (255.0 * (1.0 - t.abs())).round() as u8;
    if t >= 0.0 {
        [255, fade, fade, 255]
    } else {
        [fade, fade, 255, 255]
    }
}

/// Black at 0, white at 1 (clamped).
pub fn grey(t: f32) -> [u8; 4] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let v = (255.0 * t).round() as u8;
    [v, v, v, 255]
}

fn largest_magnitude(values: &[f32]) -> f32 {
    values
        .iter()
        .fold(0.0f32, |m, &v| if v.abs() > m { v.abs() } else { m })
}

/// Convolution kernels `W[F][C][K][K]` as F tiles of K × K: in colour for
/// C = 3, else the mean over channels on the diverging map.
pub fn filter_mosaic(
    weights: &[f32],
    filters: usize,
    channels: usize,
    size: usize,
    scale: usize,
) -> Mosaic {
    let plane = size * size;
    let at =
        |f: usize, c: usize, x: usize, y: usize| weights[(f * channels + c) * plane + y * size + x];
    if channels == 3 {
        let low = weights.iter().copied().fold(f32::INFINITY, f32::min);
        let high = weights.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let span = if high > low { high - low } else { 1.0 };
        return Mosaic::new(filters, size, size, scale, |f, x, y| {
            let byte = |c| (255.0 * (at(f, c, x, y) - low) / span).round() as u8;
            [byte(0), byte(1), byte(2), 255]
        });
    }
    let mean = |f, x, y| (0..channels).map(|c| at(f, c, x, y)).sum::<f32>() / channels as f32;
    let means: Vec<f32> = (0..filters)
        .flat_map(|f| (0..plane).map(move |p| (f, p % size, p / size)))
        .map(|(f, x, y)| mean(f, x, y))
        .collect();
    let m = largest_magnitude(&means);
    let m = if m > 0.0 { m } else { 1.0 };
    Mosaic::new(filters, size, size, scale, |f, x, y| {
        diverging(means[f * plane + y * size + x] / m)
    })
}

/// One example's activations of `shape` as C tiles of H × W: grey when no
/// value is negative, else diverging, both scaled by the largest magnitude.
pub fn feature_mosaic(values: &[f32], shape: Shape, scale: usize) -> Mosaic {
    let m = largest_magnitude(values);
    let m = if m > 0.0 { m } else { 1.0 };
    let signed = values.iter().any(|&v| v < 0.0);
    let plane = shape.plane();
    Mosaic::new(
        shape.channels,
        shape.width,
        shape.height,
        scale,
        |c, x, y| {
            let v = values[c * plane + y * shape.width + x] / m;
            if signed {
                diverging(v)
            } else {
                grey(v)
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(m: &Mosaic, x: usize, y: usize) -> [u8; 4] {
        let i = (y * m.width + x) * 4;
        [
            m.pixels[i],
            m.pixels[i + 1],
            m.pixels[i + 2],
            m.pixels[i + 3],
        ]
    }

    #[test]
    fn five_tiles_of_2x1_scaled_by_2_in_a_3x2_grid() {
        let m = Mosaic::new(5, 2, 1, 2, |tile, x, _| [tile as u8, x as u8, 9, 255]);
        assert_eq!((m.columns, m.rows), (3, 2));
        assert_eq!((m.width, m.height), (3 * 4 + 2, 2 * 2 + 1));
        assert_eq!(pixel(&m, 0, 0), [0, 0, 9, 255]);
        assert_eq!(pixel(&m, 3, 1), [0, 1, 9, 255]);
        assert_eq!(pixel(&m, 4, 0), [0, 0, 0, 0], "the gap is transparent");
        assert_eq!(pixel(&m, 5, 0), [1, 0, 9, 255]);
        // Tile 4 is row 1, column 1: left 5, top 3, its second source pixel at x 7.
        assert_eq!(pixel(&m, 5, 3), [4, 0, 9, 255]);
        assert_eq!(pixel(&m, 8, 4), [4, 1, 9, 255]);
        assert_eq!(pixel(&m, 5, 2), [0, 0, 0, 0], "the gap between rows");
        assert_eq!(pixel(&m, 10, 3), [0, 0, 0, 0], "no sixth tile");
    }

    #[test]
    fn colour_maps_by_hand() {
        assert_eq!(diverging(0.0), [255, 255, 255, 255]);
        assert_eq!(diverging(1.0), [255, 0, 0, 255]);
        assert_eq!(diverging(-0.5), [128, 128, 255, 255]);
        assert_eq!(diverging(f32::NAN), [255, 255, 255, 255]);
        assert_eq!(grey(0.5), [128, 128, 128, 255]);
        assert_eq!(grey(2.0), [255, 255, 255, 255]);
    }

    #[test]
    fn filters_share_one_scale_and_colour_filters_keep_their_channels() {
        // Two 1×1 grey filters, weights 0.5 and −1: the largest magnitude is 1.
        let m = filter_mosaic(&[0.5, -1.0], 2, 1, 1, 1);
        assert_eq!(pixel(&m, 0, 0), diverging(0.5));
        assert_eq!(pixel(&m, 2, 0), [0, 0, 255, 255]);
        // One 1×1 RGB filter (R, G, B) = (−1, 0, 1): min −1, max 1.
        let m = filter_mosaic(&[-1.0, 0.0, 1.0], 1, 3, 1, 1);
        assert_eq!(pixel(&m, 0, 0), [0, 128, 255, 255]);
        // Two channels of one 1×1 filter are averaged: (0.2 + 0.6)/2 = 0.4 → full red.
        let m = filter_mosaic(&[0.2, 0.6], 1, 2, 1, 1);
        assert_eq!(pixel(&m, 0, 0), [255, 0, 0, 255]);
    }

    #[test]
    fn tiles_larger_than_a_pixel_keep_their_rows_and_columns() {
        // One 2×2 grey filter, row-major: (0,0) 0.25, (1,0) −0.5, (0,1) 1, (1,1) −1.
        let m = filter_mosaic(&[0.25, -0.5, 1.0, -1.0], 1, 1, 2, 1);
        assert_eq!((m.width, m.height), (2, 2));
        assert_eq!(pixel(&m, 0, 0), diverging(0.25));
        assert_eq!(pixel(&m, 1, 0), diverging(-0.5));
        assert_eq!(pixel(&m, 0, 1), diverging(1.0));
        assert_eq!(pixel(&m, 1, 1), diverging(-1.0));
        // One 2×2 feature map after ReLU: 0, 1 / 2, 4 (largest 4).
        let m = feature_mosaic(&[0.0, 1.0, 2.0, 4.0], Shape::new(1, 2, 2), 1);
        assert_eq!(pixel(&m, 0, 0), grey(0.0));
        assert_eq!(pixel(&m, 1, 0), grey(0.25));
        assert_eq!(pixel(&m, 0, 1), grey(0.5));
        assert_eq!(pixel(&m, 1, 1), grey(1.0));
    }

    #[test]
    fn feature_maps_are_grey_after_relu_and_diverging_with_negatives() {
        let shape = Shape::new(2, 1, 2);
        let m = feature_mosaic(&[0.0, 2.0, 1.0, 4.0], shape, 1);
        assert_eq!(pixel(&m, 0, 0), [0, 0, 0, 255]);
        assert_eq!(pixel(&m, 1, 0), grey(0.5));
        assert_eq!(pixel(&m, 4, 0), [255, 255, 255, 255]);
        let m = feature_mosaic(&[-2.0, 1.0, 0.0, 0.0], shape, 1);
        assert_eq!(pixel(&m, 0, 0), [0, 0, 255, 255]);
        assert_eq!(pixel(&m, 1, 0), diverging(0.5));
    }
}
