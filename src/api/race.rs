//! `new Race(surface, {start, racers, noise, seed})`: the optimizer race.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use super::surface::JsSurface;
use crate::config::{first_order_settings, ConfigValue};
use crate::error::Error;
use crate::race::{Method, NoiseSpec, Race, RacerStatus};

/// At most this many racers in one race (the UI has one row per kind).
const MAX_RACERS: usize = 16;
/// At most this many steps per call, so one call cannot freeze the page.
const MAX_STEPS_PER_CALL: u32 = 10_000;

#[wasm_bindgen(js_name = Race)]
pub struct JsRace {
    inner: Race,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RacerReport {
    /// "running", "diverged" or "finished".
    state: &'static str,
    diverged_at: Option<f64>,
    steps: f64,
    x: f64,
    y: f64,
    loss: f64,
}

fn racer_methods(value: Option<&ConfigValue>) -> Result<Vec<Method>, Error> {
    let Some(ConfigValue::List(items)) = value else {
        return Err(Error::new(
            "race key 'racers' must be a list of optimizer settings",
        ));
    };
    if items.len() > MAX_RACERS {
        return Err(Error::new(format!(
            "a race takes at most {MAX_RACERS} racers, got {}",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            first_order_settings(item)
                .map(Method::FirstOrder)
                .map_err(|e| Error::new(format!("racer {}: {}", i + 1, e.message())))
        })
        .collect()
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
    pub fn new(surface: &JsSurface, config: JsValue) -> Result<JsRace, JsError> {
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
        let methods = racer_methods(cfg.value("racers"))?;
        let noise = noise_spec(cfg.value("noise"), surface.noise_scale_value())?;
        let seed = cfg.integer_or("seed", 1, 0, u32::MAX as u64)?;
        Ok(JsRace {
            inner: Race::new(objective, start, methods, noise, seed)?,
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

    /// `{state, divergedAt, steps, x, y, loss}` of racer `index`.
    pub fn status(&self, index: usize) -> Result<JsValue, JsError> {
        let racer = self.inner.racer(index)?;
        let (state, diverged_at) = match racer.status() {
            RacerStatus::Running => ("running", None),
            RacerStatus::Diverged { step } => ("diverged", Some(step as f64)),
            RacerStatus::Finished => ("finished", None),
        };
        let [x, y] = racer.position();
        let report = RacerReport {
            state,
            diverged_at,
            steps: racer.steps() as f64,
            x,
            y,
            loss: *racer.losses().last().unwrap_or(&f64::NAN),
        };
        Ok(serde_wasm_bindgen::to_value(&report)?)
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
