//! A network: a sequence of layers over one flat parameter vector.
//!
//! All parameters live in ONE `Vec<f32>` and all gradients in another of
//! the same length, so any optimizer of `crate::optim` trains the model
//! unchanged. The layout, which [`Model::weights`] and
//! [`Model::set_weights`] use as well, is, layer after layer:
//!
//! `[W1, b1, (γ1, β1), W2, b2, (γ2, β2), …, W_out, b_out]`
//!
//! where a dense `W` is row-major `[inputs][outputs]`, a convolution's `W`
//! is `[filters][channels][size][size]`, and γ, β belong to a batch-norm
//! layer, right after the layer it normalises. Layers with parameters are
//! numbered from 1 in the block names ("W1" is the first conv or dense
//! layer). Because the layout follows the layer order, "the first n layers
//! that have parameters" is always a prefix of the vector
//! ([`Model::param_layers`]).
//!
//! Activations and their gradients live in preallocated [`Workspace`]s: one
//! for training batches and one for evaluation in chunks of at most
//! [`EVAL_CHUNK`] examples (fewer for big convolutional examples, see
//! [`Model::eval_chunk`]), so a training step or a heatmap redraw allocates
//! nothing once the buffers have their size.

use super::activation::Activation;
use super::batch_norm::BatchNorm;
use super::conv::Conv;
use super::dense::Dense;
use super::dropout::Dropout;
use super::im2col::ConvGeometry;
use super::layer_spec::{output_shapes, LayerSpec};
use super::loss::{
    add_l2_gradient, argmax, cross_entropy_row, l2_penalty, softmax_cross_entropy, softmax_rows,
};
use super::pool::MaxPool;
use super::shape::Shape;
use super::spec::ModelSpec;
use super::Mode;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Rows evaluated at once by the prediction and accuracy helpers (at most).
pub const EVAL_CHUNK: usize = 256;
/// Floats an evaluation chunk may use for activations and scratch, which
/// sets the chunk size of networks with big examples (8 MiB).
const EVAL_BUDGET: usize = 1 << 21;

/// One step of the network.
#[derive(Clone, Debug)]
pub enum Layer {
    /// `Y = X·W + b`.
    Dense(Dense),
    /// Cross-correlation with learnable kernels and biases.
    Conv(Conv),
    /// The maximum of each window.
    MaxPool(MaxPool),
    /// Per-feature (or per-channel) normalisation with learnable γ, β.
    BatchNorm(BatchNorm),
    /// Elementwise nonlinearity.
    Activation(Activation),
    /// Random zeroing of units while training.
    Dropout(Dropout),
}

impl Layer {
    /// The layer's slice of the flat parameter vector, if it has parameters.
    pub fn param_range(&self) -> Option<std::ops::Range<usize>> {
        match self {
            Layer::Dense(d) => Some(d.weight_range().start..d.bias_range().end),
            Layer::Conv(c) => Some(c.weight_range().start..c.bias_range().end),
            Layer::BatchNorm(b) => Some(b.gamma_range().start..b.beta_range().end),
            _ => None,
        }
    }

    /// The weights L2 acts on (dense and conv `W`, not biases, γ or β).
    fn weight_range(&self) -> Option<std::ops::Range<usize>> {
        match self {
            Layer::Dense(d) => Some(d.weight_range()),
            Layer::Conv(c) => Some(c.weight_range()),
            _ => None,
        }
    }
}

/// Where the layers of hidden layer `h` sit in [`Model::layers`]: a dense
/// or conv layer followed by an activation (with batch norm and dropout
/// around it when present), before the next layer with weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HiddenLayer {
    /// Index of the dense (or conv) layer.
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
    /// "W1", "b1", "gamma1", "beta1", …, counting conv and dense layers from 1.
    pub name: String,
    /// First index in the flat vector.
    pub offset: usize,
    /// Rows and columns (a vector is one row; a conv `W` is F × C·K·K).
    pub shape: (usize, usize),
    /// Index of the layer the block belongs to in [`Model::layers`].
    pub layer: usize,
    /// The full shape: `[inputs, outputs]`, `[F, C, K, K]`, `[n]` for vectors.
    pub dims: Vec<usize>,
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
    /// `0.5·l2·ΣW²` over the dense and conv weights.
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
    /// The `grad_from` the gradient buffers were sized for.
    grad_from: Option<usize>,
    values: Vec<Vec<f32>>,
    grads: Vec<Vec<f32>>,
    probs: Vec<f32>,
}

