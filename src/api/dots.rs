//! `new DotLayer(width, height)`: scatter dots stamped into RGBA pixels.

use wasm_bindgen::prelude::*;

use super::read_config;
use crate::config::dot_style;
use crate::render::DotLayer;

#[wasm_bindgen(js_name = DotLayer)]
pub struct JsDotLayer {
    inner: DotLayer,
}

#[wasm_bindgen(js_class = DotLayer)]
impl JsDotLayer {
    /// A transparent layer of `width × height` pixels (each side 1 to 4096).
    #[wasm_bindgen(constructor)]
    pub fn new(width: usize, height: usize) -> Result<JsDotLayer, JsError> {
        Ok(JsDotLayer {
            inner: DotLayer::new(width, height)?,
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

    /// Back to transparent.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Draws a dot per label at the pixel positions `points` ([x0, y0, x1,
    /// y1, …], y down) over what the layer holds. `style`: `{radius,
    /// lineWidth = 1, hollow = false, colors: ["#rrggbb", …]}`; label c is
    /// drawn in colors[c % colors.length], all of a class before the next.
    pub fn draw(
        &mut self,
        points: &[f32],
        labels: &[u8],
        #[wasm_bindgen(unchecked_param_type = "DotStyle")] style: JsValue,
    ) -> Result<(), JsError> {
        let style = dot_style(&read_config(&style, "dot style")?)?;
        self.inner.draw(points, labels, &style)?;
        Ok(())
    }

    /// The RGBA pixels: a view over wasm memory; wrap it in an ImageData at once.
    pub fn pixels(&self) -> js_sys::Uint8ClampedArray {
        // SAFETY: handed straight to JS and used before the next wasm call.
        unsafe { super::clamped_view(self.inner.rgba()) }
    }
}
