//! Optimizer settings from a JS/URL settings object:
//! `{ kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }`.

use super::schedule::schedule_spec;
use super::value::ConfigValue;
use crate::error::{Error, Result};
use crate::optim::{
    Rule, Settings, DEFAULT_ADAGRAD_EPS, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS,
    DEFAULT_MOMENTUM, DEFAULT_RMSPROP_DECAY,
};
use crate::race::Method;
use crate::second_order::{
    Damping, LineSearchKind, SecondOrderSettings, DEFAULT_HISTORY, MAX_HISTORY,
};

/// The first-order kinds, in the order the UI lists them.
pub const FIRST_ORDER_KINDS: [&str; 6] =
    ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];

/// The second-order kinds.
pub const SECOND_ORDER_KINDS: [&str; 3] = ["newton", "bfgs", "lbfgs"];

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
        "sgd" => &["kind", "lr", "schedule"],
        "momentum" | "nesterov" => &["kind", "lr", "momentum", "schedule"],
        "adagrad" => &["kind", "lr", "eps", "schedule"],
        "rmsprop" => &["kind", "lr", "decay", "eps", "schedule"],
        "adam" => &[
            "kind",
            "lr",
            "beta1",
            "beta2",
            "eps",
            "biasCorrection",
            "schedule",
        ],
        _ => return None,
    })
}

fn unknown_kind(kind: &str) -> Error {
    Error::new(format!(
        "unknown optimizer kind '{kind}' (valid kinds: {}, {})",
        FIRST_ORDER_KINDS.join(", "),
        SECOND_ORDER_KINDS.join(", ")
    ))
}

/// Reads any optimizer: a first-order one (with an optional `schedule`) or
/// Newton / L-BFGS. Every key but `kind` has a default.
pub fn optimizer_method(value: &ConfigValue) -> Result<Method> {
    let cfg = value.as_map("optimizer")?;
    let kind = cfg.text("kind")?;
    if SECOND_ORDER_KINDS.contains(&kind) {
        return Ok(Method::SecondOrder(second_order_settings(value)?));
    }
    let settings = first_order_settings(value)?;
    let schedule = cfg
        .value("schedule")
        .map(|s| schedule_spec(s, settings.lr))
        .transpose()?;
    Ok(Method::FirstOrder { settings, schedule })
}

/// Reads Newton (`damping`: "none", "line_search" or a Levenberg λ ≥ 0),
/// BFGS (`lineSearch`) or L-BFGS (`history`, `lineSearch`: "strong_wolfe",
/// "backtracking", "none").
pub fn second_order_settings(value: &ConfigValue) -> Result<SecondOrderSettings> {
    let cfg = value.as_map("optimizer")?;
    let kind = cfg.text("kind")?;
    let settings = match kind {
        "newton" => {
            cfg.allow_only(&["kind", "damping"])
                .map_err(|e| Error::new(format!("{} for kind 'newton'", e.message())))?;
            let damping = match cfg.value("damping") {
                None => Damping::default(),
                Some(ConfigValue::Text(name)) => match name.as_str() {
                    "none" => Damping::None,
                    "line_search" => Damping::LineSearch,
                    other => {
                        return Err(Error::new(format!(
                            "optimizer key 'damping' must be \"none\", \"line_search\" or a Levenberg λ ≥ 0, got \"{other}\""
                        )))
                    }
                },
                Some(ConfigValue::Number(lambda)) => Damping::Levenberg { lambda: *lambda },
                Some(_) => {
                    return Err(Error::new(
                        "optimizer key 'damping' must be \"none\", \"line_search\" or a Levenberg λ ≥ 0",
                    ))
                }
            };
            SecondOrderSettings::Newton { damping }
        }
        "bfgs" => {
            cfg.allow_only(&["kind", "lineSearch"])
                .map_err(|e| Error::new(format!("{} for kind 'bfgs'", e.message())))?;
            SecondOrderSettings::Bfgs {
                line_search: line_search_kind(cfg.value("lineSearch"))?,
            }
        }
        "lbfgs" => {
            cfg.allow_only(&["kind", "history", "lineSearch"])
                .map_err(|e| Error::new(format!("{} for kind 'lbfgs'", e.message())))?;
            let history =
                cfg.integer_or("history", DEFAULT_HISTORY as u64, 1, MAX_HISTORY as u64)? as usize;
            SecondOrderSettings::Lbfgs {
                history,
                line_search: line_search_kind(cfg.value("lineSearch"))?,
            }
        }
        other => return Err(unknown_kind(other)),
    };
    settings.validate()?;
    Ok(settings)
}

/// The `lineSearch` key of BFGS and L-BFGS.
fn line_search_kind(value: Option<&ConfigValue>) -> Result<LineSearchKind> {
    let expected =
        "optimizer key 'lineSearch' must be \"strong_wolfe\", \"backtracking\" or \"none\"";
    match value {
        None => Ok(LineSearchKind::default()),
        Some(ConfigValue::Text(name)) => match name.as_str() {
            "strong_wolfe" => Ok(LineSearchKind::StrongWolfe),
            "backtracking" => Ok(LineSearchKind::Backtracking),
            "none" => Ok(LineSearchKind::None),
            other => Err(Error::new(format!("{expected}, got \"{other}\""))),
        },
        Some(_) => Err(Error::new(expected)),
    }
}

/// Reads first-order optimizer settings, with defaults for every key but `kind`.
pub fn first_order_settings(value: &ConfigValue) -> Result<Settings> {
    let cfg = value.as_map("optimizer")?;
    let kind = cfg.text("kind")?;
    let keys = keys_of(kind).ok_or_else(|| unknown_kind(kind))?;
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

    fn config(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
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

    #[test]
    fn second_order_kinds_and_schedules() {
        let m = optimizer_method(&config(&[("kind", text("lbfgs"))])).unwrap();
        assert_eq!(
            m,
            Method::SecondOrder(SecondOrderSettings::Lbfgs {
                history: 10,
                line_search: LineSearchKind::StrongWolfe
            })
        );
        let m = optimizer_method(&config(&[
            ("kind", text("newton")),
            ("damping", text("none")),
        ]))
        .unwrap();
        assert_eq!(
            m,
            Method::SecondOrder(SecondOrderSettings::Newton {
                damping: Damping::None
            })
        );
        let m = optimizer_method(&config(&[
            ("kind", text("newton")),
            ("damping", ConfigValue::Number(0.5)),
        ]))
        .unwrap();
        assert_eq!(
            m,
            Method::SecondOrder(SecondOrderSettings::Newton {
                damping: Damping::Levenberg { lambda: 0.5 }
            })
        );
        assert!(optimizer_method(&config(&[
            ("kind", text("lbfgs")),
            ("history", ConfigValue::Number(0.0))
        ]))
        .is_err());
        assert!(optimizer_method(&config(&[
            ("kind", text("lbfgs")),
            ("lr", ConfigValue::Number(0.1))
        ]))
        .is_err());
        assert!(optimizer_method(&config(&[
            ("kind", text("newton")),
            ("damping", text("strong"))
        ]))
        .is_err());
        let schedule = config(&[
            ("kind", text("exponential")),
            ("k", ConfigValue::Number(0.1)),
        ]);
        let m = optimizer_method(&config(&[
            ("kind", text("sgd")),
            ("lr", ConfigValue::Number(0.3)),
            ("schedule", schedule),
        ]))
        .unwrap();
        assert_eq!(m.lr_at(0), Some(0.3));
        assert!((m.lr_at(10).unwrap() - 0.3 * (-1.0f64).exp()).abs() < 1e-15);
    }
}
