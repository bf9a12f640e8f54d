// A small multi-run line chart drawn with the 2-D context: several runs'
// curves on one step axis (plotters' drawChart shows one run at a time).
// Non-finite points break a line instead of stretching the axis.

/**
 * Draws `series` ([{x, y, color, dashed}]) on `canvas`.
 * `logY` puts the y axis on a log scale (only positive values are drawn);
 * `yRange` fixes [lo, hi] instead of fitting the data; `marks` are x
 * positions drawn as thin vertical lines with a ▼ at the top (events on the
 * step axis, such as saved snapshots).
 */
export function drawLines(canvas, series, { logY = false, yRange = null, xLabel = "", yLabel = "", minX = 1, marks = [], markColor = "#444" } = {}) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const dpr = window.devicePixelRatio || 1;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  if (width < 48 || height < 48) return;
  const map = (v) => (logY ? (v > 0 ? Math.log10(v) : NaN) : v);
  let lo = Infinity;
  let hi = -Infinity;
  let xMax = minX;
  for (const s of series) {
    for (let i = 0; i < s.y.length; i++) {
      const v = map(s.y[i]);
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      xMax = Math.max(xMax, s.x[i]);
    }
  }
  if (yRange) [lo, hi] = yRange.map(map);
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const font = 11 * dpr;
  ctx.font = `${font}px sans-serif`;
  const label = (v) => {
    const raw = logY ? 10 ** v : v;
    return Math.abs(raw) >= 1e4 || (Math.abs(raw) < 1e-2 && raw !== 0) ? raw.toExponential(0) : String(Number(raw.toPrecision(2)));
  };
  const ticks = [0, 2, 4].map((k) => label(lo + ((hi - lo) * k) / 4));
  const left = Math.max(...ticks.map((text) => ctx.measureText(text).width)) + 10 * dpr;
  const right = 8 * dpr;
  const top = 8 * dpr;
  const bottom = 2.6 * font;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const px = (x) => left + (x / xMax) * plotW;
  const py = (v) => top + (1 - (v - lo) / (hi - lo)) * plotH;

  ctx.strokeStyle = "#e3e3e3";
  ctx.lineWidth = dpr;
  ctx.fillStyle = "#444";
  ctx.textBaseline = "middle";
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    const y = py(v);
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(width - right, y); ctx.stroke();
    if (k % 2 === 0) {
      const text = label(v);
      ctx.fillText(text, left - 4 * dpr - ctx.measureText(text).width, y);
    }
  }
  ctx.strokeStyle = "#999";
  ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, top + plotH); ctx.lineTo(width - right, top + plotH); ctx.stroke();
  ctx.textBaseline = "top";
  ctx.fillText("0", left, top + plotH + 3 * dpr);
  const end = String(Math.round(xMax));
  ctx.fillText(end, width - right - ctx.measureText(end).width, top + plotH + 3 * dpr);
  ctx.fillText(xLabel, left + (plotW - ctx.measureText(xLabel).width) / 2, top + plotH + 3 * dpr + 1.2 * font);
  const yText = `${yLabel}${logY ? " (log)" : ""}`;
  ctx.fillText(yText, left + 6 * dpr, top + 2 * dpr);

  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top - dpr, plotW, plotH + 2 * dpr);
  ctx.clip();
  if (marks.length) {
    ctx.strokeStyle = markColor;
    ctx.fillStyle = markColor;
    ctx.lineWidth = dpr;
    ctx.setLineDash([2 * dpr, 3 * dpr]);
    for (const mark of marks) {
      if (!(mark >= 0 && mark <= xMax)) continue;
      const x = px(mark);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + plotH); ctx.stroke();
      const r = 4 * dpr;
      ctx.beginPath(); ctx.moveTo(x - r, top); ctx.lineTo(x + r, top); ctx.lineTo(x, top + 1.6 * r); ctx.closePath(); ctx.fill();
    }
    ctx.setLineDash([]);
  }
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash(s.dashed ? [5 * dpr, 4 * dpr] : []);
    ctx.beginPath();
    let open = false;
    for (let i = 0; i < s.y.length; i++) {
      const v = map(s.y[i]);
      if (!Number.isFinite(v)) { open = false; continue; }
      const x = px(s.x[i]);
      const y = py(Math.min(hi, Math.max(lo, v)));
      if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      open = true;
    }
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
}

/** Mean, standard deviation and share of values ≤ 0 of a list of numbers. */
export function summary(values) {
  let n = 0;
  let sum = 0;
  let nonPositive = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (v <= 0) nonPositive++;
  }
  const mean = n ? sum / n : NaN;
  let sq = 0;
  for (const v of values) if (Number.isFinite(v)) sq += (v - mean) ** 2;
  return { mean, std: n ? Math.sqrt(sq / n) : NaN, nonPositive: n ? nonPositive / n : NaN, count: n };
}

/** [lo, hi] holding all but the outer `tail` share of the values on each side. */
export function robustRange(lists, tail = 0.005) {
  // A typed array sorts numerically without a comparator: many times faster
  // than an Array with one (the batch-norm view ranges ~30 000 values a frame).
  let count = 0;
  for (const list of lists) count += list.length;
  const buffer = new Float64Array(count);
  let n = 0;
  for (const list of lists) for (const v of list) if (Number.isFinite(v)) buffer[n++] = v;
  if (!n) return [-1, 1];
  const all = buffer.subarray(0, n).sort();
  const lo = all[Math.floor(tail * (all.length - 1))];
  const hi = all[Math.ceil((1 - tail) * (all.length - 1))];
  if (hi - lo < 1e-12) return [lo - 1e-3 - Math.abs(lo) * 0.1, hi + 1e-3 + Math.abs(hi) * 0.1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}
