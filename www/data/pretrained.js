// Loads the transfer demo's pretrained source network
// (www/assets/pretrained-digits04.bin: the image lab's CNN trained on the
// digits 0–4 by `cargo run --release --example pretrain_digits`), only
// when asked. The engine reads it: `readWeightsFile(bytes)`.

/** Where the file lives, next to this module. */
export const PRETRAINED_URL = new URL('../assets/pretrained-digits04.bin', import.meta.url);

/** Fetches the file; resolves to its bytes, rejects with an Error saying what failed. */
export async function loadPretrained({ url = PRETRAINED_URL } = {}) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the pretrained network could not be loaded: HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}
