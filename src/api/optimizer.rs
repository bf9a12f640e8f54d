//! `new Optimizer({kind, lr, ...})`: one optimizer stepping JS-owned arrays.

use wasm_bindgen::prelude::*;

use super::read_config;
use crate::config::first_order_settings;
use crate::optim::Optimizer;

#[wasm_bindgen(js_name = Optimizer)]
pub struct JsOptimizer {
    inner: Optimizer,
}

#[wasm_bindgen(js_class = Optimizer)]
impl JsOptimizer {
    /// Throws if the kind or a key is unknown or a value is out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsOptimizer, JsError> {
        let settings = first_order_settings(&read_config(&config, "optimizer")?)?;
        Ok(JsOptimizer {
            inner: Optimizer::new(settings)?,
        })
    }

    /// Updates `params` (a Float64Array) in place from `grads`.
    pub fn step(&mut self, params: &mut [f64], grads: &[f64]) -> Result<(), JsError> {
        Ok(self.inner.step(params, grads)?)
    }

    /// Forgets the accumulated state (velocity, squared-gradient sums, step count).
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.inner.settings().rule.kind().to_string()
    }

    /// Steps taken since construction or the last reset.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.inner.steps() as f64
    }

    /// The velocity / first-moment buffer (empty for rules without one).
    pub fn velocity(&self) -> Vec<f64> {
        self.inner.velocity().to_vec()
    }
}
