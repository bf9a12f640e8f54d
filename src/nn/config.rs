//! Everything a training run is made of, validated with errors that name
//! the setting as the JS side spells it.

use super::activation::Activation;
use super::dataset::{Dataset, DatasetKind};
use super::dropout::{check_drop_prob, DropoutMode};
use super::image_augment::check_pipeline_fits;
use super::layer_spec::LayerSpec;
use super::shape::Shape;
use super::spec::{check_classes, check_hidden, ModelSpec, WeightInit};
use crate::augment::Pipeline;
use crate::error::{Error, Result};
use crate::optim::{Rule, Settings};

/// Where the examples come from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// A built-in generator, sized by `classes`, `pointsPerClass`, `noise`.
    Generated(DatasetKind),
    /// User-supplied points or images (already validated by [`Dataset`]),
    /// split by `validationSplit`.
    Custom(Dataset),
    /// Data that come split already (the digits: a seeded training set and
    /// a fixed validation set); `validationSplit` must be 0.
    Split {
        /// The training examples.
        train: Dataset,
        /// The validation examples.
        validation: Dataset,
    },
}

/// A complete description of a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerConfig {
    /// `dataset`: a generator or custom data.
    pub dataset: DataSource,
    /// `classes`: number of classes (must match custom data).
    pub classes: usize,
    /// `pointsPerClass`: points drawn per class by a generator.
    pub points_per_class: usize,
    /// `noise`: standard deviation of the generator's noise.
    pub noise: f64,
    /// `validationSplit`: fraction held out for validation, in [0, 1).
    pub validation_split: f64,
    /// `hidden`: hidden layer widths (the MLP shorthand, unless `layers` is set).
    pub hidden: Vec<usize>,
    /// `layers`: an explicit layer list (conv, maxpool, dense, …) instead of `hidden`.
    pub layers: Option<Vec<LayerSpec>>,
    /// `augment`: ops applied to every training image (never to evaluation).
    pub augment: Option<Pipeline>,
    /// `activation`: nonlinearity of the hidden layers.
    pub activation: Activation,
    /// `dropout`: drop probability in [0, 1), or none.
    pub dropout: Option<f64>,
    /// `dropoutMode`: inverted (scale at train time) or original (at test time).
    pub dropout_mode: DropoutMode,
    /// `batchNorm`: batch normalization after every hidden dense layer.
    pub batch_norm: bool,
    /// How the weights are drawn.
    pub init: WeightInit,
    /// `l2`: regularisation strength, the loss gets `0.5·l2·ΣW²`.
    pub l2: f64,
    /// `batchSize`: rows per step; at least the training-set size means full batch.
    pub batch_size: usize,
    /// The optimizer (its `lr` is the base learning rate).
    pub optimizer: Settings,
    /// `seed`: fixes data, split, initial weights, minibatches and dropout masks.
    pub seed: u64,
    /// `frozen`: how many of the first layers with parameters get no
    /// updates (transfer learning: a borrowed body under a new head).
    pub frozen: usize,
    /// `lrMultipliers`: one factor per layer with parameters scaling the
    /// learning rate of that layer (discriminative fine-tuning), or none.
    pub lr_multipliers: Option<Vec<f64>>,
}

impl Default for TrainerConfig {
    /// The CS231n spiral example: 3 classes × 100 points, noise 0.2, one
    /// hidden layer of 100 ReLUs, full batch, SGD with lr 1.0, l2 1e-3.
    fn default() -> Self {
        TrainerConfig {
            dataset: DataSource::Generated(DatasetKind::Spiral),
            classes: 3,
            points_per_class: 100,
            noise: 0.2,
            validation_split: 0.0,
            hidden: vec![100],
            layers: None,
            augment: None,
            activation: Activation::Relu,
            dropout: None,
            dropout_mode: DropoutMode::Inverted,
            batch_norm: false,
            init: WeightInit::Auto,
            l2: 1e-3,
            batch_size: 300,
            optimizer: Settings {
                lr: 1.0,
                rule: Rule::Sgd,
            },
            seed: 1,
            frozen: 0,
            lr_multipliers: None,
        }
    }
}

