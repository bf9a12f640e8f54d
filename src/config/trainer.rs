//! Settings of a network training run, as the JS `new Trainer({...})` takes them:
//!
//! ```text
//! { dataset: { kind: "spiral", classes: 3, pointsPerClass: 100, noise: 0.2, seed: 1 },
//!   validationSplit: 0.2, hidden: [100], activation: "relu", dropout: null,
//!   dropoutMode: "inverted", batchNorm: false, init: "auto",
//!   optimizer: { kind: "sgd", lr: 1.0, schedule: {...} }, l2: 1e-3, batchSize: 300, seed: 1 }
//! ```
//!
//! A custom data set is `{kind: "custom", x: [x0, y0, x1, y1, …], y: [label, …]}`;
//! `classes` is then optional and defaults to the largest label + 1 (at
//! least 2). Images are `{kind: "images", width, height, channels, x, y}`
//! (x: NCHW values, one image after another) and the shipped digits
//! `{kind: "digits", data, perClass, validationPerClass}` (data: the
//! inflated asset's bytes). Big arrays may come beside the settings as
//! [`DatasetArrays`] (the wasm layer passes typed arrays that way) instead
//! of as lists in them. A network is `hidden` (the MLP shorthand) or
//! `layers` (see `layers.rs`); `augment: {ops: [...]}` augments training images.

use super::augment::augment_pipeline;
use super::layers::layer_list;
use super::optimizer::optimizer_method;
use super::value::{ConfigMap, ConfigValue};
use crate::error::{Error, Result};
use crate::nn::config::check_frozen;
use crate::nn::dataset::{MAX_NOISE, MAX_POINTS_PER_CLASS};
use crate::nn::polyak::check_decay;
use crate::nn::spec::MAX_CLASSES;
use crate::nn::{
    seed_from_number, whole_number, Activation, DataSource, Dataset, DatasetKind, DigitStyle,
    DropoutMode, ImageBytes, Shape, Trainer, TrainerConfig, WeightInit,
};
use crate::optim::Settings;
use crate::race::Method;
use crate::schedule::ScheduleSpec;

/// Most points (or images) a custom data set may hold.
pub const MAX_CUSTOM_POINTS: usize = 100_000;
/// Most values all images of a data set may hold together (32 Mi floats).
pub const MAX_IMAGE_VALUES: usize = 1 << 25;
/// Largest image side.
pub const MAX_IMAGE_SIDE: usize = 256;
/// Most image channels.
pub const MAX_IMAGE_CHANNELS: usize = 16;
/// Default images per class of the digits' training set.
pub const DEFAULT_DIGITS_PER_CLASS: usize = 50;
/// Default images per class of the digits' fixed validation set.
pub const DEFAULT_DIGITS_VALIDATION_PER_CLASS: usize = 50;

/// The keys of the top-level trainer settings.
pub const TRAINER_KEYS: [&str; 17] = [
    "dataset",
    "validationSplit",
    "hidden",
    "layers",
    "augment",
    "activation",
    "dropout",
    "dropoutMode",
    "batchNorm",
    "init",
    "optimizer",
    "l2",
    "batchSize",
    "seed",
    "polyak",
    "frozen",
    "lrMultipliers",
];

/// A validated run: the engine's configuration plus an optional
/// learning-rate schedule for the optimizer and Polyak averaging.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainerSetup {
    /// Everything [`Trainer::new`] needs.
    pub config: TrainerConfig,
    /// The optimizer's `schedule`, if one was given.
    pub schedule: Option<ScheduleSpec>,
    /// `polyak`: the decay d of the weights' moving average used for
    /// evaluation, if averaging is on.
    pub polyak: Option<f64>,
}

impl TrainerSetup {
    /// Builds the trainer and wires the schedule and averaging into it.
    pub fn build(&self) -> Result<Trainer> {
        self.build_member(0)
    }

