// The image lab: a small convolutional network trained live on real
// handwritten digits (MNIST), with and without augmentation side by side so
// the gap between training and validation accuracy shows augmentation
// regularizing; what the network learned (first-layer filters, feature
// maps, the confusion matrix, its most confident mistakes); and a pad to
// draw your own digit on, prepared the way MNIST's digits were.
import { h, uniquePrefix } from "../ui/dom.js";
import { createSettings } from "../ui/parts/controls.js";
import { createImageSettings } from "../ui/parts/image-settings.js";
import { createTrainPanel } from "../ui/parts/train-panel.js";
import { createRunCompare } from "../ui/parts/run-compare.js";
import { createLearnedView } from "../ui/parts/learned-view.js";
import { createDigitPad } from "../ui/parts/digit-pad.js";
import { createProbabilityBars } from "../ui/parts/probability-bars.js";
import { downscale } from "../ui/parts/drawing-pad.js";
import { accuracyMargin } from "../ui/gap.js";
import { pct } from "../ui/net-common.js";
import { FIRST_ORDER } from "../ui/race-view.js";
import { t, translateTree } from "../i18n/index.js";
import { createEngineHost, installCreated, HostRestarted } from "../workers/client.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { advanceToStop, startRunnerToStop } from "../ui/run-to-stop.js";
import { downloadButton, downloadGroup, canvasPng, csvBlob, csvFromColumns, csvFromRows, jsonBlob } from "../ui/download.js";
import { shareLink as appShareLink } from "../ui/parts/downloads.js";
import { APP_PAGE } from "../app-page.js";

export const id = "images";

/** Digits a side, and the values of one digit. */
const SIDE = 28;
const CLASSES = 10;
/** The issue's network: conv 5×5×16 → ReLU → pool 2 → conv 5×5×32 → ReLU → pool 2 → dense 10. */
export const CNN_LAYERS = [
  { kind: "conv", filters: 16, size: 5 }, { kind: "relu" }, { kind: "maxpool", size: 2 },
  { kind: "conv", filters: 32, size: 5 }, { kind: "relu" }, { kind: "maxpool", size: 2 },
  { kind: "dense", units: CLASSES },
];
/** The MLP for contrast: one hidden layer of 100 ReLU units on the 784 pixels. */
export const MLP_HIDDEN = [100];
export const ARCHS = ["cnn", "mlp"];
/** Augmentation ops the lab offers, in the order a pipeline applies them. */
export const AUG_OPS = ["rotate", "translate", "crop", "zoom", "cutout", "noise", "hflip", "vflip"];
export const COMPARE = ["off", "aug", "arch"];
const DEFAULT_LR = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, rmsprop: 0.001, adam: 0.001 };

/** Time spent scoring per request while training (ms), and when settling an evaluation. */
const EVAL_MS = 15;
const SETTLE_MS = 40;
/** While playing, curves, filters and probes travel this often (ms). */
/** An evaluation (or the digits' loading) shows its progress after this long (ms). */
const PROGRESS_AFTER_MS = 300;
/** Test digits offered on the pad's picker: this many of each class at a time. */
const PICKS_PER_CLASS = 2;
const RUN_COLORS = { a: "#8a8a8a", b: "#2456c9" };

export const params = {
  per: { type: "number", integer: true, min: 1, max: 450, default: 10 },
  arch: { type: "enum", values: ARCHS, default: "cnn" },
  opt: { type: "enum", values: FIRST_ORDER, default: "momentum" },
  lr: { type: "number", min: 1e-6, max: 10, default: (v) => DEFAULT_LR[v.opt ?? "momentum"] },
  batch: { type: "number", integer: true, min: 1, max: 128, default: 32 },
  l2: { type: "number", min: 0, max: 0.1, default: 1e-4 },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  aug: { type: "bool", default: true },
  ops: { type: "set", values: AUG_OPS, default: ["rotate", "translate"] },
  rot: { type: "number", min: 0, max: 180, default: 12 },
  shift: { type: "number", min: 0, max: 0.5, default: 0.1 },
  pad: { type: "number", integer: true, min: 1, max: 8, default: 3 },
  zoom: { type: "number", min: 0.2, max: 1, default: 0.7 },
  cut: { type: "number", min: 0.02, max: 0.5, default: 0.15 },
  noise: { type: "number", min: 0, max: 1, default: 0.2 },
  flip: { type: "number", min: 0, max: 1, default: 0.5 },
  cmp: { type: "enum", values: COMPARE, default: "aug" },
  until: { type: "number", integer: true, min: 0, max: 100000, default: 200 },
  speed: { type: "number", integer: true, min: 1, max: 20, default: 3 },
  show: { type: "enum", values: ["a", "b"], default: "b" },
  layer: { type: "number", integer: true, min: 0, max: 6, default: 1 },
  center: { type: "bool", default: true },
  pick: { type: "number", integer: true, min: -1, max: 499, default: 350 },
};

