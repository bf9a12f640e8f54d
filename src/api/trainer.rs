//! `new Trainer({...})`: a small network trained live (the network lab).
//!
//! ```js
//! const t = new Trainer({ dataset: { kind: "spiral", classes: 3, pointsPerClass: 100,
//!   noise: 0.2, seed: 1 }, validationSplit: 0.2, hidden: [100], activation: "relu",
//!   dropout: null, batchNorm: false, optimizer: { kind: "sgd", lr: 1.0 }, l2: 1e-3,
//!   batchSize: 300, seed: 1 });
//! t.train(100);      // -> { loss, trainAccuracy, valAccuracy }
//! t.getWeights();    // -> [W1, b1, W2, b2, …] Float32Arrays, W row-major [in][out]
//! ```
//!
//! Views (`trainPoints()`, `predictGrid(…)`, `preActivations(h)`, …) look
//! straight into wasm memory: read them before the next call into wasm.

use js_sys::{
    Array, ArrayBuffer, Float32Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array,
    Uint8ClampedArray,
};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::chart::parse_color;
use super::read_config;
use crate::config::{network_optimizer, trainer_setup_with, ConfigValue, DatasetArrays};
use crate::error::Error;
use crate::nn::{DropoutMode, Layer, LayerSpec, Mode, Progress, SetScore, Trainer};
use crate::render::{
    decision_map, draw_line_chart, feature_mosaic, filter_mosaic, ChartSpec, Mosaic, Series,
};

/// At most this many steps per `train` call, so one call cannot freeze the page.
const MAX_STEPS_PER_CALL: usize = 100_000;
/// Evaluations kept for the curves (older ones are thinned out).
const MAX_RECORDS: usize = 4_096;
/// Most masks `ensembleGap` averages.
const MAX_ENSEMBLE: usize = 4_096;
/// Charts are skipped on canvases smaller than this (not laid out yet).
const MIN_CHART_SIDE: u32 = 48;
/// Largest decision-boundary grid side.
const MAX_GRID_SIDE: usize = 2_048;
/// Largest pixel scale of the filter and feature-map mosaics.
const MAX_TILE_SCALE: usize = 32;
/// Most mistakes `mostConfidentlyWrong` lists.
const MAX_MISTAKES: usize = 1_000;

/// One evaluation of the model: where the curves get their points.
#[derive(Clone, Copy, Debug)]
struct Record {
    step: u64,
    train_loss: f64,
    val_loss: f64,
    train_accuracy: f64,
    val_accuracy: f64,
}

/// A network training run with its data, curves and drawing buffers.
#[wasm_bindgen(js_name = Trainer)]
pub struct JsTrainer {
    inner: Trainer,
    records: Vec<Record>,
    probs: Vec<f32>,
    rgba: Vec<u8>,
    scratch: Vec<f32>,
    eval_steps: Vec<f64>,
    eval_values: [Vec<f64>; 4],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainReport {
    loss: f64,
    train_accuracy: f64,
    val_accuracy: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EvaluationReport {
    step: f64,
    loss: f64,
    train_loss: f64,
    val_loss: Option<f64>,
    train_accuracy: f64,
    val_accuracy: Option<f64>,
    lr: f64,
    current: Option<CurrentReport>,
}

/// The weights' own metrics beside their Polyak average's.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CurrentReport {
    train_loss: f64,
    val_loss: Option<f64>,
    train_accuracy: f64,
    val_accuracy: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlockReport {
    name: String,
    rows: usize,
    cols: usize,
    layer: usize,
    dims: Vec<usize>,
}

/// Serialises with `None` as null (not undefined), as the API documents.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(value.serialize(&serializer)?)
}

/// Takes typed arrays out of `config.dataset` (`x`, `y`, `data`, or an
/// ArrayBuffer as `data`) into [`DatasetArrays`], and returns the settings
/// without them: thousands of image values would otherwise go through the
/// settings reader one `ConfigValue` at a time. Plain arrays stay where they are.
fn split_arrays(config: &JsValue) -> Result<(JsValue, DatasetArrays), JsError> {
    let js = |e: JsValue| JsError::new(&format!("trainer settings could not be read: {e:?}"));
    let mut arrays = DatasetArrays::default();
    if !config.is_object() {
        return Ok((config.clone(), arrays));
    }
    let dataset = Reflect::get(config, &"dataset".into()).map_err(js)?;
    if !dataset.is_object() {
        return Ok((config.clone(), arrays));
    }
    let copy = super::assign_catching(&Object::new(), &dataset).map_err(js)?;
    let mut changed = false;
    for key in ["x", "y", "data"] {
        let value = Reflect::get(&dataset, &key.into()).map_err(js)?;
        let is_buffer = value.is_instance_of::<ArrayBuffer>();
        if !ArrayBuffer::is_view(&value) && !is_buffer {
            continue;
        }
        match key {
            "x" => arrays.x = Some(Float32Array::new(&value).to_vec()),
            "y" => arrays.y = Some(Float64Array::new(&value).to_vec()),
            _ => arrays.data = Some(Uint8Array::new(&value).to_vec()),
        }
        Reflect::delete_property(&copy, &key.into()).map_err(js)?;
        changed = true;
    }
    if !changed {
        return Ok((config.clone(), arrays));
    }
    let top = super::assign_catching(&Object::new(), config).map_err(js)?;
    Reflect::set(&top, &"dataset".into(), &copy).map_err(js)?;
    Ok((top.into(), arrays))
}

/// Copies typed arrays in `config.dataset.x` / `.y` into plain arrays, so
/// the settings reader (which sees only plain JS values) can take them.
pub(crate) fn plain_config(config: &JsValue) -> Result<JsValue, JsError> {
    let js = |e: JsValue| JsError::new(&format!("trainer settings could not be read: {e:?}"));
    if !config.is_object() {
        return Ok(config.clone());
    }
    let dataset = Reflect::get(config, &"dataset".into()).map_err(js)?;
    if !dataset.is_object() {
        return Ok(config.clone());
    }
    let copy = super::assign_catching(&Object::new(), &dataset).map_err(js)?;
    let mut changed = false;
    for key in ["x", "y"] {
        let value = Reflect::get(&dataset, &key.into()).map_err(js)?;
        if ArrayBuffer::is_view(&value) {
            Reflect::set(&copy, &key.into(), &Array::from(&value)).map_err(js)?;
            changed = true;
        }
    }
    if !changed {
        return Ok(config.clone());
    }
    let top = super::assign_catching(&Object::new(), config).map_err(js)?;
    Reflect::set(&top, &"dataset".into(), &copy).map_err(js)?;
    Ok(top.into())
}

/// A list of numbers from a typed array or a plain array.
fn numbers_of(value: &JsValue, what: &str) -> Result<Vec<f64>, Error> {
    if ArrayBuffer::is_view(value) || Array::is_array(value) {
        let array = Float64Array::new(value);
        Ok(array.to_vec())
    } else {
        Err(Error::new(format!(
            "{what} must be a Float64Array, Float32Array or array of numbers"
        )))
    }
}

/// Rows of `[x, y]` from a flat list of coordinates.
pub(crate) fn rows_of(inputs: &JsValue) -> Result<Vec<f32>, Error> {
    let values = numbers_of(inputs, "inputs")?;
    if values.is_empty() || values.len() % 2 != 0 {
        return Err(Error::new(format!(
            "inputs must hold [x0, y0, x1, y1, …] with at least one point, got {} numbers",
            values.len()
        )));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::new("inputs must be finite numbers"));
    }
    Ok(values.iter().map(|&v| v as f32).collect())
}

