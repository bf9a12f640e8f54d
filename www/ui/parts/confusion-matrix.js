// The confusion-matrix part: a table of counts, row = true class, column =
// predicted class, each cell shaded by its share of its row (blue on the
// diagonal, red off it), so the classes a network mixes up stand out
// whatever the rows' sizes. Given counts; it knows nothing of the engine.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";

/**
 * @param {object} o
 * @param {string} o.captionKey i18n key of the table's caption
 * @param {string} o.trueKey i18n key of the row header ("true class")
 * @param {string} o.predictedKey i18n key of the column header ("predicted")
 * @param {string[]} [o.names] class names (default "0", "1", …)
 * Returns {element, update(counts, classes), redraw(), destroy()}; counts has
 * classes × classes entries, row-major.
 */
/**
 * A cell's background for `share` of its row: up to half, a light tint
 * under dark text (opacity ≤ 0.425: at least 7:1 contrast); above half,
 * opacity 0.85 to 1 under white text (at least 4.7:1 for the blue, 5:1
 * for the red), so every count stays readable (WCAG AA, 4.5:1).
 */
export function shade(diagonal, share) {
  const [red, green, blue] = diagonal ? [36, 86, 201] : [179, 38, 30];
  const alpha = share > 0.5 ? 0.85 + 0.3 * (share - 0.5) : 0.85 * share;
  return `rgba(${red}, ${green}, ${blue}, ${alpha.toFixed(3)})`;
}

export function createConfusionMatrix({ captionKey, trueKey, predictedKey, names = null }) {
  const element = h("div", { class: "confusion-wrap" });
  let last = null;

  function draw() {
    clear(element);
    if (!last) return;
    const { counts, classes } = last;
    const name = (c) => (names ? names[c] : String(c));
    const table = h("table", { class: "confusion" });
    table.append(h("caption", { text: t(captionKey) }));
    const head = h("tr", {}, h("th", { scope: "col", class: "corner", text: `${t(trueKey)} ↓ · ${t(predictedKey)} →` }));
    for (let p = 0; p < classes; p++) head.append(h("th", { scope: "col", text: name(p) }));
    table.append(h("thead", {}, head));
    const body = h("tbody");
    for (let r = 0; r < classes; r++) {
      const row = h("tr", {}, h("th", { scope: "row", text: name(r) }));
      let total = 0;
      for (let p = 0; p < classes; p++) total += counts[r * classes + p];
      for (let p = 0; p < classes; p++) {
        const n = counts[r * classes + p];
        const share = total ? n / total : 0;
        const cell = h("td", { text: n ? String(n) : "", title: t("img.confusionCell", { truth: name(r), predicted: name(p), n }) });
        // Light to strong: the share of the true class's images that landed here.
        cell.style.backgroundColor = shade(r === p, share);
        if (share > 0.5) cell.classList.add("strong");
        row.append(cell);
      }
      body.append(row);
    }
    table.append(body);
    element.append(table);
  }

  return {
    element,
    update(counts, classes) {
      last = counts ? { counts, classes } : null;
      draw();
    },
    /** Redraws in the current language. */
    redraw: draw,
    destroy() {},
  };
}
