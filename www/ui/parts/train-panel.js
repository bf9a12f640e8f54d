// The training-run panel: one classifier run as the page sees it — its
// decision map with the points, a metrics line, the overfitting verdict,
// and loss and accuracy curves of training against validation. It is fed
// the snapshots a Trainer handle answers with (www/workers/kinds/trainer.js)
// and knows nothing of the engine or the URL.
import { h } from "../dom.js";
import { t } from "../../i18n/index.js";
import { pct } from "../net-common.js";
import { gapVerdict } from "../gap.js";
import { createDecisionMap } from "./decision-map.js";
import { createCurvesChart } from "./curves.js";

const TRAIN_COLOR = "#1f77b4";
const VAL_COLOR = "#ff7f0e";

/** The panel's sentences (i18n keys); a demo may give its own. */
const TEXTS = {
  metrics: "net.metrics",
  overfitting: "net.overfitting",
  gapSmall: "net.gapSmall",
  noValidation: "net.noValidation",
  diverged: "net.diverged",
  preparing: "net.preparing",
};

/**
 * @param {object} o
 * @param {object} [o.engine] the wasm module (the decision map's points); not needed with map: false
 * @param {string} o.which the run's name ("a", "b", …), kept in data-run
 * @param {(pick:{x, y, remove})=>void} [o.onPick] clicks and keys on the map
 * @param {()=>boolean} [o.removeMode]
 * @param {boolean} [o.map=true] false: no decision map (a run on images)
 * @param {object} [o.texts] i18n keys replacing TEXTS' (the metrics line also
 *   gets {at}, the step the accuracies were measured at)
 * Returns {element, absorb(snapshot), draw(), redraw(), setTitle(text, show), canvases, curves, view, steps, metrics, destroy()}.
 * A snapshot may carry `valCount` (the validation set's size) instead of points.
 */
export function createTrainPanel({ engine = null, which, onPick = null, removeMode = () => false, map: withMap = true, texts = {} }) {
  const keys = { ...TEXTS, ...texts };
  const map = withMap ? createDecisionMap({
    engine,
    placeholder: () => t(keys.preparing),
    attrs: { class: "map net-map", "data-run": which, "data-i18n-label": "net.mapLabel" },
    onPick,
    removeMode,
  }) : null;
  const loss = createCurvesChart({ className: "net-chart", labelKey: "net.lossChartLabel", xLabelKey: "net.step", yLabelKey: "net.loss", logY: true, minX: 200 });
  const accuracy = createCurvesChart({ className: "net-chart", labelKey: "net.accChartLabel", xLabelKey: "net.step", yLabelKey: "net.accuracy", yRange: [0, 1], minX: 200 });
  const metricsLine = h("p", { class: "net-metrics", "aria-live": "off" });
  const verdict = h("p", { class: "net-verdict" });
  const title = h("h3", { class: "net-run-title", hidden: true });
  const element = h("div", { class: "net-run", "data-run": which }, title, map ? h("div", { class: "map-wrap" }, map.element) : null, metricsLine, verdict,
    h("ul", { class: "legend" },
      h("li", {}, h("span", { class: "swatch net-train-swatch" }), h("span", { "data-i18n": "net.trainCurve" })),
      h("li", {}, h("span", { class: "swatch net-val-swatch" }), h("span", { "data-i18n": "net.valCurve" }))),
    h("p", { class: "chart-title", "data-i18n": "net.lossChart" }), loss.element,
    h("p", { class: "chart-title", "data-i18n": "net.accChart" }), accuracy.element);

  const state = { steps: 0, lr: NaN, view: null, metrics: null, curves: null, curvesFresh: false, valCount: 0 };

  function writeText() {
    const m = state.metrics;
    if (!m) {
      metricsLine.textContent = t(keys.preparing);
      verdict.textContent = "";
      return;
    }
    metricsLine.textContent = t(keys.metrics, {
      step: state.steps, loss: Number.isFinite(m.loss) ? m.loss.toFixed(4) : String(m.loss),
      train: pct(m.trainAccuracy), val: pct(m.valAccuracy), lr: Number(state.lr.toPrecision(3)), at: m.step,
    });
    verdict.className = "net-verdict";
    if (!Number.isFinite(m.loss)) verdict.textContent = t(keys.diverged);
    else if (m.valAccuracy === null) verdict.textContent = t(keys.noValidation);
    else {
      // "Overfitting" only when the gap is larger than the validation set's size can explain.
      const n = state.valCount;
      const v = gapVerdict(m.trainAccuracy, m.valAccuracy, n);
      const flagged = v.overfitting && state.steps > 0;
      verdict.textContent = t(flagged ? keys.overfitting : keys.gapSmall, { gap: (100 * v.gap).toFixed(1), margin: (100 * v.margin).toFixed(1), n });
      if (flagged) verdict.classList.add("bad");
    }
  }

  function drawCurves() {
    const c = state.curves;
    if (!c) return;
    const series = (which_, color, dashed = false) => ({ x: c.steps, y: c[which_], color, dashed });
    loss.update([series("trainLoss", TRAIN_COLOR), series("valLoss", VAL_COLOR)]);
    accuracy.update([series("trainAccuracy", TRAIN_COLOR), series("valAccuracy", VAL_COLOR)]);
  }

  return {
    element,
    map,
    /** Takes in one snapshot: whatever it carries replaces what the panel had. */
    absorb(s) {
      state.steps = s.steps;
      state.lr = s.lr;
      if (map && s.view && s.view !== state.view) {
        state.view = s.view;
        map.setView(s.view);
      }
      if (s.metrics) state.metrics = s.metrics;
      if (map && s.map) {
        map.setImage(s.map.rgba, s.map.width, s.map.height);
      }
      if (map && s.points) {
        map.setPoints(s.points);
        state.valCount = s.points.valLabels.length;
      }
      if (s.valCount !== undefined) state.valCount = s.valCount;
      if (s.curves) {
        state.curves = s.curves;
        state.curvesFresh = true;
      }
    },
    /** Draws the map and text; the curves only when new ones came. */
    draw() {
      map?.draw();
      writeText();
      if (state.curvesFresh) {
        state.curvesFresh = false;
        drawCurves();
      }
    },
    /** Redraws everything (after a language change). */
    redraw() {
      map?.draw();
      writeText();
      drawCurves();
    },
    setTitle(text, show) {
      title.textContent = text;
      title.hidden = !show;
    },
    /** The canvases, for downloads: {map, loss, accuracy} (map null without a map). */
    canvases: { map: map ? map.element : null, loss: loss.element, accuracy: accuracy.element },
    /** The curves last drawn: {steps, trainLoss, valLoss, trainAccuracy, valAccuracy} or null. */
    get curves() { return state.curves; },
    get view() { return state.view; },
    get steps() { return state.steps; },
    get metrics() { return state.metrics; },
    destroy() {
      map?.destroy();
      loss.destroy();
      accuracy.destroy();
    },
  };
}
