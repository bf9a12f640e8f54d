// The swatch-legend part: a list of colour swatches (solid or dashed) with a
// translated name each, for charts whose colours come from CSS classes
// (`.legend .ens-swatch-<kind>`). It knows nothing of the charts.
import { h } from "../dom.js";

/**
 * @param {[string, string, boolean?][]} items [i18n key, swatch kind, dashed]
 * Returns {element, items: HTMLLIElement[] (in order, to hide one), destroy()}.
 */
export function createSwatchLegend(items) {
  const rows = items.map(([key, kind, dashed = false]) =>
    h("li", {}, h("span", { class: `swatch ens-swatch-${kind}${dashed ? " dashed" : ""}` }), h("span", { "data-i18n": key })));
  return { element: h("ul", { class: "legend" }, rows), items: rows, destroy() {} };
}
