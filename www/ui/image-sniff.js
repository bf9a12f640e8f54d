// What an image file's own bytes say before any decoding: its format, the
// size its header claims, whether it is animated, and whether it is
// complete. Decoders differ in what they do with a file that claims
// 100,000×100,000 pixels, stops halfway or has many frames; reading the
// header first lets the upload say exactly what is wrong.

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes, prefix, at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes, at, length) => String.fromCharCode(...bytes.subarray(at, at + length));
const u32be = (bytes, at) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
const u32le = (bytes, at) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;

/** PNG: IHDR size, APNG frame count (acTL), complete when IEND is reached. */
function sniffPng(bytes) {
  const info = { format: "png", width: u32be(bytes, 16), height: u32be(bytes, 20), frames: 1, complete: false };
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = u32be(bytes, at);
    const type = ascii(bytes, at + 4, 4);
    if (at + 12 + length > bytes.length) return info;
    if (type === "acTL") info.frames = u32be(bytes, at + 8);
    if (type === "IEND") {
      info.complete = true;
      return info;
    }
    at += 12 + length;
  }
  return info;
}

/** GIF: the logical screen size, image descriptors counted, complete at the trailer. */
function sniffGif(bytes) {
  const info = { format: "gif", width: bytes[6] | (bytes[7] << 8), height: bytes[8] | (bytes[9] << 8), frames: 0, complete: false };
  let at = 13;
  if (bytes[10] & 0x80) at += 3 * 2 ** ((bytes[10] & 7) + 1);
  const skipSubBlocks = () => {
    while (at < bytes.length && bytes[at] !== 0) at += bytes[at] + 1;
    at += 1;
  };
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x3b) {
      info.complete = true;
      return info;
    }
    if (block === 0x21) {
      at += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      info.frames += 1;
      const packed = bytes[at + 9];
      at += 10;
      if (packed & 0x80) at += 3 * 2 ** ((packed & 7) + 1);
      at += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      return info;
    }
  }
  return info;
}

/** JPEG: complete when an end-of-image marker follows the start of scan. */
function sniffJpeg(bytes) {
  let scan = -1;
  for (let i = 2; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xda) {
      scan = i;
      break;
    }
  }
  let complete = false;
  for (let i = bytes.length - 2; scan >= 0 && i > scan; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
      complete = true;
      break;
    }
  }
  return { format: "jpeg", width: null, height: null, frames: 1, complete };
}

/** WebP: complete when the RIFF size fits the file; animated by its VP8X flag. */
function sniffWebp(bytes) {
  const complete = u32le(bytes, 4) + 8 <= bytes.length;
  const extended = ascii(bytes, 12, 4) === "VP8X";
  const animated = extended && (bytes[20] & 0x02) !== 0;
  return { format: "webp", width: null, height: null, frames: animated ? 2 : 1, complete };
}

/**
 * {format, width, height, frames, complete} for PNG, GIF, JPEG and WebP
 * (width and height null where the header is not read), {format: "svg"}
 * for SVG text, or {format: null} for anything else.
 */
export function sniffImage(bytes, type = "") {
  if (bytes.length >= 24 && startsWith(bytes, PNG_SIGNATURE)) return sniffPng(bytes);
  if (bytes.length >= 13 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) return sniffGif(bytes);
  if (bytes.length >= 3 && startsWith(bytes, [0xff, 0xd8, 0xff])) return sniffJpeg(bytes);
  if (bytes.length >= 21 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return sniffWebp(bytes);
  const text = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, "").trimStart();
  if (type === "image/svg+xml" || /^<(\?xml|svg|!DOCTYPE svg)/i.test(text)) return { format: "svg" };
  return { format: null };
}
