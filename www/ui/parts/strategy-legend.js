// A legend of coloured swatches with a line of text each (set from data,
// never markup), one item per strategy. It owns the list.
import { h, clear } from "../dom.js";

/**
 * @param {{className: string, colors: Record<string, string>}} options
 * Returns {element, show(items: {strategy, text}[])}.
 */
export function createStrategyLegend({ className, colors }) {
  const element = h("ul", { class: className });
  function show(items) {
    clear(element);
    for (const { strategy, text } of items) {
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = colors[strategy];
      element.append(h("li", { "data-strategy": strategy }, swatch, h("span", { text })));
    }
  }
  return { element, show };
}