/** Preset links ("Try: …"), each with a lesson in www/lessons/table.js. */
export const spec = {
  id,
  presets: [
    { key: "images.wrongAug", query: "ops=hflip,vflip" },
    { key: "images.cnnVsMlp", query: "cmp=arch&aug=0" },
  ],
};

/** The augmentation pipeline the values choose (the ops in AUG_OPS order). */
export function augmentOps(values) {
  const ops = [];
  for (const op of AUG_OPS) {
    if (!values.ops.includes(op)) continue;
    switch (op) {
      case "rotate": ops.push({ kind: "rotate", degrees: values.rot }); break;
      case "translate": ops.push({ kind: "translate", maxShift: values.shift }); break;
      case "crop": ops.push({ kind: "random_crop", size: [SIDE, SIDE], padding: values.pad }); break;
      case "zoom": ops.push({ kind: "random_resized_crop", scale: [values.zoom, 1], ratio: [0.8, 1.25], size: [SIDE, SIDE] }); break;
      case "cutout": ops.push({ kind: "cutout", scale: [0.02, values.cut], p: 0.5 }); break;
      case "noise": ops.push({ kind: "noise", std: values.noise }); break;
      case "hflip": ops.push({ kind: "hflip", p: values.flip }); break;
      case "vflip": ops.push({ kind: "vflip", p: values.flip }); break;
      default: break;
    }
  }
  return ops;
}

/** The runs the comparison setting asks for: [{which, arch, augmented}]. */
export function runPlan(values) {
  const other = values.arch === "cnn" ? "mlp" : "cnn";
  switch (values.cmp) {
    case "aug": return [{ which: "a", arch: values.arch, augmented: false }, { which: "b", arch: values.arch, augmented: true }];
    case "arch": return [{ which: "a", arch: values.arch, augmented: values.aug }, { which: "b", arch: other, augmented: values.aug }];
    default: return [{ which: "a", arch: values.arch, augmented: values.aug }];
  }
}

/**
 * The engine settings of run `which` ("a" or "b"). The digits themselves
 * are not in it: the engine host fills in `dataset.data` (loaded once per
 * worker); a caller outside the app adds it (the lessons do).
 */
export function trainerConfig(values, which = "a") {
  const run = runPlan(values).find((r) => r.which === which);
  if (!run) throw new Error(`no run '${which}' with cmp=${values.cmp}`);
  const config = {
    dataset: { kind: "digits", perClass: values.per, validationPerClass: 50, seed: values.seed },
    optimizer: values.opt === "momentum" || values.opt === "nesterov"
      ? { kind: values.opt, lr: values.lr, momentum: 0.9 } : { kind: values.opt, lr: values.lr },
    l2: values.l2,
    batchSize: values.batch,
    seed: values.seed,
  };
  if (run.arch === "cnn") config.layers = CNN_LAYERS;
  else Object.assign(config, { hidden: MLP_HIDDEN, activation: "relu" });
  const ops = run.augmented ? augmentOps(values) : [];
  if (ops.length) config.augment = { ops };
  return config;
}

/** Test-digit indices for the picker: the `round`-th pair of each class. */
export function pickerIndices(valLabels, round = 0) {
  const byClass = Array.from({ length: CLASSES }, () => []);
  valLabels.forEach((label, i) => byClass[label]?.push(i));
  const out = [];
  for (const list of byClass) {
    if (!list.length) continue;
    for (let k = 0; k < PICKS_PER_CLASS; k++) out.push(list[(round * PICKS_PER_CLASS + k) % list.length]);
  }
  return out;
}

const signed = (v) => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;

/**
 * The link that replays `values` from the app's page at `base` (defaults stay
 * out of it; the kit's share link, so the one file and the notebook get theirs).
 */
export function shareLink(values, base = APP_PAGE) {
  return appShareLink(id, params, values, { appUrl: base });
}

const CURVE_NAMES = ["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"];

/**
 * Every run's evaluation curves as CSV columns joined on the step: `step`,
 * then `<run>.trainLoss` … per run (`runs`: [{which, curves}]); a run not
 * evaluated at a step leaves its cells empty.
 */
export function curveColumns(runs) {
  const shown = runs.filter((run) => run.curves);
  const steps = [...new Set(shown.flatMap((run) => Array.from(run.curves.steps)))].sort((a, b) => a - b);
  const columns = { step: steps };
  for (const { which, curves } of shown) {
    const at = new Map(Array.from(curves.steps, (step, i) => [step, i]));
    for (const name of CURVE_NAMES) columns[`${which}.${name}`] = steps.map((step) => (at.has(step) ? curves[name][at.get(step)] : null));
  }
  return columns;
}

