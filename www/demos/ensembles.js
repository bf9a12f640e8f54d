// Model ensembles: K networks that differ only in their seed, averaged at
// test time, against snapshots of one run with a restarting learning rate
// (Huang et al. 2017), and Polyak averaging of one network's weights. The
// members' decision maps as tiles under the averaged map, validation
// accuracy and loss against the number of members averaged with the
// compute each costs, the snapshot run's rate and loss, and the Polyak
// average against the weights themselves. Training runs in a worker.
import { h, uniquePrefix } from "../ui/dom.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { createSettings } from "../ui/parts/controls.js";
import { createEnsembleMaps } from "../ui/parts/ensemble-maps.js";
import { createEnsembleSettings } from "../ui/parts/ensemble-settings.js";
import { createMemberCounts } from "../ui/parts/member-counts.js";
import { createEnsembleTable } from "../ui/parts/ensemble-table.js";
import { createSnapshotSchedule } from "../ui/parts/snapshot-schedule.js";
import { createPolyakView } from "../ui/parts/polyak-view.js";
import { t, translateTree } from "../i18n/index.js";
import { FIRST_ORDER } from "../ui/race-view.js";
import { DATASETS, TWO_CLASS, ACTIVATIONS, parseHidden, pct } from "../ui/net-common.js";
import { createEngineHost, installCreated, HostRestarted } from "../workers/client.js";
import { encode } from "../state.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { downloadButton, downloadGroup, canvasPng, csvBlob, csvFromColumns, jsonBlob } from "../ui/download.js";

export const id = "ensembles";

/** Members per ensemble (tiles stay readable; the engine allows 32). */
export const MAX_MEMBERS = 10;
/** Hidden layers and units per layer: K small networks train side by side. */
export const MAX_LAYERS = 3;
export const MAX_WIDTH = 64;
const GRID = 72;
/** While playing, histories and the schedule travel from the worker this often. */
const CURVES_EVERY_MS = 250;
/** While playing, the charts and the table are redrawn at most this often (they are a whole page of layout). */
const CHARTS_EVERY_MS = 200;
/** Above this many weights in all runs the page-thread fallback says training will be slow. */
const HEAVY_WEIGHTS = 50_000;
const DEFAULT_LR = { sgd: 2, momentum: 0.2, nesterov: 0.2, adagrad: 0.3, rmsprop: 0.01, adam: 0.01 };
const COLORS = { independent: "#2456c9", snapshot: "#c2410c", single: "#6b6b76", polyak: "#1b7f3b", lr: "#7a3db8", loss: "#c2410c" };

export const params = {
  data: { type: "enum", values: DATASETS, default: "spiral" },
  classes: { type: "number", integer: true, min: 2, max: 6, default: 3 },
  n: { type: "number", integer: true, min: 5, max: 300, default: 100 },
  noise: { type: "number", min: 0, max: 1, default: 0.2 },
  dseed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  val: { type: "number", min: 0.1, max: 0.9, default: 0.5 },
  hidden: { type: "text", maxLength: 30, default: "8" },
  act: { type: "enum", values: ACTIVATIONS, default: "relu" },
  opt: { type: "enum", values: FIRST_ORDER, default: "sgd" },
  lr: { type: "number", min: 1e-6, max: 100, default: (v) => DEFAULT_LR[v.opt ?? "sgd"] },
  batch: { type: "number", integer: true, min: 1, max: 3000, default: 300 },
  l2: { type: "number", min: 0, max: 1, default: 0.001 },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  members: { type: "number", integer: true, min: 1, max: MAX_MEMBERS, default: 5 },
  steps: { type: "number", integer: true, min: 10, max: 20000, default: 3000 },
  cycle: { type: "number", integer: true, min: 1, max: 20000, default: (v) => defaultCycle(v) },
  polyak: { type: "bool", default: false },
  decay: { type: "number", min: 0, max: 0.9999, default: 0.99 },
  speed: { type: "number", integer: true, min: 1, max: 200, default: 10 },
};

/** The "Try:" links; each has a lesson row in www/lessons/table.js. */
export const spec = {
  presets: [
    { key: "polyak", query: "batch=10&lr=1&polyak=1" },
    { key: "linear", query: "hidden=" },
  ],
};

/** One cycle per member, all complete within the budget: every snapshot is kept. */
export function defaultCycle(values) {
  return Math.max(1, Math.floor((values.steps ?? 3000) / (values.members ?? 5)));
}

