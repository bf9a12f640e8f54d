// The race map part: a surface's heatmap with its minima, the racers' paths
// and current points, the start, optional step arrows and a local model
// overlay. Clicks and arrow keys pick a new start.
//
// Drawing cost stays flat however long the race runs. The picture is a
// stack of canvases the browser composites off the main thread: the
// heatmap scaled once with its minima, the local model (only while one is
// shown), the paths — extended each frame only from where the last frame
// stopped, so 20 000 noisy steps are never stroked again as a whole — and
// on top the focusable canvas with the start, current points and arrows,
// the only layer cleared every frame. Copying whole layers into one canvas
// each frame cost more than everything else a frame does, without a GPU.
// `composite()` flattens the stack for downloads and tests.
import { h } from "../dom.js";
import { fitCanvas } from "../canvas.js";
import { imageDataOf } from "../race-config.js";
import { createStillCanvas } from "../still-canvas.js";

const OVERLAY_SIZE = 200;
const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

/**
 * @param {object} o
 * @param {(x: number, y: number) => void} o.onPick a new start in data coordinates
 * @param {() => void} o.onResize the canvas changed size (redraw)
 * Returns {element, canvas, setSurface, setStart, invalidatePaths, draw, composite, destroy}.
 */
export function createRaceMap({ onPick, onResize }) {
  const canvas = h("canvas", { class: "map", tabindex: 0, role: "img" });
  const heat = document.createElement("canvas");
  const layerAttributes = { class: "map-layer", "aria-hidden": "true" };
  // Bottom to top under `canvas`: scaled heatmap + minima, model, paths. The
  // first two change only now and then: still canvases (see still-canvas.js).
  const baseStill = createStillCanvas(layerAttributes);
  const modelStill = createStillCanvas(layerAttributes);
  const base = baseStill.canvas;
  const modelLayer = modelStill.canvas;
  const paths = h("canvas", layerAttributes);
  const overlay = document.createElement("canvas");
  overlay.width = OVERLAY_SIZE;
  overlay.height = OVERLAY_SIZE;
  const element = h("div", { class: "map-wrap" }, base, modelLayer, paths, canvas);
  let baseValid = false;
  let modelShown = false;
  let bounds = null;
  let minima = [];
  let start = [0, 0];
  // Per racer: points already on the path layer and the last pixel drawn.
  let drawn = [];

  const dpr = () => window.devicePixelRatio || 1;
  function toPixel(x, y) {
    return [
      ((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * canvas.width,
      ((bounds.yMax - y) / (bounds.yMax - bounds.yMin)) * canvas.height,
    ];
  }

  /** The next frame redraws every path from its first point. */
  function invalidatePaths() {
    drawn = [];
  }

  /** rgba: the engine's heatmap pixels (width × height); bounds {xMin, xMax, yMin, yMax}; minima flat [x0, y0, …]. */
  function setSurface({ rgba, width, height, bounds: b, minima: m }) {
    bounds = b;
    minima = Array.from(m);
    heat.width = width;
    heat.height = height;
    heat.getContext("2d").putImageData(imageDataOf(rgba, width, height), 0, 0);
    canvas.style.aspectRatio = `${width} / ${height}`;
    baseValid = false;
    invalidatePaths();
  }

  /**
   * Gives every layer the top canvas' backing size. Their CSS box is the
   * wrapper's (style.css), which the top canvas alone sizes: reading the
   * box here would force a layout of the whole demo (~50 ms at mount).
   */
  function fitLayers() {
    if (base.width === canvas.width && base.height === canvas.height) return;
    for (const l of [base, modelLayer, paths]) {
      l.width = canvas.width;
      l.height = canvas.height;
    }
    baseValid = false;
    drawn = [];
  }

  /** The heatmap scaled to the canvas, and its minima. */
  function drawBase() {
    if (baseValid) return;
    const back = baseStill.sized();
    const c = back.getContext("2d");
    c.clearRect(0, 0, back.width, back.height);
    c.imageSmoothingEnabled = true;
    c.drawImage(heat, 0, 0, back.width, back.height);
    drawMinima(c);
    baseStill.present();
    baseValid = true;
  }

  function setStart(point) {
    start = [point[0], point[1]];
  }

  /** Adds each racer's new points to the path layer. */
  function extendPaths(racers) {
    const c = paths.getContext("2d");
    if (drawn.length !== racers.length || racers.some((r, i) => drawn[i].color !== r.color || r.path.length < drawn[i].count)) {
      c.clearRect(0, 0, paths.width, paths.height);
      drawn = racers.map((r) => ({ color: r.color, count: 0, lx: 0, ly: 0 }));
    }
    const minGap = 0.75 * dpr();
    c.lineWidth = 2 * dpr();
    c.lineJoin = "round";
    c.lineCap = "round";
    racers.forEach(({ path, color }, i) => {
      const d = drawn[i];
      const n = path.length;
      if (n < 2 || d.count >= n) return;
      c.strokeStyle = color;
      c.beginPath();
      let k = d.count;
      if (k === 0) {
        [d.lx, d.ly] = toPixel(path[0], path[1]);
        k = 2;
      }
      c.moveTo(d.lx, d.ly);
      for (; k < n; k += 2) {
        const [px, py] = toPixel(path[k], path[k + 1]);
        // Points closer than a pixel add nothing to the picture.
        if (Math.abs(px - d.lx) + Math.abs(py - d.ly) < minGap) continue;
        c.lineTo(px, py);
        d.lx = px;
        d.ly = py;
      }
      c.stroke();
      d.count = n;
    });
  }

  function drawMinima(c) {
    c.strokeStyle = "rgba(255,255,255,0.9)";
    c.lineWidth = 1.5 * dpr();
    const r = 5 * dpr();
    for (let i = 0; i < minima.length; i += 2) {
      const [px, py] = toPixel(minima[i], minima[i + 1]);
      c.beginPath();
      c.moveTo(px - r, py - r); c.lineTo(px + r, py + r);
      c.moveTo(px + r, py - r); c.lineTo(px - r, py + r);
      c.stroke();
    }
  }

  /** model: {pixels (OVERLAY_SIZE² RGBA), at: [x, y], target: [x, y] | null}, or null. */
  function drawModel(model) {
    if (!model) {
      if (modelShown) modelStill.clear();
      modelShown = false;
      return;
    }
    modelShown = true;
    const back = modelStill.sized();
    const c = back.getContext("2d");
    c.clearRect(0, 0, back.width, back.height);
    overlay.getContext("2d").putImageData(imageDataOf(model.pixels, OVERLAY_SIZE, OVERLAY_SIZE), 0, 0);
    c.drawImage(overlay, 0, 0, back.width, back.height);
    if (model.target) drawNewtonTarget(c, model);
    modelStill.present();
  }

  /** The dashed line from the racer to the local model's minimum, and a diamond there. */
  function drawNewtonTarget(c, model) {
    const [cx, cy] = toPixel(model.at[0], model.at[1]);
    const [tx, ty] = toPixel(model.target[0], model.target[1]);
    const s = dpr();
    c.save();
    c.strokeStyle = "#ffd60a";
    c.lineWidth = 2 * s;
    c.setLineDash([5 * s, 4 * s]);
    c.beginPath();
    c.moveTo(cx, cy);
    c.lineTo(tx, ty);
    c.stroke();
    c.setLineDash([]);
    c.fillStyle = "#ffd60a";
    c.beginPath();
    const r = 6 * s;
    c.moveTo(tx, ty - r); c.lineTo(tx + r, ty); c.lineTo(tx, ty + r); c.lineTo(tx - r, ty);
    c.closePath();
    c.fill();
    c.restore();
  }

  function arrow(c, x, y, dx, dy, color, dashed) {
    const s = dpr();
    c.save();
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 2 * s;
    if (dashed) c.setLineDash([4 * s, 3 * s]);
    c.beginPath();
    c.moveTo(x, y);
    c.lineTo(x + dx, y + dy);
    c.stroke();
    c.setLineDash([]);
    const angle = Math.atan2(dy, dx);
    const head = 7 * s;
    c.beginPath();
    c.moveTo(x + dx, y + dy);
    c.lineTo(x + dx - head * Math.cos(angle - 0.4), y + dy - head * Math.sin(angle - 0.4));
    c.lineTo(x + dx - head * Math.cos(angle + 0.4), y + dy - head * Math.sin(angle + 0.4));
    c.closePath();
    c.fill();
    c.restore();
  }

  /** The gradient (white, dashed, fixed length) and the last step (its colour) at a racer's point. */
  function drawArrows(c, cx, cy, [gx, gy, dx, dy], color) {
    const s = dpr();
    const perX = canvas.width / (bounds.xMax - bounds.xMin);
    const perY = canvas.height / (bounds.yMax - bounds.yMin);
    const gl = Math.hypot(gx * perX, gy * perY);
    if (gl > 0) arrow(c, cx, cy, (-gx * perX / gl) * 36 * s, (gy * perY / gl) * 36 * s, "#fff", true);
    const sx = dx * perX;
    const sy = -dy * perY;
    const sl = Math.hypot(sx, sy);
    if (sl > 0) {
      const len = Math.min(80, Math.max(14, sl * 8)) * s;
      arrow(c, cx, cy, (sx / sl) * len, (sy / sl) * len, color, false);
    }
  }

  /**
   * racers: [{path (flat x, y per step), color, arrows?: () => [gx, gy, dx, dy]}];
   * model: see drawModel, or null; over(context, toPixel, dpr): a host's
   * own drawing on top, in data coordinates through toPixel.
   */
  function draw({ racers = [], model = null, over = null } = {}) {
    if (!bounds) return;
    fitLayers();
    drawBase();
    drawModel(model);
    extendPaths(racers);
    const c = canvas.getContext("2d");
    const s = dpr();
    c.clearRect(0, 0, canvas.width, canvas.height);
    const [sx, sy] = toPixel(start[0], start[1]);
    c.fillStyle = "#fff";
    c.strokeStyle = "#000";
    c.lineWidth = 1.5 * s;
    c.beginPath();
    c.rect(sx - 4 * s, sy - 4 * s, 8 * s, 8 * s);
    c.fill();
    c.stroke();
    for (const { path, color, arrows } of racers) {
      const n = path.length;
      if (n < 2) continue;
      const [cx, cy] = toPixel(path[n - 2], path[n - 1]);
      c.fillStyle = color;
      c.strokeStyle = "#fff";
      c.lineWidth = 2 * s;
      c.beginPath();
      c.arc(cx, cy, 5 * s, 0, Math.PI * 2);
      c.fill();
      c.stroke();
      if (arrows && n > 2) drawArrows(c, cx, cy, arrows(), color);
    }
    over?.(c, toPixel, s);
  }

  /** The whole picture in one new canvas (for a PNG): every layer, bottom to top. */
  function composite() {
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const c = out.getContext("2d");
    // The still layers' own 2D pictures: every engine can read those.
    for (const l of [baseStill.back, modelShown ? modelStill.back : null, paths, canvas]) {
      if (!l) continue;
      if (l.width === out.width && l.height === out.height) c.drawImage(l, 0, 0);
    }
    return out;
  }

  function onClick(event) {
    if (!bounds) return;
    const rect = canvas.getBoundingClientRect();
    const x = bounds.xMin + ((event.clientX - rect.left) / rect.width) * (bounds.xMax - bounds.xMin);
    const y = bounds.yMax - ((event.clientY - rect.top) / rect.height) * (bounds.yMax - bounds.yMin);
    onPick(x, y);
  }
  function onKey(event) {
    const move = MOVES[event.key];
    if (!move || !bounds) return;
    event.preventDefault();
    const [x, y] = start;
    const nx = Math.min(bounds.xMax, Math.max(bounds.xMin, x + move[0] * 0.02 * (bounds.xMax - bounds.xMin)));
    const ny = Math.min(bounds.yMax, Math.max(bounds.yMin, y + move[1] * 0.02 * (bounds.yMax - bounds.yMin)));
    onPick(nx, ny);
  }
  canvas.addEventListener("click", onClick);
  canvas.addEventListener("keydown", onKey);
  const unfit = fitCanvas(canvas, () => {
    invalidatePaths();
    if (bounds) onResize();
  });

  return {
    element,
    canvas,
    setSurface,
    setStart,
    invalidatePaths,
    draw,
    composite,
    destroy() {
      unfit();
      canvas.removeEventListener("click", onClick);
      canvas.removeEventListener("keydown", onKey);
    },
  };
}
