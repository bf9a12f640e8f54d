//! Labelled examples: two-dimensional toy classification data, all drawn
//! from a seed, or images supplied by the caller.
//!
//! Every generator makes `classes × points_per_class` points, class by
//! class, with Gaussian noise of standard deviation `noise` (in the spiral,
//! on the angle, as in the CS231n notes; elsewhere on both coordinates).
//! Images are stored the same way, one row of `C·H·W` values (NCHW) per
//! example; the point-editing methods apply to 2-D points only.

use super::shape::Shape;
use crate::error::{check_in, Error, Result};
use crate::rng::Rng;

/// Most points per class a generator makes.
pub const MAX_POINTS_PER_CLASS: usize = 10_000;
/// Largest accepted noise level.
pub const MAX_NOISE: f64 = 2.0;

/// The built-in data generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    /// CS231n's interleaved spiral arms, one per class.
    Spiral,
    /// Two interleaving half circles (two classes only).
    Moons,
    /// Concentric rings, one per class.
    Circles,
    /// The four quadrants, opposite ones sharing a class (two classes only).
    Xor,
    /// One Gaussian blob per class, centres on the unit circle.
    Blobs,
}

impl DatasetKind {
    /// Every generator, in the order the UI lists them.
    pub const ALL: [DatasetKind; 5] = [
        DatasetKind::Spiral,
        DatasetKind::Moons,
        DatasetKind::Circles,
        DatasetKind::Xor,
        DatasetKind::Blobs,
    ];

    /// The name the JS API uses.
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Spiral => "spiral",
            DatasetKind::Moons => "moons",
            DatasetKind::Circles => "circles",
            DatasetKind::Xor => "xor",
            DatasetKind::Blobs => "blobs",
        }
    }

    /// Reads a JS name; the error names the `dataset` setting.
    pub fn parse(name: &str) -> Result<Self> {
        DatasetKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                Error::new(format!(
                    "dataset must be one of spiral, moons, circles, xor, blobs, custom, got \"{name}\""
                ))
            })
    }

    /// Whether the generator only makes two classes.
    pub fn two_classes_only(self) -> bool {
        matches!(self, DatasetKind::Moons | DatasetKind::Xor)
    }
}

/// Labelled examples: `points` is row-major `[n][C·H·W]` (`[n][2]` for
/// points of the plane).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    points: Vec<f32>,
    labels: Vec<u32>,
    classes: usize,
    /// The shape of one example (2 × 1 × 1 for the plane).
    shape: Shape,
}

/// The shape of a point of the plane.
const PLANE: Shape = Shape::flat(2);

impl Dataset {
    /// Draws `classes × points_per_class` points of `kind` from `seed`.
    pub fn generate(
        kind: DatasetKind,
        classes: usize,
        points_per_class: usize,
        noise: f64,
        seed: u64,
    ) -> Result<Dataset> {
        super::spec::check_classes(classes)?;
        if kind.two_classes_only() && classes != 2 {
            return Err(Error::new(format!(
                "classes must be 2 for the {} dataset, got {classes}",
                kind.name()
            )));
        }
        if !(1..=MAX_POINTS_PER_CLASS).contains(&points_per_class) {
            return Err(Error::new(format!(
                "pointsPerClass must be between 1 and {MAX_POINTS_PER_CLASS}, got {points_per_class}"
            )));
        }
        check_in("noise", noise, 0.0, MAX_NOISE)?;
        let mut rng = Rng::new(seed);
        let n = points_per_class;
        let mut points = Vec::with_capacity(2 * classes * n);
        let mut labels = Vec::with_capacity(classes * n);
        for class in 0..classes {
            for i in 0..n {
                let [x, y] = match kind {
                    DatasetKind::Spiral => spiral_point(class, i, n, noise, &mut rng),
                    DatasetKind::Moons => moons_point(class, i, n, noise, &mut rng),
                    DatasetKind::Circles => circles_point(class, classes, i, n, noise, &mut rng),
                    DatasetKind::Xor => xor_point(class, i, noise, &mut rng),
                    DatasetKind::Blobs => blobs_point(class, classes, noise, &mut rng),
                };
                points.extend([x as f32, y as f32]);
                labels.push(class as u32);
            }
        }
        Ok(Dataset {
            points,
            labels,
            classes,
            shape: PLANE,
        })
    }

