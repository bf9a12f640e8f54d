#!/usr/bin/env python3
"""Reference pixels for trainlab's bilinear resample (src/augment/resize.rs).

Computed independently of the Rust code: plain floats, each output value the
2-D bilinear blend of its four source pixels, rounded half up once. The
convention is the one the module documents (OpenCV, PIL, PyTorch with
align_corners=False): output pixel o of n_out reads the source at
(o + 0.5) * n_src / n_out - 0.5, clamped to the first and last source pixel
of the box; a mirrored axis reads output o from index n_out - 1 - o.

The Rust code rounds its weights to 1/2048 and its sums once; the float
blend here may differ from it by at most 1 in any byte (the weight rounding
moves a value by at most 255 * 4/4096 ~ 0.25 before the final rounding).

Cases cover source widths 1 (the portable path even in a simd128 build),
2, 3, 5, 7 and 9, boxes touching the right and bottom edges (the SIMD path
starts the last column's pair one pixel early), output widths 1 to 9 (every
remainder of the four-pixel SIMD groups), up- and downscaling, and all four
mirror combinations. Every channel, alpha included, varies.

Regenerate (from the crate root):
    python3 tests/reference/resample_reference.py
which rewrites tests/reference/resample_golden.rs next to this script.
"""

import math
import os


def lcg_bytes(count, seed):
    """Deterministic bytes from a 32-bit linear congruential generator."""
    state = seed & 0xFFFFFFFF
    out = []
    for _ in range(count):
        state = (1664525 * state + 1013904223) & 0xFFFFFFFF
        out.append(state >> 24)
    return out


def source_position(o, n_out, start, n_box, mirror):
    index = n_out - 1 - o if mirror else o
    pos = (index + 0.5) * n_box / n_out - 0.5
    pos = min(max(pos, 0.0), n_box - 1.0)
    below = math.floor(pos)
    above = min(below + 1, n_box - 1)
    return start + below, start + above, pos - below


def resample(src, src_w, box, out_w, out_h, mirror_x, mirror_y):
    bx, by, bw, bh = box
    out = []
    for oy in range(out_h):
        y0, y1, fy = source_position(oy, out_h, by, bh, mirror_y)
        for ox in range(out_w):
            x0, x1, fx = source_position(ox, out_w, bx, bw, mirror_x)
            for c in range(4):
                p = lambda x, y: src[(y * src_w + x) * 4 + c]
                value = ((1 - fy) * ((1 - fx) * p(x0, y0) + fx * p(x1, y0))
                         + fy * ((1 - fx) * p(x0, y1) + fx * p(x1, y1)))
                out.append(int(math.floor(value + 0.5)))
    return out


# (source width, height, box (x, y, w, h), output (w, h), mirror (x, y))
CASES = [
    # The module's own example: [a, b] -> [a, (a + b)/2, b], one row.
    (2, 1, (0, 0, 2, 1), (3, 1), (False, False)),
    # Width-1 sources: the portable path in every build.
    (1, 5, (0, 0, 1, 5), (4, 3), (False, False)),
    (1, 5, (0, 1, 1, 3), (3, 7), (True, True)),
    # Whole images, every output width 1..9 (remainders 0..3 of four-pixel groups).
    (2, 2, (0, 0, 2, 2), (1, 1), (False, False)),
    (2, 2, (0, 0, 2, 2), (5, 3), (False, False)),
    (3, 2, (0, 0, 3, 2), (2, 2), (True, False)),
    (5, 3, (0, 0, 5, 3), (3, 4), (False, True)),
    (5, 3, (0, 0, 5, 3), (4, 2), (True, True)),
    (5, 3, (0, 0, 5, 3), (6, 5), (False, False)),
    (7, 4, (0, 0, 7, 4), (7, 3), (True, False)),
    (7, 4, (0, 0, 7, 4), (8, 6), (False, False)),
    (7, 4, (0, 0, 7, 4), (9, 2), (False, True)),
    (9, 6, (0, 0, 9, 6), (4, 3), (False, False)),
    (9, 6, (0, 0, 9, 6), (5, 5), (True, True)),
    # Boxes inside the image, touching the right edge (the last-column pair).
    (9, 6, (4, 1, 5, 4), (9, 5), (False, False)),
    (9, 6, (6, 2, 3, 4), (7, 7), (True, False)),
    (9, 6, (7, 0, 2, 6), (3, 3), (False, True)),
    (5, 3, (3, 0, 2, 3), (6, 2), (True, True)),
    (7, 4, (6, 1, 1, 3), (2, 5), (False, False)),
    # Boxes away from the edges, up and down.
    (9, 6, (1, 1, 6, 4), (3, 2), (False, False)),
    (9, 6, (2, 3, 3, 2), (8, 4), (True, False)),
    (7, 4, (1, 0, 4, 4), (1, 3), (False, True)),
    (7, 4, (2, 1, 3, 2), (9, 9), (True, True)),
    # A wider row: several full four-pixel groups and a remainder of 3.
    (16, 3, (0, 0, 16, 3), (15, 2), (False, False)),
    (16, 3, (3, 0, 13, 3), (23, 3), (True, False)),
]


def rust_bytes(values, indent):
    lines = []
    for start in range(0, len(values), 16):
        chunk = values[start:start + 16]
        lines.append(" " * indent + ", ".join(str(v) for v in chunk) + ",")
    return "\n".join(lines)


def main():
    blocks = []
    for index, (sw, sh, box, (ow, oh), (mx, my)) in enumerate(CASES):
        src = lcg_bytes(sw * sh * 4, seed=1000 + index)
        out = resample(src, sw, box, ow, oh, mx, my)
        assert len(out) == ow * oh * 4
        bx, by, bw, bh = box
        assert bx + bw <= sw and by + bh <= sh
        blocks.append(
            "    ResampleCase {\n"
            f"        src_size: ({sw}, {sh}),\n"
            "        src: &[\n"
            f"{rust_bytes(src, 12)}\n"
            "        ],\n"
            f"        crop: ({bx}, {by}, {bw}, {bh}),\n"
            f"        out_size: ({ow}, {oh}),\n"
            f"        mirror: ({'true' if mx else 'false'}, {'true' if my else 'false'}),\n"
            "        expected: &[\n"
            f"{rust_bytes(out, 12)}\n"
            "        ],\n"
            "    },"
        )
    text = (
        "// @generated by tests/reference/resample_reference.py -- do not edit by hand.\n"
        "// Regenerate from the crate root with:\n"
        "//     python3 tests/reference/resample_reference.py\n"
        "// Bilinear resamples computed in plain floats (half-pixel centres, clamped\n"
        "// edges, optional mirroring), rounded half up: within 1 of trainlab's\n"
        "// fixed-point result in every byte. Included by tests/parity/resample.rs.\n"
        "\n"
        "/// Every reference resample.\n"
        "pub const RESAMPLE_CASES: &[ResampleCase] = &[\n"
        + "\n".join(blocks)
        + "\n];\n"
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resample_golden.rs")
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {len(CASES)} cases to {path}")


if __name__ == "__main__":
    main()
