//! Scatter-dot styles from a settings object:
//! `{radius: 4.7, lineWidth: 1, hollow: false, colors: ["#1f77b4", …]}`.

use super::color::hex_color;
use super::value::ConfigValue;
use crate::error::{Error, Result};
use crate::render::{DotStyle, MAX_DOT_COLORS};

/// Reads a dot style; the ranges are checked when the dots are drawn.
pub fn dot_style(value: &ConfigValue) -> Result<DotStyle> {
    let cfg = value.as_map("dot style")?;
    cfg.allow_only(&["radius", "lineWidth", "hollow", "colors"])?;
    let radius = cfg
        .number("radius")?
        .ok_or_else(|| Error::new("dot style settings need the key 'radius'"))?;
    let colors = cfg.list_of("colors", MAX_DOT_COLORS, |item| match item {
        ConfigValue::Text(text) => hex_color(text),
        other => Err(Error::new(format!(
            "dot colours must be strings like #1f77b4, got {}",
            other.to_json()
        ))),
    })?;
    Ok(DotStyle {
        radius,
        line_width: cfg.number_or("lineWidth", 1.0)?,
        hollow: cfg.boolean_or("hollow", false)?,
        colors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, ConfigValue)]) -> ConfigValue {
        crate::config::value::settings_of(pairs)
    }

    fn colors(list: &[&str]) -> ConfigValue {
        ConfigValue::List(
            list.iter()
                .map(|c| ConfigValue::Text((*c).into()))
                .collect(),
        )
    }

    #[test]
    fn a_full_style_is_read_as_given() {
        let style = dot_style(&config(&[
            ("radius", ConfigValue::Number(4.5)),
            ("lineWidth", ConfigValue::Number(2.0)),
            ("hollow", ConfigValue::Bool(true)),
            ("colors", colors(&["#1f77b4", "ff7f0e"])),
        ]))
        .unwrap();
        assert_eq!(
            style,
            DotStyle {
                radius: 4.5,
                line_width: 2.0,
                hollow: true,
                colors: vec![[0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e]],
            }
        );
    }

    #[test]
    fn line_width_and_hollow_have_defaults() {
        let style = dot_style(&config(&[
            ("radius", ConfigValue::Number(3.0)),
            ("colors", colors(&["#000000"])),
        ]))
        .unwrap();
        assert_eq!((style.line_width, style.hollow), (1.0, false));
    }

    #[test]
    fn missing_unknown_and_malformed_keys_are_refused_by_name() {
        let cases = [
            (config(&[("colors", colors(&["#000000"]))]), "radius"),
            (config(&[("radius", ConfigValue::Number(3.0))]), "colors"),
            (
                config(&[
                    ("radius", ConfigValue::Number(3.0)),
                    ("colors", colors(&["#00000g"])),
                ]),
                "#1f77b4",
            ),
            (
                config(&[
                    ("radius", ConfigValue::Number(3.0)),
                    ("colors", ConfigValue::Text("#000000".into())),
                ]),
                "list",
            ),
            (
                config(&[
                    ("radius", ConfigValue::Number(3.0)),
                    ("colors", ConfigValue::List(vec![ConfigValue::Number(1.0)])),
                ]),
                "strings",
            ),
            (
                config(&[
                    ("radius", ConfigValue::Number(3.0)),
                    ("colors", colors(&["#000000"])),
                    ("size", ConfigValue::Number(3.0)),
                ]),
                "size",
            ),
            (ConfigValue::Number(3.0), "dot style"),
        ];
        for (value, named) in cases {
            let message = dot_style(&value).unwrap_err().to_string();
            assert!(message.contains(named), "{named}: {message}");
        }
    }
}
