//! `new Ensemble({...})`: independent members or snapshots of one run,
//! averaged at test time.
//!
//! ```js
//! const e = new Ensemble({ trainer: { /* Trainer settings */ }, kind: "independent", members: 5 });
//! const s = new Ensemble({ trainer: { ... }, kind: "snapshot", members: 5, cycle: 200 });
//! const r = e.train(100);  // { steps, computeSteps, members: [...], ensemble, run }
//! e.accuracyByCount();     // Float64Array, k = 1 … count
//! ```
//!
//! Grids, histories and points are views into wasm memory (read them before
//! the next call into wasm); the curves by count and `predict` are copies.

use js_sys::{Float32Array, Float64Array, Object, Reflect, Uint32Array, Uint8ClampedArray};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use super::trainer::{plain_config, rows_of, to_js};
use crate::config::ensemble_setup;
use crate::error::Error;
use crate::nn::ensemble::{AverageScore, EnsembleReport, ModelScore};
use crate::nn::{whole_number, Ensemble, EnsembleKind, Grid};
use crate::render::decision_map;

/// At most this many steps per run and call (as for `Trainer.train`).
const MAX_STEPS_PER_CALL: usize = 100_000;
/// Largest side of a decision-map grid.
const MAX_GRID_SIDE: usize = 1_024;
/// Most cells `predictGrids` renders in one call, all maps together.
const MAX_GRID_CELLS: usize = 1 << 22;

