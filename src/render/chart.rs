//! Line charts (loss curves, schedules) drawn by plotters on any backend;
//! the wasm layer hands it a canvas.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::{Error, Result};

/// One curve: y at x = 0, 1, 2, … (one value per step).
pub struct Series<'a> {
    pub values: &'a [f64],
    pub color: (u8, u8, u8),
    /// Drawn thicker when the series is the one in focus.
    pub emphasised: bool,
}

pub struct ChartSpec<'a> {
    pub series: Vec<Series<'a>>,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Log-scaled y axis (values ≤ 0 are then left out).
    pub log_y: bool,
    /// Subtracted from every value before plotting (e.g. the minimum f*,
    /// so a log axis shows f − f*).
    pub offset: f64,
    /// Smallest x range shown, so short runs do not fill the width.
    pub min_x_extent: usize,
    /// A vertical marker line at this x (the current step), if any.
    pub marker_x: Option<f64>,
    /// Pixel scale of text and lines (the device pixel ratio).
    pub scale: f64,
}

fn plot_error<E: std::fmt::Debug>(e: E) -> Error {
    Error::new(format!("chart drawing failed: {e:?}"))
}

/// Draws `spec` filling `area`.
pub fn draw_line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let scale = spec.scale.clamp(0.5, 4.0);
    let px = |v: f64| (v * scale).round() as u32;
    let longest = spec
        .series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(0);
    let x_max = longest.max(spec.min_x_extent).max(2) as f64 - 1.0;
    let usable = |v: f64| usable(spec, v);
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(px(8.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(58.0));
    let axis = y_axis(spec);
    if axis.log {
        let y_range = (axis.low..axis.high)
            .log_scale()
            .with_key_points(log_ticks(axis.low, axis.high));
        let chart = builder
            .build_cartesian_2d(0f64..x_max, y_range)
            .map_err(plot_error)?;
        draw_mesh_and_series(chart, spec, (axis.low, axis.high), &usable)?;
    } else {
        let chart = builder
            .build_cartesian_2d(0f64..x_max, axis.low..axis.high)
            .map_err(plot_error)?;
        draw_mesh_and_series(chart, spec, (axis.low, axis.high), &usable)?;
    }
    area.present().map_err(plot_error)?;
    Ok(())
}

/// Whether a series value (before the offset is taken off) can be plotted.
fn usable(spec: &ChartSpec, shifted: f64) -> bool {
    shifted.is_finite() && (!spec.log_y || shifted > 0.0)
}

/// A chart's y axis: the range it spans and whether it is logarithmic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YAxis {
    pub low: f64,
    pub high: f64,
    pub log: bool,
}

/// The y axis for `spec`'s plottable values (after the offset): a log axis
/// with headroom (×1.5) when asked for and the values span a decade or more,
/// else a linear one padded by 5 % of the range. No values: 0…1 (log:
/// 0.001…1). All values equal: widened by 10 % of the value (±1 at zero)
/// first, so the line sits mid-chart.
pub fn y_axis(spec: &ChartSpec) -> YAxis {
    let mut y_min = f64::INFINITY;
    let mut y_max = f64::NEG_INFINITY;
    for s in &spec.series {
        for v in s
            .values
            .iter()
            .map(|v| v - spec.offset)
            .filter(|v| usable(spec, *v))
        {
            y_min = y_min.min(v);
            y_max = y_max.max(v);
        }
    }
    if !y_min.is_finite() {
        (y_min, y_max) = if spec.log_y { (1e-3, 1.0) } else { (0.0, 1.0) };
    }
    if y_max <= y_min {
        // Plottable log values are positive, so 0.9 of one stays positive.
        let pad = if y_min == 0.0 { 1.0 } else { y_min.abs() * 0.1 };
        (y_min, y_max) = (y_min - pad, y_max + pad);
    }
    // Within one decade a log axis gets a single tick label and shows
    // nothing a linear one would not: use it only for wider ranges.
    if spec.log_y && y_max >= 10.0 * y_min {
        YAxis {
            low: y_min,
            high: y_max * 1.5,
            log: true,
        }
    } else {
        let pad = (y_max - y_min) * 0.05;
        YAxis {
            low: y_min - pad,
            high: y_max + pad,
            log: false,
        }
    }
}

