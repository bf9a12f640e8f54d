// The run-compare part: two training runs on one step axis, their
// validation accuracy (training dashed) and their generalization gap
// (training − validation accuracy, in points), with a legend and a verdict
// sentence. Given curves, colours and text; it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { downloadGroup } from "../download.js";
import { createCurvesChart } from "./curves.js";

/**
 * @param {object} o
 * @param {(what:string, name:string, canvas:HTMLCanvasElement)=>HTMLElement} o.png a PNG download
 *   button of a chart (the demo makes it: it owns the download row)
 * Returns {element, setLegend(items), update(runs, {verdict, force}), destroy()}.
 */
export function createRunCompare({ png }) {
  const element = h("div", { class: "img-compare", hidden: true });
  const accChart = createCurvesChart({ className: "net-chart", labelKey: "img.valChartLabel", xLabelKey: "net.step", yLabelKey: "net.accuracy", yRange: [0, 1], minX: 100 });
  const gapChart = createCurvesChart({ className: "net-chart", labelKey: "img.gapChartLabel", xLabelKey: "net.step", yLabelKey: "img.gapAxis", minX: 100 });
  const legend = h("ul", { class: "legend" });
  const verdict = h("p", { class: "img-verdict", "aria-live": "polite" });
  const chart = (titleKey, part, what, name) => h("div", {}, h("p", { class: "chart-title", "data-i18n": titleKey }), part.element,
    downloadGroup([png(what, name, part.element)]));
  element.append(h("h3", { "data-i18n": "img.compareTitle" }), legend,
    h("div", { class: "img-charts" },
      chart("img.valChart", accChart, "img.dl.accChart", "accuracy-chart"),
      chart("img.gapChart", gapChart, "img.dl.gapChart", "gap-chart")),
    verdict, h("p", { class: "hint", "data-i18n": "img.augWhy" }));
  let shown = [];

  return {
    element,
    /** One legend item a run: [{color, text}]. */
    setLegend(items) {
      clear(legend);
      for (const { color, text } of items) {
        const swatch = h("span", { class: "swatch" });
        swatch.style.background = color;
        legend.append(h("li", {}, swatch, h("span", { text })));
      }
    },
    /**
     * `runs`: [{curves, metrics, color}] (curves: steps, trainAccuracy, valAccuracy). Hidden
     * under two runs; redraws only when a run's curves or metrics changed, or with `force`.
     * `verdict()` gives the sentence.
     */
    update(runs, { verdict: sentence, force = false }) {
      element.hidden = runs.length < 2;
      if (runs.length < 2) return;
      const next = runs.flatMap((run) => [run.curves, run.metrics]);
      if (!force && next.every((v, i) => v === shown[i])) return;
      shown = next;
      const acc = [];
      const gap = [];
      for (const { curves: c, color } of runs) {
        if (!c) continue;
        acc.push({ x: c.steps, y: c.valAccuracy, color }, { x: c.steps, y: c.trainAccuracy, color, dashed: true });
        gap.push({ x: c.steps, y: Float64Array.from(c.trainAccuracy, (v, i) => 100 * (v - c.valAccuracy[i])), color });
      }
      accChart.update(acc);
      gapChart.update(gap);
      verdict.textContent = sentence();
    },
    destroy() {
      accChart.destroy();
      gapChart.destroy();
    },
  };
}