    /// User-supplied data: `points` row-major `[n][2]`, one label per point.
    /// Fails (naming `dataset`) unless there is at least one point, the
    /// lengths agree, every coordinate is finite and every label is below
    /// `classes`.
    pub fn custom(points: &[f32], labels: &[u32], classes: usize) -> Result<Dataset> {
        super::spec::check_classes(classes)?;
        if labels.is_empty() {
            return Err(Error::new("dataset must contain at least one point"));
        }
        if points.len() != 2 * labels.len() {
            return Err(Error::new(format!(
                "dataset must give two coordinates per label: {} labels need {} coordinates, got {}",
                labels.len(),
                2 * labels.len(),
                points.len()
            )));
        }
        if let Some(i) = points.iter().position(|v| !v.is_finite()) {
            return Err(Error::new(format!(
                "dataset coordinates must be finite, point {} is not",
                i / 2
            )));
        }
        if let Some(i) = labels.iter().position(|&y| y as usize >= classes) {
            return Err(Error::new(format!(
                "dataset labels must be below classes = {classes}, point {i} has label {}",
                labels[i]
            )));
        }
        Ok(Dataset {
            points: points.to_vec(),
            labels: labels.to_vec(),
            classes,
            shape: PLANE,
        })
    }

    /// Images of `shape` (NCHW rows of `C·H·W` values, one per label).
    /// Fails, naming `dataset.x` or `dataset.y`, unless there is at least
    /// one image, the lengths agree, every value is finite and every label
    /// is below `classes`.
    pub fn images(
        values: Vec<f32>,
        labels: Vec<u32>,
        classes: usize,
        shape: Shape,
    ) -> Result<Dataset> {
        super::spec::check_classes(classes)?;
        if labels.is_empty() {
            return Err(Error::new("dataset.y must hold at least one label"));
        }
        if shape.is_empty() || values.len() != shape.len() * labels.len() {
            return Err(Error::new(format!(
                "dataset.x must hold {} labels × {shape} = {} values, got {}",
                labels.len(),
                shape.len() * labels.len(),
                values.len()
            )));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::new(format!(
                "dataset.x must be finite: image {} has {} at value {}",
                i / shape.len(),
                values[i],
                i % shape.len()
            )));
        }
        if let Some(i) = labels.iter().position(|&y| y as usize >= classes) {
            return Err(Error::new(format!(
                "dataset.y must be below classes = {classes}, image {i} has label {}",
                labels[i]
            )));
        }
        Ok(Dataset {
            points: values,
            labels,
            classes,
            shape,
        })
    }

    /// The shape of one example (`2` for a point of the plane).
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Whether the examples are points of the plane (not images).
    pub fn is_plane(&self) -> bool {
        self.shape == PLANE
    }

    /// Example `i`'s values.
    pub fn row(&self, i: usize) -> &[f32] {
        let width = self.shape.len();
        &self.points[i * width..(i + 1) * width]
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no points (only a split's validation part can be empty).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// All values, row-major `[n][C·H·W]` (`[n][2]` coordinates for points).
    pub fn points(&self) -> &[f32] {
        &self.points
    }

    /// Class of each point.
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }

    /// Point `i` as `[x, y]` (the first two values of an image's row).
    pub fn point(&self, i: usize) -> [f32; 2] {
        let i = i * self.shape.len() / 2;
        [self.points[2 * i], self.points[2 * i + 1]]
    }

    /// `(x_min, x_max, y_min, y_max)` of the points (zeros when empty or
    /// not points of the plane).
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        if self.is_empty() || !self.is_plane() {
            return (0.0, 0.0, 0.0, 0.0);
        }
        let mut b = (
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
        );
        for p in self.points.chunks_exact(2) {
            b = (b.0.min(p[0]), b.1.max(p[0]), b.2.min(p[1]), b.3.max(p[1]));
        }
        b
    }

    /// A seeded shuffled split into (training, validation) with
    /// `round(fraction · n)` validation points; 0 puts everything in
    /// training (order kept). Fails, naming `validationSplit`, unless
    /// `0 <= fraction < 1` and at least one training point remains.
    pub fn split(&self, fraction: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        if !fraction.is_finite() || !(0.0..1.0).contains(&fraction) {
            return Err(Error::new(format!(
                "validationSplit must be at least 0 and below 1, got {fraction}"
            )));
        }
        let n = self.len();
        let validation = (fraction * n as f64).round() as usize;
        if validation >= n {
            return Err(Error::new(format!(
                "validationSplit {fraction} leaves no training points out of {n}"
            )));
        }
        let mut order: Vec<usize> = (0..n).collect();
        if validation > 0 {
            Rng::new(seed).shuffle(&mut order);
        }
        let (val_idx, train_idx) = order.split_at(validation);
        Ok((self.subset(train_idx), self.subset(val_idx)))
    }

    /// Appends a point; fails unless the data are points of the plane,
    /// the point is finite and `label < classes`.
    pub fn push(&mut self, point: [f32; 2], label: u32) -> Result<()> {
        if !self.is_plane() {
            return Err(Error::new(format!(
                "points can only be added to 2-D data, these examples are {} images",
                self.shape
            )));
        }
        if !point[0].is_finite() || !point[1].is_finite() {
            return Err(Error::new(format!(
                "a point must have finite coordinates, got ({}, {})",
                point[0], point[1]
            )));
        }
        if label as usize >= self.classes {
            return Err(Error::new(format!(
                "a point's label must be below classes = {}, got {label}",
                self.classes
            )));
        }
        self.points.extend(point);
        self.labels.push(label);
        Ok(())
    }

    /// Removes point `i` (later points move down by one); returns it.
    pub fn remove(&mut self, i: usize) -> Option<([f32; 2], u32)> {
        if i >= self.len() || !self.is_plane() {
            return None;
        }
        let point = self.point(i);
        self.points.drain(2 * i..2 * i + 2);
        Some((point, self.labels.remove(i)))
    }

    /// The index and squared distance of the point nearest to `(x, y)`
    /// (`None` when empty or not points of the plane).
    pub fn nearest(&self, x: f32, y: f32) -> Option<(usize, f32)> {
        if !self.is_plane() {
            return None;
        }
        self.points
            .chunks_exact(2)
            .map(|p| (p[0] - x).powi(2) + (p[1] - y).powi(2))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The examples at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut points = Vec::with_capacity(self.shape.len() * indices.len());
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            points.extend_from_slice(self.row(i));
            labels.push(self.labels[i]);
        }
        Dataset {
            points,
            labels,
            classes: self.classes,
            shape: self.shape,
        }
    }
}