    /// Builds member `member` of an ensemble ([`Trainer::new_member`]):
    /// the same data and split, its own weights, batches and masks.
    pub fn build_member(&self, member: usize) -> Result<Trainer> {
        let mut trainer = Trainer::new_member(self.config.clone(), member)?;
        if let Some(spec) = self.schedule {
            trainer.set_schedule(Box::new(move |step| spec.at(step)));
        }
        trainer.set_polyak(self.polyak)?;
        Ok(trainer)
    }
}

/// Arrays that come beside the settings instead of inside them: a data
/// set's `x` values, `y` labels and `data` bytes (each replaces the key of
/// the same name in `dataset`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatasetArrays {
    /// `dataset.x`: coordinates or image values.
    pub x: Option<Vec<f32>>,
    /// `dataset.y`: labels (checked to be whole numbers).
    pub y: Option<Vec<f64>>,
    /// `dataset.data`: the digits asset's bytes.
    pub data: Option<Vec<u8>>,
}

/// Reads and validates the whole settings object; every error names the key.
pub fn trainer_setup(value: &ConfigValue) -> Result<TrainerSetup> {
    trainer_setup_with(value, &DatasetArrays::default())
}

/// [`trainer_setup`] with the data set's big arrays passed beside the settings.
pub fn trainer_setup_with(value: &ConfigValue, arrays: &DatasetArrays) -> Result<TrainerSetup> {
    let cfg = value.as_map("trainer")?;
    cfg.allow_only(&TRAINER_KEYS)?;
    let defaults = TrainerConfig::default();
    let seed = match cfg.number("seed")? {
        Some(x) => seed_from_number(x)?,
        None => defaults.seed,
    };
    let source = match cfg.value("dataset") {
        Some(dataset) => data_source(dataset, seed, arrays)?,
        None => DataSource::Custom(Dataset::generate(
            DatasetKind::Spiral,
            defaults.classes,
            defaults.points_per_class,
            defaults.noise,
            seed,
        )?),
    };
    let classes = match &source {
        DataSource::Custom(data) | DataSource::Split { train: data, .. } => data.classes(),
        DataSource::Generated(_) => defaults.classes,
    };
    let layers = match cfg.value("layers") {
        Some(value) => {
            for (key, instead) in [
                ("hidden", "list dense layers"),
                (
                    "activation",
                    "add {kind: \"relu\"} (or tanh, sigmoid) layers",
                ),
                ("dropout", "add {kind: \"dropout\", p} layers"),
                ("batchNorm", "add {kind: \"batchnorm\"} layers"),
            ] {
                if cfg.has(key) {
                    return Err(Error::new(format!(
                        "{key} does not apply when layers are given: {instead} in layers instead"
                    )));
                }
            }
            Some(layer_list(value)?)
        }
        None => None,
    };
    let augment = match cfg.value("augment") {
        Some(value) => {
            let pipeline = augment_pipeline(value).map_err(|e| {
                let message = e.message();
                if message.starts_with("ops") {
                    Error::new(format!("augment.{message}"))
                } else {
                    Error::new(format!("augment: {message}"))
                }
            })?;
            (!pipeline.ops().is_empty()).then_some(pipeline)
        }
        None => None,
    };
    let hidden = match cfg.numbers("hidden")? {
        _ if layers.is_some() => Vec::new(),
        Some(widths) => widths
            .into_iter()
            .map(|w| whole_number("hidden", w, 1, crate::nn::spec::MAX_WIDTH))
            .collect::<Result<Vec<_>>>()?,
        None => defaults.hidden.clone(),
    };
    let activation = match cfg.value("activation") {
        Some(ConfigValue::Text(name)) => Activation::parse(name)?,
        Some(_) => return Err(Error::new("activation must be a string such as \"relu\"")),
        None => defaults.activation,
    };
    let dropout = match cfg.number("dropout")? {
        Some(0.0) => None,
        other => other,
    };
    let dropout_mode = match cfg.value("dropoutMode") {
        Some(ConfigValue::Text(name)) => DropoutMode::parse(name)?,
        Some(_) => {
            return Err(Error::new(
                "dropoutMode must be \"inverted\" or \"original\"",
            ))
        }
        None => DropoutMode::Inverted,
    };
    let init = match cfg.value("init") {
        Some(ConfigValue::Text(name)) => parse_init(name)?,
        Some(_) => return Err(Error::new("init must be a string such as \"auto\"")),
        None => WeightInit::Auto,
    };
    let (optimizer, schedule) = match cfg.value("optimizer") {
        None => (defaults.optimizer, None),
        Some(value) => network_optimizer(value)?,
    };
    let batch_size = match cfg.number("batchSize")? {
        Some(b) => whole_number("batchSize", b, 1, MAX_CUSTOM_POINTS)?,
        None => defaults.batch_size,
    };
    let mut config = TrainerConfig {
        dataset: source,
        classes,
        points_per_class: defaults.points_per_class,
        noise: defaults.noise,
        validation_split: cfg.number_or("validationSplit", 0.0)?,
        hidden,
        layers,
        augment,
        activation,
        dropout,
        dropout_mode,
        batch_norm: cfg.boolean_or("batchNorm", false)?,
        init,
        l2: cfg.number_or("l2", defaults.l2)?,
        batch_size,
        optimizer,
        seed,
        frozen: 0,
        lr_multipliers: cfg.numbers("lrMultipliers")?,
    };
    if let Some(frozen) = cfg.number("frozen")? {
        config.frozen = check_frozen(frozen, config.model_spec().param_layer_count())?;
    }
    config.validate()?;
    let polyak = cfg.number("polyak")?;
    if let Some(decay) = polyak {
        check_decay(decay)?;
    }
    Ok(TrainerSetup {
        config,
        schedule,
        polyak,
    })
}

