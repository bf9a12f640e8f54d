// The local model panel: which racer's local quadratic model to show on
// the map, and what it says there (curvature, the Hessian's eigenvalues
// and condition number, where a Newton step would land).
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";
import { formatNumber } from "../race-config.js";

/**
 * @param {object} o
 * @param {string} o.prefix the instance's id prefix
 * @param {(id: string) => void} o.onChoose a slot id, or "" for none
 * Returns {element, setChoices([{id, name}], current), show(model | null), showError(message), destroy()}.
 */
export function createModelPanel({ prefix, onChoose }) {
  const select = h("select", { id: `${prefix}-model` });
  const info = h("div", { class: "model-info", "aria-live": "polite" });
  const element = h("div", { class: "panel model-panel" },
    h("label", { for: select.id, class: "field" }, h("span", { "data-i18n": "model.show" }), select),
    info,
    h("details", {}, h("summary", { "data-i18n": "model.whatIs" }), h("p", { "data-i18n": "model.explain" }),
      h("p", { "data-i18n": "model.saddleExplain" })));
  select.addEventListener("change", () => onChoose(select.value));

  return {
    element,
    setChoices(choices, current) {
      clear(select);
      select.append(h("option", { value: "", text: t("model.off") }));
      for (const c of choices) select.append(h("option", { value: c.id, text: c.name }));
      select.value = choices.some((c) => c.id === current) ? current : "";
    },
    /** model: the engine's {curvature, eigenvalues, condition, newtonTarget}, or null. */
    show(model) {
      clear(info);
      if (!model) return;
      const [l1, l2] = model.eigenvalues;
      info.append(
        h("p", {}, h("strong", { text: t(`curvature.${model.curvature}`) })),
        h("p", { text: t("model.eigen", { l1: formatNumber(l1), l2: formatNumber(l2), kappa: formatNumber(model.condition) }) }),
        h("p", { text: model.newtonTarget
          ? t("model.target", { x: formatNumber(model.newtonTarget[0]), y: formatNumber(model.newtonTarget[1]) })
          : t("model.noTarget") }),
        h("p", { class: "hint", text: t(`curvature.${model.curvature}.explain`) }));
    },
    showError(message) {
      clear(info);
      info.append(h("p", { class: "field-error", text: message }));
    },
    destroy() {},
  };
}
