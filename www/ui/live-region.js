// Live numbers for screen readers: a polite, visually hidden status line
// that a demo feeds every frame but that speaks at most once every few
// seconds, always with the latest numbers. A screen reader reads a polite
// region when the user is idle; rewriting it 60 times a second would make
// it chatter (or drop everything), so updates are throttled here:
//
//   the first update after a quiet spell is written at once;
//   later ones within `interval` wait, and only the newest is written
//   when the interval is over (a trailing write);
//   the same text is never written twice in a row;
//   flush() writes the waiting text now (on Pause, so the final numbers
//   are read without waiting).
//
//   const live = attachLiveRegion(section);
//   live.update(progressText({ step, loss, valAccuracy }));
import { t } from "../i18n/index.js";

/** Least time between two announcements, in milliseconds. */
export const LIVE_INTERVAL_MS = 3000;

/**
 * A throttled live region. The clock and timers are injectable so the
 * throttling is tested without waiting.
 * @param {object} [o]
 * @param {number} [o.interval] least milliseconds between two writes
 * @param {() => number} [o.now]
 * @param {(fn: () => void, ms: number) => unknown} [o.setTimer]
 * @param {(id: unknown) => void} [o.clearTimer]
 * @param {Document} [o.document]
 * @returns {{element: HTMLElement, update(text: string): void, flush(): void, destroy(): void, readonly pending: string | null}}
 */
export function createLiveRegion({
  interval = LIVE_INTERVAL_MS,
  now = () => performance.now(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (id) => clearTimeout(id),
  document: doc = globalThis.document,
} = {}) {
  const element = doc.createElement("p");
  element.className = "sr-only";
  element.setAttribute("role", "status");
  element.setAttribute("aria-live", "polite");
  element.setAttribute("aria-atomic", "true");
  element.dataset.live = "";

  let written = "";
  let lastWrite = -Infinity;
  let pending = null;
  let timer = null;

  function write() {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
    if (pending === null) return;
    if (pending !== written) {
      element.textContent = pending;
      written = pending;
      lastWrite = now();
    }
    pending = null;
  }

  return {
    element,
    /** Offers the latest text; it is spoken now or at the end of the interval. */
    update(text) {
      const value = String(text);
      if (value === written && timer === null) return;
      pending = value;
      const wait = lastWrite + interval - now();
      if (wait <= 0) write();
      else if (timer === null) timer = setTimer(write, wait);
    },
    /** Writes the waiting text at once (a pause, the end of a run). */
    flush() {
      write();
    },
    destroy() {
      if (timer !== null) clearTimer(timer);
      timer = null;
      pending = null;
    },
    get pending() {
      return pending;
    },
  };
}

/** A live region appended to `parent` (one per demo view). */
export function attachLiveRegion(parent, options) {
  const live = createLiveRegion(options);
  parent.append(live.element);
  return live;
}

/** Rounds a loss for reading aloud: three significant digits. */
export function readable(x) {
  if (!Number.isFinite(x)) return t("live.notFinite");
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/** One run's numbers: "loss 0.53, validation accuracy 87%", after its name if given. */
function runText({ name, loss, trainAccuracy = null, valAccuracy = null }) {
  const numbers = [];
  if (loss !== undefined && loss !== null) numbers.push(t("live.loss", { loss: readable(loss) }));
  if (trainAccuracy !== null) numbers.push(t("live.trainAccuracy", { value: Math.round(trainAccuracy * 100) }));
  if (valAccuracy !== null) numbers.push(t("live.valAccuracy", { value: Math.round(valAccuracy * 100) }));
  const text = numbers.join(", ");
  return name ? `${name}: ${text}` : text;
}

/**
 * The sentence a demo announces: the step, then the loss and the training
 * and validation accuracy (fractions 0–1) it has, of one run or of several
 * named runs ("step 120: Without dropout: …; With dropout: …").
 * @param {{step?: number, loss?: number, trainAccuracy?: number|null, valAccuracy?: number|null, name?: string,
 *   runs?: {name: string, loss?: number, trainAccuracy?: number|null, valAccuracy?: number|null}[]}} o
 */
export function progressText({ step, runs, ...single }) {
  const body = (runs ?? [single]).map(runText).join("; ");
  return step === undefined ? body : `${t("live.step", { step })}: ${body}`;
}
