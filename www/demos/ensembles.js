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
import { createCurvesChart } from "../ui/parts/curves.js";
import { createCountChart } from "../ui/parts/count-chart.js";
import { createEnsembleMaps } from "../ui/parts/ensemble-maps.js";
import { t, translateTree } from "../i18n/index.js";
import { FIRST_ORDER } from "../ui/race-view.js";
import { DATASETS, TWO_CLASS, ACTIVATIONS, parseHidden, pct } from "../ui/net-common.js";
import { createEngineHost, HostRestarted } from "../workers/client.js";
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
const lossText = (v) => (Number.isFinite(v) ? v.toFixed(3) : "–");
/** Writes text only when it changed: an unchanged page is not laid out again. */
const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

/**
 * Mounts the demo into `root`. The runs train in a module worker (the page
 * draws what it sends), or on the page within the frame budget where no
 * module worker can start; ctx.worker = false forces that.
 * Returns {destroy, saveState, ready, debug}.
 */
export function mount(root, ctx) {
  const values = { ...ctx.values };
  const prefix = uniquePrefix("ens");
  // The link's table checks only the text's length: its widths are checked here.
  if (parseEnsembleHidden(values.hidden) === null) {
    ctx.notify(t("notice.badParam", { name: "hidden", value: values.hidden.length > 40 ? `${values.hidden.slice(0, 40)}…` : values.hidden }));
    values.hidden = params.hidden.default;
  }
  /** which → {handle, info, data}; data gathers the latest of every part of the snapshots. */
  let runs = {};
  let generation = 0;
  let building = null;
  let destroyed = false;
  let lastCurves = -Infinity;
  let lastCharts = -Infinity;
  /** Steps the worker has taken (ahead of the page after an answer dropped by Pause). */
  let workerSteps = 0;
  let lastRun = null;
  const stale = { charts: true, schedule: true, polyak: true };
  const unsubs = [];
  const host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: showMode, onLost: () => rebuild() });

  // ---- settings ---------------------------------------------------------
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  const form = createSettings({ table: params, prefix, values, onChange: changed, rebuild, sync: syncInputs,
    lost: () => Object.values(runs).some((run) => run.handle === null) || !runsOf(values).every((which) => runs[which]), alive: () => !destroyed, notify: ctx.notify, persist: ctx.save });
  const { fields, errorBox, showError, save } = form;
  const settings = h("div", { class: "panel ens-settings" },
    h("h3", { "data-i18n": "ens.settingsData" }),
    h("div", { class: "hyper" }, fields.select("data", "net.dataset", DATASETS, "net.data"), fields.select("classes", "net.classes", [2, 3, 4, 5, 6]),
      fields.number("n", "net.pointsPerClass"), fields.number("noise", "net.noise"),
      fields.number("dseed", "net.dataSeed"), fields.number("val", "net.validation")),
    h("h3", { "data-i18n": "ens.settingsNet" }),
    h("div", { class: "hyper" },
      fields.text("hidden", "net.hidden", {
        maxlength: 30, class: "net-hidden",
        parse: (text) => (parseEnsembleHidden(text) === null ? null : text.trim()),
        message: (text) => t("ens.badHidden", { value: text.length > 40 ? `${text.slice(0, 40)}…` : text }),
      }),
      fields.select("act", "net.activation", ACTIVATIONS, "net.act")),
    h("p", { class: "hint", "data-i18n": "ens.hiddenHint" }),
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", FIRST_ORDER, "opt"), fields.number("lr", "hp.lr"),
      fields.number("batch", "net.batch"), fields.number("l2", "net.l2"), fields.number("seed", "net.seed")),
    h("h3", { "data-i18n": "ens.settingsEnsemble" }),
    h("div", { class: "hyper" }, fields.number("members", "ens.members"), fields.number("steps", "ens.steps"), fields.number("cycle", "ens.cycle")),
    h("p", { class: "hint", "data-i18n": "ens.membersHint" }),
    h("p", { class: "hint", "data-i18n": "ens.cycleHint" }),
    h("div", { class: "hyper" }, fields.check("polyak", "ens.polyakSwitch"), fields.number("decay", "ens.decay")),
    h("p", { class: "hint", "data-i18n": "ens.decayHint" }),
    errorBox);

  // ---- downloads ----------------------------------------------------------
  // Made when clicked, from what the page shows: the pictures' own pixels,
  // the curves' numbers, the settings with the link that replays them.
  const downloads = [];
  function download(format, what, name, make) {
    const button = downloadButton({ format, what, demo: id, name, make, onError: (message) => ctx.notify(message) });
    downloads.push(button);
    return button.element;
  }
  const group = (...buttons) => downloadGroup(buttons);
  const png = (what, name, canvas) => download("PNG", what, name, () => canvasPng(canvas()));
  const panelDownloads = (which) => ({
    afterMap: [group(png(`ens.dl.${which}Map`, `${which}-map`, () => panels[which].mapCanvas))],
    afterTiles: [group(download("PNG", `ens.dl.${which}Tiles`, `${which}-members`, () => tilesPng(panels[which])))],
  });
  const linkNow = () => shareLink(values, location.href);

  // ---- pictures ---------------------------------------------------------
  const panels = {
    independent: createEnsembleMaps({ which: "independent", labelKey: "ens.mapLabel.independent", tileLabelKey: "ens.tileLabel", ...panelDownloads("independent") }),
    snapshot: createEnsembleMaps({ which: "snapshot", labelKey: "ens.mapLabel.snapshot", tileLabelKey: "ens.tileLabel", ...panelDownloads("snapshot") }),
  };
  const status = h("p", { class: "ens-status", "aria-live": "off" });
  const engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  const accuracyChart = createCountChart({ className: "ens-count", labelKey: "ens.accChartLabel", xLabelKey: "ens.countAxis", yLabelKey: "ens.valAccuracy", format: (v) => `${(100 * v).toFixed(1)}` });
  const lossChart = createCountChart({ className: "ens-count", labelKey: "ens.lossChartLabel", xLabelKey: "ens.countAxis", yLabelKey: "ens.valLoss", format: (v) => v.toFixed(3) });
  const lrChart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.lrChartLabel", xLabelKey: "net.step", yLabelKey: "ens.lrAxis", minX: 10 });
  const runLossChart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.runLossChartLabel", xLabelKey: "net.step", yLabelKey: "ens.lossAxis", logY: true, minX: 10 });
  const polyakChart = createCurvesChart({ className: "ens-run-chart", labelKey: "ens.polyakChartLabel", xLabelKey: "net.step", yLabelKey: "ens.valAccuracy", minX: 10 });
  const tableBody = h("tbody");
  const table = h("table", { class: "net-table ens-table" },
    h("caption", { id: `${prefix}-table-caption`, "data-i18n": "ens.tableCaption" }),
    h("thead", {}, h("tr", {}, ["ens.col.model", "ens.col.networks", "ens.col.compute", "ens.col.train", "ens.col.val", "ens.col.loss", "ens.col.vote"]
      .map((key) => h("th", { scope: "col", "data-i18n": key })))),
    tableBody);
  const swatch = (kind, dashed = false) => h("span", { class: `swatch ens-swatch-${kind}${dashed ? " dashed" : ""}` });
  function legend(items) {
    return h("ul", { class: "legend" }, items.map(([key, kind, dashed]) => h("li", {}, swatch(kind, dashed), h("span", { "data-i18n": key }))));
  }
  const verdict = h("p", { class: "ens-verdict" });
  const polyakVerdict = h("p", { class: "ens-verdict" });
  const polyakFigure = h("div", { class: "ens-polyak-figure" },
    legend([["ens.legend.weights", "single"], ["ens.legend.polyak", "polyak"]]), polyakChart.element,
    group(png("ens.dl.polyakChart", "polyak-chart", () => polyakChart.element)));
  const columns = () => curveColumns(Object.fromEntries(Object.entries(runs).map(([which, run]) => [which, run.data])));
  const countDownloads = group(png("ens.dl.lossChart", "loss-chart", () => lossChart.element),
    download("CSV", "ens.dl.counts", "by-members", () => csvBlob(csvFromColumns(columns().counts))));
  const accuracyDownloads = group(png("ens.dl.accuracyChart", "accuracy-chart", () => accuracyChart.element));
  const lrDownloads = group(png("ens.dl.lrChart", "lr-chart", () => lrChart.element));
  const scheduleDownloads = group(png("ens.dl.runLossChart", "run-loss-chart", () => runLossChart.element),
    download("CSV", "ens.dl.schedule", "schedule", () => csvBlob(csvFromColumns(columns().schedule))));
  const resultDownloads = group(
    download("CSV", "ens.dl.history", "history", () => csvBlob(csvFromColumns(historyColumns(columns().history)))),
    download("JSON", "download.what.run", "run", () => jsonBlob(resultsOf(values, Object.fromEntries(Object.entries(runs).map(([which, run]) => [which, run.data])), linkNow()))));
  const countLegend = legend([
    ["ens.legend.independent", "independent"], ["ens.legend.independentVote", "independent", true],
    ["ens.legend.snapshot", "snapshot"], ["ens.legend.snapshotVote", "snapshot", true],
    ["ens.legend.single", "single"],
  ]);
  const polyakLegendItem = h("li", {}, swatch("polyak", true), h("span", { "data-i18n": "ens.legend.singlePolyak" }));
  countLegend.append(polyakLegendItem);

  const presets = h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `ens.preset.${p.key}` })));

  // ---- play loop ----------------------------------------------------------
  const section = h("section", { class: "demo ens", "aria-labelledby": `${prefix}-title` });
  const runner = createRunner({
    element: section,
    speed: values.speed,
    budgeted: false,
    advance,
    draw: render,
    cancel: () => host.cancel(),
    reset: () => rebuild(),
  });
  const player = createPlayerPart(runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; save(); } });
  // Charts wait for their turn while playing; once paused, what already arrived is drawn.
  unsubs.push(runner.onChange(({ playing }) => {
    if (playing) return;
    if (stale.charts) {
      lastCharts = -Infinity;
      render();
    }
    // The final numbers are read at once, not at the end of the interval.
    live.flush();
  }));

  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "ens.title" }),
    h("p", { class: "intro", "data-i18n": "ens.intro" }),
    presets,
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        player.element,
        status,
        engineNote,
        h("div", { class: "ens-pair" }, panels.independent.element, panels.snapshot.element),
        h("p", { class: "hint", "data-i18n": "ens.mapsHint" }),
        h("h3", { class: "ens-section", "data-i18n": "ens.countTitle" }),
        countLegend,
        h("p", { class: "chart-title", "data-i18n": "ens.accChart" }), accuracyChart.element, accuracyDownloads,
        h("p", { class: "chart-title", "data-i18n": "ens.lossChart" }), lossChart.element, countDownloads,
        h("p", { class: "hint", "data-i18n": "ens.countHint" }),
        h("p", { class: "hint", "data-i18n": "ens.jensenHint" }),
        // On a phone the table scrolls sideways: the keyboard can scroll it too.
        h("div", { class: "ens-table-wrap", tabindex: 0, role: "region", "aria-labelledby": `${prefix}-table-caption` }, table),
        verdict,
        resultDownloads,
        h("p", { class: "hint", "data-i18n": "ens.gapHint" })),
      h("div", { class: "side ens-side" },
        settings,
        h("div", { class: "stage ens-box" },
          h("h3", { class: "ens-section", "data-i18n": "ens.scheduleTitle" }),
          legend([["ens.legend.lr", "lr"], ["ens.legend.snapshotMark", "mark"]]),
          h("p", { class: "chart-title", "data-i18n": "ens.lrChart" }), lrChart.element, lrDownloads,
          h("p", { class: "chart-title", "data-i18n": "ens.runLossChart" }), runLossChart.element, scheduleDownloads,
          h("p", { class: "hint", "data-i18n": "ens.scheduleHint" })),
        h("div", { class: "stage ens-box" },
          h("h3", { class: "ens-section", "data-i18n": "ens.polyakTitle" }),
          polyakFigure,
          polyakVerdict,
          h("p", { class: "hint", "data-i18n": "ens.polyakHint" })))));
  root.append(section);
  const live = attachLiveRegion(section);

  /** The tiles that show a map, with their captions, as one PNG. */
  function tilesPng(panel) {
    const tiles = panel.shownTiles();
    if (!tiles.length) return Promise.reject(new Error(t("download.emptyCanvas")));
    const size = Math.max(...tiles.map((tile) => tile.canvas.width));
    const gap = 8;
    const line = 16;
    const across = Math.min(tileColumns(), tiles.length);
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

  /** For screen readers: the step, both ensembles' accuracy and a typical member's (throttled). */
  function announce() {
    const ind = data("independent");
    const snap = data("snapshot");
    if (!ind?.report?.ensemble || currentSteps() === 0) return;
    const e = ind.report.ensemble;
    const list = [{ name: t("ens.live.independent", { k: values.members }), trainAccuracy: e.trainAccuracy, valAccuracy: e.valAccuracy }];
    const s = snap?.report?.ensemble;
    if (s && snap.report.count > 0) list.push({ name: t("ens.live.snapshot", { k: snap.report.count }), trainAccuracy: s.trainAccuracy, valAccuracy: s.valAccuracy });
    list.push({ name: t("ens.live.member"), trainAccuracy: memberMean(ind.report, "trainAccuracy"), valAccuracy: memberMean(ind.report, "valAccuracy") });
    live.update(progressText({ step: currentSteps(), runs: list }));
  }

  // ---- the worker's answers -----------------------------------------------
  const data = (which) => runs[which]?.data ?? null;
  const currentSteps = () => data("independent")?.steps ?? 0;
  const handles = () => runsOf(values).map((which) => runs[which]?.handle ?? null);

  /** Takes in one snapshot of run `which`: what it carries replaces what was there. */
  function absorb(which, s) {
    const d = runs[which].data;
    // The report travels with every answer; it is new only when its step is.
    if (s.report && s.report.step !== d.report?.step) stale.charts = true;
    for (const [key, value] of Object.entries(s)) d[key] = value;
    if (s.maps && panels[which]) panels[which].setMaps(s.maps);
    if (s.view && panels[which]) panels[which].setView(s.view);
    if (s.points && panels[which]) panels[which].setPoints(s.points);
    if (s.schedule) stale.schedule = true;
    if (s.history) stale.polyak = true;
  }

  const fullRequest = () => ({ evaluate: "always", maps: { grid: GRID, when: "always", members: true, run: true }, history: true, schedule: true });

  /** A frame's worth of training: up to `steps` steps of every run, in the worker. */
  async function advance(steps, { budgetMs, single, shown = () => true }) {
    if (building) await building;
    const list = handles();
    if (destroyed || list.some((handle) => handle === null)) return false;
    const left = values.steps - workerSteps;
    if (left <= 0) {
      // An answer dropped by Pause held the last steps: show them now.
      if (currentSteps() < workerSteps) await catchUp(shown);
      return false;
    }
    const n = Math.min(steps, left);
    const last = n === left;
    const gen = generation;
    const now = performance.now();
    const curves = single || last || now - lastCurves >= CURVES_EVERY_MS;
    if (curves) lastCurves = now;
    const when = single || last ? "always" : "due";
    try {
      const answer = await host.run(list, n, {
        budgetMs,
        snapshot: { evaluate: when, maps: { grid: GRID, when, members: true, run: true }, history: curves, schedule: curves },
      });
      lastRun = answer;
      if (gen === generation) workerSteps = answer.snapshots[0].steps;
      // After Pause the page shows no more progress: the worker's last steps
      // show with the next Play or Step.
      if (gen !== generation || !shown()) return true;
      runsOf(values).forEach((which, i) => absorb(which, answer.snapshots[i]));
      return currentSteps() < values.steps;
    } catch (error) {
      if (error instanceof HostRestarted || gen !== generation || destroyed) return true;
      showError(error.message);
      return false;
    }
  }

  /** Brings what the page shows up to the step the worker is at. */
  async function catchUp(shown) {
    const gen = generation;
    const list = runsOf(values);
    try {
      const answers = await Promise.all(list.map((which) => host.snapshot(runs[which].handle, fullRequest())));
      if (gen === generation && shown()) answers.forEach((s, i) => absorb(list[i], s));
    } catch (error) {
      if (!(error instanceof HostRestarted) && gen === generation && !destroyed) showError(error.message);
    }
  }

  /**
   * Builds fresh runs from `values`. Resolves to {ok}, {error} (the engine
   * refused; the old runs are kept while alive) or {stale} (a newer rebuild
   * started meanwhile).
   */
  function rebuild() {
    const gen = ++generation;
    // Steps of these small networks are quick: a run in flight stops after
    // its current step; a build in flight is dropped with its worker.
    if (host.busy) {
      if (host.pendingOps.every((op) => op === "run" || op === "free" || op === "snapshot")) {
        host.cancel();
      } else {
        host.restart();
        for (const run of Object.values(runs)) run.handle = null;
      }
    }
    const wanted = runsOf(values);
    const first = { ...fullRequest(), points: true };
    const made = wanted.map((which) => host.create("Ensemble", { config: ensembleConfig(values, which) }, first));
    const promise = Promise.allSettled(made).then((results) => {
      const fresh = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
      const refused = results.find((r) => r.status === "rejected");
      if (gen !== generation || destroyed || refused) {
        for (const f of fresh) host.free(f.handle);
        if (gen !== generation || destroyed) return { stale: true };
        return { error: refused.reason instanceof HostRestarted ? "" : refused.reason.message };
      }
      for (const run of Object.values(runs)) if (run.handle !== null) host.free(run.handle);
      runs = {};
      wanted.forEach((which, i) => {
        runs[which] = { handle: fresh[i].handle, info: fresh[i].info, data: {} };
        absorb(which, fresh[i].snapshot);
      });
      workerSteps = 0;
      lastCurves = performance.now();
      showMode(host.mode);
      stale.charts = stale.schedule = stale.polyak = true;
      render();
      return { ok: true };
    });
    building = promise;
    promise.finally(() => { if (building === promise) building = null; });
    return promise;
  }

  // ---- drawing ---------------------------------------------------------------
  function render() {
    const ind = data("independent");
    const snap = data("snapshot");
    if (!ind || !snap) return;
    const step = ind.steps;
    setText(status, t(step >= values.steps ? "ens.statusDone" : "ens.status", { step, total: values.steps }));
    drawIndependent(ind);
    drawSnapshot(snap);
    panels.independent.draw();
    panels.snapshot.draw();
    const now = performance.now();
    if (stale.charts && (!runner.playing || now - lastCharts >= CHARTS_EVERY_MS)) {
      stale.charts = false;
      lastCharts = now;
      drawCounts(ind, snap, data("polyak"));
      writeTable(ind, snap, data("polyak"));
    }
    if (stale.schedule) {
      stale.schedule = false;
      drawSchedule(snap);
    }
    if (stale.polyak) {
      stale.polyak = false;
      drawPolyak(ind, data("polyak"));
    }
    announce();
  }

  /** Tiles a row: the snapshot side's K + 1 up to 6, the same on both sides so they line up. */
  const tileColumns = () => Math.min(values.members + 1, 6);
  const memberMean = (report, key) => mean((report?.members ?? []).map((m) => m[key]).filter(Number.isFinite));

  function drawIndependent(d) {
    const panel = panels.independent;
    const k = values.members;
    setText(panel.title, t("ens.panel.independent", { k }));
    const r = d.report;
    setText(panel.metrics, r?.ensemble
      ? t("ens.metrics", { val: pct(r.ensemble.valAccuracy), vote: pct(r.ensemble.voteAccuracy), member: pct(memberMean(r, "valAccuracy")) })
      : "");
    panel.setColumns(tileColumns());
    panel.setTiles(Array.from({ length: k }, (_, i) => ({
      member: i,
      caption: t("ens.tile.member", { n: i + 1 }),
      value: pct(r?.members[i]?.valAccuracy),
    })));
  }

  function drawSnapshot(d) {
    const panel = panels.snapshot;
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
    panel.setColumns(tileColumns());
    panel.setTiles(tiles);
  }

  function drawCounts(ind, snap, pol) {
    const k = values.members;
    const single = memberMean(ind.report, "valAccuracy");
    const singleLoss = memberMean(ind.report, "valLoss");
    const polyakMember = pol?.report?.members[0];
    polyakLegendItem.hidden = !pol;
    const counts = (d, key) => d?.counts?.[key] ?? new Float64Array(0);
    accuracyChart.update({
      count: k,
      // Votes first: at k = 1 a vote is the member's own answer, and the averaged dot goes on top.
      series: [
        { values: counts(ind, "vote"), color: COLORS.independent, dashed: true },
        { values: counts(snap, "vote"), color: COLORS.snapshot, dashed: true },
        { values: counts(ind, "accuracy"), color: COLORS.independent },
        { values: counts(snap, "accuracy"), color: COLORS.snapshot },
      ],
      lines: [{ y: single, color: COLORS.single }, ...(pol ? [{ y: polyakMember?.valAccuracy, color: COLORS.polyak, dashed: true }] : [])],
    });
    lossChart.update({
      count: k,
      series: [
        { values: counts(ind, "loss"), color: COLORS.independent },
        { values: counts(snap, "loss"), color: COLORS.snapshot },
      ],
      lines: [{ y: singleLoss, color: COLORS.single }, ...(pol ? [{ y: polyakMember?.valLoss, color: COLORS.polyak, dashed: true }] : [])],
    });
  }

  function writeTable(ind, snap, pol) {
    const k = values.members;
    const total = ind.steps;
    const rows = [];
    const row = (which, label, networks, compute, train, val, loss, vote) =>
      h("tr", { "data-row": which }, h("th", { scope: "row" }, label), h("td", {}, String(networks)), h("td", {}, compute.toLocaleString("en-US")),
        h("td", {}, pct(train)), h("td", {}, pct(val)), h("td", {}, lossText(loss)), h("td", {}, pct(vote)));
    const ir = ind.report;
    rows.push(row("member", t("ens.row.member", { k }), 1, total, memberMean(ir, "trainAccuracy"), memberMean(ir, "valAccuracy"), memberMean(ir, "valLoss"), NaN));
    if (pol?.report) {
      const m = pol.report.members[0];
      rows.push(row("polyak", t("ens.row.polyak", { d: values.decay }), 1, pol.computeSteps, m.trainAccuracy, m.valAccuracy, m.valLoss, NaN));
    }
    if (ir?.ensemble) rows.push(row("independent", t("ens.row.independent", { k }), k, ind.computeSteps, ir.ensemble.trainAccuracy, ir.ensemble.valAccuracy, ir.ensemble.valLoss, ir.ensemble.voteAccuracy));
    const sr = snap.report;
    if (sr?.ensemble) rows.push(row("snapshot", t("ens.row.snapshot", { k: sr.count }), sr.count, snap.computeSteps, sr.ensemble.trainAccuracy, sr.ensemble.valAccuracy, sr.ensemble.valLoss, sr.ensemble.voteAccuracy));
    if (sr?.run) rows.push(row("run", t("ens.row.run"), 1, snap.computeSteps, sr.run.trainAccuracy, sr.run.valAccuracy, sr.run.valLoss, NaN));
    const signature = rows.map((r) => r.textContent).join("|");
    if (tableBody.dataset.signature !== signature) {
      tableBody.replaceChildren(...rows);
      tableBody.dataset.signature = signature;
    }
    writeVerdict(ir, sr);
  }

  function writeVerdict(ir, sr) {
    const member = memberMean(ir, "valAccuracy");
    const valCount = data("independent")?.points?.valLabels.length ?? 0;
    if (!ir?.ensemble || currentSteps() === 0) {
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

  function drawSchedule(snap) {
    const s = snap.schedule;
    if (!s) return;
    const x = Float64Array.from({ length: s.lr.length }, (_, i) => i);
    const cycle = values.cycle;
    // Every cycle's end so far (the last `members` are the kept snapshots).
    const marks = [];
    for (let end = cycle - 1; end < s.lr.length; end += cycle) marks.push(end);
    const minX = values.steps;
    lrChart.update([{ x, y: s.lr, color: COLORS.lr }], { marks, minX, yRange: [0, values.lr] });
    runLossChart.update([{ x, y: s.loss, color: COLORS.loss }], { marks, minX });
  }

  function drawPolyak(ind, pol) {
    polyakFigure.hidden = !pol;
    if (!pol?.history || !ind.history) {
      setText(polyakVerdict, t("ens.polyakOff"));
      return;
    }
    const raw = ind.history;
    const avg = pol.history;
    // Fit the axis to the second three quarters: the first steps' low accuracy would flatten the rest.
    const from = values.steps / 4;
    const later = [...pick(raw, from, "modelValAccuracy"), ...pick(avg, from, "modelValAccuracy")];
    const yRange = later.length ? [Math.min(...later) - 0.01, Math.min(1, Math.max(...later) + 0.01)] : null;
    polyakChart.update([
      { x: raw.steps, y: raw.modelValAccuracy, color: COLORS.single },
      { x: avg.steps, y: avg.modelValAccuracy, color: COLORS.polyak },
    ], { yRange, minX: values.steps });
    const half = values.steps / 2;
    const rawLate = pick(raw, half, "modelValAccuracy");
    const avgLate = pick(avg, half, "modelValAccuracy");
    const text = rawLate.length >= 3 && avgLate.length >= 3
      ? t("ens.polyakVerdict", { raw: pct(mean(rawLate)), rawSd: points(spread(rawLate)), avg: pct(mean(avgLate)), avgSd: points(spread(avgLate)), from: Math.round(half) })
      : t("ens.polyakWaiting", { from: Math.round(half) });
    setText(polyakVerdict, text);
  }

  /** The finite values of history `key` at steps ≥ `from`. */
  function pick(history, from, key) {
    const out = [];
    for (let i = 0; i < history.steps.length; i++) if (history.steps[i] >= from && Number.isFinite(history[key][i])) out.push(history[key][i]);
    return out;
  }

  // ---- inputs → values --------------------------------------------------
  function showMode(mode) {
    const weights = Object.values(runs).reduce((sum, run) => sum + (run.info?.parameterCount ?? 0) * (run.info?.runs ?? 1), 0);
    engineNote.hidden = !(mode === "main" && weights > HEAVY_WEIGHTS);
    engineNote.textContent = t("kit.mainThread");
    section.dataset.engine = mode;
  }

  function syncInputs() {
    fields.sync(values);
    fields.input("classes").disabled = TWO_CLASS.includes(values.data);
    fields.input("decay").disabled = !values.polyak;
  }

  async function changed(name, value) {
    const previous = { ...values };
    const followsCycle = values.cycle === defaultCycle(values);
    values[name] = value;
    if (name === "opt") values.lr = DEFAULT_LR[value];
    // The cycle follows the budget and the member count while it is at its default.
    if ((name === "steps" || name === "members") && followsCycle) values.cycle = defaultCycle(values);
    await form.apply(name, previous);
  }

  syncInputs();
  translateTree(root);
  form.onLanguage(() => {
    showMode(host.mode);
    stale.charts = stale.schedule = stale.polyak = true;
    lastCharts = -Infinity;
    render();
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
      runner.destroy();
      player.destroy();
      for (const u of unsubs) u();
      form.destroy();
      for (const button of downloads) button.destroy();
      live.destroy();
      for (const run of Object.values(runs)) if (run.handle !== null) host.free(run.handle);
      runs = {};
      for (const part of [panels.independent, panels.snapshot, accuracyChart, lossChart, lrChart, runLossChart, polyakChart]) part.destroy();
      closed = host.close();
    },
    saveState: save,
    ready,
    // For tests and benchmarks: the runner, the engine host, the last answers.
    debug: {
      values,
      runner,
      host,
      get lastRun() { return lastRun; },
      get steps() { return [currentSteps()]; },
      get runs() { return Object.fromEntries(Object.entries(runs).map(([which, run]) => [which, run.data])); },
      get closed() { return closed; },
    },
  };
}