/// An ensemble of networks with its drawing buffers.
#[wasm_bindgen(js_name = Ensemble)]
pub struct JsEnsemble {
    inner: Ensemble,
    probs: Vec<f32>,
    member_probs: Vec<f32>,
    rgba: Vec<u8>,
    map: Vec<u8>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelReport {
    steps: f64,
    train_accuracy: f64,
    train_loss: f64,
    val_accuracy: Option<f64>,
    val_loss: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AverageReport {
    train_accuracy: f64,
    train_loss: f64,
    val_accuracy: Option<f64>,
    val_loss: Option<f64>,
    vote_accuracy: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainReport {
    steps: f64,
    compute_steps: f64,
    count: usize,
    members: Vec<ModelReport>,
    ensemble: Option<AverageReport>,
    run: Option<ModelReport>,
}

impl From<&ModelScore> for ModelReport {
    fn from(score: &ModelScore) -> Self {
        ModelReport {
            steps: score.steps as f64,
            train_accuracy: score.train.accuracy,
            train_loss: score.train.loss,
            val_accuracy: score.val.map(|v| v.accuracy),
            val_loss: score.val.map(|v| v.loss),
        }
    }
}

impl From<&AverageScore> for AverageReport {
    fn from(score: &AverageScore) -> Self {
        AverageReport {
            train_accuracy: score.train.accuracy,
            train_loss: score.train.loss,
            val_accuracy: score.val.map(|v| v.accuracy),
            val_loss: score.val.map(|v| v.loss),
            vote_accuracy: score.val_vote_accuracy,
        }
    }
}

fn report(r: &EnsembleReport) -> Result<JsValue, JsError> {
    to_js(&TrainReport {
        steps: r.steps as f64,
        compute_steps: r.compute_steps as f64,
        count: r.members.len(),
        members: r.members.iter().map(ModelReport::from).collect(),
        ensemble: r.ensemble.as_ref().map(AverageReport::from),
        run: r.run.as_ref().map(ModelReport::from),
    })
}

/// The settings object with typed arrays in `trainer.dataset` made plain.
fn plain_ensemble_config(config: &JsValue) -> Result<JsValue, JsError> {
    let js = |e: JsValue| JsError::new(&format!("ensemble settings could not be read: {e:?}"));
    if !config.is_object() {
        return Ok(config.clone());
    }
    let trainer = Reflect::get(config, &"trainer".into()).map_err(js)?;
    if !trainer.is_object() {
        return Ok(config.clone());
    }
    let top = super::assign_catching(&Object::new(), config).map_err(js)?;
    Reflect::set(&top, &"trainer".into(), &plain_config(&trainer)?).map_err(js)?;
    Ok(top.into())
}

fn grid_of(
    (x_min, x_max, y_min, y_max): (f64, f64, f64, f64),
    width: usize,
    height: usize,
) -> Result<Grid, Error> {
    if width > MAX_GRID_SIDE || height > MAX_GRID_SIDE {
        return Err(Error::new(format!(
            "the grid may be at most {MAX_GRID_SIDE} cells a side, got {width} × {height}"
        )));
    }
    Grid::new((x_min, x_max), (y_min, y_max), width, height)
}

#[wasm_bindgen(js_class = Ensemble)]
impl JsEnsemble {
    /// Builds the ensemble's runs from `{trainer, kind, members, cycle}`;
    /// throws an Error naming the first bad key.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EnsembleConfig")] config: JsValue,
    ) -> Result<JsEnsemble, JsError> {
        let config = read_config(&plain_ensemble_config(&config)?, "ensemble")?;
        let setup = ensemble_setup(&config)?;
        Ok(JsEnsemble {
            inner: setup.build()?,
            probs: Vec::new(),
            member_probs: Vec::new(),
            rgba: Vec::new(),
            map: Vec::new(),
        })
    }

    /// `steps` more steps (every independent run, or the snapshot run),
    /// then an evaluation: `{steps, computeSteps, count, members: [{steps,
    /// trainAccuracy, trainLoss, valAccuracy, valLoss}], ensemble:
    /// {trainAccuracy, trainLoss, valAccuracy, valLoss, voteAccuracy} | null,
    /// run: {…} | null}` (losses are eval-mode cross-entropy without L2;
    /// validation values null without a validation set; `ensemble` null
    /// before the first snapshot; `run` is the snapshot run's live model).
    #[wasm_bindgen(unchecked_return_type = "EnsembleReport")]
    pub fn train(&mut self, steps: f64) -> Result<JsValue, JsError> {
        let steps = whole_number("steps", steps, 0, MAX_STEPS_PER_CALL)?;
        report(&self.inner.train(steps)?)
    }

    /// `steps` more steps without evaluating (the cheap per-frame call).
    pub fn run(&mut self, steps: f64) -> Result<(), JsError> {
        let steps = whole_number("steps", steps, 0, MAX_STEPS_PER_CALL)?;
        Ok(self.inner.run(steps)?)
    }

    /// The report of `train` without training.
    #[wasm_bindgen(unchecked_return_type = "EnsembleReport")]
    pub fn evaluate(&mut self) -> Result<JsValue, JsError> {
        report(&self.inner.evaluate()?)
    }

    /// Members so far (for a snapshot ensemble, the snapshots kept so far).
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> usize {
        self.inner.count()
    }

    /// The `members` setting: the most members the ensemble holds.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// "independent" or "snapshot".
    #[wasm_bindgen(getter, unchecked_return_type = "EnsembleConfig[\"kind\"]")]
    pub fn kind(&self) -> String {
        self.inner.kind().name().to_string()
    }

    /// Steps per cosine cycle of a snapshot ensemble (null for independent;
    /// a plain `Option` would reach JS as undefined).
    #[wasm_bindgen(getter, unchecked_return_type = "number | null")]
    pub fn cycle(&self) -> JsValue {
        match self.inner.kind() {
            EnsembleKind::Independent => JsValue::NULL,
            EnsembleKind::Snapshot { cycle } => JsValue::from_f64(cycle as f64),
        }
    }

    /// Number of training runs: `members` for independent, 1 for snapshot.
    #[wasm_bindgen(getter)]
    pub fn runs(&self) -> usize {
        self.inner.runs().len()
    }

    /// Steps taken by each run.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.inner.steps() as f64
    }

    /// Optimizer steps of all runs together (the compute spent).
    #[wasm_bindgen(getter, js_name = computeSteps)]
    pub fn compute_steps(&self) -> f64 {
        self.inner.compute_steps() as f64
    }

    /// Number of classes.
    #[wasm_bindgen(getter)]
    pub fn classes(&self) -> usize {
        self.inner.classes()
    }

    /// Validation accuracy of the averaged probabilities of the first k
    /// members, k = 1 … count (a copy; NaN without a validation set).
    #[wasm_bindgen(js_name = accuracyByCount)]
    pub fn accuracy_by_count(&mut self) -> Result<Float64Array, JsError> {
        self.curve(|c| &c.accuracy)
    }

    /// Validation cross-entropy of the averaged probabilities of the first
    /// k members, k = 1 … count (a copy).
    #[wasm_bindgen(js_name = lossByCount)]
    pub fn loss_by_count(&mut self) -> Result<Float64Array, JsError> {
        self.curve(|c| &c.loss)
    }

    /// Validation accuracy of the majority vote of the first k members
    /// (ties to the higher averaged probability, then the lower class).
    #[wasm_bindgen(js_name = voteAccuracyByCount)]
    pub fn vote_accuracy_by_count(&mut self) -> Result<Float64Array, JsError> {
        self.curve(|c| &c.vote_accuracy)
    }

    /// Training-set accuracy of the first k members averaged (a copy).
    #[wasm_bindgen(js_name = trainAccuracyByCount)]
    pub fn train_accuracy_by_count(&mut self) -> Result<Float64Array, JsError> {
        let curves = self.inner.train_curves()?;
        Ok(Float64Array::from(&curves.accuracy[..]))
    }

    fn curve(
        &mut self,
        pick: impl Fn(&crate::nn::averaging::CountCurves) -> &Vec<f64>,
    ) -> Result<Float64Array, JsError> {
        let count = self.inner.count();
        if self.inner.val_set().is_empty() {
            return Ok(Float64Array::from(&vec![f64::NAN; count][..]));
        }
        let curves = self.inner.val_curves()?;
        Ok(Float64Array::from(&pick(curves)[..]))
    }

    /// The step (from 0) after which each kept snapshot was taken, in member
    /// order (newest first); empty for independent members. A copy.
    #[wasm_bindgen(js_name = snapshotSteps)]
    pub fn snapshot_steps(&self) -> Float64Array {
        let steps: Vec<f64> = self
            .inner
            .snapshot_steps()
            .into_iter()
            .map(|s| s as f64)
            .collect();
        Float64Array::from(&steps[..])
    }

    /// The learning rate of every step so far (a view).
    #[wasm_bindgen(js_name = lrHistory)]
    pub fn lr_history(&self) -> Float64Array {
        // SAFETY: read by JS before the next call into wasm.
        unsafe { Float64Array::view(self.inner.lr_history()) }
    }

    /// Minibatch loss (data + L2) of every step of run `run` (default 0; a view).
    #[wasm_bindgen(js_name = lossHistory)]
    pub fn loss_history(&self, run: Option<usize>) -> Result<Float32Array, JsError> {
        let run = run.unwrap_or(0);
        let runs = self.inner.runs();
        let trainer = runs.get(run).ok_or_else(|| {
            JsError::new(&format!(
                "run must be below the number of runs {}, got {run}",
                runs.len()
            ))
        })?;
        // SAFETY: as above.
        Ok(unsafe { Float32Array::view(trainer.history()) })
    }

    /// The averaged class probabilities of all members at `inputs`
    /// (`[x0, y0, x1, y1, …]`); a Float32Array copy, rows × classes.
    pub fn predict(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
    ) -> Result<Float32Array, JsError> {
        let rows = rows_of(&inputs)?;
        let mut out = vec![0.0; rows.len() / 2 * self.inner.classes()];
        self.inner.predict(&rows, &mut out)?;
        Ok(Float32Array::from(&out[..]))
    }

    /// The averaged model's decision map over `[xMin, xMax] × [yMin, yMax]`
    /// as `width × height` RGBA pixels (row 0 at the top; a view). Costs one
    /// forward over the grid per member (snapshots reuse their last map).
    #[wasm_bindgen(js_name = predictGrid)]
    pub fn predict_grid(
        &mut self,
        #[wasm_bindgen(js_name = xMin)] x_min: f64,
        #[wasm_bindgen(js_name = xMax)] x_max: f64,
        #[wasm_bindgen(js_name = yMin)] y_min: f64,
        #[wasm_bindgen(js_name = yMax)] y_max: f64,
        width: usize,
        height: usize,
    ) -> Result<Uint8ClampedArray, JsError> {
        let grid = grid_of((x_min, x_max, y_min, y_max), width, height)?;
        self.probs.resize(grid.cells() * self.inner.classes(), 0.0);
        self.inner
            .grids(&grid, &mut self.probs, &mut self.member_probs)?;
        decision_map(&self.probs, self.inner.classes(), &mut self.rgba);
        // SAFETY: as above.
        Ok(unsafe { super::clamped_view(&self.rgba) })
    }

    /// The averaged map followed by every member's, in one buffer of
    /// `(count + 1) × width × height` RGBA pixels (a view): the same cost
    /// as `predictGrid`, for a demo that shows the members as tiles.
    #[wasm_bindgen(js_name = predictGrids)]
    pub fn predict_grids(
        &mut self,
        #[wasm_bindgen(js_name = xMin)] x_min: f64,
        #[wasm_bindgen(js_name = xMax)] x_max: f64,
        #[wasm_bindgen(js_name = yMin)] y_min: f64,
        #[wasm_bindgen(js_name = yMax)] y_max: f64,
        width: usize,
        height: usize,
    ) -> Result<Uint8ClampedArray, JsError> {
        let grid = grid_of((x_min, x_max, y_min, y_max), width, height)?;
        let maps = self.inner.count() + 1;
        if maps * grid.cells() > MAX_GRID_CELLS {
            return Err(JsError::new(&format!(
                "predictGrids may render at most {MAX_GRID_CELLS} cells in all, got {maps} maps of {width} × {height}"
            )));
        }
        let classes = self.inner.classes();
        self.probs.resize(grid.cells() * classes, 0.0);
        self.inner
            .grids(&grid, &mut self.probs, &mut self.member_probs)?;
        decision_map(&self.probs, classes, &mut self.rgba);
        decision_map(&self.member_probs, classes, &mut self.map);
        self.rgba.extend_from_slice(&self.map);
        // SAFETY: as above.
        Ok(unsafe { super::clamped_view(&self.rgba) })
    }

    /// Member `member`'s decision map (same arguments and layout as
    /// `predictGrid`; a view). One forward over the grid, none for a
    /// snapshot asked for the same grid again.
    #[wasm_bindgen(js_name = memberGrid)]
    #[allow(clippy::too_many_arguments)]
    pub fn member_grid(
        &mut self,
        member: usize,
        #[wasm_bindgen(js_name = xMin)] x_min: f64,
        #[wasm_bindgen(js_name = xMax)] x_max: f64,
        #[wasm_bindgen(js_name = yMin)] y_min: f64,
        #[wasm_bindgen(js_name = yMax)] y_max: f64,
        width: usize,
        height: usize,
    ) -> Result<Uint8ClampedArray, JsError> {
        let grid = grid_of((x_min, x_max, y_min, y_max), width, height)?;
        self.probs.resize(grid.cells() * self.inner.classes(), 0.0);
        self.inner.member_grid(member, &grid, &mut self.probs)?;
        decision_map(&self.probs, self.inner.classes(), &mut self.rgba);
        // SAFETY: as above.
        Ok(unsafe { super::clamped_view(&self.rgba) })
    }

    /// Run `run`'s live model's decision map (for a snapshot ensemble run 0
    /// is the one run, between snapshots; a view).
    #[wasm_bindgen(js_name = runGrid)]
    #[allow(clippy::too_many_arguments)]
    pub fn run_grid(
        &mut self,
        run: usize,
        #[wasm_bindgen(js_name = xMin)] x_min: f64,
        #[wasm_bindgen(js_name = xMax)] x_max: f64,
        #[wasm_bindgen(js_name = yMin)] y_min: f64,
        #[wasm_bindgen(js_name = yMax)] y_max: f64,
        width: usize,
        height: usize,
    ) -> Result<Uint8ClampedArray, JsError> {
        let grid = grid_of((x_min, x_max, y_min, y_max), width, height)?;
        self.probs.resize(grid.cells() * self.inner.classes(), 0.0);
        self.inner.run_grid(run, &grid, &mut self.probs)?;
        decision_map(&self.probs, self.inner.classes(), &mut self.rgba);
        // SAFETY: as above.
        Ok(unsafe { super::clamped_view(&self.rgba) })
    }

    /// Class probabilities behind the last map drawn (cells × classes; for
    /// `predictGrid`/`predictGrids` the averaged ones; a view).
    #[wasm_bindgen(js_name = gridProbabilities)]
    pub fn grid_probabilities(&self) -> Float32Array {
        // SAFETY: as above.
        unsafe { Float32Array::view(&self.probs) }
    }

    /// Training points `[x0, y0, …]`, shared by every member (a view).
    #[wasm_bindgen(js_name = trainPoints)]
    pub fn train_points(&self) -> Float32Array {
        // SAFETY: as above.
        unsafe { Float32Array::view(self.inner.train_set().points()) }
    }

    /// Training labels (a view).
    #[wasm_bindgen(js_name = trainLabels)]
    pub fn train_labels(&self) -> Uint32Array {
        // SAFETY: as above.
        unsafe { Uint32Array::view(self.inner.train_set().labels()) }
    }

    /// Validation points (a view).
    #[wasm_bindgen(js_name = valPoints)]
    pub fn val_points(&self) -> Float32Array {
        // SAFETY: as above.
        unsafe { Float32Array::view(self.inner.val_set().points()) }
    }

    /// Validation labels (a view).
    #[wasm_bindgen(js_name = valLabels)]
    pub fn val_labels(&self) -> Uint32Array {
        // SAFETY: as above.
        unsafe { Uint32Array::view(self.inner.val_set().labels()) }
    }
}
