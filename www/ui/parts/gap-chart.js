// The gap-chart part: one positive quantity against K = 1 … n (dropout's
// |average of K masked passes − scaled pass|), as a line from the axis up,
// the largest value and the axis title written in. Given the values, it
// keeps them and redraws on resize and language change.
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { fitCanvas } from "../canvas.js";
import { createStillCanvas } from "../still-canvas.js";
import { t, onLanguageChange } from "../../i18n/index.js";

/**
 * @param {object} o
 * @param {string} o.labelKey i18n key of the canvas's accessible name
 * @param {string} o.axisKey i18n key of the y axis title, written in the top left
 * @param {string} [o.color]
 * Returns {element, update(values), destroy()}; `values[k − 1]` belongs to K = k.
 */
export function createGapChart({ labelKey, axisKey, color = "#1f77b4" }) {
  const still = createStillCanvas({ class: "net-figure", role: "img", "data-i18n-label": labelKey });
  const { canvas } = still;
  let values = null;
  const redraw = () => {
    if (!values?.length) return;
    paint(still.sized(), values, t(axisKey), color);
    still.present();
  };
  const unfit = fitCanvas(canvas, redraw);
  const unlisten = onLanguageChange(redraw);
  return {
    element: canvas,
    update(next) {
      values = next;
      redraw();
    },
    destroy() {
      unfit();
      unlisten();
    },
  };
}

function paint(canvas, values, axisTitle, color) {
  const c = canvas.getContext("2d");
  const { width: w, height: hgt } = canvas;
  const dpr = window.devicePixelRatio || 1;
  c.fillStyle = "#fff"; c.fillRect(0, 0, w, hgt);
  const pad = 36 * dpr;
  const top = Math.max(...values);
  c.strokeStyle = "#999"; c.lineWidth = dpr;
  c.beginPath(); c.moveTo(pad, 4 * dpr); c.lineTo(pad, hgt - pad); c.lineTo(w - 4 * dpr, hgt - pad); c.stroke();
  c.strokeStyle = color; c.lineWidth = 2 * dpr; c.beginPath();
  values.forEach((g, i) => {
    const px = pad + ((w - pad - 8 * dpr) * i) / Math.max(1, values.length - 1);
    const py = hgt - pad - ((hgt - pad - 8 * dpr) * g) / top;
    if (i === 0) c.moveTo(px, py); else c.lineTo(px, py);
  });
  c.stroke();
  c.fillStyle = "#333"; c.font = `${11 * dpr}px sans-serif`;
  c.fillText(top.toPrecision(2), 2, 14 * dpr);
  c.fillText("K = 1", pad, hgt - pad + 14 * dpr);
  const last = `K = ${values.length}`;
  c.fillText(last, w - c.measureText(last).width - 4, hgt - pad + 14 * dpr);
  c.fillText(axisTitle, pad + 8 * dpr, 14 * dpr);
}
