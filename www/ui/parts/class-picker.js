// The class picker: one radio button per class (coloured by CSS class
// `c<n>`), for choosing which class a click adds. It owns the radio group.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";

/**
 * @param {{onPick: (c: number) => void}} options called when a class is chosen
 * Returns {element, show(count, selected)}; show rebuilds the buttons (also for a language change).
 */
export function createClassPicker({ onPick }) {
  const element = h("div", { class: "net-classes", role: "radiogroup" });
  function show(count, selected) {
    clear(element);
    for (let c = 0; c < count; c++) {
      const b = h("button", {
        type: "button", class: `net-class c${c}`, role: "radio", "aria-checked": String(selected === c),
        "aria-label": t("net.classN", { n: c + 1 }), title: t("net.classN", { n: c + 1 }),
      });
      b.addEventListener("click", () => onPick(c));
      element.append(b);
    }
  }
  return { element, show };
}
