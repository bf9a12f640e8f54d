//! Contour lines alone, on a transparent RGBA buffer, to lay over a
//! heatmap: the local quadratic model of a second-order method.

use super::contour::{for_each_line_pixel, NO_BAND};
use super::heatmap::MAX_SIDE;
use crate::error::{Error, Result};
use crate::objective::{Bounds, Point};

/// Contour levels on each side of the centre level.
const LEVELS: f64 = 6.0;
const LINE_RGBA: [u8; 4] = [255, 255, 255, 170];
const CENTRE_RGBA: [u8; 4] = [255, 214, 10, 255];

pub struct ContourOverlay {
    width: usize,
    height: usize,
    bands: Vec<i32>,
    rgba: Vec<u8>,
}

impl ContourOverlay {
    pub fn new(width: usize, height: usize) -> Result<Self> {
        if width < 2 || height < 2 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(Error::new(format!(
                "overlay size must be between 2×2 and {MAX_SIDE}×{MAX_SIDE}, got {width}×{height}"
            )));
        }
        Ok(ContourOverlay {
            width,
            height,
            bands: vec![0; width * height],
            rgba: vec![0; width * height * 4],
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Row-major RGBA, top row (largest y) first.
    pub fn rgba(&self) -> &[u8] {
        &self.rgba
    }

    /// Draws contours of `f` over `view`. Levels are equally spaced in
    /// sign(f − c)·√|f − c|, so a quadratic's contours are equally spaced
    /// in distance from its centre; the level through `centre` (the value
    /// at the current point) is drawn in yellow.
    pub fn draw(&mut self, f: &dyn Fn(Point) -> f64, view: Bounds, centre: f64) {
        let (w, h) = (self.width, self.height);
        let mut transformed = vec![0.0; w * h];
        let mut largest: f64 = 0.0;
        for row in 0..h {
            let y = view.y_max - (row as f64 + 0.5) / h as f64 * view.height();
            for col in 0..w {
                let x = view.x_min + (col as f64 + 0.5) / w as f64 * view.width();
                let d = f([x, y]) - centre;
                let s = d.signum() * d.abs().sqrt();
                transformed[row * w + col] = s;
                if s.is_finite() {
                    largest = largest.max(s.abs());
                }
            }
        }
        let spacing = if largest > 0.0 { largest / LEVELS } else { 1.0 };
        for (band, s) in self.bands.iter_mut().zip(&transformed) {
            // Bands split at 0 so the line through the current point is exact.
            *band = if s.is_finite() {
                if *s >= 0.0 {
                    (s / spacing).floor() as i32
                } else {
                    -((-s / spacing).floor() as i32) - 1
                }
            } else {
                NO_BAND
            };
        }
        self.rgba.fill(0);
        let rgba = &mut self.rgba;
        for_each_line_pixel(&self.bands, w, h, |i, band, neighbours| {
            // A sign change of the band is the level through the current point.
            let crosses_centre = neighbours
                .iter()
                .flatten()
                .any(|&other| (other < 0) != (band < 0));
            let colour = if crosses_centre {
                CENTRE_RGBA
            } else {
                LINE_RGBA
            };
            rgba[i * 4..i * 4 + 4].copy_from_slice(&colour);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circles_of_a_round_bowl_and_the_centre_line() {
        let mut overlay = ContourOverlay::new(41, 41).unwrap();
        let view = Bounds {
            x_min: -1.0,
            x_max: 1.0,
            y_min: -1.0,
            y_max: 1.0,
        };
        // f = x² + y², centre value 0.25: the yellow line is the circle r = 0.5.
        overlay.draw(&|p| p[0] * p[0] + p[1] * p[1], view, 0.25);
        // Read through the accessor the wasm API hands to JS.
        let rgba = overlay.rgba();
        assert_eq!(rgba.len(), 41 * 41 * 4);
        let pixel = |col: usize, row: usize| {
            let i = (row * 41 + col) * 4;
            [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
        };
        let mut yellow_radii = Vec::new();
        for row in 0..41 {
            for col in 0..41 {
                if pixel(col, row) == CENTRE_RGBA {
                    let x = -1.0 + (col as f64 + 0.5) / 41.0 * 2.0;
                    let y = 1.0 - (row as f64 + 0.5) / 41.0 * 2.0;
                    yellow_radii.push(x.hypot(y));
                }
            }
        }
        assert!(yellow_radii.len() > 20, "the centre contour is drawn");
        assert!(
            yellow_radii.iter().all(|r| (r - 0.5).abs() < 0.08),
            "{yellow_radii:?}"
        );
        // Away from every line the overlay is transparent.
        assert_eq!(pixel(20, 20)[3], 0);
        assert!(ContourOverlay::new(1, 10).is_err());
    }
}
