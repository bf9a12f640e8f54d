//! Learning-rate schedules from a settings object:
//! `{kind: "step", lr: 0.1, gamma: 0.5, every: 100, warmup: 10}`.

use super::value::ConfigValue;
use crate::error::{Error, Result};
use crate::schedule::{Schedule, ScheduleSpec, MAX_STEPS};

/// The schedule kinds, in the order the UI lists them.
pub const SCHEDULE_KINDS: [&str; 6] = [
    "constant",
    "step",
    "exponential",
    "inverse_time",
    "cosine",
    "warm_restarts",
];

/// Reads a schedule; `default_lr` is used when the object has no `lr`
/// (inside an optimizer's settings it is the optimizer's rate).
pub fn schedule_spec(value: &ConfigValue, default_lr: f64) -> Result<ScheduleSpec> {
    let cfg = value.as_map("schedule")?;
    let kind = cfg.text("kind")?;
    let keys: &[&str] = match kind {
        "constant" => &["kind", "lr", "warmup"],
        "step" => &["kind", "lr", "gamma", "every", "warmup"],
        "exponential" | "inverse_time" => &["kind", "lr", "k", "warmup"],
        "cosine" => &["kind", "lr", "total", "min", "warmup"],
        "warm_restarts" => &["kind", "lr", "period", "mult", "min", "warmup"],
        other => {
            return Err(Error::new(format!(
                "unknown schedule kind '{other}' (valid kinds: {})",
                SCHEDULE_KINDS.join(", ")
            )))
        }
    };
    cfg.allow_only(keys)
        .map_err(|e| Error::new(format!("{} for kind '{kind}'", e.message())))?;
    let lr = cfg.number_or("lr", default_lr)?;
    let steps = |key: &str, default: u64| cfg.integer_or(key, default, 1, MAX_STEPS);
    let shape = match kind {
        "constant" => Schedule::Constant { lr },
        "step" => Schedule::Step {
            lr,
            gamma: cfg.number_or("gamma", 0.5)?,
            every: steps("every", 100)?,
        },
        "exponential" => Schedule::Exponential {
            lr,
            k: cfg.number_or("k", 0.01)?,
        },
        "inverse_time" => Schedule::InverseTime {
            lr,
            k: cfg.number_or("k", 0.01)?,
        },
        "cosine" => Schedule::Cosine {
            lr,
            total: steps("total", 1000)?,
            min: cfg.number_or("min", 0.0)?,
        },
        _ => Schedule::WarmRestarts {
            lr,
            period: steps("period", 100)?,
            mult: cfg.integer_or("mult", 1, 1, 1_000)?,
            min: cfg.number_or("min", 0.0)?,
        },
    };
    let spec = shape.with_warmup(cfg.integer_or("warmup", 0, 0, MAX_STEPS)?);
    spec.validate()?;
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
    }

    #[test]
    fn reads_each_kind_with_defaults_and_rejects_strays() {
        let spec = schedule_spec(
            &config(&[
                ("kind", ConfigValue::Text("step".into())),
                ("gamma", ConfigValue::Number(0.1)),
                ("every", ConfigValue::Number(10.0)),
            ]),
            0.2,
        )
        .unwrap();
        assert_eq!(spec.at(0), 0.2);
        assert!((spec.at(10) - 0.02).abs() < 1e-15);
        let err = schedule_spec(
            &config(&[
                ("kind", ConfigValue::Text("cosine".into())),
                ("gamma", ConfigValue::Number(0.1)),
            ]),
            0.1,
        )
        .unwrap_err();
        assert!(err.message().contains("'gamma'"), "{err}");
        let err = schedule_spec(
            &config(&[
                ("kind", ConfigValue::Text("step".into())),
                ("every", ConfigValue::Number(0.5)),
            ]),
            0.1,
        )
        .unwrap_err();
        assert!(err.message().contains("'every'"), "{err}");
        let err = schedule_spec(
            &config(&[("kind", ConfigValue::Text("linear".into()))]),
            0.1,
        )
        .unwrap_err();
        assert!(err.message().contains("'linear'"), "{err}");
        let warm = schedule_spec(
            &config(&[
                ("kind", ConfigValue::Text("constant".into())),
                ("warmup", ConfigValue::Number(4.0)),
            ]),
            1.0,
        )
        .unwrap();
        assert_eq!(warm.at(0), 0.25);
        assert_eq!(warm.at(4), 1.0);
    }
}