/** The confusion matrix of the evaluation at `step` as CSV: one row per (true, predicted) pair. */
export function confusionCsv(counts, step, classes = CLASSES) {
  const rows = [];
  for (let r = 0; r < classes; r++) for (let p = 0; p < classes; p++) rows.push([step, r, p, counts[r * classes + p]]);
  return csvFromRows(["step", "true", "predicted", "count"], rows);
}

/**
 * Settings and results for the JSON download: the link that replays them,
 * every setting, and per run its engine config, step, last measured
 * metrics, curves and the last evaluation's confusion matrix and mistakes
 * (`runs`: [{which, arch, augmented, steps, metrics, curves, results}]).
 */
export function resultsOf(values, runs, link) {
  return {
    demo: id,
    link,
    settings: { ...values, ops: [...values.ops] },
    runs: Object.fromEntries(runs.map((run) => [run.which, {
      arch: run.arch,
      augmented: run.augmented,
      config: trainerConfig(values, run.which),
      steps: run.steps,
      metrics: run.metrics ?? null,
      curves: run.curves ? Object.fromEntries(Object.entries(run.curves).map(([k, v]) => [k, Array.from(v)])) : null,
      evaluation: run.results ? {
        step: run.results.step,
        confusion: Array.from(run.results.confusion),
        mistakes: {
          validationIndices: Array.from(run.results.mistakes.indices),
          labels: Array.from(run.results.mistakes.labels),
          predicted: Array.from(run.results.mistakes.predicted),
          confidence: Array.from(run.results.mistakes.confidence),
        },
      } : null,
    }])),
  };
}

/** Layers whose output is a picture (height and width above 1): feature maps can show them. */
const spatial = (layer) => layer.outputShape[1] > 1 && layer.outputShape[2] > 1;


/**
 * Mounts the lab into `root`. Training runs in a module worker (the page
 * only draws what it sends), or on the page within the frame budget where
 * no module worker can start (ctx.worker = false forces that). Returns
 * {destroy, saveState, ready, debug}; `ready` resolves once the digits are
 * loaded and the first networks are built and drawn.
 *
 * The lab's state is one object (`lab`) that the functions below take; the
 * pictures are parts (www/ui/parts: image-settings, train-panel, run-compare,
 * learned-view, digit-pad, probability-bars).
 */
export function mount(root, ctx) {
  const lab = createLab(ctx);
  buildPage(lab, root);
  syncInputs(lab);
  translateTree(root);
  lab.form.onLanguage(() => relabel(lab));
  const ready = start(lab);
  return { destroy: () => destroy(lab), saveState: lab.save, ready, debug: debugOf(lab) };
}

/** The lab's state, its engine host and its settings loop (no page yet). */
function createLab(ctx) {
  const lab = {
    ctx,
    values: { ...ctx.values },
    prefix: uniquePrefix("img"),
    runs: [],
    generation: 0,
    building: null,
    destroyed: false,
    lastExtras: -Infinity,
    stopAt: Infinity,
    wasPlaying: false,
    /** The pad's digit as the network is given it (28 × 28 values in [0, 1]), or null. */
    input: null,
    probing: false,
    probeAgain: false,
    pickerRound: 0,
    pickerImages: null,
    valCount: 0,
    settling: null,
    pickerLoading: null,
    mountedAt: performance.now(),
    loadedIn: null,
    learnedFor: null,
    mapsShown: {},
    padQueued: false,
    closed: null,
    unsubs: [],
    downloads: new Set(),
  };
  lab.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: (mode) => showMode(lab, mode), onLost: () => rebuild(lab) });
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  lab.form = createSettings({ table: params, prefix: lab.prefix, values: lab.values, onChange: (name, value) => changed(lab, name, value),
    rebuild: () => rebuild(lab), sync: () => syncInputs(lab), lost: () => lab.runs.some((run) => run.handle === null),
    alive: () => !lab.destroyed, notify: ctx.notify, persist: ctx.save });
  lab.fields = lab.form.fields;
  lab.showError = lab.form.showError;
  lab.save = lab.form.save;
  return lab;
}

// ---- downloads ----------------------------------------------------------
/** A download button of the lab; its destroy also forgets it. */
function download(lab, format, what, name, make) {
  const button = downloadButton({ format, what, demo: id, name, make, onError: (message) => lab.ctx.notify(message) });
  lab.downloads.add(button);
  return button;
}

/** A picture's own pixels as PNG; an empty or hidden one is refused with a message. */
const picturePng = (canvas) => (canvas.hidden || canvas.classList.contains("blank") || canvas.width <= 1
  ? Promise.reject(new Error(t("download.emptyCanvas"))) : canvasPng(canvas));

function forget(lab, buttons) {
  for (const b of buttons) {
    b.destroy();
    lab.downloads.delete(b);
  }
}

