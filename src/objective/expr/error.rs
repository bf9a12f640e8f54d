//! The error a student sees when the typed expression cannot be read.

use std::fmt;

/// Why and where parsing failed.
///
/// `position` is a 0-based index counted in characters (not bytes), so the
/// UI can put a caret under the offending character of what was typed; it
/// never exceeds the input's length in characters (or the length limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 0-based character index of the problem.
    pub position: usize,
    /// What went wrong, e.g. "unexpected ')'".
    pub message: String,
    /// How to fix it, e.g. "write 2*x"; empty when there is nothing to add.
    pub hint: String,
}

impl ParseError {
    /// An error at character `position` with no hint.
    pub fn new(position: usize, message: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
            hint: String::new(),
        }
    }

    /// The same error with a suggestion of how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position)?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

impl From<ParseError> for crate::error::Error {
    fn from(error: ParseError) -> Self {
        crate::error::Error::new(format!("loss expression: {error}"))
    }
}
