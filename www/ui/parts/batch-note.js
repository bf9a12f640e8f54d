// The batch-note part: one live sentence about the last training batch
// (what normalising a batch of that size does), or a refusal with its
// reason and why. Given sentences, it shows them; it knows nothing of the
// engine.
import { h, clear } from "../dom.js";

/** Returns {element, say(text, emphasised), refused(label, reason, why)}. */
export function createBatchNote() {
  const element = h("p", { class: "bn-batch-note", "aria-live": "polite" });
  return {
    element,
    /** A sentence; `emphasised` sets it in bold (batches of 2: every x̂ is ±1). */
    say(text, emphasised = false) {
      element.className = "bn-batch-note";
      element.textContent = text;
      if (emphasised) element.classList.add("bn-two");
    },
    /** The engine refused: "Refused:" in bold, its message, then why. */
    refused(label, reason, why) {
      clear(element);
      element.className = "bn-batch-note bn-refusal";
      element.append(h("strong", { text: `${label} ` }), h("span", { text: reason }), " ", h("span", { text: why }));
    },
    destroy() {},
  };
}
