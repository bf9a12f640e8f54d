// The scaling-table part: dropout's three test-time scalings, one row
// each — the expected (training-time mean) output, the test output, and
// whether they match. Given the rows, it builds the table; text by i18n key.
import { h, clear } from "../dom.js";
import { translateTree } from "../../i18n/index.js";

/**
 * Returns {element, update(rows)}; rows are [{key, expected, test, matches}]
 * (`key` the i18n key of the case's name).
 */
export function createScalingTable() {
  const table = h("table", { class: "net-table" });
  return {
    element: table,
    update(rows) {
      clear(table);
      table.append(h("tr", {}, h("th", { "data-i18n": "drop.case" }), h("th", { "data-i18n": "drop.expected" }),
        h("th", { "data-i18n": "drop.testOutput" }), h("th", { "data-i18n": "drop.verdict" })));
      for (const { key, expected, test, matches } of rows) {
        table.append(h("tr", {}, h("td", { "data-i18n": key }), h("td", { text: expected.toFixed(3) }), h("td", { text: test.toFixed(3) }),
          h("td", { class: matches ? "good" : "bad", "data-i18n": matches ? "drop.matches" : "drop.off" })));
      }
      translateTree(table);
    },
    destroy() {},
  };
}