/** Hidden widths for this demo: at most 3 layers of 1–64 units ("" = a linear softmax); null when not valid. */
export function parseEnsembleHidden(text) {
  const widths = parseHidden(text);
  if (widths === null || widths.length > MAX_LAYERS || widths.some((w) => w > MAX_WIDTH)) return null;
  return widths;
}

/** The Trainer settings every run shares (members differ only in their seed). */
export function trainerSettings(values) {
  const classes = TWO_CLASS.includes(values.data) ? 2 : values.classes;
  return {
    dataset: { kind: values.data, classes, pointsPerClass: values.n, noise: values.noise, seed: values.dseed },
    validationSplit: values.val,
    hidden: parseEnsembleHidden(values.hidden) ?? [8],
    activation: values.act,
    optimizer: { kind: values.opt, lr: values.lr },
    l2: values.l2,
    batchSize: values.batch,
    seed: values.seed,
  };
}

/**
 * The Ensemble settings of one of the demo's runs: "independent" (K
 * networks, K× the compute), "snapshot" (one run with warm restarts) or
 * "polyak" (one network evaluated with the Polyak average of its weights).
 */
export function ensembleConfig(values, which) {
  const trainer = trainerSettings(values);
  if (which === "snapshot") return { trainer, kind: "snapshot", members: values.members, cycle: values.cycle };
  if (which === "polyak") return { trainer: { ...trainer, polyak: values.decay }, kind: "independent", members: 1 };
  return { trainer, kind: "independent", members: values.members };
}

/** The runs the view trains for `values`. */
export function runsOf(values) {
  return values.polyak ? ["independent", "snapshot", "polyak"] : ["independent", "snapshot"];
}

/**
 * The curves behind each chart as named columns (CSV), from the view's
 * latest data of each run ({counts, schedule, history, …} as the Ensemble
 * kind answers them): the counts chart, the snapshot run's schedule, and
 * the evaluation history of every run.
 */
export function curveColumns(runs) {
  const ind = runs.independent ?? {};
  const snap = runs.snapshot ?? {};
  const k = Math.max(ind.counts?.accuracy.length ?? 0, snap.counts?.accuracy.length ?? 0);
  const byCount = (d, key) => Array.from({ length: k }, (_, i) => d.counts?.[key]?.[i] ?? null);
  const counts = {
    k: Array.from({ length: k }, (_, i) => i + 1),
    independent_val_accuracy: byCount(ind, "accuracy"),
    independent_vote_accuracy: byCount(ind, "vote"),
    independent_val_loss: byCount(ind, "loss"),
    snapshot_val_accuracy: byCount(snap, "accuracy"),
    snapshot_vote_accuracy: byCount(snap, "vote"),
    snapshot_val_loss: byCount(snap, "loss"),
  };
  const lr = snap.schedule?.lr ?? [];
  const schedule = {
    step: Array.from({ length: lr.length }, (_, i) => i + 1),
    learning_rate: Array.from(lr),
    minibatch_loss: Array.from(snap.schedule?.loss ?? []),
  };
  const history = {};
  for (const [which, d] of Object.entries(runs)) {
    const h = d?.history;
    if (!h) continue;
    history[which] = {
      step: Array.from(h.steps),
      val_accuracy: Array.from(h.valAccuracy),
      val_loss: Array.from(h.valLoss),
      vote_accuracy: Array.from(h.voteAccuracy),
      mean_member_val_accuracy: Array.from(h.memberValAccuracy),
      mean_member_val_loss: Array.from(h.memberValLoss),
      model_val_accuracy: Array.from(h.modelValAccuracy),
      model_val_loss: Array.from(h.modelValLoss),
    };
  }
  return { counts, schedule, history };
}

/**
 * Every run's evaluation history (curveColumns(…).history) as one table:
 * `<run>_<column>` for each run; runs evaluated a different number of
 * times leave empty cells below their last row.
 */
export function historyColumns(history) {
  const columns = {};
  for (const [which, table] of Object.entries(history)) {
    for (const [name, column] of Object.entries(table)) columns[`${which}_${name}`] = column;
  }
  return columns;
}

/** The link that replays `values` from the page at `base` (the defaults stay out of it). */
export function shareLink(values, base) {
  const url = new URL(base);
  const query = encode(params, values).toString();
  url.hash = query ? `${id}?${query}` : id;
  return url.href;
}