impl Workspace {
    /// Sizes every buffer for `batch` rows; allocates only when growing.
    /// With `grad_from` set, layer outputs after that layer get gradient
    /// buffers (its own input needs none: nothing before it learns).
    fn prepare(&mut self, batch: usize, widths: &[usize], grad_from: Option<usize>) {
        if self.batch == batch && self.values.len() == widths.len() {
            let grads_ready = grad_from.is_none() || self.grad_from == grad_from;
            if grads_ready {
                return;
            }
        }
        self.batch = batch;
        self.grad_from = grad_from;
        self.values.resize_with(widths.len(), Vec::new);
        self.grads.resize_with(widths.len(), Vec::new);
        for (l, &w) in widths.iter().enumerate() {
            self.values[l].resize(batch * w, 0.0);
            let grad_len = match grad_from {
                Some(first) if l > first => batch * w,
                _ => 0,
            };
            self.grads[l].resize(grad_len, 0.0);
        }
        self.probs.resize(batch * widths[widths.len() - 1], 0.0);
    }
}

/// Mean cross-entropy and accuracy of a set, from [`Model::score`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SetScore {
    /// Mean softmax cross-entropy (no L2 term).
    pub loss: f64,
    /// Fraction of examples whose highest score is the label.
    pub accuracy: f64,
}

/// A network with its parameters, gradients and buffers.
#[derive(Clone, Debug)]
pub struct Model {
    spec: ModelSpec,
    layers: Vec<Layer>,
    layer_specs: Vec<LayerSpec>,
    /// `shapes[l]` is the shape of one example of `values[l]`.
    shapes: Vec<Shape>,
    /// `widths[l]` is the row width of `values[l]`.
    widths: Vec<usize>,
    hidden: Vec<HiddenLayer>,
    blocks: Vec<ParamBlock>,
    params: Vec<f32>,
    grads: Vec<f32>,
    /// The first layer with parameters that learns (not frozen): backward
    /// passes stop there; `None` when every such layer is frozen.
    first_param_layer: Option<usize>,
    /// How many of the first layers with parameters are frozen.
    frozen: usize,
    /// Layers before this index are frozen: batch norm among them uses its
    /// running statistics while training too (see [`Model::set_frozen`]).
    frozen_until: usize,
    /// Floats of activations and convolution scratch per example.
    floats_per_example: usize,
    /// Examples per evaluation chunk.
    eval_chunk: usize,
    train: Workspace,
    eval: Workspace,
}

