//! A classifier: a sequence of layers over one flat parameter vector.
//!
//! All parameters live in ONE `Vec<f32>` and all gradients in another of
//! the same length, so any optimizer of `crate::optim` trains the model
//! unchanged. The layout, which [`Model::weights`] and
//! [`Model::set_weights`] use as well, is, layer after layer:
//!
//! `[W1, b1, (γ1, β1), W2, b2, (γ2, β2), …, W_out, b_out]`
//!
//! where `W` is row-major `[inputs][outputs]` and γ, β appear only with
//! batch norm, right after the dense layer they normalise.
//!
//! Activations and their gradients live in preallocated [`Workspace`]s: one
//! for training batches and one for evaluation in chunks of
//! [`EVAL_CHUNK`] rows, so a training step or a heatmap redraw allocates
//! nothing once the buffers have their size.

use super::activation::Activation;
use super::batch_norm::BatchNorm;
use super::dense::Dense;
use super::dropout::Dropout;
use super::loss::{add_l2_gradient, argmax, l2_penalty, softmax_cross_entropy, softmax_rows};
use super::spec::ModelSpec;
use super::Mode;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Rows evaluated at once by the prediction and accuracy helpers.
pub const EVAL_CHUNK: usize = 256;

/// One step of the network.
#[derive(Clone, Debug)]
pub enum Layer {
    /// `Y = X·W + b`.
    Dense(Dense),
    /// Per-feature normalisation with learnable γ, β.
    BatchNorm(BatchNorm),
    /// Elementwise nonlinearity.
    Activation(Activation),
    /// Random zeroing of units while training.
    Dropout(Dropout),
}

/// Where the layers of hidden layer `h` sit in [`Model::layers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HiddenLayer {
    /// Index of the dense layer.
    pub dense: usize,
    /// Index of the batch-norm layer, if any.
    pub batch_norm: Option<usize>,
    /// Index of the activation layer.
    pub activation: usize,
    /// Index of the dropout layer, if any.
    pub dropout: Option<usize>,
}

/// A named slice of the flat parameter vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamBlock {
    /// "W1", "b1", "gamma1", "beta1", …, counting dense layers from 1.
    pub name: String,
    /// First index in the flat vector.
    pub offset: usize,
    /// Rows and columns (a vector is one row).
    pub shape: (usize, usize),
}

impl ParamBlock {
    /// Number of values in the block.
    pub fn len(&self) -> usize {
        self.shape.0 * self.shape.1
    }

    /// Whether the block holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index range of the block.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len()
    }
}

/// The data loss and the L2 term of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossParts {
    /// Mean softmax cross-entropy.
    pub data: f64,
    /// `0.5·l2·ΣW²` over the dense weights.
    pub regularization: f64,
}

impl LossParts {
    /// `data + regularization`.
    pub fn total(&self) -> f64 {
        self.data + self.regularization
    }
}

/// Activation buffers for one batch size: `values[l]` is the input of layer
/// `l` (`values[0]` the data, the last one the scores) and `grads[l]` its
/// gradient (empty when unused).
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    batch: usize,
    values: Vec<Vec<f32>>,
    grads: Vec<Vec<f32>>,
    probs: Vec<f32>,
}

impl Workspace {
    /// Sizes every buffer for `batch` rows; allocates only when growing.
    fn prepare(&mut self, batch: usize, widths: &[usize], with_grads: bool) {
        if self.batch == batch && self.values.len() == widths.len() {
            let grads_ready = !with_grads || self.grads.last().is_some_and(|g| !g.is_empty());
            if grads_ready {
                return;
            }
        }
        self.batch = batch;
        self.values.resize_with(widths.len(), Vec::new);
        self.grads.resize_with(widths.len(), Vec::new);
        for (l, &w) in widths.iter().enumerate() {
            self.values[l].resize(batch * w, 0.0);
            // The data needs no gradient.
            let grad_len = if with_grads && l > 0 { batch * w } else { 0 };
            self.grads[l].resize(grad_len, 0.0);
        }
        self.probs.resize(batch * widths[widths.len() - 1], 0.0);
    }
}

