// The notice area part: short messages (a refused link value, an engine
// refusal) with a dismiss button, newest last, at most `limit` at a time.
// Each demo instance's notices live in the area its host gave it, so they
// go when the demo goes.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";

/**
 * @param {Element} [element] the area (a new <div> when omitted)
 * @param {object} [o]
 * @param {number} [o.limit]
 */
export function createNoticeArea(element = h("div", { class: "notices", "aria-live": "polite" }), { limit = 4 } = {}) {
  return {
    element,
    /** Shows `message` (plain text); `kind` is "error", "warning" or "info". Returns its element. */
    notify(message, kind = "warning") {
      const close = h("button", { type: "button", class: "close", "data-i18n-label": "notice.close", "aria-label": t("notice.close") }, "×");
      const item = h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" },
        h("span", { text: String(message) }), close);
      close.addEventListener("click", () => item.remove());
      element.append(item);
      while (element.children.length > limit) element.firstChild.remove();
      return item;
    },
    clear() {
      clear(element);
    },
  };
}