/// `i / (n − 1)`, numpy's `linspace(0, 1, n)[i]` (0 when n = 1).
fn linspace_unit(i: usize, n: usize) -> f64 {
    if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    }
}

/// CS231n: `r = linspace(0, 1, N)`, `t = linspace(4j, 4(j+1), N) + noise·randn`,
/// point `r·(sin t, cos t)`.
fn spiral_point(class: usize, i: usize, n: usize, noise: f64, rng: &mut Rng) -> [f64; 2] {
    let r = linspace_unit(i, n);
    let t = 4.0 * (class as f64 + linspace_unit(i, n)) + noise * rng.normal();
    [r * t.sin(), r * t.cos()]
}

/// Class 0 on the upper half of the unit circle, class 1 on the lower half
/// of a circle shifted by (1, 0.5); both moved so the pair is centred.
fn moons_point(class: usize, i: usize, n: usize, noise: f64, rng: &mut Rng) -> [f64; 2] {
    let angle = std::f64::consts::PI * linspace_unit(i, n);
    let [x, y] = if class == 0 {
        [angle.cos(), angle.sin()]
    } else {
        [1.0 - angle.cos(), 0.5 - angle.sin()]
    };
    [
        x - 0.5 + noise * rng.normal(),
        y - 0.25 + noise * rng.normal(),
    ]
}

/// Class j on the ring of radius (j + 1)/K, at evenly spaced angles.
fn circles_point(
    class: usize,
    classes: usize,
    i: usize,
    n: usize,
    noise: f64,
    rng: &mut Rng,
) -> [f64; 2] {
    let radius = (class + 1) as f64 / classes as f64;
    let angle = 2.0 * std::f64::consts::PI * i as f64 / n as f64;
    [
        radius * angle.cos() + noise * rng.normal(),
        radius * angle.sin() + noise * rng.normal(),
    ]
}

/// Uniform in a quadrant of [−1, 1]²: class 0 alternates between the
/// (+, +) and (−, −) quadrants, class 1 between (+, −) and (−, +).
fn xor_point(class: usize, i: usize, noise: f64, rng: &mut Rng) -> [f64; 2] {
    let sx = if i % 2 == 0 { 1.0 } else { -1.0 };
    let sy = if class == 0 { sx } else { -sx };
    [
        sx * rng.uniform() + noise * rng.normal(),
        sy * rng.uniform() + noise * rng.normal(),
    ]
}

