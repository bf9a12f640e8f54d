// The lecture's transfer-learning table (similar or different data × little
// or more of it) as four links, the current cell marked, and a line under it
// saying what that cell means. It owns the table's box.
import { h } from "../dom.js";
import { t } from "../../i18n/index.js";

const LINKS = { "similar.little": "", "similar.more": "per=100", "different.little": "target=different&per=5", "different.more": "target=different&per=100" };

/**
 * @param {{demo: string}} options the demo id the links point at (`#<demo>?<query>`)
 * Returns {element, show(cell: {data, size})}.
 */
export function createCellTable({ demo }) {
  const links = {};
  const table = h("table", { class: "tl-cells" },
    h("caption", { "data-i18n": "transfer.tableCaption" }),
    h("thead", {}, h("tr", {}, h("td"), h("th", { scope: "col", "data-i18n": "transfer.size.little" }), h("th", { scope: "col", "data-i18n": "transfer.size.more" }))),
    h("tbody", {}, ...["similar", "different"].map((data) => h("tr", {},
      h("th", { scope: "row", "data-i18n": `transfer.data.${data}` }),
      ...["little", "more"].map((size) => {
        const key = `${data}.${size}`;
        const link = h("a", { href: `#${demo}${LINKS[key] ? `?${LINKS[key]}` : ""}`, "data-i18n": `transfer.cellShort.${key}` });
        links[key] = link;
        return h("td", {}, link);
      })))));
  const verdict = h("p", { class: "tl-cell-verdict" });

  function show(cell) {
    for (const [key, link] of Object.entries(links)) {
      const current = key === `${cell.data}.${cell.size}`;
      link.parentElement.classList.toggle("current", current);
      if (current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    verdict.textContent = t(`transfer.cell.${cell.data}.${cell.size}`);
  }
  return { element: h("div", { class: "tl-table-box" }, table, verdict), show };
}
