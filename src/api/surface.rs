//! `new Surface("rosenbrock")` or `new Surface({name: "quadratic", condition, rotation})`.

use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use crate::objective::expr::ExprSurface;
use crate::objective::{suggested_noise_scale, Bounds, Objective, Surface};

#[wasm_bindgen(js_name = Surface)]
pub struct JsSurface {
    inner: Rc<dyn Objective>,
    name: String,
    noise_scale: f64,
    expression: Option<String>,
}

/// Where a typed expression fails to parse, for the UI to point at.
#[derive(Serialize)]
struct ExpressionCheck {
    ok: bool,
    /// 0-based character index of the problem (absent when ok).
    position: Option<usize>,
    message: String,
    hint: String,
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
            expression: None,
        }
    }

    /// A typed expression over the view [-range, range]² or an explicit one.
    fn from_expression(text: &str, view: Option<Bounds>) -> Result<JsSurface, crate::Error> {
        let mut surface = ExprSurface::parse(text).map_err(crate::Error::from)?;
        if let Some(view) = view {
            surface = surface.with_bounds(view)?;
        }
        surface.check_view()?;
        Ok(JsSurface {
            name: "custom".to_string(),
            noise_scale: suggested_noise_scale(&surface),
            expression: Some(surface.source().to_string()),
            inner: Rc::new(surface),
        })
    }
}

#[wasm_bindgen(js_class = Surface)]
impl JsSurface {
    /// A built-in surface by name, a settings object
    /// `{name: "quadratic", condition: 20, rotation: 30}`, or a typed loss
    /// `{expr: "x^2 + 10*y^2", range: 3}` (view [-range, range]², or
    /// `view: [xMin, xMax, yMin, yMax]`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SurfaceSpec")] spec: JsValue,
    ) -> Result<JsSurface, JsError> {
        if let Some(name) = spec.as_string() {
            return Ok(Self::from_builtin(Surface::from_name(&name)?));
        }
        let config = read_config(&spec, "surface")?;
        let cfg = config.as_map("surface")?;
        if cfg.has("expr") {
            cfg.allow_only(&["expr", "range", "view"])?;
            let view = match (cfg.number("range")?, cfg.numbers("view")?) {
                (Some(_), Some(_)) => {
                    return Err(JsError::new(
                        "give either 'range' or 'view' for a typed surface, not both",
                    ))
                }
                (Some(r), None) => Some(Bounds {
                    x_min: -r,
                    x_max: r,
                    y_min: -r,
                    y_max: r,
                }),
                (None, Some(v)) if v.len() == 4 => Some(Bounds {
                    x_min: v[0],
                    x_max: v[1],
                    y_min: v[2],
                    y_max: v[3],
                }),
                (None, Some(v)) => {
                    return Err(JsError::new(&format!(
                        "surface key 'view' must be [xMin, xMax, yMin, yMax], got {} numbers",
                        v.len()
                    )))
                }
                (None, None) => None,
            };
            return Ok(Self::from_expression(cfg.text("expr")?, view)?);
        }
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

    /// Parses `text` without building a surface: `{ok, position, message, hint}`,
    /// where `position` is the 0-based character index of the problem.
    #[wasm_bindgen(js_name = checkExpression, unchecked_return_type = "ExpressionCheck")]
    pub fn check_expression(text: &str) -> Result<JsValue, JsError> {
        let check = match ExprSurface::parse(text) {
            Ok(_) => ExpressionCheck {
                ok: true,
                position: None,
                message: String::new(),
                hint: String::new(),
            },
            Err(e) => ExpressionCheck {
                ok: false,
                position: Some(e.position),
                message: e.message.clone(),
                hint: e.hint.clone(),
            },
        };
        Ok(serde_wasm_bindgen::to_value(&check)?)
    }

    /// The typed expression of a custom surface (undefined for built-ins).
    #[wasm_bindgen(getter)]
    pub fn expression(&self) -> Option<String> {
        self.expression.clone()
    }

    /// Names of the built-in surfaces.
    #[wasm_bindgen(unchecked_return_type = "SurfaceName[]")]
    pub fn names() -> Vec<String> {
        Surface::NAMES.iter().map(|s| s.to_string()).collect()
    }

    /// The built-in's name, or "custom" for a typed expression.
    #[wasm_bindgen(getter, unchecked_return_type = "SurfaceName | \"custom\"")]
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
    #[wasm_bindgen(unchecked_return_type = "Bounds")]
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