impl Model {
    /// Builds and initialises the network of `spec` from `seed`.
    pub fn new(spec: &ModelSpec, seed: u64) -> Result<Model> {
        spec.validate()?;
        let mut rng = Rng::new(seed);
        let layer_specs = spec.layer_list();
        let input = spec.input_shape();
        let mut shapes = vec![input];
        shapes.extend(output_shapes(input, &layer_specs)?);
        let mut layers = Vec::with_capacity(layer_specs.len());
        let mut blocks = Vec::new();
        let mut params = Vec::new();
        let mut number = 0;
        for (index, layer_spec) in layer_specs.iter().enumerate() {
            let (shape_in, shape_out) = (shapes[index], shapes[index + 1]);
            let std = |fan_in: usize, fan_out: usize| {
                let activation = spec.init_activation(&layer_specs, index);
                spec.init.std(activation, fan_in, fan_out)
            };
            let layer = match *layer_spec {
                LayerSpec::Dense { units } => {
                    number += 1;
                    let inputs = shape_in.len();
                    let std = std(inputs, units);
                    let dims = vec![inputs, units];
                    blocks.push(block(
                        format!("W{number}"),
                        &params,
                        (inputs, units),
                        index,
                        dims,
                    ));
                    params.extend((0..inputs * units).map(|_| (rng.normal() * std) as f32));
                    let layer = Dense::new(inputs, units, params.len() - inputs * units);
                    blocks.push(block(
                        format!("b{number}"),
                        &params,
                        (1, units),
                        index,
                        vec![units],
                    ));
                    params.resize(params.len() + units, 0.0);
                    Layer::Dense(layer)
                }
                LayerSpec::Conv {
                    filters,
                    size,
                    stride,
                    pad,
                } => {
                    number += 1;
                    let geometry = ConvGeometry {
                        input: shape_in,
                        output: shape_out,
                        size,
                        stride,
                        pad,
                    };
                    let patch = geometry.patch_len();
                    let std = std(patch, filters * size * size);
                    let dims = vec![filters, shape_in.channels, size, size];
                    blocks.push(block(
                        format!("W{number}"),
                        &params,
                        (filters, patch),
                        index,
                        dims,
                    ));
                    let layer = Conv::new(geometry, params.len());
                    params.extend((0..filters * patch).map(|_| (rng.normal() * std) as f32));
                    blocks.push(block(
                        format!("b{number}"),
                        &params,
                        (1, filters),
                        index,
                        vec![filters],
                    ));
                    params.resize(params.len() + filters, 0.0);
                    Layer::Conv(layer)
                }
                LayerSpec::BatchNorm => {
                    let channels = shape_in.channels;
                    let layer = BatchNorm::spatial(channels, shape_in.plane(), params.len());
                    let dims = vec![channels];
                    blocks.push(block(
                        format!("gamma{number}"),
                        &params,
                        (1, channels),
                        index,
                        dims.clone(),
                    ));
                    params.resize(params.len() + channels, 1.0);
                    blocks.push(block(
                        format!("beta{number}"),
                        &params,
                        (1, channels),
                        index,
                        dims,
                    ));
                    params.resize(params.len() + channels, 0.0);
                    Layer::BatchNorm(layer)
                }
                LayerSpec::MaxPool { size, stride } => {
                    Layer::MaxPool(MaxPool::new(shape_in, shape_out, size, stride))
                }
                LayerSpec::Activation(activation) => Layer::Activation(activation),
                LayerSpec::Dropout { drop_prob } => {
                    let layer_seed = rng.next_u64();
                    Layer::Dropout(Dropout::new(drop_prob, spec.dropout_mode, layer_seed)?)
                }
            };
            layers.push(layer);
        }
        let widths: Vec<usize> = shapes.iter().map(Shape::len).collect();
        let per_example = widths.iter().sum::<usize>()
            + layers
                .iter()
                .map(|layer| match layer {
                    Layer::Conv(conv) => conv.scratch_per_example(),
                    _ => 0,
                })
                .sum::<usize>();
        let grads = vec![0.0; params.len()];
        Ok(Model {
            spec: spec.clone(),
            hidden: hidden_groups(&layer_specs),
            first_param_layer: layer_specs.iter().position(LayerSpec::has_params),
            frozen: 0,
            frozen_until: 0,
            eval_chunk: (EVAL_BUDGET / per_example.max(1)).clamp(1, EVAL_CHUNK),
            floats_per_example: per_example,
            layer_specs,
            layers,
            shapes,
            widths,
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

    /// The layer list the model was built from (the shorthand expanded).
    pub fn layer_specs(&self) -> &[LayerSpec] {
        &self.layer_specs
    }

    /// The shape of one example at every stage: `shapes()[0]` is the input,
    /// `shapes()[l + 1]` the output of layer `l`.
    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    /// Indices (in [`Model::layers`]) of the layers that have parameters,
    /// in order; their parameters are consecutive in the same order, so the
    /// first n of them own `params()[..param_prefix_len(n)]`.
    pub fn param_layers(&self) -> Vec<usize> {
        (0..self.layers.len())
            .filter(|&l| self.layers[l].param_range().is_some())
            .collect()
    }

    /// How many leading values of the flat vector belong to the first `n`
    /// layers with parameters (all of them if there are fewer).
    pub fn param_prefix_len(&self, n: usize) -> usize {
        self.layers
            .iter()
            .filter_map(Layer::param_range)
            .take(n)
            .last()
            .map_or(0, |range| range.end)
    }

    /// Freezes the first `n` layers with parameters (0 unfreezes all): their
    /// parameters get no gradient (the backward pass stops at the first
    /// layer that learns, so nothing before it is computed) and their
    /// gradients read 0; an optimizer stepping only the rest leaves them
    /// bit-identical. A batch-norm layer among them normalises with its
    /// running statistics while training too and no longer updates them:
    /// frozen, the body computes one fixed function, the one the new head
    /// is trained on and later evaluated with (batch statistics of a few
    /// images of a new task would shift it from batch to batch; Keras
    /// treats a non-trainable BatchNormalization the same way). Dropout in
    /// the frozen part still drops units: it holds no learnt state. The
    /// error names `frozen`.
    pub fn set_frozen(&mut self, n: usize) -> Result<()> {
        let param_layers = self.param_layers();
        if n > param_layers.len() {
            return Err(Error::new(format!(
                "frozen must be a whole number from 0 to {} (the layers with parameters), got {n}",
                param_layers.len()
            )));
        }
        self.frozen = n;
        self.first_param_layer = param_layers.get(n).copied();
        self.frozen_until = if n == 0 { 0 } else { param_layers[n - 1] + 1 };
        let prefix = self.param_prefix_len(n);
        self.grads[..prefix].fill(0.0);
        Ok(())
    }

    /// How many of the first layers with parameters are frozen.
    pub fn frozen(&self) -> usize {
        self.frozen
    }

    /// Values of the flat vector that belong to frozen layers (a prefix).
    pub fn frozen_len(&self) -> usize {
        self.param_prefix_len(self.frozen)
    }

    /// Copies the parameters of the first `n` layers with parameters (and
    /// their batch-norm running statistics) from `source`, whose layers up
    /// to there must be the same as this network's (kinds, sizes, input
    /// shape); the rest stays as it is. The transfer-learning copy: a body
    /// trained on one task under a new head.
    pub fn copy_layers_from(&mut self, source: &Model, n: usize) -> Result<()> {
        let end = self.checked_prefix_end(n, "layers")?;
        let theirs = source.param_layers();
        if n > theirs.len() {
            return Err(Error::new(format!(
                "the source network has {} layers with parameters, fewer than the {n} to copy",
                theirs.len()
            )));
        }
        if self.shapes[0] != source.shapes[0] {
            return Err(Error::new(format!(
                "the source network takes {} inputs, this one {}",
                source.shapes[0], self.shapes[0]
            )));
        }
        for l in 0..end {
            let (mine, other) = (&self.layer_specs[l], source.layer_specs.get(l));
            if other != Some(mine) {
                return Err(Error::new(format!(
                    "layers[{l}] differ: the source has {}, this network {}",
                    other.map_or("nothing".to_string(), LayerSpec::describe),
                    mine.describe()
                )));
            }
        }
        let prefix = self.param_prefix_len(n);
        self.params[..prefix].copy_from_slice(&source.params[..prefix]);
        for (mine, theirs) in self.layers[..end].iter_mut().zip(&source.layers) {
            if let (Layer::BatchNorm(mine), Layer::BatchNorm(theirs)) = (mine, theirs) {
                mine.copy_running_statistics(theirs);
            }
        }
        Ok(())
    }

    /// Replaces the parameters of the first `n` layers with parameters
    /// with `values` (their blocks in order, as [`Model::weights`] starts).
    pub fn set_prefix_weights(&mut self, n: usize, values: &[f32]) -> Result<()> {
        self.checked_prefix_end(n, "layers")?;
        let prefix = self.param_prefix_len(n);
        if values.len() != prefix {
            return Err(Error::new(format!(
                "the first {n} layers with parameters hold {prefix} values, got {}",
                values.len()
            )));
        }
        if let Some(bad) = values.iter().find(|w| !w.is_finite()) {
            return Err(Error::new(format!("weights must be finite, got {bad}")));
        }
        self.params[..prefix].copy_from_slice(values);
        Ok(())
    }

    /// The layer index just past the `n`-th layer with parameters (0 for
    /// none); fails naming `key` when there are fewer such layers.
    fn checked_prefix_end(&self, n: usize, key: &str) -> Result<usize> {
        let param_layers = self.param_layers();
        if n > param_layers.len() {
            return Err(Error::new(format!(
                "{key} must be a whole number from 0 to {} (the layers with parameters), got {n}",
                param_layers.len()
            )));
        }
        Ok(if n == 0 { 0 } else { param_layers[n - 1] + 1 })
    }

    /// Examples per evaluation chunk (256, or fewer when one example needs
    /// many floats of activations and convolution scratch).
    pub fn eval_chunk(&self) -> usize {
        self.eval_chunk
    }

    /// Floats one example needs in a forward pass (every layer's output
    /// and the convolutions' scratch); a training step needs about twice.
    pub fn floats_per_example(&self) -> usize {
        self.floats_per_example
    }

    /// Values per output example (the last layer's output width).
    pub fn output_width(&self) -> usize {
        self.widths[self.widths.len() - 1]
    }

    /// Fails unless the network can be trained on `classes` classes: its
    /// last layer must be dense with one unit per class.
    pub fn check_trainable(&self) -> Result<()> {
        let classes = self.spec.classes;
        let last = self.layer_specs.len() - 1;
        match self.layer_specs[last] {
            LayerSpec::Dense { units } if units == classes => Ok(()),
            LayerSpec::Dense { units } => Err(Error::new(format!(
                "layers[{last}].units must equal the number of classes ({classes}) to train, got {units}"
            ))),
            other => Err(Error::new(format!(
                "training needs the last layer to be dense with one unit per class ({classes}); layers[{last}] is {}",
                other.kind_name()
            ))),
        }
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

    /// Copies `other`'s parameters and batch-norm running statistics (a
    /// model of the same spec) into this one; buffers are not copied.
    pub fn copy_state_from(&mut self, other: &Model) -> Result<()> {
        if other.spec != self.spec {
            return Err(Error::new(
                "a model's state can only be copied from a model of the same shape",
            ));
        }
        self.params.copy_from_slice(&other.params);
        for (mine, theirs) in self.layers.iter_mut().zip(&other.layers) {
            if let (Layer::BatchNorm(mine), Layer::BatchNorm(theirs)) = (mine, theirs) {
                mine.copy_running_statistics(theirs);
            }
        }
        Ok(())
    }

    /// The dense and conv weights (what L2 penalises).
    fn weight_blocks(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.layers.iter().filter_map(Layer::weight_range)
    }

    /// `0.5·l2·ΣW²` over the dense and conv weights (not biases, γ or β).
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
        for (l, layer) in self.layers.iter().enumerate() {
            if let Layer::Dropout(dropout) = layer {
                let width = self.widths[l + 1];
                if dropout.mask_is_fixed() && dropout.mask().len() != rows * width {
                    return Err(Error::new(format!(
                        "the fixed dropout mask of layer {l} holds {} values, a batch of {rows} rows needs {}",
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
        let grad_from = match mode {
            Mode::Train => self.first_param_layer,
            Mode::Eval => None,
        };
        workspace.prepare(rows, &self.widths, grad_from);
        workspace.values[0].copy_from_slice(inputs);
        let frozen_until = self.frozen_until;
        forward_layers(
            &mut self.layers,
            &self.params,
            workspace,
            rows,
            mode,
            frozen_until,
        );
        Ok(workspace.values.last().map_or(&[][..], |v| &v[..]))
    }

    /// Eval-mode outputs of the last layer for every row of `inputs`, in
    /// chunks of [`Model::eval_chunk`] rows, into `out` (resized to
    /// `rows × output_width`).
    pub fn outputs(&mut self, inputs: &[f32], out: &mut Vec<f32>) -> Result<()> {
        let rows = self.rows_of(inputs)?;
        let (width, out_width) = (self.spec.inputs, self.output_width());
        out.resize(rows * out_width, 0.0);
        let mut first = 0;
        while first < rows {
            let count = self.eval_chunk.min(rows - first);
            let ws = &mut self.eval;
            ws.prepare(count, &self.widths, None);
            ws.values[0].copy_from_slice(&inputs[first * width..(first + count) * width]);
            forward_layers(&mut self.layers, &self.params, ws, count, Mode::Eval, 0);
            out[first * out_width..(first + count) * out_width]
                .copy_from_slice(&ws.values[ws.values.len() - 1]);
            first += count;
        }
        Ok(())
    }

    /// The output of layer `layer` for the last eval-mode chunk (`rows ×`
    /// its width); after `forward(x, Mode::Eval)` of one example, that
    /// example's feature maps. `None` for a bad index or before any.
    pub fn eval_values(&self, layer: usize) -> Option<&[f32]> {
        self.eval
            .values
            .get(layer + 1)
            .map(|v| &v[..])
            .filter(|v| !v.is_empty())
    }

    /// Forward pass and loss without gradients.
    pub fn loss(
        &mut self,
        inputs: &[f32],
        labels: &[u32],
        l2: f32,
        mode: Mode,
    ) -> Result<LossParts> {
        self.check_trainable()?;
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
        self.check_trainable()?;
        let rows = self.rows_of(inputs)?;
        self.check_labels(labels, rows)?;
        self.check_fixed_masks(rows)?;
        let classes = self.spec.classes;
        let grad_from = self.first_param_layer;
        let ws = &mut self.train;
        ws.prepare(rows, &self.widths, grad_from);
        ws.values[0].copy_from_slice(inputs);
        forward_layers(
            &mut self.layers,
            &self.params,
            ws,
            rows,
            Mode::Train,
            self.frozen_until,
        );
        let last = ws.values.len() - 1;
        let data = softmax_cross_entropy(
            &ws.values[last],
            labels,
            classes,
            &mut ws.probs,
            &mut ws.grads[last],
        );
        if let Some(first) = grad_from {
            backward_layers(
                &mut self.layers,
                &self.params,
                &mut self.grads,
                ws,
                rows,
                first,
            );
        }
        let mut regularization = 0.0;
        let frozen_len = self.frozen_len();
        for range in self.layers.iter().filter_map(Layer::weight_range) {
            // Frozen weights still count in the loss (a constant), but get no gradient.
            regularization += l2_penalty(&self.params[range.clone()], l2);
            if range.start >= frozen_len {
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
        self.check_trainable()?;
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
            let count = self.eval_chunk.min(rows - first);
            let ws = &mut self.eval;
            ws.prepare(count, &self.widths, None);
            fill(first, &mut ws.values[0]);
            forward_layers(&mut self.layers, &self.params, ws, count, Mode::Eval, 0);
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
        Ok(self.score(inputs, labels)?.accuracy)
    }

    /// Eval-mode mean cross-entropy and accuracy of a labelled set in one
    /// pass, in chunks of [`Model::eval_chunk`] rows.
    pub fn score(&mut self, inputs: &[f32], labels: &[u32]) -> Result<SetScore> {
        self.check_trainable()?;
        let rows = self.rows_of(inputs)?;
        self.check_labels(labels, rows)?;
        let (width, classes) = (self.spec.inputs, self.spec.classes);
        let (mut loss, mut correct) = (0.0f64, 0usize);
        let mut first = 0;
        while first < rows {
            let count = self.eval_chunk.min(rows - first);
            let ws = &mut self.eval;
            ws.prepare(count, &self.widths, None);
            ws.values[0].copy_from_slice(&inputs[first * width..(first + count) * width]);
            forward_layers(&mut self.layers, &self.params, ws, count, Mode::Eval, 0);
            let scores = &ws.values[ws.values.len() - 1];
            for (row, &label) in scores
                .chunks_exact(classes)
                .zip(&labels[first..first + count])
            {
                loss += cross_entropy_row(row, label as usize);
                correct += usize::from(argmax(row) == label as usize);
            }
            first += count;
        }
        Ok(SetScore {
            loss: loss / rows as f64,
            accuracy: correct as f64 / rows as f64,
        })
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

fn block(
    name: String,
    params: &[f32],
    shape: (usize, usize),
    layer: usize,
    dims: Vec<usize>,
) -> ParamBlock {
    ParamBlock {
        name,
        offset: params.len(),
        shape,
        layer,
        dims,
    }
}

/// The hidden layers of a layer list: every dense or conv layer followed,
/// before the next layer with weights or pooling, by an activation.
fn hidden_groups(layers: &[LayerSpec]) -> Vec<HiddenLayer> {
    let mut groups = Vec::new();
    for (index, layer) in layers.iter().enumerate() {
        if !matches!(layer, LayerSpec::Dense { .. } | LayerSpec::Conv { .. }) {
            continue;
        }
        let (mut batch_norm, mut activation, mut dropout) = (None, None, None);
        for (offset, next) in layers[index + 1..].iter().enumerate() {
            let at = index + 1 + offset;
            match next {
                LayerSpec::BatchNorm => {
                    batch_norm.get_or_insert(at);
                }
                LayerSpec::Activation(_) => {
                    activation.get_or_insert(at);
                }
                LayerSpec::Dropout { .. } => {
                    dropout.get_or_insert(at);
                }
                _ => break,
            }
        }
        if let Some(activation) = activation {
            groups.push(HiddenLayer {
                dense: index,
                batch_norm,
                activation,
                dropout,
            });
        }
    }
    groups
}

/// Runs every layer on `ws.values[0]`, filling `ws.values[1..]`; batch
/// norm in the frozen layers (before `frozen_until`) runs in eval mode.
fn forward_layers(
    layers: &mut [Layer],
    params: &[f32],
    ws: &mut Workspace,
    rows: usize,
    mode: Mode,
    frozen_until: usize,
) {
    for (l, layer) in layers.iter_mut().enumerate() {
        let (before, after) = ws.values.split_at_mut(l + 1);
        let (input, output) = (&before[l][..], &mut after[0][..]);
        match layer {
            Layer::Dense(dense) => dense.forward(params, input, output, rows),
            Layer::Conv(conv) => conv.forward(params, input, output, rows),
            Layer::MaxPool(pool) => pool.forward(input, output, rows, mode),
            Layer::BatchNorm(norm) => {
                let mode = if l < frozen_until { Mode::Eval } else { mode };
                norm.forward(params, input, output, rows, mode)
            }
            Layer::Activation(activation) => activation.forward(input, output),
            Layer::Dropout(dropout) => dropout.forward(input, output, mode),
        }
    }
}

/// Propagates `ws.grads[last]` back through the layers down to layer
/// `first` (the first with parameters), writing parameter gradients into
/// `grads`; layer `first` gets no input gradient (nothing before it learns).
fn backward_layers(
    layers: &mut [Layer],
    params: &[f32],
    grads: &mut [f32],
    ws: &mut Workspace,
    rows: usize,
    first: usize,
) {
    for l in (first..layers.len()).rev() {
        let (before, after) = ws.grads.split_at_mut(l + 1);
        let grad_output = &after[0][..];
        let grad_input = if l == first {
            None
        } else {
            Some(&mut before[l][..])
        };
        let (input, output) = (&ws.values[l][..], &ws.values[l + 1][..]);
        match (&mut layers[l], grad_input) {
            (Layer::Dense(dense), grad_input) => {
                dense.backward(params, grads, input, grad_output, grad_input, rows)
            }
            (Layer::Conv(conv), grad_input) => {
                conv.backward(params, grads, input, grad_output, grad_input, rows)
            }
            (Layer::BatchNorm(norm), Some(grad_input)) => {
                norm.backward(params, grads, grad_output, grad_input, rows)
            }
            (Layer::BatchNorm(norm), None) => norm.parameter_gradients(grads, grad_output, rows),
            (Layer::MaxPool(pool), Some(grad_input)) => pool.backward(grad_output, grad_input),
            (Layer::Activation(activation), Some(grad_input)) => {
                activation.backward(output, grad_output, grad_input)
            }
            (Layer::Dropout(dropout), Some(grad_input)) => {
                dropout.backward(grad_output, grad_input)
            }
            // The first layer with parameters is never parameter-free.
            (_, None) => {}
        }
    }
}
