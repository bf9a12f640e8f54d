// The network lab: a small classifier trained live on a 2-D data set, its
// decision regions under the points, train and validation curves on one
// step axis (the gap between them is overfitting), click-to-add points,
// and a compare mode that trains a second configuration from the same seed.
import { h, uniquePrefix } from "../ui/dom.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { createSettings } from "../ui/parts/controls.js";
import { createTrainPanel } from "../ui/parts/train-panel.js";
import { createDownloads } from "../ui/parts/downloads.js";
import { createNetSettings } from "../ui/parts/net-settings.js";
import { createClassPicker } from "../ui/parts/class-picker.js";
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
  const lab = createLab(ctx);
  buildPage(lab, root);
  showPanels(lab, wantedRuns(lab));
  syncInputs(lab);
  translateTree(root);
  lab.form.onLanguage(() => relabel(lab));
  const ready = rebuild(lab).then(async (result) => {
    if (result.error !== undefined) await lab.form.fallBack(result.error);
  });
  return { destroy: () => destroy(lab), saveState: lab.save, ready, debug: debugOf(lab) };
}

/** One mount's state: everything the module-level functions below read and change. */
function createLab(ctx) {
  const lab = {
    ctx, values: { ...ctx.values }, prefix: uniquePrefix("net"), runs: [], generation: 0, building: null,
    destroyed: false, removeMode: false, lastCurves: -Infinity, lastRun: null, closed: null,
  };
  lab.edits = parseEdits(lab.values.edits);
  lab.engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  lab.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: (mode) => showMode(lab, mode), onLost: () => rebuild(lab) });
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  lab.form = createSettings({ table: params, prefix: lab.prefix, values: lab.values, onChange: (name, value) => changed(lab, name, value),
    rebuild: () => rebuild(lab), sync: () => syncInputs(lab), lost: () => lab.runs.some((run) => run.handle === null),
    alive: () => !lab.destroyed, restored: () => { lab.edits = parseEdits(lab.values.edits); }, notify: ctx.notify, persist: ctx.save });
  lab.save = lab.form.save;
  return lab;
}

/** The section: player, maps, click controls, downloads and the settings panel; also the runner and live region. */
function buildPage(lab, root) {
  const { values, prefix } = lab;
  lab.settings = createNetSettings({ fields: lab.form.fields, errorBox: lab.form.errorBox });
  lab.classPicker = createClassPicker({ onPick: (c) => { values.cls = c; showClasses(lab); lab.save(); } });
  const removeToggle = h("input", { type: "checkbox", id: `${prefix}-remove` });
  removeToggle.addEventListener("change", () => { lab.removeMode = removeToggle.checked; });
  lab.pair = h("div", { class: "net-pair" });
  const section = lab.section = h("section", { class: "demo net", "aria-labelledby": `${prefix}-title` });
  lab.runner = createRunner({
    element: section, speed: values.speed, budgeted: false,
    advance: (steps, options) => advance(lab, steps, options),
    draw: () => { for (const run of lab.runs) run.panel.draw(); announce(lab); },
    cancel: () => lab.host.cancel(),
    reset: () => rebuild(lab),
  });
  lab.player = createPlayerPart(lab.runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; lab.save(); } });
  lab.downloads = createDownloads({ demo: id, params, values: () => values, run: () => downloadRecord(lab), onError: (message) => lab.ctx.notify(message) });
  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "net.title" }),
    h("p", { class: "intro", "data-i18n": "net.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        // Controls above the map: on a wide screen the charts push them below the fold.
        lab.player.element,
        lab.engineNote,
        lab.pair,
        h("div", { class: "field-row net-click" }, h("span", { "data-i18n": "net.clickClass" }), lab.classPicker.element,
          h("label", { for: removeToggle.id, class: "check" }, removeToggle, h("span", { "data-i18n": "net.removeMode" }))),
        h("p", { class: "hint", "data-i18n": "net.clickHint" }),
        h("p", { class: "hint", "data-i18n": "net.gapHint" }),
        lab.downloads.element),
      h("div", { class: "side" }, lab.settings.element)));
  root.append(section);
  lab.live = attachLiveRegion(section);
}