/** Settings and results of the view for a JSON download (with the link that replays it). */
export function resultsOf(values, runs, link) {
  const result = { demo: id, link, settings: { ...values }, runs: {} };
  for (const which of runsOf(values)) {
    const d = runs[which];
    if (!d) continue;
    result.runs[which] = {
      config: ensembleConfig(values, which),
      steps: d.steps,
      computeSteps: d.computeSteps,
      report: d.report ?? null,
      accuracyByCount: Array.from(d.counts?.accuracy ?? []),
      voteAccuracyByCount: Array.from(d.counts?.vote ?? []),
      lossByCount: Array.from(d.counts?.loss ?? []),
    };
  }
  return result;
}

const mean = (list) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : NaN);
const spread = (list) => Math.sqrt(mean(list.map((v) => (v - mean(list)) ** 2)));
const points = (v) => (Number.isFinite(v) ? (100 * v).toFixed(1) : "–");
/** Writes text only when it changed: an unchanged page is not laid out again. */
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

/**
 * Mounts the demo into `root`. The runs train in a module worker (the page
 * draws what it sends), or on the page within the frame budget where no
 * module worker can start; ctx.worker = false forces that.
 * Returns {destroy, saveState, ready, debug}.
 *
 * The demo's state is one object (`lab`) that the functions below take; the
 * pictures are parts (www/ui/parts: ensemble-settings, ensemble-maps,
 * member-counts, ensemble-table, snapshot-schedule, polyak-view).
 */
export function mount(root, ctx) {
  const lab = createLab(ctx);
  buildPage(lab, root);
  syncInputs(lab);
  translateTree(root);
  lab.form.onLanguage(() => relabel(lab));
  const ready = rebuild(lab).then(async (result) => {
    if (result.error === undefined) return;
    await lab.form.fallBack(result.error);
  });
  return { destroy: () => destroy(lab), saveState: lab.save, ready, debug: debugOf(lab) };
}

/** The demo's state, its engine host and its settings loop (no page yet). */
function createLab(ctx) {
  const values = { ...ctx.values };
  // The link's table checks only the text's length: its widths are checked here.
  if (parseEnsembleHidden(values.hidden) === null) {
    ctx.notify(t("notice.badParam", { name: "hidden", value: values.hidden.length > 40 ? `${values.hidden.slice(0, 40)}…` : values.hidden }));
    values.hidden = params.hidden.default;
  }
  const lab = {
    ctx,
    values,
    prefix: uniquePrefix("ens"),
    /** which → {handle, info, data}; data gathers the latest of every part of the snapshots. */
    runs: {},
    generation: 0,
    building: null,
    destroyed: false,
    lastCurves: -Infinity,
    lastCharts: -Infinity,
    /** Steps the worker has taken (ahead of the page after an answer dropped by Pause). */
    workerSteps: 0,
    lastRun: null,
    stale: { charts: true, schedule: true, polyak: true },
    unsubs: [],
    downloads: [],
    closed: null,
  };
  lab.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: (mode) => showMode(lab, mode), onLost: () => rebuild(lab) });
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  lab.form = createSettings({ table: params, prefix: lab.prefix, values, onChange: (name, value) => changed(lab, name, value),
    rebuild: () => rebuild(lab), sync: () => syncInputs(lab), lost: () => runsLost(lab), alive: () => !lab.destroyed,
    notify: ctx.notify, persist: ctx.save });
  lab.fields = lab.form.fields;
  lab.showError = lab.form.showError;
  lab.save = lab.form.save;
  return lab;
}

/** A restart dropped runs, or runs the values ask for are missing. */
const runsLost = (lab) => Object.values(lab.runs).some((run) => run.handle === null) || !runsOf(lab.values).every((which) => lab.runs[which]);

// ---- downloads ----------------------------------------------------------
// Made when clicked, from what the page shows: the pictures' own pixels,
// the curves' numbers, the settings with the link that replays them.
function download(lab, format, what, name, make) {
  const button = downloadButton({ format, what, demo: id, name, make, onError: (message) => lab.ctx.notify(message) });
  lab.downloads.push(button);
  return button.element;
}

const runsData = (lab) => Object.fromEntries(Object.entries(lab.runs).map(([which, run]) => [which, run.data]));

/** The tiles that show a map, with their captions, as one PNG (`columns` tiles a row at most). */
function tilesPng(panel, columns) {
  const tiles = panel.shownTiles();
  if (!tiles.length) return Promise.reject(new Error(t("download.emptyCanvas")));
  const size = Math.max(...tiles.map((tile) => tile.canvas.width));
  const gap = 8;
  const line = 16;
  const across = Math.min(columns, tiles.length);
  const canvas = document.createElement("canvas");
  canvas.width = gap + across * (size + gap);
  canvas.height = gap + Math.ceil(tiles.length / across) * (size + 2 * line + gap);
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#222";
  g.font = "12px sans-serif";
  g.textBaseline = "top";
  tiles.forEach((tile, i) => {
    const x = gap + (i % across) * (size + gap);
    const y = gap + Math.floor(i / across) * (size + 2 * line + gap);
    g.drawImage(tile.canvas, x, y, size, size);
    g.fillText(tile.caption, x, y + size + 2, size);
    g.fillText(tile.value, x, y + size + 2 + line, size);
  });
  return canvasPng(canvas);
}

