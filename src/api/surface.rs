//! `new Surface("rosenbrock")` or `new Surface({name: "quadratic", condition, rotation})`.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use crate::objective::{Objective, Surface};

#[wasm_bindgen(js_name = Surface)]
pub struct JsSurface {
    inner: Rc<dyn Objective>,
    name: String,
    noise_scale: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BoundsOut {
    x_min: f64,
    x_max: f64,
    y_min: f64,
    y_max: f64,
}

impl JsSurface {
    pub(crate) fn objective(&self) -> Rc<dyn Objective> {
        Rc::clone(&self.inner)
    }

    pub(crate) fn noise_scale_value(&self) -> f64 {
        self.noise_scale
    }

    fn from_builtin(surface: Surface) -> JsSurface {
        JsSurface {
            name: surface.name().to_string(),
            noise_scale: surface.noise_scale(),
            inner: Rc::new(surface),
        }
    }
}

#[wasm_bindgen(js_class = Surface)]
impl JsSurface {
    /// A built-in surface by name, or a settings object
    /// `{name: "quadratic", condition: 20, rotation: 30}`.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<JsSurface, JsError> {
        if let Some(name) = spec.as_string() {
            return Ok(Self::from_builtin(Surface::from_name(&name)?));
        }
        let config = read_config(&spec, "surface")?;
        let cfg = config.as_map("surface")?;
        let name = cfg.text("name")?;
        if name == "quadratic" {
            cfg.allow_only(&["name", "condition", "rotation"])?;
            let condition = cfg.number_or("condition", 20.0)?;
            let rotation = cfg.number_or("rotation", 0.0)?;
            return Ok(Self::from_builtin(Surface::quadratic(condition, rotation)?));
        }
        cfg.allow_only(&["name"])?;
        Ok(Self::from_builtin(Surface::from_name(name)?))
    }

    /// Names of the built-in surfaces.
    pub fn names() -> Vec<String> {
        Surface::NAMES.iter().map(|s| s.to_string()).collect()
    }

    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Gradient-noise σ at batch size 1 suited to this surface.
    #[wasm_bindgen(getter, js_name = noiseScale)]
    pub fn noise_scale(&self) -> f64 {
        self.noise_scale
    }

    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.inner.value([x, y])
    }

    /// [∂f/∂x, ∂f/∂y] as a Float64Array.
    pub fn grad(&self, x: f64, y: f64) -> Vec<f64> {
        self.inner.gradient([x, y]).to_vec()
    }

    /// [fxx, fxy, fyx, fyy] as a Float64Array.
    pub fn hessian(&self, x: f64, y: f64) -> Vec<f64> {
        let h = self.inner.hessian([x, y]);
        vec![h[0][0], h[0][1], h[1][0], h[1][1]]
    }

    /// `{xMin, xMax, yMin, yMax}` of the view.
    pub fn bounds(&self) -> Result<JsValue, JsError> {
        let b = self.inner.bounds();
        let out = BoundsOut {
            x_min: b.x_min,
            x_max: b.x_max,
            y_min: b.y_min,
            y_max: b.y_max,
        };
        Ok(serde_wasm_bindgen::to_value(&out)?)
    }

    /// Known minima as [x0, y0, x1, y1, ...], global first.
    pub fn minima(&self) -> Vec<f64> {
        self.inner.minima().into_iter().flatten().collect()
    }

    /// The start point that shows this surface's lesson, [x, y].
    #[wasm_bindgen(js_name = defaultStart)]
    pub fn default_start(&self) -> Vec<f64> {
        self.inner.default_start().to_vec()
    }
}
