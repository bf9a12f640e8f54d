// The batch-stats panel part: a batch-norm layer's statistics for its
// first features — this batch's mean and variance next to the running
// averages eval mode uses — and a note under them. Given the numbers,
// it builds the table; it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { translateTree } from "../../i18n/index.js";
import { short } from "../net-common.js";

const COLUMNS = ["bn.feature", "bn.batchMean", "bn.runningMean", "bn.batchVar", "bn.runningVar"];

/**
 * @param {object} o
 * @param {string} o.titleKey i18n key of the panel's title
 * @param {number} o.features how many features to list
 * Returns {element, table, update(stats, note)}; `stats` has `batchMean`,
 * `runningMean`, `batchVar`, `runningVar` (one value a feature) or is null
 * (no table, only the note).
 */
export function createBatchStatsPanel({ titleKey, features }) {
  const table = h("table", { class: "net-table bn-stats" });
  const note = h("p", { class: "hint" });
  const element = h("div", { class: "panel" }, h("h3", { "data-i18n": titleKey }), table, note);
  return {
    element,
    table,
    update(stats, text) {
      clear(table);
      note.textContent = text;
      if (!stats) return;
      table.append(h("tr", {}, COLUMNS.map((k) => h("th", { "data-i18n": k }))));
      for (let j = 0; j < features; j++) {
        const row = [stats.batchMean[j], stats.runningMean[j], stats.batchVar[j], stats.runningVar[j]];
        table.append(h("tr", {}, h("td", { text: String(j + 1) }), ...row.map((v) => h("td", { text: short(v) }))));
      }
      translateTree(table);
    },
    destroy() {},
  };
}
