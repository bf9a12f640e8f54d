//! A training run: data, model, optimizer, learning rate and minibatches.
//!
//! Minibatches are consecutive slices of a seeded random permutation of the
//! training set; when fewer than `batchSize` points are left the order is
//! reshuffled (the remainder is skipped), so every batch has exactly the
//! same size and the buffers never change size. A `batchSize` of at least
//! the training-set size means full batch, in data order. With `augment`,
//! every batch (full or not) is a fresh augmented copy of its images.

use super::config::{check_frozen, check_lr_multipliers, DataSource, TrainerConfig};
use super::dataset::Dataset;
use super::evaluation::{Evaluation, Progress};
use super::grid::Grid;
use super::image_augment::ImageAugmenter;
use super::model::{LossParts, Model, SetScore};
use super::polyak::Polyak;
use crate::error::{check_positive, Error, Result};
use crate::optim::{Optimizer, Settings};
use crate::rng::Rng;

/// A learning rate per step, given the number of steps already taken.
pub type LrSchedule = Box<dyn Fn(u64) -> f64>;

/// What [`Trainer::train`] reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Data loss + L2 term of the last step's minibatch (training mode);
    /// before any step, the same over the training set in eval mode.
    pub loss: f64,
    /// Eval-mode accuracy over the whole training set.
    pub train_accuracy: f64,
    /// Eval-mode accuracy over the validation set, if there is one.
    pub val_accuracy: Option<f64>,
}

/// Most floats a training step's activations, gradients and convolution
/// scratch may take (1 GiB): a bigger `batchSize` is refused.
pub const MAX_TRAINING_FLOATS: usize = 1 << 28;

/// Mixed into a run's seed for the stream of a borrowed body's new head
/// ([`Trainer::borrow_body`]). Its high bits are set, so `seed ^ HEAD_SALT`
/// is never a seed below 2^32 (every seed a page can set): the head's
/// stream is never a run's own stream, in particular not the one a
/// pretraining with a page's seed drew its initial weights from.
const HEAD_SALT: u64 = 0x6865_6164_5f73_616c;

/// The seed a new head is initialised from, for a run with `seed`: fixed
/// by `seed` (the run stays reproducible), drawn from a stream that no run
/// with a seed below 2^32 uses for anything else.
pub fn head_seed(seed: u64) -> u64 {
    Rng::new(seed ^ HEAD_SALT).next_u64()
}

/// Owns everything a training run needs and runs it step by step.
pub struct Trainer {
    config: TrainerConfig,
    train_set: Dataset,
    val_set: Dataset,
    model: Model,
    optimizer: Optimizer,
    base_lr: f64,
    schedule: Option<LrSchedule>,
    /// Steps taken when the optimizer was last replaced: its schedule counts from here.
    schedule_origin: u64,
    /// The learning-rate factor of each layer with parameters, if any.
    lr_multipliers: Option<Vec<f64>>,
    /// Scratch: each trainable layer's parameter range (after the frozen
    /// prefix) and learning rate for this step.
    rates: Vec<(std::ops::Range<usize>, f64)>,
    l2: f32,
    batch_size: usize,
    order: Vec<usize>,
    cursor: usize,
    batch_rng: Rng,
    batch_inputs: Vec<f32>,
    batch_labels: Vec<u32>,
    augmenter: Option<ImageAugmenter>,
    history: Vec<f32>,
    last_loss: Option<LossParts>,
    polyak: Option<Polyak>,
    /// The model copy a chunked evaluation scores (built on first use).
    snapshot: Option<Model>,
    evaluation: Option<Evaluation>,
}

impl Trainer {
    /// Validates `config`, makes the data, splits it and builds the model,
    /// everything seeded from `config.seed`.
    pub fn new(config: TrainerConfig) -> Result<Trainer> {
        Trainer::new_member(config, 0)
    }

