//! One-pixel contour lines from a grid of band indices: a pixel is on a
//! line where its band differs from its right or lower neighbour. Cheaper
//! than marching squares and good enough at screen resolution.

/// The band of cells where the value is not finite: never on a line.
pub const NO_BAND: i32 = i32::MIN;

/// Calls `on_line(index, band, neighbours)` for every pixel on a contour
/// line, where `neighbours` are the right and lower bands that differ from
/// `band` (and are not [`NO_BAND`]); a missing neighbour is `None`.
pub fn for_each_line_pixel(
    bands: &[i32],
    width: usize,
    height: usize,
    mut on_line: impl FnMut(usize, i32, [Option<i32>; 2]),
) {
    for row in 0..height {
        for col in 0..width {
            let i = row * width + col;
            let band = bands[i];
            if band == NO_BAND {
                continue;
            }
            let differs = |other: i32| (other != band && other != NO_BAND).then_some(other);
            let right = if col + 1 < width {
                differs(bands[i + 1])
            } else {
                None
            };
            let below = if row + 1 < height {
                differs(bands[i + width])
            } else {
                None
            };
            if right.is_some() || below.is_some() {
                on_line(i, band, [right, below]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_sit_where_bands_change() {
        // 3×2 bands: a vertical boundary between columns 0 and 1, a gap cell.
        let bands = [0, 1, 1, 0, 1, NO_BAND];
        let mut hits = Vec::new();
        for_each_line_pixel(&bands, 3, 2, |i, band, n| hits.push((i, band, n)));
        assert_eq!(hits, vec![(0, 0, [Some(1), None]), (3, 0, [Some(1), None])]);
    }
}
