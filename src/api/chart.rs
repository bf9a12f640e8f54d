//! Charts drawn by plotters into a canvas.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::race::JsRace;
use super::read_config;
use crate::error::Error;
use crate::render::{draw_line_chart, ChartSpec, Series};

/// Parses "#rrggbb".
fn parse_color(text: &str) -> Result<(u8, u8, u8), Error> {
    let hex = text.strip_prefix('#').unwrap_or(text);
    let bad = || Error::new(format!("colour must look like #1f77b4, got '{text}'"));
    if hex.len() != 6 || !hex.is_ascii() {
        return Err(bad());
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok((channel(0)?, channel(2)?, channel(4)?))
}

/// Draws the loss curve of every racer of `race` whose colour is given.
///
/// `options`: `{colors: ["#rrggbb" | null, ...], xLabel, yLabel, logY, offset, scale, minSteps, focus}`;
/// a null colour hides that racer.
#[wasm_bindgen(js_name = drawLossChart)]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    race: &JsRace,
    options: JsValue,
) -> Result<(), JsError> {
    let config = read_config(&options, "chart")?;
    let cfg = config.as_map("chart")?;
    cfg.allow_only(&[
        "colors", "xLabel", "yLabel", "logY", "scale", "minSteps", "focus", "offset",
    ])?;
    let colors: Vec<Option<(u8, u8, u8)>> = match cfg.value("colors") {
        Some(crate::config::ConfigValue::List(items)) => items
            .iter()
            .map(|item| match item {
                crate::config::ConfigValue::Text(t) => parse_color(t).map(Some),
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
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
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the chart canvas has no 2-D context"))?;
    let area = backend.into_drawing_area();
    draw_line_chart(&area, &spec)?;
    Ok(())
}
