//! Image augmentations on RGBA byte buffers.
