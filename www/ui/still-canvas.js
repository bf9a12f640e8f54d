// A canvas whose picture changes now and then rather than every frame: a
// heatmap under moving paths, a chart redrawn a few times a second, a
// decision map between training snapshots.
//
// Why not a plain 2D canvas: without a GPU, Chromium copies every 2D canvas
// that was ever drawn into the compositor on every animation frame, changed
// or not — about 3 ms of main-thread time a frame for one 662 × 662 canvas
// on the 2-core CI machine, and a demo has several. A "bitmaprenderer"
// canvas shows one ImageBitmap and costs nothing until it is given the next.
// So the picture is drawn on a detached 2D canvas (`back`, which keeps it for
// downloads and for drawing into other canvases) and shown with present().
// Where an engine lacks OffscreenCanvas or "bitmaprenderer", `back` is the
// shown canvas itself and present() does nothing.
import { h } from "./dom.js";

/**
 * @param {object} attributes for the shown <canvas> (class, role, tabindex…)
 * Returns {canvas, back, sized(), present(), clear()}:
 *   canvas   the element on the page (size it with fitCanvas as usual)
 *   back     the 2D canvas to draw on
 *   sized()  `back`, first given the shown canvas' backing size if it differs
 *   present() shows what `back` holds now
 *   clear()  shows nothing (transparent) and clears `back`
 */
export function createStillCanvas(attributes = {}) {
  const canvas = h("canvas", attributes);
  const renderer = typeof OffscreenCanvas === "function" ? canvas.getContext("bitmaprenderer") : null;
  const back = renderer ? document.createElement("canvas") : canvas;

  function sized() {
    if (back !== canvas && (back.width !== canvas.width || back.height !== canvas.height)) {
      back.width = canvas.width;
      back.height = canvas.height;
    }
    return back;
  }

  // Kept between pictures: a new OffscreenCanvas and context per present()
  // cost more than the copy itself.
  let frame = null;
  let frameContext = null;

  function present() {
    if (!renderer) return;
    if (!frame || frame.width !== back.width || frame.height !== back.height) {
      frame = new OffscreenCanvas(back.width, back.height);
      frameContext = frame.getContext("2d");
    }
    // One copy per change, synchronously: the next frame shows this picture.
    // transferToImageBitmap leaves `frame` blank for the next one.
    frameContext.drawImage(back, 0, 0);
    renderer.transferFromImageBitmap(frame.transferToImageBitmap());
  }

  function clear() {
    back.getContext("2d").clearRect(0, 0, back.width, back.height);
    if (renderer) renderer.transferFromImageBitmap(null);
  }

  return { canvas, back, sized, present, clear };
}
