//! `new Augmenter({ops: [...]})`: a seeded augmentation pipeline over RGBA
//! pixels, plus the helpers the preview needs (one-op previews, area
//! downscaling, test-time crop boxes).
//!
//! `apply` returns `{data, width, height, params}`: `data` is a fresh
//! `Uint8ClampedArray` (a copy, so it stays valid across calls) and
//! `params` holds one plain object per op with what was drawn:
//!
//! | key | for | meaning |
//! | --- | --- | --- |
//! | `kind`, `applied` | every op | the op's kind; false if its coin said skip |
//! | `inputWidth`, `inputHeight`, `outputWidth`, `outputHeight` | every op | image size before and after the op |
//! | `flipped` | `hflip`, `vflip` | whether the image was mirrored (= `applied`) |
//! | `box: {x, y, width, height}` | `random_crop`, `random_resized_crop`, `cutout` | the drawn box in the op's input (a crop may reach into the padding; cutout's box is `null` if none fitted) |
//! | `fallback` | `random_resized_crop` | true if ten draws failed and a centre crop was used |
//! | `brightness`, `contrast`, `saturation`, `hue`, `order` | `color_jitter` | factors (1 = unchanged), hue turns (0 = unchanged), and the order applied |
//! | `alpha`, `rgbShift` | `lighting` | the PCA weights and the RGB shift they give (0–255 units) |
//! | `degrees` | `rotate` | counter-clockwise angle |
//! | `dx`, `dy` | `translate` | whole-pixel shift, right and down positive |
//!
//! Drawn keys are present only when the op was applied.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::read_config;
use crate::augment::{
    downscale_to_fit, five_crop_boxes, ten_crop, AppliedOp, CropBox, JitterFactors, OpSpec,
    Pipeline, RgbaImage, RgbaView,
};
use crate::config::{augment_pipeline, op_spec, AUGMENT_OP_KINDS};
use crate::error::Error;

/// Largest seed: every whole number a JS `Number` holds exactly.
const MAX_SEED: f64 = 9_007_199_254_740_991.0;

/// An augmentation pipeline built from a settings object.
#[wasm_bindgen(js_name = Augmenter)]
pub struct JsAugmenter {
    pipeline: Pipeline,
    /// The image of `setImage`, kept so `sample` need not copy it in again.
    source: Option<RgbaImage>,
    /// The pixel buffer of the last `sample`, reused by the next one.
    spare: Vec<u8>,
}

#[derive(Serialize)]
struct BoxOut {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
}

