// The pair-curves part: two runs of one network, without and with a
// technique (dropout, batch norm), on one step axis — a colour legend, loss
// and accuracy charts (curves.js), one metrics line per run and a verdict.
// It is given series and sentences; it knows nothing of the engine.
import { h } from "../dom.js";
import { createCurvesChart } from "./curves.js";

/**
 * @param {object} o
 * @param {string} o.className extra class of both chart canvases (their height)
 * @param {{swatch: string, key: string}[]} o.legend one entry a colour or line style
 * @param {{loss: string, accuracy: string}} o.titleKeys i18n keys of the chart titles
 * @param {{loss: string, accuracy: string}} o.labelKeys i18n keys of the charts' accessible names
 * @param {number} o.minX shortest step axis
 * @param {string} [o.verdictClass] extra class of the verdict line
 * Returns {nodes, loss, accuracy, metrics: [first, second], verdict, update, say, destroy}.
 * `nodes` go straight into the demo's stage, in order (its styles and tests
 * address `.stage > .net-metrics`); place a downloads row after `verdict`.
 */
export function createPairCurves({ className, legend, titleKeys, labelKeys, minX, verdictClass = "" }) {
  const loss = createCurvesChart({
    className: `net-figure ${className}`, labelKey: labelKeys.loss, xLabelKey: "net.step", yLabelKey: "net.loss", logY: true, minX,
  });
  const accuracy = createCurvesChart({
    className: `net-figure ${className}`, labelKey: labelKeys.accuracy, xLabelKey: "net.step", yLabelKey: "net.accuracy", yRange: [0, 1], minX,
  });
  const metrics = [h("p", { class: "net-metrics" }), h("p", { class: "net-metrics" })];
  const verdict = h("p", { class: `net-verdict ${verdictClass}`.trim() });
  const chart = (key, part) => h("div", { class: "net-run" }, h("p", { class: "chart-title", "data-i18n": key }), part.element);
  const nodes = [
    h("ul", { class: "legend" }, legend.map(({ swatch, key }) =>
      h("li", {}, h("span", { class: `swatch ${swatch}` }), h("span", { "data-i18n": key })))),
    h("div", { class: "net-pair two" }, chart(titleKeys.loss, loss), chart(titleKeys.accuracy, accuracy)),
    ...metrics,
    verdict,
  ];
  return {
    nodes,
    loss,
    accuracy,
    metrics,
    verdict,
    /** New curves: `[{x, y, color, dashed}]` for each chart. */
    update({ loss: lossSeries, accuracy: accuracySeries }) {
      loss.update(lossSeries);
      accuracy.update(accuracySeries);
    },
    /** The two metrics lines and the verdict. */
    say(first, second, verdictText) {
      metrics[0].textContent = first;
      metrics[1].textContent = second;
      verdict.textContent = verdictText;
    },
    destroy() {
      loss.destroy();
      accuracy.destroy();
    },
  };
}