/// A classifier network with its parameters, gradients and buffers.
#[derive(Clone, Debug)]
pub struct Model {
    spec: ModelSpec,
    layers: Vec<Layer>,
    /// `widths[l]` is the row width of `values[l]`.
    widths: Vec<usize>,
    hidden: Vec<HiddenLayer>,
    blocks: Vec<ParamBlock>,
    params: Vec<f32>,
    grads: Vec<f32>,
    train: Workspace,
    eval: Workspace,
}

impl Model {
    /// Builds and initialises the network of `spec` from `seed`.
    pub fn new(spec: &ModelSpec, seed: u64) -> Result<Model> {
        spec.validate()?;
        let mut rng = Rng::new(seed);
        let mut layers = Vec::new();
        let mut widths = vec![spec.inputs];
        let mut hidden = Vec::new();
        let mut blocks = Vec::new();
        let mut params = Vec::new();

        let mut width = spec.inputs;
        let output_widths = spec.hidden.iter().copied().chain([spec.classes]);
        for (index, out) in output_widths.enumerate() {
            let number = index + 1;
            let is_output = index == spec.hidden.len();
            let dense = Dense::new(width, out, params.len());
            blocks.push(block(format!("W{number}"), params.len(), (width, out)));
            let std = spec.init.std(spec.activation, width, out);
            params.extend((0..width * out).map(|_| (rng.normal() * std) as f32));
            blocks.push(block(format!("b{number}"), params.len(), (1, out)));
            params.resize(params.len() + out, 0.0);
            let dense_index = layers.len();
            layers.push(Layer::Dense(dense));
            widths.push(out);
            width = out;
            if is_output {
                break;
            }

            let mut batch_norm = None;
            if spec.batch_norm {
                batch_norm = Some(layers.len());
                layers.push(Layer::BatchNorm(BatchNorm::new(out, params.len())));
                blocks.push(block(format!("gamma{number}"), params.len(), (1, out)));
                params.resize(params.len() + out, 1.0);
                blocks.push(block(format!("beta{number}"), params.len(), (1, out)));
                params.resize(params.len() + out, 0.0);
                widths.push(out);
            }
            let activation = layers.len();
            layers.push(Layer::Activation(spec.activation));
            widths.push(out);
            let mut dropout = None;
            if let Some(p) = spec.dropout {
                dropout = Some(layers.len());
                let layer_seed = rng.next_u64();
                layers.push(Layer::Dropout(Dropout::new(
                    p,
                    spec.dropout_mode,
                    layer_seed,
                )?));
                widths.push(out);
            }
            hidden.push(HiddenLayer {
                dense: dense_index,
                batch_norm,
                activation,
                dropout,
            });
        }
        let grads = vec![0.0; params.len()];
        Ok(Model {
            spec: spec.clone(),
            layers,
            widths,
            hidden,
            blocks,
            params,
            grads,
            train: Workspace::default(),
            eval: Workspace::default(),
        })
    }

