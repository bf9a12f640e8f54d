//! Behaviour of the augmentation ops against hand-computed buffers.

use trainlab::augment::*;
use trainlab::rng::Rng;

fn image(width: u32, height: u32, data: Vec<u8>) -> RgbaImage {
    RgbaImage::new(width, height, data).expect("test image")
}

fn random_image(width: u32, height: u32, seed: u64) -> RgbaImage {
    let mut rng = Rng::new(seed);
    let data = (0..width * height * 4)
        .map(|_| rng.below(256) as u8)
        .collect();
    image(width, height, data)
}

/// An image whose red channel labels pixel (x, y) as 1 + x + width·y.
fn labelled(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| [(1 + x + width * y) as u8, 0, 0, 255]).unwrap()
}

fn red_channel(img: &RgbaImage) -> Vec<u8> {
    img.data().chunks(4).map(|p| p[0]).collect()
}

fn max_channel_difference(a: &RgbaImage, b: &RgbaImage) -> i32 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()));
    a.data()
        .iter()
        .zip(b.data())
        .map(|(&x, &y)| (x as i32 - y as i32).abs())
        .max()
        .unwrap()
}

// ---------- image type ----------

#[test]
fn image_constructor_rejects_bad_sizes() {
    assert!(RgbaImage::new(0, 3, vec![]).is_err());
    assert!(RgbaImage::new(3, 0, vec![]).is_err());
    assert!(RgbaView::new(2, 2, &[0u8; 15]).is_err());
    let err = RgbaImage::new(2, 2, vec![0; 12]).unwrap_err();
    assert!(err.message().contains("16"), "{err}");
    let err = RgbaImage::filled(5000, 4000, [0; 4]).unwrap_err();
    assert!(err.message().starts_with("image too large"), "{err}");
    let img = image(2, 1, vec![1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(img.pixel(1, 0), [5, 6, 7, 8]);
}

// ---------- flips ----------

#[test]
fn flips_of_a_three_by_two_image() {
    #[rustfmt::skip]
    let img = image(3, 2, vec![
        1, 2, 3, 4,     5, 6, 7, 8,     9, 10, 11, 12,
        13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    #[rustfmt::skip]
    let mirrored = vec![
        9, 10, 11, 12,  5, 6, 7, 8,     1, 2, 3, 4,
        21, 22, 23, 24, 17, 18, 19, 20, 13, 14, 15, 16,
    ];
    #[rustfmt::skip]
    let upside_down = vec![
        13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        1, 2, 3, 4,     5, 6, 7, 8,     9, 10, 11, 12,
    ];
    assert_eq!(hflip(&img).unwrap().data(), &mirrored[..]);
    assert_eq!(vflip(&img).unwrap().data(), &upside_down[..]);

    let mut out = vec![0u8; 24];
    hflip_into(&img, &mut out).unwrap();
    assert_eq!(out, mirrored);
    vflip_into(&img, &mut out).unwrap();
    assert_eq!(out, upside_down);

    let mut in_place = img.clone();
    hflip_in_place(&mut in_place);
    assert_eq!(in_place.data(), &mirrored[..]);
    let mut in_place = img.clone();
    vflip_in_place(&mut in_place);
    assert_eq!(in_place.data(), &upside_down[..]);
}

#[test]
fn flipping_twice_is_identity() {
    for (w, h) in [(1, 1), (4, 3), (5, 7)] {
        let img = random_image(w, h, 11);
        assert_eq!(hflip(&hflip(&img).unwrap()).unwrap(), img);
        assert_eq!(vflip(&vflip(&img).unwrap()).unwrap(), img);
        let mut twice = img.clone();
        hflip_in_place(&mut twice);
        hflip_in_place(&mut twice);
        vflip_in_place(&mut twice);
        vflip_in_place(&mut twice);
        assert_eq!(twice, img);
    }
}

// ---------- crops ----------

#[test]
fn crop_takes_the_pixels_under_the_box() {
    let img = labelled(4, 3);
    let patch = crop(&img, CropBox::new(1, 1, 2, 2)).unwrap();
    assert_eq!((patch.width(), patch.height()), (2, 2));
    // Labels 1 + x + 4y at (1,1), (2,1), (1,2), (2,2).
    assert_eq!(red_channel(&patch), vec![6, 7, 10, 11]);
    let row = crop(&img, CropBox::new(0, 2, 4, 1)).unwrap();
    assert_eq!(red_channel(&row), vec![9, 10, 11, 12]);

    for bad in [
        CropBox::new(3, 0, 2, 1),
        CropBox::new(0, 2, 1, 2),
        CropBox::new(-1, 0, 1, 1),
        CropBox::new(0, 0, 0, 1),
    ] {
        assert!(crop(&img, bad).is_err(), "{bad:?}");
    }
    let mut out = vec![0u8; 4 * 4];
    crop_into(&img, CropBox::new(2, 1, 2, 2), &mut out).unwrap();
    assert_eq!(
        out.chunks(4).map(|p| p[0]).collect::<Vec<_>>(),
        vec![7, 8, 11, 12]
    );
}

#[test]
fn mirrored_box_matches_flipped_crop() {
    let img = random_image(7, 5, 3);
    let bx = CropBox::new(1, 2, 4, 3);
    let flipped = hflip(&img).unwrap();
    let direct = crop(&flipped, bx).unwrap();
    let via_mirror = hflip(&crop(&img, bx.mirrored_x(7)).unwrap()).unwrap();
    assert_eq!(direct, via_mirror);
}

// ---------- translation and padding ----------

#[test]
fn translate_with_each_padding_mode() {
    // Labels: row 0 = 1 2 3, row 1 = 4 5 6, row 2 = 7 8 9. Shift right 2, up 1:
    // out(x, y) = src(x − 2, y + 1). Fill colour has red 0.
    let img = labelled(3, 3);
    let cases = [
        (
            Padding::Constant([0, 0, 0, 0]),
            vec![0, 0, 4, 0, 0, 7, 0, 0, 0],
        ),
        (Padding::Edge, vec![4, 4, 4, 7, 7, 7, 7, 7, 7]),
        (Padding::Reflect, vec![6, 5, 4, 9, 8, 7, 6, 5, 4]),
        (Padding::Wrap, vec![5, 6, 4, 8, 9, 7, 2, 3, 1]),
    ];
    for (mode, expected) in cases {
        let out = translate(&img, 2, -1, mode).unwrap();
        assert_eq!(red_channel(&out), expected, "{}", mode.name());
        let mut buffer = vec![0u8; 36];
        translate_into(&img, 2, -1, mode, &mut buffer).unwrap();
        assert_eq!(buffer, out.data());
    }
    // The constant fill writes all four channels.
    let out = translate(&img, 1, 0, Padding::Constant([1, 2, 3, 4])).unwrap();
    assert_eq!(out.pixel(0, 0), [1, 2, 3, 4]);
    assert_eq!(out.pixel(1, 0), [1, 0, 0, 255]);
}

#[test]
fn padding_far_outside_keeps_its_pattern() {
    // Reflect of a row of 3 has period 4: indices -4..8 read 2 1 0 1 2 1 0 1 2 1 0 1.
    let reads: Vec<usize> = (-4..8)
        .map(|i| Padding::Reflect.source_index(i, 3).unwrap())
        .collect();
    assert_eq!(reads, vec![0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
    let wraps: Vec<usize> = (-4..4)
        .map(|i| Padding::Wrap.source_index(i, 3).unwrap())
        .collect();
    assert_eq!(wraps, vec![2, 0, 1, 2, 0, 1, 2, 0]);
    assert_eq!(Padding::Reflect.source_index(-5, 1), Some(0));
    assert_eq!(Padding::Constant([0; 4]).source_index(-1, 3), None);
}

// ---------- colour ----------

#[test]
fn brightness_zero_is_black_and_one_is_identity() {
    let img = random_image(5, 4, 1);
    let black = ColorAdjust::from_steps(vec![ColorStep::Brightness(0.0)])
        .unwrap()
        .apply(&img)
        .unwrap();
    for (out, orig) in black.data().chunks(4).zip(img.data().chunks(4)) {
        assert_eq!(&out[..3], &[0, 0, 0]);
        assert_eq!(out[3], orig[3], "alpha is kept");
    }
    let same = ColorAdjust::from_steps(vec![ColorStep::Brightness(1.0)])
        .unwrap()
        .apply(&img)
        .unwrap();
    assert_eq!(same, img);
    // 0.5 × (100, 201, 255) = (50, 100.5, 127.5) → rounded half away from zero.
    let half = ColorAdjust::from_steps(vec![ColorStep::Brightness(0.5)])
        .unwrap()
        .apply(&image(1, 1, vec![100, 201, 255, 9]))
        .unwrap();
    assert_eq!(half.data(), &[50, 101, 128, 9]);
}

#[test]
fn contrast_zero_gives_the_mean_grey_and_one_is_identity() {
    // Luma of pure red 76.245, of pure green 149.685: mean 112.965 → 113.
    let img = image(2, 1, vec![255, 0, 0, 255, 0, 255, 0, 128]);
    let flat = ColorAdjust::from_steps(vec![ColorStep::Contrast(0.0)])
        .unwrap()
        .apply(&img)
        .unwrap();
    assert_eq!(flat.data(), &[113, 113, 113, 255, 113, 113, 113, 128]);
    let random = random_image(6, 5, 2);
    let same = ColorAdjust::from_steps(vec![ColorStep::Contrast(1.0)])
        .unwrap()
        .apply(&random)
        .unwrap();
    assert_eq!(same, random);
    // Greys 100 and 200, mean 150: factor 2 gives 2v − 150 = 50 and 250.
    let greys = image(2, 1, vec![100, 100, 100, 255, 200, 200, 200, 255]);
    let stretched = ColorAdjust::from_steps(vec![ColorStep::Contrast(2.0)])
        .unwrap()
        .apply(&greys)
        .unwrap();
    assert_eq!(stretched.data(), &[50, 50, 50, 255, 250, 250, 250, 255]);
}

#[test]
fn contrast_uses_the_mean_of_the_image_as_it_is_at_that_step() {
    // Brightness 0.5 first turns the greys 100, 200 into 50, 100 (mean 75);
    // contrast 0 then flattens to 75, not to the original mean 150.
    let greys = image(2, 1, vec![100, 100, 100, 255, 200, 200, 200, 255]);
    let out = ColorAdjust::from_steps(vec![ColorStep::Brightness(0.5), ColorStep::Contrast(0.0)])
        .unwrap()
        .apply(&greys)
        .unwrap();
    assert_eq!(out.data(), &[75, 75, 75, 255, 75, 75, 75, 255]);
    // In the other order contrast flattens to 150 first, then halving gives 75 too,
    // but brightness 2 after contrast 0.5 shows the order: 0.5v + 75 = 125, 175 → ×2 → 250, 255.
    let out = ColorAdjust::from_steps(vec![ColorStep::Contrast(0.5), ColorStep::Brightness(2.0)])
        .unwrap()
        .apply(&greys)
        .unwrap();
    assert_eq!(out.data(), &[250, 250, 250, 255, 255, 255, 255, 255]);
}

#[test]
fn grayscale_uses_bt601_weights_and_equals_saturation_zero() {
    // 0.299·255 = 76.2, 0.587·255 = 149.7, 0.114·255 = 29.1.
    let img = image(3, 1, vec![255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30]);
    let grey = grayscale(&img).unwrap();
    assert_eq!(
        grey.data(),
        &[76, 76, 76, 10, 150, 150, 150, 20, 29, 29, 29, 30]
    );
    let random = random_image(9, 7, 5);
    let desaturated = ColorAdjust::from_steps(vec![ColorStep::Saturation(0.0)])
        .unwrap()
        .apply(&random)
        .unwrap();
    assert_eq!(desaturated, grayscale(&random).unwrap());
    let mut in_place = random.clone();
    grayscale_in_place(&mut in_place);
    assert_eq!(in_place, desaturated);
}

#[test]
fn saturation_two_pushes_away_from_grey() {
    // Luma of (200, 100, 50) = 59.8 + 58.7 + 5.7 = 124.2; 124.2 + 2(v − 124.2)
    // = 275.8, 75.8, −24.2 → clamped and rounded 255, 76, 0.
    let img = image(1, 1, vec![200, 100, 50, 77]);
    let out = ColorAdjust::from_steps(vec![ColorStep::Saturation(2.0)])
        .unwrap()
        .apply(&img)
        .unwrap();
    assert_eq!(out.data(), &[255, 76, 0, 77]);
}

fn hue_of(img: &RgbaImage, turns: f64) -> RgbaImage {
    ColorAdjust::from_steps(vec![ColorStep::Hue(turns)])
        .unwrap()
        .apply(img)
        .unwrap()
}

#[test]
fn hue_rotation_by_nothing_or_whole_turns_is_identity() {
    let img = random_image(16, 16, 8);
    assert!(max_channel_difference(&hue_of(&img, 0.0), &img) <= 1);
    assert!(max_channel_difference(&hue_of(&img, 1.0), &img) <= 1);
    assert!(max_channel_difference(&hue_of(&img, -2.0), &img) <= 1);
    let there_and_back = hue_of(&hue_of(&img, 0.27), -0.27);
    assert!(max_channel_difference(&there_and_back, &img) <= 2);
}

#[test]
fn hue_rotation_by_a_third_turn_maps_primaries() {
    let img = image(3, 1, vec![255, 0, 0, 255, 255, 255, 0, 5, 0, 255, 0, 9]);
    let out = hue_of(&img, 1.0 / 3.0);
    // red → green, yellow → cyan, green → blue; alpha kept.
    assert_eq!(out.data(), &[0, 255, 0, 255, 0, 255, 255, 5, 0, 0, 255, 9]);
    let back = hue_of(&image(1, 1, vec![255, 0, 0, 255]), -1.0 / 3.0);
    assert_eq!(back.data(), &[0, 0, 255, 255]);
}

/// Textbook float HSV round trip with the hue shifted, for comparison.
fn reference_hue(rgb: [u8; 3], turns: f64) -> [f64; 3] {
    let [r, g, b] = rgb.map(|v| v as f64 / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    if chroma == 0.0 {
        return [r, g, b].map(|v| v * 255.0);
    }
    let sector = if max == r {
        ((g - b) / chroma).rem_euclid(6.0)
    } else if max == g {
        (b - r) / chroma + 2.0
    } else {
        (r - g) / chroma + 4.0
    };
    let hue = (sector / 6.0 + turns).rem_euclid(1.0) * 6.0;
    let x = chroma * (1.0 - ((hue % 2.0) - 1.0).abs());
    let (r1, g1, b1) = match hue as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    [r1 + min, g1 + min, b1 + min].map(|v| v * 255.0)
}

#[test]
fn hue_rotation_matches_a_float_hsv_reference() {
    let img = random_image(40, 40, 21);
    for turns in [0.05, -0.1, 0.25, 0.5, 0.71] {
        let out = hue_of(&img, turns);
        for (src, dst) in img.data().chunks(4).zip(out.data().chunks(4)) {
            let expected = reference_hue([src[0], src[1], src[2]], turns);
            for c in 0..3 {
                assert!(
                    (dst[c] as f64 - expected[c]).abs() <= 1.0,
                    "{src:?} by {turns}: got {dst:?}, expected {expected:?}"
                );
            }
            assert_eq!(dst[3], src[3]);
        }
    }
}

#[test]
fn jitter_with_neutral_factors_is_identity() {
    let img = random_image(13, 9, 4);
    assert_eq!(color_jitter(&img, &JitterFactors::neutral()).unwrap(), img);
    let mut in_place = img.clone();
    color_jitter_in_place(&mut in_place, &JitterFactors::neutral()).unwrap();
    assert_eq!(in_place, img);
}

#[test]
fn jitter_equals_its_steps_applied_one_by_one() {
    let img = random_image(12, 10, 6);
    let factors = JitterFactors {
        brightness: 1.3,
        contrast: 0.7,
        saturation: 1.4,
        hue: -0.08,
        order: [
            JitterKind::Hue,
            JitterKind::Saturation,
            JitterKind::Contrast,
            JitterKind::Brightness,
        ],
    };
    let fused = color_jitter(&img, &factors).unwrap();
    let mut step_by_step = img.clone();
    for step in [
        ColorStep::Hue(-0.08),
        ColorStep::Saturation(1.4),
        ColorStep::Contrast(0.7),
        ColorStep::Brightness(1.3),
    ] {
        step_by_step = ColorAdjust::from_steps(vec![step])
            .unwrap()
            .apply(&step_by_step)
            .unwrap();
    }
    assert_eq!(fused, step_by_step);
}

#[test]
fn jitter_strengths_draw_in_torchvision_ranges() {
    let strength = JitterStrength {
        brightness: 0.4,
        contrast: 1.5,
        saturation: 0.0,
        hue: 0.1,
    };
    let mut rng = Rng::new(9);
    let (mut lowest, mut highest) = (f64::MAX, f64::MIN);
    for _ in 0..2000 {
        let f = strength.draw(&mut rng);
        assert!((0.6..=1.4).contains(&f.brightness));
        assert!((0.0..=2.5).contains(&f.contrast));
        assert_eq!(f.saturation, 1.0);
        assert!((-0.1..=0.1).contains(&f.hue));
        lowest = lowest.min(f.brightness);
        highest = highest.max(f.brightness);
        let mut kinds: Vec<&str> = f.order.iter().map(|k| k.name()).collect();
        kinds.sort();
        assert_eq!(kinds, vec!["brightness", "contrast", "hue", "saturation"]);
    }
    assert!(lowest < 0.62 && highest > 1.38, "draws cover the range");
}

#[test]
fn lighting_adds_the_principal_component_shift() {
    // α = (1, 0, 0): shift = 255 · 0.2175 · (−0.5675, −0.5808, −0.5836)
    //             = (−31.475, −32.213, −32.368); 100 + shift → 69, 68, 68.
    let img = image(1, 1, vec![100, 100, 100, 200]);
    let out = lighting(&img, [1.0, 0.0, 0.0]).unwrap();
    assert_eq!(out.data(), &[69, 68, 68, 200]);
    let shift = pca_lighting_shift([0.0, 0.0, 2.0]);
    // 2 · 0.0045 · 255 · (0.4009, −0.8140, 0.4203).
    let expected = [0.920_065_5, -1.868_13, 0.964_588_5];
    for c in 0..3 {
        assert!((shift[c] - expected[c]).abs() < 1e-6);
    }
    // The eigenvectors (columns) are orthonormal to the printed precision.
    let v = IMAGENET_EIGENVECTORS;
    for i in 0..3 {
        for j in 0..3 {
            let dot: f64 = (0..3).map(|c| v[c][i] * v[c][j]).sum();
            let target = if i == j { 1.0 } else { 0.0 };
            assert!((dot - target).abs() < 2e-3, "columns {i}, {j}: {dot}");
        }
    }
}

#[test]
fn color_steps_reject_bad_factors() {
    assert!(ColorStep::Brightness(-0.1).validate().is_err());
    assert!(ColorStep::Contrast(f64::NAN).validate().is_err());
    assert!(ColorStep::Hue(f64::INFINITY).validate().is_err());
    assert!(ColorAdjust::new()
        .then(ColorStep::Saturation(-1.0))
        .is_err());
}

// ---------- resampling ----------

#[test]
fn bilinear_resize_of_a_constant_image_stays_constant() {
    let img = RgbaImage::filled(5, 4, [37, 99, 200, 255]).unwrap();
    for (w, h) in [(7, 3), (2, 9), (1, 1), (5, 4), (13, 11)] {
        let out = resize_bilinear(&img, w, h).unwrap();
        assert!(
            out.data().chunks(4).all(|p| p == [37, 99, 200, 255]),
            "{w}×{h}"
        );
    }
}

#[test]
fn bilinear_resize_of_two_pixels_follows_the_pixel_centre_convention() {
    // Half-pixel centres: output o reads source (o + 0.5)·2/n − 0.5, clamped.
    // n = 3: −1/6 → 0, 1/2, 7/6 → 1: values a, (a + b)/2, b.
    let img = image(2, 1, vec![0, 100, 90, 255, 90, 0, 30, 255]);
    let out = resize_bilinear(&img, 3, 1).unwrap();
    assert_eq!(
        out.data(),
        &[0, 100, 90, 255, 45, 50, 60, 255, 90, 0, 30, 255]
    );
    // n = 4: −0.25 → 0, 0.25, 0.75, 1.25 → 1: a, 0.75a + 0.25b, 0.25a + 0.75b, b.
    let img = image(2, 1, vec![0, 200, 0, 255, 100, 0, 0, 255]);
    let out = resize_bilinear(&img, 4, 1).unwrap();
    assert_eq!(red_channel(&out), vec![0, 25, 75, 100]);
    assert_eq!(
        out.data().chunks(4).map(|p| p[1]).collect::<Vec<_>>(),
        vec![200, 150, 50, 0]
    );
}

#[test]
fn resized_crop_equals_crop_then_resize() {
    let img = random_image(30, 20, 12);
    let bx = CropBox::new(4, 3, 17, 11);
    let fused = resized_crop(&img, bx, 9, 14).unwrap();
    let two_steps = resize_bilinear(&crop(&img, bx).unwrap(), 9, 14).unwrap();
    assert_eq!(fused, two_steps);
    // Same-size resize is the identity.
    assert_eq!(resize_bilinear(&img, 30, 20).unwrap(), img);
}

#[test]
fn area_downscale_averages_the_covered_pixels() {
    // 4×2 → 2×1: each output is the mean of a 2×2 block.
    #[rustfmt::skip]
    let img = image(4, 2, vec![
        0, 0, 0, 255,   4, 8, 0, 255,   100, 0, 0, 255, 100, 0, 0, 255,
        8, 4, 0, 255,   0, 0, 2, 255,   0, 0, 0, 255,   200, 0, 0, 255,
    ]);
    let out = resize_area(&img, 2, 1).unwrap();
    assert_eq!(out.data(), &[3, 3, 1, 255, 100, 0, 0, 255]);
    // 3×1 → 2×1: each output covers 1.5 pixels: (0 + 0.5·30)/1.5 = 10, (0.5·30 + 90)/1.5 = 70.
    let img = image(3, 1, vec![0, 0, 0, 255, 30, 0, 0, 255, 90, 0, 0, 255]);
    assert_eq!(red_channel(&resize_area(&img, 2, 1).unwrap()), vec![10, 70]);
    assert!(resize_area(&img, 4, 1).is_err(), "area resize only shrinks");
}

#[test]
fn downscale_to_fit_keeps_the_aspect_ratio() {
    let img = random_image(40, 30, 1);
    let small = downscale_to_fit(&img, 8).unwrap();
    assert_eq!((small.width(), small.height()), (8, 6));
    let tall = downscale_to_fit(&random_image(10, 25, 2), 5).unwrap();
    assert_eq!((tall.width(), tall.height()), (2, 5));
    assert_eq!(downscale_to_fit(&img, 64).unwrap(), img);
    assert!(downscale_to_fit(&img, 0).is_err());
}

// ---------- rotation ----------

fn transpose(img: &RgbaImage) -> RgbaImage {
    RgbaImage::from_fn(img.height(), img.width(), |x, y| img.pixel(y, x)).unwrap()
}

#[test]
fn rotation_by_zero_is_identity_and_quarter_turns_permute_pixels() {
    for n in [3, 4, 7] {
        let img = random_image(n, n, n as u64);
        assert_eq!(rotate(&img, 0.0, [0; 4]).unwrap(), img);
        // Counter-clockwise by 90°: out(x, y) = src(n − 1 − y, x), a transpose then a vertical flip.
        let quarter = rotate(&img, 90.0, [0; 4]).unwrap();
        assert_eq!(quarter, vflip(&transpose(&img)).unwrap(), "n = {n}");
        let half = rotate(&img, 180.0, [0; 4]).unwrap();
        assert_eq!(half, hflip(&vflip(&img).unwrap()).unwrap());
        assert_eq!(rotate(&img, 360.0, [0; 4]).unwrap(), img);
    }
    // A 3×2 image turned 180° is still a permutation of its own pixels.
    let img = random_image(3, 2, 40);
    assert_eq!(
        rotate(&img, 180.0, [0; 4]).unwrap(),
        hflip(&vflip(&img).unwrap()).unwrap()
    );
}

#[test]
fn rotation_fills_the_uncovered_corners() {
    let img = RgbaImage::filled(8, 8, [200, 100, 50, 255]).unwrap();
    let fill = [1, 2, 3, 0];
    let out = rotate(&img, 45.0, fill).unwrap();
    assert_eq!(out.pixel(0, 0), fill);
    assert_eq!(out.pixel(7, 7), fill);
    assert_eq!(out.pixel(3, 4), [200, 100, 50, 255]);
    assert!(rotate(&img, f64::NAN, fill).is_err());
}

// ---------- erasing ----------

#[test]
fn cutout_fills_exactly_the_box() {
    let img = random_image(5, 4, 30);
    let region = CropBox::new(1, 1, 3, 2);
    let out = erase(&img, region, EraseFill::Constant([9, 8, 7])).unwrap();
    for y in 0..4 {
        for x in 0..5 {
            let inside = (1..4).contains(&x) && (1..3).contains(&y);
            let (got, orig) = (out.pixel(x, y), img.pixel(x, y));
            if inside {
                assert_eq!(got, [9, 8, 7, orig[3]], "({x}, {y})");
            } else {
                assert_eq!(got, orig, "({x}, {y})");
            }
        }
    }
    let noisy = erase(&img, region, EraseFill::Noise { seed: 5 }).unwrap();
    assert_eq!(
        noisy,
        erase(&img, region, EraseFill::Noise { seed: 5 }).unwrap()
    );
    assert_ne!(
        noisy,
        erase(&img, region, EraseFill::Noise { seed: 6 }).unwrap()
    );
    for y in 0..4 {
        for x in 0..5 {
            let inside = (1..4).contains(&x) && (1..3).contains(&y);
            if !inside {
                assert_eq!(noisy.pixel(x, y), img.pixel(x, y));
            }
            assert_eq!(noisy.pixel(x, y)[3], img.pixel(x, y)[3]);
        }
    }
    assert!(erase(&img, CropBox::new(3, 0, 3, 1), EraseFill::Constant([0; 3])).is_err());
}

#[test]
fn random_erase_boxes_fit() {
    let mut rng = Rng::new(2);
    let mut drawn = 0;
    for _ in 0..500 {
        if let Some(b) = random_erase_box(40, 30, (0.02, 0.33), (0.3, 3.3), &mut rng).unwrap() {
            assert!(b.fits_inside(40, 30), "{b:?}");
            drawn += 1;
        }
    }
    assert!(drawn > 450);
}

// ---------- random crops ----------

#[test]
fn random_resized_crop_boxes_lie_inside_and_respect_the_ranges() {
    let scale = (0.08, 1.0);
    let ratio = (3.0 / 4.0, 4.0 / 3.0);
    // Fallback (centre crop with the ratio clamped into range), by hand:
    // 451/300 > 4/3 → height 300, width round(400) = 400 at x = 25;
    // 64×64 is within range → the whole image; 100/37 > 4/3 → 49×37 at x = 25.
    let cases = [
        (451u32, 300u32, CropBox::new(25, 0, 400, 300)),
        (64, 64, CropBox::new(0, 0, 64, 64)),
        (100, 37, CropBox::new(25, 0, 49, 37)),
    ];
    for (width, height, fallback_box) in cases {
        let area = (width * height) as f64;
        let mut rng = Rng::new(width as u64);
        let mut fallbacks = 0;
        for _ in 0..2000 {
            let draw = random_resized_crop_box(width, height, scale, ratio, &mut rng).unwrap();
            let b = draw.crop;
            assert!(b.fits_inside(width, height), "{b:?}");
            if draw.fallback {
                assert_eq!(b, fallback_box);
                fallbacks += 1;
                continue;
            }
            // Sides are sqrt(target·ratio) and sqrt(target/ratio) rounded, so the
            // drawn values lie within half a pixel of each side.
            let (w, h) = (b.width as f64, b.height as f64);
            assert!((w - 0.5) * (h - 0.5) <= scale.1 * area + 1e-9, "{b:?}");
            assert!((w + 0.5) * (h + 0.5) >= scale.0 * area - 1e-9, "{b:?}");
            assert!(
                (w + 0.5) / (h - 0.5) >= ratio.0 && (w - 0.5) / (h + 0.5) <= ratio.1,
                "{b:?}"
            );
        }
        // Large areas rarely fit a wide image at ratio ≤ 4/3, so fallbacks are
        // rare but not impossible; ten attempts keep them under 5 %.
        assert!(fallbacks < 100, "{width}×{height}: {fallbacks} fallbacks");
    }
}

#[test]
fn random_resized_crop_falls_back_to_a_centre_crop() {
    // On a 100×100 image, ratio ≥ 3 and area ≥ 0.9 never fit: width would be ≥ 164.
    // Fallback: image ratio 1 < 3, so width 100, height round(100 / 3) = 33, centred.
    let mut rng = Rng::new(0);
    let draw = random_resized_crop_box(100, 100, (0.9, 1.0), (3.0, 4.0), &mut rng).unwrap();
    assert!(draw.fallback);
    assert_eq!(draw.crop, CropBox::new(0, 33, 100, 33));
    assert!(random_resized_crop_box(100, 100, (0.0, 1.0), (0.75, 1.33), &mut rng).is_err());
}

#[test]
fn random_crop_boxes_stay_within_the_padding() {
    let mut rng = Rng::new(4);
    let (mut min_x, mut max_x) = (i32::MAX, i32::MIN);
    for _ in 0..2000 {
        let b = random_crop_box(32, 32, 32, 32, 4, &mut rng).unwrap();
        assert!((-4..=4).contains(&b.x) && (-4..=4).contains(&b.y), "{b:?}");
        min_x = min_x.min(b.x);
        max_x = max_x.max(b.x);
    }
    assert_eq!((min_x, max_x), (-4, 4));
    assert!(random_crop_box(32, 32, 41, 8, 4, &mut rng).is_err());
}

// ---------- test-time crops ----------

#[test]
fn five_and_ten_crop_boxes() {
    let boxes = five_crop_boxes(10, 8, 4, 4).unwrap();
    assert_eq!(
        boxes,
        [
            CropBox::new(0, 0, 4, 4),
            CropBox::new(6, 0, 4, 4),
            CropBox::new(0, 4, 4, 4),
            CropBox::new(6, 4, 4, 4),
            CropBox::new(3, 2, 4, 4),
        ]
    );
    let ten = ten_crop(10, 8, 4, 4).unwrap();
    assert_eq!(ten.iter().filter(|c| c.hflip).count(), 5);
    let img = random_image(10, 8, 3);
    let patch = tta_crop(&img, &ten[6]).unwrap();
    assert_eq!(patch, hflip(&crop(&img, boxes[1]).unwrap()).unwrap());
    assert!(five_crop_boxes(10, 8, 11, 4).is_err());
}

// ---------- buffer and size checks ----------

#[test]
fn into_forms_reject_wrong_size_buffers() {
    let img = random_image(4, 3, 1);
    let mut short = vec![0u8; 4 * 3 * 4 - 1];
    assert!(hflip_into(&img, &mut short).is_err());
    assert!(vflip_into(&img, &mut short).is_err());
    assert!(rotate_into(&img, 10.0, [0; 4], &mut short).is_err());
    assert!(translate_into(&img, 1, 1, Padding::Edge, &mut short).is_err());
    assert!(grayscale_into(&img, &mut short).is_err());
    assert!(lighting_into(&img, [0.1; 3], &mut short).is_err());
    assert!(color_jitter_into(&img, &JitterFactors::neutral(), &mut short).is_err());
    assert!(erase_into(
        &img,
        CropBox::new(0, 0, 1, 1),
        EraseFill::Constant([0; 3]),
        &mut short
    )
    .is_err());
    let mut wrong = vec![0u8; 3 * 3 * 4];
    assert!(crop_into(&img, CropBox::new(0, 0, 2, 2), &mut wrong).is_err());
    assert!(resize_bilinear_into(&img, 2, 2, &mut wrong).is_err());
    assert!(resize_area_into(&img, 2, 2, &mut wrong).is_err());
    let err = hflip_into(&img, &mut wrong).unwrap_err();
    assert!(err.message().contains("expected 48"), "{err}");
}

#[test]
fn zero_sized_requests_are_errors() {
    let img = random_image(4, 3, 1);
    assert!(resize_bilinear(&img, 0, 5).is_err());
    assert!(resize_bilinear(&img, 5, 0).is_err());
    assert!(resized_crop(&img, CropBox::new(0, 0, 0, 2), 4, 4).is_err());
    assert!(resize_area(&img, 0, 1).is_err());
    assert!(crop_padded(&img, CropBox::new(0, 0, 0, 1), Padding::Edge).is_err());
    let mut nothing: [u8; 0] = [];
    assert!(RgbaViewMut::new(0, 0, &mut nothing).is_err());
}

// ---------- pipeline ----------

fn standard_pipeline() -> Pipeline {
    Pipeline::new(vec![
        OpSpec::HFlip { p: 0.5 },
        OpSpec::RandomResizedCrop {
            p: 1.0,
            scale: (0.08, 1.0),
            ratio: (0.75, 4.0 / 3.0),
            size: (24, 24),
        },
        OpSpec::ColorJitter {
            p: 1.0,
            brightness: 0.4,
            contrast: 0.4,
            saturation: 0.4,
            hue: 0.1,
        },
    ])
    .unwrap()
}

#[test]
fn same_seed_same_sample_and_different_seeds_differ() {
    let img = random_image(45, 30, 77);
    let pipeline = standard_pipeline();
    let (a, report_a) = pipeline.apply(&img, 5).unwrap();
    let (b, report_b) = pipeline.apply(&img, 5).unwrap();
    assert_eq!(a, b);
    assert_eq!(report_a, report_b);
    assert_eq!((a.width(), a.height()), (24, 24));
    let (c, report_c) = pipeline.apply(&img, 6).unwrap();
    assert_ne!(a, c);
    assert_ne!(report_a, report_c);
    assert_eq!(report_a.len(), 3);
}

#[test]
fn pipeline_output_equals_the_reported_ops_applied_one_by_one() {
    let img = random_image(45, 30, 78);
    let pipeline = Pipeline::new(vec![
        OpSpec::HFlip { p: 0.5 },
        OpSpec::VFlip { p: 0.5 },
        OpSpec::RandomResizedCrop {
            p: 1.0,
            scale: (0.2, 1.0),
            ratio: (0.5, 2.0),
            size: (20, 16),
        },
        OpSpec::ColorJitter {
            p: 0.8,
            brightness: 0.4,
            contrast: 0.4,
            saturation: 0.4,
            hue: 0.1,
        },
        OpSpec::Lighting { p: 0.5, std: 0.1 },
        OpSpec::Grayscale { p: 0.2 },
    ])
    .unwrap();
    let mut saw_flip = [false; 2];
    for seed in 0..40 {
        let (out, report) = pipeline.apply(&img, seed).unwrap();
        let mut expected = img.clone();
        for op in &report {
            expected = match *op {
                AppliedOp::Skipped { .. } => expected,
                AppliedOp::HFlip => {
                    saw_flip[0] = true;
                    hflip(&expected).unwrap()
                }
                AppliedOp::VFlip => {
                    saw_flip[1] = true;
                    vflip(&expected).unwrap()
                }
                AppliedOp::RandomResizedCrop { crop, .. } => {
                    assert!(crop.fits_inside(expected.width(), expected.height()));
                    resized_crop(&expected, crop, 20, 16).unwrap()
                }
                AppliedOp::ColorJitter(factors) => color_jitter(&expected, &factors).unwrap(),
                AppliedOp::Lighting { alpha, .. } => lighting(&expected, alpha).unwrap(),
                AppliedOp::Grayscale => grayscale(&expected).unwrap(),
                other => panic!("unexpected op {other:?}"),
            };
        }
        assert_eq!(out, expected, "seed {seed}: {report:?}");
    }
    assert_eq!(saw_flip, [true, true]);
}

#[test]
fn geometric_pipeline_ops_match_their_functions() {
    let img = random_image(20, 16, 79);
    let pipeline = Pipeline::new(vec![
        OpSpec::HFlip { p: 0.5 },
        OpSpec::Rotate {
            p: 1.0,
            degrees: (-30.0, 30.0),
            fill: [0, 0, 0, 255],
        },
        OpSpec::Translate {
            p: 1.0,
            max_shift: (0.2, 0.1),
            padding: Padding::Reflect,
        },
        OpSpec::RandomCrop {
            p: 1.0,
            size: (16, 16),
            padding: 2,
            padding_mode: Padding::Constant([0, 0, 0, 255]),
        },
        OpSpec::Cutout {
            p: 1.0,
            scale: (0.02, 0.2),
            ratio: (0.3, 3.3),
            fill: CutoutFill::Constant([127, 127, 127]),
        },
    ])
    .unwrap();
    for seed in 0..20 {
        let (out, report) = pipeline.apply(&img, seed).unwrap();
        let mut expected = img.clone();
        for op in &report {
            expected = match *op {
                AppliedOp::Skipped { .. } => expected,
                AppliedOp::HFlip => hflip(&expected).unwrap(),
                AppliedOp::Rotate { degrees } => {
                    assert!((-30.0..=30.0).contains(&degrees));
                    rotate(&expected, degrees, [0, 0, 0, 255]).unwrap()
                }
                AppliedOp::Translate { dx, dy } => {
                    assert!(dx.abs() <= 4 && dy.abs() <= 2, "{dx}, {dy}");
                    translate(&expected, dx, dy, Padding::Reflect).unwrap()
                }
                AppliedOp::RandomCrop { crop } => {
                    crop_padded(&expected, crop, Padding::Constant([0, 0, 0, 255])).unwrap()
                }
                AppliedOp::Cutout { region } => match region {
                    Some(r) => erase(&expected, r, EraseFill::Constant([127; 3])).unwrap(),
                    None => expected,
                },
                other => panic!("unexpected op {other:?}"),
            };
        }
        assert_eq!(out, expected, "seed {seed}: {report:?}");
    }
}

#[test]
fn pipeline_with_probability_zero_ops_returns_the_input() {
    let img = random_image(10, 10, 1);
    let pipeline = Pipeline::new(vec![
        OpSpec::HFlip { p: 0.0 },
        OpSpec::ColorJitter {
            p: 1.0,
            brightness: 0.0,
            contrast: 0.0,
            saturation: 0.0,
            hue: 0.0,
        },
    ])
    .unwrap();
    let (out, report) = pipeline.apply(&img, 3).unwrap();
    assert_eq!(out, img);
    assert_eq!(
        report[0],
        AppliedOp::Skipped {
            kind: OpKind::HFlip
        }
    );
    assert!(!report[0].was_applied());
    match report[1] {
        AppliedOp::ColorJitter(f) => {
            assert_eq!(
                (f.brightness, f.contrast, f.saturation, f.hue),
                (1.0, 1.0, 1.0, 0.0)
            )
        }
        other => panic!("expected a jitter report, got {other:?}"),
    }
}

#[test]
fn changing_one_op_does_not_change_what_the_others_draw() {
    let img = random_image(40, 30, 2);
    let with = |p: f64| {
        Pipeline::new(vec![
            OpSpec::HFlip { p },
            OpSpec::Rotate {
                p: 1.0,
                degrees: (-10.0, 10.0),
                fill: [0; 4],
            },
        ])
        .unwrap()
        .apply(&img, 42)
        .unwrap()
        .1[1]
    };
    assert_eq!(with(0.0), with(1.0));
}

#[test]
fn spec_errors_name_the_key() {
    let cases: Vec<(OpSpec, &str)> = vec![
        (OpSpec::HFlip { p: 1.5 }, "hflip.p"),
        (
            OpSpec::RandomResizedCrop {
                p: 1.0,
                scale: (0.5, 0.2),
                ratio: (0.75, 1.333),
                size: (224, 224),
            },
            "random_resized_crop.scale",
        ),
        (
            OpSpec::RandomResizedCrop {
                p: 1.0,
                scale: (0.3, 1.0),
                ratio: (-1.0, 1.333),
                size: (224, 224),
            },
            "random_resized_crop.ratio",
        ),
        (
            OpSpec::RandomResizedCrop {
                p: 1.0,
                scale: (0.3, 1.0),
                ratio: (0.75, 1.333),
                size: (0, 224),
            },
            "random_resized_crop.size",
        ),
        (
            OpSpec::ColorJitter {
                p: 1.0,
                brightness: 0.4,
                contrast: 0.4,
                saturation: 0.4,
                hue: 0.7,
            },
            "color_jitter.hue",
        ),
        (
            OpSpec::ColorJitter {
                p: 1.0,
                brightness: -0.4,
                contrast: 0.4,
                saturation: 0.4,
                hue: 0.1,
            },
            "color_jitter.brightness",
        ),
        (
            OpSpec::Lighting {
                p: 1.0,
                std: f64::NAN,
            },
            "lighting.std",
        ),
        (
            OpSpec::Rotate {
                p: 1.0,
                degrees: (10.0, -10.0),
                fill: [0; 4],
            },
            "rotate.degrees",
        ),
        (
            OpSpec::Translate {
                p: 1.0,
                max_shift: (0.1, 1.5),
                padding: Padding::Edge,
            },
            "translate.maxShift",
        ),
        (
            OpSpec::Cutout {
                p: 1.0,
                scale: (0.0, 0.3),
                ratio: (0.3, 3.3),
                fill: CutoutFill::Noise,
            },
            "cutout.scale",
        ),
        (
            OpSpec::RandomCrop {
                p: 1.0,
                size: (32, 0),
                padding: 4,
                padding_mode: Padding::Reflect,
            },
            "random_crop.size",
        ),
        (OpSpec::Grayscale { p: -0.1 }, "grayscale.p"),
    ];
    for (spec, key) in cases {
        let err = spec.validate().unwrap_err();
        assert!(err.message().starts_with(key), "{key}: {err}");
        let err = Pipeline::new(vec![OpSpec::VFlip { p: 0.5 }, spec]).unwrap_err();
        assert!(err.message().starts_with(&format!("op 1: {key}")), "{err}");
    }
}

#[test]
fn random_crop_larger_than_the_padded_image_is_an_error() {
    let pipeline = Pipeline::new(vec![OpSpec::RandomCrop {
        p: 1.0,
        size: (32, 32),
        padding: 2,
        padding_mode: Padding::Edge,
    }])
    .unwrap();
    let err = pipeline.apply(&random_image(20, 20, 1), 0).unwrap_err();
    assert!(err.message().contains("random_crop.size"), "{err}");
}

#[test]
fn apply_reusing_a_spare_buffer_gives_the_same_result_as_apply() {
    let source = random_image(37, 23, 5);
    let pipeline = Pipeline::new(vec![
        OpSpec::HFlip { p: 0.5 },
        OpSpec::RandomResizedCrop {
            p: 1.0,
            scale: (0.2, 1.0),
            ratio: (0.75, 4.0 / 3.0),
            size: (19, 11),
        },
        OpSpec::ColorJitter {
            p: 1.0,
            brightness: 0.4,
            contrast: 0.4,
            saturation: 0.4,
            hue: 0.1,
        },
    ])
    .unwrap();
    // Spares of the wrong size full of stale bytes must not leak into the output.
    let mut spare = vec![0xa5u8; 7];
    for seed in 0..40 {
        let (expected, expected_report) = pipeline.apply(&source, seed).unwrap();
        let (reused, report) = pipeline.apply_reusing(&source, seed, spare).unwrap();
        assert_eq!(reused, expected, "seed {seed}");
        assert_eq!(report, expected_report, "seed {seed}");
        spare = reused.into_data();
        spare
            .iter_mut()
            .for_each(|byte| *byte = byte.wrapping_mul(31) ^ 0x5a);
        spare.resize(19 * 11 * 4 + (seed as usize % 3) * 50, 0xee);
    }
}

#[test]
fn flips_after_a_resized_crop_mirror_its_output() {
    let source = random_image(29, 21, 8);
    let crop = OpSpec::RandomResizedCrop {
        p: 1.0,
        scale: (0.2, 1.0),
        ratio: (0.5, 2.0),
        size: (13, 9),
    };
    let jitter = OpSpec::ColorJitter {
        p: 1.0,
        brightness: 0.5,
        contrast: 0.5,
        saturation: 0.5,
        hue: 0.2,
    };
    // Each op draws from its own generator, seeded in op order, so the
    // crop and the jitter draw the same with and without the flips after them.
    let plain = Pipeline::new(vec![crop, jitter]).unwrap();
    let flipped = Pipeline::new(vec![
        crop,
        jitter,
        OpSpec::HFlip { p: 1.0 },
        OpSpec::VFlip { p: 1.0 },
    ])
    .unwrap();
    let mirrored_once = Pipeline::new(vec![crop, OpSpec::HFlip { p: 1.0 }, jitter]).unwrap();
    for seed in 0..30 {
        let (expected, _) = plain.apply(&source, seed).unwrap();
        let (both, report) = flipped.apply(&source, seed).unwrap();
        assert_eq!(
            both,
            vflip(&hflip(&expected).unwrap()).unwrap(),
            "seed {seed}"
        );
        assert_eq!(report[2], AppliedOp::HFlip);
        let (once, _) = mirrored_once.apply(&source, seed).unwrap();
        assert_eq!(once.width(), 13);
        // Colour is per pixel, so it commutes with the mirror.
        let (expected_once, _) = Pipeline::new(vec![crop, OpSpec::HFlip { p: 0.0 }, jitter])
            .unwrap()
            .apply(&source, seed)
            .unwrap();
        assert_eq!(once, hflip(&expected_once).unwrap(), "seed {seed}");
    }
}
