// The network lab: a small classifier trained live on a 2-D data set, its
// decision regions under the points, train and validation curves on one
// step axis (the gap between them is overfitting), click-to-add points,
// and a compare mode that trains a second configuration from the same seed.
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { createSettings } from "../ui/parts/controls.js";
import { createTrainPanel } from "../ui/parts/train-panel.js";
import { createDownloads } from "../ui/parts/downloads.js";
import { t, translateTree } from "../i18n/index.js";
import { FIRST_ORDER, SCHEDULES } from "../ui/race-view.js";
import { DATASETS, TWO_CLASS, ACTIVATIONS, parseHidden } from "../ui/net-common.js";
import { createEngineHost, installCreated, HostRestarted } from "../workers/client.js";

export const id = "network";

const GRID = 96;
const MAX_EDITS = 1500;
/** While playing, the curves (up to 4 096 evaluations a run) travel from the worker this often. */
const CURVES_EVERY_MS = 250;
/** Above this many weights the page-thread fallback says that training will be slow. */
const HEAVY_PARAMETERS = 100_000;
/** A rebuild waits for a step in flight up to this long (ms); beyond, it restarts the worker. */
const RESTART_ABOVE_MS = 200;
const msPerStep = (run) => (run.endedAt - run.startedAt) / Math.max(1, run.steps);
const DEFAULT_LR = { sgd: 1, momentum: 0.1, nesterov: 0.1, adagrad: 0.3, rmsprop: 0.01, adam: 0.01 };

export const params = {
  data: { type: "enum", values: DATASETS, default: "spiral" },
  classes: { type: "number", integer: true, min: 2, max: 6, default: 3 },
  n: { type: "number", integer: true, min: 5, max: 1000, default: 100 },
  noise: { type: "number", min: 0, max: 1, default: 0.2 },
  dseed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  val: { type: "number", min: 0, max: 0.9, default: 0.2 },
  hidden: { type: "text", maxLength: 60, default: "100" },
  act: { type: "enum", values: ACTIVATIONS, default: "relu" },
  opt: { type: "enum", values: FIRST_ORDER, default: "sgd" },
  lr: { type: "number", min: 1e-6, max: 100, default: (v) => DEFAULT_LR[v.opt ?? "sgd"] },
  sched: { type: "enum", values: SCHEDULES, default: "constant" },
  gamma: { type: "number", min: 1e-6, max: 1, default: 0.5 },
  every: { type: "number", integer: true, min: 1, max: 1e6, default: 1000 },
  k: { type: "number", min: 0, max: 10, default: 0.001 },
  total: { type: "number", integer: true, min: 1, max: 1e6, default: 3000 },
  batch: { type: "number", integer: true, min: 1, max: 30000, default: 300 },
  l2: { type: "number", min: 0, max: 1, default: 0.001 },
  drop: { type: "number", min: 0, max: 0.95, default: 0 },
  bn: { type: "bool", default: false },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  speed: { type: "number", integer: true, min: 1, max: 100, default: 5 },
  cmp: { type: "bool", default: false },
  "b.drop": { type: "number", min: 0, max: 0.95, default: 0.5 },
  "b.bn": { type: "bool", default: false },
  "b.l2": { type: "number", min: 0, max: 1, default: 0.001 },
  cls: { type: "number", integer: true, min: 0, max: 5, default: 0 },
  edits: { type: "text", maxLength: 20000, default: "" },
};