// ---- the page ---------------------------------------------------------------
/** Makes the parts and the section, and puts it into `root`. */
function buildPage(lab, root) {
  const { values, fields, prefix } = lab;
  const png = (what, name, canvas) => download(lab, "PNG", what, name, () => picturePng(canvas)).element;
  lab.settings = createImageSettings({
    fields, prefix, ops: AUG_OPS, choices: { archs: ARCHS, compare: COMPARE, optimizers: FIRST_ORDER }, errorBox: lab.form.errorBox,
    onOp: (op, on) => changed(lab, "ops", AUG_OPS.filter((o) => (o === op ? on : values.ops.includes(o)))),
  });
  lab.loading = h("p", { class: "img-loading", role: "status", "data-state": "loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { "data-i18n": "img.loading" }));
  lab.evalNote = h("p", { class: "img-eval", role: "status", hidden: true }, h("progress", { max: 1, value: 0 }), h("span"));
  lab.engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  lab.pair = h("div", { class: "net-pair img-pair" });
  lab.compare = createRunCompare({ png });
  // Every run's curves and the whole view (settings, results, the link that replays them).
  const resultDownloads = h("div", { class: "img-results-dl" }, h("span", { class: "chart-title", "data-i18n": "img.dl.title" }),
    downloadGroup([
      download(lab, "CSV", "img.dl.curves", "curves", () => csvBlob(csvFromColumns(curveColumns(lab.runs)))).element,
      download(lab, "JSON", "download.what.run", "run", () => jsonBlob(resultsOf(values, lab.runs, shareLink(values)))).element,
    ]));
  lab.flipWarning = h("p", { class: "img-warning", role: "note", "data-i18n": "img.flipWhy", hidden: true });
  lab.learned = createLearnedView({
    classes: CLASSES, side: SIDE, png,
    confusionButton: download(lab, "CSV", "img.dl.confusion", "confusion", () => {
      const r = shownRun(lab)?.results;
      return r ? csvBlob(confusionCsv(r.confusion, r.step)) : Promise.reject(new Error(t("img.notEvaluated")));
    }).element,
    onLayer: (index) => changed(lab, "layer", index),
    onDigit: (index) => pickDigit(lab, index),
    onShow: (which) => { values.show = which; lab.save(); buildShowPicker(lab); probeNow(lab); drawLearned(lab, true); },
  });
  lab.digits = createDigitPad({
    centerField: fields.check("center", "img.center"), png,
    padButton: download(lab, "PNG", "img.dl.pad", "drawing",
      () => (lab.digits.pad.empty ? Promise.reject(new Error(t("download.emptyCanvas"))) : canvasPng(lab.digits.pad.canvas))).element,
    onChange: (kind) => padChanged(lab, kind),
    onMore: () => { lab.pickerRound++; loadPicker(lab); },
    onPick: (index) => pickDigit(lab, index),
  });
  buildSection(lab, root, [lab.loading, lab.evalNote, lab.engineNote, lab.flipWarning, lab.pair, lab.compare.element, resultDownloads,
    lab.learned.element, lab.digits.element]);
}

/** The section: title, presets, the player over `stage`, the settings beside it; the runner and the live region. */
function buildSection(lab, root, stage) {
  const { prefix } = lab;
  const section = h("section", { class: "demo net img", "aria-labelledby": `${prefix}-title` });
  lab.section = section;
  startRunnerToStop(lab, section, { advance: (steps, options) => advance(lab, steps, options),
    draw: () => draw(lab), rebuild: () => rebuild(lab), maxSpeed: params.speed.max });
  const presets = h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    h("a", { href: `#${id}`, "data-i18n": "preset.images.default" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `preset.${p.key}` })));
  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "img.title" }),
    h("p", { class: "intro", "data-i18n": "img.intro" }),
    presets,
    h("div", { class: "columns" },
      h("div", { class: "stage" }, lab.player.element, ...stage),
      h("div", { class: "side" }, lab.settings.element,
        h("div", { class: "panel img-notes" },
          h("p", { class: "hint", "data-i18n": "img.regularizeHint" }),
          h("p", { class: "hint", "data-i18n": "img.cnnHint" }),
          h("p", { class: "hint", "data-i18n": "img.gapHint" })))));
  root.append(section);
  lab.live = attachLiveRegion(section);
}

/** For screen readers: the step and each run's measured numbers (throttled by the live region). */
function announce(lab) {
  const { runs } = lab;
  const measured = runs.filter((run) => run.metrics);
  if (!measured.length || runs[0].steps === 0) return;
  lab.live.update(progressText({
    step: runs[0].steps,
    runs: measured.map((run) => ({ ...run.metrics, name: runs.length > 1 ? runName(lab.values, run) : undefined })),
  }));
}

// ---- training -------------------------------------------------------------
/** A frame's worth of training: up to `steps` steps of every run, in the worker. */
function advance(lab, steps, options) {
  return advanceToStop(lab, steps, options, {
    snapshot: (extras) => request(lab, "due", EVAL_MS, extras),
    absorb: (i, snapshot) => absorb(lab, lab.runs[i], snapshot),
    settleSoon: () => settleSoon(lab),
  });
}