// ---- the page ---------------------------------------------------------------
/** Makes the parts and the section, and puts it into `root`. */
function buildPage(lab, root) {
  const { values, fields, prefix } = lab;
  const png = (what, name, canvas) => download(lab, "PNG", what, name, () => canvasPng(canvas()));
  const csv = (what, name, columns) => download(lab, "CSV", what, name, () => csvBlob(csvFromColumns(columns())));
  const columns = () => curveColumns(runsData(lab));
  lab.settings = createEnsembleSettings({
    fields, choices: { datasets: DATASETS, activations: ACTIVATIONS, optimizers: FIRST_ORDER }, errorBox: lab.form.errorBox,
    hidden: {
      parse: (text) => (parseEnsembleHidden(text) === null ? null : text.trim()),
      message: (text) => t("ens.badHidden", { value: text.length > 40 ? `${text.slice(0, 40)}…` : text }),
    },
  });
  const maps = (which) => createEnsembleMaps({
    engine: lab.ctx.engine, which, labelKey: `ens.mapLabel.${which}`, tileLabelKey: "ens.tileLabel",
    afterMap: [downloadGroup([png(`ens.dl.${which}Map`, `${which}-map`, () => lab.panels[which].mapCanvas)])],
    afterTiles: [downloadGroup([download(lab, "PNG", `ens.dl.${which}Tiles`, `${which}-members`, () => tilesPng(lab.panels[which], tileColumns(values)))])],
  });
  lab.panels = { independent: maps("independent"), snapshot: maps("snapshot") };
  lab.status = h("p", { class: "ens-status", "aria-live": "off" });
  lab.engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  lab.polyak = createPolyakView({ png });
  lab.counts = createMemberCounts({ png, countsButton: csv("ens.dl.counts", "by-members", () => columns().counts) });
  lab.schedule = createSnapshotSchedule({ png, scheduleButton: csv("ens.dl.schedule", "schedule", () => columns().schedule), colors: COLORS });
  lab.table = createEnsembleTable({ prefix });
  lab.verdict = h("p", { class: "ens-verdict" });
  const resultDownloads = downloadGroup([
    csv("ens.dl.history", "history", () => historyColumns(columns().history)),
    download(lab, "JSON", "download.what.run", "run", () => jsonBlob(resultsOf(values, runsData(lab), shareLink(values, location.href)))),
  ]);
  buildSection(lab, root, {
    stage: [lab.status, lab.engineNote, h("div", { class: "ens-pair" }, lab.panels.independent.element, lab.panels.snapshot.element),
      h("p", { class: "hint", "data-i18n": "ens.mapsHint" }), lab.counts.element, lab.table.element, lab.verdict, resultDownloads,
      h("p", { class: "hint", "data-i18n": "ens.gapHint" })],
    side: [lab.settings.element, lab.schedule.element, lab.polyak.element],
  });
}

/** The section: title, presets, the player over `stage`, `side` beside it; the runner and the live region. */
function buildSection(lab, root, { stage, side }) {
  const { values, prefix } = lab;
  const section = h("section", { class: "demo ens", "aria-labelledby": `${prefix}-title` });
  lab.section = section;
  lab.runner = createRunner({ element: section, speed: values.speed, budgeted: false, advance: (steps, options) => advance(lab, steps, options),
    draw: () => render(lab), cancel: () => lab.host.cancel(), reset: () => rebuild(lab) });
  lab.player = createPlayerPart(lab.runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; lab.save(); } });
  // Charts wait for their turn while playing; once paused, what already arrived is drawn.
  lab.unsubs.push(lab.runner.onChange(({ playing }) => {
    if (playing) return;
    if (lab.stale.charts) {
      lab.lastCharts = -Infinity;
      render(lab);
    }
    // The final numbers are read at once, not at the end of the interval.
    lab.live.flush();
  }));
  const presets = h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `ens.preset.${p.key}` })));
  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "ens.title" }),
    h("p", { class: "intro", "data-i18n": "ens.intro" }),
    presets,
    h("div", { class: "columns" },
      h("div", { class: "stage" }, lab.player.element, ...stage),
      h("div", { class: "side ens-side" }, ...side)));
  root.append(section);
  lab.live = attachLiveRegion(section);
}