/** The engine settings of run A ("a") or B ("b") from the view's values. */
export function trainerConfig(values, which = "a") {
  const classes = TWO_CLASS.includes(values.data) ? 2 : values.classes;
  const optimizer = { kind: values.opt, lr: values.lr };
  if (values.sched !== "constant") {
    const schedule = { kind: values.sched };
    if (values.sched === "step") Object.assign(schedule, { gamma: values.gamma, every: values.every });
    if (values.sched === "exponential" || values.sched === "inverse_time") schedule.k = values.k;
    if (values.sched === "cosine") schedule.total = values.total;
    if (values.sched === "warm_restarts") schedule.period = values.every;
    optimizer.schedule = schedule;
  }
  const b = which === "b";
  const drop = b ? values["b.drop"] : values.drop;
  return {
    dataset: { kind: values.data, classes, pointsPerClass: values.n, noise: values.noise, seed: values.dseed },
    validationSplit: values.val,
    hidden: parseHidden(values.hidden) ?? [100],
    activation: values.act,
    dropout: drop > 0 ? drop : null,
    batchNorm: b ? values["b.bn"] : values.bn,
    optimizer,
    l2: b ? values["b.l2"] : values.l2,
    batchSize: values.batch,
    seed: values.seed,
  };
}

/** "a,x,y,c;r,x,y,r" → [{op, x, y, c} | {op, x, y, r}] (bad items skipped). */
export function parseEdits(text) {
  const edits = [];
  for (const item of text.split(";")) {
    const [op, ...rest] = item.split(",");
    const nums = rest.map(Number);
    if (!nums.every(Number.isFinite)) continue;
    if (op === "a" && nums.length === 3 && Number.isInteger(nums[2])) edits.push({ op, x: nums[0], y: nums[1], c: nums[2] });
    if (op === "r" && nums.length === 3) edits.push({ op, x: nums[0], y: nums[1], r: nums[2] });
  }
  return edits;
}

const round = (v) => Math.round(v * 1000) / 1000;
const encodeEdits = (list) => list.map((e) => (e.op === "a" ? `a,${e.x},${e.y},${e.c}` : `r,${e.x},${e.y},${e.r}`)).join(";");
const classCount = (values) => (TWO_CLASS.includes(values.data) ? 2 : values.classes);
const DATA_KEYS = ["data", "classes", "n", "noise", "dseed"];

/** A run's curves as CSV columns: the step, then one column per series. */
export function curveColumns(curves) {
  if (!curves) return {};
  const { steps, trainLoss, valLoss, trainAccuracy, valAccuracy } = curves;
  return { step: steps, trainLoss, valLoss, trainAccuracy, valAccuracy };
}

/**
 * Mounts the lab into `root`. Training runs in a module worker (the page
 * only draws the snapshots it sends), or on the page within the frame
 * budget where no module worker can start. ctx.worker = false forces that.
 * Returns {destroy, saveState, ready, debug}; `ready` resolves once the
 * first picture is drawn.
 */
