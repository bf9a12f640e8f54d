// The race legend under the map: each racing slot's colour, name and
// status line.
import { h, clear } from "../dom.js";

/** Returns {element, update([{color, name, state, text}])}. */
export function createRaceLegend() {
  const element = h("ul", { class: "legend" });
  return {
    element,
    update(entries) {
      clear(element);
      for (const { color, name, state, text } of entries) {
        const swatch = h("span", { class: "swatch" });
        swatch.style.background = color;
        element.append(h("li", { class: state }, swatch, h("span", { class: "name", text: name }), h("span", { class: "status", text })));
      }
    },
  };
}