    /// Member `member` of an ensemble built from `config`: the same data and
    /// train/validation split as [`Trainer::new`] (their seeds are the first
    /// two drawn from `config.seed`), but its own initial weights, dropout
    /// masks and minibatch order (the `member`-th next pair of seeds from the
    /// same stream). Member 0 is exactly `Trainer::new(config)`.
    pub fn new_member(config: TrainerConfig, member: usize) -> Result<Trainer> {
        config.validate()?;
        let mut seeds = Rng::new(config.seed);
        let (data_seed, split_seed) = (seeds.next_u64(), seeds.next_u64());
        let (mut model_seed, mut batch_seed) = (seeds.next_u64(), seeds.next_u64());
        for _ in 0..member {
            (model_seed, batch_seed) = (seeds.next_u64(), seeds.next_u64());
        }
        let (train_set, val_set) = match &config.dataset {
            DataSource::Generated(kind) => Dataset::generate(
                *kind,
                config.classes,
                config.points_per_class,
                config.noise,
                data_seed,
            )?
            .split(config.validation_split, split_seed)?,
            DataSource::Custom(data) => data.split(config.validation_split, split_seed)?,
            DataSource::Split { train, validation } => (train.clone(), validation.clone()),
        };
        let batch_size = config.batch_size.min(train_set.len());
        if config.batch_norm && batch_size < 2 {
            return Err(Error::new(
                "batchNorm needs at least 2 rows per batch, but the training set has only 1 point",
            ));
        }
        let mut model = Model::new(&config.model_spec(), model_seed)?;
        model.set_frozen(config.frozen)?;
        let floats = batch_size.saturating_mul(model.floats_per_example().saturating_mul(2));
        if floats > MAX_TRAINING_FLOATS {
            return Err(Error::new(format!(
                "batchSize {batch_size} is too large for this network: a step would need {} MiB of buffers (the most is {} MiB)",
                floats / (1 << 18),
                MAX_TRAINING_FLOATS / (1 << 18)
            )));
        }
        let optimizer = Optimizer::new(config.optimizer)?;
        // Drawn after the seeds above, so adding it changed no earlier draw.
        let augment_seed = seeds.next_u64();
        let augmenter = match &config.augment {
            Some(pipeline) => Some(ImageAugmenter::new(
                pipeline.clone(),
                train_set.shape(),
                value_range(train_set.points()),
                augment_seed,
            )?),
            None => None,
        };
        let mut trainer = Trainer {
            base_lr: config.optimizer.lr,
            l2: config.l2 as f32,
            order: (0..train_set.len()).collect(),
            cursor: 0,
            batch_rng: Rng::new(batch_seed),
            batch_inputs: Vec::with_capacity(2 * batch_size),
            batch_labels: Vec::with_capacity(batch_size),
            augmenter,
            history: Vec::new(),
            last_loss: None,
            polyak: None,
            snapshot: None,
            evaluation: None,
            schedule: None,
            schedule_origin: 0,
            lr_multipliers: config.lr_multipliers.clone(),
            rates: Vec::new(),
            batch_size,
            train_set,
            val_set,
            model,
            optimizer,
            config,
        };
        if trainer.is_full_batch() {
            trainer
                .batch_inputs
                .extend_from_slice(trainer.train_set.points());
            trainer
                .batch_labels
                .extend_from_slice(trainer.train_set.labels());
        } else {
            trainer.batch_rng.shuffle(&mut trainer.order);
        }
        Ok(trainer)
    }

    /// The configuration the run was built from.
    pub fn config(&self) -> &TrainerConfig {
        &self.config
    }

    /// The model being trained.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model, for setting weights or fixing dropout masks.
    pub fn model_mut(&mut self) -> &mut Model {
        &mut self.model
    }

    /// The optimizer and its state.
    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The training part of the data.
    pub fn train_set(&self) -> &Dataset {
        &self.train_set
    }

    /// The validation part of the data (empty when `validationSplit` is 0).
    pub fn val_set(&self) -> &Dataset {
        &self.val_set
    }

    /// Rows per step (the requested size capped at the training-set size).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// Whether every step uses the whole training set.
    pub fn is_full_batch(&self) -> bool {
        self.batch_size == self.train_set.len()
    }

    /// Inputs and labels of the last step's batch (row-major `[rows][2]`).
    pub fn current_batch(&self) -> (&[f32], &[u32]) {
        (&self.batch_inputs, &self.batch_labels)
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.history.len() as u64
    }

    /// Total loss (data + L2) of every step so far, in order.
    pub fn history(&self) -> &[f32] {
        &self.history
    }

    /// The loss of the last step, split into data and L2 parts.
    pub fn last_loss(&self) -> Option<LossParts> {
        self.last_loss
    }

    /// Sets a constant learning rate (and drops any schedule); the error names `lr`.
    pub fn set_lr(&mut self, lr: f64) -> Result<()> {
        check_positive("lr", lr)?;
        self.base_lr = lr;
        self.schedule = None;
        Ok(())
    }

