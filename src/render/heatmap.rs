//! A loss surface sampled on a pixel grid and coloured on a log scale,
//! with contour lines, into one RGBA buffer (drawn by one putImageData).

use super::colormap::ColorMap;
use super::contour::{for_each_line_pixel, NO_BAND};
use crate::error::{Error, Result};
use crate::objective::{Bounds, Objective};

/// The largest grid side accepted (a 2048² buffer is 16 MiB).
pub const MAX_SIDE: usize = 2048;

/// Number of contour bands across the log-scaled range.
const CONTOUR_BANDS: f64 = 14.0;

/// Colour of cells where the surface is not a finite number.
const NON_FINITE_RGBA: [u8; 4] = [120, 120, 120, 255];

/// What one rendering found, for the legend and for warnings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatmapStats {
    pub min: f64,
    pub max: f64,
    /// Cells whose value was NaN or infinite.
    pub non_finite: usize,
}

/// Owns the value grid and the RGBA pixels, reused between renderings.
pub struct Heatmap {
    width: usize,
    height: usize,
    values: Vec<f64>,
    bands: Vec<i32>,
    rgba: Vec<u8>,
    colors: ColorMap,
}

impl Heatmap {
    pub fn new(width: usize, height: usize) -> Result<Self> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(Error::new(format!(
                "heatmap size must be between 1×1 and {MAX_SIDE}×{MAX_SIDE}, got {width}×{height}"
            )));
        }
        Ok(Heatmap {
            width,
            height,
            values: vec![0.0; width * height],
            bands: vec![0; width * height],
            rgba: vec![0; width * height * 4],
            colors: ColorMap::new(),
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Row-major RGBA pixels, top row first (largest y at the top).
    pub fn rgba(&self) -> &[u8] {
        &self.rgba
    }

    /// The sampled values, row-major like the pixels.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Samples `f` at pixel centres over `view` and colours the result.
    pub fn render(&mut self, f: &dyn Objective, view: Bounds) -> Result<HeatmapStats> {
        let positive_finite = |v: f64| v > 0.0 && v.is_finite();
        if !positive_finite(view.width()) || !positive_finite(view.height()) {
            return Err(Error::new("the view must have a positive finite size"));
        }
        f.fill_grid(view, self.width, self.height, &mut self.values);
        let mut min = f64::INFINITY;
        let mut max = f64::NEG_INFINITY;
        let mut non_finite = 0;
        for &v in &self.values {
            if v.is_finite() {
                min = min.min(v);
                max = max.max(v);
            } else {
                non_finite += 1;
            }
        }
        self.colour(min, max);
        Ok(HeatmapStats {
            min,
            max,
            non_finite,
        })
    }

    /// Log-scaled levels: ln(1 + (v − min)/s) with s a thousandth of the
    /// range, so a deep narrow valley (Rosenbrock's) stays visible.
    fn colour(&mut self, min: f64, max: f64) {
        let range = max - min;
        let scale = if range > 0.0 && range.is_finite() {
            range * 1e-3
        } else {
            1.0
        };
        let top = (1.0 + range.max(0.0) / scale).ln().max(f64::MIN_POSITIVE);
        for (i, &v) in self.values.iter().enumerate() {
            let pixel = &mut self.rgba[i * 4..i * 4 + 4];
            if !v.is_finite() {
                pixel.copy_from_slice(&NON_FINITE_RGBA);
                self.bands[i] = NO_BAND;
                continue;
            }
            // Single precision is plenty for a colour and its logarithm is
            // cheaper in wasm (a software libm either way).
            let level = (((1.0 + (v - min) / scale) as f32).ln() as f64 / top).clamp(0.0, 1.0);
            pixel.copy_from_slice(&self.colors.at(level));
            self.bands[i] = (level * CONTOUR_BANDS) as i32;
        }
        self.draw_contours();
    }

    /// Darkens the pixels on contour lines.
    fn draw_contours(&mut self) {
        let rgba = &mut self.rgba;
        for_each_line_pixel(&self.bands, self.width, self.height, |i, _, _| {
            for c in &mut rgba[i * 4..i * 4 + 3] {
                *c = (*c as u16 * 3 / 5) as u8;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::{Hessian, Point};

    /// f = x, a plane: the colour must rise from left to right.
    struct Ramp;
    impl Objective for Ramp {
        fn value(&self, p: Point) -> f64 {
            if p[1] > 0.5 {
                f64::NAN
            } else {
                p[0]
            }
        }
        fn gradient(&self, _: Point) -> Point {
            [1.0, 0.0]
        }
        fn hessian(&self, _: Point) -> Hessian {
            [[0.0; 2]; 2]
        }
        fn bounds(&self) -> Bounds {
            Bounds {
                x_min: 0.0,
                x_max: 4.0,
                y_min: 0.0,
                y_max: 1.0,
            }
        }
        fn minima(&self) -> Vec<Point> {
            vec![]
        }
        fn default_start(&self) -> Point {
            [0.0, 0.0]
        }
    }

    #[test]
    fn samples_pixel_centres_top_row_first() {
        let mut map = Heatmap::new(4, 2).unwrap();
        let stats = map.render(&Ramp, Ramp.bounds()).unwrap();
        // Columns sample x = 0.5, 1.5, 2.5, 3.5; the top row (y = 0.75) is NaN.
        assert_eq!(&map.values()[4..], &[0.5, 1.5, 2.5, 3.5]);
        assert!(map.values()[..4].iter().all(|v| v.is_nan()));
        assert_eq!(stats.non_finite, 4);
        assert_eq!((stats.min, stats.max), (0.5, 3.5));
        assert_eq!(&map.rgba()[0..4], &NON_FINITE_RGBA);
        // Lowest value gets the darkest colour (possibly darkened by a contour).
        let lowest = &map.rgba()[16..20];
        let colors = ColorMap::new();
        let base = colors.at(0.0);
        assert!(lowest[0] <= base[0] && lowest[2] <= base[2]);
        // The highest cell is the bright end of the map, on no contour.
        assert_eq!(&map.rgba()[28..32], &colors.at(1.0));
    }

    #[test]
    fn contour_lines_darken_single_pixels_where_the_band_changes() {
        // Along the ramp's bottom row the colour map brightens smoothly; a
        // contour pixel is that colour at 3/5, so it stands out as a dip
        // below both neighbours. Without contours there would be none.
        let mut map = Heatmap::new(256, 2).unwrap();
        map.render(&Ramp, Ramp.bounds()).unwrap();
        let luma = |i: usize| {
            let p = &map.rgba()[(256 + i) * 4..(256 + i) * 4 + 3];
            0.3 * p[0] as f64 + 0.59 * p[1] as f64 + 0.11 * p[2] as f64
        };
        let dips: Vec<usize> = (1..255)
            .filter(|&i| luma(i) < 0.8 * luma(i - 1).min(luma(i + 1)))
            .collect();
        assert!(dips.len() >= 5, "contour pixels at {dips:?}");
        for &i in &dips {
            // A darkened pixel is 3/5 of a colour near its neighbours'.
            let ratio = luma(i) / luma(i + 1);
            assert!((0.5..0.7).contains(&ratio), "column {i}: ratio {ratio}");
        }
    }

    #[test]
    fn rejects_bad_sizes_and_views() {
        assert!(Heatmap::new(0, 10).is_err());
        assert!(Heatmap::new(10, MAX_SIDE + 1).is_err());
        let mut map = Heatmap::new(2, 2).unwrap();
        let flat = Bounds {
            x_min: 1.0,
            x_max: 1.0,
            y_min: 0.0,
            y_max: 1.0,
        };
        assert!(map.render(&Ramp, flat).is_err());
    }
}
