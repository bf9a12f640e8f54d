//! A network's `layers` list from a settings object:
//!
//! ```text
//! [ { kind: "conv", filters: 16, size: 5, stride: 1, pad: 0 }, { kind: "relu" },
//!   { kind: "maxpool", size: 2 }, { kind: "dropout", p: 0.25 }, { kind: "batchnorm" },
//!   { kind: "dense", units: 10 } ]
//! ```
//!
//! Every error names the layer's index and key as JS writes them
//! (`layers[3].size must be ...`); shapes are checked when the network is
//! built, with the same names.

use super::value::{ConfigMap, ConfigValue};
use crate::error::{Error, Result};
use crate::nn::layer_spec::{LayerSpec, MAX_LAYERS};
use crate::nn::Activation;

/// The layer kinds, in the order the docs list them.
pub const LAYER_KINDS: [&str; 8] = [
    "conv",
    "maxpool",
    "dense",
    "relu",
    "tanh",
    "sigmoid",
    "dropout",
    "batchnorm",
];

/// Reads the whole list; the first bad layer's error names it.
pub fn layer_list(value: &ConfigValue) -> Result<Vec<LayerSpec>> {
    let ConfigValue::List(items) = value else {
        return Err(Error::new(
            "layers must be a list of layer settings such as {kind: \"conv\", filters: 16, size: 5}",
        ));
    };
    if items.is_empty() || items.len() > MAX_LAYERS {
        return Err(Error::new(format!(
            "layers must list 1 to {MAX_LAYERS} layers, got {}",
            items.len()
        )));
    }
    let layers = items
        .iter()
        .enumerate()
        .map(|(index, item)| layer(index, item))
        .collect::<Result<Vec<_>>>()?;
    for (index, layer) in layers.iter().enumerate() {
        layer.validate(index)?;
    }
    Ok(layers)
}

/// One layer's settings.
fn layer(index: usize, value: &ConfigValue) -> Result<LayerSpec> {
    let what = format!("layers[{index}]");
    let cfg = value.as_map(&what)?;
    let kind = cfg.text("kind").map_err(|_| {
        Error::new(format!(
            "{what}.kind must be one of {}",
            LAYER_KINDS.join(", ")
        ))
    })?;
    let keys: &[&str] = match kind {
        "conv" => &["kind", "filters", "size", "stride", "pad"],
        "maxpool" => &["kind", "size", "stride"],
        "dense" => &["kind", "units"],
        "dropout" => &["kind", "p"],
        "relu" | "tanh" | "sigmoid" | "batchnorm" => &["kind"],
        other => {
            return Err(Error::new(format!(
                "{what}.kind must be one of {}, got \"{other}\"",
                LAYER_KINDS.join(", ")
            )))
        }
    };
    cfg.allow_only(keys)
        .map_err(|e| Error::new(format!("{} for kind '{kind}'", e.message())))?;
    let read = Reader { cfg, what: &what };
    Ok(match kind {
        "conv" => LayerSpec::Conv {
            filters: read.whole("filters", None)?,
            size: read.whole("size", None)?,
            stride: read.whole("stride", Some(1))?,
            pad: read.whole("pad", Some(0))?,
        },
        "maxpool" => {
            let size = read.whole("size", None)?;
            LayerSpec::MaxPool {
                size,
                stride: read.whole("stride", Some(size))?,
            }
        }
        "dense" => LayerSpec::Dense {
            units: read.whole("units", None)?,
        },
        "dropout" => {
            let p = read.number("p")?.unwrap_or(0.5);
            LayerSpec::Dropout {
                drop_prob: p as f32,
            }
        }
        "batchnorm" => LayerSpec::BatchNorm,
        name => LayerSpec::Activation(Activation::parse(name)?),
    })
}

/// Typed reads whose errors say `layers[i].key`.
struct Reader<'a> {
    cfg: ConfigMap<'a>,
    what: &'a str,
}

