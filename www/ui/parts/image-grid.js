// The image-grid part: small grey images (digits) as tiles with a caption
// under each, every tile one canvas drawn with one putImageData and scaled
// up by CSS without smoothing. With `onPick`, each tile is a button and
// reports its item's `value`. Given pixels; it knows nothing of the engine.
import { h, clear } from "../dom.js";

/**
 * Grey values to RGBA, white ink on black as MNIST stores them. `pixels`
 * are bytes (0–255) or numbers in [0, 1] (a Float32Array, say).
 */
export function greyToRgba(pixels, width, height) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const bytes = pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray;
  for (let i = 0; i < width * height; i++) {
    const v = bytes ? pixels[i] : Math.round(255 * pixels[i]);
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/**
 * @param {object} o
 * @param {string} [o.className] extra classes of the grid
 * @param {string} [o.labelKey] i18n key of the grid's accessible name
 * @param {(value:any)=>void} [o.onPick] makes the tiles buttons
 * Returns {element, update(items), destroy()}; items are [{pixels, width,
 * height, caption, label?, value?, selected?}] (`label`: the tile's
 * accessible name, the caption by default).
 */
export function createImageGrid({ className = "", labelKey, onPick = null } = {}) {
  const element = h("div", { class: `image-grid ${className}`.trim(), role: "list", "data-i18n-label": labelKey });
  return {
    element,
    update(items) {
      clear(element);
      for (const item of items) {
        const canvas = h("canvas", { width: item.width, height: item.height, class: "image-tile", "aria-hidden": "true" });
        canvas.getContext("2d").putImageData(new ImageData(greyToRgba(item.pixels, item.width, item.height), item.width, item.height), 0, 0);
        const caption = h("span", { class: "image-caption", text: item.caption ?? "" });
        let tile;
        if (onPick) {
          tile = h("button", { type: "button", class: "image-cell", "aria-label": item.label ?? item.caption, "aria-pressed": String(Boolean(item.selected)) }, canvas, caption);
          tile.addEventListener("click", () => onPick(item.value));
        } else {
          tile = h("figure", { class: "image-cell", role: "img", "aria-label": item.label ?? item.caption }, canvas, caption);
        }
        element.append(h("div", { role: "listitem" }, tile));
      }
    },
    destroy() {},
  };
}
