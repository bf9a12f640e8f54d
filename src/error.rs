//! The crate's one error type: a message meant for a person.
//!
//! Errors cross the wasm boundary as JS `Error`s whose message is this text,
//! and the UI shows it as is, so it names the setting and the problem.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

pub type Result<T> = std::result::Result<T, Error>;

/// Longest run of non-space characters a message keeps whole; a longer one
/// (a pasted megabyte echoed back in "unknown kind '…'") keeps its start
/// and end, so a message stays readable wherever it is shown.
const LONGEST_WORD: usize = 80;

/// `message` with every over-long word shortened to its first and last characters.
fn shorten_long_words(message: String) -> String {
    if message.len() <= LONGEST_WORD {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(4 * LONGEST_WORD));
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let count = word.chars().count();
        if count > LONGEST_WORD {
            out.extend(word.chars().take(60));
            out.push('…');
            out.extend(word.chars().skip(count - 12));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in message.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error(shorten_long_words(message.into()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_words_keep_their_ends_and_short_messages_stay_whole() {
        let long = "x".repeat(200_000);
        let message = Error::new(format!(
            "unknown optimizer kind '{long}' (valid kinds: sgd, adam)"
        ));
        assert_eq!(
            message.message(),
            format!(
                "unknown optimizer kind '{}…{}' (valid kinds: sgd, adam)",
                "x".repeat(59),
                "x".repeat(11)
            )
        );
        let emoji = "é😀".repeat(100);
        let shortened = Error::new(emoji.clone()).message().to_string();
        assert_eq!(shortened.chars().count(), 60 + 1 + 12);
        assert!(shortened.starts_with(&emoji.chars().take(60).collect::<String>()));
        let whole = format!(
            "lr must be a positive finite number, got {}",
            "9".repeat(80)
        );
        assert_eq!(Error::new(whole.clone()).message(), whole);
    }
}
