// The layer-stack part: a network drawn as its list of layers, input at
// the top, each with its kind, its settings, the shape it outputs and its
// parameter count. Layers can be marked frozen and carry a note (a
// learning rate, say); with `onPick`, layers whose output can be shown are
// buttons. Given layer descriptions; it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";

/** "conv 5×5 × 16", "max-pool 2×2", "dense 10" … from a layer's settings. */
export function layerDetail(spec) {
  if (!spec) return "";
  switch (spec.kind) {
    case "conv": {
      const extra = [spec.stride > 1 ? `stride ${spec.stride}` : "", spec.pad ? `pad ${spec.pad}` : ""].filter(Boolean).join(", ");
      return `${spec.size}×${spec.size} × ${spec.filters}${extra ? ` (${extra})` : ""}`;
    }
    case "maxpool":
      return `${spec.size}×${spec.size}`;
    case "dense":
      return String(spec.units);
    case "dropout":
      return `p = ${spec.p ?? 0.5}`;
    default:
      return "";
  }
}

/**
 * @param {object} o
 * @param {string} [o.labelKey] i18n key of the list's accessible name
 * @param {(index:number)=>void} [o.onPick] a layer chosen (only layers with `pickable`)
 * Returns {element, update(input, layers, selected), redraw(), destroy()}:
 *   input   [c, h, w] of the input
 *   layers  [{index, kind, outputShape: [c, h, w], parameters, spec?, frozen?, note?, pickable?}]
 *   selected the index shown as chosen, or -1
 */
export function createLayerStack({ labelKey, onPick = null } = {}) {
  const element = h("ol", { class: "layer-stack", "data-i18n-label": labelKey, start: 0 });
  let last = null;
  const shape = (s) => Array.from(s).join("×");

  function draw() {
    clear(element);
    if (!last) return;
    const { input, layers, selected } = last;
    element.append(h("li", { class: "layer input" }, h("span", { class: "layer-kind", text: t("layer.input") }), h("span", { class: "layer-shape", text: shape(input) })));
    for (const layer of layers) {
      const parts = [
        h("span", { class: "layer-kind", text: `${t(`layer.${layer.kind}`)} ${layerDetail(layer.spec)}`.trim() }),
        h("span", { class: "layer-shape", text: `→ ${shape(layer.outputShape)}` }),
      ];
      if (layer.parameters) parts.push(h("span", { class: "layer-params", text: t("layer.parameters", { n: layer.parameters.toLocaleString("en-US") }) }));
      if (layer.frozen) parts.push(h("span", { class: "layer-tag", text: t("layer.frozen") }));
      if (layer.note) parts.push(h("span", { class: "layer-note", text: layer.note }));
      const classes = `layer${layer.frozen ? " frozen" : ""}${layer.index === selected ? " selected" : ""}`;
      if (onPick && layer.pickable) {
        const button = h("button", { type: "button", class: "layer-pick", "aria-pressed": String(layer.index === selected) }, ...parts);
        button.addEventListener("click", () => onPick(layer.index));
        element.append(h("li", { class: `${classes} pickable` }, button));
      } else {
        element.append(h("li", { class: classes }, ...parts));
      }
    }
  }

  return {
    element,
    update(input, layers, selected = -1) {
      last = { input, layers, selected };
      draw();
    },
    /** Redraws in the current language. */
    redraw: draw,
    destroy() {},
  };
}
