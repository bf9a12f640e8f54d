//! The image lab's handwritten digits: reading the shipped asset and
//! splitting it into a seeded training set and a fixed validation set.
//!
//! The asset (`www/assets/digits.bin.gz`, made by `scripts/make_digits.py`)
//! is, once inflated: `b"TLIM"`, the image count (u32 LE), width and height
//! (u16 LE), channels and classes (one byte each), two zero bytes, one label
//! byte per image, then one byte per pixel, image after image (NCHW). The
//! wasm never embeds it: the page fetches it and hands the bytes over.

use super::dataset::Dataset;
use super::digit_styles::DigitStyle;
use super::shape::Shape;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Bytes before the labels.
const HEADER: usize = 16;
/// The seed of the one permutation that picks the validation images, the
/// same for every run so that every run is measured on the same images.
const VALIDATION_SEED: u64 = 0x5EED_D161_7500;

/// Labelled images as bytes, straight from the asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageBytes {
    shape: Shape,
    classes: usize,
    labels: Vec<u8>,
    pixels: Vec<u8>,
}

impl ImageBytes {
    /// Reads the asset's bytes; the error names `dataset.data` and says
    /// what does not fit.
    pub fn parse(bytes: &[u8]) -> Result<ImageBytes> {
        let bad = |what: String| Error::new(format!("dataset.data is not a digits asset: {what}"));
        if bytes.len() < HEADER || &bytes[..4] != b"TLIM" {
            return Err(bad(format!(
                "it must start with \"TLIM\" and a {HEADER}-byte header ({} bytes given)",
                bytes.len()
            )));
        }
        let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let width = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let height = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
        let (channels, classes) = (bytes[12] as usize, bytes[13] as usize);
        let shape = Shape::new(channels, height, width);
        if shape.is_empty() || count == 0 {
            return Err(bad(format!("it holds {count} images of {shape}")));
        }
        let want = HEADER as u64 + count as u64 * (1 + shape.len() as u64);
        if bytes.len() as u64 != want {
            return Err(bad(format!(
                "{count} images of {shape} need {want} bytes, got {}",
                bytes.len()
            )));
        }
        let labels = bytes[HEADER..HEADER + count].to_vec();
        if let Some(i) = labels.iter().position(|&y| y as usize >= classes) {
            return Err(bad(format!(
                "image {i} has label {} but there are {classes} classes",
                labels[i]
            )));
        }
        Ok(ImageBytes {
            shape,
            classes,
            labels,
            pixels: bytes[HEADER + count..].to_vec(),
        })
    }

    /// The shape of one image.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// One label per image.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Image `i`'s bytes.
    pub fn image(&self, i: usize) -> &[u8] {
        let len = self.shape.len();
        &self.pixels[i * len..(i + 1) * len]
    }

    /// The fewest images any class has.
    pub fn smallest_class(&self) -> usize {
        (0..self.classes)
            .map(|c| self.labels.iter().filter(|&&y| y as usize == c).count())
            .min()
            .unwrap_or(0)
    }

    /// Splits into `(training, validation)` with pixels scaled to [0, 1]:
    /// the validation set is the same `validation_per_class` images of
    /// every class for every seed; the training set is `per_class` images
    /// of every class drawn (seeded by `seed`) from the others, class by class.
    pub fn split(
        &self,
        per_class: usize,
        validation_per_class: usize,
        seed: u64,
    ) -> Result<(Dataset, Dataset)> {
        let all: Vec<usize> = (0..self.classes).collect();
        self.split_task(
            &all,
            DigitStyle::Plain,
            per_class,
            validation_per_class,
            seed,
        )
    }