/// A network's `optimizer` settings: a first-order kind and its optional
/// `schedule` (second-order kinds are refused with the reason).
pub fn network_optimizer(value: &ConfigValue) -> Result<(Settings, Option<ScheduleSpec>)> {
    match optimizer_method(value)? {
        Method::FirstOrder { settings, schedule } => Ok((settings, schedule)),
        Method::SecondOrder(second) => Err(Error::new(format!(
            "optimizer kind '{}' is a second-order method for 2-D surfaces; \
             networks train with a first-order kind (sgd, momentum, nesterov, adagrad, rmsprop, adam)",
            second_order_name(&second)
        ))),
    }
}

fn second_order_name(settings: &crate::second_order::SecondOrderSettings) -> &'static str {
    match settings {
        crate::second_order::SecondOrderSettings::Newton { .. } => "newton",
        _ => "lbfgs",
    }
}

/// "auto", "he", "xavier" or "small"; the error names `init`.
pub fn parse_init(name: &str) -> Result<WeightInit> {
    match name {
        "auto" => Ok(WeightInit::Auto),
        "he" => Ok(WeightInit::He),
        "xavier" => Ok(WeightInit::Xavier),
        "small" => Ok(WeightInit::Small),
        other => Err(Error::new(format!(
            "init must be one of auto, he, xavier, small, got \"{other}\""
        ))),
    }
}

/// Reads the `dataset` object into where the examples come from; images
/// and digits take their arrays from `arrays` when given there.
fn data_source(value: &ConfigValue, run_seed: u64, arrays: &DatasetArrays) -> Result<DataSource> {
    let cfg = value.as_map("dataset")?;
    match cfg.text("kind")? {
        "images" => images_dataset(&cfg, arrays).map(DataSource::Custom),
        "digits" => digits_dataset(&cfg, run_seed, arrays),
        "custom" => custom_dataset(&cfg, arrays).map(DataSource::Custom),
        _ => dataset_from(value, run_seed).map(DataSource::Custom),
    }
}

