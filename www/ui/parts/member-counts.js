// The member-counts part: validation accuracy and loss against the number
// of members averaged (k = 1 … K), both ensembles and their votes, with a
// single network (and its Polyak average) as horizontal references; a
// legend, each chart's downloads and the hints under them. Given series;
// it knows nothing of the engine.
import { h } from "../dom.js";
import { downloadGroup } from "../download.js";
import { createCountChart } from "./count-chart.js";
import { createSwatchLegend } from "./swatch-legend.js";

/**
 * @param {object} o
 * @param {(what:string, name:string, canvas:()=>HTMLCanvasElement)=>HTMLElement} o.png a chart's PNG button
 * @param {HTMLElement} o.countsButton the CSV button of the numbers by member count
 * Returns {element, update({count, accuracy, loss, polyak}), destroy()}; accuracy and loss are
 * count-chart updates without `count` ({series, lines}), polyak whether a Polyak line is drawn.
 */
export function createMemberCounts({ png, countsButton }) {
  const accuracyChart = createCountChart({ className: "ens-count", labelKey: "ens.accChartLabel", xLabelKey: "ens.countAxis", yLabelKey: "ens.valAccuracy", format: (v) => `${(100 * v).toFixed(1)}` });
  const lossChart = createCountChart({ className: "ens-count", labelKey: "ens.lossChartLabel", xLabelKey: "ens.countAxis", yLabelKey: "ens.valLoss", format: (v) => v.toFixed(3) });
  const legend = createSwatchLegend([
    ["ens.legend.independent", "independent"], ["ens.legend.independentVote", "independent", true],
    ["ens.legend.snapshot", "snapshot"], ["ens.legend.snapshotVote", "snapshot", true],
    ["ens.legend.single", "single"], ["ens.legend.singlePolyak", "polyak", true],
  ]);
  const polyakItem = legend.items[5];
  const element = h("div", { class: "ens-counts" },
    h("h3", { class: "ens-section", "data-i18n": "ens.countTitle" }),
    legend.element,
    h("p", { class: "chart-title", "data-i18n": "ens.accChart" }), accuracyChart.element,
    downloadGroup([png("ens.dl.accuracyChart", "accuracy-chart", () => accuracyChart.element)]),
    h("p", { class: "chart-title", "data-i18n": "ens.lossChart" }), lossChart.element,
    downloadGroup([png("ens.dl.lossChart", "loss-chart", () => lossChart.element), countsButton]),
    h("p", { class: "hint", "data-i18n": "ens.countHint" }),
    h("p", { class: "hint", "data-i18n": "ens.jensenHint" }));
  return {
    element,
    update({ count, accuracy, loss, polyak }) {
      polyakItem.hidden = !polyak;
      accuracyChart.update({ count, ...accuracy });
      lossChart.update({ count, ...loss });
    },
    destroy() {
      accuracyChart.destroy();
      lossChart.destroy();
    },
  };
}
