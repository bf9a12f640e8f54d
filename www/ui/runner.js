// Play / Pause / Step / Reset of one demo instance, driven by the shared
// scheduler. The runner knows nothing of the engine: the demo gives it
// `advance` (take some steps) and `draw`. Pause and Step change the state at
// once, even while an off-thread advance is still running; the demo's
// `cancel` asks that work to stop after its current step.
import { StepBudget, sharedScheduler } from "./scheduler.js";

/**
 * @param {object} o
 * @param {Element} [o.element] what must be on screen for the demo to run
 * @param {number} o.speed requested steps per frame
 * @param {(steps:number, info:{budgetMs:number, single:boolean, shown:()=>boolean})=>boolean|void|Promise<boolean|void>} o.advance
 *   take `steps` steps; return false to stop playing. A Promise means the
 *   work happens elsewhere (a worker): the runner waits for it before asking
 *   again, and draws in the frame after it settles. `shown()` turns false
 *   once Pause (or Step, or Reset) is pressed after this advance was asked
 *   for: the page shows no progress after Pause, so do not show its answer.
 * @param {boolean} [o.budgeted=true] synchronous work: the runner takes as
 *   many of `speed` steps as fit the frame budget. With false, `advance`
 *   gets `speed` and the budget and keeps to it itself (or runs off-thread).
 * @param {()=>void} [o.draw] redraw after steps
 * @param {()=>void} [o.cancel] stop an advance in flight (Pause, Reset)
 * @param {()=>void|Promise<void>} [o.reset]
 * @param {object} [o.scheduler] defaults to the page's shared scheduler
 */
export function createRunner({ element = null, speed, advance, budgeted = true, draw = () => {}, cancel = () => {}, reset = () => {}, scheduler = sharedScheduler(), now = () => performance.now() }) {
  let playing = false;
  let inFlight = 0;
  let dirty = false;
  let destroyed = false;
  let requested = speed;
  // Bumped by Pause: answers to advances asked for before it are not shown.
  let epoch = 0;
  const budget = new StepBudget();
  const listeners = new Set();
  const notify = () => { for (const fn of [...listeners]) fn(state()); };
  const state = () => ({ playing, busy: inFlight > 0 });

  const control = scheduler.add({
    wantsFrame: () => !destroyed && (dirty || (playing && inFlight === 0)),
    frame,
  });
  if (element) control.observe(element);

  function frame({ budgetMs }) {
    if (dirty) {
      dirty = false;
      draw();
    }
    if (!playing || inFlight > 0) return;
    if (budgeted) {
      const steps = budget.plan(requested, budgetMs);
      const start = now();
      const result = advance(steps, { budgetMs, single: false, shown: liveness() });
      if (!isPromise(result)) budget.record(steps, now() - start);
      settle(result);
    } else {
      settle(advance(requested, { budgetMs, single: false, shown: liveness() }));
    }
  }

  function liveness() {
    const asked = epoch;
    return () => !destroyed && epoch === asked;
  }

  function settle(result) {
    if (!isPromise(result)) {
      draw();
      if (result === false) pause();
      return;
    }
    inFlight++;
    notify();
    result.then(
      (keepGoing) => finish(keepGoing !== false),
      (error) => {
        finish(false);
        reportError(error);
      },
    );
  }

  function finish(keepGoing) {
    inFlight--;
    if (destroyed) return;
    dirty = true;
    if (!keepGoing) playing = false;
    notify();
    control.wake();
  }

  function play() {
    if (playing || destroyed) return;
    playing = true;
    notify();
    control.wake();
  }

  function pause() {
    epoch++;
    if (inFlight > 0) cancel();
    // What arrived before the click is shown now; nothing after it.
    if (dirty && !destroyed) {
      dirty = false;
      draw();
    }
    if (!playing) return;
    playing = false;
    notify();
  }

  /** Pauses, then takes exactly one step. */
  function step() {
    if (destroyed) return;
    pause();
    settle(advance(1, { budgetMs: Infinity, single: true, shown: liveness() }));
  }

  function resetRun() {
    pause();
    budget.reset();
    return reset();
  }

  return {
    play,
    pause,
    step,
    reset: resetRun,
    get playing() { return playing; },
    /** True while an off-thread advance has not answered yet. */
    get busy() { return inFlight > 0; },
    /** Runs only while `element` is on screen (replaces the element given before). */
    observe(el) { control.observe(el); },
    /** False while the element is scrolled out of view. */
    get visible() { return control.visible; },
    get speed() { return requested; },
    set speed(value) { requested = Math.max(1, Math.floor(value)); },
    /** Calls fn({playing, busy}) after every change; returns an unsubscribe function. */
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Marks the picture stale: draw() runs in the next visible frame. */
    invalidate() {
      dirty = true;
      control.wake();
    },
    /** The per-step cost the budget believes (ms), for tests and benchmarks. */
    get msPerStep() { return budget.msPerStep; },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      epoch++;
      if (inFlight > 0) cancel();
      playing = false;
      listeners.clear();
      control.remove();
    },
  };
}

function isPromise(value) {
  return value !== null && typeof value === "object" && typeof value.then === "function";
}

function reportError(error) {
  if (typeof globalThis.reportError === "function") globalThis.reportError(error);
  else console.error(error);
}