/// Reads the `dataset` object: a generator (seeded by its own `seed`, or
/// the run's `seed` when absent) or custom points.
pub fn dataset_from(value: &ConfigValue, run_seed: u64) -> Result<Dataset> {
    let cfg = value.as_map("dataset")?;
    let kind = cfg.text("kind")?;
    if kind == "custom" {
        return custom_dataset(&cfg, &DatasetArrays::default());
    }
    if kind == "images" {
        return images_dataset(&cfg, &DatasetArrays::default());
    }
    let kind = DatasetKind::parse(kind)?;
    cfg.allow_only(&["kind", "classes", "pointsPerClass", "noise", "seed"])
        .map_err(|e| Error::new(format!("{} for kind '{}'", e.message(), kind.name())))?;
    let default_classes = if kind.two_classes_only() { 2 } else { 3 };
    let classes = cfg.integer_or("classes", default_classes, 0, u32::MAX as u64)? as usize;
    let points_per_class =
        cfg.integer_or("pointsPerClass", 100, 1, MAX_POINTS_PER_CLASS as u64)? as usize;
    let noise = cfg.number_or("noise", 0.2)?;
    if !noise.is_finite() || !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(Error::new(format!(
            "dataset key 'noise' must be between 0 and {MAX_NOISE}, got {noise}"
        )));
    }
    let seed = match cfg.number("seed")? {
        Some(x) => seed_from_number(x)?,
        None => run_seed,
    };
    Dataset::generate(kind, classes, points_per_class, noise, seed)
}

/// `dataset.key` as numbers: from `given` (an array passed beside the
/// settings) or from a list in the settings.
fn numbers_of(cfg: &ConfigMap, key: &str, given: Option<&Vec<f64>>) -> Result<Option<Vec<f64>>> {
    if let Some(values) = given {
        return Ok(Some(values.clone()));
    }
    cfg.numbers(key)
}

/// Labels: whole numbers in `0..MAX_CLASSES`, at most `MAX_CUSTOM_POINTS`;
/// errors name `what` (points or images) and the first bad one.
fn labels_of(values: Vec<f64>, what: &str) -> Result<Vec<u32>> {
    if values.len() > MAX_CUSTOM_POINTS {
        return Err(Error::new(format!(
            "a custom dataset may hold at most {MAX_CUSTOM_POINTS} {what}s, got {}",
            values.len()
        )));
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, y)| {
            whole_number("y", y, 0, MAX_CLASSES - 1)
                .map(|y| y as u32)
                .map_err(|e| Error::new(format!("dataset {what} {i}: {}", e.message())))
        })
        .collect()
}

/// `classes` if given, else the largest label + 1 (at least 2).
fn classes_of(cfg: &ConfigMap, labels: &[u32]) -> Result<usize> {
    let largest = labels.iter().copied().max().unwrap_or(0) as usize;
    match cfg.number("classes")? {
        Some(c) => whole_number("classes", c, 2, MAX_CLASSES),
        None => Ok((largest + 1).max(2)),
    }
}

fn custom_dataset(cfg: &ConfigMap, arrays: &DatasetArrays) -> Result<Dataset> {
    cfg.allow_only(&["kind", "x", "y", "classes"])
        .map_err(|e| Error::new(format!("{} for kind 'custom'", e.message())))?;
    let coords: Vec<f32> = match &arrays.x {
        Some(x) => x.clone(),
        None => cfg
            .numbers("x")?
            .ok_or_else(|| {
                Error::new("a custom dataset needs 'x': the points as [x0, y0, x1, y1, …]")
            })?
            .iter()
            .map(|&v| v as f32)
            .collect(),
    };
    let labels = numbers_of(cfg, "y", arrays.y.as_ref())?
        .ok_or_else(|| Error::new("a custom dataset needs 'y': one class label per point"))?;
    let labels = labels_of(labels, "point")?;
    let classes = classes_of(cfg, &labels)?;
    Dataset::custom(&coords, &labels, classes)
}

