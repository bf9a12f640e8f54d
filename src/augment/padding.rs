//! What to read when a coordinate falls outside the image.

/// How pixels outside the image are made up (as in `numpy.pad`).
///
/// For a row `a b c`, two pixels beyond the left edge read:
/// `Constant(v)` → `v v`, `Edge` → `a a`, `Reflect` → `c b` (mirrored
/// without repeating the edge pixel), `Wrap` → `b c` (periodic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// A fixed RGBA colour.
    Constant([u8; 4]),
    /// The nearest edge pixel, repeated.
    Edge,
    /// Mirror image about the edge pixel (which is not repeated).
    Reflect,
    /// The image repeats periodically.
    Wrap,
}

impl Padding {
    /// The snake_case name used in configs ("constant", "edge", "reflect", "wrap").
    pub fn name(&self) -> &'static str {
        match self {
            Padding::Constant(_) => "constant",
            Padding::Edge => "edge",
            Padding::Reflect => "reflect",
            Padding::Wrap => "wrap",
        }
    }

    /// The index inside `0..len` that coordinate `i` reads, or `None` when
    /// it reads the constant colour. `len` must be positive.
    pub fn source_index(&self, i: i64, len: i64) -> Option<usize> {
        if (0..len).contains(&i) {
            return Some(i as usize);
        }
        let mapped = match self {
            Padding::Constant(_) => return None,
            Padding::Edge => i.clamp(0, len - 1),
            Padding::Wrap => i.rem_euclid(len),
            Padding::Reflect => {
                if len == 1 {
                    0
                } else {
                    // Reflection without repeating the edge has period 2(len - 1).
                    let period = 2 * (len - 1);
                    let folded = i.rem_euclid(period);
                    if folded < len {
                        folded
                    } else {
                        period - folded
                    }
                }
            }
        };
        Some(mapped as usize)
    }
}
