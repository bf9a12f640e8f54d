//! A perceptually ordered colour map as a 256-entry lookup table.
//!
//! Dark for low loss, bright for high, so minima read as valleys. The
//! control points are our own: deep blue through teal and green to a pale
//! yellow, monotone in lightness so a grey-scale print keeps the order.

/// RGB control points, evenly spaced over [0, 1].
const STOPS: [[f64; 3]; 6] = [
    [13.0, 8.0, 64.0],
    [40.0, 60.0, 140.0],
    [31.0, 120.0, 150.0],
    [60.0, 170.0, 120.0],
    [170.0, 210.0, 80.0],
    [250.0, 245.0, 180.0],
];

/// 256 RGBA colours, index 0 the lowest value.
pub struct ColorMap {
    table: [[u8; 4]; 256],
}

impl Default for ColorMap {
    fn default() -> Self {
        Self::new()
    }
}

impl ColorMap {
    pub fn new() -> Self {
        let mut table = [[0u8; 4]; 256];
        let segments = (STOPS.len() - 1) as f64;
        for (i, entry) in table.iter_mut().enumerate() {
            let t = i as f64 / 255.0 * segments;
            let k = (t.floor() as usize).min(STOPS.len() - 2);
            let f = t - k as f64;
            for c in 0..3 {
                let v = STOPS[k][c] + (STOPS[k + 1][c] - STOPS[k][c]) * f;
                entry[c] = v.round().clamp(0.0, 255.0) as u8;
            }
            entry[3] = 255;
        }
        ColorMap { table }
    }

    /// The colour of a level in [0, 1] (clamped; NaN maps to the lowest).
    #[inline]
    pub fn at(&self, level: f64) -> [u8; 4] {
        let index = if level > 0.0 {
            ((level * 255.0) as usize).min(255)
        } else {
            0
        };
        self.table[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_the_control_points_and_lightness_rises() {
        let map = ColorMap::new();
        assert_eq!(map.at(0.0), [13, 8, 64, 255]);
        assert_eq!(map.at(1.0), [250, 245, 180, 255]);
        assert_eq!(map.at(f64::NAN), map.at(0.0));
        assert_eq!(map.at(7.0), map.at(1.0));
        let luma = |c: [u8; 4]| 0.299 * c[0] as f64 + 0.587 * c[1] as f64 + 0.114 * c[2] as f64;
        for i in 1..256 {
            let (a, b) = (map.table[i - 1], map.table[i]);
            assert!(luma(b) >= luma(a) - 0.5, "lightness drops at {i}");
        }
    }
}
