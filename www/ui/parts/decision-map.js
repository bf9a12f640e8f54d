// The decision-map part: a classifier's regions (an RGBA grid from the
// engine, scaled up smoothly) under its training points (filled) and
// validation points (hollow). Clicks, and a keyboard cross-hair (arrows,
// Enter or Space to add, Delete or Backspace to remove), report a point in
// data coordinates. Given data, a canvas and the engine module, which
// stamps the points (DotLayer).
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { fitCanvas } from "../canvas.js";
import { CLASS_COLORS } from "../net-common.js";
import { createStillCanvas } from "../still-canvas.js";

/**
 * @param {object} o
 * @param {object} o.engine the wasm module (its DotLayer draws the points)
 * @param {object} [o.attrs] attributes of the canvas (class, data-*, labels)
 * @param {(pick:{x:number, y:number, remove:boolean})=>void} [o.onPick] a click or key
 * @param {()=>boolean} [o.removeMode] whether a plain click removes
 * @param {()=>string} [o.placeholder] text shown centred before the first view (a slow first answer)
 * Returns {element, setView(view), setPoints(points), setImage(rgba, w, h), draw(), destroy()}:
 *   view   {xMin, xMax, yMin, yMax}
 *   points {train, trainLabels, val, valLabels}: [x0, y0, x1, y1, …] and class per point
 */
export function createDecisionMap({ engine, placeholder = () => "", attrs = {}, onPick = null, removeMode = () => false } = {}) {
  const still = createStillCanvas({ role: "img", ...attrs, ...(onPick ? { tabindex: 0 } : {}) });
  const { canvas } = still;
  const image = document.createElement("canvas");
  const dots = document.createElement("canvas");
  let view = null;
  let points = null;
  let hasImage = false;
  let dotsStale = true;
  let cursor = null;

  const toX = (x) => ((x - view.xMin) / (view.xMax - view.xMin)) * canvas.width;
  const toY = (y) => ((view.yMax - y) / (view.yMax - view.yMin)) * canvas.height;

  /** Pixel positions of flat data points [x0, y0, …]. */
  function pixelsOf(pts) {
    const out = new Float32Array(pts.length);
    for (let i = 0; i < pts.length; i += 2) {
      out[i] = toX(pts[i]);
      out[i + 1] = toY(pts[i + 1]);
    }
    return out;
  }

  function drawDots() {
    dots.width = canvas.width;
    dots.height = canvas.height;
    dotsStale = false;
    if (!points || !view || !dots.width || !dots.height) return;
    const dpr = window.devicePixelRatio || 1;
    const radius = Math.max(2.5, Math.min(canvas.width, canvas.height) / 140);
    // Stamped by the engine: a 2-D canvas takes ~40 ms for 6 000 arcs
    // without a GPU, the engine a few milliseconds (render/dots.rs).
    // Rims never wider than the dot (the engine refuses that): a tiny map on a dense screen.
    const rim = (width) => Math.min(width, 2 * radius);
    let layer = null;
    try {
      layer = new engine.DotLayer(dots.width, dots.height);
      layer.draw(pixelsOf(points.train), points.trainLabels, { radius, lineWidth: rim(dpr), hollow: false, colors: CLASS_COLORS });
      layer.draw(pixelsOf(points.val), points.valLabels, { radius, lineWidth: rim(2 * dpr), hollow: true, colors: CLASS_COLORS });
      dots.getContext("2d").putImageData(new ImageData(layer.pixels(), dots.width, dots.height), 0, 0);
    } catch (error) {
      // A canvas past the engine's 4096-pixel side: the regions still show.
      console.warn(`decision map points not drawn: ${error.message}`);
    } finally {
      layer?.free();
    }
  }

  function drawCursor(c) {
    if (!cursor || canvas.getRootNode().activeElement !== canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const px = toX(cursor.x);
    const py = toY(cursor.y);
    const r = 9 * dpr;
    c.save();
    c.strokeStyle = "#111";
    c.lineWidth = 2 * dpr;
    c.beginPath();
    c.moveTo(px - r, py); c.lineTo(px + r, py);
    c.moveTo(px, py - r); c.lineTo(px, py + r);
    c.stroke();
    c.restore();
  }

  function draw() {
    paint(still.sized().getContext("2d"));
    still.present();
  }

  function paint(c) {
    c.fillStyle = "#fff";
    c.fillRect(0, 0, canvas.width, canvas.height);
    if (!view) {
      paintPlaceholder(c);
      return;
    }
    if (hasImage) {
      c.imageSmoothingEnabled = true;
      c.drawImage(image, 0, 0, canvas.width, canvas.height);
    }
    if (dotsStale || dots.width !== canvas.width || dots.height !== canvas.height) drawDots();
    c.drawImage(dots, 0, 0);
    drawCursor(c);
  }

  function paintPlaceholder(c) {
    const text = placeholder();
    if (!text) return;
    const dpr = window.devicePixelRatio || 1;
    c.fillStyle = "#5b5b66"; // style.css --muted
    c.font = `${15 * dpr}px system-ui, sans-serif`;
    c.textAlign = "center";
    c.textBaseline = "middle";
    c.fillText(text, canvas.width / 2, canvas.height / 2, canvas.width * 0.9);
  }

  function toData(event) {
    const rect = canvas.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    return { x: view.xMin + fx * (view.xMax - view.xMin), y: view.yMax - fy * (view.yMax - view.yMin) };
  }

  const listeners = [];
  const listen = (type, fn) => {
    canvas.addEventListener(type, fn);
    listeners.push(() => canvas.removeEventListener(type, fn));
  };
  if (onPick) {
    listen("click", (event) => {
      if (!view) return;
      onPick({ ...toData(event), remove: event.shiftKey || removeMode() });
    });
    listen("contextmenu", (event) => {
      event.preventDefault();
      if (view) onPick({ ...toData(event), remove: true });
    });
    listen("keydown", (event) => {
      if (!view) return;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const width = view.xMax - view.xMin;
      const height = view.yMax - view.yMin;
      cursor ??= { x: (view.xMin + view.xMax) / 2, y: (view.yMin + view.yMax) / 2 };
      if (moves[event.key]) {
        const [dx, dy] = moves[event.key];
        cursor.x = Math.min(view.xMax, Math.max(view.xMin, cursor.x + dx * 0.025 * width));
        cursor.y = Math.min(view.yMax, Math.max(view.yMin, cursor.y + dy * 0.025 * height));
      } else if (event.key === "Enter" || event.key === " ") {
        onPick({ x: cursor.x, y: cursor.y, remove: removeMode() });
      } else if (event.key === "Delete" || event.key === "Backspace") {
        onPick({ x: cursor.x, y: cursor.y, remove: true });
      } else {
        return;
      }
      event.preventDefault();
      draw();
    });
    listen("blur", () => draw());
  }
  const unfit = fitCanvas(canvas, () => { dotsStale = true; draw(); });

  return {
    element: canvas,
    /** The data rectangle the canvas shows. */
    setView(next) {
      view = next;
      dotsStale = true;
    },
    setPoints(next) {
      points = next;
      dotsStale = true;
    },
    /** A `width × height` RGBA grid of the regions (row 0 at the top). */
    setImage(rgba, width, height) {
      image.width = width;
      image.height = height;
      image.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), width, height), 0, 0);
      hasImage = true;
    },
    draw,
    get view() { return view; },
    destroy() {
      unfit();
      for (const off of listeners) off();
    },
  };
}
