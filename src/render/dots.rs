//! Scatter dots: thousands of class-coloured discs, anti-aliased, into one
//! RGBA layer. A 2-D canvas without a GPU spends about 40 ms on 6 000 arcs;
//! stamping them here takes a few milliseconds, so a decision map with the
//! largest dataset the UI allows draws within a frame.

use crate::error::{Error, Result};

/// The largest layer side accepted (a 4096² layer is 64 MiB).
pub const MAX_DOT_LAYER_SIDE: usize = 4096;

/// The most class colours a style may give.
pub const MAX_DOT_COLORS: usize = 256;

/// How the dots of one `draw` look, in device pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct DotStyle {
    /// Radius of the circle the rim is centred on.
    pub radius: f64,
    /// Width of the rim (0: no rim).
    pub line_width: f64,
    /// Filled dots: class-coloured body, white rim (training points).
    /// Hollow dots: white body, class-coloured rim (validation points).
    pub hollow: bool,
    /// Class `c` is drawn in `colors[c % colors.len()]`.
    pub colors: Vec<[u8; 3]>,
}

const WHITE: [u8; 3] = [255, 255, 255];

/// An RGBA layer, transparent where no dot is, which dots are drawn onto.
pub struct DotLayer {
    width: usize,
    height: usize,
    rgba: Vec<u8>,
}

