//! Augmentation pipelines from a settings object:
//! `{ops: [{kind: "hflip", p: 0.5}, {kind: "random_resized_crop", size: [224, 224]}, ...]}`.
//!
//! Keys are camelCase like every other settings object (`maxShift`,
//! `paddingMode`); the snake_case spellings of the first release still work
//! ([`OP_KEY_ALIASES`]), and giving both spellings of a key is an error.
//! Kind names stay torchvision's snake_case (`random_resized_crop`). Every key an op
//! does not know is an error naming it, so a misspelt `brightnes` is caught
//! instead of silently falling back to a default. Defaults follow
//! torchvision: flips and cutout apply with p = 0.5, grayscale with 0.1,
//! everything else always.

use super::value::{ConfigMap, ConfigValue};
use crate::augment::{CutoutFill, OpSpec, Padding, Pipeline};
use crate::error::{Error, Result};

/// The op kinds, in the order the UI lists them.
pub const AUGMENT_OP_KINDS: [&str; 11] = [
    "hflip",
    "vflip",
    "random_crop",
    "random_resized_crop",
    "color_jitter",
    "lighting",
    "rotate",
    "translate",
    "cutout",
    "grayscale",
    "noise",
];

/// At most this many ops in one pipeline.
pub const MAX_PIPELINE_OPS: usize = 32;

/// Old spelling → documented spelling of the op keys that were renamed.
pub const OP_KEY_ALIASES: [(&str, &str); 2] =
    [("padding_mode", "paddingMode"), ("max_shift", "maxShift")];

/// The padding modes a `paddingMode` key accepts.
const PADDING_MODES: [&str; 4] = ["constant", "edge", "reflect", "wrap"];

/// Reads a whole pipeline, `{ops: [...]}`; errors start with the op's index (`ops[1]: ...`).
pub fn augment_pipeline(value: &ConfigValue) -> Result<Pipeline> {
    let cfg = value.as_map("augmenter")?;
    cfg.allow_only(&["ops"])?;
    let ops = cfg.list_of("ops", MAX_PIPELINE_OPS, op_spec)?;
    Pipeline::new(ops)
}

/// Reads and validates one op, `{kind: "color_jitter", brightness: 0.4, ...}`.
pub fn op_spec(value: &ConfigValue) -> Result<OpSpec> {
    let value = value.with_key_aliases("augment op", &OP_KEY_ALIASES)?;
    let cfg = value.as_map("augment op")?;
    let kind = cfg.text("kind")?;
    let keys: &[&str] = match kind {
        "hflip" | "vflip" | "grayscale" => &["kind", "p"],
        "random_crop" => &["kind", "p", "size", "padding", "paddingMode", "fill"],
        "random_resized_crop" => &["kind", "p", "scale", "ratio", "size"],
        "color_jitter" => &["kind", "p", "brightness", "contrast", "saturation", "hue"],
        "lighting" => &["kind", "p", "std"],
        "rotate" => &["kind", "p", "degrees", "fill"],
        "translate" => &["kind", "p", "maxShift", "paddingMode", "fill"],
        "cutout" => &["kind", "p", "scale", "ratio", "fill"],
        "noise" => &["kind", "p", "std"],
        other => {
            return Err(Error::new(format!(
                "unknown augment op kind '{other}' (valid kinds: {})",
                AUGMENT_OP_KINDS.join(", ")
            )))
        }
    };
    let cfg = OpConfig { cfg, kind };
    cfg.cfg
        .allow_only(keys)
        .map_err(|e| Error::new(format!("{} for kind '{kind}'", e.message())))?;
    let spec = match kind {
        "hflip" => OpSpec::HFlip { p: cfg.p(0.5)? },
        "vflip" => OpSpec::VFlip { p: cfg.p(0.5)? },
        "grayscale" => OpSpec::Grayscale { p: cfg.p(0.1)? },
        "random_crop" => OpSpec::RandomCrop {
            p: cfg.p(1.0)?,
            size: cfg.size()?,
            padding: cfg.whole("padding", 0, 4096)? as u32,
            padding_mode: cfg.padding_mode()?,
        },
        "random_resized_crop" => OpSpec::RandomResizedCrop {
            p: cfg.p(1.0)?,
            scale: cfg.pair("scale", (0.08, 1.0))?,
            ratio: cfg.pair("ratio", (3.0 / 4.0, 4.0 / 3.0))?,
            size: cfg.size()?,
        },
        "color_jitter" => OpSpec::ColorJitter {
            p: cfg.p(1.0)?,
            brightness: cfg.cfg.number_or("brightness", 0.0)?,
            contrast: cfg.cfg.number_or("contrast", 0.0)?,
            saturation: cfg.cfg.number_or("saturation", 0.0)?,
            hue: cfg.cfg.number_or("hue", 0.0)?,
        },
        "lighting" => OpSpec::Lighting {
            p: cfg.p(1.0)?,
            std: cfg.cfg.number_or("std", 0.1)?,
        },
        "rotate" => OpSpec::Rotate {
            p: cfg.p(1.0)?,
            degrees: cfg.symmetric_pair("degrees", (-10.0, 10.0))?,
            fill: cfg.rgba("fill", [0, 0, 0, 255])?,
        },
        "translate" => OpSpec::Translate {
            p: cfg.p(1.0)?,
            max_shift: cfg.pair("maxShift", (0.1, 0.1))?,
            padding: cfg.padding_mode()?,
        },
        "noise" => OpSpec::Noise {
            p: cfg.p(1.0)?,
            std: cfg.cfg.number_or("std", 0.1)?,
        },
        _ => OpSpec::Cutout {
            p: cfg.p(0.5)?,
            scale: cfg.pair("scale", (0.02, 0.33))?,
            ratio: cfg.pair("ratio", (0.3, 3.3))?,
            fill: cfg.cutout_fill()?,
        },
    };
    spec.validate()?;
    Ok(spec)
}

