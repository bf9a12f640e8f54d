//! Charts drawn by plotters into a canvas.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::race::JsRace;
use super::read_config;
use crate::config::{hex_color, ConfigValue};
use crate::error::Error;
use crate::render::{draw_line_chart, ChartSpec, Series};

/// An RGB colour.
pub(crate) type Rgb = (u8, u8, u8);

/// Parses "#rrggbb" (the colours of chart options).
pub(crate) fn parse_color(text: &str) -> Result<Rgb, Error> {
    let [r, g, b] = hex_color(text)?;
    Ok((r, g, b))
}

/// Reads `{colors: ["#rrggbb" | null, ...]}`: one optional colour per racer.
fn racer_colors(cfg: &crate::config::ConfigMap) -> Result<Vec<Option<Rgb>>, Error> {
    match cfg.value("colors") {
        Some(ConfigValue::List(items)) => items
            .iter()
            .map(|item| match item {
                ConfigValue::Text(t) => parse_color(t).map(Some),
                _ => Ok(None),
            })
            .collect(),
        _ => Ok(Vec::new()),
    }
}

fn draw_on(canvas: HtmlCanvasElement, spec: &ChartSpec) -> Result<(), JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the chart canvas has no 2-D context"))?;
    let area = backend.into_drawing_area();
    draw_line_chart(&area, spec)?;
    Ok(())
}

/// Draws the loss curve of every racer of `race` whose colour is given.
///
/// `options`: `{colors: ["#rrggbb" | null, ...], xLabel, yLabel, logY, offset, scale, minSteps, focus}`;
/// a null colour hides that racer.
#[wasm_bindgen(js_name = drawLossChart)]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    race: &JsRace,
    #[wasm_bindgen(unchecked_param_type = "LossChartOptions")] options: JsValue,
) -> Result<(), JsError> {
    let config = read_config(&options, "chart")?;
    let cfg = config.as_map("chart")?;
    cfg.allow_only(&[
        "colors", "xLabel", "yLabel", "logY", "scale", "minSteps", "focus", "offset",
    ])?;
    let colors = racer_colors(&cfg)?;
    let focus = cfg.number("focus")?.map(|f| f as usize);
    let series = race
        .race()
        .racers()
        .iter()
        .enumerate()
        .filter_map(|(i, racer)| {
            colors.get(i).copied().flatten().map(|color| Series {
                values: racer.losses(),
                color,
                emphasised: focus == Some(i),
            })
        })
        .collect();
    let spec = ChartSpec {
        series,
        x_label: cfg.text("xLabel").unwrap_or("step"),
        y_label: cfg.text("yLabel").unwrap_or("loss"),
        log_y: cfg.boolean_or("logY", true)?,
        min_x_extent: cfg.integer_or("minSteps", 100, 1, 1_000_000)? as usize,
        offset: cfg.number_or("offset", 0.0)?,
        marker_x: None,
        scale: cfg.number_or("scale", 1.0)?,
    };
    draw_on(canvas, &spec)
}

/// Draws lr(t) of every first-order racer whose colour is given, for
/// t = 0 .. minSteps, with a marker at `marker` (the current step).
///
/// `options`: `{colors, xLabel, yLabel, logY, scale, minSteps, marker}`.
#[wasm_bindgen(js_name = drawScheduleChart)]
pub fn draw_schedule_chart(
    canvas: HtmlCanvasElement,
    race: &JsRace,
    #[wasm_bindgen(unchecked_param_type = "ScheduleChartOptions")] options: JsValue,
) -> Result<(), JsError> {
    let config = read_config(&options, "chart")?;
    let cfg = config.as_map("chart")?;
    cfg.allow_only(&[
        "colors", "xLabel", "yLabel", "logY", "scale", "minSteps", "marker",
    ])?;
    let colors = racer_colors(&cfg)?;
    let extent = cfg.integer_or("minSteps", 100, 2, 1_000_000)? as usize;
    let rates: Vec<(Vec<f64>, Rgb)> = race
        .race()
        .racers()
        .iter()
        .enumerate()
        .filter_map(|(i, racer)| {
            let color = colors.get(i).copied().flatten()?;
            racer.method().lr_at(0)?;
            let values = (0..extent as u64)
                .map(|t| racer.method().lr_at(t).unwrap_or(f64::NAN))
                .collect();
            Some((values, color))
        })
        .collect();
    let spec = ChartSpec {
        series: rates
            .iter()
            .map(|(values, color)| Series {
                values,
                color: *color,
                emphasised: false,
            })
            .collect(),
        x_label: cfg.text("xLabel").unwrap_or("step"),
        y_label: cfg.text("yLabel").unwrap_or("learning rate"),
        log_y: cfg.boolean_or("logY", true)?,
        offset: 0.0,
        min_x_extent: extent,
        marker_x: cfg.number("marker")?,
        scale: cfg.number_or("scale", 1.0)?,
    };
    draw_on(canvas, &spec)
}
