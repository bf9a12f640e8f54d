//! `new Heatmap(width, height)`: a surface rendered into RGBA pixels.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::surface::JsSurface;
use crate::objective::Bounds;
use crate::render::Heatmap;

#[wasm_bindgen(js_name = Heatmap)]
pub struct JsHeatmap {
    inner: Heatmap,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatsOut {
    min: f64,
    max: f64,
    non_finite: usize,
}

#[wasm_bindgen(js_class = Heatmap)]
impl JsHeatmap {
    #[wasm_bindgen(constructor)]
    pub fn new(width: usize, height: usize) -> Result<JsHeatmap, JsError> {
        Ok(JsHeatmap {
            inner: Heatmap::new(width, height)?,
        })
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.inner.width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> usize {
        self.inner.height()
    }

    /// Renders `surface` over its own view, or over (xMin, xMax, yMin, yMax)
    /// when all four are given. Returns `{min, max, nonFinite}`.
    #[wasm_bindgen(unchecked_return_type = "HeatmapStats")]
    pub fn render(
        &mut self,
        surface: &JsSurface,
        #[wasm_bindgen(js_name = xMin)] x_min: Option<f64>,
        #[wasm_bindgen(js_name = xMax)] x_max: Option<f64>,
        #[wasm_bindgen(js_name = yMin)] y_min: Option<f64>,
        #[wasm_bindgen(js_name = yMax)] y_max: Option<f64>,
    ) -> Result<JsValue, JsError> {
        let objective = surface.objective();
        let view = match (x_min, x_max, y_min, y_max) {
            (Some(x_min), Some(x_max), Some(y_min), Some(y_max)) => Bounds {
                x_min,
                x_max,
                y_min,
                y_max,
            },
            _ => objective.bounds(),
        };
        let stats = self.inner.render(objective.as_ref(), view)?;
        Ok(serde_wasm_bindgen::to_value(&StatsOut {
            min: stats.min,
            max: stats.max,
            non_finite: stats.non_finite,
        })?)
    }

    /// The RGBA pixels: a view over wasm memory; wrap it in an ImageData at once.
    pub fn pixels(&self) -> js_sys::Uint8ClampedArray {
        // SAFETY: handed straight to JS and used before the next wasm call.
        unsafe { super::clamped_view(self.inner.rgba()) }
    }
}