    /// Takes each step's learning rate from `schedule(steps taken so far)`.
    pub fn set_schedule(&mut self, schedule: LrSchedule) {
        self.schedule = Some(schedule);
    }

    /// The learning rate the next step will use (of layers without a
    /// multiplier; see [`Trainer::layer_rates`]).
    pub fn current_lr(&self) -> f64 {
        match &self.schedule {
            Some(schedule) => schedule(self.steps() - self.schedule_origin),
            None => self.base_lr,
        }
    }

    /// Replaces the optimizer (and its schedule) with a fresh one: no
    /// velocity or moments are carried over, and a schedule counts its
    /// steps from now. With [`Trainer::set_frozen`], the two-stage recipe:
    /// train the new head on a frozen body, then unfreeze and fine-tune
    /// everything at about a tenth of the rate.
    pub fn set_optimizer(
        &mut self,
        settings: Settings,
        schedule: Option<LrSchedule>,
    ) -> Result<()> {
        self.optimizer = Optimizer::new(settings)?;
        self.base_lr = settings.lr;
        self.schedule = schedule;
        self.schedule_origin = self.steps();
        self.config.optimizer = settings;
        Ok(())
    }

    /// Freezes the first `n` layers with parameters (0: none); see
    /// [`Model::set_frozen`]. When `n` changes, the optimizer's state
    /// (velocity, moments, Adam's step count) restarts, as a new optimizer
    /// over the new set of parameters would (Keras recompiles for this,
    /// PyTorch code usually builds a new optimizer). The error names `frozen`.
    pub fn set_frozen(&mut self, n: f64) -> Result<()> {
        let n = check_frozen(n, self.model.param_layers().len())?;
        if n != self.model.frozen() {
            self.model.set_frozen(n)?;
            self.optimizer.reset();
            self.config.frozen = n;
        }
        Ok(())
    }

    /// How many of the first layers with parameters are frozen.
    pub fn frozen(&self) -> usize {
        self.model.frozen()
    }

    /// Sets one learning-rate factor per layer with parameters (`None`:
    /// all 1); the optimizer's state is kept. The error names `lrMultipliers`.
    pub fn set_lr_multipliers(&mut self, multipliers: Option<Vec<f64>>) -> Result<()> {
        if let Some(m) = &multipliers {
            check_lr_multipliers(m, self.model.param_layers().len())?;
        }
        self.config.lr_multipliers = multipliers.clone();
        self.lr_multipliers = multipliers;
        Ok(())
    }

    /// The learning-rate factors of the layers with parameters, if set.
    pub fn lr_multipliers(&self) -> Option<&[f64]> {
        self.lr_multipliers.as_deref()
    }

    /// The learning rate each layer with parameters gets in the next step:
    /// 0 when frozen, else the current rate times its multiplier.
    pub fn layer_rates(&self) -> Vec<f64> {
        let lr = self.current_lr();
        let frozen = self.model.frozen();
        (0..self.model.param_layers().len())
            .map(|i| {
                let factor = self.lr_multipliers.as_ref().map_or(1.0, |m| m[i]);
                if i < frozen {
                    0.0
                } else {
                    lr * factor
                }
            })
            .collect()
    }

    /// Turns Polyak averaging on (`Some(d)`, `0 ≤ d < 1`; the average starts
    /// at the current weights) or off (`None`). While it is on, evaluation
    /// ([`Trainer::evaluate`], [`Trainer::data_losses`],
    /// [`Trainer::predict_grid`], [`Trainer::with_eval_weights`]) uses the
    /// averaged weights; training is unchanged. The error names `polyak`.
    pub fn set_polyak(&mut self, decay: Option<f64>) -> Result<()> {
        self.polyak = match decay {
            Some(d) => Some(Polyak::new(d, self.model.params())?),
            None => None,
        };
        Ok(())
    }

    /// The Polyak average, when averaging is on.
    pub fn polyak(&self) -> Option<&Polyak> {
        self.polyak.as_ref()
    }

