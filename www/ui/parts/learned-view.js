// The learned-view part: what an image classifier learned, one run at a
// time: its layers (feature-map layers are buttons), the first conv layer's
// filters, one image's feature maps, the confusion matrix of the last
// evaluation and its most confident mistakes (buttons too), with a run
// picker when there are two. Given plain data (the engine's mosaics, layer
// descriptions, an evaluation's results); it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";
import { downloadGroup } from "../download.js";
import { createLayerStack } from "./layer-stack.js";
import { createMosaic } from "./mosaic.js";
import { createConfusionMatrix } from "./confusion-matrix.js";
import { createImageGrid } from "./image-grid.js";

/** The mistakes of an evaluation as image-grid items (the accessible name starts with the caption). */
function mistakeItems(m, side) {
  return Array.from(m.indices, (index, k) => {
    const p = (100 * m.confidence[k]).toFixed(0);
    const caption = `${m.labels[k]} → ${m.predicted[k]} · ${p} %`;
    const said = t("img.mistakeLabel", { truth: m.labels[k], predicted: m.predicted[k], p });
    return { pixels: m.images.subarray(k * side * side, (k + 1) * side * side), width: side, height: side, value: index, caption, label: `${caption}: ${said}` };
  });
}

/** One radio button a run ([{which, text, checked}]); none under two runs. */
function fillRunPicker(picker, runs, onShow) {
  clear(picker);
  picker.hidden = runs.length < 2;
  if (runs.length < 2) return;
  picker.append(h("span", { "data-i18n": "img.showRun" }));
  for (const run of runs) {
    const b = h("button", { type: "button", role: "radio", "aria-checked": String(run.checked), text: run.text });
    b.addEventListener("click", () => onShow(run.which));
    picker.append(b);
  }
}

/**
 * @param {object} o
 * @param {number} o.classes classes of the confusion matrix
 * @param {number} o.side digits' side in pixels (mistakes are side × side bytes)
 * @param {(what:string, name:string, canvas:HTMLCanvasElement)=>HTMLElement} o.png a PNG download button
 * @param {HTMLElement} o.confusionButton the confusion matrix's CSV download button
 * @param {(layer:number)=>void} o.onLayer a layer picked for the feature maps
 * @param {(index:number)=>void} o.onDigit a mistake picked (its validation index)
 * @param {(which:string)=>void} o.onShow a run picked
 * Returns {element, setRuns, showLayers, showFilters, showMaps, showResults, redraw(), destroy()}.
 */
export function createLearnedView({ classes, side, png, confusionButton, onLayer, onDigit, onShow }) {
  const showPicker = h("div", { class: "field-row img-show", role: "radiogroup", "data-i18n-label": "img.showRun" });
  const layerStack = createLayerStack({ labelKey: "img.layersLabel", onPick: onLayer });
  const filters = createMosaic({ className: "img-filters", labelKey: "img.filtersLabel" });
  const filtersNote = h("p", { class: "hint" });
  const maps = createMosaic({ className: "img-maps", labelKey: "img.mapsLabel" });
  const mapsNote = h("p", { class: "hint" });
  const confusion = createConfusionMatrix({ captionKey: "img.confusionCaption", trueKey: "img.true", predictedKey: "img.predicted" });
  const confusionNote = h("p", { class: "hint" });
  const mistakes = createImageGrid({ className: "img-mistakes", labelKey: "img.mistakesLabel", onPick: onDigit });
  const mistakesNote = h("p", { class: "hint" });
  const block = (titleKey, ...content) => h("div", { class: "img-block" }, h("h4", { "data-i18n": titleKey }), ...content);
  const element = h("div", { class: "img-learned" },
    h("h3", { "data-i18n": "img.learnedTitle" }), showPicker,
    h("div", { class: "img-learned-grid" },
      block("img.layers", layerStack.element, h("p", { class: "hint", "data-i18n": "img.layersHint" })),
      block("img.filters", filters.element, downloadGroup([png("img.dl.filters", "filters", filters.element)]), filtersNote),
      block("img.maps", maps.element, downloadGroup([png("img.dl.maps", "feature-maps", maps.element)]), mapsNote),
      block("img.confusion", confusion.element, downloadGroup([confusionButton]), confusionNote),
      h("div", { class: "img-block img-wide" }, h("h4", { "data-i18n": "img.mistakes" }), mistakes.element, mistakesNote)));

  return {
    element,
    /** The run picker: [{which, text, checked}]; hidden under two runs. */
    setRuns(runs) {
      fillRunPicker(showPicker, runs, onShow);
    },
    /** The layer list (see createLayerStack) and whether the network has filters to show. */
    showLayers(inputShape, layers, selected, hasFilters) {
      filtersNote.textContent = t(hasFilters ? "img.filtersHint" : "img.noFilters");
      layerStack.update(inputShape, layers, selected);
    },
    /** The first conv layer's kernels as the engine's mosaic, or null (none). */
    showFilters(picture) {
      filters.update(picture);
    },
    /** Feature maps: a mosaic, "blank" (kept in place, empty) or null (none), and the note under them. */
    showMaps(picture, note) {
      if (picture === null) maps.update(null);
      else if (picture === "blank") maps.blank();
      else maps.update(picture);
      mapsNote.textContent = note;
    },
    /** An evaluation's results ({step, confusion, mistakes}) or null before the first; `valCount` images. */
    showResults(results, valCount) {
      // Before the first evaluation an empty table keeps its place (nothing jumps when it fills).
      confusion.update(results ? results.confusion : new Uint32Array(classes * classes), classes);
      confusionNote.textContent = results ? t("img.confusionHint", { step: results.step, n: valCount }) : t("img.notEvaluated");
      const items = results ? mistakeItems(results.mistakes, side) : [];
      mistakes.update(items);
      mistakesNote.textContent = !results ? t("img.notEvaluated") : items.length ? t("img.mistakesHint", { step: results.step }) : t("img.noMistakes");
    },
    redraw() {
      layerStack.redraw();
      confusion.redraw();
    },
    destroy() {
      for (const part of [layerStack, filters, maps, confusion, mistakes]) part.destroy();
    },
  };
}
