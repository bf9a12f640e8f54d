// Turning a photo (a built-in asset or the student's own file) into RGBA
// pixels for the engine, with the limits the preview documents:
//
// - files over MAX_FILE_BYTES are refused before decoding;
// - the file's own header is read first (image-sniff.js): SVG drawings,
//   animated images, files cut short, headers claiming no pixels or more
//   than MAX_DECODED_PIXELS are refused with a message saying so, before
//   the browser tries to decode them;
// - anything createImageBitmap cannot decode is refused ("not an image");
// - decoded images over MAX_DECODED_PIXELS are refused (decompression bombs),
//   and so are shapes more than MAX_ASPECT times longer than wide (or the
//   reverse), which no crop or rotation can use;
// - anything larger than PREVIEW_SIDE on its longer side is shrunk for the
//   preview: first by the browser to at most PRESHRINK_SIDE (cheap), then by
//   the engine's area averaging (sharp, no aliasing).
//
// Decoding uses createImageBitmap and an OffscreenCanvas (or a detached
// canvas), so nothing needs inline code and the strict CSP holds.

import { sniffImage } from "./image-sniff.js";

/** Largest file accepted, in bytes (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Largest decoded image accepted, in pixels (50 megapixels). */
export const MAX_DECODED_PIXELS = 50_000_000;
/** Longest side of the image the preview works on. */
export const PREVIEW_SIDE = 640;
/** Longest side the browser shrinks a huge image to before area averaging. */
const PRESHRINK_SIDE = 2048;
/** Largest ratio of the longer side to the shorter one. */
export const MAX_ASPECT = 20;

/** An error whose `code` picks the message the view shows. */
export class ImageLoadError extends Error {
  constructor(code, details = {}) {
    super(code);
    this.code = code;
    this.details = details;
  }
}

/** Refuses a size with no pixels, too many, or too thin a shape. */
function checkSize(width, height) {
  if (!(width > 0 && height > 0)) throw new ImageLoadError("empty", { width, height });
  if (width * height > MAX_DECODED_PIXELS) throw new ImageLoadError("tooManyPixels", { width, height });
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) {
    throw new ImageLoadError("badShape", { width, height, ratio: MAX_ASPECT });
  }
}

/** Refuses what the file's header already shows to be unusable. */
async function checkHeader(blob) {
  const header = sniffImage(new Uint8Array(await blob.arrayBuffer()), blob.type);
  if (header.format === "svg") throw new ImageLoadError("svg");
  if (!header.format) return;
  if (!header.complete) throw new ImageLoadError("truncated");
  if (header.frames > 1) throw new ImageLoadError("animated", { frames: header.frames });
  if (header.width !== null) checkSize(header.width, header.height);
}

function canvasOf(width, height) {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** RGBA bytes of an ImageBitmap, drawn at its own size. */
function pixelsOf(bitmap) {
  const { width, height } = bitmap;
  const ctx = canvasOf(width, height).getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, width, height).data;
}

/**
 * Decodes a Blob into {rgba, width, height, originalWidth, originalHeight},
 * shrunk to PREVIEW_SIDE. Throws ImageLoadError with code "tooBig", "svg",
 * "truncated", "animated", "empty", "tooManyPixels", "badShape" or
 * "notImage" (the i18n keys aug.err.<code>).
 */
export async function decodeImage(blob, engine) {
  if (blob.size > MAX_FILE_BYTES) {
    throw new ImageLoadError("tooBig", { mb: (blob.size / 1048576).toFixed(1) });
  }
  await checkHeader(blob);
  if (blob.type && !blob.type.startsWith("image/")) throw new ImageLoadError("notImage");
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new ImageLoadError("notImage");
  }
  try {
    const originalWidth = bitmap.width;
    const originalHeight = bitmap.height;
    checkSize(originalWidth, originalHeight);
    const longest = Math.max(originalWidth, originalHeight);
    if (longest > PRESHRINK_SIDE) {
      const scale = PRESHRINK_SIDE / longest;
      const smaller = await createImageBitmap(bitmap, {
        resizeWidth: Math.max(1, Math.round(originalWidth * scale)),
        resizeHeight: Math.max(1, Math.round(originalHeight * scale)),
        resizeQuality: "high",
      });
      bitmap.close();
      bitmap = smaller;
    }
    let rgba = pixelsOf(bitmap);
    let { width, height } = bitmap;
    if (Math.max(width, height) > PREVIEW_SIDE) {
      const out = engine.Augmenter.downscaleToFit(rgba, width, height, PREVIEW_SIDE);
      ({ data: rgba, width, height } = out);
    }
    return { rgba, width, height, originalWidth, originalHeight };
  } finally {
    bitmap.close();
  }
}

/** Fetches and decodes a built-in photo from www/assets/. */
export async function loadAsset(url, engine) {
  const response = await fetch(url);
  if (!response.ok) throw new ImageLoadError("notImage");
  return decodeImage(await response.blob(), engine);
}