/** The settings, edits and results that a results download records. */
function downloadRecord({ runs, values, edits }) {
  return {
    config: Object.fromEntries(runs.map((run) => [run.which, trainerConfig(values, run.which)])),
    edits,
    results: runs.map((run) => ({
      run: run.which, steps: run.panel.steps, metrics: run.panel.metrics, parameterCount: run.info?.parameterCount ?? null,
    })),
  };
}

/** For screen readers: the step and each run's numbers (throttled by the live region). */
function announce({ runs, live }) {
  if (!runs.length || !runs[0].panel.metrics) return;
  live.update(progressText({
    step: runs[0].panel.steps,
    runs: runs.map((run) => ({ ...run.panel.metrics, name: runs.length > 1 ? t(run.which === "a" ? "net.runA" : "net.runB") : undefined })),
  }));
}

/** A frame's worth of training: `steps` steps of every run, in the worker. */
async function advance(lab, steps, { budgetMs, single, shown }) {
  if (lab.building) await lab.building;
  if (lab.destroyed || !lab.runs.length || lab.runs.some((run) => run.handle === null)) return false;
  const gen = lab.generation;
  const now = performance.now();
  const curves = single || now - lab.lastCurves >= CURVES_EVERY_MS;
  if (curves) lab.lastCurves = now;
  const when = single ? "always" : "due";
  try {
    const answer = await lab.host.run(lab.runs.map((run) => run.handle), steps,
      { budgetMs, snapshot: { evaluate: when, map: { grid: GRID, when }, curves } });
    lab.lastRun = answer;
    // After Pause the page shows no more progress: the worker's last steps
    // show with the next Play or Step.
    if (gen !== lab.generation || !shown()) return true;
    answer.snapshots.forEach((s, i) => lab.runs[i].panel.absorb(s));
    return true;
  } catch (error) {
    if (error instanceof HostRestarted || gen !== lab.generation || lab.destroyed) return true;
    lab.form.showError(error.message);
    return false;
  }
}

function newRun(lab, which) {
  const panel = createTrainPanel({ engine: lab.ctx.engine, which, onPick: (point) => pick(lab, point), removeMode: () => lab.removeMode });
  return { which, panel, handle: null, info: null };
}

/**
 * Builds fresh runs from `values` and `edits`. Resolves to {ok}, {error}
 * (the engine refused: the old runs are kept when they are still alive)
 * or {stale} (a newer rebuild started meanwhile).
 */
function rebuild(lab) {
  const gen = ++lab.generation;
  const { host } = lab;
  // Runs in flight stop after their current step when steps are known to
  // be quick; anything else (a big network's step, a build) is dropped
  // with its worker rather than waited for.
  if (host.busy) {
    const quick = lab.lastRun && msPerStep(lab.lastRun) <= RESTART_ABOVE_MS && host.pendingOps.every((op) => op === "run" || op === "free");
    if (quick) {
      host.cancel();
    } else {
      host.restart();
      for (const run of lab.runs) run.handle = null;
    }
  }
  const wanted = wantedRuns(lab);
  const first = { evaluate: "always", map: { grid: GRID, when: "always" }, points: true, curves: true };
  const made = wanted.map((which) => host.create("Trainer", { config: trainerConfig(lab.values, which), edits: lab.edits }, first));
  const promise = installCreated(host, made, () => gen === lab.generation && !lab.destroyed, (fresh) => install(lab, wanted, fresh));
  lab.building = promise;
  promise.finally(() => { if (lab.building === promise) lab.building = null; });
  return promise;
}

const wantedRuns = (lab) => (lab.values.cmp ? ["a", "b"] : ["a"]);

/**
 * One panel per wanted run (new panels when the count changed). At mount
 * they come before the engine's first answer, which for the largest
 * network takes seconds: until then each says it is preparing.
 */
function showPanels(lab, wanted) {
  if (lab.runs.length === wanted.length) return;
  for (const run of lab.runs) { run.panel.element.remove(); run.panel.destroy(); }
  lab.runs = wanted.map((which) => newRun(lab, which));
  lab.pair.classList.toggle("two", lab.runs.length === 2);
  for (const run of lab.runs) lab.pair.append(run.panel.element);
  translateTree(lab.pair);
  lab.downloads.set(downloadItems(lab.runs));
  labelRuns(lab);
  for (const run of lab.runs) run.panel.draw();
}