/** A snapshot request: evaluation, and the extras when they are due. */
function request(lab, evaluate, evalMs, extras) {
  const layer = featureLayer(lab);
  return {
    evaluate,
    evalMs,
    curves: extras,
    results: Math.min(...lab.runs.map((run) => run.version)),
    filters: extras ? { scale: 4 } : null,
    probe: extras && lab.input ? { input: lab.input, layer, scale: 2 } : null,
  };
}

/** Settles once the runner has taken in that playing stopped. */
function settleSoon(lab) {
  setTimeout(() => settle(lab), 0);
}

/**
 * Finishes the evaluation of the step every run stands at (after
 * building, Step, or reaching the stop step), a slice per request, so
 * the numbers shown belong to that step. Playing takes over.
 */
function settle(lab) {
  if (lab.settling) return lab.settling;
  const gen = lab.generation;
  const current = () => gen === lab.generation && !lab.destroyed;
  lab.settling = (async () => {
    try {
      for (;;) {
        if (!current() || lab.runner.playing) return;
        const pending = lab.runs.filter((run) => run.handle !== null && !(run.evaluation?.done && run.evaluation.step === run.steps));
        if (!pending.length) return;
        for (const run of pending) {
          const s = await lab.host.snapshot(run.handle, request(lab, "now", SETTLE_MS, true));
          if (!current()) return;
          absorb(lab, run, s);
        }
        lab.runner.invalidate();
      }
    } catch (error) {
      if (!(error instanceof HostRestarted) && current()) lab.showError(error.message);
    } finally {
      lab.settling = null;
    }
  })();
  return lab.settling;
}

// ---- runs -------------------------------------------------------------
function newRun(lab, plan) {
  const panel = createTrainPanel({
    which: plan.which,
    map: false,
    texts: { metrics: "img.metrics", overfitting: "img.overfitting", gapSmall: "img.gapSmall" },
  });
  const bars = createProbabilityBars({ classes: CLASSES, className: `run-${plan.which}` });
  const buttons = [
    download(lab, "PNG", `img.dl.loss.${plan.which}`, `loss-chart-${plan.which}`, () => picturePng(panel.canvases.loss)),
    download(lab, "PNG", `img.dl.acc.${plan.which}`, `accuracy-chart-${plan.which}`, () => picturePng(panel.canvases.accuracy)),
  ];
  // Each chart's button right under it.
  panel.canvases.loss.after(downloadGroup([buttons[0].element]));
  panel.canvases.accuracy.after(downloadGroup([buttons[1].element]));
  return { ...plan, panel, bars, buttons, handle: null, info: null, steps: 0, evaluation: null, metrics: null, curves: null, version: 0, results: null, filters: null, probe: null, evalSeenAt: null };
}

function absorb(lab, run, s) {
  run.steps = s.steps;
  run.panel.absorb({ ...s, valCount: lab.valCount });
  if (s.evaluation) {
    const e = s.evaluation;
    // When this evaluation was first seen unfinished: its progress shows after a while.
    if (e.done) run.evalSeenAt = null;
    else if (run.evalSeenAt === null || run.evaluation?.step !== e.step) run.evalSeenAt = performance.now();
    run.evaluation = e;
  }
  if (s.metrics) run.metrics = s.metrics;
  if (s.curves) run.curves = s.curves;
  if (s.results) {
    run.results = s.results;
    run.version = s.results.version;
    run.resultsFresh = true;
  }
  if (s.filters) run.filters = s.filters;
  if (s.probe) {
    run.probe = s.probe;
    run.probeFresh = true;
  }
  run.fresh = true;
}

/**
 * Builds fresh runs from `values`. Resolves to {ok}, {error} (the engine
 * refused: the old runs are kept) or {stale} (a newer rebuild started).
 */
function rebuild(lab) {
  const { host } = lab;
  const gen = ++lab.generation;
  // Steps take milliseconds: a run in flight stops after its current one.
  if (host.busy) host.cancel();
  const plans = runPlan(lab.values);
  const first = { evaluate: "now", evalMs: 0, curves: true, results: 0, filters: { scale: 4 }, probe: null };
  const made = plans.map((plan) => host.create("ImageTrainer", { config: trainerConfig(lab.values, plan.which) }, first));
  const promise = installCreated(host, made, () => gen === lab.generation && !lab.destroyed, (fresh) => replaceRuns(lab, plans, fresh));
  lab.building = promise;
  promise.finally(() => { if (lab.building === promise) lab.building = null; });
  return promise;
}

