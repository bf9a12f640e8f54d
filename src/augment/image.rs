//! The RGBA image buffer and its borrowed views.
//!
//! Pixels are stored row-major, four bytes each (red, green, blue, alpha),
//! the layout of a canvas `ImageData`: pixel (x, y) starts at byte
//! `(y * width + x) * 4`.

use crate::error::{Error, Result};

/// The largest number of pixels an image may have (4096 × 4096, 64 MiB).
///
/// A 12-megapixel phone photo fits; anything bigger should be downscaled
/// by the browser before it reaches the lab.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// Bytes per pixel.
pub const CHANNELS: usize = 4;

/// Checks the dimensions of an image named `what` and returns its byte length.
pub(crate) fn checked_byte_len(what: &str, width: u32, height: u32) -> Result<usize> {
    if width == 0 || height == 0 {
        return Err(Error::new(format!(
            "{what} must be at least 1×1 pixels, got {width}×{height}"
        )));
    }
    let pixels = width as u64 * height as u64;
    if pixels > MAX_PIXELS {
        return Err(Error::new(format!(
            "image too large: {what} is {width}×{height} = {pixels} pixels, \
             the maximum is {MAX_PIXELS} (4096×4096); downscale it first"
        )));
    }
    Ok(pixels as usize * CHANNELS)
}

fn check_data_len(width: u32, height: u32, len: usize) -> Result<()> {
    let expected = checked_byte_len("image", width, height)?;
    if len != expected {
        return Err(Error::new(format!(
            "image data has {len} bytes, but a {width}×{height} RGBA image needs {expected}"
        )));
    }
    Ok(())
}

/// Fails unless `out` holds exactly a `width`×`height` RGBA image; `op`
/// names the operation in the message.
pub(crate) fn check_output(op: &str, out: &[u8], width: u32, height: u32) -> Result<()> {
    let expected = checked_byte_len(&format!("{op} output"), width, height)?;
    if out.len() != expected {
        return Err(Error::new(format!(
            "{op}: output buffer has {} bytes, expected {expected} ({width}×{height} RGBA)",
            out.len()
        )));
    }
    Ok(())
}

/// An owned RGBA image whose buffer always matches its dimensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RgbaImage {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl RgbaImage {
    /// Wraps `data`; fails unless it holds exactly `width`×`height` RGBA
    /// pixels, both sides are at least 1 and the size is within [`MAX_PIXELS`].
    pub fn new(width: u32, height: u32, data: Vec<u8>) -> Result<Self> {
        check_data_len(width, height, data.len())?;
        Ok(RgbaImage {
            width,
            height,
            data,
        })
    }

    /// An image of one colour.
    pub fn filled(width: u32, height: u32, rgba: [u8; 4]) -> Result<Self> {
        let len = checked_byte_len("image", width, height)?;
        let mut data = vec![0u8; len];
        for pixel in data.chunks_exact_mut(CHANNELS) {
            pixel.copy_from_slice(&rgba);
        }
        Ok(RgbaImage {
            width,
            height,
            data,
        })
    }

    /// Builds an image pixel by pixel from `colour(x, y)`.
    pub fn from_fn(width: u32, height: u32, colour: impl Fn(u32, u32) -> [u8; 4]) -> Result<Self> {
        let len = checked_byte_len("image", width, height)?;
        let mut data = Vec::with_capacity(len);
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&colour(x, y));
            }
        }
        Ok(RgbaImage {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The RGBA bytes, row-major.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The RGBA bytes for editing (the length cannot change).
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    /// Gives the buffer back.
    pub fn into_data(self) -> Vec<u8> {
        self.data
    }

    /// The pixel at (x, y); panics outside the image, like slice indexing.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        self.view().pixel(x, y)
    }

    /// A borrowed read-only view.
    pub fn view(&self) -> RgbaView<'_> {
        RgbaView {
            width: self.width,
            height: self.height,
            data: &self.data,
        }
    }

    /// A borrowed mutable view, for the in-place operations.
    pub fn view_mut(&mut self) -> RgbaViewMut<'_> {
        RgbaViewMut {
            width: self.width,
            height: self.height,
            data: &mut self.data,
        }
    }
}

/// A read-only RGBA image over borrowed bytes (one image inside a dataset
/// buffer, say), validated like [`RgbaImage::new`].
#[derive(Clone, Copy, Debug)]
pub struct RgbaView<'a> {
    width: u32,
    height: u32,
    data: &'a [u8],
}

impl<'a> RgbaView<'a> {
    /// Views `data` as a `width`×`height` image; fails on a size mismatch.
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Result<Self> {
        check_data_len(width, height, data.len())?;
        Ok(RgbaView {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The RGBA bytes, row-major.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The pixel at (x, y); panics outside the image, like slice indexing.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        assert!(
            x < self.width && y < self.height,
            "pixel ({x}, {y}) is outside the image"
        );
        let start = (y as usize * self.width as usize + x as usize) * CHANNELS;
        [
            self.data[start],
            self.data[start + 1],
            self.data[start + 2],
            self.data[start + 3],
        ]
    }

    /// Copies the view into an owned image.
    pub fn to_image(&self) -> RgbaImage {
        RgbaImage {
            width: self.width,
            height: self.height,
            data: self.data.to_vec(),
        }
    }
}

impl<'a> From<&'a RgbaImage> for RgbaView<'a> {
    fn from(image: &'a RgbaImage) -> Self {
        image.view()
    }
}

/// A mutable RGBA image over borrowed bytes, validated like [`RgbaImage::new`].
#[derive(Debug)]
pub struct RgbaViewMut<'a> {
    width: u32,
    height: u32,
    data: &'a mut [u8],
}

impl<'a> RgbaViewMut<'a> {
    /// Views `data` as a `width`×`height` image; fails on a size mismatch.
    pub fn new(width: u32, height: u32, data: &'a mut [u8]) -> Result<Self> {
        check_data_len(width, height, data.len())?;
        Ok(RgbaViewMut {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The RGBA bytes, row-major.
    pub fn data(&self) -> &[u8] {
        self.data
    }

    /// The RGBA bytes for editing.
    pub fn data_mut(&mut self) -> &mut [u8] {
        self.data
    }

    /// A read-only view of the same pixels.
    pub fn as_view(&self) -> RgbaView<'_> {
        RgbaView {
            width: self.width,
            height: self.height,
            data: self.data,
        }
    }
}

impl<'a> From<&'a mut RgbaImage> for RgbaViewMut<'a> {
    fn from(image: &'a mut RgbaImage) -> Self {
        image.view_mut()
    }
}
