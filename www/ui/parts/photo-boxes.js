// The photo-boxes part: the original photo with boxes on it (every
// sample's crop, the focused one bold), which also takes a dropped image
// file. Given the photo (a canvas) and the boxes, it draws them at the
// photo's own pixels; it knows nothing of the engine.
import { h } from "../dom.js";

/**
 * @param {object} o
 * @param {(file: File) => void} o.onDrop an image file was dropped on it
 * Returns {element, canvas, draw(source, boxes, bold, label)}.
 */
export function createPhotoBoxes({ onDrop }) {
  const canvas = h("canvas", { class: "aug-photo", role: "img" });
  const element = h("div", { class: "aug-drop", tabindex: -1 },
    canvas, h("p", { class: "aug-drop-hint", "data-i18n": "aug.dropHint" }));
  element.addEventListener("dragover", (event) => {
    event.preventDefault();
    element.classList.add("dragging");
  });
  element.addEventListener("dragleave", () => element.classList.remove("dragging"));
  element.addEventListener("drop", (event) => {
    event.preventDefault();
    element.classList.remove("dragging");
    onDrop(event.dataTransfer?.files?.[0]);
  });
  return {
    element,
    canvas,
    /**
     * `source` (a canvas of the photo), thin boxes `[{x, y, width, height} | null]`,
     * `bold` the one drawn bold (or null), `label` the accessible name.
     */
    draw(source, boxes, bold, label) {
      canvas.width = source.width;
      canvas.height = source.height;
      const c = canvas.getContext("2d");
      c.drawImage(source, 0, 0);
      const unit = Math.max(1, Math.max(source.width, source.height) / 320);
      for (const b of boxes) {
        if (!b) continue;
        c.strokeStyle = "rgba(255, 255, 255, 0.55)";
        c.lineWidth = unit;
        c.strokeRect(b.x + 0.5, b.y + 0.5, b.width - 1, b.height - 1);
      }
      if (bold) {
        c.strokeStyle = "#000";
        c.lineWidth = 4 * unit;
        c.strokeRect(bold.x, bold.y, bold.width, bold.height);
        c.strokeStyle = "#fca311";
        c.lineWidth = 2 * unit;
        c.strokeRect(bold.x, bold.y, bold.width, bold.height);
      }
      canvas.setAttribute("aria-label", label);
    },
    destroy() {},
  };
}