/** Frees the old runs, shows the new ones (`fresh`: the host's answers) and starts their evaluation. */
function replaceRuns(lab, plans, fresh) {
  for (const run of lab.runs) {
    if (run.handle !== null) lab.host.free(run.handle);
    run.panel.element.remove();
    run.panel.destroy();
    forget(lab, run.buttons);
  }
  const runs = plans.map((plan) => newRun(lab, plan));
  lab.runs = runs;
  lab.pair.classList.toggle("two", runs.length === 2);
  for (const run of runs) lab.pair.append(run.panel.element);
  lab.digits.setBars(runs.map((run) => run.bars.element));
  runs.forEach((run, i) => {
    run.handle = fresh[i].handle;
    run.info = fresh[i].info;
    lab.valCount = run.info.valCount;
    absorb(lab, run, fresh[i].snapshot);
  });
  lab.stopAt = lab.values.until > 0 ? lab.values.until : Infinity;
  loadingDone(lab);
  labelRuns(lab);
  buildShowPicker(lab);
  showMode(lab, lab.host.mode);
  translateTree(lab.section);
  if (!lab.pickerImages) lab.pickerLoading = loadPicker(lab);
  probeNow(lab);
  draw(lab);
  settle(lab);
}

function loadingDone(lab) {
  if (lab.loadedIn === null) lab.loadedIn = performance.now() - lab.mountedAt;
  lab.loading.hidden = true;
  // The cross-engine suite waits while anything in the demo says "loading".
  lab.loading.removeAttribute("data-state");
}

/** Run titles: what differs between the runs. */
function runTitle(values, run) {
  const arch = t(`img.archName.${run.arch}`);
  const aug = run.augmented && augmentOps(values).length ? t("img.withAug", { ops: opsText(values) }) : t("img.withoutAug");
  return values.cmp === "arch" ? `${arch} · ${aug}` : values.cmp === "aug" ? aug : `${arch} · ${aug}`;
}

/** "Run A: CNN · with augmentation (…)". */
const runName = (values, run) => `${t(run.which === "a" ? "net.runA" : "net.runB")}: ${runTitle(values, run)}`;

function opsText(values) {
  return augmentOps(values).length ? values.ops.map((op) => t(`img.op.${op}`)).join(", ") : t("img.noOps");
}

function labelRuns(lab) {
  const { runs, values } = lab;
  for (const run of runs) {
    run.panel.setTitle(runName(values, run), true);
    run.bars.setTitle(runs.length > 1 ? runName(values, run) : t("img.probabilities"));
  }
  lab.compare.setLegend(runs.map((run) => ({ color: RUN_COLORS[run.which], text: runName(values, run) })));
}

function buildShowPicker(lab) {
  const shown = shownRun(lab);
  lab.learned.setRuns(lab.runs.map((run) => ({ which: run.which, checked: shown === run, text: t(run.which === "a" ? "net.runA" : "net.runB") })));
}

const shownRun = (lab) => lab.runs.find((run) => run.which === lab.values.show) ?? lab.runs[0];

/** The feature-map layer: the chosen one when it is a picture, else the first conv's output. */
function featureLayer(lab) {
  const layers = shownRun(lab)?.info?.layers ?? [];
  const chosen = layers.find((l) => l.index === lab.values.layer && spatial(l));
  return chosen ? chosen.index : (layers.find(spatial)?.index ?? null);
}

// ---- drawing ------------------------------------------------------------
function draw(lab) {
  for (const run of lab.runs) {
    if (run.fresh) run.panel.draw();
    run.fresh = false;
  }
  drawCompare(lab);
  drawProgress(lab);
  drawLearned(lab, false);
  drawProbe(lab);
  announce(lab);
}

function drawProgress(lab) {
  const now = performance.now();
  const slow = lab.runs.filter((run) => run.evalSeenAt !== null && run.evaluation && !run.evaluation.done && now - run.evalSeenAt > PROGRESS_AFTER_MS);
  lab.evalNote.hidden = !slow.length;
  if (!slow.length) return;
  const e = slow[0].evaluation;
  lab.evalNote.querySelector("progress").value = e.evaluated / e.total;
  lab.evalNote.querySelector("span").textContent = t("img.evaluating", { step: e.step, done: e.evaluated, total: e.total });
}

function drawCompare(lab, force = false) {
  const runs = lab.runs.map((run) => ({ curves: run.curves, metrics: run.metrics, color: RUN_COLORS[run.which] }));
  lab.compare.update(runs, { force, verdict: () => compareVerdict(lab.values, lab.runs.map((run) => run.metrics), lab.valCount) });
}

/** What the two runs' last common evaluation says (`valCount` validation images). */
function compareVerdict(values, [a, b], valCount) {
  if (!a || !b || a.step !== b.step) return t("img.compareWait");
  const key = values.cmp === "aug" ? "img.compareAug" : "img.compareArch";
  return t(key, {
    step: a.step, a: pct(a.valAccuracy), b: pct(b.valAccuracy),
    diff: signed(100 * (b.valAccuracy - a.valAccuracy)),
    gapA: (100 * (a.trainAccuracy - a.valAccuracy)).toFixed(1), gapB: (100 * (b.trainAccuracy - b.valAccuracy)).toFixed(1),
    margin: (100 * accuracyMargin((a.valAccuracy + b.valAccuracy) / 2, valCount)).toFixed(1), n: valCount,
  });
}