/// Whole examples of `width` values each from a typed or plain array;
/// `shape` (as `C×H×W` or a count) goes into the error message.
fn example_rows_of(inputs: &JsValue, width: usize, shape: &str) -> Result<Vec<f32>, Error> {
    let values = numbers_of(inputs, "inputs")?;
    if values.is_empty() || values.len() % width != 0 {
        return Err(Error::new(format!(
            "inputs must hold whole examples of {width} values ({shape}), at least one, got {} numbers",
            values.len()
        )));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::new("inputs must be finite numbers"));
    }
    Ok(values.iter().map(|&v| v as f32).collect())
}

/// A mosaic as `{width, height, columns, rows, tileWidth, tileHeight,
/// scale, pixels}` with `pixels` a fresh Uint8ClampedArray (RGBA).
fn mosaic_to_js(mosaic: &Mosaic) -> Result<JsValue, JsError> {
    let out = Object::new();
    let js = |e: JsValue| JsError::new(&format!("{e:?}"));
    for (key, value) in [
        ("width", mosaic.width),
        ("height", mosaic.height),
        ("columns", mosaic.columns),
        ("rows", mosaic.rows),
        ("tileWidth", mosaic.tile_width),
        ("tileHeight", mosaic.tile_height),
        ("scale", mosaic.scale),
    ] {
        Reflect::set(&out, &key.into(), &(value as f64).into()).map_err(js)?;
    }
    let pixels = Uint8ClampedArray::from(&mosaic.pixels[..]);
    Reflect::set(&out, &"pixels".into(), &pixels).map_err(js)?;
    Ok(out.into())
}

/// A mosaic's `scale` option (pixels per value), 1 to [`MAX_TILE_SCALE`].
fn tile_scale(options: &JsValue, default: usize) -> Result<usize, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(default);
    }
    let config = read_config(options, "tiles")?;
    let cfg = config.as_map("tiles")?;
    cfg.allow_only(&["scale"])?;
    Ok(cfg.integer_or("scale", default as u64, 1, MAX_TILE_SCALE as u64)? as usize)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressReport {
    evaluated: usize,
    total: usize,
    done: bool,
}

