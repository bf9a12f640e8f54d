//! The shipped digits asset against its source, and the digits a trainer sees.
//!
//! `www/assets/digits.bin.gz` is made by `scripts/make_digits.py` from
//! `scripts/data/mnist_5k.csv.gz`; this test reads both independently of
//! that script (flate2 to inflate, a CSV parser here) and compares every
//! label and pixel.

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;
use trainlab::config::{trainer_setup_with, ConfigValue, DatasetArrays};
use trainlab::nn::{DataSource, ImageBytes, Shape};

fn inflate(path: &str) -> Vec<u8> {
    let file = std::fs::File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut bytes = Vec::new();
    GzDecoder::new(file).read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn the_asset_holds_exactly_the_source_images_and_labels() {
    let csv = String::from_utf8(inflate("scripts/data/mnist_5k.csv.gz")).unwrap();
    let asset = inflate("www/assets/digits.bin.gz");
    let images = ImageBytes::parse(&asset).unwrap();
    assert_eq!(images.shape(), Shape::new(1, 28, 28));
    assert_eq!((images.len(), images.classes()), (5000, 10));
    let mut lines = 0;
    for (i, line) in csv.lines().enumerate() {
        let values: Vec<u8> = line.split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(values.len(), 785, "line {i}");
        assert_eq!(images.image(i), &values[..784], "pixels of image {i}");
        assert_eq!(images.labels()[i], values[784], "label of image {i}");
        lines += 1;
    }
    assert_eq!(lines, 5000);
    // 500 of each digit, as the provenance note says.
    for class in 0..10 {
        let count = images.labels().iter().filter(|&&y| y == class).count();
        assert_eq!(count, 500, "digit {class}");
    }
}

#[test]
fn a_digits_trainer_gets_n_a_class_and_the_fixed_validation_set() {
    let data = inflate("www/assets/digits.bin.gz");
    let settings = |per_class: f64, seed: f64| {
        ConfigValue::Map(
            [
                (
                    "dataset".to_string(),
                    ConfigValue::Map(
                        [
                            ("kind".to_string(), ConfigValue::Text("digits".into())),
                            ("perClass".to_string(), ConfigValue::Number(per_class)),
                        ]
                        .into(),
                    ),
                ),
                ("seed".to_string(), ConfigValue::Number(seed)),
            ]
            .into(),
        )
    };
    let arrays = DatasetArrays {
        data: Some(data),
        ..DatasetArrays::default()
    };
    let split = |per_class, seed| {
        let setup = trainer_setup_with(&settings(per_class, seed), &arrays).unwrap();
        match setup.config.dataset {
            DataSource::Split { train, validation } => (train, validation),
            _ => panic!("digits come split"),
        }
    };
    let (train, val) = split(10.0, 1.0);
    let (other_train, other_val) = split(450.0, 2.0);
    assert_eq!(
        (train.len(), val.len(), other_train.len()),
        (100, 500, 4500)
    );
    assert_eq!(val, other_val, "one validation set for every run");
    assert_ne!(
        train,
        split(10.0, 2.0).0,
        "the training images follow the seed"
    );
    assert!(train.points().iter().all(|&v| (0.0..=1.0).contains(&v)));
    let too_many = trainer_setup_with(&settings(451.0, 1.0), &arrays).unwrap_err();
    assert!(
        too_many.message().starts_with("dataset.perClass"),
        "{too_many}"
    );
}
