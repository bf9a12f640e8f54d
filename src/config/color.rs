//! Colours in settings: "#rrggbb" (the leading '#' may be left out).

use crate::error::{Error, Result};

/// Parses "#rrggbb".
pub fn hex_color(text: &str) -> Result<[u8; 3]> {
    let hex = text.strip_prefix('#').unwrap_or(text);
    let bad = || Error::new(format!("colour must look like #1f77b4, got '{text}'"));
    if hex.len() != 6 || !hex.is_ascii() {
        return Err(bad());
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok([channel(0)?, channel(2)?, channel(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_hex_digits_are_read_and_anything_else_is_refused() {
        assert_eq!(hex_color("#1f77b4").unwrap(), [0x1f, 0x77, 0xb4]);
        assert_eq!(hex_color("ff7f0e").unwrap(), [0xff, 0x7f, 0x0e]);
        assert!(hex_color("#00000g")
            .unwrap_err()
            .to_string()
            .contains("#1f77b4"));
        // Multi-byte text is refused, not sliced mid-character.
        assert!(hex_color("#ééé").is_err());
        assert!(hex_color("#12345").is_err());
    }
}
