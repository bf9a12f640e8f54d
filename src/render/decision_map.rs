//! Decision maps: class probabilities on a grid into RGBA pixels.

/// Class colours (Tableau 10, then repeats).
pub const CLASS_PALETTE: [[u8; 3]; 10] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [127, 127, 127],
    [188, 189, 34],
    [23, 190, 207],
];

/// Paints one pixel per row of `probs` (`cells × classes`) into `rgba`
/// (`cells × 4`, resized): the colour of the most likely class blended over
/// white, opacity 0.15 at chance level rising to 0.65 at certainty, so
/// the map is paler where the model is unsure. Opaque.
pub fn decision_map(probs: &[f32], classes: usize, rgba: &mut Vec<u8>) {
    let cells = probs.len() / classes.max(1);
    rgba.resize(cells * 4, 0);
    let chance = 1.0 / classes as f32;
    for (pixel, row) in rgba.chunks_exact_mut(4).zip(probs.chunks_exact(classes)) {
        let (best, p) = row
            .iter()
            .copied()
            .enumerate()
            .fold((0, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        let confidence = ((p - chance) / (1.0 - chance)).clamp(0.0, 1.0);
        let alpha = 0.15 + 0.5 * confidence;
        let color = CLASS_PALETTE[best % CLASS_PALETTE.len()];
        for c in 0..3 {
            pixel[c] = (255.0 * (1.0 - alpha) + color[c] as f32 * alpha) as u8;
        }
        pixel[3] = 255;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certain_cells_take_the_class_colour_at_65_percent_and_chance_cells_15() {
        let mut rgba = Vec::new();
        decision_map(&[0.0, 1.0, 0.5, 0.5], 2, &mut rgba);
        // Class 1 orange (255, 127, 14) at α = 0.65 over white.
        let blend = |c: f32, a: f32| (255.0 * (1.0 - a) + c * a) as u8;
        assert_eq!(
            &rgba[..4],
            &[
                blend(255.0, 0.65),
                blend(127.0, 0.65),
                blend(14.0, 0.65),
                255
            ]
        );
        // A tie goes to class 0 (blue) at chance: α = 0.15.
        assert_eq!(
            &rgba[4..],
            &[
                blend(31.0, 0.15),
                blend(119.0, 0.15),
                blend(180.0, 0.15),
                255
            ]
        );
    }
}
