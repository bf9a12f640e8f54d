// Image files made by hand for the upload tests: PNGs of any claimed size
// (valid or not), GIFs with one or more frames, SVG, and broken files.
import { crc32, deflateSync } from 'node:zlib';

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function header(width, height) {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method, no interlace
  return chunk('IHDR', data);
}

/** A PNG (8-bit RGBA, no filtering) of `width`×`height` from colour(x, y). */
export function png(width, height, colour) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...colour(x, y));
  }
  return Buffer.concat([PNG_SIGNATURE, header(width, height), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header claims `width`×`height` but holds only a few rows of data. */
export function pngClaiming(width, height) {
  const rows = Buffer.alloc(3 * (1 + 4 * Math.min(width, 1000)));
  return Buffer.concat([PNG_SIGNATURE, header(width, height), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A GIF89a of `frames` 4×4 frames (two colours), looping if animated. */
export function gif(frames) {
  const parts = [Buffer.from('GIF89a', 'ascii'), Buffer.from([4, 0, 4, 0, 0x80, 0, 0]), Buffer.from([255, 0, 0, 0, 0, 255])];
  if (frames > 1) parts.push(Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'ascii'), 3, 1, 0, 0, 0]));
  for (let f = 0; f < frames; f++) {
    // Graphic control (10 ms delay), image descriptor, LZW data (min code size 2).
    parts.push(Buffer.from([0x21, 0xf9, 4, 0, 10, 0, 0, 0]));
    parts.push(Buffer.from([0x2c, 0, 0, 0, 0, 4, 0, 4, 0, 0]));
    // 16 pixels of colour (f % 2): clear code 4, 16 codes, end code 5, packed by hand.
    parts.push(Buffer.from(lzwSixteen(f % 2)));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** GIF LZW data for 16 pixels of one colour index, as sub-blocks. */
function lzwSixteen(index) {
  // Code size 3 bits throughout (no table growth past 8 entries matters for
  // a decoder only if codes exceed 7; we emit clear before that).
  const codes = [4];
  for (let i = 0; i < 16; i++) {
    codes.push(index);
    if (i % 3 === 2) codes.push(4); // clear keeps the code size at 3 bits
  }
  codes.push(5);
  let bits = 0;
  let width = 0;
  const bytes = [];
  for (const code of codes) {
    bits |= code << width;
    width += 3;
    while (width >= 8) {
      bytes.push(bits & 255);
      bits >>= 8;
      width -= 8;
    }
  }
  if (width > 0) bytes.push(bits & 255);
  return [2, bytes.length, ...bytes, 0];
}

export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>');
