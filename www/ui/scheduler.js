// One animation loop for every mounted demo. Each frame it gives every
// playing, visible task a share of a small time budget; tasks that are
// scrolled away, in a hidden tab or paused get no frames at all, so they
// compute nothing. The pure parts (StepBudget, createScheduler with injected
// clock and frame functions) are unit-tested in Node; sharedScheduler()
// binds them to requestAnimationFrame and IntersectionObserver.

/** Main-thread milliseconds per frame that all tasks' steps share. */
export const FRAME_BUDGET_MS = 8;

/**
 * Steps per frame that fit a time budget. It learns the cost of one step
 * from what earlier frames measured: a dearer step is believed at once (so
 * a slow-down never overruns the budget twice), a cheaper one gradually (so
 * one lucky frame does not cause a long one), and the count grows at most
 * `growth`-fold per frame. Never fewer than one step, never more than asked.
 */
export class StepBudget {
  constructor({ growth = 2, smoothing = 0.25, minMsPerStep = 0.002 } = {}) {
    this.growth = growth;
    this.smoothing = smoothing;
    this.minMsPerStep = minMsPerStep;
    this.msPerStep = null;
    this.last = 0;
  }

  /** How many of `requested` steps to take within `budgetMs`. */
  plan(requested, budgetMs) {
    const wanted = Math.max(1, Math.floor(requested));
    if (this.msPerStep === null) return 1;
    const fit = Math.max(1, Math.floor(budgetMs / this.msPerStep));
    const ramp = Math.max(1, Math.floor(this.last * this.growth));
    return Math.min(wanted, fit, ramp);
  }

  /** Tells the budget that `steps` steps took `elapsedMs`. */
  record(steps, elapsedMs) {
    if (!(steps > 0) || !(elapsedMs >= 0)) return;
    // Timer resolution makes tiny costs read as zero: floor them.
    const sample = Math.max(this.minMsPerStep, elapsedMs / steps);
    if (this.msPerStep === null || sample > this.msPerStep) this.msPerStep = sample;
    else this.msPerStep += this.smoothing * (sample - this.msPerStep);
    this.last = steps;
  }

  /** Forgets what it measured (the work per step changed). */
  reset() {
    this.msPerStep = null;
    this.last = 0;
  }
}

/**
 * A scheduler over injected primitives (tests pass fakes):
 *   requestFrame(fn) / cancelFrame(id)  — requestAnimationFrame and its cancel
 *   now()                               — a millisecond clock
 *   observe(element, onVisible)         — calls onVisible(bool) when the element
 *                                         enters or leaves the viewport; returns
 *                                         a function that stops observing
 *   documentHidden()                    — true while the page is in a hidden tab
 *
 * `add(task)` registers { frame({budgetMs, now}), wantsFrame() }; the
 * scheduler calls frame() once per animation frame while wantsFrame() is
 * true and the task is visible. It returns a control with observe(element)
 * (the task runs only while that element is in view), wake() (call it when
 * wantsFrame() may have turned true) and remove().
 */
export function createScheduler({ requestFrame, cancelFrame, now, observe = null, documentHidden = () => false, frameBudgetMs = FRAME_BUDGET_MS }) {
  const entries = new Set();
  let pending = null;

  function eligible(entry) {
    return entry.visible && entry.task.wantsFrame();
  }

  function schedule() {
    if (pending !== null || documentHidden()) return;
    for (const entry of entries) {
      if (eligible(entry)) {
        pending = requestFrame(loop);
        return;
      }
    }
  }

  function loop() {
    pending = null;
    if (documentHidden()) return;
    const due = [...entries].filter(eligible);
    const budgetMs = frameBudgetMs / Math.max(1, due.length);
    for (const entry of due) {
      // A task removed by an earlier task's frame (a demo destroyed) is skipped.
      if (!entries.has(entry)) continue;
      try {
        entry.task.frame({ budgetMs, now: now() });
      } catch (error) {
        // One failing demo must not stop the others' loop.
        reportError(error);
      }
    }
    schedule();
  }

  return {
    add(task) {
      const entry = { task, visible: true, unobserve: null };
      entries.add(entry);
      return {
        observe(element) {
          entry.unobserve?.();
          entry.unobserve = null;
          entry.visible = true;
          if (!observe || !element) return;
          entry.unobserve = observe(element, (visible) => {
            entry.visible = visible;
            if (visible) schedule();
          });
        },
        wake: schedule,
        get visible() { return entry.visible; },
        remove() {
          entries.delete(entry);
          entry.unobserve?.();
          if (pending !== null && ![...entries].some(eligible)) {
            cancelFrame(pending);
            pending = null;
          }
        },
      };
    },
    /** Call when the document's visibility changed. */
    visibilityChanged: schedule,
    get size() { return entries.size; },
  };
}

function reportError(error) {
  if (typeof globalThis.reportError === "function") globalThis.reportError(error);
  else console.error(error);
}

let shared = null;

/** The page's one scheduler (created on first use, in a browser only). */
export function sharedScheduler() {
  if (shared) return shared;
  const watchers = new Map();
  const observer = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((records) => {
      for (const record of records) watchers.get(record.target)?.forEach((fn) => fn(record.isIntersecting));
    })
    : null;
  shared = createScheduler({
    requestFrame: (fn) => requestAnimationFrame(fn),
    cancelFrame: (id) => cancelAnimationFrame(id),
    now: () => performance.now(),
    documentHidden: () => document.visibilityState === "hidden",
    observe: observer && ((element, onVisible) => {
      if (!watchers.has(element)) {
        watchers.set(element, new Set());
        observer.observe(element);
      }
      watchers.get(element).add(onVisible);
      return () => {
        const set = watchers.get(element);
        set?.delete(onVisible);
        if (set && !set.size) {
          watchers.delete(element);
          observer.unobserve(element);
        }
      };
    }),
  });
  document.addEventListener("visibilitychange", () => shared.visibilityChanged());
  return shared;
}