    /// The spec the model was built from.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The layers in order, input first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layers, for fixing dropout masks and the like.
    pub fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }

    /// Where each hidden layer's parts are in [`Model::layers`].
    pub fn hidden_layers(&self) -> &[HiddenLayer] {
        &self.hidden
    }

    /// The named blocks of the flat parameter vector, in layout order.
    pub fn blocks(&self) -> &[ParamBlock] {
        &self.blocks
    }

    /// Total number of parameters.
    pub fn parameter_count(&self) -> usize {
        self.params.len()
    }

    /// The flat parameter vector.
    pub fn params(&self) -> &[f32] {
        &self.params
    }

    /// The flat gradient of the last [`Model::compute_gradients`].
    pub fn grads(&self) -> &[f32] {
        &self.grads
    }

    /// Parameters (to update) and gradients together, for an optimizer step.
    pub fn params_and_grads(&mut self) -> (&mut [f32], &[f32]) {
        (&mut self.params, &self.grads)
    }

    /// A copy of all parameters in the documented layout.
    pub fn weights(&self) -> Vec<f32> {
        self.params.clone()
    }

    /// Replaces all parameters; fails unless `weights` has exactly
    /// [`Model::parameter_count`] finite values.
    pub fn set_weights(&mut self, weights: &[f32]) -> Result<()> {
        if weights.len() != self.params.len() {
            return Err(Error::new(format!(
                "weights must hold {} values for this network, got {}",
                self.params.len(),
                weights.len()
            )));
        }
        if let Some(bad) = weights.iter().find(|w| !w.is_finite()) {
            return Err(Error::new(format!("weights must be finite, got {bad}")));
        }
        self.params.copy_from_slice(weights);
        Ok(())
    }

    /// The dense layers' weight matrices (what L2 penalises).
    fn weight_blocks(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.layers.iter().filter_map(|layer| match layer {
            Layer::Dense(dense) => Some(dense.weight_range()),
            _ => None,
        })
    }

    /// `0.5·l2·ΣW²` over the dense weights (not biases, γ or β).
    pub fn l2_penalty(&self, l2: f32) -> f64 {
        self.weight_blocks()
            .map(|range| l2_penalty(&self.params[range], l2))
            .sum()
    }

    fn rows_of(&self, inputs: &[f32]) -> Result<usize> {
        let width = self.spec.inputs;
        if inputs.is_empty() || inputs.len() % width != 0 {
            return Err(Error::new(format!(
                "inputs must be a non-empty list of rows of {width} values, got {} values",
                inputs.len()
            )));
        }
        Ok(inputs.len() / width)
    }

    fn check_labels(&self, labels: &[u32], rows: usize) -> Result<()> {
        if labels.len() != rows {
            return Err(Error::new(format!(
                "labels must give one class per row: {rows} rows, {} labels",
                labels.len()
            )));
        }
        if let Some(&bad) = labels.iter().find(|&&y| y as usize >= self.spec.classes) {
            return Err(Error::new(format!(
                "labels must be below classes = {}, got {bad}",
                self.spec.classes
            )));
        }
        Ok(())
    }

    /// A fixed dropout mask must cover exactly the rows of a training batch.
    fn check_fixed_masks(&self, rows: usize) -> Result<()> {
        for (h, hidden) in self.hidden.iter().enumerate() {
            let width = self.widths[hidden.activation + 1];
            if let Some(dropout) = self.dropout(h) {
                if dropout.mask_is_fixed() && dropout.mask().len() != rows * width {
                    return Err(Error::new(format!(
                        "the fixed dropout mask of hidden layer {} holds {} values, a batch of {rows} rows needs {}",
                        h + 1,
                        dropout.mask().len(),
                        rows * width
                    )));
                }
            }
        }
        Ok(())
    }

    /// Runs the network on `inputs` (row-major, `rows × inputs`) and returns
    /// the scores (`rows × classes`). Training mode uses batch statistics and
    /// fresh dropout masks and keeps what the backward pass needs.
    pub fn forward(&mut self, inputs: &[f32], mode: Mode) -> Result<&[f32]> {
        let rows = self.rows_of(inputs)?;
        if mode == Mode::Train {
            self.check_fixed_masks(rows)?;
        }
        let workspace = match mode {
            Mode::Train => &mut self.train,
            Mode::Eval => &mut self.eval,
        };
        workspace.prepare(rows, &self.widths, mode == Mode::Train);
        workspace.values[0].copy_from_slice(inputs);
        forward_layers(&mut self.layers, &self.params, workspace, rows, mode);
        Ok(workspace.values.last().map_or(&[][..], |v| &v[..]))
    }

    /// Forward pass and loss without gradients.
    pub fn loss(
        &mut self,
        inputs: &[f32],
        labels: &[u32],
        l2: f32,
        mode: Mode,
    ) -> Result<LossParts> {
        let rows = self.rows_of(inputs)?;
        self.check_labels(labels, rows)?;
        self.forward(inputs, mode)?;
        let classes = self.spec.classes;
        let workspace = match mode {
            Mode::Train => &mut self.train,
            Mode::Eval => &mut self.eval,
        };
        let last = workspace.values.len() - 1;
        // The gradient buffer of the scores is scratch here (eval has none).
        let mut scratch = std::mem::take(&mut workspace.grads[last]);
        scratch.resize(rows * classes, 0.0);
        let data = softmax_cross_entropy(
            &workspace.values[last],
            labels,
            classes,
            &mut workspace.probs,
            &mut scratch,
        );
        workspace.grads[last] = scratch;
        Ok(LossParts {
            data,
            regularization: self.l2_penalty(l2),
        })
    }

    /// One training-mode forward and backward pass over a batch: returns
    /// the loss and leaves `∂loss/∂params` (including `l2·W`) in
    /// [`Model::grads`].
    pub fn compute_gradients(
        &mut self,
        inputs: &[f32],
        labels: &[u32],
        l2: f32,
    ) -> Result<LossParts> {
        let rows = self.rows_of(inputs)?;
        self.check_labels(labels, rows)?;
        self.check_fixed_masks(rows)?;
        let classes = self.spec.classes;
        let ws = &mut self.train;
        ws.prepare(rows, &self.widths, true);
        ws.values[0].copy_from_slice(inputs);
        forward_layers(&mut self.layers, &self.params, ws, rows, Mode::Train);
        let last = ws.values.len() - 1;
        let data = softmax_cross_entropy(
            &ws.values[last],
            labels,
            classes,
            &mut ws.probs,
            &mut ws.grads[last],
        );
        backward_layers(&mut self.layers, &self.params, &mut self.grads, ws, rows);
        let mut regularization = 0.0;
        for layer in &self.layers {
            if let Layer::Dense(dense) = layer {
                let range = dense.weight_range();
                regularization += l2_penalty(&self.params[range.clone()], l2);
                add_l2_gradient(&self.params[range.clone()], &mut self.grads[range], l2);
            }
        }
        Ok(LossParts {
            data,
            regularization,
        })
    }

    /// Eval-mode class probabilities for `rows` rows whose inputs
    /// `fill(first_row, chunk)` writes, [`EVAL_CHUNK`] rows at a time,
    /// into `out` (`rows × classes`).
    pub fn predict_with(
        &mut self,
        rows: usize,
        mut fill: impl FnMut(usize, &mut [f32]),
        out: &mut [f32],
    ) -> Result<()> {
        let classes = self.spec.classes;
        if out.len() != rows * classes {
            return Err(Error::new(format!(
                "the output must hold {rows} rows × {classes} classes = {} values, got {}",
                rows * classes,
                out.len()
            )));
        }
        let mut first = 0;
        while first < rows {
            let count = EVAL_CHUNK.min(rows - first);
            let ws = &mut self.eval;
            ws.prepare(count, &self.widths, false);
            fill(first, &mut ws.values[0]);
            forward_layers(&mut self.layers, &self.params, ws, count, Mode::Eval);
            let scores = &ws.values[ws.values.len() - 1];
            softmax_rows(
                scores,
                &mut out[first * classes..(first + count) * classes],
                classes,
            );
            first += count;
        }
        Ok(())
    }

    /// Eval-mode class probabilities of `inputs` into `out`.
    pub fn predict(&mut self, inputs: &[f32], out: &mut [f32]) -> Result<()> {
        let rows = self.rows_of(inputs)?;
        let width = self.spec.inputs;
        self.predict_with(
            rows,
            |first, chunk| {
                chunk.copy_from_slice(&inputs[first * width..first * width + chunk.len()])
            },
            out,
        )
    }

    /// Eval-mode fraction of rows whose highest score is the label
    /// (in chunks, without allocating once the buffers have grown).
    pub fn accuracy(&mut self, inputs: &[f32], labels: &[u32]) -> Result<f64> {
        let rows = self.rows_of(inputs)?;
        self.check_labels(labels, rows)?;
        let (width, classes) = (self.spec.inputs, self.spec.classes);
        let mut correct = 0usize;
        let mut first = 0;
        while first < rows {
            let count = EVAL_CHUNK.min(rows - first);
            let ws = &mut self.eval;
            ws.prepare(count, &self.widths, false);
            ws.values[0].copy_from_slice(&inputs[first * width..(first + count) * width]);
            forward_layers(&mut self.layers, &self.params, ws, count, Mode::Eval);
            let scores = &ws.values[ws.values.len() - 1];
            for (row, &label) in scores
                .chunks_exact(classes)
                .zip(&labels[first..first + count])
            {
                correct += usize::from(argmax(row) == label as usize);
            }
            first += count;
        }
        Ok(correct as f64 / rows as f64)
    }

    /// Rows of the last training batch (0 before the first).
    pub fn train_batch_rows(&self) -> usize {
        self.train.batch
    }

    /// Class probabilities of the last training batch (`rows × classes`).
    pub fn train_probabilities(&self) -> &[f32] {
        &self.train.probs
    }

    /// The input of hidden layer `h`'s activation for the last training
    /// batch (after batch norm when it is on), `rows × width`, row-major.
    pub fn pre_activations(&self, h: usize) -> Option<&[f32]> {
        let layer = self.hidden.get(h)?;
        self.train.values.get(layer.activation).map(|v| &v[..])
    }

    /// The dense output of hidden layer `h` for the last training batch,
    /// before batch norm (equal to [`Model::pre_activations`] without it).
    pub fn dense_outputs(&self, h: usize) -> Option<&[f32]> {
        let layer = self.hidden.get(h)?;
        self.train.values.get(layer.dense + 1).map(|v| &v[..])
    }

    /// The dropout layer of hidden layer `h`, if it has one.
    pub fn dropout(&self, h: usize) -> Option<&Dropout> {
        match &self.layers[self.hidden.get(h)?.dropout?] {
            Layer::Dropout(d) => Some(d),
            _ => None,
        }
    }

    /// The dropout layer of hidden layer `h`, to fix masks or reseed.
    pub fn dropout_mut(&mut self, h: usize) -> Option<&mut Dropout> {
        match &mut self.layers[self.hidden.get(h)?.dropout?] {
            Layer::Dropout(d) => Some(d),
            _ => None,
        }
    }

    /// The mask of hidden layer `h`'s dropout in the last training batch.
    pub fn dropout_mask(&self, h: usize) -> Option<&[f32]> {
        self.dropout(h).map(Dropout::mask)
    }

    /// The batch-norm layer of hidden layer `h`, if it has one.
    pub fn batch_norm(&self, h: usize) -> Option<&BatchNorm> {
        match &self.layers[self.hidden.get(h)?.batch_norm?] {
            Layer::BatchNorm(b) => Some(b),
            _ => None,
        }
    }

    /// The batch-norm layer of hidden layer `h`, to reset its statistics.
    pub fn batch_norm_mut(&mut self, h: usize) -> Option<&mut BatchNorm> {
        match &mut self.layers[self.hidden.get(h)?.batch_norm?] {
            Layer::BatchNorm(b) => Some(b),
            _ => None,
        }
    }
}