/** For screen readers: the step, both ensembles' accuracy and a typical member's (throttled). */
function announce(lab) {
  const ind = data(lab, "independent");
  const snap = data(lab, "snapshot");
  if (!ind?.report?.ensemble || currentSteps(lab) === 0) return;
  const e = ind.report.ensemble;
  const list = [{ name: t("ens.live.independent", { k: lab.values.members }), trainAccuracy: e.trainAccuracy, valAccuracy: e.valAccuracy }];
  const s = snap?.report?.ensemble;
  if (s && snap.report.count > 0) list.push({ name: t("ens.live.snapshot", { k: snap.report.count }), trainAccuracy: s.trainAccuracy, valAccuracy: s.valAccuracy });
  list.push({ name: t("ens.live.member"), trainAccuracy: memberMean(ind.report, "trainAccuracy"), valAccuracy: memberMean(ind.report, "valAccuracy") });
  lab.live.update(progressText({ step: currentSteps(lab), runs: list }));
}

// ---- the worker's answers -----------------------------------------------
const data = (lab, which) => lab.runs[which]?.data ?? null;
const currentSteps = (lab) => data(lab, "independent")?.steps ?? 0;
const handles = (lab) => runsOf(lab.values).map((which) => lab.runs[which]?.handle ?? null);

/** Takes in one snapshot of run `which`: what it carries replaces what was there. */
function absorb(lab, which, s) {
  const d = lab.runs[which].data;
  const panel = lab.panels[which];
  // The report travels with every answer; it is new only when its step is.
  if (s.report && s.report.step !== d.report?.step) lab.stale.charts = true;
  for (const [key, value] of Object.entries(s)) d[key] = value;
  if (s.maps && panel) panel.setMaps(s.maps);
  if (s.view && panel) panel.setView(s.view);
  if (s.points && panel) panel.setPoints(s.points);
  if (s.schedule) lab.stale.schedule = true;
  if (s.history) lab.stale.polyak = true;
}

const fullRequest = () => ({ evaluate: "always", maps: { grid: GRID, when: "always", members: true, run: true }, history: true, schedule: true });

/** A frame's worth of training: up to `steps` steps of every run, in the worker. */
async function advance(lab, steps, { budgetMs, single, shown = () => true }) {
  if (lab.building) await lab.building;
  const { values } = lab;
  const list = handles(lab);
  if (lab.destroyed || list.some((handle) => handle === null)) return false;
  const left = values.steps - lab.workerSteps;
  if (left <= 0) {
    // An answer dropped by Pause held the last steps: show them now.
    if (currentSteps(lab) < lab.workerSteps) await catchUp(lab, shown);
    return false;
  }
  const n = Math.min(steps, left);
  const last = n === left;
  const gen = lab.generation;
  const now = performance.now();
  const curves = single || last || now - lab.lastCurves >= CURVES_EVERY_MS;
  if (curves) lab.lastCurves = now;
  const when = single || last ? "always" : "due";
  try {
    const answer = await lab.host.run(list, n, {
      budgetMs,
      snapshot: { evaluate: when, maps: { grid: GRID, when, members: true, run: true }, history: curves, schedule: curves },
    });
    lab.lastRun = answer;
    if (gen === lab.generation) lab.workerSteps = answer.snapshots[0].steps;
    // After Pause the page shows no more progress: the worker's last steps
    // show with the next Play or Step.
    if (gen !== lab.generation || !shown()) return true;
    runsOf(values).forEach((which, i) => absorb(lab, which, answer.snapshots[i]));
    return currentSteps(lab) < values.steps;
  } catch (error) {
    if (error instanceof HostRestarted || gen !== lab.generation || lab.destroyed) return true;
    lab.showError(error.message);
    return false;
  }
}

/** Brings what the page shows up to the step the worker is at. */
async function catchUp(lab, shown) {
  const gen = lab.generation;
  const list = runsOf(lab.values);
  try {
    const answers = await Promise.all(list.map((which) => lab.host.snapshot(lab.runs[which].handle, fullRequest())));
    if (gen === lab.generation && shown()) answers.forEach((s, i) => absorb(lab, list[i], s));
  } catch (error) {
    if (!(error instanceof HostRestarted) && gen === lab.generation && !lab.destroyed) lab.showError(error.message);
  }
}

