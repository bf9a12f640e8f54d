//! Transfer learning's file of pretrained weights, read for the page.
//!
//! ```js
//! const file = readWeightsFile(new Uint8Array(await (await fetch(url)).arrayBuffer()));
//! file.meta;    // JSON text: the source task, its Trainer settings, steps, accuracy
//! file.blocks;  // [{name, dims, values: Float32Array}] in getWeights() order
//! target.setWeights(file.blocks.map((b) => b.values), { layers: 2 });
//! ```

use js_sys::{Array, Float32Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::nn::WeightsFile;

/// Reads a weights file (`www/assets/pretrained-digits04.bin`): `{meta,
/// blocks: [{name, dims, values}]}` (values are copies). Throws an Error
/// saying what does not fit when the bytes are not such a file.
#[wasm_bindgen(js_name = readWeightsFile, unchecked_return_type = "WeightsFile")]
pub fn read_weights_file(bytes: Uint8Array) -> Result<JsValue, JsError> {
    let file = WeightsFile::parse(&bytes.to_vec())?;
    let js = |e: JsValue| JsError::new(&format!("{e:?}"));
    let out = Object::new();
    Reflect::set(&out, &"meta".into(), &file.meta.as_str().into()).map_err(js)?;
    let blocks = Array::new();
    for block in &file.blocks {
        let item = Object::new();
        Reflect::set(&item, &"name".into(), &block.name.as_str().into()).map_err(js)?;
        let dims: Array = block
            .dims
            .iter()
            .map(|&d| JsValue::from(d as f64))
            .collect();
        Reflect::set(&item, &"dims".into(), &dims).map_err(js)?;
        let values = Float32Array::from(&block.values[..]);
        Reflect::set(&item, &"values".into(), &values).map_err(js)?;
        blocks.push(&item);
    }
    Reflect::set(&out, &"blocks".into(), &blocks).map_err(js)?;
    Ok(out.into())
}