export function mount(root, ctx) {
  const values = { ...ctx.values };
  const prefix = uniquePrefix("net");
  let edits = parseEdits(values.edits);
  let runs = [];
  let generation = 0;
  let building = null;
  let destroyed = false;
  let removeMode = false;
  let lastCurves = -Infinity;
  let lastRun = null;
  const engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  const host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: showMode, onLost: () => rebuild() });

  // ---- controls -------------------------------------------------------
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  const form = createSettings({ table: params, prefix, values, onChange: changed, rebuild, sync: syncInputs,
    lost: () => runs.some((run) => run.handle === null), alive: () => !destroyed, restored: () => { edits = parseEdits(values.edits); }, notify: ctx.notify, persist: ctx.save });
  const { fields, errorBox, showError, save } = form;
  const schedFields = {
    gamma: fields.number("gamma", "sched.gamma"),
    every: fields.number("every", "net.every"),
    k: fields.number("k", "sched.k"),
    total: fields.number("total", "sched.total"),
  };
  const compareBox = h("fieldset", { class: "racer net-compare" },
    h("legend", {}, h("span", { "data-i18n": "net.runB" })),
    h("div", { class: "hyper" }, fields.number("b.drop", "net.dropout"), fields.number("b.l2", "net.l2"), fields.check("b.bn", "net.batchNorm")),
    h("p", { class: "hint", "data-i18n": "net.compareHint" }));
  const settings = h("div", { class: "panel net-settings" },
    h("div", { class: "hyper" }, fields.select("data", "net.dataset", DATASETS, "net.data"), fields.select("classes", "net.classes", [2, 3, 4, 5, 6]),
      fields.number("n", "net.pointsPerClass"), fields.number("noise", "net.noise"),
      fields.number("dseed", "net.dataSeed"), fields.number("val", "net.validation")),
    h("div", { class: "hyper" },
      fields.text("hidden", "net.hidden", {
        maxlength: 60, class: "net-hidden",
        parse: (text) => (parseHidden(text) === null ? null : text.trim()),
        message: (text) => t("net.badHidden", { value: text }),
      }),
      fields.select("act", "net.activation", ACTIVATIONS, "net.act")),
    h("p", { class: "hint", "data-i18n": "net.hiddenHint" }),
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", FIRST_ORDER, "opt"), fields.number("lr", "hp.lr"),
      fields.select("sched", "hp.schedule", SCHEDULES, "schedule"), schedFields.gamma, schedFields.every, schedFields.k, schedFields.total),
    h("div", { class: "hyper" }, fields.number("batch", "net.batch"), fields.number("l2", "net.l2"),
      fields.number("drop", "net.dropout"), fields.check("bn", "net.batchNorm"), fields.number("seed", "net.seed")),
    h("p", { class: "hint", "data-i18n": "net.dropoutHint" }),
    h("p", { class: "hint", "data-i18n": "net.l2Hint" }),
    errorBox,
    fields.check("cmp", "net.compare"),
    compareBox);

  const classPicker = h("div", { class: "net-classes", role: "radiogroup" });
  const removeToggle = h("input", { type: "checkbox", id: `${prefix}-remove` });
  removeToggle.addEventListener("change", () => { removeMode = removeToggle.checked; });
  const pair = h("div", { class: "net-pair" });

  // ---- play loop --------------------------------------------------------
  const section = h("section", { class: "demo net", "aria-labelledby": `${prefix}-title` });
  const runner = createRunner({
    element: section,
    speed: values.speed,
    budgeted: false,
    advance,
    draw: () => {
      for (const run of runs) run.panel.draw();
      announce();
    },
    cancel: () => host.cancel(),
    reset: () => rebuild(),
  });
  const player = createPlayerPart(runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; save(); } });
  const downloads = createDownloads({
    demo: id, params, values: () => values,
    run: () => ({
      config: Object.fromEntries(runs.map((run) => [run.which, trainerConfig(values, run.which)])),
      edits,
      results: runs.map((run) => ({
        run: run.which, steps: run.panel.steps, metrics: run.panel.metrics, parameterCount: run.info?.parameterCount ?? null,
      })),
    }),
    onError: (message) => ctx.notify(message),
  });

  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "net.title" }),
    h("p", { class: "intro", "data-i18n": "net.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        // Controls above the map: on a wide screen the charts push them below the fold.
        player.element,
        engineNote,
        pair,
        h("div", { class: "field-row net-click" }, h("span", { "data-i18n": "net.clickClass" }), classPicker,
          h("label", { for: removeToggle.id, class: "check" }, removeToggle, h("span", { "data-i18n": "net.removeMode" }))),
        h("p", { class: "hint", "data-i18n": "net.clickHint" }),
        h("p", { class: "hint", "data-i18n": "net.gapHint" }),
        downloads.element),
      h("div", { class: "side" }, settings)));
  root.append(section);
  const live = attachLiveRegion(section);

  /** For screen readers: the step and each run's numbers (throttled by the live region). */
  function announce() {
    if (!runs.length || !runs[0].panel.metrics) return;
    live.update(progressText({
      step: runs[0].panel.steps,
      runs: runs.map((run) => ({ ...run.panel.metrics, name: runs.length > 1 ? t(run.which === "a" ? "net.runA" : "net.runB") : undefined })),
    }));
  }

  /** A frame's worth of training: `steps` steps of every run, in the worker. */
  async function advance(steps, { budgetMs, single, shown }) {
    if (building) await building;
    if (destroyed || !runs.length || runs.some((run) => run.handle === null)) return false;
    const gen = generation;
    const now = performance.now();
    const curves = single || now - lastCurves >= CURVES_EVERY_MS;
    if (curves) lastCurves = now;
    const when = single ? "always" : "due";
    try {
      const answer = await host.run(runs.map((run) => run.handle), steps,
        { budgetMs, snapshot: { evaluate: when, map: { grid: GRID, when }, curves } });
      lastRun = answer;
      // After Pause the page shows no more progress: the worker's last steps
      // show with the next Play or Step.
      if (gen !== generation || !shown()) return true;
      answer.snapshots.forEach((s, i) => runs[i].panel.absorb(s));
      return true;
    } catch (error) {
      if (error instanceof HostRestarted || gen !== generation || destroyed) return true;
      showError(error.message);
      return false;
    }
  }

  // ---- runs -------------------------------------------------------------
  function newRun(which) {
    const panel = createTrainPanel({ which, onPick: pick, removeMode: () => removeMode });
    return { which, panel, handle: null, info: null };
  }

  /**
   * Builds fresh runs from `values` and `edits`. Resolves to {ok}, {error}
   * (the engine refused: the old runs are kept when they are still alive)
   * or {stale} (a newer rebuild started meanwhile).
   */
  function rebuild() {
    const gen = ++generation;
    // Runs in flight stop after their current step when steps are known to
    // be quick; anything else (a big network's step, a build) is dropped
    // with its worker rather than waited for.
    if (host.busy) {
      const quick = lastRun && msPerStep(lastRun) <= RESTART_ABOVE_MS && host.pendingOps.every((op) => op === "run" || op === "free");
      if (quick) {
        host.cancel();
      } else {
        host.restart();
        for (const run of runs) run.handle = null;
      }
    }
    const wanted = values.cmp ? ["a", "b"] : ["a"];
    const first = { evaluate: "always", map: { grid: GRID, when: "always" }, points: true, curves: true };
    const made = wanted.map((which) => host.create("Trainer", { config: trainerConfig(values, which), edits }, first));
    const promise = installCreated(host, made, () => gen === generation && !destroyed, (fresh) => {
      for (const run of runs) if (run.handle !== null) host.free(run.handle);
      if (runs.length !== wanted.length) {
        for (const run of runs) { run.panel.element.remove(); run.panel.destroy(); }
        runs = wanted.map(newRun);
        pair.classList.toggle("two", runs.length === 2);
        for (const run of runs) pair.append(run.panel.element);
        translateTree(pair);
        downloads.set(downloadItems());
      }
      runs.forEach((run, i) => {
        run.handle = fresh[i].handle;
        run.info = fresh[i].info;
        run.panel.absorb(fresh[i].snapshot);
      });
      lastCurves = performance.now();
      labelRuns();
      showMode(host.mode);
      for (const run of runs) run.panel.draw();
    });
    building = promise;
    promise.finally(() => { if (building === promise) building = null; });
    return promise;
  }

  /** Each run's map, loss and accuracy charts (PNG) and its curves (CSV). */
  function downloadItems() {
    const two = runs.length > 1;
    const item = (run, show, name) => ({
      show: two ? `${show}Run` : show, vars: { run: run.which.toUpperCase() }, name: two ? `${name}-${run.which}` : name,
    });
    return {
      pictures: runs.flatMap((run) => [
        { ...item(run, "download.show.map", "map"), canvas: () => run.panel.canvases.map },
        { ...item(run, "download.show.lossChart", "loss"), canvas: () => run.panel.canvases.loss },
        { ...item(run, "download.show.accChart", "accuracy"), canvas: () => run.panel.canvases.accuracy },
      ]),
      curves: runs.map((run) => ({ ...item(run, "download.show.curves", "curves"), columns: () => curveColumns(run.panel.curves) })),
    };
  }

  function labelRuns() {
    for (const run of runs) {
      const c = trainerConfig(values, run.which);
      const parts = [t(run.which === "a" ? "net.runA" : "net.runB")];
      if (values.cmp) {
        parts.push(`${t("net.dropout")} ${c.dropout ?? 0}`, `L2 ${c.l2}`);
        if (c.batchNorm) parts.push(t("net.batchNorm"));
      }
      run.panel.setTitle(parts.join(" · "), values.cmp);
    }
  }

  // ---- points -----------------------------------------------------------
  async function pick({ x, y, remove }) {
    const view = runs[0]?.panel.view;
    if (!view) return;
    const edit = remove
      ? { op: "r", x: round(x), y: round(y), r: round(0.04 * (view.xMax - view.xMin)) }
      : { op: "a", x: round(x), y: round(y), c: Math.min(values.cls, classCount(values) - 1) };
    edits.push(edit);
    saveEdits();
    if (building) await building;
    const gen = generation;
    const request = { evaluate: "always", map: { grid: GRID, when: "always" }, points: true };
    for (const run of runs) {
      if (run.handle === null) continue;
      host.command(run.handle, "edit", [edit], request).then(({ snapshot }) => {
        if (gen !== generation) return;
        run.panel.absorb(snapshot);
        runner.invalidate();
      }, (error) => {
        if (gen !== generation || error instanceof HostRestarted) return;
        edits = edits.filter((e) => e !== edit);
        saveEdits();
        ctx.notify(error.message);
      });
    }
  }

  function saveEdits() {
    const text = encodeEdits(edits);
    if (text.length > MAX_EDITS) {
      ctx.notify(t("net.tooManyEdits"), "info");
      return;
    }
    values.edits = text;
    save();
  }

  function buildClassPicker() {
    clear(classPicker);
    const classes = classCount(values);
    if (values.cls >= classes) values.cls = 0;
    for (let c = 0; c < classes; c++) {
      const b = h("button", {
        type: "button", class: `net-class c${c}`, role: "radio", "aria-checked": String(values.cls === c),
        "aria-label": t("net.classN", { n: c + 1 }), title: t("net.classN", { n: c + 1 }),
      });
      b.addEventListener("click", () => { values.cls = c; buildClassPicker(); save(); });
      classPicker.append(b);
    }
  }

  // ---- inputs → values --------------------------------------------------
  function showMode(mode) {
    const heavy = runs.some((run) => (run.info?.parameterCount ?? 0) > HEAVY_PARAMETERS);
    engineNote.hidden = !(mode === "main" && heavy);
    engineNote.textContent = t("kit.mainThread");
    section.dataset.engine = mode;
  }

  function syncInputs() {
    fields.sync(values);
    fields.input("classes").disabled = TWO_CLASS.includes(values.data);
    const s = values.sched;
    schedFields.gamma.hidden = s !== "step";
    schedFields.every.hidden = !(s === "step" || s === "warm_restarts");
    schedFields.k.hidden = !(s === "exponential" || s === "inverse_time");
    schedFields.total.hidden = s !== "cosine";
    compareBox.hidden = !values.cmp;
    buildClassPicker();
  }

  async function changed(name, value) {
    const previous = { ...values };
    values[name] = value;
    if (name === "opt") values.lr = DEFAULT_LR[value];
    if (DATA_KEYS.includes(name)) { edits = []; values.edits = ""; }
    await form.apply(name, previous);
  }

  syncInputs();
  translateTree(root);
  form.onLanguage(() => {
    buildClassPicker();
    labelRuns();
    showMode(host.mode);
    for (const run of runs) run.panel.redraw();
  });
  const ready = rebuild().then(async (result) => {
    if (result.error === undefined) return;
    await form.fallBack(result.error);
  });

  let closed = null;
  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      generation++;
      live.destroy();
      runner.destroy();
      player.destroy();
      downloads.destroy();
      form.destroy();
      for (const run of runs) {
        if (run.handle !== null) host.free(run.handle);
        run.panel.destroy();
      }
      runs = [];
      closed = host.close();
    },
    saveState: save,
    ready,
    // For tests and benchmarks: the runner, the engine host and what the last run answered.
    debug: {
      values,
      runner,
      host,
      get lastRun() { return lastRun; },
      get steps() { return runs.map((run) => run.panel.steps); },
      get curves() { return runs.map((run) => run.panel.curves); },
      downloads,
      get closed() { return closed; },
    },
  };
}