/// Axes, grid, curves and the marker, for either kind of y axis.
fn draw_mesh_and_series<DB, Y>(
    mut chart: ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>,
    spec: &ChartSpec,
    (y_low, y_high): (f64, f64),
    usable: &dyn Fn(f64) -> bool,
) -> Result<()>
where
    DB: DrawingBackend,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let scale = spec.scale.clamp(0.5, 4.0);
    let px = |v: f64| (v * scale).round() as u32;
    let font = ("sans-serif", px(12.0)).into_font();
    chart
        .configure_mesh()
        .x_desc(spec.x_label)
        .y_desc(spec.y_label)
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_label_formatter(&|v| format_tick(*v))
        .y_label_formatter(&|v| format_tick(*v))
        .light_line_style(RGBColor(236, 236, 236))
        .draw()
        .map_err(plot_error)?;
    // A curve of 20 000 steps on a few hundred pixel columns: drawing
    // every point costs hundreds of milliseconds and shows nothing more.
    let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    let x_max = chart.x_range().end;
    for s in &spec.series {
        // One-pixel lines: browsers rasterise strokes up to a pixel wide on a
        // fast path; at 1.5 px a noisy 20 000-step curve took ~10× longer to
        // rasterise without a GPU (tens of milliseconds a redraw).
        let style = ShapeStyle::from(RGBColor(s.color.0, s.color.1, s.color.2))
            .stroke_width(px(if s.emphasised { 2.0 } else { 1.0 }));
        let points = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64, v - spec.offset))
            .filter(|(_, v)| usable(*v));
        chart
            .draw_series(LineSeries::new(decimate(points, x_max, columns), style))
            .map_err(plot_error)?;
    }
    if let Some(x) = spec.marker_x {
        chart
            .draw_series(LineSeries::new(
                [(x, y_low), (x, y_high)],
                ShapeStyle::from(BLACK.mix(0.5)).stroke_width(px(1.0)),
            ))
            .map_err(plot_error)?;
    }
    Ok(())
}