/// `{kind: "images", width, height, channels, x, y, classes}`.
fn images_dataset(cfg: &ConfigMap, arrays: &DatasetArrays) -> Result<Dataset> {
    cfg.allow_only(&["kind", "width", "height", "channels", "x", "y", "classes"])
        .map_err(|e| Error::new(format!("{} for kind 'images'", e.message())))?;
    let side = |key: &str, max: usize| -> Result<usize> {
        let value = cfg
            .number(key)?
            .ok_or_else(|| Error::new(format!("dataset.{key} is required for images")))?;
        whole_number(&format!("dataset.{key}"), value, 1, max)
    };
    let shape = Shape::new(
        side("channels", MAX_IMAGE_CHANNELS)?,
        side("height", MAX_IMAGE_SIDE)?,
        side("width", MAX_IMAGE_SIDE)?,
    );
    let values: Vec<f32> = match &arrays.x {
        Some(x) => x.clone(),
        None => cfg
            .numbers("x")?
            .ok_or_else(|| Error::new("dataset.x is required: the images' values, NCHW"))?
            .iter()
            .map(|&v| v as f32)
            .collect(),
    };
    if values.len() > MAX_IMAGE_VALUES {
        return Err(Error::new(format!(
            "dataset.x holds {} values; the most all images may hold is {MAX_IMAGE_VALUES}",
            values.len()
        )));
    }
    let labels = numbers_of(cfg, "y", arrays.y.as_ref())?
        .ok_or_else(|| Error::new("dataset.y is required: one class label per image"))?;
    let labels = labels_of(labels, "image")?;
    let classes = classes_of(cfg, &labels)?;
    Dataset::images(values, labels, classes, shape)
}

