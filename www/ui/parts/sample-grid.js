// The sample-grid part: random samples of an augmentation pipeline as
// focusable RGBA tiles, with Resample, the seed, the time the grid took and
// the focused tile's drawn parameters. Given pictures and sentences, it
// shows them; it reports the seed typed and the tile focused.
import { h } from "../dom.js";

/** Puts an engine picture `{data, width, height}` (RGBA) on `canvas` at its own size. */
export function putPixels(canvas, out) {
  if (canvas.width !== out.width) canvas.width = out.width;
  if (canvas.height !== out.height) canvas.height = out.height;
  canvas.getContext("2d").putImageData(new ImageData(out.data, out.width, out.height), 0, 0);
}

/**
 * @param {object} o
 * @param {string} o.prefix per-instance id prefix (`${prefix}-seed`, `${prefix}-samples-title`)
 * @param {number} o.count tiles
 * @param {() => void} o.onResample
 * @param {(text: string) => void} o.onSeed a seed was typed (not yet checked)
 * @param {(index: number) => void} o.onFocus a tile got focus or the pointer
 * Returns {nodes, tiles, info, put(i, out), describe([{label, title}]), current(i), seed(value, invalid), timing(text)};
 * `nodes` go into the stage in order, `info` (the parameters) last.
 */
export function createSampleGrid({ prefix, count, onResample, onSeed, onFocus }) {
  const resample = h("button", { type: "button", class: "primary", "data-i18n": "aug.resample", onclick: onResample });
  const seedInput = h("input", { type: "number", id: `${prefix}-seed`, min: 0, max: 4294967295, step: 1, inputmode: "numeric" });
  seedInput.addEventListener("change", () => onSeed(seedInput.value));
  const timing = h("output", { class: "hint aug-timing" });
  const tiles = Array.from({ length: count }, (_, i) => {
    const canvas = h("canvas", { class: "aug-tile", tabindex: 0, role: "img", dataset: { index: i } });
    canvas.addEventListener("focus", () => onFocus(i));
    canvas.addEventListener("mouseenter", () => onFocus(i));
    return canvas;
  });
  const info = h("pre", { class: "aug-params", "aria-live": "polite" });
  const nodes = [
    h("h3", { id: `${prefix}-samples-title`, "data-i18n": "aug.samples" }),
    h("div", { class: "field-row" },
      resample,
      h("label", { for: seedInput.id, class: "inline" }, h("span", { "data-i18n": "aug.seed" }), seedInput),
      timing),
    h("div", { class: "aug-grid", role: "group", "aria-labelledby": `${prefix}-samples-title` }, tiles),
    h("p", { class: "hint", "data-i18n": "aug.tileHint" }),
    info,
  ];
  return {
    nodes,
    tiles,
    info,
    /** Tile `i` shows the engine picture `out` (drawn at once: its pixels may be a view into wasm memory). */
    put(i, out) { putPixels(tiles[i], out); },
    /** Each tile's accessible name and tooltip. */
    describe(texts) {
      texts.forEach(({ label, title }, i) => {
        tiles[i].setAttribute("aria-label", label);
        tiles[i].title = title;
      });
    },
    /** Marks tile `i` as the one whose parameters are shown. */
    current(i) { tiles.forEach((tile, j) => tile.classList.toggle("current", j === i)); },
    /** Shows `value` (null: leaves the box as typed) and marks it invalid or not. */
    seed(value, invalid = false) {
      if (value !== null) seedInput.value = String(value);
      if (invalid) seedInput.setAttribute("aria-invalid", "true");
      else seedInput.removeAttribute("aria-invalid");
    },
    timing(text) { timing.textContent = text; },
    destroy() {},
  };
}
