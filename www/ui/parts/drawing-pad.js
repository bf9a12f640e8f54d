// The drawing-pad part: a square canvas to draw a digit on with a mouse, a
// finger or a pen (pointer events, one stroke per pointer), white ink on
// black as MNIST stores digits. `ink()` reads the picture back as grey
// values; `setImage` paints a small image (a test digit) scaled up, so
// picking a digit and drawing go through the same path. Given nothing but
// strokes; it knows nothing of the engine.
import { h } from "../dom.js";
import { greyToRgba } from "./image-grid.js";

/** The pad's own resolution (CSS scales it to fit). */
export const PAD_SIZE = 280;

/**
 * @param {object} o
 * @param {string} [o.labelKey] i18n key of the canvas's accessible name
 * @param {(kind:"stroke"|"clear"|"image")=>void} [o.onChange] after every piece of a
 *   stroke, every clear and every image
 * @param {number} [o.brush] stroke width in pad pixels (MNIST's strokes are about
 *   an eighth of a digit's height)
 * Returns {element, canvas, ink(), setImage(pixels, w, h), clear(), empty, destroy()}.
 */
export function createDrawingPad({ labelKey, onChange = () => {}, brush = 22 } = {}) {
  const canvas = h("canvas", { class: "drawing-pad", width: PAD_SIZE, height: PAD_SIZE, role: "img", "data-i18n-label": labelKey });
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let empty = true;
  const strokes = new Map();

  function reset() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
    empty = true;
  }

  function toPad(event) {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) * PAD_SIZE) / rect.width, ((event.clientY - rect.top) * PAD_SIZE) / rect.height];
  }

  function line(from, to) {
    ctx.strokeStyle = "#fff";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = brush;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    if (from[0] === to[0] && from[1] === to[1]) {
      ctx.arc(to[0], to[1], brush / 2, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.moveTo(from[0], from[1]);
      ctx.lineTo(to[0], to[1]);
      ctx.stroke();
    }
    empty = false;
  }

  function down(event) {
    if (event.button !== undefined && event.button > 0) return;
    event.preventDefault();
    try {
      // Keeps the stroke when the pointer leaves the pad; a pointer the
      // browser does not track (a synthetic event) cannot be captured.
      canvas.setPointerCapture?.(event.pointerId);
    } catch {
      // Drawing still works while the pointer stays on the pad.
    }
    const at = toPad(event);
    strokes.set(event.pointerId, at);
    line(at, at);
    onChange("stroke");
  }

  function move(event) {
    const last = strokes.get(event.pointerId);
    if (!last) return;
    event.preventDefault();
    // Coalesced events keep a fast stroke smooth where the browser has them.
    const events = event.getCoalescedEvents?.() ?? [];
    let from = last;
    for (const e of events.length ? events : [event]) {
      const to = toPad(e);
      line(from, to);
      from = to;
    }
    strokes.set(event.pointerId, from);
    onChange("stroke");
  }

  function up(event) {
    const last = strokes.get(event.pointerId);
    if (!last) return;
    strokes.delete(event.pointerId);
    // A browser may fold the last moves into the pointerup: draw to where it happened.
    if (event.type === "pointerup") {
      const at = toPad(event);
      if (at[0] !== last[0] || at[1] !== last[1]) {
        line(last, at);
        onChange("stroke");
      }
    }
  }

  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  reset();

  return {
    element: canvas,
    canvas,
    /** The picture as PAD_SIZE² grey values in [0, 1] (ink = 1). */
    ink() {
      const data = ctx.getImageData(0, 0, PAD_SIZE, PAD_SIZE).data;
      const out = new Float32Array(PAD_SIZE * PAD_SIZE);
      for (let i = 0; i < out.length; i++) out[i] = data[4 * i] / 255;
      return { pixels: out, width: PAD_SIZE, height: PAD_SIZE };
    },
    /** Replaces the picture with a small grey image (bytes or [0, 1] values) scaled up smoothly. */
    setImage(pixels, width, height) {
      reset();
      const small = document.createElement("canvas");
      small.width = width;
      small.height = height;
      small.getContext("2d").putImageData(new ImageData(greyToRgba(pixels, width, height), width, height), 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(small, 0, 0, PAD_SIZE, PAD_SIZE);
      empty = false;
      onChange("image");
    },
    clear() {
      strokes.clear();
      reset();
      onChange("clear");
    },
    get empty() { return empty; },
    destroy() {
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerup", up);
      canvas.removeEventListener("pointercancel", up);
    },
  };
}

/**
 * A drawing shrunk to side × side by averaging each cell's area, with no
 * centring: where you drew is where the digit lands (MNIST's preparation
 * is the engine's centerDigit). `pixels` are width × height grey values.
 */
export function downscale(pixels, width, height, side = 28) {
  const out = new Float32Array(side * side);
  const sx = width / side;
  const sy = height / side;
  for (let y = 0; y < side; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < side; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      let sum = 0;
      // Each source pixel counts by the part of it inside the cell.
      for (let py = Math.floor(y0); py < Math.ceil(y1); py++) {
        const wy = Math.min(py + 1, y1) - Math.max(py, y0);
        for (let px = Math.floor(x0); px < Math.ceil(x1); px++) {
          const wx = Math.min(px + 1, x1) - Math.max(px, x0);
          sum += wx * wy * pixels[py * width + px];
        }
      }
      out[y * side + x] = sum / (sx * sy);
    }
  }
  return out;
}
