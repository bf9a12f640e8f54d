//! Image augmentations on RGBA byte buffers (canvas `ImageData` layout).
//!
//! Every op takes its parameters explicitly and is deterministic; the only
//! randomness is in drawing parameters ([`Pipeline`], the `random_*_box`
//! samplers), always from the crate's seeded [`crate::rng::Rng`]. Most ops
//! come in three forms: returning a new image, writing `_into` a caller's
//! buffer (whose size is checked), and `_in_place` where the size does not
//! change. Bad input is an `Err`, never a panic. Colour ops leave alpha alone.

mod area;
mod color;
mod crop;
mod erase;
mod flip;
mod grayscale;
mod hue;
mod image;
mod jitter;
mod lighting;
mod noise;
mod padding;
mod pipeline;
mod random_crop;
mod resize;
mod rotate;
mod spec;
mod translate;
mod tta;

pub use area::{downscale_to_fit, resize_area, resize_area_into};
pub use color::{ColorAdjust, ColorStep, MAX_COLOR_FACTOR};
pub use crop::{crop, crop_into, crop_padded, crop_padded_into, CropBox};
pub use erase::{erase, erase_in_place, erase_into, random_erase_box, EraseFill};
pub use flip::{hflip, hflip_in_place, hflip_into, vflip, vflip_in_place, vflip_into};
pub use grayscale::{grayscale, grayscale_in_place, grayscale_into};
pub use image::{RgbaImage, RgbaView, RgbaViewMut, CHANNELS, MAX_PIXELS};
pub use jitter::{
    color_jitter, color_jitter_in_place, color_jitter_into, JitterFactors, JitterKind,
    JitterStrength,
};
pub use lighting::{
    draw_lighting_alpha, lighting, lighting_in_place, lighting_into, pca_lighting_shift,
    IMAGENET_EIGENVALUES, IMAGENET_EIGENVECTORS,
};
pub use noise::{add_noise, add_noise_in_place, MAX_NOISE_STD};
pub use padding::Padding;
pub use pipeline::{AppliedOp, Pipeline};
pub use random_crop::{random_crop_box, random_resized_crop_box, ResizedCropDraw};
pub use resize::{
    resample_into, resample_portable_into, resize_bilinear, resize_bilinear_into, resized_crop,
    resized_crop_into,
};
pub use rotate::{rotate, rotate_into};
pub use spec::{CutoutFill, OpKind, OpSpec, MAX_OUTPUT_SIDE};
pub use translate::{translate, translate_into};
pub use tta::{five_crop_boxes, ten_crop, tta_crop, TtaCrop};
