// The curves chart part: a canvas with several runs' curves on one step
// axis (www/ui/net-lines.js draws them). Given series, it keeps them and
// redraws on resize and language change; it knows nothing of the engine.
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { fitCanvas } from "../canvas.js";
import { t, onLanguageChange } from "../../i18n/index.js";
import { drawLines } from "../net-lines.js";
import { createStillCanvas } from "../still-canvas.js";

/**
 * @param {object} o
 * @param {string} [o.className] extra classes of the canvas
 * @param {string} [o.labelKey] i18n key of its accessible name
 * @param {string} o.xLabelKey i18n key of the x axis label
 * @param {string} o.yLabelKey i18n key of the y axis label
 * @param {boolean} [o.logY]
 * @param {[number, number]} [o.yRange] fixed y range instead of fitting the data
 * @param {number} [o.minX] shortest x axis
 * Returns {element, update(series, overrides), destroy()}; series are
 * [{x, y, color, dashed}] with x and y typed arrays of one length; overrides
 * ({yRange, marks, minX}) replace those options from this update on.
 */
export function createCurvesChart({ className = "", labelKey, xLabelKey, yLabelKey, logY = false, yRange = null, minX = 1 }) {
  const still = createStillCanvas({ class: `chart ${className}`.trim(), role: "img", "data-i18n-label": labelKey });
  const { canvas } = still;
  let series = [];
  let options = { logY, yRange, minX, marks: [] };
  const draw = () => {
    drawLines(still.sized(), series, { ...options, xLabel: t(xLabelKey), yLabel: t(yLabelKey) });
    still.present();
  };
  const unfit = fitCanvas(canvas, draw);
  const unlisten = onLanguageChange(draw);
  return {
    element: canvas,
    update(next, overrides = {}) {
      series = next;
      options = { ...options, ...overrides };
      draw();
    },
    destroy() {
      unfit();
      unlisten();
    },
  };
}
