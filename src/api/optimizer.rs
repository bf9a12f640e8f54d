//! `new Optimizer({kind, lr, ...})`: one optimizer stepping JS-owned arrays,
//! or (Newton, L-BFGS, or any kind) stepping on a `Surface` with `stepOn`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use super::surface::JsSurface;
use crate::config::optimizer_method;
use crate::optim::Optimizer;
use crate::race::Method;
use crate::second_order::{SecondOrderSolver, StepStatus};

enum Engine {
    FirstOrder(Optimizer),
    SecondOrder(SecondOrderSolver),
}

#[wasm_bindgen(js_name = Optimizer)]
pub struct JsOptimizer {
    method: Method,
    engine: Engine,
}

/// What one `stepOn` spent, and (second-order) what happened.
#[derive(Serialize)]
struct StepOut {
    evaluations: u32,
    gradients: u32,
    hessians: u32,
    /// "moved", "converged", "line_search_failed", "singular_hessian", "not_finite".
    status: &'static str,
}

#[wasm_bindgen(js_class = Optimizer)]
impl JsOptimizer {
    /// Throws if the kind or a key is unknown or a value is out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OptimizerConfig")] config: JsValue,
    ) -> Result<JsOptimizer, JsError> {
        let method = optimizer_method(&read_config(&config, "optimizer")?)?;
        let engine = match &method {
            Method::FirstOrder { settings, .. } => Engine::FirstOrder(Optimizer::new(*settings)?),
            Method::SecondOrder(settings) => {
                Engine::SecondOrder(SecondOrderSolver::new(*settings)?)
            }
        };
        Ok(JsOptimizer { method, engine })
    }

    /// Updates `params` (a Float64Array) in place from `grads` (first-order kinds).
    pub fn step(&mut self, params: &mut [f64], grads: &[f64]) -> Result<(), JsError> {
        match &mut self.engine {
            Engine::FirstOrder(opt) => {
                let lr = self.method.lr_at(opt.steps()).unwrap_or(f64::NAN);
                Ok(opt.step_with_lr(params, grads, lr)?)
            }
            Engine::SecondOrder(_) => Err(JsError::new(&format!(
                "'{}' needs the surface itself: call stepOn(surface, params)",
                self.method.kind()
            ))),
        }
    }

    /// One step on `surface` from `params` = [x, y] (updated in place).
    /// Returns `{evaluations, gradients, hessians, status}` used by this step.
    #[wasm_bindgen(js_name = stepOn, unchecked_return_type = "StepReport")]
    pub fn step_on(&mut self, surface: &JsSurface, params: &mut [f64]) -> Result<JsValue, JsError> {
        let [x0, y0] = params else {
            return Err(JsError::new(&format!(
                "stepOn works on 2-D surfaces: params must hold [x, y], got {} numbers",
                params.len()
            )));
        };
        let objective = surface.objective();
        let mut point = [*x0, *y0];
        let out = match &mut self.engine {
            Engine::FirstOrder(opt) => {
                let g = objective.gradient(point);
                let lr = self.method.lr_at(opt.steps()).unwrap_or(f64::NAN);
                opt.step_with_lr(&mut point, &g, lr)?;
                StepOut {
                    evaluations: 0,
                    gradients: 1,
                    hessians: 0,
                    status: StepStatus::Moved.name(),
                }
            }
            Engine::SecondOrder(solver) => {
                let report = solver.step(objective.as_ref(), &mut point)?;
                StepOut {
                    evaluations: report.counts.evaluations,
                    gradients: report.counts.gradients,
                    hessians: report.counts.hessians,
                    status: report.status.name(),
                }
            }
        };
        params.copy_from_slice(&point);
        Ok(serde_wasm_bindgen::to_value(&out)?)
    }

    /// Forgets the accumulated state (velocity, squared-gradient sums, history, step count).
    pub fn reset(&mut self) {
        match &mut self.engine {
            Engine::FirstOrder(opt) => opt.reset(),
            Engine::SecondOrder(solver) => solver.reset(),
        }
    }

    #[wasm_bindgen(getter, unchecked_return_type = "OptimizerKind")]
    pub fn kind(&self) -> String {
        self.method.kind().to_string()
    }

    /// Steps taken since construction or the last reset.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        match &self.engine {
            Engine::FirstOrder(opt) => opt.steps() as f64,
            Engine::SecondOrder(solver) => solver.iterations() as f64,
        }
    }

    /// The learning rate the next step will use (NaN for Newton and L-BFGS).
    #[wasm_bindgen(getter)]
    pub fn lr(&self) -> f64 {
        match &self.engine {
            Engine::FirstOrder(opt) => self.method.lr_at(opt.steps()).unwrap_or(f64::NAN),
            Engine::SecondOrder(_) => f64::NAN,
        }
    }

    /// The velocity / first-moment buffer (empty for rules without one).
    pub fn velocity(&self) -> Vec<f64> {
        match &self.engine {
            Engine::FirstOrder(opt) => opt.velocity().to_vec(),
            Engine::SecondOrder(_) => Vec::new(),
        }
    }
}
