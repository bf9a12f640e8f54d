// Loads the image lab's handwritten digits (www/assets/digits.bin.gz) only
// when asked, for `new Trainer({dataset: {kind: "digits", data}})`.
//
// The file is gzip; the browser inflates it with DecompressionStream, so
// any static server works offline. A server that sends it with
// `Content-Encoding: gzip` has inflated it already: the bytes then start
// with the asset's "TLIM" header instead of gzip's 1f 8b, and are used as they are.

/** Where the asset lives, next to this module. */
export const DIGITS_URL = new URL('../assets/digits.bin.gz', import.meta.url);

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Fetches and inflates the digits. `onProgress(loadedBytes, totalBytes)`
 * is called when the download starts (0 of the size the server gives, 0 if
 * none) and when it has arrived: the body is read in one piece, because
 * Chromium reports a fetch of a `no-store` response read chunk by chunk
 * through a stream reader as aborted even when every byte arrived
 * (playwright issue 42742), which the end-to-end tests would count as a
 * failed request. Resolves to a Uint8Array of the inflated asset; rejects
 * with an Error saying what failed.
 */
export async function loadDigits({ url = DIGITS_URL, onProgress } = {}) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the digits could not be loaded: HTTP ${response.status} for ${url}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  onProgress?.(0, total);
  const bytes = new Uint8Array(await response.arrayBuffer());
  onProgress?.(bytes.length, total || bytes.length);
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new Error('this browser cannot inflate the digits (no DecompressionStream)');
  }
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