impl Reader<'_> {
    fn number(&self, key: &str) -> Result<Option<f64>> {
        let value = self
            .cfg
            .number(key)
            .map_err(|_| Error::new(format!("{}.{key} must be a number", self.what)))?;
        if let Some(x) = value {
            if !x.is_finite() {
                return Err(Error::new(format!(
                    "{}.{key} must be a finite number, got {x}",
                    self.what
                )));
            }
        }
        Ok(value)
    }

    /// A whole number ≥ 0, required when there is no default; the ranges
    /// are checked by [`LayerSpec::validate`].
    fn whole(&self, key: &str, default: Option<usize>) -> Result<usize> {
        match (self.number(key)?, default) {
            (Some(x), _) if x.fract() == 0.0 && (0.0..=1e9).contains(&x) => Ok(x as usize),
            (Some(x), _) => Err(Error::new(format!(
                "{}.{key} must be a whole number, got {x}",
                self.what
            ))),
            (None, Some(default)) => Ok(default),
            (None, None) => Err(Error::new(format!("{}.{key} is required", self.what))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::value::settings_of;

    fn num(x: f64) -> ConfigValue {
        ConfigValue::Number(x)
    }
    fn text(s: &str) -> ConfigValue {
        ConfigValue::Text(s.into())
    }

    #[test]
    fn the_issue_list_reads_with_its_defaults() {
        let list = ConfigValue::List(vec![
            settings_of(&[
                ("kind", text("conv")),
                ("filters", num(16.0)),
                ("size", num(5.0)),
            ]),
            settings_of(&[("kind", text("relu"))]),
            settings_of(&[("kind", text("maxpool")), ("size", num(2.0))]),
            settings_of(&[("kind", text("dropout"))]),
            settings_of(&[("kind", text("batchnorm"))]),
            settings_of(&[("kind", text("dense")), ("units", num(10.0))]),
        ]);
        let layers = layer_list(&list).unwrap();
        assert_eq!(
            layers,
            vec![
                LayerSpec::Conv {
                    filters: 16,
                    size: 5,
                    stride: 1,
                    pad: 0
                },
                LayerSpec::Activation(Activation::Relu),
                LayerSpec::MaxPool { size: 2, stride: 2 },
                LayerSpec::Dropout { drop_prob: 0.5 },
                LayerSpec::BatchNorm,
                LayerSpec::Dense { units: 10 },
            ]
        );
    }

    #[test]
    fn a_list_holds_one_to_max_layers() {
        let relus = |n: usize| ConfigValue::List(vec![settings_of(&[("kind", text("relu"))]); n]);
        assert_eq!(layer_list(&relus(MAX_LAYERS)).unwrap().len(), MAX_LAYERS);
        for n in [0, MAX_LAYERS + 1, 2 * MAX_LAYERS] {
            let err = layer_list(&relus(n)).unwrap_err();
            assert!(
                err.message().contains(&format!("got {n}")),
                "{}",
                err.message()
            );
        }
    }

    #[test]
    fn errors_name_the_index_and_key() {
        let message = |item: ConfigValue| {
            let list = ConfigValue::List(vec![settings_of(&[("kind", text("relu"))]), item]);
            layer_list(&list).unwrap_err().message().to_string()
        };
        let conv = |pairs: &[(&str, ConfigValue)]| {
            let mut all = vec![
                ("kind", text("conv")),
                ("filters", num(8.0)),
                ("size", num(3.0)),
            ];
            for (k, v) in pairs {
                all.retain(|(key, _)| key != k);
                all.push((k, v.clone()));
            }
            settings_of(&all)
        };
        assert!(message(conv(&[("filters", num(0.0))])).starts_with("layers[1].filters"));
        assert!(message(conv(&[("size", num(2.5))])).starts_with("layers[1].size"));
        assert!(message(conv(&[("size", text("5"))])).starts_with("layers[1].size"));
        assert!(message(conv(&[("stride", num(-1.0))])).starts_with("layers[1].stride"));
        assert!(message(conv(&[("pad", num(f64::NAN))])).starts_with("layers[1].pad"));
        let typo = message(conv(&[("filter", num(8.0))]));
        assert!(
            typo.contains("'filter'") && typo.contains("layers[1]"),
            "{typo}"
        );
        let missing = message(settings_of(&[("kind", text("dense"))]));
        assert!(
            missing.starts_with("layers[1].units is required"),
            "{missing}"
        );
        let kind = message(settings_of(&[("kind", text("softmax"))]));
        assert!(kind.starts_with("layers[1].kind"), "{kind}");
        let drop = message(settings_of(&[("kind", text("dropout")), ("p", num(1.0))]));
        assert!(drop.starts_with("layers[1].p"), "{drop}");
        assert!(layer_list(&ConfigValue::List(vec![])).is_err());
        assert!(layer_list(&num(3.0)).is_err());
    }
}
