// The class-probability part: one row per class with a bar as long as its
// probability and the percentage, the most probable class marked. Plain
// elements with text, so screen readers read every class. Given
// probabilities; it knows nothing of the engine.
import { h, clear } from "../dom.js";

/**
 * @param {object} o
 * @param {number} o.classes
 * @param {string[]} [o.names] class names (default "0", "1", …)
 * @param {string} [o.className] extra classes
 * Returns {element, update(probabilities | null), setTitle(text), top, destroy()}.
 */
export function createProbabilityBars({ classes, names = null, className = "" }) {
  const title = h("p", { class: "prob-title" });
  const list = h("ol", { class: "prob-bars", start: 0 });
  const element = h("div", { class: `prob ${className}`.trim() }, title, list);
  const rows = [];
  for (let c = 0; c < classes; c++) {
    const fill = h("span", { class: "prob-fill" });
    const value = h("span", { class: "prob-value" });
    const item = h("li", { class: "prob-row" }, h("span", { class: "prob-name", text: names ? names[c] : String(c) }), h("span", { class: "prob-track" }, fill), value);
    rows.push({ item, fill, value });
    list.append(item);
  }
  let top = -1;
  return {
    element,
    update(probabilities) {
      top = -1;
      if (probabilities) {
        for (let c = 0; c < classes; c++) if (top < 0 || probabilities[c] > probabilities[top]) top = c;
      }
      rows.forEach(({ item, fill, value }, c) => {
        const p = probabilities ? probabilities[c] : 0;
        fill.style.width = `${(100 * p).toFixed(1)}%`;
        value.textContent = probabilities ? `${(100 * p).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)} %` : "–";
        item.classList.toggle("top", c === top);
      });
    },
    setTitle(text) {
      title.textContent = text;
    },
    /** The most probable class of the last update, or -1. */
    get top() { return top; },
    destroy() {},
  };
}