fn block(name: String, offset: usize, shape: (usize, usize)) -> ParamBlock {
    ParamBlock {
        name,
        offset,
        shape,
    }
}

/// Runs every layer on `ws.values[0]`, filling `ws.values[1..]`.
fn forward_layers(
    layers: &mut [Layer],
    params: &[f32],
    ws: &mut Workspace,
    rows: usize,
    mode: Mode,
) {
    for (l, layer) in layers.iter_mut().enumerate() {
        let (before, after) = ws.values.split_at_mut(l + 1);
        let (input, output) = (&before[l][..], &mut after[0][..]);
        match layer {
            Layer::Dense(dense) => dense.forward(params, input, output, rows),
            Layer::BatchNorm(norm) => norm.forward(params, input, output, rows, mode),
            Layer::Activation(activation) => activation.forward(input, output),
            Layer::Dropout(dropout) => dropout.forward(input, output, mode),
        }
    }
}

/// Propagates `ws.grads[last]` back through the layers, writing parameter
/// gradients into `grads` and skipping the gradient of the data.
fn backward_layers(
    layers: &mut [Layer],
    params: &[f32],
    grads: &mut [f32],
    ws: &mut Workspace,
    rows: usize,
) {
    for (l, layer) in layers.iter_mut().enumerate().rev() {
        let (before, after) = ws.grads.split_at_mut(l + 1);
        let grad_output = &after[0][..];
        let grad_input = if l == 0 {
            None
        } else {
            Some(&mut before[l][..])
        };
        let (input, output) = (&ws.values[l][..], &ws.values[l + 1][..]);
        match (layer, grad_input) {
            (Layer::Dense(dense), grad_input) => {
                dense.backward(params, grads, input, grad_output, grad_input, rows)
            }
            (Layer::BatchNorm(norm), Some(grad_input)) => {
                norm.backward(params, grads, grad_output, grad_input, rows)
            }
            (Layer::Activation(activation), Some(grad_input)) => {
                activation.backward(output, grad_output, grad_input)
            }
            (Layer::Dropout(dropout), Some(grad_input)) => {
                dropout.backward(grad_output, grad_input)
            }
            // Only a dense layer comes first, and nothing needs the data's gradient.
            (_, None) => {}
        }
    }
}