    /// Puts a borrowed body under a fresh head (transfer learning): the
    /// first `layers` layers with parameters take `body` (their flat values
    /// in [`Model::params`] order) and every other parameter, and the
    /// batch-norm running statistics, are re-initialised from
    /// [`head_seed`]`(config.seed)`. Without it the layers after the body
    /// would keep the initial weights drawn from `config.seed` — the same
    /// weights a source model trained with the same seed and shape started
    /// from, the head its body co-adapted with, so a "new" head would know
    /// the source task before any step. Data and minibatch order still come
    /// from `config.seed`, so strategies with one seed share them.
    pub fn borrow_body(&mut self, layers: usize, body: &[f32]) -> Result<()> {
        let fresh = Model::new(self.model.spec(), head_seed(self.config.seed))?;
        let kept = self.model.params().to_vec();
        self.model.copy_state_from(&fresh)?;
        if let Err(error) = self.model.set_prefix_weights(layers, body) {
            self.model.set_weights(&kept)?;
            return Err(error);
        }
        self.restart_polyak();
        Ok(())
    }

    /// Restarts the Polyak average at the current weights (after they were
    /// replaced from outside, e.g. by `setWeights`).
    pub fn restart_polyak(&mut self) {
        if let Some(polyak) = &mut self.polyak {
            polyak.restart(self.model.params());
        }
    }

    /// Runs `f` on the model as it is evaluated: with the Polyak average in
    /// place of the weights when averaging is on (swapped in and back out,
    /// without allocating), else the model as it is.
    pub fn with_eval_weights<R>(&mut self, f: impl FnOnce(&mut Model) -> R) -> R {
        swap_polyak(&mut self.model, &mut self.polyak);
        let result = f(&mut self.model);
        swap_polyak(&mut self.model, &mut self.polyak);
        result
    }

    /// Runs `f` with Polyak averaging set aside, so that evaluation inside
    /// it sees the weights themselves; the average is put back unchanged
    /// (so `f` should not train).
    pub fn without_polyak<R>(&mut self, f: impl FnOnce(&mut Trainer) -> R) -> R {
        let polyak = self.polyak.take();
        let result = f(self);
        self.polyak = polyak;
        result
    }

    /// A copy of the model as it is evaluated (Polyak weights when on).
    pub fn eval_model(&mut self) -> Model {
        self.with_eval_weights(|model| model.clone())
    }

    /// Whether training images are augmented.
    pub fn augments(&self) -> bool {
        self.augmenter.is_some()
    }

    /// One optimizer step on the next minibatch; returns its loss.
    pub fn step(&mut self) -> Result<LossParts> {
        if !self.is_full_batch() {
            self.fill_next_batch();
        }
        let full_batch = self.is_full_batch();
        if let Some(augmenter) = &mut self.augmenter {
            if full_batch {
                // The full batch is re-copied so each step augments the originals.
                self.batch_inputs.clear();
                self.batch_inputs.extend_from_slice(self.train_set.points());
            }
            augmenter.augment_batch(&mut self.batch_inputs)?;
        }
        let loss = self
            .model
            .compute_gradients(&self.batch_inputs, &self.batch_labels, self.l2)?;
        let lr = self.current_lr();
        self.update_parameters(lr)?;
        if let Some(polyak) = &mut self.polyak {
            polyak.update(self.model.params());
        }
        self.history.push(loss.total() as f32);
        self.last_loss = Some(loss);
        Ok(loss)
    }

    /// One optimizer step on the parameters of the layers that learn (those
    /// after the frozen prefix), each layer at its own rate when
    /// multipliers are set. The optimizer sees only that suffix.
    fn update_parameters(&mut self, lr: f64) -> Result<()> {
        let frozen_len = self.model.frozen_len();
        if let Some(multipliers) = &self.lr_multipliers {
            self.rates.clear();
            let frozen = self.model.frozen();
            for (i, l) in self.model.param_layers().into_iter().enumerate() {
                if i < frozen {
                    continue;
                }
                let range = self.model.layers()[l]
                    .param_range()
                    .expect("a layer with parameters");
                self.rates.push((
                    range.start - frozen_len..range.end - frozen_len,
                    lr * multipliers[i],
                ));
            }
        }
        let (params, grads) = self.model.params_and_grads();
        if frozen_len == params.len() {
            return Ok(());
        }
        let (params, grads) = (&mut params[frozen_len..], &grads[frozen_len..]);
        if self.lr_multipliers.is_some() {
            self.optimizer.step_with_rates(params, grads, &self.rates)
        } else {
            self.optimizer.step_with_lr(params, grads, lr)
        }
    }

    /// `steps` optimizer steps without any evaluation; returns the last loss.
    pub fn run(&mut self, steps: usize) -> Result<Option<LossParts>> {
        self.history.reserve(steps);
        for _ in 0..steps {
            self.step()?;
        }
        Ok(self.last_loss)
    }

