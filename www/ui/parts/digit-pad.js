// The digit-pad part: draw your own digit. A drawing pad with Clear, the
// centring switch and a download, the 28×28 picture the network is given,
// a place for each run's probability bars, and test digits to put on the
// pad. Given pixels; it knows nothing of the engine (the demo prepares the
// drawing and asks the networks).
import { h } from "../dom.js";
import { downloadGroup } from "../download.js";
import { createDrawingPad } from "./drawing-pad.js";
import { createMosaic } from "./mosaic.js";
import { createImageGrid, greyToRgba } from "./image-grid.js";

/**
 * @param {object} o
 * @param {HTMLElement} o.centerField the centring switch (a controls field)
 * @param {(what:string, name:string, canvas:HTMLCanvasElement)=>HTMLElement} o.png a PNG button of a picture
 * @param {HTMLElement} o.padButton the drawing's PNG button
 * @param {(kind:string)=>void} o.onChange the pad changed ("stroke", "clear" or "image")
 * @param {()=>void} o.onMore other test digits wanted
 * @param {(index:number)=>void} o.onPick a test digit picked (its validation index)
 * Returns {element, pad, showSeen(pixels | null, side), showTests(digits, selected, label), setBars(elements), busy(on), destroy()}.
 */
export function createDigitPad({ centerField, png, padButton, onChange, onMore, onPick }) {
  const pad = createDrawingPad({ labelKey: "img.padLabel", onChange });
  const seen = createMosaic({ className: "img-seen", labelKey: "img.seenLabel" });
  const clearButton = h("button", { type: "button", "data-i18n": "img.clear" });
  clearButton.addEventListener("click", () => pad.clear());
  const moreButton = h("button", { type: "button", "data-i18n": "img.moreDigits" });
  moreButton.addEventListener("click", () => onMore());
  const picker = createImageGrid({ className: "img-picker", labelKey: "img.pickerLabel", onPick });
  const barsBox = h("div", { class: "img-bars" });
  const element = h("div", { class: "img-draw" },
    h("h3", { "data-i18n": "img.drawTitle" }),
    h("p", { class: "hint", "data-i18n": "img.drawHint" }),
    h("div", { class: "img-draw-row" },
      h("div", { class: "img-pad-wrap" }, pad.element, h("div", { class: "field-row" }, clearButton, centerField, downloadGroup([padButton]))),
      h("div", { class: "img-seen-wrap" }, h("p", { class: "chart-title", "data-i18n": "img.seen" }), seen.element,
        downloadGroup([png("img.dl.seen", "seen-28x28", seen.element)])),
      barsBox),
    h("p", { class: "hint", "data-i18n": "img.centerWhy" }),
    h("p", { class: "chart-title", "data-i18n": "img.picker" }), picker.element, moreButton);

  return {
    element,
    pad,
    /** The picture the network is given (values in [0, 1], side × side), or null: blank in place. */
    showSeen(pixels, side) {
      if (!pixels) seen.blank();
      else seen.update({ pixels: greyToRgba(pixels, side, side), width: side, height: side });
    },
    /**
     * Test digits to pick: {indices, labels, pixels} (side × side bytes each), the one on the
     * pad marked; `label(digit, index)` is a tile's accessible name.
     */
    showTests({ indices, labels, pixels }, selected, side, label) {
      const size = side * side;
      picker.update(indices.map((index, k) => ({
        pixels: pixels.subarray(k * size, (k + 1) * size), width: side, height: side, value: index,
        caption: String(labels[k]), selected: index === selected, label: label(labels[k], index),
      })));
    },
    /** The runs' probability bars, in order. */
    setBars(elements) {
      barsBox.replaceChildren(...elements);
    },
    /** Marks the probabilities as not final yet (tests and assistive technology wait on it). */
    busy(on) {
      if (on) element.setAttribute("aria-busy", "true");
      else element.removeAttribute("aria-busy");
    },
    destroy() {
      pad.destroy();
    },
  };
}
