//! A small neural-network engine for 2-D classification demos: dense
//! layers, ReLU/tanh/sigmoid, dropout, batch norm, softmax cross-entropy
//! with L2, toy data sets and a [`Trainer`].
//!
//! The design aims at micrograd-like readability with speed where it
//! matters: f32, row-major matrices, one flat parameter vector (so the
//! optimizers of [`crate::optim`] apply unchanged), buffers allocated once
//! per batch size, and matrix products with an f32x4 wasm SIMD path
//! ([`lanes`], [`matmul`]).
//!
//! Measured on the CS231n spiral step (300 points, 2 → 100 ReLU → 3, SGD):
//! about 0.1 ms per step in wasm with simd128 under Node 20 (0.3 ms with
//! the scalar path), on a shared 2-core machine.
//!
//! Files, one idea each: `lanes` (the 4-lane vector), `matmul` (kernels),
//! `dense`, `activation`, `dropout`, `batch_norm`, `loss`, `spec` (network
//! shape and initialisation), `model` (layers + flat parameters +
//! buffers), `dataset`, `config` (validated settings), `trainer`, `grid`
//! (decision-map cells), `polyak` (weight averaging), `ensemble` (model and
//! snapshot ensembles), `averaging` (how an ensemble combines predictions).

pub mod activation;
pub mod averaging;
pub mod batch_norm;
pub mod centering;
pub mod config;
pub mod conv;
pub mod dataset;
pub mod dense;
pub mod digit_styles;
pub mod digits;
pub mod dropout;
pub mod ensemble;
pub mod evaluation;
pub mod gemm;
pub mod grid;
pub mod im2col;
pub mod image_augment;
pub mod lanes;
pub mod layer_spec;
pub mod loss;
pub mod matmul;
pub mod model;
pub mod polyak;
pub mod pool;
pub mod shape;
pub mod spec;
pub mod trainer;
pub mod weights_file;

pub use activation::Activation;
pub use batch_norm::BatchNorm;
pub use centering::center_digit;
pub use config::{parse_dataset_kind, seed_from_number, whole_number, DataSource, TrainerConfig};
pub use conv::Conv;
pub use dataset::{Dataset, DatasetKind};
pub use dense::Dense;
pub use digit_styles::DigitStyle;
pub use digits::ImageBytes;
pub use dropout::{Dropout, DropoutMode};
pub use ensemble::{Ensemble, EnsembleKind, MAX_MEMBERS};
pub use evaluation::{Evaluation, Mistake, Progress};
pub use grid::Grid;
pub use image_augment::ImageAugmenter;
pub use layer_spec::LayerSpec;
pub use model::{HiddenLayer, Layer, LossParts, Model, ParamBlock, SetScore, EVAL_CHUNK};
pub use polyak::Polyak;
pub use pool::MaxPool;
pub use shape::Shape;
pub use spec::{ModelSpec, WeightInit};
pub use trainer::{head_seed, LrSchedule, Metrics, Trainer};
pub use weights_file::{WeightBlock, WeightsFile};

/// Whether a forward pass trains (batch statistics, random dropout masks)
/// or evaluates (running statistics, no dropout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training behaviour.
    Train,
    /// Test-time behaviour.
    Eval,
}