/** Puts freshly created engine runs in place of the old ones. */
function install(lab, wanted, fresh) {
  for (const run of lab.runs) if (run.handle !== null) lab.host.free(run.handle);
  showPanels(lab, wanted);
  lab.runs.forEach((run, i) => {
    run.handle = fresh[i].handle;
    run.info = fresh[i].info;
    run.panel.absorb(fresh[i].snapshot);
  });
  lab.lastCurves = performance.now();
  labelRuns(lab);
  showMode(lab, lab.host.mode);
  for (const run of lab.runs) run.panel.draw();
}

/** Each run's map, loss and accuracy charts (PNG) and its curves (CSV). */
function downloadItems(runs) {
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

function labelRuns({ runs, values }) {
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

/** A click on a map: adds a point of the chosen class, or removes the points near it, in every run. */
async function pick(lab, { x, y, remove }) {
  const view = lab.runs[0]?.panel.view;
  if (!view) return;
  const { values } = lab;
  const edit = remove
    ? { op: "r", x: round(x), y: round(y), r: round(0.04 * (view.xMax - view.xMin)) }
    : { op: "a", x: round(x), y: round(y), c: Math.min(values.cls, classCount(values) - 1) };
  lab.edits.push(edit);
  saveEdits(lab);
  if (lab.building) await lab.building;
  const gen = lab.generation;
  const request = { evaluate: "always", map: { grid: GRID, when: "always" }, points: true };
  for (const run of lab.runs) {
    if (run.handle === null) continue;
    lab.host.command(run.handle, "edit", [edit], request).then(({ snapshot }) => {
      if (gen !== lab.generation) return;
      run.panel.absorb(snapshot);
      lab.runner.invalidate();
    }, (error) => {
      if (gen !== lab.generation || error instanceof HostRestarted) return;
      lab.edits = lab.edits.filter((e) => e !== edit);
      saveEdits(lab);
      lab.ctx.notify(error.message);
    });
  }
}

function saveEdits(lab) {
  const text = encodeEdits(lab.edits);
  if (text.length > MAX_EDITS) {
    lab.ctx.notify(t("net.tooManyEdits"), "info");
    return;
  }
  lab.values.edits = text;
  lab.save();
}

function showClasses({ values, classPicker }) {
  const classes = classCount(values);
  if (values.cls >= classes) values.cls = 0;
  classPicker.show(classes, values.cls);
}

function showMode(lab, mode) {
  const heavy = lab.runs.some((run) => (run.info?.parameterCount ?? 0) > HEAVY_PARAMETERS);
  lab.engineNote.hidden = !(mode === "main" && heavy);
  lab.engineNote.textContent = t("kit.mainThread");
  lab.section.dataset.engine = mode;
}

function syncInputs(lab) {
  const { values, form } = lab;
  form.fields.sync(values);
  form.fields.input("classes").disabled = TWO_CLASS.includes(values.data);
  lab.settings.show(values);
  showClasses(lab);
}

/** The language changed: what is drawn with words is drawn again. */
function relabel(lab) {
  showClasses(lab);
  labelRuns(lab);
  showMode(lab, lab.host.mode);
  for (const run of lab.runs) run.panel.redraw();
}

async function changed(lab, name, value) {
  const { values } = lab;
  const previous = { ...values };
  values[name] = value;
  if (name === "opt") values.lr = DEFAULT_LR[value];
  if (DATA_KEYS.includes(name)) { lab.edits = []; values.edits = ""; }
  await lab.form.apply(name, previous);
}

function destroy(lab) {
  if (lab.destroyed) return;
  lab.destroyed = true;
  lab.generation++;
  lab.live.destroy();
  lab.runner.destroy();
  lab.player.destroy();
  lab.downloads.destroy();
  lab.form.destroy();
  for (const run of lab.runs) {
    if (run.handle !== null) lab.host.free(run.handle);
    run.panel.destroy();
  }
  lab.runs = [];
  lab.closed = lab.host.close();
}

/** For tests and benchmarks: the runner, the engine host and what the last run answered. */
function debugOf(lab) {
  return {
    values: lab.values,
    runner: lab.runner,
    host: lab.host,
    get lastRun() { return lab.lastRun; },
    get steps() { return lab.runs.map((run) => run.panel.steps); },
    get curves() { return lab.runs.map((run) => run.panel.curves); },
    downloads: lab.downloads,
    get closed() { return lab.closed; },
  };
}
