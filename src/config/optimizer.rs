//! Optimizer settings from a JS/URL settings object:
//! `{ kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }`.

use super::value::ConfigValue;
use crate::error::{Error, Result};
use crate::optim::{
    Rule, Settings, DEFAULT_ADAGRAD_EPS, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS,
    DEFAULT_MOMENTUM, DEFAULT_RMSPROP_DECAY,
};

/// The first-order kinds, in the order the UI lists them.
pub const FIRST_ORDER_KINDS: [&str; 6] =
    ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];

/// Default learning rate of each kind (PyTorch's where it has one).
pub fn default_lr(kind: &str) -> f64 {
    match kind {
        "adagrad" => 0.01,
        "rmsprop" => 0.01,
        "adam" => 0.001,
        _ => 0.01,
    }
}

/// The keys each first-order kind accepts (besides `kind`).
fn keys_of(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "sgd" => &["kind", "lr"],
        "momentum" | "nesterov" => &["kind", "lr", "momentum"],
        "adagrad" => &["kind", "lr", "eps"],
        "rmsprop" => &["kind", "lr", "decay", "eps"],
        "adam" => &["kind", "lr", "beta1", "beta2", "eps", "biasCorrection"],
        _ => return None,
    })
}

/// Reads first-order optimizer settings, with defaults for every key but `kind`.
pub fn first_order_settings(value: &ConfigValue) -> Result<Settings> {
    let cfg = value.as_map("optimizer")?;
    let kind = cfg.text("kind")?;
    let keys = keys_of(kind).ok_or_else(|| {
        Error::new(format!(
            "unknown optimizer kind '{kind}' (valid kinds: {})",
            FIRST_ORDER_KINDS.join(", ")
        ))
    })?;
    cfg.allow_only(keys)
        .map_err(|e| Error::new(format!("{} for kind '{kind}'", e.message())))?;
    let lr = cfg.number_or("lr", default_lr(kind))?;
    let rule = match kind {
        "sgd" => Rule::Sgd,
        "momentum" => Rule::Momentum {
            rho: cfg.number_or("momentum", DEFAULT_MOMENTUM)?,
        },
        "nesterov" => Rule::Nesterov {
            rho: cfg.number_or("momentum", DEFAULT_MOMENTUM)?,
        },
        "adagrad" => Rule::AdaGrad {
            eps: cfg.number_or("eps", DEFAULT_ADAGRAD_EPS)?,
        },
        "rmsprop" => Rule::RmsProp {
            decay: cfg.number_or("decay", DEFAULT_RMSPROP_DECAY)?,
            eps: cfg.number_or("eps", DEFAULT_EPS)?,
        },
        _ => Rule::Adam {
            beta1: cfg.number_or("beta1", DEFAULT_BETA1)?,
            beta2: cfg.number_or("beta2", DEFAULT_BETA2)?,
            eps: cfg.number_or("eps", DEFAULT_EPS)?,
            bias_correction: cfg.boolean_or("biasCorrection", true)?,
        },
    };
    let settings = Settings { lr, rule };
    settings.validate()?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn config(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        let map: BTreeMap<String, ConfigValue> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        ConfigValue::Map(map)
    }

    fn text(s: &str) -> ConfigValue {
        ConfigValue::Text(s.into())
    }

    #[test]
    fn defaults_fill_every_key_but_kind() {
        let s = first_order_settings(&config(&[("kind", text("adam"))])).unwrap();
        assert_eq!(
            s,
            Settings {
                lr: 0.001,
                rule: Rule::Adam {
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    bias_correction: true
                }
            }
        );
        let s = first_order_settings(&config(&[
            ("kind", text("nesterov")),
            ("lr", ConfigValue::Number(0.5)),
            ("momentum", ConfigValue::Number(0.8)),
        ]))
        .unwrap();
        assert_eq!(s.rule, Rule::Nesterov { rho: 0.8 });
        assert_eq!(s.lr, 0.5);
    }

    #[test]
    fn unknown_kinds_keys_and_bad_values_name_the_problem() {
        let err = first_order_settings(&config(&[("kind", text("adamw"))])).unwrap_err();
        assert!(err.message().contains("'adamw'"), "{err}");
        let err = first_order_settings(&config(&[
            ("kind", text("sgd")),
            ("beta1", ConfigValue::Number(0.9)),
        ]))
        .unwrap_err();
        assert!(
            err.message().contains("'beta1'") && err.message().contains("sgd"),
            "{err}"
        );
        let err = first_order_settings(&config(&[
            ("kind", text("sgd")),
            ("lr", ConfigValue::Number(-1.0)),
        ]))
        .unwrap_err();
        assert!(err.message().contains("lr"), "{err}");
        let err = first_order_settings(&config(&[
            ("kind", text("rmsprop")),
            ("decay", ConfigValue::Number(1.0)),
        ]))
        .unwrap_err();
        assert!(err.message().contains("decay"), "{err}");
        let err = first_order_settings(&config(&[("lr", ConfigValue::Number(0.1))])).unwrap_err();
        assert!(err.message().contains("'kind'"), "{err}");
    }
}
