//! A network's weights as a small binary file (the shipped pretrained
//! model, `www/assets/pretrained-digits04.bin`).
//!
//! Layout, all integers little-endian:
//!
//! ```text
//! "TLWT"  u32 version (1)  u32 n, then n bytes of UTF-8 JSON (what the
//! weights are: task, layers, training recipe, accuracy)
//! u32 blocks, then per block: u8 name length, the name, u8 dims, u32 × dims
//! the values of every block in order, f32 each
//! ```
//!
//! Blocks are [`Model::blocks`](super::Model::blocks) in order ("W1",
//! "b1", …), values in the layout of `getWeights()`.

use super::model::Model;
use crate::error::{Error, Result};

const MAGIC: &[u8; 4] = b"TLWT";
const VERSION: u32 = 1;
/// Largest file the reader accepts (64 MiB), and most values of a block.
const MAX_BYTES: usize = 1 << 26;

/// One named block of weights.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightBlock {
    /// "W1", "b1", …
    pub name: String,
    /// Its full shape (`[F, C, K, K]`, `[inputs, outputs]`, `[n]`).
    pub dims: Vec<usize>,
    /// The values, `dims` multiplied together.
    pub values: Vec<f32>,
}

/// The contents of a weights file.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightsFile {
    /// A JSON object describing the weights (written by whoever made them).
    pub meta: String,
    /// The blocks in `getWeights()` order.
    pub blocks: Vec<WeightBlock>,
}

impl WeightsFile {
    /// The blocks of `model` with its current weights, and `meta`.
    pub fn of_model(model: &Model, meta: &str) -> WeightsFile {
        let blocks = model
            .blocks()
            .iter()
            .map(|b| WeightBlock {
                name: b.name.clone(),
                dims: b.dims.clone(),
                values: model.params()[b.range()].to_vec(),
            })
            .collect();
        WeightsFile {
            meta: meta.to_string(),
            blocks,
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(VERSION.to_le_bytes());
        out.extend((self.meta.len() as u32).to_le_bytes());
        out.extend(self.meta.as_bytes());
        out.extend((self.blocks.len() as u32).to_le_bytes());
        for block in &self.blocks {
            out.push(block.name.len() as u8);
            out.extend(block.name.as_bytes());
            out.push(block.dims.len() as u8);
            for &d in &block.dims {
                out.extend((d as u32).to_le_bytes());
            }
        }
        for block in &self.blocks {
            for v in &block.values {
                out.extend(v.to_le_bytes());
            }
        }
        out
    }

    /// Reads a file's bytes; errors say what does not fit.
    pub fn parse(bytes: &[u8]) -> Result<WeightsFile> {
        let bad = |what: String| Error::new(format!("not a trainlab weights file: {what}"));
        if bytes.len() > MAX_BYTES {
            return Err(bad(format!("{} bytes is too large", bytes.len())));
        }
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(4).ok() != Some(&MAGIC[..]) {
            return Err(bad("it must start with \"TLWT\"".into()));
        }
        let version = reader.u32()?;
        if version != VERSION {
            return Err(bad(format!(
                "version {version}, this reader knows {VERSION}"
            )));
        }
        let meta_len = reader.u32()? as usize;
        let meta = std::str::from_utf8(reader.take(meta_len)?)
            .map_err(|_| bad("its description is not UTF-8".into()))?
            .to_string();
        let count = reader.u32()? as usize;
        if count > MAX_BYTES / 6 {
            return Err(bad(format!("{count} blocks")));
        }
        let mut heads = Vec::with_capacity(count);
        for _ in 0..count {
            let name_len = reader.u8()? as usize;
            let name = std::str::from_utf8(reader.take(name_len)?)
                .map_err(|_| bad("a block name is not UTF-8".into()))?
                .to_string();
            let ndims = reader.u8()? as usize;
            let mut dims = Vec::with_capacity(ndims);
            let mut len = 1usize;
            for _ in 0..ndims {
                let d = reader.u32()? as usize;
                len = len.saturating_mul(d);
                dims.push(d);
            }
            if len > MAX_BYTES {
                return Err(bad(format!("block {name} is too large")));
            }
            heads.push((name, dims, len));
        }
        let mut blocks = Vec::with_capacity(count);
        for (name, dims, len) in heads {
            let raw = reader.take(len * 4).map_err(|_| {
                bad(format!(
                    "it ends inside block {name} ({} bytes in all)",
                    bytes.len()
                ))
            })?;
            let values = raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            blocks.push(WeightBlock { name, dims, values });
        }
        if reader.at != bytes.len() {
            return Err(bad(format!(
                "{} bytes are left after the last block",
                bytes.len() - reader.at
            )));
        }
        Ok(WeightsFile { meta, blocks })
    }

    /// The values of every block in order (a model's flat layout).
    pub fn flat(&self) -> Vec<f32> {
        self.blocks
            .iter()
            .flat_map(|b| b.values.iter().copied())
            .collect()
    }
}

/// Reads numbers off the front of a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| {
            Error::new(format!(
                "not a trainlab weights file: it ends early ({} bytes)",
                self.bytes.len()
            ))
        })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> WeightsFile {
        WeightsFile {
            meta: "{\"task\":\"é\"}".into(),
            blocks: vec![
                WeightBlock {
                    name: "W1".into(),
                    dims: vec![2, 1, 1, 2],
                    values: vec![1.5, -2.0, 0.25, f32::MIN_POSITIVE],
                },
                WeightBlock {
                    name: "b1".into(),
                    dims: vec![2],
                    values: vec![0.0, -0.0],
                },
            ],
        }
    }

    #[test]
    fn bytes_by_hand_and_back() {
        let bytes = sample().to_bytes();
        let meta_len = "{\"task\":\"é\"}".len();
        let mut want = b"TLWT".to_vec();
        want.extend([1, 0, 0, 0, meta_len as u8, 0, 0, 0]);
        want.extend("{\"task\":\"é\"}".as_bytes());
        want.extend([2, 0, 0, 0]);
        want.extend([
            2, b'W', b'1', 4, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
        ]);
        want.extend([2, b'b', b'1', 1, 2, 0, 0, 0]);
        want.extend(1.5f32.to_le_bytes());
        want.extend((-2.0f32).to_le_bytes());
        want.extend(0.25f32.to_le_bytes());
        want.extend(f32::MIN_POSITIVE.to_le_bytes());
        want.extend(0.0f32.to_le_bytes());
        want.extend((-0.0f32).to_le_bytes());
        assert_eq!(bytes, want);
        let back = WeightsFile::parse(&bytes).unwrap();
        assert_eq!(back, sample());
        assert_eq!(back.flat().len(), 6);
        assert!(back.flat()[5].is_sign_negative(), "bits, not just values");
    }

    #[test]
    fn broken_files_are_refused_with_a_reason() {
        let good = sample().to_bytes();
        let message = |bytes: &[u8]| WeightsFile::parse(bytes).unwrap_err().message().to_string();
        assert!(message(&good[..good.len() - 1]).contains("ends inside block b1"));
        assert!(message(b"PNG\0\0\0").contains("\"TLWT\""));
        let mut extra = good.clone();
        extra.push(0);
        assert!(message(&extra).contains("1 bytes are left"));
        let mut version = good.clone();
        version[4] = 2;
        assert!(message(&version).contains("version 2"));
        assert!(message(&good[..10]).contains("ends early"));
    }
}
