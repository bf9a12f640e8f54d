// Canvases that stay sharp: the backing store follows the CSS size times
// devicePixelRatio, and a redraw is requested whenever either changes.

/**
 * Keeps `canvas` sized to its CSS box. Calls `onResize()` after each change.
 * Returns a function that stops watching.
 */
export function fitCanvas(canvas, onResize) {
  const update = () => {
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(rect.width * dpr));
    const height = Math.max(1, Math.round(rect.height * dpr));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      onResize();
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(canvas);
  const media = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
  media.addEventListener("change", update);
  update();
  return () => {
    observer.disconnect();
    media.removeEventListener("change", update);
  };
}
