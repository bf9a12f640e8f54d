// Pieces shared by the network, dropout and batch-norm views: class
// colours, the hidden-width parser and a tiny histogram renderer (the
// decision map is a part: www/ui/parts/decision-map.js).
export const DATASETS = ["spiral", "moons", "circles", "xor", "blobs"];
export const TWO_CLASS = ["moons", "xor"];
export const ACTIVATIONS = ["relu", "tanh", "sigmoid"];
export const CLASS_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
export const MAX_WIDTH = 1024;
export const MAX_LAYERS = 6;

/** "100" or "32, 16" → [100] / [32, 16]; null when not valid. */
export function parseHidden(text) {
  const trimmed = String(text).trim();
  if (trimmed === "") return [];
  const parts = trimmed.split(/[\s,]+/);
  if (parts.length > MAX_LAYERS) return null;
  const widths = parts.map(Number);
  return widths.every((w) => Number.isInteger(w) && w >= 1 && w <= MAX_WIDTH) ? widths : null;
}

/**
 * Draws histograms of `series` ([{values, color}]) over a shared range
 * into `canvas`, with the range written under the axis.
 */
export function drawHistograms(canvas, series, { bins = 40, range = null, label = "" } = {}) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  let lo = range?.[0] ?? Infinity;
  let hi = range?.[1] ?? -Infinity;
  if (!range) {
    for (const s of series) for (const v of s.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!Number.isFinite(lo) || hi <= lo) { lo = -1; hi = 1; }
  const dpr = window.devicePixelRatio || 1;
  const axis = 18 * dpr;
  const counts = series.map((s) => {
    const c = new Float64Array(bins);
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
      c[b] += 1 / s.values.length;
    }
    return c;
  });
  const top = Math.max(1e-9, ...counts.map((c) => Math.max(...c)));
  const bw = width / bins;
  series.forEach((s, k) => {
    ctx.fillStyle = s.color;
    ctx.globalAlpha = series.length > 1 ? 0.55 : 0.85;
    counts[k].forEach((c, b) => {
      const barH = (c / top) * (height - axis - 4 * dpr);
      ctx.fillRect(b * bw, height - axis - barH, Math.max(1, bw - 1), barH);
    });
  });
  ctx.globalAlpha = 1;
  ctx.fillStyle = "#333";
  ctx.font = `${11 * dpr}px sans-serif`;
  ctx.textBaseline = "bottom";
  ctx.fillText(lo.toPrecision(3), 2, height - 2);
  const hiText = hi.toPrecision(3);
  ctx.fillText(hiText, width - ctx.measureText(hiText).width - 2, height - 2);
  if (label) {
    const w = ctx.measureText(label).width;
    ctx.fillText(label, (width - w) / 2, height - 2);
  }
}

/** Percent with one decimal, or "–". */
export function pct(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : `${(100 * v).toFixed(1)} %`;
}

/** Three decimals, or an exponent when large (≥ 10⁴) or tiny (< 10⁻³), or "–" when not finite. */
export function short(v) {
  if (!Number.isFinite(v)) return "–";
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
}