/**
 * Builds fresh runs from `values`. Resolves to {ok}, {error} (the engine
 * refused; the old runs are kept while alive) or {stale} (a newer rebuild
 * started meanwhile).
 */
function rebuild(lab) {
  const { host } = lab;
  const gen = ++lab.generation;
  // Steps of these small networks are quick: a run in flight stops after
  // its current step; a build in flight is dropped with its worker.
  if (host.busy) {
    if (host.pendingOps.every((op) => op === "run" || op === "free" || op === "snapshot")) {
      host.cancel();
    } else {
      host.restart();
      for (const run of Object.values(lab.runs)) run.handle = null;
    }
  }
  const wanted = runsOf(lab.values);
  const first = { ...fullRequest(), points: true };
  const made = wanted.map((which) => host.create("Ensemble", { config: ensembleConfig(lab.values, which) }, first));
  const promise = installCreated(host, made, () => gen === lab.generation && !lab.destroyed, (fresh) => {
    for (const run of Object.values(lab.runs)) if (run.handle !== null) host.free(run.handle);
    lab.runs = {};
    wanted.forEach((which, i) => {
      lab.runs[which] = { handle: fresh[i].handle, info: fresh[i].info, data: {} };
      absorb(lab, which, fresh[i].snapshot);
    });
    lab.workerSteps = 0;
    lab.lastCurves = performance.now();
    showMode(lab, host.mode);
    lab.stale.charts = lab.stale.schedule = lab.stale.polyak = true;
    render(lab);
  });
  lab.building = promise;
  promise.finally(() => { if (lab.building === promise) lab.building = null; });
  return promise;
}

// ---- drawing ---------------------------------------------------------------
function render(lab) {
  const { values, stale } = lab;
  const ind = data(lab, "independent");
  const snap = data(lab, "snapshot");
  if (!ind || !snap) return;
  const step = ind.steps;
  setText(lab.status, t(step >= values.steps ? "ens.statusDone" : "ens.status", { step, total: values.steps }));
  drawIndependent(lab, ind);
  drawSnapshot(lab, snap);
  lab.panels.independent.draw();
  lab.panels.snapshot.draw();
  const now = performance.now();
  if (stale.charts && (!lab.runner.playing || now - lab.lastCharts >= CHARTS_EVERY_MS)) {
    stale.charts = false;
    lab.lastCharts = now;
    drawCounts(lab, ind, snap, data(lab, "polyak"));
    writeTable(lab, ind, snap, data(lab, "polyak"));
  }
  if (stale.schedule) {
    stale.schedule = false;
    drawSchedule(lab, snap);
  }
  if (stale.polyak) {
    stale.polyak = false;
    drawPolyak(lab, ind, data(lab, "polyak"));
  }
  announce(lab);
}

/** Tiles a row: the snapshot side's K + 1 up to 6, the same on both sides so they line up. */
const tileColumns = (values) => Math.min(values.members + 1, 6);
const memberMean = (report, key) => mean((report?.members ?? []).map((m) => m[key]).filter(Number.isFinite));

function drawIndependent(lab, d) {
  const panel = lab.panels.independent;
  const k = lab.values.members;
  setText(panel.title, t("ens.panel.independent", { k }));
  const r = d.report;
  setText(panel.metrics, r?.ensemble
    ? t("ens.metrics", { val: pct(r.ensemble.valAccuracy), vote: pct(r.ensemble.voteAccuracy), member: pct(memberMean(r, "valAccuracy")) })
    : "");
  panel.setColumns(tileColumns(lab.values));
  panel.setTiles(Array.from({ length: k }, (_, i) => ({
    member: i,
    caption: t("ens.tile.member", { n: i + 1 }),
    value: pct(r?.members[i]?.valAccuracy),
  })));
}

function drawSnapshot(lab, d) {
  const { values } = lab;
  const panel = lab.panels.snapshot;
  setText(panel.title, t("ens.panel.snapshot", { k: values.members }));
  const r = d.report;
  const count = d.maps?.live ? 0 : (d.maps?.count ?? 0);
  setText(panel.metrics, r?.ensemble && count > 0
    ? t("ens.metricsSnapshot", { count, val: pct(r.ensemble.valAccuracy), vote: pct(r.ensemble.voteAccuracy), member: pct(memberMean(r, "valAccuracy")) })
    : t("ens.noSnapshotYet", { cycle: values.cycle }));
  // Oldest snapshot first, then the places of those still to come, then the run now.
  const taken = Array.from(d.maps?.snapshotSteps ?? []);
  const tiles = [];
  for (let i = taken.length - 1; i >= 0; i--) {
    tiles.push({ member: i, caption: t("ens.tile.snapshot", { steps: taken[i] + 1 }), value: pct(r?.members[i]?.valAccuracy) });
  }
  while (tiles.length < values.members) tiles.push({ member: Infinity, caption: t("ens.tile.pending"), value: "" });
  tiles.push({ member: null, live: true, caption: t("ens.tile.now"), value: pct(r?.run?.valAccuracy) });
  panel.setColumns(tileColumns(values));
  panel.setTiles(tiles);
}