impl DotLayer {
    pub fn new(width: usize, height: usize) -> Result<Self> {
        let side = 1..=MAX_DOT_LAYER_SIDE;
        if !side.contains(&width) || !side.contains(&height) {
            return Err(Error::new(format!(
                "dot layer size must be between 1×1 and {MAX_DOT_LAYER_SIDE}×{MAX_DOT_LAYER_SIDE}, got {width}×{height}"
            )));
        }
        Ok(DotLayer {
            width,
            height,
            rgba: vec![0; width * height * 4],
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn rgba(&self) -> &[u8] {
        &self.rgba
    }

    /// Back to fully transparent.
    pub fn clear(&mut self) {
        self.rgba.fill(0);
    }

    /// Draws one dot per class in `classes` at the pixel position
    /// `(xy[2i], xy[2i + 1])` (x right, y down; pixel (i, j) covers
    /// [i, i + 1) × [j, j + 1)), over what is there. Classes are drawn in
    /// order, all of class 0 first, so a later class lies on top where dots
    /// overlap. Dots at a non-finite position are left out; parts outside
    /// the layer are clipped.
    pub fn draw(&mut self, xy: &[f32], classes: &[u8], style: &DotStyle) -> Result<()> {
        check_style(style)?;
        if xy.len() != 2 * classes.len() {
            return Err(Error::new(format!(
                "dots need two coordinates per class label: {} coordinates for {} labels",
                xy.len(),
                classes.len()
            )));
        }
        let palette = style.colors.len();
        for color in 0..palette {
            for (i, &class) in classes.iter().enumerate() {
                if class as usize % palette != color {
                    continue;
                }
                let (x, y) = (xy[2 * i] as f64, xy[2 * i + 1] as f64);
                if x.is_finite() && y.is_finite() {
                    self.stamp(x, y, style, style.colors[color]);
                }
            }
        }
        Ok(())
    }

    /// One dot: body inside `radius − line_width/2`, rim out to
    /// `radius + line_width/2`; each edge's coverage falls linearly over
    /// one pixel around it (measured from the pixel's centre). In f32 and
    /// with casts for rounding: `f64::round` is a library call in wasm, and
    /// it made this several times slower.
    fn stamp(&mut self, cx: f64, cy: f64, style: &DotStyle, color: [u8; 3]) {
        let outer = (style.radius + style.line_width / 2.0) as f32;
        let inner = (style.radius - style.line_width / 2.0) as f32;
        let (body, rim) = if style.hollow {
            (WHITE, color)
        } else {
            (color, WHITE)
        };
        let body_f = body.map(f32::from);
        let rim_f = rim.map(f32::from);
        // A pixel is touched when its centre is nearer than outer + 0.5, so
        // pixels from floor(c − outer) to ceil(c + outer) − 1 cover it.
        let reach = outer as f64;
        let columns = pixel_span(cx - reach, cx + reach, self.width);
        let rows = pixel_span(cy - reach, cy + reach, self.height);
        let touched = (outer + 0.5) * (outer + 0.5);
        let (cx, cy) = (cx as f32, cy as f32);
        for py in rows {
            let dy = py as f32 + 0.5 - cy;
            let row = py * self.width;
            for px in columns.clone() {
                let dx = px as f32 + 0.5 - cx;
                let d2 = dx * dx + dy * dy;
                if d2 >= touched {
                    continue;
                }
                let d = d2.sqrt();
                let all = (outer + 0.5 - d).clamp(0.0, 1.0);
                let of_body = (inner + 0.5 - d).clamp(0.0, 1.0);
                let at = (row + px) * 4;
                let pixel = &mut self.rgba[at..at + 4];
                if all >= 1.0 && (of_body >= 1.0 || of_body <= 0.0) {
                    // Wholly covered by one colour: no blending needed.
                    let solid = if of_body >= 1.0 { body } else { rim };
                    pixel.copy_from_slice(&[solid[0], solid[1], solid[2], 255]);
                    continue;
                }
                let mut mixed = [0.0; 3];
                for (c, m) in mixed.iter_mut().enumerate() {
                    *m = (of_body * body_f[c] + (all - of_body) * rim_f[c]) / all;
                }
                blend_over(pixel, mixed, all);
            }
        }
    }
}

fn check_style(style: &DotStyle) -> Result<()> {
    if !(style.radius.is_finite() && style.radius > 0.0 && style.radius <= 256.0) {
        return Err(Error::new(format!(
            "dot radius must be a number above 0 and at most 256 pixels, got {}",
            style.radius
        )));
    }
    if !(style.line_width.is_finite()
        && style.line_width >= 0.0
        && style.line_width <= 2.0 * style.radius)
    {
        return Err(Error::new(format!(
            "dot line width must be from 0 to twice the radius ({}), got {}",
            2.0 * style.radius,
            style.line_width
        )));
    }
    if style.colors.is_empty() || style.colors.len() > MAX_DOT_COLORS {
        return Err(Error::new(format!(
            "dots need 1 to {MAX_DOT_COLORS} class colours, got {}",
            style.colors.len()
        )));
    }
    Ok(())
}

/// The pixel indices from floor(from) to ceil(to) − 1, within `0..size`
/// (empty for NaN).
fn pixel_span(from: f64, to: f64, size: usize) -> std::ops::Range<usize> {
    let start = from.floor().max(0.0).min(size as f64) as usize;
    let end = to.ceil().max(0.0).min(size as f64) as usize;
    start..end.max(start)
}

/// Source-over with straight (not premultiplied) alpha, as ImageData holds it.
fn blend_over(pixel: &mut [u8], color: [f32; 3], alpha: f32) {
    let under = pixel[3] as f32 / 255.0;
    let kept = under * (1.0 - alpha);
    let out = alpha + kept;
    for c in 0..3 {
        pixel[c] = to_byte((color[c] * alpha + pixel[c] as f32 * kept) / out);
    }
    pixel[3] = to_byte(out * 255.0);
}

/// Rounds a value in 0 ..= 255 to the nearest byte (halves up).
fn to_byte(value: f32) -> u8 {
    (value + 0.5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: [u8; 3] = [200, 30, 40];
    const BLUE: [u8; 3] = [20, 60, 220];

    fn style(radius: f64, line_width: f64, hollow: bool) -> DotStyle {
        DotStyle {
            radius,
            line_width,
            hollow,
            colors: vec![RED, BLUE],
        }
    }

    fn pixel(layer: &DotLayer, x: usize, y: usize) -> [u8; 4] {
        let at = (y * layer.width() + x) * 4;
        layer.rgba()[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn a_filled_dot_has_its_class_colour_inside_a_white_rim_and_nothing_outside() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        // Centre on pixel (10, 10)'s centre: distances are whole numbers along the row.
        layer
            .draw(&[10.5, 10.5], &[0], &style(4.0, 1.0, false))
            .unwrap();
        assert_eq!(pixel(&layer, 10, 10), [200, 30, 40, 255]);
        // d = 3: body edge at 3.5, fully inside.
        assert_eq!(pixel(&layer, 13, 10), [200, 30, 40, 255]);
        // d = 4: on the rim (3.5 … 4.5): body coverage 0, rim coverage 1.
        assert_eq!(pixel(&layer, 14, 10), [255, 255, 255, 255]);
        // d = 5: coverage 4.5 + 0.5 − 5 = 0: untouched.
        assert_eq!(pixel(&layer, 15, 10), [0, 0, 0, 0]);
        assert_eq!(pixel(&layer, 10, 15), [0, 0, 0, 0]);
        assert_eq!(pixel(&layer, 0, 0), [0, 0, 0, 0]);
    }

    #[test]
    fn edges_are_anti_aliased_by_the_covered_fraction() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        // Centre on a pixel corner: pixel (14, 10)'s centre is at d = √(4.5² + 0.5²).
        layer
            .draw(&[10.0, 10.0], &[0], &style(4.0, 1.0, false))
            .unwrap();
        // Pixel (13, 9): centre (13.5, 9.5), d = √(3.5² + 0.5²) = 3.5355…:
        // rim coverage 1, body coverage 4 − 3.5355 = 0.4645.
        let d: f64 = (3.5f64 * 3.5 + 0.25).sqrt();
        let body = 4.0 - d;
        let expected = |c: u8| (body * c as f64 + (1.0 - body) * 255.0).round() as u8;
        assert_eq!(
            pixel(&layer, 13, 9),
            [expected(200), expected(30), expected(40), 255]
        );
        // Pixel (14, 9): d = √(4.5² + 0.5²) = 4.5277: rim coverage 5 − d = 0.4723, white.
        let alpha = 5.0 - (4.5f64 * 4.5 + 0.25).sqrt();
        assert_eq!(
            pixel(&layer, 14, 9),
            [255, 255, 255, (alpha * 255.0).round() as u8]
        );
    }

    #[test]
    fn the_faintest_edge_pixels_on_every_side_are_drawn() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        // Outer edge at 4.5 around (10.2, 10.7): the pixels whose centres lie
        // just within 5 of it on each side get a sliver of coverage.
        layer
            .draw(&[10.2, 10.7], &[0], &style(4.0, 1.0, false))
            .unwrap();
        let alpha = |x: usize, y: usize| {
            let d = ((x as f64 + 0.5 - 10.2).powi(2) + (y as f64 + 0.5 - 10.7).powi(2)).sqrt();
            ((5.0 - d).clamp(0.0, 1.0) * 255.0).round() as u8
        };
        // Left (d = 4.7), right (d = 4.3), top (d = 4.2… from 10.7 − 6.5), bottom.
        for (x, y) in [(5, 10), (14, 10), (10, 6), (10, 15)] {
            assert!(alpha(x, y) > 0, "({x}, {y}) is meant to be a touched pixel");
            let got = pixel(&layer, x, y);
            assert!(
                got[3].abs_diff(alpha(x, y)) <= 1,
                "({x}, {y}): {got:?}, alpha {}",
                alpha(x, y)
            );
        }
        // One further out on each side: untouched.
        for (x, y) in [(4, 10), (15, 10), (10, 5), (10, 16)] {
            assert_eq!(alpha(x, y), 0);
            assert_eq!(pixel(&layer, x, y), [0, 0, 0, 0]);
        }
    }

    #[test]
    fn a_dot_smaller_than_a_pixel_on_a_corner_touches_the_four_pixels_around_it() {
        let mut layer = DotLayer::new(10, 10).unwrap();
        // Outer edge at 1.0 around the corner (5, 5): the four pixel centres
        // around it are √0.5 away, coverage 1.5 − √0.5 = 0.793; the next
        // ones are √2.5 > 1.5 away.
        layer
            .draw(&[5.0, 5.0], &[0], &style(0.75, 0.5, false))
            .unwrap();
        let alpha = ((1.5 - 0.5f64.sqrt()) * 255.0).round() as u8;
        for y in 0..10 {
            for x in 0..10 {
                let expected = if (4..=5).contains(&x) && (4..=5).contains(&y) {
                    alpha
                } else {
                    0
                };
                assert_eq!(pixel(&layer, x, y)[3], expected, "({x}, {y})");
            }
        }
    }

    #[test]
    fn a_layer_has_its_size_and_clears_to_transparent() {
        let mut layer = DotLayer::new(7, 5).unwrap();
        assert_eq!(
            (layer.width(), layer.height(), layer.rgba().len()),
            (7, 5, 7 * 5 * 4)
        );
        layer
            .draw(&[3.5, 2.5], &[0], &style(2.0, 1.0, false))
            .unwrap();
        assert!(layer.rgba().iter().any(|&b| b != 0));
        layer.clear();
        assert!(layer.rgba().iter().all(|&b| b == 0));
    }

    #[test]
    fn styles_at_the_limits_are_accepted() {
        let mut layer = DotLayer::new(8, 8).unwrap();
        // Line widths up to twice the radius; the radius up to 256; 256 colours.
        for (radius, width) in [(4.0, 7.0), (4.0, 8.0), (256.0, 0.0), (0.01, 0.0)] {
            layer
                .draw(&[4.0, 4.0], &[0], &style(radius, width, false))
                .unwrap();
        }
        let mut many = style(4.0, 1.0, false);
        many.colors = vec![RED; 256];
        layer.draw(&[4.0, 4.0], &[255], &many).unwrap();
        many.colors.push(BLUE);
        assert!(layer
            .draw(&[4.0, 4.0], &[0], &many)
            .unwrap_err()
            .to_string()
            .contains("1 to 256"));
    }

    #[test]
    fn a_hollow_dot_is_white_inside_a_class_coloured_rim() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        layer
            .draw(&[10.5, 10.5], &[1], &style(4.0, 2.0, true))
            .unwrap();
        assert_eq!(pixel(&layer, 10, 10), [255, 255, 255, 255]);
        // d = 4 with a 2-pixel rim (3 … 5): rim colour.
        assert_eq!(pixel(&layer, 14, 10), [20, 60, 220, 255]);
        // d = 5: rim coverage 5 + 0.5 − 5 = 0.5, body 0: half-covered blue.
        assert_eq!(pixel(&layer, 15, 10), [20, 60, 220, 128]);
    }

    #[test]
    fn a_later_class_lies_over_an_earlier_one_whatever_the_point_order() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        // Blue (class 1) comes first in the list but is drawn after red.
        layer
            .draw(&[10.5, 10.5, 10.5, 10.5], &[1, 0], &style(4.0, 1.0, false))
            .unwrap();
        assert_eq!(pixel(&layer, 10, 10), [20, 60, 220, 255]);
        // Classes past the palette wrap: class 2 is red again.
        layer.clear();
        layer
            .draw(&[10.5, 10.5], &[2], &style(4.0, 1.0, false))
            .unwrap();
        assert_eq!(pixel(&layer, 10, 10), [200, 30, 40, 255]);
    }

    #[test]
    fn a_half_covered_edge_blends_over_what_is_below() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        // An opaque red dot, then a blue one of radius 4.5 centred 4.5 px to
        // the right of pixel (10, 10)'s centre: there its coverage is
        // 4.5 + 0.5 − 4.5 = 0.5, so the pixel is the mean of both, opaque.
        layer
            .draw(&[10.5, 10.5], &[0], &style(4.0, 0.0, false))
            .unwrap();
        layer
            .draw(&[15.0, 10.5], &[1], &style(4.5, 0.0, false))
            .unwrap();
        assert_eq!(pixel(&layer, 10, 10), [110, 45, 130, 255]);
        // One pixel further in (d = 3.5) blue covers red fully.
        assert_eq!(pixel(&layer, 11, 10), [20, 60, 220, 255]);
    }

