//! A settings object as it arrives from JavaScript or the URL: a tree of
//! maps, lists, numbers, strings and booleans.
//!
//! Settings are read through this map instead of straight into structs so
//! that a misspelt key is an error naming it (serde-wasm-bindgen reads
//! structs by their known field names and would silently ignore it), and
//! so that every type error names the key it concerns.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};

/// One value of a settings tree.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<ConfigValue>),
    Map(BTreeMap<String, ConfigValue>),
}

/// Reads any value in one pass. (A derived `untagged` enum buffers every
/// value and tries each variant in turn: about 70 µs per list element in
/// wasm, so a custom data set of 20 000 points took 5 s to read.)
impl<'de> Deserialize<'de> for ConfigValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ConfigValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null, a boolean, a number, a string, a list or an object")
    }

    fn visit_unit<E>(self) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<ConfigValue, D::Error> {
        ConfigValue::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Bool(v))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Number(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Number(v as f64))
    }

    fn visit_i128<E>(self, v: i128) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Number(v as f64))
    }

    fn visit_u128<E>(self, v: u128) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Number(v as f64))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::Text(v))
    }

    /// Bytes (a `Uint8Array`) are a list of numbers.
    fn visit_bytes<E>(self, v: &[u8]) -> std::result::Result<ConfigValue, E> {
        Ok(ConfigValue::List(
            v.iter().map(|&b| ConfigValue::Number(b as f64)).collect(),
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<ConfigValue, A::Error> {
        // The hint comes from the sender: trust it only so far.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ConfigValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<ConfigValue, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, ConfigValue>()? {
            entries.insert(key, value);
        }
        Ok(ConfigValue::Map(entries))
    }
}

impl ConfigValue {
    fn type_name(&self) -> &'static str {
        match self {
            ConfigValue::Null => "null",
            ConfigValue::Bool(_) => "a boolean",
            ConfigValue::Number(_) => "a number",
            ConfigValue::Text(_) => "a string",
            ConfigValue::List(_) => "a list",
            ConfigValue::Map(_) => "an object",
        }
    }

    /// The same settings with each old spelling of a key renamed to the
    /// documented one; `aliases` lists `(old, documented)` pairs. Giving
    /// both spellings of one key is an error naming them, since which one
    /// should win is a guess. Values other than objects pass through (the
    /// reader that follows names their type).
    pub fn with_key_aliases(&self, what: &str, aliases: &[(&str, &str)]) -> Result<Cow<'_, Self>> {
        let ConfigValue::Map(map) = self else {
            return Ok(Cow::Borrowed(self));
        };
        if !aliases.iter().any(|(old, _)| map.contains_key(*old)) {
            return Ok(Cow::Borrowed(self));
        }
        let mut renamed = map.clone();
        for (old, documented) in aliases {
            let Some(value) = renamed.remove(*old) else {
                continue;
            };
            if renamed.contains_key(*documented) {
                return Err(Error::new(format!(
                    "{what} keys '{documented}' and '{old}' are the same setting \
                     ('{old}' is its old spelling): give only '{documented}'"
                )));
            }
            renamed.insert(documented.to_string(), value);
        }
        Ok(Cow::Owned(ConfigValue::Map(renamed)))
    }

    /// Views the value as the settings object of `what` (e.g. "optimizer").
    pub fn as_map(&self, what: &str) -> Result<ConfigMap<'_>> {
        match self {
            ConfigValue::Map(map) => Ok(ConfigMap {
                what: what.to_string(),
                map,
            }),
            other => Err(Error::new(format!(
                "{what} settings must be an object, got {}",
                other.type_name()
            ))),
        }
    }
}

/// A settings object with typed, key-naming accessors.
pub struct ConfigMap<'a> {
    what: String,
    map: &'a BTreeMap<String, ConfigValue>,
}

