//! Settings objects from JavaScript or the URL, turned into the crate's
//! enums and validated. Plain Rust, so every rule is tested natively; the
//! wasm layer only converts a `JsValue` into a [`ConfigValue`].

mod augment;
mod color;
mod dots;
mod ensemble;
mod layers;
mod optimizer;
mod schedule;
mod trainer;
mod value;

pub use augment::{augment_pipeline, op_spec, AUGMENT_OP_KINDS, MAX_PIPELINE_OPS};
pub use color::hex_color;
pub use dots::dot_style;
pub use ensemble::{ensemble_setup, EnsembleSetup, ENSEMBLE_KINDS};
pub use layers::{layer_list, LAYER_KINDS};
pub use optimizer::{
    default_lr, first_order_settings, optimizer_method, second_order_settings, FIRST_ORDER_KINDS,
    SECOND_ORDER_KINDS,
};
pub use schedule::{schedule_spec, SCHEDULE_KINDS};
pub use trainer::{
    dataset_from, network_optimizer, trainer_setup, trainer_setup_with, DatasetArrays,
    TrainerSetup, DEFAULT_DIGITS_PER_CLASS, DEFAULT_DIGITS_VALIDATION_PER_CLASS, MAX_CUSTOM_POINTS,
    MAX_IMAGE_VALUES, TRAINER_KEYS,
};
pub use value::{ConfigMap, ConfigValue};