    #[test]
    fn dots_off_the_layer_are_clipped_and_non_finite_ones_left_out() {
        let mut layer = DotLayer::new(8, 6).unwrap();
        let points = [
            -2.5,
            3.5, // mostly left of the layer
            9.5,
            5.5, // right and below, its rim reaches in
            f32::NAN,
            2.0,
            f32::INFINITY,
            1.0,
            1e30,
            -1e30,
        ];
        layer
            .draw(&points, &[0, 1, 0, 1, 0], &style(4.0, 1.0, false))
            .unwrap();
        // (−2.5, 3.5) reaches in: pixel (0, 3) is at d = 3, inside the body.
        assert_eq!(pixel(&layer, 0, 3), [200, 30, 40, 255]);
        // The blue dot at (9.5, 5.5): pixel (7, 5) is at d = 2, inside.
        assert_eq!(pixel(&layer, 7, 5), [20, 60, 220, 255]);
        // Far from both: untouched.
        assert_eq!(pixel(&layer, 4, 0), [0, 0, 0, 0]);
    }

    #[test]
    fn a_line_width_of_zero_draws_bodies_only() {
        let mut layer = DotLayer::new(24, 24).unwrap();
        layer
            .draw(&[10.5, 10.5], &[0], &style(4.0, 0.0, false))
            .unwrap();
        // d = 4: body coverage 4 + 0.5 − 4 = 0.5, no white anywhere.
        assert_eq!(pixel(&layer, 14, 10), [200, 30, 40, 128]);
        assert!(layer
            .rgba()
            .chunks(4)
            .all(|p| p[3] == 0 || p[..3] == [200, 30, 40]));
    }