impl<'a> ConfigMap<'a> {
    /// Fails on any key outside `known`, naming it and listing the valid ones.
    pub fn allow_only(&self, known: &[&str]) -> Result<()> {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                return Err(Error::new(format!(
                    "unknown {} key '{key}' (valid keys: {})",
                    self.what,
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// Whether `key` is present with a non-null value.
    pub fn has(&self, key: &str) -> bool {
        !matches!(self.map.get(key), None | Some(ConfigValue::Null))
    }

    fn get(&self, key: &str) -> Option<&'a ConfigValue> {
        match self.map.get(key) {
            None | Some(ConfigValue::Null) => None,
            Some(value) => Some(value),
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, got: &ConfigValue) -> Error {
        Error::new(format!(
            "{} key '{key}' must be {expected}, got {}",
            self.what,
            got.type_name()
        ))
    }

    /// A required string.
    pub fn text(&self, key: &str) -> Result<&'a str> {
        match self.get(key) {
            Some(ConfigValue::Text(text)) => Ok(text),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
            None => Err(Error::new(format!(
                "{} settings need the key '{key}'",
                self.what
            ))),
        }
    }

    /// An optional number; non-finite numbers are left to the range checks,
    /// which name them.
    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            Some(ConfigValue::Number(x)) => Ok(Some(*x)),
            Some(other) => Err(self.wrong_type(key, "a number", other)),
            None => Ok(None),
        }
    }

    /// An optional number with a default.
    pub fn number_or(&self, key: &str, default: f64) -> Result<f64> {
        Ok(self.number(key)?.unwrap_or(default))
    }

    /// An optional whole number in `[min, max]`.
    pub fn integer_or(&self, key: &str, default: u64, min: u64, max: u64) -> Result<u64> {
        let Some(x) = self.number(key)? else {
            return Ok(default);
        };
        if !x.is_finite() || x.fract() != 0.0 || x < min as f64 || x > max as f64 {
            return Err(Error::new(format!(
                "{} key '{key}' must be a whole number from {min} to {max}, got {x}",
                self.what
            )));
        }
        Ok(x as u64)
    }

    /// An optional boolean with a default.
    pub fn boolean_or(&self, key: &str, default: bool) -> Result<bool> {
        match self.get(key) {
            Some(ConfigValue::Bool(b)) => Ok(*b),
            Some(other) => Err(self.wrong_type(key, "true or false", other)),
            None => Ok(default),
        }
    }

    /// An optional list of numbers.
    pub fn numbers(&self, key: &str) -> Result<Option<Vec<f64>>> {
        match self.get(key) {
            Some(ConfigValue::List(items)) => items
                .iter()
                .map(|item| match item {
                    ConfigValue::Number(x) => Ok(*x),
                    other => Err(self.wrong_type(key, "a list of numbers", other)),
                })
                .collect::<Result<Vec<f64>>>()
                .map(Some),
            Some(other) => Err(self.wrong_type(key, "a list of numbers", other)),
            None => Ok(None),
        }
    }

    /// A required list of at most `max` settings objects, each read by
    /// `read`; an item's error is prefixed with the key and its index as
    /// JS would write it ("racers[1]: ...").
    pub fn list_of<T>(
        &self,
        key: &str,
        max: usize,
        read: impl Fn(&ConfigValue) -> Result<T>,
    ) -> Result<Vec<T>> {
        let items = match self.get(key) {
            Some(ConfigValue::List(items)) => items,
            Some(other) => return Err(self.wrong_type(key, "a list", other)),
            None => {
                return Err(Error::new(format!(
                    "{} settings need the key '{key}'",
                    self.what
                )))
            }
        };
        if items.len() > max {
            return Err(Error::new(format!(
                "{} key '{key}' takes at most {max} items, got {}",
                self.what,
                items.len()
            )));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, value)| {
                read(value).map_err(|e| Error::new(format!("{key}[{i}]: {}", e.message())))
            })
            .collect()
    }