impl From<Progress> for ProgressReport {
    fn from(p: Progress) -> Self {
        ProgressReport {
            evaluated: p.evaluated,
            total: p.total,
            done: p.done(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EvaluationResultReport {
    step: f64,
    evaluated: usize,
    total: usize,
    done: bool,
    train_loss: Option<f64>,
    train_accuracy: Option<f64>,
    val_loss: Option<f64>,
    val_accuracy: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LayerReport {
    index: usize,
    kind: &'static str,
    output_shape: [usize; 3],
    parameters: usize,
}

/// The test-time dropout factor a scaling name asks for.
fn eval_mode_for(name: &str) -> Result<Option<DropoutMode>, Error> {
    match name {
        "auto" => Ok(None),
        // Eval factor p_keep is what the original convention applies.
        "keep" => Ok(Some(DropoutMode::Original)),
        // Eval factor 1 is what the inverted convention applies.
        "none" => Ok(Some(DropoutMode::Inverted)),
        other => Err(Error::new(format!(
            "testScale must be \"auto\", \"keep\" or \"none\", got \"{other}\""
        ))),
    }
}

#[wasm_bindgen(js_class = Trainer)]
impl JsTrainer {
    /// Builds the run from a settings object (see the module docs); throws
    /// an Error naming the first bad key.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrainerConfig")] config: JsValue,
    ) -> Result<JsTrainer, JsError> {
        let (config, arrays) = split_arrays(&config)?;
        let config = read_config(&config, "trainer")?;
        let setup = trainer_setup_with(&config, &arrays)?;
        Ok(JsTrainer {
            inner: setup.build()?,
            records: Vec::new(),
            probs: Vec::new(),
            rgba: Vec::new(),
            scratch: Vec::new(),
            eval_steps: Vec::new(),
            eval_values: Default::default(),
        })
    }

    /// Takes `steps` optimizer steps (0 only evaluates), then returns
    /// `{loss, trainAccuracy, valAccuracy}`: the last minibatch's loss (data
    /// + L2) and eval-mode accuracies (`valAccuracy` null without validation).
    #[wasm_bindgen(unchecked_return_type = "TrainReport")]
    pub fn train(&mut self, steps: f64) -> Result<JsValue, JsError> {
        let steps = crate::nn::whole_number("steps", steps, 0, MAX_STEPS_PER_CALL)?;
        self.inner.run(steps)?;
        let (train, val) = self.inner.scores()?;
        self.record(self.inner.steps(), &train, val.as_ref());
        to_js(&TrainReport {
            loss: self.inner.current_loss(&train),
            train_accuracy: train.accuracy,
            val_accuracy: val.map(|v| v.accuracy),
        })
    }

    /// `steps` optimizer steps without evaluating anything (the cheap call
    /// for animation frames; `train(0)` evaluates and records later).
    /// Returns the last step's minibatch loss (data + L2), NaN before any.
    pub fn run(&mut self, steps: f64) -> Result<f64, JsError> {
        let steps = crate::nn::whole_number("steps", steps, 0, MAX_STEPS_PER_CALL)?;
        Ok(self.inner.run(steps)?.map_or(f64::NAN, |loss| loss.total()))
    }

    /// The model now: `{step, loss, trainLoss, valLoss, trainAccuracy,
    /// valAccuracy, lr, current}`; trainLoss/valLoss are eval-mode
    /// cross-entropy without the L2 term (valLoss null without validation).
    /// With `polyak` these use the averaged weights, and `current` holds
    /// `{trainLoss, valLoss, trainAccuracy, valAccuracy}` of the weights
    /// themselves (one more evaluation); without it `current` is null.
    #[wasm_bindgen(unchecked_return_type = "Evaluation")]
    pub fn evaluate(&mut self) -> Result<JsValue, JsError> {
        let (train, val) = self.inner.scores()?;
        let current = match self.inner.polyak() {
            None => None,
            Some(_) => Some(self.inner.without_polyak(|raw| {
                let (train, val) = raw.scores()?;
                Ok::<_, Error>(CurrentReport {
                    train_loss: train.loss,
                    val_loss: val.map(|v| v.loss),
                    train_accuracy: train.accuracy,
                    val_accuracy: val.map(|v| v.accuracy),
                })
            })?),
        };
        to_js(&EvaluationReport {
            step: self.inner.steps() as f64,
            loss: self.inner.current_loss(&train),
            train_loss: train.loss,
            val_loss: val.map(|v| v.loss),
            train_accuracy: train.accuracy,
            val_accuracy: val.map(|v| v.accuracy),
            lr: self.inner.current_lr(),
            current,
        })
    }

    /// The decay d of the Polyak average used for evaluation, or null (a
    /// plain `Option` would reach JS as undefined).
    #[wasm_bindgen(getter, unchecked_return_type = "number | null")]
    pub fn polyak(&self) -> JsValue {
        self.inner
            .polyak()
            .map_or(JsValue::NULL, |p| JsValue::from_f64(p.decay()))
    }

    /// Adds an evaluation at `step` to the curves (in step order; one per step).
    fn record(&mut self, step: u64, train: &SetScore, val: Option<&SetScore>) {
        let record = Record {
            step,
            train_loss: train.loss,
            val_loss: val.map_or(f64::NAN, |v| v.loss),
            train_accuracy: train.accuracy,
            val_accuracy: val.map_or(f64::NAN, |v| v.accuracy),
        };
        let at = self.records.partition_point(|r| r.step < step);
        if self.records.get(at).is_some_and(|r| r.step == step) {
            self.records[at] = record;
            return;
        }
        if self.records.len() >= MAX_RECORDS {
            // Keep every other old record: the curves stay bounded in memory.
            let mut keep = true;
            self.records.retain(|_| {
                keep = !keep;
                keep
            });
        }
        let at = self.records.partition_point(|r| r.step < step);
        self.records.insert(at, record);
    }

    /// Steps taken so far.
    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.inner.steps() as f64
    }

    /// The learning rate the next step uses (after any schedule).
    #[wasm_bindgen(getter)]
    pub fn lr(&self) -> f64 {
        self.inner.current_lr()
    }

    /// Number of classes.
    #[wasm_bindgen(getter)]
    pub fn classes(&self) -> usize {
        self.inner.model().spec().classes
    }

    /// Rows per step (the requested batch size capped at the training-set size).
    #[wasm_bindgen(getter, js_name = batchSize)]
    pub fn batch_size(&self) -> usize {
        self.inner.batch_size()
    }

    /// Widths of the hidden layers (with `layers`: every dense layer but the last).
    #[wasm_bindgen(getter, js_name = hiddenWidths)]
    pub fn hidden_widths(&self) -> Vec<u32> {
        let model = self.inner.model();
        if model.spec().layers.is_none() {
            return model.spec().hidden.iter().map(|&w| w as u32).collect();
        }
        let specs = model.layer_specs();
        specs[..specs.len() - 1]
            .iter()
            .filter_map(|layer| match layer {
                LayerSpec::Dense { units } => Some(*units as u32),
                _ => None,
            })
            .collect()
    }

    /// The shape of one input example, `[channels, height, width]`
    /// (`[2, 1, 1]` for points of the plane).
    #[wasm_bindgen(getter, js_name = inputShape)]
    pub fn input_shape(&self) -> Vec<u32> {
        let s = self.inner.model().shapes()[0];
        vec![s.channels as u32, s.height as u32, s.width as u32]
    }

    /// Every layer in order: `[{index, kind, outputShape: [c, h, w],
    /// parameters}]` (the shorthand `hidden` expanded into its layers).
    #[wasm_bindgen(js_name = layerInfo, unchecked_return_type = "LayerInfo[]")]
    pub fn layer_info(&self) -> Result<JsValue, JsError> {
        let model = self.inner.model();
        let reports: Vec<LayerReport> = model
            .layer_specs()
            .iter()
            .enumerate()
            .map(|(index, layer)| {
                let s = model.shapes()[index + 1];
                LayerReport {
                    index,
                    kind: layer.kind_name(),
                    output_shape: [s.channels, s.height, s.width],
                    parameters: layer.parameter_count(model.shapes()[index]),
                }
            })
            .collect();
        to_js(&reports)
    }

    /// Total number of parameters.
    #[wasm_bindgen(getter, js_name = parameterCount)]
    pub fn parameter_count(&self) -> usize {
        self.inner.model().parameter_count()
    }

    /// The parameter blocks in `getWeights` order: `[{name, rows, cols,
    /// layer, dims}]`, names "W1", "b1", ("gamma1", "beta1" with batch
    /// norm), "W2", … counting conv and dense layers; `layer` indexes
    /// `layerInfo()`, `dims` is the full shape (`[F, C, K, K]` for a conv `W`).
    #[wasm_bindgen(js_name = weightShapes, unchecked_return_type = "WeightShape[]")]
    pub fn weight_shapes(&self) -> Result<JsValue, JsError> {
        let blocks: Vec<BlockReport> = self
            .inner
            .model()
            .blocks()
            .iter()
            .map(|b| BlockReport {
                name: b.name.clone(),
                rows: b.shape.0,
                cols: b.shape.1,
                layer: b.layer,
                dims: b.dims.clone(),
            })
            .collect();
        to_js(&blocks)
    }

    /// Copies of the parameters, one Float32Array per block: `[W1, b1, W2,
    /// b2, …]` with W row-major `[in][out]`; with batch norm each hidden
    /// layer's γ and β follow its bias.
    #[wasm_bindgen(js_name = getWeights, unchecked_return_type = "Float32Array[]")]
    pub fn get_weights(&self) -> Array {
        let model = self.inner.model();
        model
            .blocks()
            .iter()
            .map(|b| JsValue::from(Float32Array::from(&model.params()[b.range()])))
            .collect()
    }

    /// Replaces every parameter from arrays in the `getWeights` layout; the
    /// error names the block whose size or values are wrong. With
    /// `options.layers = n`, only the first n layers with parameters are
    /// replaced, from the first arrays of the list (a source network's
    /// whole `getWeights()` may be given: the arrays after those blocks are
    /// ignored), and the rest of the network keeps its weights. Add
    /// `freshHead: true` to put a borrowed body under a new head: the rest
    /// is then re-initialised from a seed derived from the trainer's
    /// (`Trainer::borrow_body` in Rust), not left at the initial weights a
    /// source model trained with the same seed also started from.
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers[]")] arrays: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SetWeightsOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<(), JsError> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        if !Array::is_array(&arrays) {
            return Err(JsError::new(
                "setWeights takes an array of Float32Arrays in getWeights order",
            ));
        }
        let arrays = Array::from(&arrays);
        let param_layers = self.inner.model().param_layers().len();
        let mut fresh_head = false;
        let layers = if options.is_undefined() || options.is_null() {
            None
        } else {
            let config = read_config(&options, "setWeights options")?;
            let cfg = config.as_map("setWeights options")?;
            cfg.allow_only(&["layers", "freshHead"])?;
            fresh_head = cfg.boolean_or("freshHead", false)?;
            match cfg.number("layers")? {
                Some(n) => Some(
                    crate::nn::whole_number("layers", n, 0, param_layers).map_err(|_| {
                        Error::new(format!(
                        "setWeights option layers must be a whole number from 0 to {param_layers} (the layers with parameters), got {n}"
                    ))
                    })?,
                ),
                None => None,
            }
        };
        if fresh_head && layers.is_none() {
            return Err(JsError::new(
                "setWeights option freshHead needs layers (the body to keep): without it every weight is replaced",
            ));
        }
        let all_blocks = self.inner.model().blocks().to_vec();
        let blocks: Vec<_> = match layers {
            Some(n) => {
                let end = self.inner.model().param_prefix_len(n);
                all_blocks
                    .into_iter()
                    .filter(|b| b.range().end <= end)
                    .collect()
            }
            None => all_blocks,
        };
        let count_ok = match layers {
            Some(_) => arrays.length() as usize >= blocks.len(),
            None => arrays.length() as usize == blocks.len(),
        };
        if !count_ok {
            return Err(JsError::new(&format!(
                "setWeights needs {}{} arrays ({}), got {}",
                if layers.is_some() { "at least " } else { "" },
                blocks.len(),
                blocks
                    .iter()
                    .map(|b| b.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                arrays.length()
            )));
        }
        let mut flat = Vec::with_capacity(self.inner.model().parameter_count());
        for (i, block) in blocks.iter().enumerate() {
            let values = numbers_of(&arrays.get(i as u32), &block.name)?;
            if values.len() != block.len() {
                return Err(JsError::new(&format!(
                    "{} must hold {} values ({} × {}), got {}",
                    block.name,
                    block.len(),
                    block.shape.0,
                    block.shape.1,
                    values.len()
                )));
            }
            if values.iter().any(|v| !v.is_finite()) {
                return Err(JsError::new(&format!("{} must be finite", block.name)));
            }
            flat.extend(values.iter().map(|&v| v as f32));
        }
        match layers {
            Some(n) if fresh_head => self.inner.borrow_body(n, &flat)?,
            Some(n) => self.inner.model_mut().set_prefix_weights(n, &flat)?,
            None => self.inner.model_mut().set_weights(&flat)?,
        }
        self.inner.restart_polyak();
        Ok(())
    }

    /// Copies the first `n` layers with parameters of `source` (weights and
    /// batch-norm running statistics) into this network, whose layers up
    /// to there must be the same; the rest keeps its weights.
    #[wasm_bindgen(js_name = copyLayersFrom)]
    pub fn copy_layers_from(&mut self, source: &JsTrainer, n: f64) -> Result<(), JsError> {
        let count = self.inner.model().param_layers().len();
        let n = crate::nn::whole_number("layers", n, 0, count)?;
        self.inner
            .model_mut()
            .copy_layers_from(source.inner.model(), n)?;
        self.inner.restart_polyak();
        Ok(())
    }

    /// How many of the first layers with parameters are frozen.
    #[wasm_bindgen(getter)]
    pub fn frozen(&self) -> usize {
        self.inner.frozen()
    }

    /// Freezes the first `n` layers with parameters (0 unfreezes all; see
    /// README). When n changes the optimizer's state restarts. Throws an
    /// Error naming `frozen` for a negative, fractional, non-finite or too
    /// large n.
    #[wasm_bindgen(js_name = setFrozen)]
    pub fn set_frozen(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<(), JsError> {
        let value = n.as_f64().ok_or_else(|| {
            let got = match n.as_string() {
                Some(text) => format!("the string \"{text}\""),
                None => n.js_typeof().as_string().unwrap_or_default(),
            };
            JsError::new(&format!(
                "frozen must be a whole number from 0 to {} (the layers with parameters), got {got}",
                self.inner.model().param_layers().len()
            ))
        })?;
        self.inner.set_frozen(value)?;
        Ok(())
    }

    /// Replaces the optimizer with a fresh one from `config` (the settings
    /// of the `optimizer` key, `schedule` included; a schedule counts its
    /// steps from now). No velocity or moments are carried over.
    #[wasm_bindgen(js_name = setOptimizer)]
    pub fn set_optimizer(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "FirstOrderConfig")] config: JsValue,
    ) -> Result<(), JsError> {
        let config = read_config(&config, "optimizer")?;
        let (settings, schedule) = network_optimizer(&config)?;
        let schedule: Option<crate::nn::LrSchedule> =
            schedule.map(|spec| Box::new(move |step| spec.at(step)) as crate::nn::LrSchedule);
        self.inner.set_optimizer(settings, schedule)?;
        Ok(())
    }

    /// Sets one learning-rate factor per layer with parameters (null: 1 for
    /// all); the optimizer's state is kept. Throws naming `lrMultipliers`.
    #[wasm_bindgen(js_name = setLrMultipliers)]
    pub fn set_lr_multipliers(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers | null")] multipliers: JsValue,
    ) -> Result<(), JsError> {
        let list = if multipliers.is_null() || multipliers.is_undefined() {
            None
        } else {
            Some(numbers_of(&multipliers, "lrMultipliers")?)
        };
        self.inner.set_lr_multipliers(list)?;
        Ok(())
    }

    /// The learning-rate factors per layer with parameters (a copy), or
    /// undefined when none are set.
    #[wasm_bindgen(getter, js_name = lrMultipliers)]
    pub fn lr_multipliers(&self) -> Option<Float64Array> {
        self.inner.lr_multipliers().map(Float64Array::from)
    }

    /// The learning rate of each layer with parameters in the next step:
    /// 0 when frozen, else the current rate times its multiplier (a copy).
    #[wasm_bindgen(js_name = layerRates)]
    pub fn layer_rates(&self) -> Float64Array {
        Float64Array::from(&self.inner.layer_rates()[..])
    }

    /// Indices (into `layerInfo()`) of the layers that have parameters.
    #[wasm_bindgen(js_name = paramLayers)]
    pub fn param_layers(&self) -> Vec<u32> {
        self.inner
            .model()
            .param_layers()
            .into_iter()
            .map(|l| l as u32)
            .collect()
    }

    /// Training points `[x0, y0, x1, y1, …]` (a view).
    #[wasm_bindgen(js_name = trainPoints)]
    pub fn train_points(&self) -> Float32Array {
        // SAFETY: read by JS before the next call into wasm.
        unsafe { Float32Array::view(self.inner.train_set().points()) }
    }

    /// Training labels (a view).
    #[wasm_bindgen(js_name = trainLabels)]
    pub fn train_labels(&self) -> Uint32Array {
        // SAFETY: as above.
        unsafe { Uint32Array::view(self.inner.train_set().labels()) }
    }

    /// Validation points (a view; empty when `validationSplit` is 0).
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

    /// Adds a training point of class `label` (the click-to-add path);
    /// weights and optimizer state are kept.
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: f64, y: f64, label: u32) -> Result<(), JsError> {
        if label as usize >= self.classes() {
            return Err(JsError::new(&format!(
                "label must be below classes = {}, got {label}",
                self.classes()
            )));
        }
        self.inner.add_point(x, y, label)?;
        Ok(())
    }