/// Gaussian of standard deviation `noise` around the class's centre
/// `(cos 2πj/K, sin 2πj/K)`.
fn blobs_point(class: usize, classes: usize, noise: f64, rng: &mut Rng) -> [f64; 2] {
    let angle = 2.0 * std::f64::consts::PI * class as f64 / classes as f64;
    [
        angle.cos() + noise * rng.normal(),
        angle.sin() + noise * rng.normal(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spiral_follows_the_notes_formula_without_noise() {
        let data = Dataset::generate(DatasetKind::Spiral, 3, 5, 0.0, 1).unwrap();
        assert_eq!(data.len(), 15);
        // Class 1, point 2 of 5: r = 0.5, t = 4 + 4·0.5 = 6.
        let [x, y] = data.point(5 + 2);
        assert!((x as f64 - 0.5 * 6f64.sin()).abs() < 1e-6);
        assert!((y as f64 - 0.5 * 6f64.cos()).abs() < 1e-6);
        assert_eq!(data.labels()[7], 1);
        assert_eq!(data.point(0), [0.0, 0.0]);
    }

    #[test]
    fn moons_without_noise_are_two_half_circles_centred_on_the_origin() {
        let data = Dataset::generate(DatasetKind::Moons, 2, 3, 0.0, 1).unwrap();
        // Angles 0, π/2, π: the upper moon (cos, sin) and the lower one
        // (1 − cos, ½ − sin), both shifted by (−½, −¼).
        let expected = [
            [0.5, -0.25],
            [-0.5, 0.75],
            [-1.5, -0.25],
            [-0.5, 0.25],
            [0.5, -0.75],
            [1.5, 0.25],
        ];
        for (i, [ex, ey]) in expected.into_iter().enumerate() {
            let [x, y] = data.point(i);
            assert!(
                (x as f64 - ex).abs() < 1e-6 && (y as f64 - ey).abs() < 1e-6,
                "point {i}: {x}, {y}"
            );
        }
    }

    #[test]
    fn generators_are_seeded_and_labelled_by_class() {
        for kind in DatasetKind::ALL {
            let a = Dataset::generate(kind, 2, 50, 0.1, 9).unwrap();
            let b = Dataset::generate(kind, 2, 50, 0.1, 9).unwrap();
            let c = Dataset::generate(kind, 2, 50, 0.1, 10).unwrap();
            assert_eq!(a, b);
            assert_ne!(a.points(), c.points());
            assert_eq!(a.labels().iter().filter(|&&y| y == 1).count(), 50);
        }
    }

    #[test]
    fn push_remove_and_nearest_edit_the_points() {
        let mut data = Dataset::custom(&[0.0, 0.0, 1.0, 1.0], &[0, 1], 2).unwrap();
        data.push([2.0, -1.0], 1).unwrap();
        assert!(data.push([0.0, 0.0], 2).is_err());
        assert!(data.push([f32::NAN, 0.0], 0).is_err());
        assert_eq!(data.nearest(1.8, -0.9).map(|n| n.0), Some(2));
        assert_eq!(data.remove(1), Some(([1.0, 1.0], 1)));
        assert_eq!(data.points(), &[0.0, 0.0, 2.0, -1.0]);
        assert_eq!(data.labels(), &[0, 1]);
        assert_eq!(data.remove(5), None);
    }

    #[test]
    fn xor_without_noise_puts_classes_in_opposite_quadrants() {
        let data = Dataset::generate(DatasetKind::Xor, 2, 40, 0.0, 3).unwrap();
        for i in 0..data.len() {
            let [x, y] = data.point(i);
            let same_sign = (x >= 0.0) == (y >= 0.0);
            assert_eq!(same_sign, data.labels()[i] == 0);
        }
    }

    #[test]
    fn circles_without_noise_lie_on_their_rings() {
        let data = Dataset::generate(DatasetKind::Circles, 3, 10, 0.0, 3).unwrap();
        for i in 0..data.len() {
            let [x, y] = data.point(i);
            let want = (data.labels()[i] + 1) as f32 / 3.0;
            assert!((x.hypot(y) - want).abs() < 1e-6);
        }
    }
}