impl TrainerConfig {
    /// Checks every setting that does not need the data; the error names
    /// the JS key (`classes`, `hidden`, `dropout`, `l2`, `batchSize`, `lr`, …).
    pub fn validate(&self) -> Result<()> {
        check_classes(self.classes)?;
        let data = match &self.dataset {
            DataSource::Custom(data) => Some(data),
            DataSource::Split { train, validation } => {
                if train.shape() != validation.shape() || train.classes() != validation.classes() {
                    return Err(Error::new(
                        "dataset: the training and validation sets must have the same shape and classes",
                    ));
                }
                if self.validation_split != 0.0 {
                    return Err(Error::new(format!(
                        "validationSplit must be 0 for data that come with their own validation set, got {}",
                        self.validation_split
                    )));
                }
                Some(train)
            }
            DataSource::Generated(_) => None,
        };
        if let Some(data) = data {
            if data.classes() != self.classes {
                return Err(Error::new(format!(
                    "classes must match the custom dataset's {} classes, got {}",
                    data.classes(),
                    self.classes
                )));
            }
        }
        if !self.validation_split.is_finite() || !(0.0..1.0).contains(&self.validation_split) {
            return Err(Error::new(format!(
                "validationSplit must be at least 0 and below 1, got {}",
                self.validation_split
            )));
        }
        if self.layers.is_none() {
            check_hidden(&self.hidden)?;
            if let Some(p) = self.dropout {
                check_drop_prob(p)?;
            }
        }
        self.model_spec().validate()?;
        if let Some(pipeline) = &self.augment {
            let shape = self.input_shape();
            if data.map_or(true, Dataset::is_plane) {
                return Err(Error::new(
                    "augment applies to image datasets (kind \"images\" or \"digits\"), not to 2-D points",
                ));
            }
            check_pipeline_fits(pipeline, shape)?;
        }
        if !self.l2.is_finite() || self.l2 < 0.0 {
            return Err(Error::new(format!(
                "l2 must be a non-negative finite number, got {}",
                self.l2
            )));
        }
        if self.batch_size == 0 {
            return Err(Error::new("batchSize must be at least 1, got 0"));
        }
        let param_layers = self.model_spec().param_layer_count();
        check_frozen(self.frozen as f64, param_layers)?;
        if let Some(multipliers) = &self.lr_multipliers {
            check_lr_multipliers(multipliers, param_layers)?;
        }
        if self.batch_norm && self.batch_size == 1 {
            return Err(Error::new(
                "batchNorm needs batchSize of at least 2: one row has no batch variance",
            ));
        }
        self.optimizer.validate()
    }

    /// The shape of one example: the custom data's, else a point of the plane.
    pub fn input_shape(&self) -> Shape {
        match &self.dataset {
            DataSource::Custom(data) | DataSource::Split { train: data, .. } => data.shape(),
            DataSource::Generated(_) => Shape::flat(2),
        }
    }

    /// The network part of the configuration.
    pub fn model_spec(&self) -> ModelSpec {
        let input = self.input_shape();
        let image = self.layers.is_some() || input != Shape::flat(2);
        ModelSpec {
            inputs: input.len(),
            input: image.then_some(input),
            layers: self.layers.clone(),
            hidden: self.hidden.clone(),
            activation: self.activation,
            dropout: self.dropout.map(|p| p as f32),
            dropout_mode: self.dropout_mode,
            batch_norm: self.batch_norm,
            classes: self.classes,
            init: self.init,
        }
    }
}

/// Reads the JS name of a data source ("custom" needs the data passed
/// separately); the error names `dataset`.
pub fn parse_dataset_kind(name: &str) -> Result<Option<DatasetKind>> {
    if name == "custom" {
        Ok(None)
    } else {
        DatasetKind::parse(name).map(Some)
    }
}

/// A JS number that must be a whole number in `low..=high` (counts such as
/// `batchSize`, `pointsPerClass`); the error names `name`.
pub fn whole_number(name: &str, value: f64, low: usize, high: usize) -> Result<usize> {
    if !value.is_finite() || value.fract() != 0.0 || value < low as f64 || value > high as f64 {
        return Err(Error::new(format!(
            "{name} must be a whole number between {low} and {high}, got {value}"
        )));
    }
    Ok(value as usize)
}

/// A JS number used as a seed: a whole number in [0, 2⁵³] (exact in f64);
/// the error names `seed`.
pub fn seed_from_number(value: f64) -> Result<u64> {
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    if !value.is_finite() || value.fract() != 0.0 || !(0.0..=LIMIT).contains(&value) {
        return Err(Error::new(format!(
            "seed must be a whole number between 0 and 2^53, got {value}"
        )));
    }
    Ok(value as u64)
}

/// `frozen` must be a whole number from 0 to the number of layers with
/// parameters; the error names `frozen`.
pub fn check_frozen(value: f64, param_layers: usize) -> Result<usize> {
    if !value.is_finite() || value.fract() != 0.0 || value < 0.0 || value > param_layers as f64 {
        return Err(Error::new(format!(
            "frozen must be a whole number from 0 to {param_layers} (the layers with parameters), got {value}"
        )));
    }
    Ok(value as usize)
}

/// `lrMultipliers` needs one finite factor ≥ 0 per layer with parameters;
/// the error names `lrMultipliers`.
pub fn check_lr_multipliers(multipliers: &[f64], param_layers: usize) -> Result<()> {
    if multipliers.len() != param_layers {
        return Err(Error::new(format!(
            "lrMultipliers needs one factor per layer with parameters ({param_layers}), got {}",
            multipliers.len()
        )));
    }
    if let Some((i, bad)) = multipliers
        .iter()
        .enumerate()
        .find(|(_, m)| !m.is_finite() || **m < 0.0 || **m > MAX_LR_MULTIPLIER)
    {
        return Err(Error::new(format!(
            "lrMultipliers[{i}] must be a number from 0 to {MAX_LR_MULTIPLIER}, got {bad}"
        )));
    }
    Ok(())
}

/// Largest learning-rate multiplier of one layer.
pub const MAX_LR_MULTIPLIER: f64 = 1000.0;
