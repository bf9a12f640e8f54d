// The transfer demo's settings panel: target task and images per class,
// one checkbox (with its colour) per strategy, rate, stop step and seed,
// and the error line. It owns the panel; fields come from the demo.
import { h } from "../dom.js";

/**
 * @param {{fields: object, errorBox: HTMLElement, prefix: string, strategies: string[],
 *   colors: Record<string, string>, targets: string[], onToggle: (strategy: string, on: boolean) => void}} options
 * Returns {element, show(on: string[])}: show ticks the boxes of the strategies in `on`.
 */
export function createStrategySettings({ fields, errorBox, prefix, strategies, colors, targets, onToggle }) {
  const boxes = {};
  const strategyRow = (strategy) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-on-${strategy}` });
    box.addEventListener("change", () => onToggle(strategy, box.checked));
    boxes[strategy] = box;
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colors[strategy];
    return h("label", { for: box.id, class: "check" }, box, swatch, h("span", { "data-i18n": `transfer.strategy.${strategy}` }));
  };
  const element = h("div", { class: "panel net-settings tl-settings" },
    h("div", { class: "hyper" }, fields.select("target", "transfer.target", targets, "transfer.targetName"), fields.number("per", "transfer.per")),
    h("p", { class: "hint", "data-i18n": "transfer.dataHint" }),
    h("fieldset", { class: "racer tl-strategies" }, h("legend", {}, h("span", { "data-i18n": "transfer.strategies" })),
      ...strategies.map(strategyRow)),
    h("p", { class: "hint", "data-i18n": "transfer.strategyHint" }),
    h("div", { class: "hyper" }, fields.number("lr", "hp.lr"), fields.number("until", "img.until"), fields.number("seed", "net.seed")),
    h("p", { class: "hint", "data-i18n": "transfer.untilHint" }),
    errorBox);
  function show(on) {
    for (const s of strategies) boxes[s].checked = on.includes(s);
  }
  return { element, show };
}
