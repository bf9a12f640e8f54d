//! `new Schedule({kind, lr, ...})`: a learning-rate schedule, `at(step)`.

use wasm_bindgen::prelude::*;

use super::read_config;
use crate::config::schedule_spec;
use crate::schedule::ScheduleSpec;

#[wasm_bindgen(js_name = Schedule)]
pub struct JsSchedule {
    inner: ScheduleSpec,
}

#[wasm_bindgen(js_class = Schedule)]
impl JsSchedule {
    /// Throws on an unknown kind or key, or an out-of-range value.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ScheduleConfig")] config: JsValue,
    ) -> Result<JsSchedule, JsError> {
        let config = read_config(&config, "schedule")?;
        Ok(JsSchedule {
            inner: schedule_spec(&config, 0.1)?,
        })
    }

    /// The learning rate at step `step` (counting from 0). Negative or
    /// fractional steps are rounded down and clamped at 0.
    pub fn at(&self, step: f64) -> f64 {
        let step = if step.is_finite() && step > 0.0 {
            step as u64
        } else {
            0
        };
        self.inner.at(step)
    }

    /// lr at steps 0..count as a Float64Array (for plotting).
    pub fn values(&self, count: usize) -> Result<Vec<f64>, JsError> {
        if count > 10_000_000 {
            return Err(JsError::new("at most 10 000 000 values at once"));
        }
        Ok((0..count as u64).map(|t| self.inner.at(t)).collect())
    }

    /// Steps below `before` where a warm-restart cycle begins.
    #[wasm_bindgen(js_name = restartsBefore)]
    pub fn restarts_before(&self, before: f64) -> Vec<f64> {
        let before = if before.is_finite() && before > 0.0 {
            before.min(1e7) as u64
        } else {
            0
        };
        self.inner
            .restarts_before(before)
            .into_iter()
            .map(|s| s as f64)
            .collect()
    }

    #[wasm_bindgen(getter, unchecked_return_type = "ScheduleKind")]
    pub fn kind(&self) -> String {
        self.inner.kind().to_string()
    }
}