/// One op's settings with readers that put `kind.key` into their errors.
struct OpConfig<'a> {
    cfg: ConfigMap<'a>,
    kind: &'a str,
}

impl OpConfig<'_> {
    fn name(&self, key: &str) -> String {
        format!("{}.{key}", self.kind)
    }

    fn p(&self, default: f64) -> Result<f64> {
        self.cfg.number_or("p", default)
    }

    fn whole(&self, key: &str, default: u64, max: u64) -> Result<u64> {
        self.cfg.integer_or(key, default, 0, max)
    }

    /// A `[low, high]` pair, or one number meaning `[x, x]`.
    fn pair(&self, key: &str, default: (f64, f64)) -> Result<(f64, f64)> {
        self.pair_from(key, default, |x| (x, x))
    }

    /// A `[low, high]` pair, or one number `d` meaning `[-d, d]`.
    fn symmetric_pair(&self, key: &str, default: (f64, f64)) -> Result<(f64, f64)> {
        self.pair_from(key, default, |x| (-x.abs(), x.abs()))
    }

    fn pair_from(
        &self,
        key: &str,
        default: (f64, f64),
        from_one: impl Fn(f64) -> (f64, f64),
    ) -> Result<(f64, f64)> {
        if let Some(x) = self.numeric_scalar(key)? {
            return Ok(from_one(x));
        }
        match self.cfg.numbers(key)?.as_deref() {
            None => Ok(default),
            Some(&[low, high]) => Ok((low, high)),
            Some(other) => Err(Error::new(format!(
                "{} must be [min, max] or one number, got {} numbers",
                self.name(key),
                other.len()
            ))),
        }
    }

    /// The value of `key` if it is a single number (lists are read elsewhere).
    fn numeric_scalar(&self, key: &str) -> Result<Option<f64>> {
        match self.cfg.value(key) {
            Some(ConfigValue::Number(x)) => Ok(Some(*x)),
            _ => Ok(None),
        }
    }

    /// The output `size`, `[width, height]` or one number for a square.
    fn size(&self) -> Result<(u32, u32)> {
        let key = self.name("size");
        let (w, h) = self.pair("size", (224.0, 224.0))?;
        for side in [w, h] {
            if !side.is_finite() || side.fract() != 0.0 || !(1.0..=4096.0).contains(&side) {
                return Err(Error::new(format!(
                    "{key} must be whole numbers from 1 to 4096, got [{w}, {h}]"
                )));
            }
        }
        Ok((w as u32, h as u32))
    }

    /// A colour `[r, g, b]` or `[r, g, b, a]` of whole numbers 0–255 (alpha defaults to 255).
    fn rgba(&self, key: &str, default: [u8; 4]) -> Result<[u8; 4]> {
        let Some(values) = self.cfg.numbers(key)? else {
            return Ok(default);
        };
        let name = self.name(key);
        if values.len() != 3 && values.len() != 4 {
            return Err(Error::new(format!(
                "{name} must be [r, g, b] or [r, g, b, a], got {} numbers",
                values.len()
            )));
        }
        let mut colour = [0, 0, 0, 255];
        for (slot, &v) in colour.iter_mut().zip(&values) {
            if !v.is_finite() || v.fract() != 0.0 || !(0.0..=255.0).contains(&v) {
                return Err(Error::new(format!(
                    "{name} must hold whole numbers from 0 to 255, got {v}"
                )));
            }
            *slot = v as u8;
        }
        Ok(colour)
    }

    /// `paddingMode` ("constant" by default) with `fill` for the constant mode.
    fn padding_mode(&self) -> Result<Padding> {
        let mode = if self.cfg.has("paddingMode") {
            self.cfg.text("paddingMode")?
        } else {
            "constant"
        };
        if mode != "constant" && self.cfg.has("fill") {
            return Err(Error::new(format!(
                "{} only applies with paddingMode 'constant', not '{mode}'",
                self.name("fill")
            )));
        }
        Ok(match mode {
            "constant" => Padding::Constant(self.rgba("fill", [0, 0, 0, 255])?),
            "edge" => Padding::Edge,
            "reflect" => Padding::Reflect,
            "wrap" => Padding::Wrap,
            other => {
                return Err(Error::new(format!(
                    "unknown {} '{other}' (valid modes: {})",
                    self.name("paddingMode"),
                    PADDING_MODES.join(", ")
                )))
            }
        })
    }

    /// Cutout's `fill`: "noise" or an `[r, g, b]` colour (black by default).
    fn cutout_fill(&self) -> Result<CutoutFill> {
        match self.cfg.value("fill") {
            Some(ConfigValue::Text(text)) if text == "noise" => Ok(CutoutFill::Noise),
            Some(ConfigValue::Text(other)) => Err(Error::new(format!(
                "{} must be \"noise\" or [r, g, b], got '{other}'",
                self.name("fill")
            ))),
            _ => {
                let [r, g, b, a] = self.rgba("fill", [0, 0, 0, 255])?;
                if a != 255 {
                    return Err(Error::new(format!(
                        "{} takes [r, g, b] (cutout keeps alpha), got alpha {a}",
                        self.name("fill")
                    )));
                }
                Ok(CutoutFill::Constant([r, g, b]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::augment::OpKind;

    fn num(x: f64) -> ConfigValue {
        ConfigValue::Number(x)
    }

    fn text(s: &str) -> ConfigValue {
        ConfigValue::Text(s.into())
    }

    fn list(xs: &[f64]) -> ConfigValue {
        ConfigValue::List(xs.iter().map(|&x| num(x)).collect())
    }

    fn map(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
    }

    fn op(kind: &str, rest: &[(&str, ConfigValue)]) -> ConfigValue {
        let mut pairs = vec![("kind", text(kind))];
        pairs.extend(rest.iter().cloned());
        map(&pairs)
    }

    fn error_of(value: ConfigValue) -> String {
        op_spec(&value).unwrap_err().message().to_string()
    }

    #[test]
    fn the_issue_example_reads_into_the_expected_specs() {
        let config = map(&[(
            "ops",
            ConfigValue::List(vec![
                op("hflip", &[("p", num(0.5))]),
                op(
                    "random_resized_crop",
                    &[
                        ("scale", list(&[0.3, 1.0])),
                        ("ratio", list(&[0.75, 1.333])),
                        ("size", list(&[224.0, 224.0])),
                    ],
                ),
                op(
                    "color_jitter",
                    &[
                        ("brightness", num(0.4)),
                        ("contrast", num(0.4)),
                        ("saturation", num(0.4)),
                        ("hue", num(0.1)),
                    ],
                ),
            ]),
        )]);
        let pipeline = augment_pipeline(&config).unwrap();
        assert_eq!(
            pipeline.ops(),
            &[
                OpSpec::HFlip { p: 0.5 },
                OpSpec::RandomResizedCrop {
                    p: 1.0,
                    scale: (0.3, 1.0),
                    ratio: (0.75, 1.333),
                    size: (224, 224)
                },
                OpSpec::ColorJitter {
                    p: 1.0,
                    brightness: 0.4,
                    contrast: 0.4,
                    saturation: 0.4,
                    hue: 0.1
                },
            ]
        );
    }

    #[test]
    fn every_listed_kind_reads_with_its_defaults() {
        for kind in AUGMENT_OP_KINDS {
            let spec = op_spec(&op(kind, &[])).unwrap();
            assert_eq!(spec.kind().name(), kind);
        }
        assert_eq!(
            op_spec(&op("random_resized_crop", &[])).unwrap(),
            OpSpec::RandomResizedCrop {
                p: 1.0,
                scale: (0.08, 1.0),
                ratio: (0.75, 4.0 / 3.0),
                size: (224, 224)
            }
        );
        assert_eq!(
            op_spec(&op("cutout", &[])).unwrap(),
            OpSpec::Cutout {
                p: 0.5,
                scale: (0.02, 0.33),
                ratio: (0.3, 3.3),
                fill: CutoutFill::Constant([0, 0, 0])
            }
        );
        assert_eq!(
            op_spec(&op("grayscale", &[])).unwrap(),
            OpSpec::Grayscale { p: 0.1 }
        );
    }

    #[test]
    fn scalars_stand_for_squares_and_symmetric_ranges() {
        assert_eq!(
            op_spec(&op(
                "random_crop",
                &[("size", num(32.0)), ("padding", num(4.0))]
            ))
            .unwrap(),
            OpSpec::RandomCrop {
                p: 1.0,
                size: (32, 32),
                padding: 4,
                padding_mode: Padding::Constant([0, 0, 0, 255])
            }
        );
        assert_eq!(
            op_spec(&op("rotate", &[("degrees", num(15.0))])).unwrap(),
            OpSpec::Rotate {
                p: 1.0,
                degrees: (-15.0, 15.0),
                fill: [0, 0, 0, 255]
            }
        );
        assert_eq!(
            op_spec(&op(
                "translate",
                &[
                    ("max_shift", list(&[0.2, 0.1])),
                    ("padding_mode", text("reflect"))
                ]
            ))
            .unwrap(),
            OpSpec::Translate {
                p: 1.0,
                max_shift: (0.2, 0.1),
                padding: Padding::Reflect
            }
        );
    }

    #[test]
    fn camel_case_keys_and_their_old_snake_case_spellings_read_alike() {
        let camel = op_spec(&op(
            "translate",
            &[
                ("maxShift", list(&[0.2, 0.1])),
                ("paddingMode", text("wrap")),
            ],
        ))
        .unwrap();
        assert_eq!(
            camel,
            OpSpec::Translate {
                p: 1.0,
                max_shift: (0.2, 0.1),
                padding: Padding::Wrap
            }
        );
        let mixed = op_spec(&op(
            "translate",
            &[
                ("max_shift", list(&[0.2, 0.1])),
                ("paddingMode", text("wrap")),
            ],
        ))
        .unwrap();
        assert_eq!(mixed, camel);
        let crop = |mode_key: &str| {
            op_spec(&op(
                "random_crop",
                &[
                    ("size", num(8.0)),
                    ("padding", num(2.0)),
                    (mode_key, text("reflect")),
                ],
            ))
            .unwrap()
        };
        assert_eq!(crop("paddingMode"), crop("padding_mode"));
        assert!(matches!(
            crop("paddingMode"),
            OpSpec::RandomCrop {
                padding_mode: Padding::Reflect,
                ..
            }
        ));
        // An out-of-range value names the documented spelling whichever was given.
        let err = error_of(op("translate", &[("max_shift", num(1.5))]));
        assert!(err.contains("translate.maxShift"), "{err}");
    }

    #[test]
    fn both_spellings_of_a_key_or_an_old_spelling_where_it_does_not_apply_are_errors() {
        let err = error_of(op(
            "translate",
            &[("maxShift", num(0.1)), ("max_shift", num(0.2))],
        ));
        assert!(
            err.contains("'maxShift'") && err.contains("'max_shift'") && err.contains("only"),
            "{err}"
        );
        let err = error_of(op(
            "random_crop",
            &[
                ("padding_mode", text("edge")),
                ("paddingMode", text("edge")),
            ],
        ));
        assert!(err.contains("'paddingMode'"), "{err}");
        // Unknown-key errors list the documented (camelCase) keys.
        let err = error_of(op("translate", &[("shift", num(0.1))]));
        assert!(
            err.contains("maxShift, paddingMode") && !err.contains("max_shift"),
            "{err}"
        );
        let err = error_of(op("rotate", &[("padding_mode", text("edge"))]));
        assert!(
            err.contains("'paddingMode'") && err.contains("rotate"),
            "{err}"
        );
    }

    #[test]
    fn fills_read_as_colours_or_noise() {
        assert_eq!(
            op_spec(&op("cutout", &[("fill", text("noise")), ("p", num(1.0))])).unwrap(),
            OpSpec::Cutout {
                p: 1.0,
                scale: (0.02, 0.33),
                ratio: (0.3, 3.3),
                fill: CutoutFill::Noise
            }
        );
        let spec = op_spec(&op("rotate", &[("fill", list(&[10.0, 20.0, 30.0, 0.0]))])).unwrap();
        assert!(matches!(
            spec,
            OpSpec::Rotate {
                fill: [10, 20, 30, 0],
                ..
            }
        ));
        let spec = op_spec(&op(
            "random_crop",
            &[("size", num(8.0)), ("fill", list(&[1.0, 2.0, 3.0]))],
        ))
        .unwrap();
        assert!(matches!(
            spec,
            OpSpec::RandomCrop {
                padding_mode: Padding::Constant([1, 2, 3, 255]),
                ..
            }
        ));
    }

    #[test]
    fn misspelt_and_unknown_keys_and_kinds_are_named() {
        let err = error_of(op("color_jitter", &[("brightnes", num(0.4))]));
        assert!(
            err.contains("'brightnes'") && err.contains("color_jitter"),
            "{err}"
        );
        let err = error_of(op("hflip", &[("size", num(3.0))]));
        assert!(err.contains("'size'"), "{err}");
        let err = error_of(op("mixup", &[]));
        assert!(
            err.contains("'mixup'") && err.contains("random_resized_crop"),
            "{err}"
        );
        let err = error_of(map(&[("p", num(0.5))]));
        assert!(err.contains("'kind'"), "{err}");
        let err = augment_pipeline(&map(&[("op", ConfigValue::List(vec![]))]))
            .unwrap_err()
            .message()
            .to_string();
        assert!(err.contains("'op'"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key_and_the_op_position() {
        let err = error_of(op("hflip", &[("p", num(1.5))]));
        assert!(err.contains("hflip.p"), "{err}");
        let err = error_of(op("random_resized_crop", &[("scale", list(&[0.5, 0.2]))]));
        assert!(err.contains("random_resized_crop.scale"), "{err}");
        let err = error_of(op("random_resized_crop", &[("size", list(&[224.5, 3.0]))]));
        assert!(err.contains("random_resized_crop.size"), "{err}");
        let err = error_of(op(
            "random_resized_crop",
            &[("size", list(&[1.0, 2.0, 3.0]))],
        ));
        assert!(err.contains("random_resized_crop.size"), "{err}");
        let err = error_of(op("color_jitter", &[("hue", num(0.7))]));
        assert!(err.contains("color_jitter.hue"), "{err}");
        let err = error_of(op("color_jitter", &[("contrast", text("lots"))]));
        assert!(err.contains("'contrast'"), "{err}");
        let err = error_of(op("rotate", &[("fill", list(&[300.0, 0.0, 0.0]))]));
        assert!(err.contains("rotate.fill"), "{err}");
        let err = error_of(op("translate", &[("padding_mode", text("mirror"))]));
        assert!(
            err.contains("translate.paddingMode") && err.contains("'mirror'"),
            "{err}"
        );
        let err = error_of(op(
            "translate",
            &[
                ("padding_mode", text("edge")),
                ("fill", list(&[0.0, 0.0, 0.0])),
            ],
        ));
        assert!(err.contains("translate.fill"), "{err}");
        let err = error_of(op("cutout", &[("fill", text("random"))]));
        assert!(err.contains("cutout.fill"), "{err}");
        let err = error_of(op("random_crop", &[("padding", num(-1.0))]));
        assert!(err.contains("'padding'"), "{err}");

        let config = map(&[(
            "ops",
            ConfigValue::List(vec![
                op("hflip", &[]),
                op("lighting", &[("std", num(-1.0))]),
            ]),
        )]);
        let err = augment_pipeline(&config).unwrap_err().message().to_string();
        assert!(
            err.starts_with("ops[1]:") && err.contains("lighting.std"),
            "{err}"
        );
    }

    #[test]
    fn pipelines_have_a_length_limit_and_need_a_list() {
        let many = ConfigValue::List(vec![op("grayscale", &[]); MAX_PIPELINE_OPS + 1]);
        let err = augment_pipeline(&map(&[("ops", many)])).unwrap_err();
        assert!(err.message().contains("at most 32"), "{err}");
        let err = augment_pipeline(&map(&[("ops", num(1.0))])).unwrap_err();
        assert!(err.message().contains("'ops'"), "{err}");
        let empty = augment_pipeline(&map(&[("ops", ConfigValue::List(vec![]))])).unwrap();
        assert!(empty.ops().is_empty());
        assert_eq!(op_spec(&op("vflip", &[])).unwrap().kind(), OpKind::VFlip);
    }
}
