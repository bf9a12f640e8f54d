// The mode-panel part: one point's scores through a batch-norm network in
// train mode (inside two different batches) and in eval mode (alone), with
// a button to draw new batches and a note. Given the scores, it builds the
// table; it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { translateTree } from "../../i18n/index.js";
import { short } from "../net-common.js";

const ROWS = [["bn.modeTrainA", "a"], ["bn.modeTrainB", "b"], ["bn.modeEval", "eval"]];

/**
 * @param {object} o
 * @param {() => void} o.onCompare the button was pressed
 * Returns {element, table, button, update(modes, note, enabled)}; `modes`
 * is {a, b, eval} (each a list of class scores) or null (no table).
 */
export function createModePanel({ onCompare }) {
  const button = h("button", { type: "button", "data-i18n": "bn.modeButton", onclick: onCompare });
  const table = h("table", { class: "net-table bn-modes" });
  const note = h("p", { class: "hint" });
  const element = h("div", { class: "panel" },
    h("h3", { "data-i18n": "bn.modeTitle" }),
    h("p", { class: "hint", "data-i18n": "bn.modeIntro" }),
    h("div", {}, button),
    table, note);
  return {
    element,
    table,
    button,
    update(modes, text, enabled) {
      clear(table);
      button.disabled = !enabled;
      note.textContent = text;
      if (!modes) return;
      table.append(h("tr", {}, h("th", { "data-i18n": "bn.modeCase" }), h("th", { "data-i18n": "bn.scores" })));
      for (const [key, which] of ROWS) {
        table.append(h("tr", {}, h("td", { "data-i18n": key }), h("td", { text: modes[which].map((v) => short(v)).join(", ") })));
      }
      translateTree(table);
    },
    destroy() {},
  };
}