    #[test]
    fn bad_sizes_styles_and_lengths_are_refused_with_a_message() {
        assert!(DotLayer::new(0, 5).is_err());
        assert!(DotLayer::new(5, MAX_DOT_LAYER_SIDE + 1).is_err());
        assert!(DotLayer::new(MAX_DOT_LAYER_SIDE, 1).is_ok());
        let mut layer = DotLayer::new(8, 8).unwrap();
        let refused = |layer: &mut DotLayer, xy: &[f32], classes: &[u8], s: DotStyle| {
            layer.draw(xy, classes, &s).unwrap_err().to_string()
        };
        for radius in [0.0, -1.0, f64::NAN, f64::INFINITY, 300.0] {
            let message = refused(&mut layer, &[1.0, 1.0], &[0], style(radius, 0.0, false));
            assert!(message.contains("radius"), "{message}");
        }
        for width in [-0.5, f64::NAN, 8.5] {
            let message = refused(&mut layer, &[1.0, 1.0], &[0], style(4.0, width, false));
            assert!(message.contains("line width"), "{message}");
        }
        let mut no_colors = style(4.0, 1.0, false);
        no_colors.colors.clear();
        assert!(refused(&mut layer, &[1.0, 1.0], &[0], no_colors).contains("colour"));
        let message = refused(&mut layer, &[1.0, 1.0, 2.0], &[0], style(4.0, 1.0, false));
        assert!(message.contains("3 coordinates for 1 labels"), "{message}");
        // Refused draws leave the layer as it was.
        assert!(layer.rgba().iter().all(|&b| b == 0));
    }
}
