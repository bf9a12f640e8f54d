// The count chart part: values against a whole number k = 1, 2, … (how many
// members an ensemble averages), one dot per k joined by a line, with
// horizontal reference lines (a single model's value). Given plain numbers;
// it knows nothing of the engine. The canvas's data-points attribute lists
// how many dots each series drew, for tests.
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { fitCanvas } from "../canvas.js";
import { createStillCanvas } from "../still-canvas.js";
import { t, onLanguageChange } from "../../i18n/index.js";

/**
 * @param {object} o
 * @param {string} [o.className] extra classes of the canvas
 * @param {string} o.labelKey i18n key of its accessible name
 * @param {string} o.xLabelKey i18n key of the x axis label
 * @param {string} o.yLabelKey i18n key of the y axis label
 * @param {(v:number)=>string} [o.format] tick labels
 * Returns {element, update(data), destroy()}; data is
 *   {count, series: [{values, color, dashed}], lines: [{y, color, dashed}], yRange?}
 * where values[k − 1] is the value at k (NaN or missing: no dot).
 */
export function createCountChart({ className = "", labelKey, xLabelKey, yLabelKey, format = (v) => String(Number(v.toPrecision(3))) }) {
  const still = createStillCanvas({ class: `chart ${className}`.trim(), role: "img", "data-i18n-label": labelKey });
  const { canvas } = still;
  let data = { count: 1, series: [], lines: [] };
  const draw = () => {
    drawCounts(still.sized(), data, { format, xLabel: t(xLabelKey), yLabel: t(yLabelKey) });
    still.present();
  };
  const unfit = fitCanvas(canvas, draw);
  const unlisten = onLanguageChange(draw);
  return {
    element: canvas,
    update(next) {
      data = next;
      canvas.dataset.points = next.series.map((s) => Array.from(s.values).filter(Number.isFinite).length).join(",");
      draw();
    },
    destroy() {
      unfit();
      unlisten();
    },
  };
}

/** Draws the chart; exported for pictures made outside the part. */
export function drawCounts(canvas, { count, series, lines = [], yRange = null }, { format, xLabel = "", yLabel = "" }) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const dpr = window.devicePixelRatio || 1;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  if (width < 48 || height < 48) return;
  const kMax = Math.max(1, count);
  let [lo, hi] = yRange ?? fitRange([...series.flatMap((s) => Array.from(s.values)), ...lines.map((l) => l.y)]);
  if (hi - lo < 1e-9) { lo -= 0.01; hi += 0.01; }
  const font = 11 * dpr;
  ctx.font = `${font}px sans-serif`;
  const ticks = niceTicks(lo, hi);
  if (!yRange) [lo, hi] = [ticks[0], ticks[ticks.length - 1]];
  const left = Math.max(...ticks.map((v) => ctx.measureText(format(v)).width)) + 10 * dpr;
  const right = 10 * dpr;
  const top = 10 * dpr;
  const bottom = 2.6 * font;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  // k = 1 … kMax spread over the width with half a step of margin each side.
  const px = (k) => left + ((k - 0.5) / kMax) * plotW;
  const py = (v) => top + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotH;

  ctx.lineWidth = dpr;
  ctx.textBaseline = "middle";
  ctx.fillStyle = "#444";
  for (const v of ticks) {
    ctx.strokeStyle = "#e3e3e3";
    ctx.beginPath(); ctx.moveTo(left, py(v)); ctx.lineTo(width - right, py(v)); ctx.stroke();
    const text = format(v);
    ctx.fillText(text, left - 4 * dpr - ctx.measureText(text).width, py(v));
  }
  ctx.strokeStyle = "#999";
  ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, top + plotH); ctx.lineTo(width - right, top + plotH); ctx.stroke();
  ctx.textBaseline = "top";
  // Every k when they fit, else every second, fifth, … .
  const every = [1, 2, 5, 10].find((n) => plotW / (kMax / n) >= 22 * dpr) ?? 10;
  for (let k = 1; k <= kMax; k++) {
    if (k % every !== 0 && k !== 1) continue;
    const text = String(k);
    ctx.fillText(text, px(k) - ctx.measureText(text).width / 2, top + plotH + 3 * dpr);
  }
  ctx.fillText(xLabel, left + (plotW - ctx.measureText(xLabel).width) / 2, top + plotH + 3 * dpr + 1.2 * font);
  ctx.fillText(yLabel, left + 6 * dpr, top);

  for (const line of lines) {
    if (!Number.isFinite(line.y)) continue;
    ctx.strokeStyle = line.color;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash(line.dashed ? [6 * dpr, 4 * dpr] : []);
    ctx.beginPath(); ctx.moveTo(left, py(line.y)); ctx.lineTo(width - right, py(line.y)); ctx.stroke();
  }
  const r = 3.5 * dpr;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash(s.dashed ? [5 * dpr, 4 * dpr] : []);
    ctx.beginPath();
    let open = false;
    for (let k = 1; k <= s.values.length; k++) {
      const v = s.values[k - 1];
      if (!Number.isFinite(v)) { open = false; continue; }
      if (open) ctx.lineTo(px(k), py(v)); else ctx.moveTo(px(k), py(v));
      open = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    for (let k = 1; k <= s.values.length; k++) {
      const v = s.values[k - 1];
      if (!Number.isFinite(v)) continue;
      ctx.beginPath();
      ctx.arc(px(k), py(v), r, 0, 2 * Math.PI);
      ctx.fillStyle = s.dashed ? "#fff" : s.color;
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
}

/**
 * Tick values at a round step (1, 2 or 5 × a power of ten) that cover
 * [lo, hi] in about `target` intervals: 90, 91, 92 … rather than 90.3, 91.3 … .
 */
export function niceTicks(lo, hi, target = 4) {
  const raw = (hi - lo) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * 0.999) ?? 10 * power;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks = [];
  // Multiplying the index (not adding steps) keeps 0.3 from becoming 0.30000000000000004.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** [lo, hi] around the finite values, padded by a tenth of their spread. */
function fitRange(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = Math.max(0.1 * (hi - lo), 1e-3 * Math.max(1, Math.abs(hi)));
  return [lo - pad, hi + pad];
}
