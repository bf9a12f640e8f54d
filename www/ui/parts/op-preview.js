// The op-preview part: one augmentation op applied alone to the photo —
// which op, the result, the parameters it drew, and "another draw". Given
// the engine's picture and text, it shows them; it reports the choices.
import { h } from "../dom.js";
import { t } from "../../i18n/index.js";
import { putPixels } from "./sample-grid.js";

/**
 * @param {object} o
 * @param {string} o.prefix per-instance id prefix (`${prefix}-preview-op`)
 * @param {object[]} o.ops the ops ({id, kind})
 * @param {(opId: string) => void} o.onChoose
 * @param {() => void} o.onAgain
 * Returns {element, canvas, choose(opId), show(out, text), fail(message)}.
 */
export function createOpPreview({ prefix, ops, onChoose, onAgain }) {
  const select = h("select", { id: `${prefix}-preview-op` },
    ops.map((op) => h("option", { value: op.id, "data-i18n": `aug.kind.${op.kind}` })));
  select.addEventListener("change", () => onChoose(select.value));
  const canvas = h("canvas", { class: "aug-preview", role: "img" });
  const info = h("pre", { class: "aug-params" });
  const element = h("div", { class: "panel aug-preview-panel" },
    h("h3", { "data-i18n": "aug.previewTitle" }),
    h("label", { for: select.id, class: "field" }, h("span", { "data-i18n": "aug.previewOp" }), select),
    canvas,
    info,
    h("button", { type: "button", "data-i18n": "aug.anotherDraw", onclick: onAgain }));
  return {
    element,
    canvas,
    choose(opId) { select.value = opId; },
    /** The engine's picture `{data, width, height}` and the drawn parameters as text. */
    show(out, text) {
      putPixels(canvas, out);
      info.textContent = text;
      canvas.setAttribute("aria-label", `${t("aug.previewTitle")}: ${text}`);
    },
    fail(message) { info.textContent = message; },
    destroy() {},
  };
}
