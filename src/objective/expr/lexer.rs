//! Splits the typed text into tokens, each remembering where it was typed.
//!
//! Students paste from slides, so a few typographic characters are read as
//! their ASCII meaning: '−' and '–' as minus, '×', '·', '⋅' and '∗' as times,
//! '÷' as divide, '²' and '³' as powers, 'π' as pi; Python's `**` is a power.

use super::error::ParseError;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    Number(f64),
    /// An identifier: a variable, constant or function name, as typed.
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    /// A superscript two, '²' (a postfix square).
    Square,
    /// A superscript three, '³' (a postfix cube).
    Cube,
    LeftParen,
    RightParen,
    Comma,
    End,
}

/// A token and the characters [start, end) it was read from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Reads all tokens of `chars`; the last one is always `End`.
pub(crate) fn tokenize(chars: &[char]) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            let (value, end) = read_number(chars, i)?;
            tokens.push(Token {
                kind: TokenKind::Number(value),
                start: i,
                end,
            });
            i = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let name: String = chars[i..end].iter().collect();
            tokens.push(Token {
                kind: TokenKind::Name(name),
                start: i,
                end,
            });
            i = end;
            continue;
        }
        let (kind, width) = match c {
            '+' => (TokenKind::Plus, 1),
            '-' | '\u{2212}' | '\u{2013}' => (TokenKind::Minus, 1),
            '*' if chars.get(i + 1) == Some(&'*') => (TokenKind::Caret, 2),
            '*' | '\u{00D7}' | '\u{00B7}' | '\u{22C5}' | '\u{2217}' => (TokenKind::Star, 1),
            '/' | '\u{00F7}' => (TokenKind::Slash, 1),
            '^' => (TokenKind::Caret, 1),
            '\u{00B2}' => (TokenKind::Square, 1),
            '\u{00B3}' => (TokenKind::Cube, 1),
            '(' => (TokenKind::LeftParen, 1),
            ')' => (TokenKind::RightParen, 1),
            ',' => (TokenKind::Comma, 1),
            '\u{03C0}' => (TokenKind::Name("pi".to_string()), 1),
            other => return Err(unexpected_character(other, i)),
        };
        tokens.push(Token {
            kind,
            start: i,
            end: i + width,
        });
        i += width;
    }
    tokens.push(Token {
        kind: TokenKind::End,
        start: chars.len(),
        end: chars.len(),
    });
    Ok(tokens)
}

/// Reads digits, an optional fraction and an optional exponent from `start`.
fn read_number(chars: &[char], start: usize) -> Result<(f64, usize), ParseError> {
    let mut text = String::new();
    let mut i = start;
    let mut digits = 0;
    while i < chars.len() && chars[i].is_ascii_digit() {
        text.push(chars[i]);
        i += 1;
        digits += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        text.push('.');
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            text.push(chars[i]);
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return Err(ParseError::new(start, "a '.' that is not part of a number")
            .with_hint("write decimals like 0.5 or .5"));
    }
    if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
        text.push('e');
        i += 1;
        if i < chars.len() && matches!(chars[i], '+' | '-' | '\u{2212}') {
            text.push(if chars[i] == '+' { '+' } else { '-' });
            i += 1;
        }
        let exponent_start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            text.push(chars[i]);
            i += 1;
        }
        if i == exponent_start {
            let typed: String = chars[start..i].iter().collect();
            return Err(ParseError::new(
                i,
                format!("the number '{typed}' is missing its exponent digits"),
            )
            .with_hint("write e.g. 1e-3; for a number times the constant e write 2*e"));
        }
    }
    // The text holds only ASCII digits, '.', 'e' and a sign, in number order.
    let value: f64 = text
        .parse()
        .map_err(|_| ParseError::new(start, format!("'{text}' is not a number")))?;
    if !value.is_finite() {
        return Err(
            ParseError::new(start, format!("the number '{text}' is too large"))
                .with_hint("numbers must be below about 1.8e308"),
        );
    }
    Ok((value, i))
}

fn unexpected_character(c: char, position: usize) -> ParseError {
    let error = ParseError::new(position, format!("unexpected character '{c}'"));
    match c {
        '[' | ']' | '{' | '}' => error.with_hint("use round parentheses ( )"),
        '|' => error.with_hint("write abs(x) for |x|"),
        '=' => error.with_hint("type only the right-hand side, e.g. x^2 + y^2"),
        ';' => error.with_hint("type one expression, without ';'"),
        _ => error.with_hint("use numbers, x, y, + - * / ^, parentheses and functions like sin(x)"),
    }
}