function drawCounts(lab, ind, snap, pol) {
  const single = memberMean(ind.report, "valAccuracy");
  const singleLoss = memberMean(ind.report, "valLoss");
  const polyakMember = pol?.report?.members[0];
  const counts = (d, key) => d?.counts?.[key] ?? new Float64Array(0);
  lab.counts.update({
    count: lab.values.members,
    polyak: Boolean(pol),
    accuracy: {
      // Votes first: at k = 1 a vote is the member's own answer, and the averaged dot goes on top.
      series: [
        { values: counts(ind, "vote"), color: COLORS.independent, dashed: true },
        { values: counts(snap, "vote"), color: COLORS.snapshot, dashed: true },
        { values: counts(ind, "accuracy"), color: COLORS.independent },
        { values: counts(snap, "accuracy"), color: COLORS.snapshot },
      ],
      lines: [{ y: single, color: COLORS.single }, ...(pol ? [{ y: polyakMember?.valAccuracy, color: COLORS.polyak, dashed: true }] : [])],
    },
    loss: {
      series: [
        { values: counts(ind, "loss"), color: COLORS.independent },
        { values: counts(snap, "loss"), color: COLORS.snapshot },
      ],
      lines: [{ y: singleLoss, color: COLORS.single }, ...(pol ? [{ y: polyakMember?.valLoss, color: COLORS.polyak, dashed: true }] : [])],
    },
  });
}

function writeTable(lab, ind, snap, pol) {
  const k = lab.values.members;
  const rows = [];
  const row = (which, label, networks, compute, train, val, loss, vote) => rows.push({ which, label, networks, compute, train, val, loss, vote });
  const ir = ind.report;
  row("member", t("ens.row.member", { k }), 1, ind.steps, memberMean(ir, "trainAccuracy"), memberMean(ir, "valAccuracy"), memberMean(ir, "valLoss"), NaN);
  if (pol?.report) {
    const m = pol.report.members[0];
    row("polyak", t("ens.row.polyak", { d: lab.values.decay }), 1, pol.computeSteps, m.trainAccuracy, m.valAccuracy, m.valLoss, NaN);
  }
  if (ir?.ensemble) row("independent", t("ens.row.independent", { k }), k, ind.computeSteps, ir.ensemble.trainAccuracy, ir.ensemble.valAccuracy, ir.ensemble.valLoss, ir.ensemble.voteAccuracy);
  const sr = snap.report;
  if (sr?.ensemble) row("snapshot", t("ens.row.snapshot", { k: sr.count }), sr.count, snap.computeSteps, sr.ensemble.trainAccuracy, sr.ensemble.valAccuracy, sr.ensemble.valLoss, sr.ensemble.voteAccuracy);
  if (sr?.run) row("run", t("ens.row.run"), 1, snap.computeSteps, sr.run.trainAccuracy, sr.run.valAccuracy, sr.run.valLoss, NaN);
  lab.table.update(rows);
  writeVerdict(lab, ir, sr);
}

function writeVerdict(lab, ir, sr) {
  const { values, verdict } = lab;
  const member = memberMean(ir, "valAccuracy");
  const valCount = data(lab, "independent")?.points?.valLabels.length ?? 0;
  if (!ir?.ensemble || currentSteps(lab) === 0) {
    setText(verdict, t("ens.verdictStart"));
    return;
  }
  if (!Number.isFinite(member) || !Number.isFinite(ir.ensemble.valLoss)) {
    setText(verdict, t("net.diverged"));
    return;
  }
  const parts = [t(ir.ensemble.valAccuracy > member ? "ens.verdictGain" : "ens.verdictNoGain", {
    k: values.members, avg: pct(ir.ensemble.valAccuracy), member: pct(member), diff: points(ir.ensemble.valAccuracy - member),
  })];
  if (sr?.ensemble) {
    parts.push(t("ens.verdictSnapshot", { count: sr.count, snap: pct(sr.ensemble.valAccuracy), diff: points(sr.ensemble.valAccuracy - member), k: values.members }));
  }
  if (valCount) parts.push(t("ens.verdictChance", { n: valCount, one: (100 / valCount).toFixed(2) }));
  setText(verdict, parts.join(" "));
}