function drawLearned(lab, force) {
  const run = shownRun(lab);
  if (!run) return;
  const isCnn = run.arch === "cnn";
  const changedRun = force || lab.learnedFor !== run;
  if (changedRun || run.filtersShown !== run.filters) {
    run.filtersShown = run.filters;
    lab.learned.showFilters(isCnn ? run.filters : null);
  }
  // The text and the layer list change only with the run, the layer or the language.
  if (changedRun) {
    const layers = (run.info?.layers ?? []).map((l, i) => ({ ...l, spec: isCnn ? CNN_LAYERS[i] : mlpSpec(i), pickable: spatial(l) }));
    lab.learned.showLayers(run.info?.inputShape ?? [1, SIDE, SIDE], layers, featureLayer(lab) ?? -1, isCnn);
  }
  if (changedRun || run.resultsFresh) {
    run.resultsFresh = false;
    lab.learned.showResults(run.results, lab.valCount);
  }
  lab.learnedFor = run;
}

function mlpSpec(i) {
  const list = [{ kind: "dense", units: MLP_HIDDEN[0] }, { kind: "relu" }, { kind: "dense", units: CLASSES }];
  return list[i];
}

function drawProbe(lab) {
  for (const run of lab.runs) {
    if (!run.probeFresh) continue;
    run.probeFresh = false;
    run.bars.update(lab.input ? run.probe?.probabilities ?? null : null);
  }
  const run = shownRun(lab);
  if (!run) return;
  const layer = featureLayer(lab);
  const picture = layer === null ? null : !lab.input ? "blank" : run.probe?.featureMaps ?? "blank";
  const note = layer === null ? t("img.noMaps")
    : lab.input ? t("img.mapsHint", { layer: `${t(`layer.${run.info.layers[layer].kind}`)} (${layer})` }) : t("img.mapsEmpty");
  // Redraw only what changed (a frame may bring nothing new for the maps).
  if (picture === lab.mapsShown.picture && note === lab.mapsShown.note) return;
  lab.mapsShown = { picture, note };
  // An empty pad blanks the maps in place: the pad below does not move while you draw.
  lab.learned.showMaps(picture, note);
}

// ---- the pad and probes --------------------------------------------------
function padChanged(lab, kind) {
  if (kind !== "image" && lab.values.pick !== -1) {
    lab.values.pick = -1;
    lab.save();
  }
  // One reading per frame however many pointer events arrive.
  if (lab.padQueued) return;
  lab.padQueued = true;
  requestAnimationFrame(() => {
    lab.padQueued = false;
    if (lab.destroyed) return;
    readPad(lab);
    probeNow(lab);
  });
}

/** The pad's digit as the network sees it: centred like MNIST, or shrunk where it was drawn. */
function readPad(lab) {
  const { pad } = lab.digits;
  if (pad.empty) {
    lab.input = null;
    lab.digits.showSeen(null);
    for (const run of lab.runs) run.bars.update(null);
    return;
  }
  const { pixels, width, height } = pad.ink();
  lab.input = lab.values.center ? lab.ctx.engine.centerDigit(pixels, width, height) : downscale(pixels, width, height, SIDE);
  lab.digits.showSeen(lab.input, SIDE);
}

/** Asks every run for the pad digit's probabilities (one request in flight; the latest digit wins). */
async function probeNow(lab) {
  if (!lab.input || !lab.runs.length) {
    drawProbe(lab);
    return;
  }
  if (lab.probing) {
    lab.probeAgain = true;
    return;
  }
  lab.probing = true;
  // Tests and assistive technology can tell when the probabilities are final.
  lab.digits.busy(true);
  const gen = lab.generation;
  try {
    do {
      lab.probeAgain = false;
      const probe = { input: lab.input, layer: featureLayer(lab), scale: 2 };
      const runs = lab.runs;
      const answers = await Promise.all(runs.map((run) => (run.handle === null ? null : lab.host.command(run.handle, "probe", [probe]))));
      if (gen !== lab.generation || lab.destroyed) return;
      answers.forEach((answer, i) => {
        if (!answer) return;
        runs[i].probe = answer.result;
        runs[i].probeFresh = true;
      });
      lab.runner.invalidate();
    } while (lab.probeAgain && !lab.destroyed);
  } catch (error) {
    if (!(error instanceof HostRestarted) && gen === lab.generation && !lab.destroyed) lab.showError(error.message);
  } finally {
    lab.probing = false;
    lab.digits.busy(false);
  }
}