    /// Removes the point nearest to (x, y) within `radius`; returns whether
    /// one was removed.
    #[wasm_bindgen(js_name = removePoint)]
    pub fn remove_point(&mut self, x: f64, y: f64, radius: f64) -> Result<bool, JsError> {
        if !(x.is_finite() && y.is_finite() && radius.is_finite() && radius >= 0.0) {
            return Err(JsError::new(
                "removePoint needs finite x, y and a radius ≥ 0",
            ));
        }
        Ok(self.inner.remove_point_near(x, y, radius)?)
    }

    /// Renders the decision regions over `[xMin, xMax] × [yMin, yMax]` into
    /// `width × height` RGBA pixels (row 0 at the top): each cell takes the
    /// colour of its most likely class, paler where the network is unsure.
    /// Returns a view; wrap it in an ImageData at once.
    #[wasm_bindgen(js_name = predictGrid)]
    pub fn predict_grid(
        &mut self,
        #[wasm_bindgen(js_name = xMin)] x_min: f64,
        #[wasm_bindgen(js_name = xMax)] x_max: f64,
        #[wasm_bindgen(js_name = yMin)] y_min: f64,
        #[wasm_bindgen(js_name = yMax)] y_max: f64,
        width: usize,
        height: usize,
    ) -> Result<js_sys::Uint8ClampedArray, JsError> {
        if width > MAX_GRID_SIDE || height > MAX_GRID_SIDE {
            return Err(JsError::new(&format!(
                "the grid may be at most {MAX_GRID_SIDE} cells a side, got {width} × {height}"
            )));
        }
        let classes = self.classes();
        self.probs.resize(width * height * classes, 0.0);
        self.inner
            .predict_grid(x_min, x_max, y_min, y_max, width, height, &mut self.probs)?;
        decision_map(&self.probs, classes, &mut self.rgba);
        // SAFETY: read by JS before the next call into wasm.
        Ok(unsafe { super::clamped_view(&self.rgba) })
    }

