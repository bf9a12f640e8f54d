#!/usr/bin/env python3
"""Converts the MNIST subset into the image lab's compact asset, or checks it.

    python3 scripts/make_digits.py            # writes www/assets/digits.bin.gz
    python3 scripts/make_digits.py --check    # verifies it against the source

Source: scripts/data/mnist_5k.csv.gz (5,000 MNIST digits, 500 a class, one
line per image: 784 grey values 0-255 then the label; provenance in
www/assets/README.md). Standard library only.

The asset is gzip (no timestamp) of:

    bytes 0-3    b"TLIM"                      (trainlab images, format 1)
    bytes 4-7    number of images n           (u32, little-endian)
    bytes 8-9    width  (u16 LE) = 28
    bytes 10-11  height (u16 LE) = 28
    byte  12     channels = 1
    byte  13     classes = 10
    bytes 14-15  zero
    n bytes      labels, in source order
    n*c*h*w      pixels, one byte each, image after image, row-major
                 (white ink on black, as in MNIST)

The page fetches it when the image lab opens and inflates it with the
browser's DecompressionStream("gzip"); the engine reads these bytes.
"""

import argparse
import gzip
import hashlib
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "data" / "mnist_5k.csv.gz"
TARGET = ROOT / "www" / "assets" / "digits.bin.gz"
SOURCE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
WIDTH = HEIGHT = 28
CLASSES = 10


def read_source(path):
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit(f"{path}: sha256 {digest} is not the documented {SOURCE_SHA256}")
    labels = bytearray()
    pixels = bytearray()
    for number, line in enumerate(gzip.decompress(raw).decode("ascii").splitlines(), 1):
        values = [int(v) for v in line.split(",")]
        if len(values) != WIDTH * HEIGHT + 1:
            sys.exit(f"{path}:{number}: expected {WIDTH * HEIGHT + 1} values, got {len(values)}")
        *image, label = values
        if not all(0 <= v <= 255 for v in image) or not 0 <= label < CLASSES:
            sys.exit(f"{path}:{number}: a value is out of range")
        labels.append(label)
        pixels.extend(image)
    return bytes(labels), bytes(pixels)


def encode(labels, pixels):
    header = b"TLIM" + struct.pack("<IHHBB2x", len(labels), WIDTH, HEIGHT, 1, CLASSES)
    return header + labels + pixels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the asset instead of writing it")
    args = parser.parse_args()
    payload = encode(*read_source(SOURCE))
    if args.check:
        shipped = gzip.decompress(TARGET.read_bytes())
        if shipped != payload:
            sys.exit(f"{TARGET} does not match {SOURCE}: run scripts/make_digits.py")
        print(f"{TARGET.relative_to(ROOT)} matches {SOURCE.relative_to(ROOT)} ({len(payload)} bytes)")
        return
    TARGET.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"wrote {TARGET.relative_to(ROOT)}: {TARGET.stat().st_size} bytes ({len(payload)} inflated)")


if __name__ == "__main__":
    main()
