//! trainlab: the numerics of an in-browser lab for "Training Neural
//! Networks, part 2" (CS231n lecture 7).
//!
//! Every module but [`api`] is plain Rust and is tested natively; `api` is
//! the one wasm-bindgen layer, holding long-lived state behind opaque
//! handles and turning serde configs into the enums below.

pub mod augment;
pub mod config;
pub mod error;
pub mod nn;
pub mod objective;
pub mod optim;
pub mod race;
pub mod render;
pub mod rng;
pub mod schedule;
pub mod second_order;
pub mod transfer;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use error::{Error, Result};