    /// `steps` optimizer steps, then one evaluation (see [`Metrics`]): the
    /// accuracies cost one eval-mode forward over the data per call, not
    /// per step.
    pub fn train(&mut self, steps: usize) -> Result<Metrics> {
        self.run(steps)?;
        self.evaluate()
    }

    /// Metrics of the model as it is now (accuracies in eval mode, with the
    /// Polyak weights when averaging is on).
    pub fn evaluate(&mut self) -> Result<Metrics> {
        let (train, val) = self.scores()?;
        Ok(Metrics {
            loss: self.current_loss(&train),
            train_accuracy: train.accuracy,
            val_accuracy: val.map(|v| v.accuracy),
        })
    }

    /// The loss [`Metrics`] reports: the last step's minibatch loss, or
    /// before any step the training set's (eval mode, as evaluated) plus
    /// the L2 term of the weights.
    pub fn current_loss(&mut self, train: &SetScore) -> f64 {
        match self.last_loss {
            Some(loss) => loss.total(),
            None => {
                let l2 = self.l2;
                train.loss + self.with_eval_weights(|model| model.l2_penalty(l2))
            }
        }
    }

    /// Eval-mode cross-entropy (no L2) and accuracy of the training and
    /// the validation set (`None` without one), one chunked pass over each,
    /// with the Polyak weights when averaging is on.
    pub fn scores(&mut self) -> Result<(SetScore, Option<SetScore>)> {
        swap_polyak(&mut self.model, &mut self.polyak);
        let result = scores_of(&mut self.model, &self.train_set, &self.val_set);
        swap_polyak(&mut self.model, &mut self.polyak);
        result
    }

    /// Eval-mode class probabilities on a `width × height` grid of cell
    /// centres over `[x_min, x_max] × [y_min, y_max]`, written row by row
    /// into `out` (`height·width·classes` values). Row 0 is the top
    /// (`y` near `y_max`), as on a canvas. See [`Grid`].
    #[allow(clippy::too_many_arguments)]
    pub fn predict_grid(
        &mut self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        width: usize,
        height: usize,
        out: &mut [f32],
    ) -> Result<()> {
        if !self.train_set.is_plane() {
            return Err(Error::new(format!(
                "predictGrid draws the decision regions of 2-D points; this network's inputs are {} images",
                self.train_set.shape()
            )));
        }
        let grid = Grid::new((x_min, x_max), (y_min, y_max), width, height)?;
        self.with_eval_weights(|model| grid.predict(model, out))
    }

    /// Adds a training point (the click-to-add path); the optimizer state
    /// and the weights are kept, minibatches restart from a new order.
    pub fn add_point(&mut self, x: f64, y: f64, label: u32) -> Result<()> {
        self.train_set.push([x as f32, y as f32], label)?;
        self.restart_batches();
        Ok(())
    }

