//! `new Race(surface, {start, racers, noise, seed})`: the optimizer race.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use super::surface::JsSurface;
use crate::config::{optimizer_method, ConfigValue};
use crate::error::Error;
use crate::race::{NoiseSpec, Race, RacerStatus};
use crate::render::ContourOverlay;
use crate::second_order::QuadraticModel;

/// At most this many racers in one race (the UI has one row per kind).
const MAX_RACERS: usize = 16;
/// At most this many steps per call, so one call cannot freeze the page.
const MAX_STEPS_PER_CALL: u32 = 10_000;

#[wasm_bindgen(js_name = Race)]
pub struct JsRace {
    inner: Race,
    overlay: Option<ContourOverlay>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RacerReport {
    /// "running", "diverged", "converged", "stuck" or "finished".
    state: &'static str,
    /// The step at which it diverged, converged or got stuck.
    at_step: Option<f64>,
    /// Why a second-order racer is stuck: "singular_hessian", "line_search_failed", "not_finite".
    reason: Option<&'static str>,
    steps: f64,
    x: f64,
    y: f64,
    loss: f64,
    /// Learning rate of the next step (first-order racers).
    lr: Option<f64>,
    evaluations: u32,
    gradients: u32,
    hessians: u32,
}

/// The local quadratic model at a racer's point.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelReport {
    value: f64,
    gradient: [f64; 2],
    /// Eigenvalues of the Hessian, ascending.
    eigenvalues: [f64; 2],
    /// Unit eigenvectors [v1x, v1y, v2x, v2y], matching `eigenvalues`.
    eigenvectors: [f64; 4],
    condition: f64,
    /// "minimum", "saddle", "maximum" or "degenerate".
    curvature: &'static str,
    /// Where the model is stationary (the plain Newton step), if H is invertible.
    newton_target: Option<[f64; 2]>,
}

fn noise_spec(value: Option<&ConfigValue>, default_sigma: f64) -> Result<Option<NoiseSpec>, Error> {
    let Some(value) = value else {
        return Ok(None);
    };
    let cfg = value.as_map("noise")?;
    cfg.allow_only(&["batchSize", "scale"])?;
    let batch_size = cfg.integer_or("batchSize", 1, 1, 1_000_000)? as u32;
    let sigma = cfg.number_or("scale", default_sigma)?;
    crate::error::check_positive("noise scale", sigma)?;
    Ok(Some(NoiseSpec {
        sigma_at_batch_one: sigma,
        batch_size,
    }))
}

#[wasm_bindgen(js_class = Race)]
impl JsRace {
    #[wasm_bindgen(constructor)]
    pub fn new(
        surface: &JsSurface,
        #[wasm_bindgen(unchecked_param_type = "RaceConfig")] config: JsValue,
    ) -> Result<JsRace, JsError> {
        let config = read_config(&config, "race")?;
        let cfg = config.as_map("race")?;
        cfg.allow_only(&["start", "racers", "noise", "seed"])?;
        let objective = surface.objective();
        let start = match cfg.numbers("start")? {
            None => objective.default_start(),
            Some(v) if v.len() == 2 => [v[0], v[1]],
            Some(v) => {
                return Err(JsError::new(&format!(
                    "race key 'start' must be [x, y], got {} numbers",
                    v.len()
                )))
            }
        };
        let methods = cfg.list_of("racers", MAX_RACERS, optimizer_method)?;
        let noise = noise_spec(cfg.value("noise"), surface.noise_scale_value())?;
        let seed = cfg.integer_or("seed", 1, 0, u32::MAX as u64)?;
        Ok(JsRace {
            inner: Race::new(objective, start, methods, noise, seed)?,
            overlay: None,
        })
    }

    /// Advances every running racer by `steps` (capped at 10 000 per call).
    pub fn step(&mut self, steps: u32) {
        self.inner.step(steps.min(MAX_STEPS_PER_CALL));
    }

    /// Back to the start with fresh state.
    pub fn reset(&mut self) -> Result<(), JsError> {
        Ok(self.inner.reset()?)
    }

    /// Restarts every racer from (x, y).
    pub fn restart(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        Ok(self.inner.restart_from([x, y])?)
    }

    #[wasm_bindgen(getter)]
    pub fn count(&self) -> usize {
        self.inner.racers().len()
    }

    #[wasm_bindgen(getter, js_name = anyRunning)]
    pub fn any_running(&self) -> bool {
        self.inner.any_running()
    }

