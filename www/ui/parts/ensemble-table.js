// The ensemble-table part: one row a model (a member, the Polyak average,
// each ensemble, the snapshot run), with the networks it keeps, the steps
// of training it cost, and its accuracies, loss and vote. In a region that
// scrolls sideways on a phone (the keyboard can scroll it too). Given plain
// numbers; it knows nothing of the engine.
import { h } from "../dom.js";
import { pct } from "../net-common.js";

const COLUMNS = ["ens.col.model", "ens.col.networks", "ens.col.compute", "ens.col.train", "ens.col.val", "ens.col.loss", "ens.col.vote"];
const lossText = (v) => (Number.isFinite(v) ? v.toFixed(3) : "–");

/**
 * @param {object} o
 * @param {string} o.prefix per-instance id prefix (the caption's id)
 * Returns {element, update(rows), destroy()}; rows are [{which, label, networks, compute, train, val,
 * loss, vote}] (accuracies in [0, 1]; NaN shows "–"). Rows are replaced only when their text changed.
 */
export function createEnsembleTable({ prefix }) {
  const body = h("tbody");
  const table = h("table", { class: "net-table ens-table" },
    h("caption", { id: `${prefix}-table-caption`, "data-i18n": "ens.tableCaption" }),
    h("thead", {}, h("tr", {}, COLUMNS.map((key) => h("th", { scope: "col", "data-i18n": key })))),
    body);
  const element = h("div", { class: "ens-table-wrap", tabindex: 0, role: "region", "aria-labelledby": `${prefix}-table-caption` }, table);
  return {
    element,
    update(rows) {
      const made = rows.map((r) => h("tr", { "data-row": r.which }, h("th", { scope: "row" }, r.label), h("td", {}, String(r.networks)),
        h("td", {}, r.compute.toLocaleString("en-US")), h("td", {}, pct(r.train)), h("td", {}, pct(r.val)), h("td", {}, lossText(r.loss)), h("td", {}, pct(r.vote))));
      const signature = made.map((r) => r.textContent).join("|");
      if (body.dataset.signature !== signature) {
        body.replaceChildren(...made);
        body.dataset.signature = signature;
      }
    },
    destroy() {},
  };
}
