//! Settings of an ensemble, as the JS `new Ensemble({...})` takes them:
//!
//! ```text
//! { trainer: { /* any Trainer settings */ }, kind: "independent", members: 5 }
//! { trainer: { ... }, kind: "snapshot", members: 5, cycle: 200 }
//! ```
//!
//! `members` defaults to 5 and `cycle` (snapshot only) to 200.

use super::trainer::{trainer_setup, TrainerSetup};
use super::value::ConfigValue;
use crate::error::{Error, Result};
use crate::nn::{Ensemble, EnsembleKind, MAX_MEMBERS};
use crate::schedule::MAX_STEPS;

/// The ensemble kinds the API accepts.
pub const ENSEMBLE_KINDS: [&str; 2] = ["independent", "snapshot"];

/// A validated ensemble: its runs' settings, kind and size.
#[derive(Clone, Debug, PartialEq)]
pub struct EnsembleSetup {
    /// The settings every run is built from (member k with its own seeds).
    pub trainer: TrainerSetup,
    /// Independent runs or snapshots of one run.
    pub kind: EnsembleKind,
    /// `members`: how many members (snapshots kept).
    pub members: usize,
}

impl EnsembleSetup {
    /// Builds the ensemble's runs.
    pub fn build(&self) -> Result<Ensemble> {
        Ensemble::new(self.kind, self.members, |k| self.trainer.build_member(k))
    }
}

/// Reads and validates the settings object; every error names the key.
pub fn ensemble_setup(value: &ConfigValue) -> Result<EnsembleSetup> {
    let cfg = value.as_map("ensemble")?;
    let kind = cfg.text("kind")?;
    let kind = match kind {
        "independent" => {
            cfg.allow_only(&["trainer", "kind", "members"])
                .map_err(|e| Error::new(format!("{} for kind 'independent'", e.message())))?;
            EnsembleKind::Independent
        }
        "snapshot" => {
            cfg.allow_only(&["trainer", "kind", "members", "cycle"])?;
            let cycle = cfg.integer_or("cycle", 200, 1, MAX_STEPS)?;
            EnsembleKind::Snapshot { cycle }
        }
        other => {
            return Err(Error::new(format!(
                "ensemble kind must be one of {}, got \"{other}\"",
                ENSEMBLE_KINDS.join(", ")
            )))
        }
    };
    let members = cfg.integer_or("members", 5, 1, MAX_MEMBERS as u64)? as usize;
    let trainer = match cfg.value("trainer") {
        Some(trainer) => trainer_setup(trainer)?,
        None => trainer_setup(&ConfigValue::Map(Default::default()))?,
    };
    Ok(EnsembleSetup {
        trainer,
        kind,
        members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
    }
    fn num(x: f64) -> ConfigValue {
        ConfigValue::Number(x)
    }
    fn text(s: &str) -> ConfigValue {
        ConfigValue::Text(s.into())
    }
    fn message(value: ConfigValue) -> String {
        ensemble_setup(&value).unwrap_err().message().to_string()
    }

    #[test]
    fn the_issue_examples_read() {
        let trainer = map(&[("seed", num(3.0)), ("polyak", num(0.9))]);
        let independent = ensemble_setup(&map(&[
            ("trainer", trainer.clone()),
            ("kind", text("independent")),
            ("members", num(5.0)),
        ]))
        .unwrap();
        assert_eq!(independent.kind, EnsembleKind::Independent);
        assert_eq!(independent.members, 5);
        assert_eq!(independent.trainer.config.seed, 3);
        assert_eq!(independent.trainer.polyak, Some(0.9));
        let snapshot = ensemble_setup(&map(&[
            ("trainer", trainer),
            ("kind", text("snapshot")),
            ("members", num(4.0)),
            ("cycle", num(200.0)),
        ]))
        .unwrap();
        assert_eq!(snapshot.kind, EnsembleKind::Snapshot { cycle: 200 });
        assert_eq!(snapshot.members, 4);
        let defaults = ensemble_setup(&map(&[("kind", text("snapshot"))])).unwrap();
        assert_eq!(defaults.kind, EnsembleKind::Snapshot { cycle: 200 });
        assert_eq!(defaults.members, 5);
    }

    #[test]
    fn bad_settings_name_their_key() {
        let kind = |k: &str| ("kind", text(k));
        assert!(message(map(&[kind("independent"), ("members", num(0.0))])).contains("'members'"));
        assert!(message(map(&[kind("independent"), ("members", num(33.0))])).contains("'members'"));
        assert!(message(map(&[kind("independent"), ("members", num(2.5))])).contains("'members'"));
        assert!(message(map(&[kind("snapshot"), ("cycle", num(0.0))])).contains("'cycle'"));
        assert!(message(map(&[kind("snapshot"), ("cycle", num(f64::NAN))])).contains("'cycle'"));
        let cycle_without_snapshot = message(map(&[kind("independent"), ("cycle", num(10.0))]));
        assert!(
            cycle_without_snapshot.contains("'cycle'"),
            "{cycle_without_snapshot}"
        );
        assert!(message(map(&[kind("bagging")])).contains("kind"));
        assert!(message(map(&[("members", num(3.0))])).contains("'kind'"));
        assert!(message(map(&[kind("snapshot"), ("memebrs", num(3.0))])).contains("'memebrs'"));
        let trainer = map(&[kind("snapshot"), ("trainer", map(&[("polyak", num(1.0))]))]);
        assert!(message(trainer).starts_with("polyak must be"));
        let trainer = map(&[kind("snapshot"), ("trainer", map(&[("lr", num(1.0))]))]);
        assert!(message(trainer).contains("'lr'"));
    }
}
