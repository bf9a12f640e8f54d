//! The crate's one error type: a message meant for a person.
//!
//! Errors cross the wasm boundary as JS `Error`s whose message is this text,
//! and the UI shows it as is, so it names the setting and the problem.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Fails unless `value` is finite and `low <= value <= high`.
pub fn check_in(name: &str, value: f64, low: f64, high: f64) -> Result<()> {
    if !value.is_finite() {
        return Err(Error::new(format!(
            "{name} must be a finite number, got {value}"
        )));
    }
    if value < low || value > high {
        return Err(Error::new(format!(
            "{name} must be between {low} and {high}, got {value}"
        )));
    }
    Ok(())
}

/// Fails unless `value` is finite and strictly positive.
pub fn check_positive(name: &str, value: f64) -> Result<()> {
    if !value.is_finite() || value <= 0.0 {
        return Err(Error::new(format!(
            "{name} must be a positive finite number, got {value}"
        )));
    }
    Ok(())
}

/// Fails unless `0 <= value < 1` (decay rates, momentum, betas).
pub fn check_unit_interval(name: &str, value: f64) -> Result<()> {
    if !value.is_finite() || !(0.0..1.0).contains(&value) {
        return Err(Error::new(format!(
            "{name} must be at least 0 and below 1, got {value}"
        )));
    }
    Ok(())
}
