//! Bilinear resampling against golden pixels computed independently in
//! plain floats (within ±1 per byte: the kernel rounds its weights to
//! 1/2048), and the exact values a hand calculation gives.

use trainlab::augment::{resample_into, resample_portable_into, CropBox, RgbaView};

/// One golden case: a source image, the box resampled, the output size,
/// the mirroring, and the expected RGBA bytes.
pub struct ResampleCase {
    pub src_size: (u32, u32),
    pub src: &'static [u8],
    pub crop: (i32, i32, u32, u32),
    pub out_size: (u32, u32),
    pub mirror: (bool, bool),
    pub expected: &'static [u8],
}

include!("../reference/resample_golden.rs");

/// Which kernel a check runs: the build's own (SIMD in the browser) or the portable one.
#[derive(Clone, Copy, Debug)]
pub enum Kernel {
    Dispatching,
    Portable,
}

/// Runs `kernel` on `crop` of a `src_size` image.
pub fn run(
    kernel: Kernel,
    src_size: (u32, u32),
    src: &[u8],
    crop: (i32, i32, u32, u32),
    out_size: (u32, u32),
    mirror: (bool, bool),
) -> Vec<u8> {
    let view = RgbaView::new(src_size.0, src_size.1, src).unwrap();
    let crop = CropBox::new(crop.0, crop.1, crop.2, crop.3);
    let mut out = vec![0u8; (out_size.0 * out_size.1 * 4) as usize];
    match kernel {
        Kernel::Dispatching => resample_into(view, crop, out_size, mirror, &mut out),
        Kernel::Portable => resample_portable_into(view, crop, out_size, mirror, &mut out),
    }
    .unwrap();
    out
}

/// Every golden case within ±1 in every byte; returns how many bytes were
/// off by one (the weight rounding), so callers can see the check is tight.
pub fn golden_cases_within_one(kernel: Kernel) -> usize {
    assert!(RESAMPLE_CASES.len() >= 25);
    let mut off_by_one = 0;
    for (index, case) in RESAMPLE_CASES.iter().enumerate() {
        let got = run(
            kernel,
            case.src_size,
            case.src,
            case.crop,
            case.out_size,
            case.mirror,
        );
        assert_eq!(got.len(), case.expected.len());
        for (byte, (&g, &want)) in got.iter().zip(case.expected).enumerate() {
            let pixel = byte / 4;
            let (x, y) = (
                pixel as u32 % case.out_size.0,
                pixel as u32 / case.out_size.0,
            );
            assert!(
                g.abs_diff(want) <= 1,
                "{kernel:?} case {index} ({}×{} box {:?} → {:?}, mirror {:?}): pixel ({x}, {y}) \
                 channel {} is {g}, expected {want} ± 1",
                case.src_size.0,
                case.src_size.1,
                case.crop,
                case.out_size,
                case.mirror,
                byte % 4,
            );
            off_by_one += (g != want) as usize;
        }
    }
    off_by_one
}

/// Hand-computed cases, exact: the module's [a, b] → [a, (a+b)/2, b]; a
/// 2×2 → 4×4 upscale whose inner pixels blend at ¼ and ¾; mirroring.
pub fn hand_computed_cases() {
    let px = |r: u8, g: u8, b: u8, a: u8| [r, g, b, a];
    let src: Vec<u8> = [px(0, 100, 200, 40), px(200, 0, 100, 240)].concat();
    let out = run(
        Kernel::Dispatching,
        (2, 1),
        &src,
        (0, 0, 2, 1),
        (3, 1),
        (false, false),
    );
    assert_eq!(out, [0, 100, 200, 40, 100, 50, 150, 140, 200, 0, 100, 240]);
    let mirrored = run(
        Kernel::Dispatching,
        (2, 1),
        &src,
        (0, 0, 2, 1),
        (3, 1),
        (true, false),
    );
    assert_eq!(
        mirrored,
        [200, 0, 100, 240, 100, 50, 150, 140, 0, 100, 200, 40]
    );

    // 2×2 → 4×4: positions (o + 0.5)/2 − 0.5 = −0.25 (clamped to 0), 0.25,
    // 0.75, 1.25 (clamped to 1); so columns are a, ¾a + ¼b, ¼a + ¾b, b.
    let corners = [0u8, 64, 128, 192]; // top-left, top-right, bottom-left, bottom-right
    let src: Vec<u8> = corners
        .iter()
        .flat_map(|&v| [v, 255 - v, v / 2, 255])
        .collect();
    let out = run(
        Kernel::Dispatching,
        (2, 2),
        &src,
        (0, 0, 2, 2),
        (4, 4),
        (false, false),
    );
    let weights = [0.0, 0.25, 0.75, 1.0];
    for (y, &wy) in weights.iter().enumerate() {
        for (x, &wx) in weights.iter().enumerate() {
            let blend = |f: &dyn Fn(u8) -> f64| {
                let top = f(corners[0]) * (1.0 - wx) + f(corners[1]) * wx;
                let bottom = f(corners[2]) * (1.0 - wx) + f(corners[3]) * wx;
                let v: f64 = top * (1.0 - wy) + bottom * wy;
                (v + 0.5).floor() as u8
            };
            let at = (y * 4 + x) * 4;
            let want = [
                blend(&|v| v as f64),
                blend(&|v| (255 - v) as f64),
                blend(&|v| (v / 2) as f64),
                255,
            ];
            assert_eq!(out[at..at + 4], want, "pixel ({x}, {y})");
        }
    }
}