    /// [`ImageBytes::split`] restricted to the classes `keep` (relabelled
    /// 0, 1, … in that order) and drawn in `style`. The images a class
    /// gets do not depend on which other classes are kept: the validation
    /// images of digit 7 are the same in a 10-way task and in "5–9", and
    /// never among any task's training images. Errors name `dataset.digits`.
    pub fn split_task(
        &self,
        keep: &[usize],
        style: DigitStyle,
        per_class: usize,
        validation_per_class: usize,
        seed: u64,
    ) -> Result<(Dataset, Dataset)> {
        if keep.len() < 2 {
            return Err(Error::new(format!(
                "dataset.digits must list at least 2 classes, got {}",
                keep.len()
            )));
        }
        for (i, &class) in keep.iter().enumerate() {
            if class >= self.classes || keep[..i].contains(&class) {
                return Err(Error::new(format!(
                    "dataset.digits must list different classes below {}, got {class} at {i}",
                    self.classes
                )));
            }
        }
        let smallest = self.smallest_class();
        if validation_per_class >= smallest {
            return Err(Error::new(format!(
                "dataset.validationPerClass must be below {smallest} (the images of the smallest class), got {validation_per_class}"
            )));
        }
        let most = smallest - validation_per_class;
        if per_class == 0 || per_class > most {
            return Err(Error::new(format!(
                "dataset.perClass must be from 1 to {most} (with validationPerClass {validation_per_class}), got {per_class}"
            )));
        }
        let mut fixed = Rng::new(VALIDATION_SEED);
        let mut chosen = Rng::new(seed);
        let mut train = vec![Vec::new(); self.classes];
        let mut validation = vec![Vec::new(); self.classes];
        // Every class is shuffled, kept or not, so each class's draw is the
        // same whichever classes a task keeps.
        for class in 0..self.classes {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| self.labels[i] as usize == class)
                .collect();
            fixed.shuffle(&mut members);
            let (held_out, pool) = members.split_at_mut(validation_per_class);
            validation[class] = held_out.to_vec();
            chosen.shuffle(pool);
            train[class] = pool[..per_class].to_vec();
        }
        let pick = |sets: &[Vec<usize>]| -> Vec<(usize, u32)> {
            keep.iter()
                .enumerate()
                .flat_map(|(label, &class)| sets[class].iter().map(move |&i| (i, label as u32)))
                .collect()
        };
        Ok((
            self.styled_subset(&pick(&train), keep.len(), style)?,
            self.styled_subset(&pick(&validation), keep.len(), style)?,
        ))
    }

    /// The images at `indices` as a data set of values in [0, 1].
    pub fn subset(&self, indices: &[usize]) -> Result<Dataset> {
        let labelled: Vec<(usize, u32)> = indices
            .iter()
            .map(|&i| (i, self.labels[i] as u32))
            .collect();
        self.styled_subset(&labelled, self.classes, DigitStyle::Plain)
    }

    /// The images `(index, new label)` in `style` as a data set of
    /// `classes` classes with values in [0, 1].
    fn styled_subset(
        &self,
        picked: &[(usize, u32)],
        classes: usize,
        style: DigitStyle,
    ) -> Result<Dataset> {
        let len = self.shape.len();
        let mut values = Vec::with_capacity(picked.len() * len);
        let mut labels = Vec::with_capacity(picked.len());
        for &(i, label) in picked {
            let start = values.len();
            values.extend(self.image(i).iter().map(|&b| b as f32 / 255.0));
            style.apply(&mut values[start..], self.shape, i);
            labels.push(label);
        }
        Dataset::images(values, labels, classes, self.shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny asset: `per_class` images of 2×3 for each of 3 classes; the
    /// first pixel of each image is its index.
    fn asset(per_class: usize) -> Vec<u8> {
        let count = 3 * per_class;
        let mut bytes = b"TLIM".to_vec();
        bytes.extend((count as u32).to_le_bytes());
        bytes.extend(3u16.to_le_bytes());
        bytes.extend(2u16.to_le_bytes());
        bytes.extend([1, 3, 0, 0]);
        bytes.extend((0..count).map(|i| (i / per_class) as u8));
        bytes.extend((0..count * 6).map(|i| if i % 6 == 0 { i / 6 } else { i % 6 * 40 } as u8));
        bytes
    }

    #[test]
    fn parses_the_header_labels_and_pixels() {
        let images = ImageBytes::parse(&asset(4)).unwrap();
        assert_eq!(images.shape(), Shape::new(1, 2, 3));
        assert_eq!((images.len(), images.classes()), (12, 3));
        assert_eq!(images.labels()[5], 1);
        assert_eq!(images.image(2), &[2, 40, 80, 120, 160, 200]);
        assert_eq!(images.smallest_class(), 4);
    }

    #[test]
    fn broken_assets_are_errors_naming_dataset_data() {
        let good = asset(2);
        let mut bad_magic = good.clone();
        bad_magic[0] = b'X';
        let mut bad_label = good.clone();
        bad_label[HEADER] = 7;
        for bytes in [
            &good[..good.len() - 1],
            &bad_magic[..],
            &bad_label[..],
            &[][..],
        ] {
            let message = ImageBytes::parse(bytes).unwrap_err().message().to_string();
            assert!(message.starts_with("dataset.data"), "{message}");
        }
    }

    #[test]
    fn the_validation_set_is_fixed_and_the_training_set_is_seeded() {
        let images = ImageBytes::parse(&asset(10)).unwrap();
        let (train_a, val_a) = images.split(3, 2, 1).unwrap();
        let (train_b, val_b) = images.split(5, 2, 2).unwrap();
        assert_eq!(val_a, val_b, "the same validation images for every seed");
        assert_eq!((train_a.len(), val_a.len(), train_b.len()), (9, 6, 15));
        for class in 0..3 {
            let count = |d: &Dataset| d.labels().iter().filter(|&&y| y == class).count();
            assert_eq!((count(&train_a), count(&val_a)), (3, 2));
        }
        // No image is in both sets, and values are bytes / 255.
        let first = |d: &Dataset, i: usize| (d.row(i)[0] * 255.0).round() as usize;
        assert_eq!(val_a.row(0)[1], 40.0 / 255.0);
        let held: Vec<usize> = (0..val_a.len()).map(|i| first(&val_a, i)).collect();
        for i in 0..train_b.len() {
            assert!(!held.contains(&first(&train_b, i)));
        }
        assert_ne!(
            images.split(3, 2, 1).unwrap().0,
            images.split(3, 2, 9).unwrap().0
        );
        let message = |r: Result<(Dataset, Dataset)>| r.unwrap_err().message().to_string();
        assert!(message(images.split(9, 2, 1)).starts_with("dataset.perClass"));
        assert!(message(images.split(0, 2, 1)).starts_with("dataset.perClass"));
        assert!(message(images.split(1, 10, 1)).starts_with("dataset.validationPerClass"));
    }

    #[test]
    fn a_task_keeps_some_classes_relabelled_with_the_same_images() {
        let images = ImageBytes::parse(&asset(10)).unwrap();
        let (train_all, val_all) = images.split(3, 2, 5).unwrap();
        let (train, val) = images
            .split_task(&[2, 0], DigitStyle::Plain, 3, 2, 5)
            .unwrap();
        assert_eq!((train.len(), val.len(), train.classes()), (6, 4, 2));
        // Class 2 is label 0 now, class 0 label 1; the images are the ones
        // the 3-way split gives those classes.
        let ids = |d: &Dataset, label: u32| -> Vec<u32> {
            (0..d.len())
                .filter(|&i| d.labels()[i] == label)
                .map(|i| (d.row(i)[0] * 255.0).round() as u32)
                .collect()
        };
        assert_eq!(ids(&train, 0), ids(&train_all, 2));
        assert_eq!(ids(&train, 1), ids(&train_all, 0));
        assert_eq!(ids(&val, 0), ids(&val_all, 2));
        // A style changes the pixels, not which images or labels.
        let (inverted, _) = images
            .split_task(&[2, 0], DigitStyle::Inverted, 3, 2, 5)
            .unwrap();
        assert_eq!(inverted.labels(), train.labels());
        assert_eq!(inverted.row(0)[1], 1.0 - train.row(0)[1]);
        let message = |keep: &[usize]| {
            images
                .split_task(keep, DigitStyle::Plain, 3, 2, 5)
                .unwrap_err()
                .message()
                .to_string()
        };
        assert!(message(&[1]).starts_with("dataset.digits"));
        assert!(message(&[1, 1]).starts_with("dataset.digits"));
        assert!(message(&[0, 3]).starts_with("dataset.digits"));
    }
}