/// The points of a curve worth drawing on `columns` pixel columns spanning
/// x = 0 ..= `x_max`: in each column its first, lowest, highest and last
/// point, in the curve's order. The line through them covers the same
/// pixels of each column as the whole curve (its vertical extent and its
/// joins to the neighbouring columns), with at most four points a column.
pub fn decimate(
    points: impl Iterator<Item = (f64, f64)>,
    x_max: f64,
    columns: usize,
) -> Vec<(f64, f64)> {
    let columns = columns.max(1);
    let per_x = if x_max > 0.0 {
        columns as f64 / x_max
    } else {
        0.0
    };
    let column_of = |x: f64| ((x * per_x).max(0.0) as usize).min(columns - 1);
    let mut out = Vec::new();
    // The open column: its index and first, lowest, highest, last point.
    let mut open: Option<(usize, [(f64, f64); 4])> = None;
    let flush = |out: &mut Vec<(f64, f64)>, kept: [(f64, f64); 4]| {
        let mut kept = kept;
        kept.sort_by(|a, b| a.0.total_cmp(&b.0));
        for p in kept {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    };
    for p in points {
        let c = column_of(p.0);
        match &mut open {
            Some((column, kept)) if *column == c => {
                if p.1 < kept[1].1 {
                    kept[1] = p;
                }
                if p.1 > kept[2].1 {
                    kept[2] = p;
                }
                kept[3] = p;
            }
            _ => {
                if let Some((_, kept)) = open.take() {
                    flush(&mut out, kept);
                }
                open = Some((c, [p; 4]));
            }
        }
    }
    if let Some((_, kept)) = open {
        flush(&mut out, kept);
    }
    out
}

/// Tick values for a log axis over [low, high]: powers of ten, with 2 and
/// 5 times them when the range spans few decades (plotters' own choice
/// leaves a one-and-a-half-decade axis with a single label), and every
/// other power when it spans many.
pub fn log_ticks(low: f64, high: f64) -> Vec<f64> {
    if !(low > 0.0 && high > low && high.is_finite()) {
        return Vec::new();
    }
    let first = low.log10().floor() as i32;
    let last = high.log10().ceil() as i32;
    let span = (high / low).log10();
    let (multiples, stride): (&[f64], i32) = if span <= 2.5 {
        (&[1.0, 2.0, 5.0], 1)
    } else {
        (&[1.0], (span / 8.0).ceil().max(1.0) as i32)
    };
    // A hair of slack so a power of ten at an end of the range is kept.
    let (lo, hi) = (low * (1.0 - 1e-9), high * (1.0 + 1e-9));
    let mut ticks = Vec::new();
    for exponent in (first..=last).filter(|e| (e - first) % stride == 0) {
        for m in multiples {
            let v = m * 10f64.powi(exponent);
            if v >= lo && v <= hi {
                ticks.push(v);
            }
        }
    }
    ticks
}

/// Short tick labels: 0.001 → "1e-3", 12.5 → "12.5".
pub fn format_tick(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs();
    if !(1e-2..1e4).contains(&magnitude) {
        let exponent = magnitude.log10().floor() as i32;
        let mantissa = v / 10f64.powi(exponent);
        if (mantissa.abs() - 1.0).abs() < 1e-9 {
            return format!("{}1e{exponent}", if v < 0.0 { "-" } else { "" });
        }
        return format!("{mantissa:.1}e{exponent}");
    }
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::format_tick;
    use super::{draw_line_chart, y_axis, ChartSpec, Series, YAxis};
    use plotters::prelude::*;
    use plotters_backend::{
        BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    };
    use std::cell::RefCell;
    use std::rc::Rc;

    fn axis_of(values: &[f64], log_y: bool, offset: f64) -> YAxis {
        y_axis(&ChartSpec {
            series: vec![Series {
                values,
                color: (0, 0, 0),
                emphasised: false,
            }],
            x_label: "",
            y_label: "",
            log_y,
            offset,
            min_x_extent: 0,
            marker_x: None,
            scale: 1.0,
        })
    }

    fn assert_axis(got: YAxis, low: f64, high: f64, log: bool) {
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        assert!(
            near(got.low, low) && near(got.high, high) && got.log == log,
            "{got:?}, expected {low}..{high} log {log}"
        );
    }

    /// One stroked path: its points, colour, width and opacity.
    type Stroke = (Vec<(i32, i32)>, (u8, u8, u8), u32, f64);

    /// What a chart drew: every stroked path and text.
    #[derive(Default)]
    struct Drawn {
        paths: Vec<Stroke>,
        texts: Vec<String>,
    }

    /// A plotters backend that records paths and texts instead of pixels.
    struct Recorder {
        size: (u32, u32),
        drawn: Rc<RefCell<Drawn>>,
    }

    impl DrawingBackend for Recorder {
        type ErrorType = std::io::Error;
        fn get_size(&self) -> (u32, u32) {
            self.size
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_pixel(
            &mut self,
            _: BackendCoord,
            _: BackendColor,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.draw_path([from, to], style)
        }
        fn draw_rect<S: BackendStyle>(
            &mut self,
            _: BackendCoord,
            _: BackendCoord,
            _: &S,
            _: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            Ok(())
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            let BackendColor { rgb, alpha } = style.color();
            let points = path.into_iter().collect();
            self.drawn
                .borrow_mut()
                .paths
                .push((points, rgb, style.stroke_width(), alpha));
            Ok(())
        }
        fn draw_text<T: BackendTextStyle>(
            &mut self,
            text: &str,
            _: &T,
            _: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.drawn.borrow_mut().texts.push(text.to_string());
            Ok(())
        }
        fn estimate_text_size<T: BackendTextStyle>(
            &self,
            text: &str,
            _: &T,
        ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
            Ok((7 * text.chars().count() as u32, 12))
        }
    }

    const RED: (u8, u8, u8) = (230, 25, 75);
    const BLUE: (u8, u8, u8) = (67, 99, 216);

    /// Draws one or two series (red, then blue emphasised) on a `width × height` recorder.
    fn record(
        red: &[f64],
        blue: &[f64],
        (width, height): (u32, u32),
        tweak: impl FnOnce(&mut ChartSpec),
    ) -> Drawn {
        let drawn = Rc::new(RefCell::new(Drawn::default()));
        let area = Recorder {
            size: (width, height),
            drawn: drawn.clone(),
        }
        .into_drawing_area();
        let mut spec = ChartSpec {
            series: vec![
                Series {
                    values: red,
                    color: RED,
                    emphasised: false,
                },
                Series {
                    values: blue,
                    color: BLUE,
                    emphasised: true,
                },
            ],
            x_label: "step",
            y_label: "loss",
            log_y: false,
            offset: 0.0,
            min_x_extent: 0,
            marker_x: None,
            scale: 1.0,
        };
        tweak(&mut spec);
        draw_line_chart(&area, &spec).unwrap();
        drop(area);
        Rc::try_unwrap(drawn).ok().unwrap().into_inner()
    }

    /// The one path drawn in `color`: its points and stroke width.
    fn curve(drawn: &Drawn, color: (u8, u8, u8)) -> (Vec<(i32, i32)>, u32) {
        let mut found = drawn.paths.iter().filter(|p| p.1 == color);
        let (points, _, width, _) = found.next().expect("the curve was drawn");
        assert!(found.next().is_none(), "one path per curve");
        (points.clone(), *width)
    }

    fn x_span(points: &[(i32, i32)]) -> (i32, i32) {
        let xs = points.iter().map(|p| p.0);
        (xs.clone().min().unwrap(), xs.max().unwrap())
    }

    #[test]
    fn curves_span_the_steps_at_the_device_scale() {
        let line: Vec<f64> = (0..100).map(f64::from).collect();
        let full = record(&line, &line, (600, 300), |_| {});
        let (red, red_width) = curve(&full, RED);
        let (_, blue_width) = curve(&full, BLUE);
        assert_eq!((red_width, blue_width), (1, 2), "1 px, 2 px emphasised");
        // Steps 0…99 fill the plot's width: left of it the 8 px margin and
        // the 58 px label area, right of it the 8 px margin.
        let (left, right) = x_span(&red);
        assert!((left - 66).abs() <= 1, "starts at {left}");
        assert!((right - 591).abs() <= 1, "ends at {right}");
        // With room for 199 steps the same 100 take half the width.
        let room = record(&line, &line, (600, 300), |s| s.min_x_extent = 200);
        let (l, r) = x_span(&curve(&room, RED).0);
        let half = f64::from(right - left) * 99.0 / 199.0;
        assert!((f64::from(r - l) - half).abs() <= 1.5, "{l}…{r}");
        // Twice the device scale: margins, label area and strokes double.
        let sharp = record(&line, &line, (1200, 600), |s| s.scale = 2.0);
        let (sharp_red, sharp_width) = curve(&sharp, RED);
        assert_eq!(sharp_width, 2);
        assert_eq!(curve(&sharp, BLUE).1, 4);
        let (l2, r2) = x_span(&sharp_red);
        assert!((l2 - 132).abs() <= 2 && (r2 - 1183).abs() <= 2, "{l2}…{r2}");
        assert!(full.texts.iter().any(|t| t == "step") && full.texts.iter().any(|t| t == "loss"));
    }

    #[test]
    fn values_sit_at_their_height_and_the_marker_spans_the_plot() {
        // y from 1 to 3: the axis runs 0.9…3.1, so 3 is 0.1 / 2.2 of the
        // plot's height below its top and 1 as far above its bottom.
        let drawn = record(&[1.0, 3.0], &[], (600, 300), |s| s.marker_x = Some(0.5));
        let (red, _) = curve(&drawn, RED);
        // The plot spans y = 8 (top margin) … 300 − 8 − 34 (x label area) = 258.
        let (top, bottom) = (8.0, 258.0);
        let at = |v: f64| bottom - (v - 0.9) / 2.2 * (bottom - top);
        assert!((f64::from(red[0].1) - at(1.0)).abs() <= 1.5, "{red:?}");
        assert!((f64::from(red[1].1) - at(3.0)).abs() <= 1.5, "{red:?}");
        // The marker: a vertical line half way along, from the axis' bottom to its top.
        let marker = drawn
            .paths
            .iter()
            .find(|p| p.1 == (0, 0, 0) && p.3 == 0.5)
            .expect("a vertical marker");
        assert!((marker.0[0].0 - (66 + 591) / 2).abs() <= 1, "{marker:?}");
        let ys = [marker.0[0].1, marker.0[1].1];
        assert!(
            (f64::from(ys[0].max(ys[1])) - bottom).abs() <= 1.5,
            "{ys:?}"
        );
        assert!((f64::from(ys[0].min(ys[1])) - top).abs() <= 1.5, "{ys:?}");
        // Log axis with an offset: 1 + 1 … 100 + 1 is plotted as 1 … 100 on
        // 1 … 150, so 10 sits at log(150/10) / log(150) of the height from the top.
        let rising: Vec<f64> = [1.0, 10.0, 100.0].iter().map(|v| v + 1.0).collect();
        let log = record(&rising, &[], (600, 300), |s| {
            s.log_y = true;
            s.offset = 1.0;
        });
        let (points, _) = curve(&log, RED);
        let ten = bottom - (1.0 - (150f64 / 10.0).log10() / 150f64.log10()) * (bottom - top);
        assert!((f64::from(points[1].1) - ten).abs() <= 1.5, "{points:?}");
    }

    #[test]
    fn y_axis_by_hand() {
        // Linear: 1…3 padded by 5 % of 2 = 0.1; NaN and ±∞ left out.
        assert_axis(
            axis_of(&[1.0, f64::NAN, 3.0, f64::INFINITY], false, 0.0),
            0.9,
            3.1,
            false,
        );
        // Log over more than a decade: low kept, high × 1.5.
        assert_axis(axis_of(&[0.01, 5.0], true, 0.0), 0.01, 7.5, true);
        // Exactly one decade after the offset (3 − 2 = 1, 12 − 2 = 10) is still log.
        assert_axis(axis_of(&[3.0, 12.0], true, 2.0), 1.0, 15.0, true);
        // Less than a decade: linear though log was asked, 2…5 padded by 0.15.
        assert_axis(axis_of(&[2.0, 5.0], true, 0.0), 1.85, 5.15, false);
        // Log leaves out values ≤ 0 after the offset: only 4 and 80 remain.
        assert_axis(
            axis_of(&[-1.0, 0.0, 4.0, 80.0], true, 0.0),
            4.0,
            120.0,
            true,
        );
        // Flat at 4: widened to 3.6…4.4, then padded by 0.04.
        assert_axis(axis_of(&[4.0, 4.0], false, 0.0), 3.56, 4.44, false);
        // Flat at −4: the same widening by |−4| · 0.1.
        assert_axis(axis_of(&[-4.0], false, 0.0), -4.44, -3.56, false);
        // Flat at 0: ±1, padded by 0.1.
        assert_axis(axis_of(&[0.0, 0.0], false, 0.0), -1.1, 1.1, false);
        // Flat on a log axis: 0.45…0.55 spans no decade, so linear, padded by 0.005.
        assert_axis(axis_of(&[0.5], true, 0.0), 0.445, 0.555, false);
        // Nothing plottable: 0…1 padded, or the log default 0.001…1 × 1.5.
        assert_axis(axis_of(&[f64::NAN], false, 0.0), -0.05, 1.05, false);
        assert_axis(axis_of(&[-3.0, 0.0], true, 0.0), 1e-3, 1.5, true);
        assert_axis(axis_of(&[], false, 0.0), -0.05, 1.05, false);
    }

    #[test]
    fn log_ticks_fit_the_range() {
        let close = |a: &[f64], b: &[f64]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| (x - y).abs() <= 1e-12 * y.abs())
        };
        let narrow = super::log_ticks(0.03, 1.65);
        assert!(close(&narrow, &[0.05, 0.1, 0.2, 0.5, 1.0]), "{narrow:?}");
        let five = super::log_ticks(1e-4, 10.0);
        assert!(
            close(&five, &[1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0]),
            "{five:?}"
        );
        // Seventeen decades: every third power, from the bottom one.
        let wide = super::log_ticks(1e-16, 10.0);
        assert!(
            close(&wide, &[1e-16, 1e-13, 1e-10, 1e-7, 1e-4, 0.1]),
            "{wide:?}"
        );
        assert!(super::log_ticks(0.0, 1.0).is_empty());
        // An empty range has no ticks (y_axis never asks for one).
        assert!(super::log_ticks(2.0, 2.0).is_empty());
    }

    #[test]
    fn decimation_keeps_each_columns_extremes_in_order() {
        // 10 000 noisy steps on 100 columns: a spike and a dip in column 37.
        let values: Vec<f64> = (0..10_000)
            .map(|i| match i {
                3_712 => 50.0,
                3_790 => -40.0,
                _ => ((i * 7919) % 101) as f64 / 101.0,
            })
            .collect();
        let points = || values.iter().enumerate().map(|(i, v)| (i as f64, *v));
        let kept = super::decimate(points(), 9_999.0, 100);
        assert!(kept.len() <= 400, "{} points kept", kept.len());
        assert_eq!(kept.first(), Some(&(0.0, values[0])));
        assert_eq!(kept.last(), Some(&(9_999.0, values[9_999])));
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "x must increase");
        assert!(kept.contains(&(3_712.0, 50.0)) && kept.contains(&(3_790.0, -40.0)));
        // Every column keeps exactly the min and max of its points.
        for column in 0..100 {
            let inside = |x: f64| ((x * 100.0 / 9_999.0) as usize).min(99) == column;
            let all: Vec<f64> = points().filter(|p| inside(p.0)).map(|p| p.1).collect();
            let shown: Vec<f64> = kept.iter().filter(|p| inside(p.0)).map(|p| p.1).collect();
            let lo = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(
                (lo(&shown), hi(&shown)),
                (lo(&all), hi(&all)),
                "column {column}"
            );
        }
        // A short curve is drawn as it is.
        let short: Vec<(f64, f64)> = (0..50).map(|i| (i as f64, (i * i) as f64)).collect();
        assert_eq!(super::decimate(short.iter().copied(), 49.0, 300), short);
    }

    #[test]
    fn decimation_by_hand_ties_and_the_last_column() {
        use super::decimate;
        // One column: first (0, 5), the first of the tied minima (1, 1), the
        // first of the tied maxima (2, 9), last (7, 6).
        let ys = [5.0, 1.0, 9.0, 1.0, 9.0, 3.0, 4.0, 6.0];
        let points = ys.iter().enumerate().map(|(i, &y)| (i as f64, y));
        assert_eq!(
            decimate(points, 7.0, 1),
            vec![(0.0, 5.0), (1.0, 1.0), (2.0, 9.0), (7.0, 6.0)]
        );
        // 100 steps on 2 columns: x = 99 (x_max) belongs to the last column,
        // so (98, 0.5), neither its lowest nor highest nor last, is left out.
        let y = |i: usize| match i {
            60 => -1.0,
            70 => 1.0,
            98 => 0.5,
            _ => 0.0,
        };
        let points = (0..100).map(|i| (i as f64, y(i)));
        assert_eq!(
            decimate(points, 99.0, 2),
            vec![
                (0.0, 0.0),
                (49.0, 0.0),
                (50.0, 0.0),
                (60.0, -1.0),
                (70.0, 1.0),
                (99.0, 0.0)
            ]
        );
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(format_tick(0.001), "1e-3");
        assert_eq!(format_tick(12.5), "12.5");
        assert_eq!(format_tick(100.0), "100");
        assert_eq!(format_tick(25000.0), "2.5e4");
        assert_eq!(format_tick(-0.5), "-0.5");
        assert_eq!(format_tick(0.0), "0");
    }
}
