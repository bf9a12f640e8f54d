// The mask-drawing part: a 2 → n → 2 network with the hidden units one
// dropout mask switched off (greyed, crossed in red, their weights faded).
// Given the mask, it keeps it and redraws it on resize; it knows nothing
// of the engine.
// A still canvas (still-canvas.js): between redraws it costs frames nothing.
import { fitCanvas } from "../canvas.js";
import { createStillCanvas } from "../still-canvas.js";

const KEPT = "#1f77b4";
const DROPPED_RING = "#d62728";
const INPUT_OUTPUT = "#555";

/**
 * @param {object} o
 * @param {string} o.labelKey i18n key of the canvas's accessible name
 * Returns {element, draw(mask), destroy()}; `mask[i]` is 1 for a kept hidden unit, 0 for a dropped one.
 */
export function createMaskDrawing({ labelKey }) {
  const still = createStillCanvas({ class: "net-drawing", role: "img", "data-i18n-label": labelKey });
  const { canvas } = still;
  let mask = null;
  const redraw = () => {
    if (!mask) return;
    paint(still.sized(), mask);
    still.present();
  };
  const unfit = fitCanvas(canvas, redraw);
  return {
    element: canvas,
    draw(next) {
      mask = next;
      redraw();
    },
    destroy: unfit,
  };
}

/** Unit centres, layer by layer, spread over the canvas. */
function positions(layers, width, height) {
  return layers.map((n, l) => Array.from({ length: n }, (_, i) => [((l + 0.5) / layers.length) * width, ((i + 0.5) / n) * height]));
}

function paint(canvas, mask) {
  const c = canvas.getContext("2d");
  const { width, height } = canvas;
  c.fillStyle = "#fff";
  c.fillRect(0, 0, width, height);
  const dpr = window.devicePixelRatio || 1;
  const layers = [2, mask.length, 2];
  const pos = positions(layers, width, height);
  drawWeights(c, pos, mask, dpr);
  const r = Math.min(12 * dpr, height / (2.6 * Math.max(...layers)));
  pos.forEach((layer, l) => layer.forEach(([x, y], i) => drawUnit(c, x, y, r, l, l === 1 && mask[i] === 0, dpr)));
}

/** Every weight, faded when it leaves or reaches a dropped unit. */
function drawWeights(c, pos, mask, dpr) {
  for (let l = 0; l < 2; l++) {
    for (const [i, a] of pos[l].entries()) {
      for (const [j, b] of pos[l + 1].entries()) {
        const off = (l === 0 && mask[j] === 0) || (l === 1 && mask[i] === 0);
        c.strokeStyle = off ? "rgba(0,0,0,0.06)" : "rgba(31,119,180,0.55)";
        c.lineWidth = dpr;
        c.beginPath(); c.moveTo(a[0], a[1]); c.lineTo(b[0], b[1]); c.stroke();
      }
    }
  }
}

function drawUnit(c, x, y, r, layer, dropped, dpr) {
  c.beginPath(); c.arc(x, y, r, 0, 2 * Math.PI);
  c.fillStyle = dropped ? "#eee" : layer === 1 ? KEPT : INPUT_OUTPUT;
  c.fill();
  c.strokeStyle = dropped ? DROPPED_RING : "#fff";
  c.lineWidth = 2 * dpr;
  c.stroke();
  if (dropped) {
    c.beginPath(); c.moveTo(x - r * 0.6, y - r * 0.6); c.lineTo(x + r * 0.6, y + r * 0.6);
    c.moveTo(x + r * 0.6, y - r * 0.6); c.lineTo(x - r * 0.6, y + r * 0.6); c.stroke();
  }
}
