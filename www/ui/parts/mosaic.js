// The mosaic part: one RGBA picture from the engine (a layer's filters, an
// image's feature maps) drawn with one putImageData at its own size and
// scaled up by CSS without smoothing. Given pixels; it knows nothing of the
// engine.
import { h } from "../dom.js";

/**
 * @param {object} o
 * @param {string} [o.className] extra classes of the canvas
 * @param {string} [o.labelKey] i18n key of its accessible name
 * Returns {element, update({pixels, width, height} | null), blank(), destroy()}.
 */
export function createMosaic({ className = "", labelKey } = {}) {
  const canvas = h("canvas", { class: `mosaic ${className}`.trim(), role: "img", "data-i18n-label": labelKey, width: 1, height: 1 });
  return {
    element: canvas,
    /**
     * Blanks the picture but keeps its place, so the page does not move
     * (a canvas that has not shown anything yet stays hidden).
     */
    blank() {
      canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
      canvas.classList.add("blank");
    },
    /** Shows `picture` (RGBA pixels, row 0 at the top); null hides the canvas. */
    update(picture) {
      canvas.classList.remove("blank");
      canvas.hidden = !picture;
      if (!picture) return;
      canvas.width = picture.width;
      canvas.height = picture.height;
      const pixels = picture.pixels instanceof Uint8ClampedArray ? picture.pixels : new Uint8ClampedArray(picture.pixels);
      canvas.getContext("2d").putImageData(new ImageData(pixels, picture.width, picture.height), 0, 0);
      // The picture's own aspect: CSS sets the width, the height follows.
      canvas.style.aspectRatio = `${picture.width} / ${picture.height}`;
    },
    destroy() {},
  };
}