function drawSchedule(lab, snap) {
  const s = snap.schedule;
  if (!s) return;
  lab.schedule.update({ lr: s.lr, loss: s.loss, cycle: lab.values.cycle, minX: lab.values.steps, lrMax: lab.values.lr });
}

function drawPolyak(lab, ind, pol) {
  const { values } = lab;
  lab.polyak.show(Boolean(pol));
  if (!pol?.history || !ind.history) {
    lab.polyak.setVerdict(t("ens.polyakOff"));
    return;
  }
  const raw = ind.history;
  const avg = pol.history;
  // Fit the axis to the second three quarters: the first steps' low accuracy would flatten the rest.
  const from = values.steps / 4;
  const later = [...pick(raw, from, "modelValAccuracy"), ...pick(avg, from, "modelValAccuracy")];
  const yRange = later.length ? [Math.min(...later) - 0.01, Math.min(1, Math.max(...later) + 0.01)] : null;
  lab.polyak.update([
    { x: raw.steps, y: raw.modelValAccuracy, color: COLORS.single },
    { x: avg.steps, y: avg.modelValAccuracy, color: COLORS.polyak },
  ], { yRange, minX: values.steps });
  const half = values.steps / 2;
  const rawLate = pick(raw, half, "modelValAccuracy");
  const avgLate = pick(avg, half, "modelValAccuracy");
  lab.polyak.setVerdict(rawLate.length >= 3 && avgLate.length >= 3
    ? t("ens.polyakVerdict", { raw: pct(mean(rawLate)), rawSd: points(spread(rawLate)), avg: pct(mean(avgLate)), avgSd: points(spread(avgLate)), from: Math.round(half) })
    : t("ens.polyakWaiting", { from: Math.round(half) }));
}

/** The finite values of history `key` at steps ≥ `from`. */
function pick(history, from, key) {
  const out = [];
  for (let i = 0; i < history.steps.length; i++) if (history.steps[i] >= from && Number.isFinite(history[key][i])) out.push(history[key][i]);
  return out;
}

// ---- inputs → values --------------------------------------------------
function showMode(lab, mode) {
  // The host may answer before the page is built.
  if (!lab.section) return;
  const weights = Object.values(lab.runs).reduce((sum, run) => sum + (run.info?.parameterCount ?? 0) * (run.info?.runs ?? 1), 0);
  lab.engineNote.hidden = !(mode === "main" && weights > HEAVY_WEIGHTS);
  lab.engineNote.textContent = t("kit.mainThread");
  lab.section.dataset.engine = mode;
}

function syncInputs(lab) {
  const { fields, values } = lab;
  fields.sync(values);
  fields.input("classes").disabled = TWO_CLASS.includes(values.data);
  fields.input("decay").disabled = !values.polyak;
}

async function changed(lab, name, value) {
  const { values } = lab;
  const previous = { ...values };
  const followsCycle = values.cycle === defaultCycle(values);
  values[name] = value;
  if (name === "opt") values.lr = DEFAULT_LR[value];
  // The cycle follows the budget and the member count while it is at its default.
  if ((name === "steps" || name === "members") && followsCycle) values.cycle = defaultCycle(values);
  await lab.form.apply(name, previous);
}

/** After a language change: every chart and text again. */
function relabel(lab) {
  showMode(lab, lab.host.mode);
  lab.stale.charts = lab.stale.schedule = lab.stale.polyak = true;
  lab.lastCharts = -Infinity;
  render(lab);
}

function destroy(lab) {
  if (lab.destroyed) return;
  lab.destroyed = true;
  lab.generation++;
  for (const u of lab.unsubs) u();
  for (const part of [lab.runner, lab.player, lab.form, ...lab.downloads, lab.live]) part.destroy();
  for (const run of Object.values(lab.runs)) if (run.handle !== null) lab.host.free(run.handle);
  lab.runs = {};
  for (const part of [lab.panels.independent, lab.panels.snapshot, lab.counts, lab.schedule, lab.polyak]) part.destroy();
  lab.closed = lab.host.close();
}

/** For tests and benchmarks: the runner, the engine host, the last answers. */
function debugOf(lab) {
  return {
    values: lab.values,
    runner: lab.runner,
    host: lab.host,
    get lastRun() { return lab.lastRun; },
    get steps() { return [currentSteps(lab)]; },
    get runs() { return runsData(lab); },
    get closed() { return lab.closed; },
  };
}
