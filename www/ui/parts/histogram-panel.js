// The histogram-panel part: one run's histogram of a layer's values (one
// or more series over a shared range) under a title, with its legend, a
// statistics line and a metrics line; or, when the run was refused, the
// reason in place of the picture. Given data and sentences, it keeps them
// and redraws on resize; it knows nothing of the engine.
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { h } from "../dom.js";
import { fitCanvas } from "../canvas.js";
import { createStillCanvas } from "../still-canvas.js";
import { drawHistograms } from "../net-common.js";

/**
 * @param {object} o
 * @param {string} o.run the run's name in `data-run` (tests and styles address it)
 * @param {string} o.titleKey i18n key of the title
 * @param {string} o.labelKey i18n key of the canvas's accessible name
 * @param {{swatch: string, key: string}[]} o.legend
 * @param {boolean} [o.refusable] whether a refusal can take the picture's place
 * Returns {element, canvas, metrics, show({series, range, stats}), refuse(text), destroy()}.
 */
export function createHistogramPanel({ run, titleKey, labelKey, legend, refusable = false }) {
  const still = createStillCanvas({ class: "net-figure bn-hist", role: "img", "data-run": run, "data-i18n-label": labelKey });
  const { canvas } = still;
  const refusal = refusable ? h("p", { class: "bn-refusal", role: "alert", hidden: true }) : null;
  const stats = h("p", { class: "net-metrics" });
  const metrics = h("p", { class: "net-metrics" });
  const legendList = h("ul", { class: "legend" }, legend.map(({ swatch, key }) =>
    h("li", {}, h("span", { class: `swatch ${swatch}` }), h("span", { "data-i18n": key }))));
  const element = h("div", { class: "net-run" },
    h("h3", { class: "net-run-title", "data-i18n": titleKey }), canvas, refusal, legendList, stats, metrics);
  let shown = null;
  const redraw = () => {
    if (!shown) return;
    drawHistograms(still.sized(), shown.series, { range: shown.range });
    still.present();
  };
  const unfit = fitCanvas(canvas, redraw);
  const setRefused = (refused) => {
    if (refusal) refusal.hidden = !refused;
    canvas.hidden = refused;
    legendList.hidden = refused;
  };
  return {
    element,
    canvas,
    metrics,
    /** Series `[{values, color}]` over `range` [lo, hi], and the statistics sentence. */
    show({ series, range, stats: text }) {
      setRefused(false);
      shown = { series, range };
      redraw();
      stats.textContent = text;
    },
    /** The run was refused: `text` (the reason) instead of the histogram. */
    refuse(text) {
      setRefused(true);
      shown = null;
      refusal.textContent = text;
      stats.textContent = "";
    },
    destroy: unfit,
  };
}