    /// Visited points [x0, y0, x1, y1, ...]: a view over wasm memory, read it at once.
    pub fn path(&self, index: usize) -> Result<js_sys::Float64Array, JsError> {
        let racer = self.inner.racer(index)?;
        // SAFETY: the view is handed straight to JS, which reads it before
        // the next call into wasm (documented on the module).
        Ok(unsafe { js_sys::Float64Array::view(racer.path()) })
    }

    /// Loss at every visited point: a view over wasm memory, read it at once.
    pub fn losses(&self, index: usize) -> Result<js_sys::Float64Array, JsError> {
        let racer = self.inner.racer(index)?;
        // SAFETY: as for `path`.
        Ok(unsafe { js_sys::Float64Array::view(racer.losses()) })
    }

    /// `{state, atStep, reason, steps, x, y, loss, lr, evaluations, gradients, hessians}`
    /// of racer `index`.
    #[wasm_bindgen(unchecked_return_type = "RacerStatus")]
    pub fn status(&self, index: usize) -> Result<JsValue, JsError> {
        let racer = self.inner.racer(index)?;
        let (state, at_step, reason) = match racer.status() {
            RacerStatus::Running => ("running", None, None),
            RacerStatus::Diverged { step } => ("diverged", Some(step as f64), None),
            RacerStatus::Converged { step } => ("converged", Some(step as f64), None),
            RacerStatus::Stuck { step, reason } => {
                ("stuck", Some(step as f64), Some(reason.name()))
            }
            RacerStatus::Finished => ("finished", None, None),
        };
        let [x, y] = racer.position();
        let counts = racer.counts();
        let report = RacerReport {
            state,
            at_step,
            reason,
            steps: racer.steps() as f64,
            x,
            y,
            loss: *racer.losses().last().unwrap_or(&f64::NAN),
            lr: racer.current_lr(),
            evaluations: counts.evaluations,
            gradients: counts.gradients,
            hessians: counts.hessians,
        };
        Ok(serde_wasm_bindgen::to_value(&report)?)
    }

    /// The local quadratic model at racer `index`'s point:
    /// `{value, gradient, eigenvalues, eigenvectors, condition, curvature, newtonTarget}`.
    #[wasm_bindgen(unchecked_return_type = "QuadraticModel")]
    pub fn model(&self, index: usize) -> Result<JsValue, JsError> {
        let racer = self.inner.racer(index)?;
        let model = QuadraticModel::at(self.inner.surface(), racer.position())?;
        let eigen = model.eigen();
        let report = ModelReport {
            value: model.value_at(racer.position()),
            gradient: self.inner.surface().gradient(racer.position()),
            eigenvalues: eigen.values,
            eigenvectors: [
                eigen.vectors[0][0],
                eigen.vectors[0][1],
                eigen.vectors[1][0],
                eigen.vectors[1][1],
            ],
            condition: eigen.condition_number(),
            curvature: eigen.classify().name(),
            newton_target: model.stationary_point(),
        };
        Ok(serde_wasm_bindgen::to_value(&report)?)
    }

    /// Contour lines of the local quadratic model at racer `index`'s point,
    /// over the surface's view, as RGBA pixels (transparent elsewhere) of
    /// the given size: a view over wasm memory, read it at once.
    #[wasm_bindgen(js_name = modelOverlay)]
    pub fn model_overlay(
        &mut self,
        index: usize,
        width: usize,
        height: usize,
    ) -> Result<js_sys::Uint8Array, JsError> {
        let racer = self.inner.racer(index)?;
        let position = racer.position();
        let model = QuadraticModel::at(self.inner.surface(), position)?;
        let view = self.inner.surface().bounds();
        let overlay = match &mut self.overlay {
            Some(o) if o.width() == width && o.height() == height => o,
            slot => slot.insert(ContourOverlay::new(width, height)?),
        };
        overlay.draw(&|p| model.value_at(p), view, model.value_at(position));
        // SAFETY: handed straight to JS and used before the next wasm call.
        Ok(unsafe { js_sys::Uint8Array::view(overlay.rgba()) })
    }

    /// [gx, gy, dx, dy]: the gradient the last step used and the step it took.
    pub fn arrows(&self, index: usize) -> Result<Vec<f64>, JsError> {
        let racer = self.inner.racer(index)?;
        let g = racer.last_gradient();
        let d = racer.last_update();
        Ok(vec![g[0], g[1], d[0], d[1]])
    }
}

impl JsRace {
    pub(crate) fn race(&self) -> &Race {
        &self.inner
    }
}