    /// An optional nested settings object or list, as a raw value.
    pub fn value(&self, key: &str) -> Option<&'a ConfigValue> {
        self.get(key)
    }

    /// Fails if `key` is present: used for keys that do not apply to a kind.
    pub fn forbid(&self, key: &str, reason: &str) -> Result<()> {
        if self.has(key) {
            return Err(Error::new(format!(
                "{} key '{key}' does not apply {reason}",
                self.what
            )));
        }
        Ok(())
    }
}

/// A settings object from (key, value) pairs, for the config tests.
#[cfg(test)]
pub(crate) fn settings_of(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
    ConfigValue::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        settings_of(pairs)
    }

    #[test]
    fn typed_getters_name_the_key() {
        let value = map(&[
            ("kind", ConfigValue::Text("adam".into())),
            ("lr", ConfigValue::Text("0.1".into())),
            ("steps", ConfigValue::Number(2.5)),
        ]);
        let cfg = value.as_map("optimizer").unwrap();
        assert_eq!(cfg.text("kind").unwrap(), "adam");
        let err = cfg.number("lr").unwrap_err();
        assert_eq!(
            err.message(),
            "optimizer key 'lr' must be a number, got a string"
        );
        let err = cfg.integer_or("steps", 1, 1, 10).unwrap_err();
        assert!(err.message().contains("'steps'"));
        assert!(cfg
            .allow_only(&["kind", "lr"])
            .unwrap_err()
            .message()
            .contains("'steps'"));
        assert!(cfg
            .text("missing")
            .unwrap_err()
            .message()
            .contains("'missing'"));
        assert!(ConfigValue::Number(1.0).as_map("optimizer").is_err());
    }

    #[test]
    fn old_spellings_read_as_the_documented_keys() {
        let aliases = [("max_shift", "maxShift"), ("padding_mode", "paddingMode")];
        let old = map(&[
            ("max_shift", ConfigValue::Number(0.2)),
            ("p", ConfigValue::Number(1.0)),
        ]);
        let renamed = old.with_key_aliases("augment op", &aliases).unwrap();
        assert_eq!(
            *renamed,
            map(&[
                ("maxShift", ConfigValue::Number(0.2)),
                ("p", ConfigValue::Number(1.0)),
            ])
        );
        // Documented spellings, and values that are not objects, pass through untouched.
        let new = map(&[("paddingMode", ConfigValue::Text("edge".into()))]);
        assert!(matches!(
            new.with_key_aliases("augment op", &aliases).unwrap(),
            Cow::Borrowed(_)
        ));
        let number = ConfigValue::Number(3.0);
        assert_eq!(
            *number.with_key_aliases("augment op", &aliases).unwrap(),
            number
        );
    }

    #[test]
    fn both_spellings_of_one_key_are_refused() {
        let both = map(&[
            ("paddingMode", ConfigValue::Text("edge".into())),
            ("padding_mode", ConfigValue::Text("wrap".into())),
        ]);
        let err = both
            .with_key_aliases("augment op", &[("padding_mode", "paddingMode")])
            .unwrap_err();
        assert_eq!(
            err.message(),
            "augment op keys 'paddingMode' and 'padding_mode' are the same setting \
             ('padding_mode' is its old spelling): give only 'paddingMode'"
        );
    }

    #[test]
    fn lists_of_settings_name_the_failing_item() {
        let value = map(&[(
            "ops",
            ConfigValue::List(vec![
                ConfigValue::Number(1.0),
                ConfigValue::Text("x".into()),
            ]),
        )]);
        let cfg = value.as_map("augmenter").unwrap();
        let numbers = |v: &ConfigValue| match v {
            ConfigValue::Number(x) => Ok(*x),
            _ => Err(Error::new("not a number")),
        };
        let err = cfg.list_of("ops", 8, numbers).unwrap_err();
        assert_eq!(err.message(), "ops[1]: not a number");
        let err = cfg.list_of("ops", 1, numbers).unwrap_err();
        assert!(err.message().contains("at most 1"), "{err}");
        assert!(cfg.list_of("missing", 8, numbers).is_err());
    }
}