impl From<CropBox> for BoxOut {
    fn from(b: CropBox) -> Self {
        BoxOut {
            x: b.x,
            y: b.y,
            width: b.width,
            height: b.height,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TtaBoxOut {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
    hflip: bool,
}

/// What an applied op drew, flattened into its params object.
#[derive(Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
enum Drawn {
    None {},
    Flip {
        flipped: bool,
    },
    Crop {
        #[serde(rename = "box")]
        region: BoxOut,
    },
    ResizedCrop {
        #[serde(rename = "box")]
        region: BoxOut,
        fallback: bool,
    },
    Jitter {
        brightness: f64,
        contrast: f64,
        saturation: f64,
        hue: f64,
        order: [&'static str; 4],
    },
    Lighting {
        alpha: [f64; 3],
        rgb_shift: [f64; 3],
    },
    Rotate {
        degrees: f64,
    },
    Translate {
        dx: i32,
        dy: i32,
    },
    Cutout {
        #[serde(rename = "box")]
        region: Option<BoxOut>,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpParams {
    kind: &'static str,
    applied: bool,
    input_width: u32,
    input_height: u32,
    output_width: u32,
    output_height: u32,
    #[serde(flatten)]
    drawn: Drawn,
}

fn jitter_out(f: &JitterFactors) -> Drawn {
    Drawn::Jitter {
        brightness: f.brightness,
        contrast: f.contrast,
        saturation: f.saturation,
        hue: f.hue,
        order: f.order.map(|kind| kind.name()),
    }
}

/// The drawn parameters of one op and the size of the image it produced.
fn describe(applied: &AppliedOp, spec: &OpSpec, size: (u32, u32)) -> (Drawn, (u32, u32)) {
    let drawn = match *applied {
        AppliedOp::Skipped { .. } => match spec {
            OpSpec::HFlip { .. } | OpSpec::VFlip { .. } => Drawn::Flip { flipped: false },
            _ => Drawn::None {},
        },
        AppliedOp::HFlip | AppliedOp::VFlip => Drawn::Flip { flipped: true },
        AppliedOp::Grayscale | AppliedOp::Noise { .. } => Drawn::None {},
        AppliedOp::RandomCrop { crop } => {
            return (
                Drawn::Crop {
                    region: crop.into(),
                },
                (crop.width, crop.height),
            )
        }
        AppliedOp::RandomResizedCrop { crop, fallback } => {
            let out = match *spec {
                OpSpec::RandomResizedCrop { size, .. } => size,
                _ => size,
            };
            return (
                Drawn::ResizedCrop {
                    region: crop.into(),
                    fallback,
                },
                out,
            );
        }
        AppliedOp::ColorJitter(ref factors) => jitter_out(factors),
        AppliedOp::Lighting { alpha, rgb_shift } => Drawn::Lighting { alpha, rgb_shift },
        AppliedOp::Rotate { degrees } => Drawn::Rotate { degrees },
        AppliedOp::Translate { dx, dy } => Drawn::Translate { dx, dy },
        AppliedOp::Cutout { region } => Drawn::Cutout {
            region: region.map(BoxOut::from),
        },
    };
    (drawn, size)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    Ok(value.serialize(&serializer)?)
}

fn check_seed(seed: f64) -> Result<u64, Error> {
    if seed.is_finite() && seed.fract() == 0.0 && (0.0..=MAX_SEED).contains(&seed) {
        Ok(seed as u64)
    } else {
        Err(Error::new(format!(
            "seed must be a whole number from 0 to {MAX_SEED}, got {seed}"
        )))
    }
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a fresh plain object's own property cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// `{data, width, height}` with `data` a copied `Uint8ClampedArray`.
fn image_out(image: &RgbaImage) -> js_sys::Object {
    let data = js_sys::Uint8ClampedArray::new_with_length(image.data().len() as u32);
    data.copy_from(image.data());
    let out = js_sys::Object::new();
    set(&out, "data", &data);
    set(&out, "width", &JsValue::from(image.width()));
    set(&out, "height", &JsValue::from(image.height()));
    out
}

/// Runs `pipeline` and packs `{data, width, height, params}`; `spare` lends
/// its buffer to the run and gets the result's buffer back.
fn run(
    pipeline: &Pipeline,
    view: RgbaView<'_>,
    seed: f64,
    spare: &mut Vec<u8>,
) -> Result<JsValue, JsError> {
    let seed = check_seed(seed)?;
    let (image, report) = pipeline.apply_reusing(view, seed, std::mem::take(spare))?;
    let mut size = (view.width(), view.height());
    let params = report
        .iter()
        .zip(pipeline.ops())
        .map(|(applied, spec)| {
            let (drawn, out) = describe(applied, spec, size);
            let params = OpParams {
                kind: spec.kind().name(),
                applied: applied.was_applied(),
                input_width: size.0,
                input_height: size.1,
                output_width: out.0,
                output_height: out.1,
                drawn,
            };
            size = out;
            params
        })
        .collect::<Vec<_>>();
    let out = image_out(&image);
    *spare = image.into_data();
    set(&out, "params", &to_js(&params)?);
    Ok(out.into())
}

#[wasm_bindgen(js_class = Augmenter)]
impl JsAugmenter {
    /// Builds the pipeline from `{ops: [{kind, p, ...}, ...]}`; unknown
    /// kinds or keys and out-of-range values throw an Error naming them.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AugmenterConfig")] config: JsValue,
    ) -> Result<JsAugmenter, JsError> {
        let config = read_config(&config, "augmenter")?;
        Ok(JsAugmenter {
            pipeline: augment_pipeline(&config)?,
            source: None,
            spare: Vec::new(),
        })
    }

    /// Augments one `width`×`height` RGBA image (`rgba.length` must be
    /// width·height·4) with randomness fixed by `seed` (a whole number);
    /// returns `{data, width, height, params}` (keys in the module docs).
    #[wasm_bindgen(unchecked_return_type = "AugmentResult")]
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pixels")] rgba: &[u8],
        width: u32,
        height: u32,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        run(
            &self.pipeline,
            RgbaView::new(width, height, rgba)?,
            seed,
            &mut Vec::new(),
        )
    }

    /// Keeps a copy of one image for [`sample`](Self::sample): a grid of
    /// samples then copies the pixels into wasm memory once, not per sample.
    #[wasm_bindgen(js_name = setImage)]
    pub fn set_image(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Pixels")] rgba: &[u8],
        width: u32,
        height: u32,
    ) -> Result<(), JsError> {
        self.source = Some(RgbaImage::new(width, height, rgba.to_vec())?);
        Ok(())
    }

    /// `apply` on the image given to `setImage`, with the same result;
    /// throws if no image was set.
    #[wasm_bindgen(unchecked_return_type = "AugmentResult")]
    pub fn sample(&mut self, seed: f64) -> Result<JsValue, JsError> {
        let source = self.source.as_ref().ok_or_else(|| {
            Error::new("sample needs an image: call setImage(rgba, width, height) first")
        })?;
        run(&self.pipeline, source.view(), seed, &mut self.spare)
    }

    /// Number of ops in the pipeline.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.pipeline.ops().len()
    }

    /// One op alone, always applied (its `p` is ignored): the live preview
    /// of a single op's settings. Same arguments and result as `apply`.
    #[wasm_bindgen(js_name = previewOp, unchecked_return_type = "AugmentResult")]
    pub fn preview_op(
        #[wasm_bindgen(unchecked_param_type = "AugmentOp")] op: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Pixels")] rgba: &[u8],
        width: u32,
        height: u32,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        let op = op_spec(&read_config(&op, "augment op")?)?;
        let pipeline = Pipeline::new(vec![op.with_probability(1.0)])?;
        run(
            &pipeline,
            RgbaView::new(width, height, rgba)?,
            seed,
            &mut Vec::new(),
        )
    }

    /// The op kinds, in the order the UI lists them.
    #[wasm_bindgen(js_name = opKinds, unchecked_return_type = "AugmentOpKind[]")]
    pub fn op_kinds() -> Vec<String> {
        AUGMENT_OP_KINDS.iter().map(|k| k.to_string()).collect()
    }

    /// Shrinks an image by area averaging so its longer side is at most
    /// `maxSide` (aspect ratio kept; a copy if it already fits):
    /// `{data, width, height}`.
    #[wasm_bindgen(js_name = downscaleToFit, unchecked_return_type = "RgbaImage")]
    pub fn downscale_to_fit(
        #[wasm_bindgen(unchecked_param_type = "Pixels")] rgba: &[u8],
        width: u32,
        height: u32,
        #[wasm_bindgen(js_name = maxSide)] max_side: u32,
    ) -> Result<JsValue, JsError> {
        let view = RgbaView::new(width, height, rgba)?;
        Ok(image_out(&downscale_to_fit(view, max_side)?).into())
    }

    /// The five test-time crop boxes `[{x, y, width, height}]` of a
    /// `cropWidth`×`cropHeight` crop: top-left, top-right, bottom-left,
    /// bottom-right, centre.
    #[wasm_bindgen(js_name = fiveCropBoxes, unchecked_return_type = "CropBox[]")]
    pub fn five_crop_boxes(
        width: u32,
        height: u32,
        #[wasm_bindgen(js_name = cropWidth)] crop_width: u32,
        #[wasm_bindgen(js_name = cropHeight)] crop_height: u32,
    ) -> Result<JsValue, JsError> {
        let boxes = five_crop_boxes(width, height, crop_width, crop_height)?;
        to_js(&boxes.map(BoxOut::from))
    }

    /// The ten test-time crops `[{x, y, width, height, hflip}]`: the five
    /// boxes as they are, then the same five mirrored.
    #[wasm_bindgen(js_name = tenCrop, unchecked_return_type = "TestTimeCrop[]")]
    pub fn ten_crop(
        width: u32,
        height: u32,
        #[wasm_bindgen(js_name = cropWidth)] crop_width: u32,
        #[wasm_bindgen(js_name = cropHeight)] crop_height: u32,
    ) -> Result<JsValue, JsError> {
        let crops = ten_crop(width, height, crop_width, crop_height)?;
        to_js(&crops.map(|c| TtaBoxOut {
            x: c.crop.x,
            y: c.crop.y,
            width: c.crop.width,
            height: c.crop.height,
            hflip: c.hflip,
        }))
    }
}