async function loadPicker(lab) {
  const run = lab.runs[0];
  if (!run?.info) return;
  const indices = pickerIndices(run.info.valLabels, lab.pickerRound);
  try {
    const { result } = await lab.host.command(run.handle, "valImages", [indices]);
    lab.pickerImages = { indices, ...result };
    drawPicker(lab);
    // The link's test digit goes on the pad once the first pictures exist.
    if (lab.values.pick >= 0 && lab.digits.pad.empty) await pickDigit(lab, lab.values.pick, false);
  } catch (error) {
    if (!(error instanceof HostRestarted) && !lab.destroyed) lab.showError(error.message);
  }
}

function drawPicker(lab) {
  if (!lab.pickerImages) return;
  lab.digits.showTests(lab.pickerImages, lab.values.pick, SIDE, (digit, index) => t("img.pickLabel", { digit, index }));
}

/** Puts validation digit `index` on the pad. */
async function pickDigit(lab, index, remember = true) {
  const run = lab.runs[0];
  if (!run?.handle) return;
  try {
    const { result } = await lab.host.command(run.handle, "valImages", [[index]]);
    if (lab.destroyed) return;
    lab.values.pick = index;
    if (remember) lab.save();
    lab.digits.pad.setImage(result.pixels, SIDE, SIDE);
    drawPicker(lab);
  } catch (error) {
    if (!(error instanceof HostRestarted) && !lab.destroyed) lab.showError(error.message);
  }
}

// ---- inputs → values --------------------------------------------------
function showMode(lab, mode) {
  // The host may answer before the page is built.
  if (!lab.section) return;
  lab.engineNote.hidden = mode !== "main";
  lab.engineNote.textContent = t("kit.mainThread");
  lab.section.dataset.engine = mode;
}

function syncInputs(lab) {
  const { values } = lab;
  lab.fields.sync(values);
  lab.settings.sync(values);
  lab.flipWarning.hidden = !(values.ops.includes("hflip") || values.ops.includes("vflip")) || !(values.aug || values.cmp === "aug");
}

/** Settings that only change what is shown, not the networks. */
const VIEW_ONLY = ["speed", "show", "layer", "center", "pick"];

async function changed(lab, name, value) {
  const { values } = lab;
  const previous = { ...values, ops: [...values.ops] };
  values[name] = value;
  if (name === "opt") values.lr = DEFAULT_LR[value];
  if (VIEW_ONLY.includes(name)) {
    syncInputs(lab);
    lab.save();
    if (name === "center") readPad(lab);
    probeNow(lab);
    drawLearned(lab, true);
    return;
  }
  await lab.form.apply(name, previous);
}

/** After a language change: every text the parts do not redraw themselves. */
function relabel(lab) {
  labelRuns(lab);
  buildShowPicker(lab);
  showMode(lab, lab.host.mode);
  for (const run of lab.runs) run.panel.redraw();
  lab.learned.redraw();
  drawLearned(lab, true);
  drawPicker(lab);
  drawCompare(lab, true);
  lab.mapsShown = {};
  drawProbe(lab);
}

/** Builds the first runs; resolves once the view is complete. */
function start(lab) {
  return rebuild(lab).then(async (result) => {
    if (result.error !== undefined) {
      // A link with a combination the engine refuses: fall back to the defaults.
      loadingDone(lab);
      await lab.form.fallBack(result.error);
    }
    // Ready once the view is complete: the first evaluation, the test digits and the pad's
    // probabilities are in (nothing changes after this until the student acts or presses Play).
    await (lab.settling ?? Promise.resolve());
    await lab.pickerLoading;
    if (!lab.destroyed && !lab.digits.pad.empty) {
      readPad(lab);
      await probeNow(lab);
    }
    lab.runner.invalidate();
  });
}

function destroy(lab) {
  if (lab.destroyed) return;
  lab.destroyed = true;
  lab.generation++;
  for (const part of [lab.runner, lab.player]) part.destroy();
  for (const u of lab.unsubs) u();
  lab.form.destroy();
  for (const run of lab.runs) {
    if (run.handle !== null) lab.host.free(run.handle);
    run.panel.destroy();
  }
  for (const part of [lab.compare, lab.learned, lab.digits, lab.live]) part.destroy();
  forget(lab, [...lab.downloads]);
  lab.runs = [];
  lab.closed = lab.host.close();
}

/** For tests and benchmarks: the runner, the engine host, the runs. */
function debugOf(lab) {
  return {
    values: lab.values,
    runner: lab.runner,
    host: lab.host,
    get steps() { return lab.runs.map((run) => run.steps); },
    get metrics() { return lab.runs.map((run) => run.metrics); },
    get input() { return lab.input; },
    get probabilities() { return lab.runs.map((run) => run.probe?.probabilities ?? null); },
    get closed() { return lab.closed; },
    /** Milliseconds from mount until the digits were loaded and the first networks built. */
    get loadedIn() { return lab.loadedIn; },
  };
}