    /// Removes the point (training or validation) nearest to `(x, y)` if it
    /// lies within `radius`; returns whether one was removed. The last
    /// training point (or the last two with batch norm) cannot be removed.
    pub fn remove_point_near(&mut self, x: f64, y: f64, radius: f64) -> Result<bool> {
        if !self.train_set.is_plane() {
            return Err(Error::new(format!(
                "points can only be removed from 2-D data, these examples are {} images",
                self.train_set.shape()
            )));
        }
        let (x, y) = (x as f32, y as f32);
        let limit = (radius * radius) as f32;
        let in_train = self.train_set.nearest(x, y).filter(|n| n.1 <= limit);
        let in_val = self.val_set.nearest(x, y).filter(|n| n.1 <= limit);
        match (in_train, in_val) {
            (Some(t), v) if v.map_or(true, |v| t.1 <= v.1) => {
                let needed = if self.config.batch_norm { 3 } else { 2 };
                if self.train_set.len() < needed {
                    return Err(Error::new(
                        "the last training points cannot be removed: add others first",
                    ));
                }
                self.train_set.remove(t.0);
                self.restart_batches();
                Ok(true)
            }
            (_, Some(v)) => {
                self.val_set.remove(v.0);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Resizes the batches after the training set changed.
    fn restart_batches(&mut self) {
        self.batch_size = self.config.batch_size.min(self.train_set.len());
        self.order = (0..self.train_set.len()).collect();
        self.cursor = 0;
        self.batch_inputs.clear();
        self.batch_labels.clear();
        if self.is_full_batch() {
            self.batch_inputs.extend_from_slice(self.train_set.points());
            self.batch_labels.extend_from_slice(self.train_set.labels());
        } else {
            self.batch_rng.shuffle(&mut self.order);
        }
    }

    /// Starts a chunked evaluation of the model as it is evaluated now (a
    /// snapshot of its parameters — the Polyak average when averaging is
    /// on — and batch-norm statistics), over the first `train_limit`
    /// training examples (all when `None`) and the whole validation set.
    /// Replaces any evaluation in progress.
    pub fn start_evaluation(&mut self, train_limit: Option<usize>) -> Result<Progress> {
        self.start_evaluation_of(train_limit, false)
    }

    /// As [`Trainer::start_evaluation`]; with `spread`, the `train_limit`
    /// training examples are spread evenly over the training set instead
    /// of being its first ones (a training set sorted by class, like the
    /// digits', then still shows every class).
    pub fn start_evaluation_of(
        &mut self,
        train_limit: Option<usize>,
        spread: bool,
    ) -> Result<Progress> {
        self.model.check_trainable()?;
        if self.snapshot.is_none() {
            self.snapshot = Some(Model::new(self.model.spec(), 0)?);
        }
        let mut snapshot = self.snapshot.take().expect("built above");
        let copied = self.with_eval_weights(|model| snapshot.copy_state_from(model));
        self.snapshot = Some(snapshot);
        copied?;
        let train_count = train_limit.map_or(self.train_set.len(), |limit| {
            limit.min(self.train_set.len())
        });
        let mut evaluation = Evaluation::new(
            self.steps(),
            self.model.spec().classes,
            train_count,
            self.val_set.len(),
        );
        if spread {
            evaluation = evaluation.spread_over(self.train_set.len());
        }
        let progress = evaluation.progress();
        self.evaluation = Some(evaluation);
        Ok(progress)
    }

    /// Scores up to `max_examples` more examples of the evaluation started
    /// by [`Trainer::start_evaluation`]; fails if none was started.
    pub fn continue_evaluation(&mut self, max_examples: usize) -> Result<Progress> {
        let (Some(evaluation), Some(snapshot)) = (&mut self.evaluation, &mut self.snapshot) else {
            return Err(Error::new("continueEvaluation needs startEvaluation first"));
        };
        evaluation.advance(snapshot, &self.train_set, &self.val_set, max_examples)
    }

    /// The current (or finished) chunked evaluation, if one was started.
    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.evaluation.as_ref()
    }

    /// Eval-mode mean cross-entropy (no L2) over the training and the
    /// validation set (`None` when there is no validation set), with the
    /// Polyak weights when averaging is on.
    pub fn data_losses(&mut self) -> Result<(f64, Option<f64>)> {
        let (train, val) = self.scores()?;
        Ok((train.loss, val.map(|v| v.loss)))
    }

    /// Copies the next `batch_size` points of the shuffled order.
    fn fill_next_batch(&mut self) {
        if self.cursor + self.batch_size > self.order.len() {
            self.batch_rng.shuffle(&mut self.order);
            self.cursor = 0;
        }
        self.batch_inputs.clear();
        self.batch_labels.clear();
        for &i in &self.order[self.cursor..self.cursor + self.batch_size] {
            self.batch_inputs.extend_from_slice(self.train_set.row(i));
            self.batch_labels.push(self.train_set.labels()[i]);
        }
        self.cursor += self.batch_size;
    }
}

/// Exchanges the model's weights with the Polyak average, if there is one
/// (its own inverse: call it again to swap back).
fn swap_polyak(model: &mut Model, polyak: &mut Option<Polyak>) {
    if let Some(polyak) = polyak {
        model
            .params_and_grads()
            .0
            .swap_with_slice(polyak.average_mut());
    }
}

/// Eval-mode scores of `model` on the two sets (chunked).
fn scores_of(
    model: &mut Model,
    train_set: &Dataset,
    val_set: &Dataset,
) -> Result<(SetScore, Option<SetScore>)> {
    let train = model.score(train_set.points(), train_set.labels())?;
    let val = if val_set.is_empty() {
        None
    } else {
        Some(model.score(val_set.points(), val_set.labels())?)
    };
    Ok((train, val))
}

/// The smallest and largest value of `values` (0 and 1 when empty).
fn value_range(values: &[f32]) -> (f32, f32) {
    if values.is_empty() {
        return (0.0, 1.0);
    }
    values
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}