/// `{kind: "digits", data, perClass, validationPerClass, seed, digits,
/// style}`: the shipped asset, split into a seeded training set and a fixed
/// validation set; `digits` keeps only those classes (relabelled 0, 1, …
/// in the order listed), `style` redraws them (see [`DigitStyle`]).
fn digits_dataset(cfg: &ConfigMap, run_seed: u64, arrays: &DatasetArrays) -> Result<DataSource> {
    cfg.allow_only(&[
        "kind",
        "data",
        "perClass",
        "validationPerClass",
        "seed",
        "digits",
        "style",
    ])
    .map_err(|e| Error::new(format!("{} for kind 'digits'", e.message())))?;
    let bytes: Vec<u8> = match &arrays.data {
        Some(data) => data.clone(),
        None => cfg
            .numbers("data")?
            .ok_or_else(|| {
                Error::new(
                    "dataset.data is required: the bytes of www/assets/digits.bin.gz, inflated",
                )
            })?
            .iter()
            .map(|&v| v as u8)
            .collect(),
    };
    let images = ImageBytes::parse(&bytes)?;
    let count = |key: &str, default: usize| -> Result<usize> {
        match cfg.number(key)? {
            Some(x) => whole_number(&format!("dataset.{key}"), x, 0, images.len()),
            None => Ok(default),
        }
    };
    let per_class = count("perClass", DEFAULT_DIGITS_PER_CLASS)?;
    let validation = count("validationPerClass", DEFAULT_DIGITS_VALIDATION_PER_CLASS)?;
    let seed = match cfg.number("seed")? {
        Some(x) => seed_from_number(x)?,
        None => run_seed,
    };
    let keep: Vec<usize> = match cfg.numbers("digits")? {
        Some(list) => list
            .into_iter()
            .map(|d| whole_number("dataset.digits", d, 0, images.classes() - 1))
            .collect::<Result<_>>()?,
        None => (0..images.classes()).collect(),
    };
    let style = match cfg.value("style") {
        Some(ConfigValue::Text(name)) => DigitStyle::parse(name)?,
        Some(_) => {
            return Err(Error::new(
                "dataset.style must be a string such as \"thick\"",
            ))
        }
        None => DigitStyle::Plain,
    };
    let (train, validation) = images.split_task(&keep, style, per_class, validation, seed)?;
    Ok(DataSource::Split { train, validation })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Rule;

    fn map(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
    }
    fn num(x: f64) -> ConfigValue {
        ConfigValue::Number(x)
    }
    fn text(s: &str) -> ConfigValue {
        ConfigValue::Text(s.into())
    }
    fn list(xs: &[f64]) -> ConfigValue {
        ConfigValue::List(xs.iter().map(|&x| num(x)).collect())
    }
    fn message(value: ConfigValue) -> String {
        trainer_setup(&value).unwrap_err().message().to_string()
    }

    #[test]
    fn the_issue_example_reads_into_the_spiral_run() {
        let value = map(&[
            (
                "dataset",
                map(&[
                    ("kind", text("spiral")),
                    ("classes", num(3.0)),
                    ("pointsPerClass", num(100.0)),
                    ("noise", num(0.2)),
                    ("seed", num(1.0)),
                ]),
            ),
            ("validationSplit", num(0.2)),
            ("hidden", list(&[100.0])),
            ("activation", text("relu")),
            ("dropout", ConfigValue::Null),
            ("batchNorm", ConfigValue::Bool(false)),
            ("optimizer", map(&[("kind", text("sgd")), ("lr", num(1.0))])),
            ("l2", num(1e-3)),
            ("batchSize", num(300.0)),
            ("seed", num(1.0)),
        ]);
        let setup = trainer_setup(&value).unwrap();
        let c = &setup.config;
        assert_eq!(c.classes, 3);
        assert_eq!(c.hidden, vec![100]);
        assert_eq!(c.dropout, None);
        assert_eq!(c.validation_split, 0.2);
        assert_eq!(c.optimizer.rule, Rule::Sgd);
        assert_eq!(c.optimizer.lr, 1.0);
        assert_eq!(c.l2, 1e-3);
        assert_eq!(c.batch_size, 300);
        assert!(setup.schedule.is_none());
        // The data is the generator's, drawn from the dataset seed.
        let DataSource::Custom(data) = &c.dataset else {
            panic!("expected materialised data")
        };
        let want = Dataset::generate(DatasetKind::Spiral, 3, 100, 0.2, 1).unwrap();
        assert_eq!(data, &want);
        let trainer = setup.build().unwrap();
        assert_eq!(trainer.train_set().len(), 240);
        assert_eq!(trainer.val_set().len(), 60);
    }

    #[test]
    fn errors_name_the_bad_key() {
        assert!(message(map(&[("hiden", list(&[10.0]))])).contains("'hiden'"));
        assert!(message(map(&[("hidden", list(&[0.0]))])).contains("hidden"));
        assert!(message(map(&[("hidden", list(&[2.5]))])).contains("hidden"));
        assert!(message(map(&[("activation", text("gelu"))])).contains("activation"));
        assert!(message(map(&[("dropout", num(1.0))])).contains("dropout"));
        assert!(message(map(&[("l2", num(-1.0))])).contains("l2"));
        assert!(message(map(&[("batchSize", num(0.0))])).contains("batchSize"));
        assert!(message(map(&[("validationSplit", num(1.0))])).contains("validationSplit"));
        assert!(message(map(&[("seed", num(-3.0))])).contains("seed"));
        assert!(message(map(&[("init", text("zeros"))])).contains("init"));
        let bad_kind = map(&[("dataset", map(&[("kind", text("swirl"))]))]);
        assert!(message(bad_kind).contains("dataset"));
        let moons3 = map(&[(
            "dataset",
            map(&[("kind", text("moons")), ("classes", num(3.0))]),
        )]);
        assert!(message(moons3).contains("classes"));
        for d in [-0.5, 1.0, f64::NAN] {
            assert!(message(map(&[("polyak", num(d))])).starts_with("polyak must be"));
        }
        assert!(message(map(&[("polyak", text("0.9"))])).contains("'polyak'"));
        let bad_noise = map(&[(
            "dataset",
            map(&[("kind", text("blobs")), ("noise", num(5.0))]),
        )]);
        assert!(message(bad_noise).contains("noise"));
        let lr = map(&[(
            "optimizer",
            map(&[("kind", text("adam")), ("lr", num(-0.1))]),
        )]);
        assert!(message(lr).contains("lr"));
    }

    #[test]
    fn second_order_optimizers_are_refused_with_a_reason() {
        for kind in ["newton", "lbfgs"] {
            let m = message(map(&[("optimizer", map(&[("kind", text(kind))]))]));
            assert!(m.contains(kind) && m.contains("first-order"), "{m}");
        }
    }

    #[test]
    fn a_schedule_sets_each_step_rate() {
        let value = map(&[(
            "optimizer",
            map(&[
                ("kind", text("momentum")),
                ("lr", num(0.4)),
                (
                    "schedule",
                    map(&[
                        ("kind", text("step")),
                        ("gamma", num(0.5)),
                        ("every", num(3.0)),
                    ]),
                ),
            ]),
        )]);
        let setup = trainer_setup(&value).unwrap();
        let mut trainer = setup.build().unwrap();
        assert_eq!(trainer.current_lr(), 0.4);
        trainer.run(3).unwrap();
        assert_eq!(trainer.current_lr(), 0.2);
        trainer.run(3).unwrap();
        assert_eq!(trainer.current_lr(), 0.1);
    }

    #[test]
    fn labels_hold_at_most_max_custom_points() {
        let labels = labels_of(vec![1.0; MAX_CUSTOM_POINTS], "point").unwrap();
        assert_eq!(labels.len(), MAX_CUSTOM_POINTS);
        assert!(labels.iter().all(|&y| y == 1));
        for n in [MAX_CUSTOM_POINTS + 1, 2 * MAX_CUSTOM_POINTS] {
            let err = labels_of(vec![0.0; n], "image").unwrap_err();
            assert!(
                err.message()
                    .contains(&format!("at most {MAX_CUSTOM_POINTS} images, got {n}")),
                "{}",
                err.message()
            );
        }
    }

    #[test]
    fn custom_points_infer_classes_and_check_labels() {
        let value = map(&[(
            "dataset",
            map(&[
                ("kind", text("custom")),
                ("x", list(&[0.0, 0.0, 1.0, 1.0, -1.0, 0.5])),
                ("y", list(&[0.0, 2.0, 1.0])),
            ]),
        )]);
        let setup = trainer_setup(&value).unwrap();
        assert_eq!(setup.config.classes, 3);
        let DataSource::Custom(data) = &setup.config.dataset else {
            panic!()
        };
        assert_eq!(data.point(2), [-1.0, 0.5]);
        assert_eq!(data.labels(), &[0, 2, 1]);

        let odd = map(&[(
            "dataset",
            map(&[
                ("kind", text("custom")),
                ("x", list(&[0.0, 0.0, 1.0])),
                ("y", list(&[0.0, 1.0])),
            ]),
        )]);
        assert!(message(odd).contains("dataset"));
        let fractional = map(&[(
            "dataset",
            map(&[
                ("kind", text("custom")),
                ("x", list(&[0.0, 0.0])),
                ("y", list(&[0.5])),
            ]),
        )]);
        assert!(message(fractional).contains("point 0"));
        let missing = map(&[("dataset", map(&[("kind", text("custom"))]))]);
        assert!(message(missing).contains("'x'"));
    }

    #[test]
    fn zero_dropout_means_off_and_the_seed_defaults_the_data_seed() {
        let value = map(&[("dropout", num(0.0)), ("seed", num(7.0))]);
        let setup = trainer_setup(&value).unwrap();
        assert_eq!(setup.config.dropout, None);
        let DataSource::Custom(data) = &setup.config.dataset else {
            panic!()
        };
        assert_eq!(
            data,
            &Dataset::generate(DatasetKind::Spiral, 3, 100, 0.2, 7).unwrap()
        );
    }
}