    /// Class probabilities of the last `predictGrid` (height × width × classes, a view).
    #[wasm_bindgen(js_name = gridProbabilities)]
    pub fn grid_probabilities(&self) -> Float32Array {
        // SAFETY: as above.
        unsafe { Float32Array::view(&self.probs) }
    }

    /// The loss (data + L2) of every step's minibatch (a view).
    #[wasm_bindgen(js_name = lossHistory)]
    pub fn loss_history(&self) -> Float32Array {
        // SAFETY: as above.
        unsafe { Float32Array::view(self.inner.history()) }
    }

    /// The steps at which `train` evaluated (a view; pairs with
    /// `evalHistory`). Old evaluations are thinned out past 4 096.
    #[wasm_bindgen(js_name = evalSteps)]
    pub fn eval_steps(&mut self) -> Float64Array {
        self.eval_steps.clear();
        self.eval_steps
            .extend(self.records.iter().map(|r| r.step as f64));
        // SAFETY: as above.
        unsafe { Float64Array::view(&self.eval_steps) }
    }

    /// One curve of the evaluations, a view: `"trainLoss"`, `"valLoss"`,
    /// `"trainAccuracy"` or `"valAccuracy"` (NaN without validation).
    #[wasm_bindgen(js_name = evalHistory)]
    pub fn eval_history(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "EvalCurve")] which: &str,
    ) -> Result<Float64Array, JsError> {
        let index = match which {
            "trainLoss" => 0,
            "valLoss" => 1,
            "trainAccuracy" => 2,
            "valAccuracy" => 3,
            other => {
                return Err(JsError::new(&format!(
                "evalHistory takes trainLoss, valLoss, trainAccuracy or valAccuracy, got \"{other}\""
            )))
            }
        };
        let values = &mut self.eval_values[index];
        values.clear();
        values.extend(self.records.iter().map(|r| match index {
            0 => r.train_loss,
            1 => r.val_loss,
            2 => r.train_accuracy,
            _ => r.val_accuracy,
        }));
        // SAFETY: as above.
        Ok(unsafe { Float64Array::view(&self.eval_values[index]) })
    }

    /// Draws the training and validation curves on one step axis.
    ///
    /// `options`: `{metric: "loss" | "accuracy", trainColor, valColor,
    /// xLabel, yLabel, logY, minSteps, scale}`.
    #[wasm_bindgen(js_name = drawChart)]
    pub fn draw_chart(
        &self,
        canvas: HtmlCanvasElement,
        #[wasm_bindgen(unchecked_param_type = "TrainerChartOptions")] options: JsValue,
    ) -> Result<(), JsError> {
        // A canvas not laid out yet has no room for axes; plotters would fall
        // back to measuring text with styled DOM spans, which the page's CSP forbids.
        if canvas.width() < MIN_CHART_SIDE || canvas.height() < MIN_CHART_SIDE {
            return Ok(());
        }
        let config = read_config(&options, "chart")?;
        let cfg = config.as_map("chart")?;
        cfg.allow_only(&[
            "metric",
            "trainColor",
            "valColor",
            "xLabel",
            "yLabel",
            "logY",
            "minSteps",
            "scale",
        ])?;
        let accuracy = match cfg.value("metric") {
            None => false,
            Some(ConfigValue::Text(m)) if m == "loss" => false,
            Some(ConfigValue::Text(m)) if m == "accuracy" => true,
            Some(_) => {
                return Err(JsError::new(
                    "chart key 'metric' must be \"loss\" or \"accuracy\"",
                ))
            }
        };
        let color = |key: &str, default: &str| -> Result<(u8, u8, u8), Error> {
            match cfg.value(key) {
                Some(ConfigValue::Text(t)) => parse_color(t),
                _ => parse_color(default),
            }
        };
        let steps = self.inner.steps() as usize;
        // One value per step, held from each evaluation to the next.
        let mut train = vec![f64::NAN; steps + 1];
        let mut val = vec![f64::NAN; steps + 1];
        for (i, r) in self.records.iter().enumerate() {
            let end = self
                .records
                .get(i + 1)
                .map_or(steps + 1, |n| n.step as usize)
                .min(steps + 1);
            let (t, v) = if accuracy {
                (r.train_accuracy, r.val_accuracy)
            } else {
                (r.train_loss, r.val_loss)
            };
            for s in (r.step as usize).min(steps + 1)..end {
                train[s] = t;
                val[s] = v;
            }
        }
        let mut series = vec![Series {
            values: &train,
            color: color("trainColor", "#1f77b4")?,
            emphasised: true,
        }];
        if val.iter().any(|v| v.is_finite()) {
            series.push(Series {
                values: &val,
                color: color("valColor", "#ff7f0e")?,
                emphasised: true,
            });
        }
        let spec = ChartSpec {
            series,
            x_label: cfg.text("xLabel").unwrap_or("step"),
            y_label: cfg
                .text("yLabel")
                .unwrap_or(if accuracy { "accuracy" } else { "loss" }),
            log_y: cfg.boolean_or("logY", !accuracy)?,
            offset: 0.0,
            min_x_extent: cfg.integer_or("minSteps", 100, 1, 10_000_000)? as usize,
            marker_x: None,
            scale: cfg.number_or("scale", 1.0)?,
        };
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| JsError::new("the chart canvas has no 2-D context"))?;
        draw_line_chart(&backend.into_drawing_area(), &spec)?;
        Ok(())
    }

    /// Hidden layer `layer`'s (0-based) activation inputs for the last
    /// training batch, after batch norm when it is on (rows × width, a
    /// view; empty before the first step or for a bad layer).
    #[wasm_bindgen(js_name = preActivations)]
    pub fn pre_activations(&self, layer: usize) -> Float32Array {
        let values = self.inner.model().pre_activations(layer).unwrap_or(&[]);
        // SAFETY: as above.
        unsafe { Float32Array::view(values) }
    }

    /// Hidden layer `layer`'s dense outputs for the last training batch,
    /// before batch norm (a view).
    #[wasm_bindgen(js_name = denseOutputs)]
    pub fn dense_outputs(&self, layer: usize) -> Float32Array {
        let values = self.inner.model().dense_outputs(layer).unwrap_or(&[]);
        // SAFETY: as above.
        unsafe { Float32Array::view(values) }
    }

    /// The dropout mask (1 kept, 0 dropped) hidden layer `layer` used in the
    /// last training forward (rows × width, a view; empty without dropout).
    #[wasm_bindgen(js_name = dropoutMask)]
    pub fn dropout_mask(&self, layer: usize) -> Float32Array {
        let values = self.inner.model().dropout_mask(layer).unwrap_or(&[]);
        // SAFETY: as above.
        unsafe { Float32Array::view(values) }
    }

    /// Batch-norm statistics of hidden layer `layer`: `{batchMean, batchVar,
    /// runningMean, runningVar, momentum}` (copies; batch values are from the
    /// last training forward), or null without batch norm.
    #[wasm_bindgen(js_name = batchNormStats, unchecked_return_type = "BatchNormStats | null")]
    pub fn batch_norm_stats(&self, layer: usize) -> Result<JsValue, JsError> {
        let Some(norm) = self.inner.model().batch_norm(layer) else {
            return Ok(JsValue::NULL);
        };
        let out = Object::new();
        let js = |e: JsValue| JsError::new(&format!("{e:?}"));
        for (key, values) in [
            ("batchMean", norm.batch_mean()),
            ("batchVar", norm.batch_var()),
            ("runningMean", norm.running_mean()),
            ("runningVar", norm.running_var()),
        ] {
            Reflect::set(&out, &key.into(), &Float32Array::from(values)).map_err(js)?;
        }
        Reflect::set(&out, &"momentum".into(), &norm.momentum().into()).map_err(js)?;
        Ok(out.into())
    }

    /// A training-mode forward of `inputs` (`[x0, y0, …]`): fresh dropout
    /// masks and batch statistics (which also move the running averages).
    /// Returns the scores (rows × classes, a copy); `dropoutMask(h)` and
    /// `preActivations(h)` then show this pass.
    #[wasm_bindgen(js_name = forwardTrain)]
    pub fn forward_train(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
    ) -> Result<Float32Array, JsError> {
        let rows = self.example_rows(&inputs)?;
        let scores = self.inner.model_mut().forward(&rows, Mode::Train)?;
        Ok(Float32Array::from(scores))
    }

    /// An eval-mode forward of `inputs`; returns the scores (a copy).
    /// `testScale` sets the dropout factor at test time: "auto" (the run's
    /// `dropoutMode`), "keep" (multiply by p_keep = 1 − dropout, the
    /// lecture's rule) or "none" (factor 1: right for inverted dropout,
    /// the forgotten scaling for the original one).
    #[wasm_bindgen(js_name = forwardEval)]
    pub fn forward_eval(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
        #[wasm_bindgen(js_name = testScale, unchecked_optional_param_type = "TestScale")]
        test_scale: Option<String>,
    ) -> Result<Float32Array, JsError> {
        let rows = self.example_rows(&inputs)?;
        let scale = eval_mode_for(test_scale.as_deref().unwrap_or("auto"))?;
        self.eval_scores(&rows, scale)?;
        Ok(Float32Array::from(&self.scratch[..]))
    }

    fn eval_scores(&mut self, rows: &[f32], scale: Option<DropoutMode>) -> Result<(), Error> {
        let hidden = self.inner.model().hidden_layers().len();
        let model = self.inner.model_mut();
        let saved: Vec<Option<DropoutMode>> = (0..hidden)
            .map(|h| model.dropout(h).map(|d| d.mode()))
            .collect();
        if let Some(mode) = scale {
            for h in 0..hidden {
                if let Some(d) = model.dropout_mut(h) {
                    d.set_mode(mode);
                }
            }
        }
        let mut scores = std::mem::take(&mut self.scratch);
        let result = self
            .inner
            .with_eval_weights(|model| model.outputs(rows, &mut scores).map(|()| scores));
        let model = self.inner.model_mut();
        for (h, mode) in saved.into_iter().enumerate() {
            if let (Some(d), Some(mode)) = (model.dropout_mut(h), mode) {
                d.set_mode(mode);
            }
        }
        self.scratch = result?;
        Ok(())
    }

    /// Dropout as an ensemble: for K = 1 … `kMax`, the mean absolute gap
    /// between the average scores of K training-mode passes (K random
    /// masks) and the eval-mode scores (test scaling `testScale`, as in
    /// `forwardEval`) on `inputs`. Returns a Float64Array of `kMax` gaps.
    #[wasm_bindgen(js_name = ensembleGap)]
    pub fn ensemble_gap(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
        #[wasm_bindgen(js_name = kMax)] k_max: usize,
        #[wasm_bindgen(js_name = testScale, unchecked_optional_param_type = "TestScale")]
        test_scale: Option<String>,
    ) -> Result<Float64Array, JsError> {
        if !(1..=MAX_ENSEMBLE).contains(&k_max) {
            return Err(JsError::new(&format!(
                "kMax must be between 1 and {MAX_ENSEMBLE}, got {k_max}"
            )));
        }
        let rows = self.example_rows(&inputs)?;
        let scale = eval_mode_for(test_scale.as_deref().unwrap_or("auto"))?;
        self.eval_scores(&rows, scale)?;
        let target = std::mem::take(&mut self.scratch);
        // The masked passes use the same weights as the eval pass (the
        // Polyak average when it is on).
        let gaps = self.inner.with_eval_weights(|model| {
            let mut sum = vec![0.0f64; target.len()];
            let mut gaps = Vec::with_capacity(k_max);
            for k in 1..=k_max {
                let scores = model.forward(&rows, Mode::Train)?;
                for (s, &v) in sum.iter_mut().zip(scores) {
                    *s += v as f64;
                }
                let gap = sum
                    .iter()
                    .zip(&target)
                    .map(|(s, &t)| (s / k as f64 - t as f64).abs())
                    .sum::<f64>()
                    / target.len() as f64;
                gaps.push(gap);
            }
            Ok::<_, Error>(gaps)
        });
        self.scratch = target;
        let gaps = gaps?;
        Ok(Float64Array::from(&gaps[..]))
    }

    fn example_rows(&self, inputs: &JsValue) -> Result<Vec<f32>, Error> {
        let shape = self.inner.model().shapes()[0];
        example_rows_of(inputs, shape.len(), &shape.to_string())
    }

    /// Eval-mode outputs of the LAST layer for each example of `inputs`
    /// (a Float32Array or array of whole examples, NCHW), flattened: scores
    /// for a classifier, feature maps for a stack ending in conv or pool.
    pub fn forward(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
    ) -> Result<Float32Array, JsError> {
        let rows = self.example_rows(&inputs)?;
        let mut out = std::mem::take(&mut self.scratch);
        let result = self
            .inner
            .with_eval_weights(|model| model.outputs(&rows, &mut out));
        self.scratch = out;
        result?;
        Ok(Float32Array::from(&self.scratch[..]))
    }

    /// Eval-mode class probabilities (softmax) of each example of `inputs`:
    /// `examples × classes` values (a copy). Needs a trainable network.
    pub fn predict(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] inputs: JsValue,
    ) -> Result<Float32Array, JsError> {
        let rows = self.example_rows(&inputs)?;
        let count = rows.len() / self.inner.model().shapes()[0].len();
        let mut probs = std::mem::take(&mut self.probs);
        probs.resize(count * self.classes(), 0.0);
        let result = self
            .inner
            .with_eval_weights(|model| model.predict(&rows, &mut probs));
        self.probs = probs;
        result?;
        Ok(Float32Array::from(&self.probs[..]))
    }

    /// Starts evaluating the network as it is now, a few examples per call
    /// of `continueEvaluation` (training may go on meanwhile: the
    /// evaluation scores a snapshot). `options`: `{trainLimit}` scores only
    /// the first that many training examples (default all); `spread: true`
    /// spreads those examples evenly over the training set instead (the
    /// digits' training set is sorted by class). Returns
    /// `{evaluated, total, done}`.
    #[wasm_bindgen(js_name = startEvaluation, unchecked_return_type = "EvaluationProgress")]
    pub fn start_evaluation(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluationOptions | null")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let (mut limit, mut spread) = (None, false);
        if !options.is_undefined() && !options.is_null() {
            let config = read_config(&options, "evaluation")?;
            let cfg = config.as_map("evaluation")?;
            cfg.allow_only(&["trainLimit", "spread"])?;
            if cfg.has("trainLimit") {
                limit = Some(cfg.integer_or("trainLimit", 0, 0, u32::MAX as u64)? as usize);
            }
            spread = cfg.boolean_or("spread", false)?;
        }
        to_js(&ProgressReport::from(
            self.inner.start_evaluation_of(limit, spread)?,
        ))
    }

    /// Scores up to `maxExamples` more examples; returns `{evaluated,
    /// total, done}`. When it finishes, the result joins the curves at the
    /// step the evaluation started.
    #[wasm_bindgen(js_name = continueEvaluation, unchecked_return_type = "EvaluationProgress")]
    pub fn continue_evaluation(
        &mut self,
        #[wasm_bindgen(js_name = maxExamples)] max_examples: f64,
    ) -> Result<JsValue, JsError> {
        let max = crate::nn::whole_number("maxExamples", max_examples, 1, 1 << 20)?;
        let before = self.inner.evaluation().map(|e| e.progress().done());
        let progress = self.inner.continue_evaluation(max)?;
        if progress.done() && before == Some(false) {
            let evaluation = self.inner.evaluation().expect("an evaluation is running");
            if let Some(train) = evaluation.train_score() {
                let (step, val) = (evaluation.step(), evaluation.val_score());
                self.record(step, &train, val.as_ref());
            }
        }
        to_js(&ProgressReport::from(progress))
    }

    /// The chunked evaluation so far: `{step, evaluated, total, done,
    /// trainLoss, trainAccuracy, valLoss, valAccuracy}` (losses are mean
    /// cross-entropy without L2; null where nothing was scored), or null
    /// before `startEvaluation`.
    #[wasm_bindgen(js_name = evaluationResult, unchecked_return_type = "EvaluationResult | null")]
    pub fn evaluation_result(&self) -> Result<JsValue, JsError> {
        let Some(evaluation) = self.inner.evaluation() else {
            return Ok(JsValue::NULL);
        };
        let progress = evaluation.progress();
        let (train, val) = (evaluation.train_score(), evaluation.val_score());
        to_js(&EvaluationResultReport {
            step: evaluation.step() as f64,
            evaluated: progress.evaluated,
            total: progress.total,
            done: progress.done(),
            train_loss: train.map(|s| s.loss),
            train_accuracy: train.map(|s| s.accuracy),
            val_loss: val.map(|s| s.loss),
            val_accuracy: val.map(|s| s.accuracy),
        })
    }

    /// The validation confusion matrix of the chunked evaluation:
    /// `classes × classes` counts, row = true class, column = predicted (a copy).
    #[wasm_bindgen(js_name = confusionMatrix)]
    pub fn confusion_matrix(&self) -> Result<Uint32Array, JsError> {
        let evaluation = self.inner.evaluation().ok_or_else(|| {
            JsError::new("confusionMatrix needs startEvaluation and continueEvaluation first")
        })?;
        Ok(Uint32Array::from(evaluation.confusion()))
    }

    /// Class probabilities of the validation examples the chunked
    /// evaluation has scored (`examples × classes`, a copy).
    #[wasm_bindgen(js_name = validationProbabilities)]
    pub fn validation_probabilities(&self) -> Result<Float32Array, JsError> {
        let evaluation = self
            .inner
            .evaluation()
            .ok_or_else(|| JsError::new("validationProbabilities needs startEvaluation first"))?;
        Ok(Float32Array::from(evaluation.val_probabilities()))
    }

    /// The `k` validation examples the chunked evaluation found wrong with
    /// the highest confidence: `{indices, labels, predicted, confidence,
    /// probabilities}` (indices into `valPoints()`; probabilities k × classes).
    #[wasm_bindgen(js_name = mostConfidentlyWrong, unchecked_return_type = "ConfidentMistakes")]
    pub fn most_confidently_wrong(&self, k: f64) -> Result<JsValue, JsError> {
        let k = crate::nn::whole_number("k", k, 0, MAX_MISTAKES)?;
        let evaluation = self.inner.evaluation().ok_or_else(|| {
            JsError::new("mostConfidentlyWrong needs startEvaluation and continueEvaluation first")
        })?;
        let mistakes = evaluation.most_confident_mistakes(k);
        let classes = self.classes();
        let probs = evaluation.val_probabilities();
        let column = |f: &dyn Fn(&crate::nn::Mistake) -> u32| {
            Uint32Array::from(&mistakes.iter().map(f).collect::<Vec<u32>>()[..])
        };
        let out = Object::new();
        let js = |e: JsValue| JsError::new(&format!("{e:?}"));
        let set = |key: &str, value: &JsValue| Reflect::set(&out, &key.into(), value).map_err(js);
        set("indices", &column(&|m| m.index as u32))?;
        set("labels", &column(&|m| m.label as u32))?;
        set("predicted", &column(&|m| m.predicted as u32))?;
        let confidence: Vec<f32> = mistakes.iter().map(|m| m.confidence).collect();
        set("confidence", &Float32Array::from(&confidence[..]))?;
        let rows: Vec<f32> = mistakes
            .iter()
            .flat_map(|m| {
                probs[m.index * classes..(m.index + 1) * classes]
                    .iter()
                    .copied()
            })
            .collect();
        set("probabilities", &Float32Array::from(&rows[..]))?;
        Ok(out.into())
    }

    /// The kernels of conv layer `layer` (default: the first conv layer) as
    /// one RGBA mosaic, a tile per filter (see README for the colours):
    /// `{width, height, columns, rows, tileWidth, tileHeight, scale,
    /// pixels}`. `options`: `{scale}` pixels per weight (default 4).
    #[wasm_bindgen(js_name = filterTiles, unchecked_return_type = "TileMosaic")]
    pub fn filter_tiles(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] layer: Option<usize>,
        #[wasm_bindgen(unchecked_optional_param_type = "TileOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let scale = tile_scale(&options, 4)?;
        let mosaic = self
            .inner
            .with_eval_weights(|model| filter_tiles_of(model, layer, scale))?;
        mosaic_to_js(&mosaic)
    }

    /// The output of layer `layer` for one example `image` (eval mode) as
    /// an RGBA mosaic, one tile per channel (grey after ReLU or pooling,
    /// diverging where values are negative). `options`: `{scale}` (default 2).
    #[wasm_bindgen(js_name = featureMaps, unchecked_return_type = "TileMosaic")]
    pub fn feature_maps(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] image: JsValue,
        layer: usize,
        #[wasm_bindgen(unchecked_optional_param_type = "TileOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let scale = tile_scale(&options, 2)?;
        let rows = self.example_rows(&image)?;
        let mosaic = self.inner.with_eval_weights(|model| {
            if rows.len() != model.shapes()[0].len() {
                return Err(Error::new("featureMaps takes exactly one example"));
            }
            let layers = model.layers().len();
            if layer >= layers {
                return Err(Error::new(format!(
                    "featureMaps: layer must be below {layers}, got {layer}"
                )));
            }
            model.forward(&rows, Mode::Eval)?;
            let values = model.eval_values(layer).unwrap_or(&[]);
            Ok(feature_mosaic(values, model.shapes()[layer + 1], scale))
        })?;
        mosaic_to_js(&mosaic)
    }
}

/// The kernels of conv layer `layer` (the first conv layer when `None`) as a mosaic.
fn filter_tiles_of(
    model: &crate::nn::Model,
    layer: Option<usize>,
    scale: usize,
) -> Result<Mosaic, Error> {
    let index = match layer {
        Some(index) => index,
        None => model
            .layers()
            .iter()
            .position(|l| matches!(l, Layer::Conv(_)))
            .ok_or_else(|| Error::new("filterTiles needs a network with a conv layer"))?,
    };
    let Some(Layer::Conv(conv)) = model.layers().get(index) else {
        return Err(Error::new(format!(
            "filterTiles: layers[{index}] is not a conv layer"
        )));
    };
    let g = conv.geometry();
    let weights = &model.params()[conv.weight_range()];
    Ok(filter_mosaic(
        weights,
        conv.filters(),
        g.input.channels,
        g.size,
        scale,
    ))
}
