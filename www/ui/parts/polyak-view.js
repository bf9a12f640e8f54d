// The polyak-view part: one network's validation accuracy over the steps
// against its Polyak average's, in a box with a legend, the chart's
// download, a verdict and a hint. Given curves and text; it knows nothing
// of the engine.
import { h } from "../dom.js";
import { downloadGroup } from "../download.js";
import { createCurvesChart } from "./curves.js";
import { createSwatchLegend } from "./swatch-legend.js";

/**
 * @param {object} o
 * @param {(what:string, name:string, canvas:()=>HTMLCanvasElement)=>HTMLElement} o.png the chart's PNG button
 * Returns {element, show(on), update(series, overrides), setVerdict(text), destroy()}.
 */
export function createPolyakView({ png }) {
  const chart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.polyakChartLabel", xLabelKey: "net.step", yLabelKey: "ens.valAccuracy", minX: 10 });
  const figure = h("div", { class: "ens-polyak-figure" },
    createSwatchLegend([["ens.legend.weights", "single"], ["ens.legend.polyak", "polyak"]]).element, chart.element,
    downloadGroup([png("ens.dl.polyakChart", "polyak-chart", () => chart.element)]));
  const verdict = h("p", { class: "ens-verdict" });
  const element = h("div", { class: "stage ens-box" },
    h("h3", { class: "ens-section", "data-i18n": "ens.polyakTitle" }),
    figure,
    verdict,
    h("p", { class: "hint", "data-i18n": "ens.polyakHint" }));
  return {
    element,
    /** Shows or hides the figure (the verdict stays). */
    show(on) {
      figure.hidden = !on;
    },
    /** The curves ([{x, y, color}]) and chart options ({yRange, minX}). */
    update(series, overrides) {
      chart.update(series, overrides);
    },
    /** Writes the verdict only when it changed (an unchanged page is not laid out again). */
    setVerdict(text) {
      if (verdict.textContent !== text) verdict.textContent = text;
    },
    destroy() {
      chart.destroy();
    },
  };
}
