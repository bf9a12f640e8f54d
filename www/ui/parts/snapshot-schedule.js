// The snapshot-schedule part: a snapshot run's learning rate and minibatch
// loss at every step, with each cycle's end marked (where a snapshot is
// taken), in a box with a legend, each chart's downloads and a hint. Given
// arrays; it knows nothing of the engine.
import { h } from "../dom.js";
import { downloadGroup } from "../download.js";
import { createCurvesChart } from "./curves.js";
import { createSwatchLegend } from "./swatch-legend.js";

/**
 * @param {object} o
 * @param {(what:string, name:string, canvas:()=>HTMLCanvasElement)=>HTMLElement} o.png a chart's PNG button
 * @param {HTMLElement} o.scheduleButton the CSV button of the schedule
 * @param {{lr: string, loss: string}} o.colors
 * Returns {element, update({lr, loss, cycle, minX, lrMax}), destroy()}.
 */
export function createSnapshotSchedule({ png, scheduleButton, colors }) {
  const lrChart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.lrChartLabel", xLabelKey: "net.step", yLabelKey: "ens.lrAxis", minX: 10 });
  const lossChart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.runLossChartLabel", xLabelKey: "net.step", yLabelKey: "ens.lossAxis", logY: true, minX: 10 });
  const element = h("div", { class: "stage ens-box" },
    h("h3", { class: "ens-section", "data-i18n": "ens.scheduleTitle" }),
    createSwatchLegend([["ens.legend.lr", "lr"], ["ens.legend.snapshotMark", "mark"]]).element,
    h("p", { class: "chart-title", "data-i18n": "ens.lrChart" }), lrChart.element,
    downloadGroup([png("ens.dl.lrChart", "lr-chart", () => lrChart.element)]),
    h("p", { class: "chart-title", "data-i18n": "ens.runLossChart" }), lossChart.element,
    downloadGroup([png("ens.dl.runLossChart", "run-loss-chart", () => lossChart.element), scheduleButton]),
    h("p", { class: "hint", "data-i18n": "ens.scheduleHint" }));
  return {
    element,
    /** Every step's rate and loss; a mark at each cycle's end; the x axis at least `minX`, the rate axis up to `lrMax`. */
    update({ lr, loss, cycle, minX, lrMax }) {
      const x = Float64Array.from({ length: lr.length }, (_, i) => i);
      // Every cycle's end so far (the last `members` are the kept snapshots).
      const marks = [];
      for (let end = cycle - 1; end < lr.length; end += cycle) marks.push(end);
      lrChart.update([{ x, y: lr, color: colors.lr }], { marks, minX, yRange: [0, lrMax] });
      lossChart.update([{ x, y: loss, color: colors.loss }], { marks, minX });
    },
    destroy() {
      lrChart.destroy();
      lossChart.destroy();
    },
  };
}
