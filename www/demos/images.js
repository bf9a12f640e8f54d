// The image lab: a small convolutional network trained live on real
// handwritten digits (MNIST), with and without augmentation side by side so
// the gap between training and validation accuracy shows augmentation
// regularizing; what the network learned (first-layer filters, feature
// maps, the confusion matrix, its most confident mistakes); and a pad to
// draw your own digit on, prepared the way MNIST's digits were.
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { createSettings } from "../ui/parts/controls.js";
import { createTrainPanel } from "../ui/parts/train-panel.js";
import { createCurvesChart } from "../ui/parts/curves.js";
import { createImageGrid } from "../ui/parts/image-grid.js";
import { createMosaic } from "../ui/parts/mosaic.js";
import { createConfusionMatrix } from "../ui/parts/confusion-matrix.js";
import { createProbabilityBars } from "../ui/parts/probability-bars.js";
import { createDrawingPad, downscale } from "../ui/parts/drawing-pad.js";
import { createLayerStack } from "../ui/parts/layer-stack.js";
import { accuracyMargin } from "../ui/gap.js";
import { pct } from "../ui/net-common.js";
import { FIRST_ORDER } from "../ui/race-view.js";
import { t, translateTree } from "../i18n/index.js";
import { createEngineHost, HostRestarted } from "../workers/client.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
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
const EXTRAS_EVERY_MS = 300;
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
 */
export function mount(root, ctx) {
  const values = { ...ctx.values };
  const prefix = uniquePrefix("img");
  let runs = [];
  let generation = 0;
  let building = null;
  let destroyed = false;
  let lastExtras = -Infinity;
  let stopAt = Infinity;
  let wasPlaying = false;
  let input = null;
  let probing = false;
  let probeAgain = false;
  let pickerRound = 0;
  let pickerImages = null;
  let valCount = 0;
  let settling = null;
  let pickerLoading = null;
  const mountedAt = performance.now();
  let loadedIn = null;
  const unsubs = [];
  const host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: showMode, onLost: () => rebuild() });

  // ---- downloads ----------------------------------------------------------
  const downloads = new Set();
  /** A download button; its destroy also forgets it. */
  function download(format, what, name, make) {
    const button = downloadButton({ format, what, demo: id, name, make, onError: (message) => ctx.notify(message) });
    downloads.add(button);
    return button;
  }
  /** A picture's own pixels as PNG; an empty or hidden one is refused with a message. */
  const picturePng = (canvas) => (canvas.hidden || canvas.classList.contains("blank") || canvas.width <= 1
    ? Promise.reject(new Error(t("download.emptyCanvas"))) : canvasPng(canvas));
  const png = (what, name, canvas) => download("PNG", what, name, () => picturePng(canvas)).element;
  const linkNow = () => shareLink(values);

  // ---- controls -------------------------------------------------------
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  const form = createSettings({ table: params, prefix, values, onChange: changed, rebuild, sync: syncInputs,
    lost: () => runs.some((run) => run.handle === null), alive: () => !destroyed, notify: ctx.notify, persist: ctx.save });
  const { fields, errorBox, showError, save } = form;
  const opBoxes = {};
  const opRow = (op, strength) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-op-${op}` });
    box.addEventListener("change", () => {
      const next = AUG_OPS.filter((o) => (o === op ? box.checked : values.ops.includes(o)));
      changed("ops", next);
    });
    opBoxes[op] = box;
    return h("div", { class: `img-op${op === "hflip" || op === "vflip" ? " img-op-flip" : ""}` },
      h("label", { for: box.id, class: "check" }, box, h("span", { "data-i18n": `img.op.${op}` })), strength);
  };
  const augBox = h("fieldset", { class: "racer img-aug" },
    h("legend", {}, h("span", { "data-i18n": "img.augmentation" })),
    fields.check("aug", "img.augOn"),
    h("div", { class: "img-ops" },
      opRow("rotate", fields.number("rot", "img.rot")),
      opRow("translate", fields.number("shift", "img.shift")),
      opRow("crop", fields.number("pad", "img.pad")),
      opRow("zoom", fields.number("zoom", "img.zoom")),
      opRow("cutout", fields.number("cut", "img.cut")),
      opRow("noise", fields.number("noise", "img.noise")),
      opRow("hflip", null),
      opRow("vflip", fields.number("flip", "img.flip"))),
    h("p", { class: "hint", "data-i18n": "img.augHint" }));
  const settings = h("div", { class: "panel net-settings img-settings" },
    h("div", { class: "hyper" }, fields.number("per", "img.per"), fields.select("arch", "img.arch", ARCHS, "img.archName"),
      fields.select("cmp", "img.compare", COMPARE, "img.cmp")),
    h("p", { class: "hint", "data-i18n": "img.dataHint" }),
    augBox,
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", FIRST_ORDER, "opt"), fields.number("lr", "hp.lr"),
      fields.number("batch", "net.batch"), fields.number("l2", "net.l2"), fields.number("seed", "net.seed"),
      fields.number("until", "img.until")),
    h("p", { class: "hint", "data-i18n": "img.untilHint" }),
    errorBox);

  // ---- training runs ----------------------------------------------------
  const loading = h("p", { class: "img-loading", role: "status", "data-state": "loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { "data-i18n": "img.loading" }));
  const evalNote = h("p", { class: "img-eval", role: "status", hidden: true }, h("progress", { max: 1, value: 0 }), h("span"));
  const engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  const pair = h("div", { class: "net-pair img-pair" });

  const compareBox = h("div", { class: "img-compare", hidden: true });
  const accChart = createCurvesChart({ className: "net-chart", labelKey: "img.valChartLabel", xLabelKey: "net.step", yLabelKey: "net.accuracy", yRange: [0, 1], minX: 100 });
  const gapChart = createCurvesChart({ className: "net-chart", labelKey: "img.gapChartLabel", xLabelKey: "net.step", yLabelKey: "img.gapAxis", minX: 100 });
  const compareLegend = h("ul", { class: "legend" });
  const compareVerdict = h("p", { class: "img-verdict", "aria-live": "polite" });
  compareBox.append(h("h3", { "data-i18n": "img.compareTitle" }), compareLegend,
    h("div", { class: "img-charts" },
      h("div", {}, h("p", { class: "chart-title", "data-i18n": "img.valChart" }), accChart.element,
        downloadGroup([png("img.dl.accChart", "accuracy-chart", accChart.element)])),
      h("div", {}, h("p", { class: "chart-title", "data-i18n": "img.gapChart" }), gapChart.element,
        downloadGroup([png("img.dl.gapChart", "gap-chart", gapChart.element)]))),
    compareVerdict, h("p", { class: "hint", "data-i18n": "img.augWhy" }));
  // Every run's curves and the whole view (settings, results, the link that replays them).
  const resultDownloads = h("div", { class: "img-results-dl" }, h("span", { class: "chart-title", "data-i18n": "img.dl.title" }),
    downloadGroup([
      download("CSV", "img.dl.curves", "curves", () => csvBlob(csvFromColumns(curveColumns(runs)))).element,
      download("JSON", "download.what.run", "run", () => jsonBlob(resultsOf(values, runs, linkNow()))).element,
    ]));
  const flipWarning = h("p", { class: "img-warning", role: "note", "data-i18n": "img.flipWhy", hidden: true });

  // ---- what the network learned ---------------------------------------
  const showPicker = h("div", { class: "field-row img-show", role: "radiogroup", "data-i18n-label": "img.showRun" });
  const layerStack = createLayerStack({ labelKey: "img.layersLabel", onPick: (index) => changed("layer", index) });
  const filters = createMosaic({ className: "img-filters", labelKey: "img.filtersLabel" });
  const filtersNote = h("p", { class: "hint" });
  const maps = createMosaic({ className: "img-maps", labelKey: "img.mapsLabel" });
  const mapsNote = h("p", { class: "hint" });
  const confusion = createConfusionMatrix({ captionKey: "img.confusionCaption", trueKey: "img.true", predictedKey: "img.predicted" });
  const confusionNote = h("p", { class: "hint" });
  const mistakes = createImageGrid({ className: "img-mistakes", labelKey: "img.mistakesLabel", onPick: (index) => pickDigit(index) });
  const mistakesNote = h("p", { class: "hint" });
  const learned = h("div", { class: "img-learned" },
    h("h3", { "data-i18n": "img.learnedTitle" }), showPicker,
    h("div", { class: "img-learned-grid" },
      h("div", { class: "img-block" }, h("h4", { "data-i18n": "img.layers" }), layerStack.element, h("p", { class: "hint", "data-i18n": "img.layersHint" })),
      h("div", { class: "img-block" }, h("h4", { "data-i18n": "img.filters" }), filters.element,
        downloadGroup([png("img.dl.filters", "filters", filters.element)]), filtersNote),
      h("div", { class: "img-block" }, h("h4", { "data-i18n": "img.maps" }), maps.element,
        downloadGroup([png("img.dl.maps", "feature-maps", maps.element)]), mapsNote),
      h("div", { class: "img-block" }, h("h4", { "data-i18n": "img.confusion" }), confusion.element,
        downloadGroup([download("CSV", "img.dl.confusion", "confusion", () => {
          const r = shownRun()?.results;
          return r ? csvBlob(confusionCsv(r.confusion, r.step)) : Promise.reject(new Error(t("img.notEvaluated")));
        }).element]), confusionNote),
      h("div", { class: "img-block img-wide" }, h("h4", { "data-i18n": "img.mistakes" }), mistakes.element, mistakesNote)));

  // ---- draw your own digit ---------------------------------------------
  const pad = createDrawingPad({ labelKey: "img.padLabel", onChange: padChanged });
  const seen = createMosaic({ className: "img-seen", labelKey: "img.seenLabel" });
  const centerField = fields.check("center", "img.center");
  const clearButton = h("button", { type: "button", "data-i18n": "img.clear" });
  clearButton.addEventListener("click", () => pad.clear());
  const moreButton = h("button", { type: "button", "data-i18n": "img.moreDigits" });
  moreButton.addEventListener("click", () => { pickerRound++; loadPicker(); });
  const picker = createImageGrid({ className: "img-picker", labelKey: "img.pickerLabel", onPick: (index) => pickDigit(index) });
  const barsBox = h("div", { class: "img-bars" });
  const drawBox = h("div", { class: "img-draw" },
    h("h3", { "data-i18n": "img.drawTitle" }),
    h("p", { class: "hint", "data-i18n": "img.drawHint" }),
    h("div", { class: "img-draw-row" },
      h("div", { class: "img-pad-wrap" }, pad.element, h("div", { class: "field-row" }, clearButton, centerField,
        downloadGroup([download("PNG", "img.dl.pad", "drawing",
          () => (pad.empty ? Promise.reject(new Error(t("download.emptyCanvas"))) : canvasPng(pad.canvas))).element]))),
      h("div", { class: "img-seen-wrap" }, h("p", { class: "chart-title", "data-i18n": "img.seen" }), seen.element,
        downloadGroup([png("img.dl.seen", "seen-28x28", seen.element)])),
      barsBox),
    h("p", { class: "hint", "data-i18n": "img.centerWhy" }),
    h("p", { class: "chart-title", "data-i18n": "img.picker" }), picker.element, moreButton);

  // ---- page --------------------------------------------------------------
  const section = h("section", { class: "demo net img", "aria-labelledby": `${prefix}-title` });
  const runner = createRunner({
    element: section,
    speed: values.speed,
    budgeted: false,
    advance,
    draw,
    cancel: () => host.cancel(),
    reset: () => rebuild(),
  });
  const player = createPlayerPart(runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; save(); } });
  unsubs.push(runner.onChange(({ playing }) => {
    // Play from below the stop step trains up to it; from at or past it, on without a stop.
    if (playing && !wasPlaying) {
      const at = runs[0]?.steps ?? 0;
      stopAt = values.until > 0 && at < values.until ? values.until : Infinity;
    }
    wasPlaying = playing;
  }));
  const presets = h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    h("a", { href: `#${id}`, "data-i18n": "preset.images.default" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `preset.${p.key}` })));

  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "img.title" }),
    h("p", { class: "intro", "data-i18n": "img.intro" }),
    presets,
    h("div", { class: "columns" },
      h("div", { class: "stage" }, player.element, loading, evalNote, engineNote, flipWarning, pair, compareBox, resultDownloads, learned, drawBox),
      h("div", { class: "side" }, settings,
        h("div", { class: "panel img-notes" },
          h("p", { class: "hint", "data-i18n": "img.regularizeHint" }),
          h("p", { class: "hint", "data-i18n": "img.cnnHint" }),
          h("p", { class: "hint", "data-i18n": "img.gapHint" })))));
  root.append(section);
  const live = attachLiveRegion(section);

  /** For screen readers: the step and each run's measured numbers (throttled by the live region). */
  function announce() {
    const measured = runs.filter((run) => run.metrics);
    if (!measured.length || runs[0].steps === 0) return;
    live.update(progressText({
      step: runs[0].steps,
      runs: measured.map((run) => ({ ...run.metrics, name: runs.length > 1 ? `${t(run.which === "a" ? "net.runA" : "net.runB")}: ${runTitle(run)}` : undefined })),
    }));
  }

  /** A frame's worth of training: up to `steps` steps of every run, in the worker. */
  async function advance(steps, { single, shown }) {
    if (building) await building;
    if (destroyed || !runs.length || runs.some((run) => run.handle === null)) return false;
    const gen = generation;
    const left = single ? 1 : stopAt - runs[0].steps;
    if (left <= 0) {
      settleSoon();
      return false;
    }
    const now = performance.now();
    const extras = single || now - lastExtras >= EXTRAS_EVERY_MS;
    if (extras) lastExtras = now;
    try {
      const answer = await host.run(runs.map((run) => run.handle), Math.min(steps, left),
        { snapshot: request("due", EVAL_MS, extras) });
      if (gen !== generation || !shown()) return true;
      answer.snapshots.forEach((s, i) => absorb(runs[i], s));
      if (single || runs[0].steps >= stopAt) {
        settleSoon();
        return single;
      }
      return true;
    } catch (error) {
      if (error instanceof HostRestarted || gen !== generation || destroyed) return true;
      showError(error.message);
      return false;
    }
  }

  /** A snapshot request: evaluation, and the extras when they are due. */
  function request(evaluate, evalMs, extras) {
    const layer = featureLayer();
    return {
      evaluate,
      evalMs,
      curves: extras,
      results: Math.min(...runs.map((run) => run.version)),
      filters: extras ? { scale: 4 } : null,
      probe: extras && input ? { input, layer, scale: 2 } : null,
    };
  }

  /** Settles once the runner has taken in that playing stopped. */
  function settleSoon() {
    setTimeout(() => settle(), 0);
  }

  /**
   * Finishes the evaluation of the step every run stands at (after
   * building, Step, or reaching the stop step), a slice per request, so
   * the numbers shown belong to that step. Playing takes over.
   */
  function settle() {
    if (settling) return settling;
    const gen = generation;
    settling = (async () => {
      try {
        for (;;) {
          if (gen !== generation || destroyed || runner.playing) return;
          const pending = runs.filter((run) => run.handle !== null && !(run.evaluation?.done && run.evaluation.step === run.steps));
          if (!pending.length) return;
          for (const run of pending) {
            const s = await host.snapshot(run.handle, request("now", SETTLE_MS, true));
            if (gen !== generation || destroyed) return;
            absorb(run, s);
          }
          runner.invalidate();
        }
      } catch (error) {
        if (!(error instanceof HostRestarted) && gen === generation && !destroyed) showError(error.message);
      } finally {
        settling = null;
      }
    })();
    return settling;
  }

  // ---- runs -------------------------------------------------------------
  function newRun(plan) {
    const panel = createTrainPanel({
      which: plan.which,
      map: false,
      texts: { metrics: "img.metrics", overfitting: "img.overfitting", gapSmall: "img.gapSmall" },
    });
    const bars = createProbabilityBars({ classes: CLASSES, className: `run-${plan.which}` });
    const buttons = [
      download("PNG", `img.dl.loss.${plan.which}`, `loss-chart-${plan.which}`, () => picturePng(panel.canvases.loss)),
      download("PNG", `img.dl.acc.${plan.which}`, `accuracy-chart-${plan.which}`, () => picturePng(panel.canvases.accuracy)),
    ];
    // Each chart's button right under it.
    panel.canvases.loss.after(downloadGroup([buttons[0].element]));
    panel.canvases.accuracy.after(downloadGroup([buttons[1].element]));
    return { ...plan, panel, bars, buttons, handle: null, info: null, steps: 0, evaluation: null, metrics: null, curves: null, version: 0, results: null, filters: null, probe: null, evalSeenAt: null };
  }

  function absorb(run, s) {
    run.steps = s.steps;
    run.panel.absorb({ ...s, valCount });
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
  function rebuild() {
    const gen = ++generation;
    // Steps take milliseconds: a run in flight stops after its current one.
    if (host.busy) host.cancel();
    const plans = runPlan(values);
    const first = { evaluate: "now", evalMs: 0, curves: true, results: 0, filters: { scale: 4 }, probe: null };
    const made = plans.map((plan) => host.create("ImageTrainer", { config: trainerConfig(values, plan.which) }, first));
    const promise = Promise.allSettled(made).then((results) => {
      const fresh = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
      const refused = results.find((r) => r.status === "rejected");
      if (gen !== generation || destroyed || refused) {
        for (const f of fresh) host.free(f.handle);
        if (gen !== generation || destroyed) return { stale: true };
        return { error: refused.reason instanceof HostRestarted ? "" : refused.reason.message };
      }
      for (const run of runs) {
        if (run.handle !== null) host.free(run.handle);
        run.panel.element.remove();
        run.panel.destroy();
        forget(run.buttons);
      }
      runs = plans.map(newRun);
      pair.classList.toggle("two", runs.length === 2);
      for (const run of runs) pair.append(run.panel.element);
      clear(barsBox);
      for (const run of runs) barsBox.append(run.bars.element);
      runs.forEach((run, i) => {
        run.handle = fresh[i].handle;
        run.info = fresh[i].info;
        valCount = run.info.valCount;
        absorb(run, fresh[i].snapshot);
      });
      stopAt = values.until > 0 ? values.until : Infinity;
      loadingDone();
      labelRuns();
      buildShowPicker();
      showMode(host.mode);
      translateTree(section);
      if (!pickerImages) pickerLoading = loadPicker();
      probeNow();
      draw();
      settle();
      return { ok: true };
    });
    building = promise;
    promise.finally(() => { if (building === promise) building = null; });
    return promise;
  }

  function forget(buttons) {
    for (const b of buttons) {
      b.destroy();
      downloads.delete(b);
    }
  }

  function loadingDone() {
    if (loadedIn === null) loadedIn = performance.now() - mountedAt;
    loading.hidden = true;
    // The cross-engine suite waits while anything in the demo says "loading".
    loading.removeAttribute("data-state");
  }

  /** Run titles: what differs between the runs. */
  function runTitle(run) {
    const arch = t(`img.archName.${run.arch}`);
    const aug = run.augmented && augmentOps(values).length ? t("img.withAug", { ops: opsText() }) : t("img.withoutAug");
    return values.cmp === "arch" ? `${arch} · ${aug}` : values.cmp === "aug" ? aug : `${arch} · ${aug}`;
  }

  function opsText() {
    return augmentOps(values).length ? values.ops.map((op) => t(`img.op.${op}`)).join(", ") : t("img.noOps");
  }

  function labelRuns() {
    for (const run of runs) {
      run.panel.setTitle(`${t(run.which === "a" ? "net.runA" : "net.runB")}: ${runTitle(run)}`, true);
      run.bars.setTitle(runs.length > 1 ? `${t(run.which === "a" ? "net.runA" : "net.runB")}: ${runTitle(run)}` : t("img.probabilities"));
    }
    clear(compareLegend);
    for (const run of runs) {
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = RUN_COLORS[run.which];
      compareLegend.append(h("li", {}, swatch, h("span", { text: `${t(run.which === "a" ? "net.runA" : "net.runB")}: ${runTitle(run)}` })));
    }
  }

  function buildShowPicker() {
    clear(showPicker);
    showPicker.hidden = runs.length < 2;
    if (runs.length < 2) return;
    showPicker.append(h("span", { "data-i18n": "img.showRun" }));
    for (const run of runs) {
      const b = h("button", { type: "button", role: "radio", "aria-checked": String(shownRun() === run), text: t(run.which === "a" ? "net.runA" : "net.runB") });
      b.addEventListener("click", () => { values.show = run.which; save(); buildShowPicker(); probeNow(); drawLearned(true); });
      showPicker.append(b);
    }
  }

  const shownRun = () => runs.find((run) => run.which === values.show) ?? runs[0];

  /** The feature-map layer: the chosen one when it is a picture, else the first conv's output. */
  function featureLayer() {
    const layers = shownRun()?.info?.layers ?? [];
    const chosen = layers.find((l) => l.index === values.layer && spatial(l));
    return chosen ? chosen.index : (layers.find(spatial)?.index ?? null);
  }

  // ---- drawing ------------------------------------------------------------
  function draw() {
    for (const run of runs) {
      if (run.fresh) run.panel.draw();
      run.fresh = false;
    }
    drawCompare();
    drawProgress();
    drawLearned(false);
    drawProbe();
    announce();
  }

  function drawProgress() {
    const now = performance.now();
    const slow = runs.filter((run) => run.evalSeenAt !== null && run.evaluation && !run.evaluation.done && now - run.evalSeenAt > PROGRESS_AFTER_MS);
    evalNote.hidden = !slow.length;
    if (!slow.length) return;
    const e = slow[0].evaluation;
    evalNote.querySelector("progress").value = e.evaluated / e.total;
    evalNote.querySelector("span").textContent = t("img.evaluating", { step: e.step, done: e.evaluated, total: e.total });
  }

  function drawCompare(force = false) {
    compareBox.hidden = runs.length < 2;
    if (runs.length < 2) return;
    const shown = runs.flatMap((run) => [run.curves, run.metrics]);
    if (!force && shown.every((v, i) => v === compareShown[i])) return;
    compareShown = shown;
    const acc = [];
    const gap = [];
    for (const run of runs) {
      const c = run.curves;
      if (!c) continue;
      const color = RUN_COLORS[run.which];
      acc.push({ x: c.steps, y: c.valAccuracy, color }, { x: c.steps, y: c.trainAccuracy, color, dashed: true });
      gap.push({ x: c.steps, y: Float64Array.from(c.trainAccuracy, (v, i) => 100 * (v - c.valAccuracy[i])), color });
    }
    accChart.update(acc);
    gapChart.update(gap);
    const [a, b] = runs.map((run) => run.metrics);
    if (!a || !b || a.step !== b.step) {
      compareVerdict.textContent = t("img.compareWait");
      return;
    }
    const key = values.cmp === "aug" ? "img.compareAug" : "img.compareArch";
    compareVerdict.textContent = t(key, {
      step: a.step, a: pct(a.valAccuracy), b: pct(b.valAccuracy),
      diff: signed(100 * (b.valAccuracy - a.valAccuracy)),
      gapA: (100 * (a.trainAccuracy - a.valAccuracy)).toFixed(1), gapB: (100 * (b.trainAccuracy - b.valAccuracy)).toFixed(1),
      margin: (100 * accuracyMargin((a.valAccuracy + b.valAccuracy) / 2, valCount)).toFixed(1), n: valCount,
    });
  }

  let learnedFor = null;
  let compareShown = [];
  let mapsShown = {};
  function drawLearned(force) {
    const run = shownRun();
    if (!run) return;
    const isCnn = run.arch === "cnn";
    if (force || learnedFor !== run || run.filtersShown !== run.filters) {
      run.filtersShown = run.filters;
      filters.update(isCnn ? run.filters : null);
    }
    // The text and the layer list change only with the run, the layer or the language.
    if (force || learnedFor !== run) {
      filtersNote.textContent = t(isCnn ? "img.filtersHint" : "img.noFilters");
      const layers = (run.info?.layers ?? []).map((l, i) => ({
        ...l,
        spec: run.arch === "cnn" ? CNN_LAYERS[i] : mlpSpec(i),
        pickable: spatial(l),
      }));
      layerStack.update(run.info?.inputShape ?? [1, SIDE, SIDE], layers, featureLayer() ?? -1);
    }
    if (force || learnedFor !== run || run.resultsFresh) {
      run.resultsFresh = false;
      const r = run.results;
      // Before the first evaluation an empty table keeps its place (nothing jumps when it fills).
      confusion.update(r ? r.confusion : new Uint32Array(CLASSES * CLASSES), CLASSES);
      confusionNote.textContent = r ? t("img.confusionHint", { step: r.step, n: valCount }) : t("img.notEvaluated");
      if (r) {
        const m = r.mistakes;
        const items = Array.from(m.indices, (index, k) => {
          const caption = `${m.labels[k]} → ${m.predicted[k]} · ${(100 * m.confidence[k]).toFixed(0)} %`;
          const said = t("img.mistakeLabel", { truth: m.labels[k], predicted: m.predicted[k], p: (100 * m.confidence[k]).toFixed(0) });
          // The accessible name starts with the visible caption (so speech input can name the button).
          return { pixels: m.images.subarray(k * SIDE * SIDE, (k + 1) * SIDE * SIDE), width: SIDE, height: SIDE, value: index, caption, label: `${caption}: ${said}` };
        });
        mistakes.update(items);
        mistakesNote.textContent = items.length ? t("img.mistakesHint", { step: r.step }) : t("img.noMistakes");
      } else {
        mistakes.update([]);
        mistakesNote.textContent = t("img.notEvaluated");
      }
    }
    learnedFor = run;
  }

  function mlpSpec(i) {
    const list = [{ kind: "dense", units: MLP_HIDDEN[0] }, { kind: "relu" }, { kind: "dense", units: CLASSES }];
    return list[i];
  }

  function drawProbe() {
    for (const run of runs) {
      if (!run.probeFresh) continue;
      run.probeFresh = false;
      run.bars.update(input ? run.probe?.probabilities ?? null : null);
    }
    const run = shownRun();
    if (!run) return;
    const layer = featureLayer();
    const picture = layer === null ? null : !input ? "blank" : run.probe?.featureMaps ?? "blank";
    const note = layer === null ? t("img.noMaps")
      : input ? t("img.mapsHint", { layer: `${t(`layer.${run.info.layers[layer].kind}`)} (${layer})` }) : t("img.mapsEmpty");
    // Redraw only what changed (a frame may bring nothing new for the maps).
    if (picture === mapsShown.picture && note === mapsShown.note) return;
    mapsShown = { picture, note };
    // An empty pad blanks the maps in place: the pad below does not move while you draw.
    if (picture === null) maps.update(null);
    else if (picture === "blank") maps.blank();
    else maps.update(picture);
    mapsNote.textContent = note;
  }

  // ---- the pad and probes --------------------------------------------------
  let padQueued = false;
  function padChanged(kind) {
    if (kind !== "image" && values.pick !== -1) {
      values.pick = -1;
      save();
    }
    // One reading per frame however many pointer events arrive.
    if (padQueued) return;
    padQueued = true;
    requestAnimationFrame(() => {
      padQueued = false;
      if (destroyed) return;
      readPad();
      probeNow();
    });
  }

  /** The pad's digit as the network sees it: centred like MNIST, or shrunk where it was drawn. */
  function readPad() {
    if (pad.empty) {
      input = null;
      seen.blank();
      for (const run of runs) run.bars.update(null);
      return;
    }
    const { pixels, width, height } = pad.ink();
    input = values.center ? ctx.engine.centerDigit(pixels, width, height) : downscale(pixels, width, height, SIDE);
    const rgba = new Uint8ClampedArray(SIDE * SIDE * 4);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const v = Math.round(255 * input[i]);
      rgba.set([v, v, v, 255], 4 * i);
    }
    seen.update({ pixels: rgba, width: SIDE, height: SIDE });
  }

  /** Asks every run for the pad digit's probabilities (one request in flight; the latest digit wins). */
  async function probeNow() {
    if (!input || !runs.length) {
      drawProbe();
      return;
    }
    if (probing) {
      probeAgain = true;
      return;
    }
    probing = true;
    // Tests and assistive technology can tell when the probabilities are final.
    drawBox.setAttribute("aria-busy", "true");
    const gen = generation;
    try {
      do {
        probeAgain = false;
        const layer = featureLayer();
        const sent = input;
        const answers = await Promise.all(runs.map((run) => (run.handle === null ? null
          : host.command(run.handle, "probe", [{ input: sent, layer, scale: 2 }]))));
        if (gen !== generation || destroyed) return;
        answers.forEach((answer, i) => {
          if (!answer) return;
          runs[i].probe = answer.result;
          runs[i].probeFresh = true;
        });
        runner.invalidate();
      } while (probeAgain && !destroyed);
    } catch (error) {
      if (!(error instanceof HostRestarted) && gen === generation && !destroyed) showError(error.message);
    } finally {
      probing = false;
      drawBox.removeAttribute("aria-busy");
    }
  }

  async function loadPicker() {
    const run = runs[0];
    if (!run?.info) return;
    const indices = pickerIndices(run.info.valLabels, pickerRound);
    try {
      const { result } = await host.command(run.handle, "valImages", [indices]);
      pickerImages = { indices, ...result };
      drawPicker();
      // The link's test digit goes on the pad once the first pictures exist.
      if (values.pick >= 0 && pad.empty) await pickDigit(values.pick, false);
    } catch (error) {
      if (!(error instanceof HostRestarted) && !destroyed) showError(error.message);
    }
  }

  function drawPicker() {
    if (!pickerImages) return;
    const size = SIDE * SIDE;
    picker.update(pickerImages.indices.map((index, k) => ({
      pixels: pickerImages.pixels.subarray(k * size, (k + 1) * size), width: SIDE, height: SIDE, value: index,
      caption: String(pickerImages.labels[k]), selected: index === values.pick,
      label: t("img.pickLabel", { digit: pickerImages.labels[k], index }),
    })));
  }

  /** Puts validation digit `index` on the pad. */
  async function pickDigit(index, remember = true) {
    const run = runs[0];
    if (!run?.handle) return;
    try {
      const { result } = await host.command(run.handle, "valImages", [[index]]);
      if (destroyed) return;
      values.pick = index;
      if (remember) save();
      pad.setImage(result.pixels, SIDE, SIDE);
      drawPicker();
    } catch (error) {
      if (!(error instanceof HostRestarted) && !destroyed) showError(error.message);
    }
  }

  // ---- inputs → values --------------------------------------------------
  function showMode(mode) {
    engineNote.hidden = mode !== "main";
    engineNote.textContent = t("kit.mainThread");
    section.dataset.engine = mode;
  }

  function syncInputs() {
    fields.sync(values);
    for (const op of AUG_OPS) opBoxes[op].checked = values.ops.includes(op);
    // Strengths of ops that are off stay editable but dim.
    const strength = { rot: "rotate", shift: "translate", pad: "crop", zoom: "zoom", cut: "cutout", noise: "noise", flip: "vflip" };
    for (const [name, op] of Object.entries(strength)) {
      const on = values.ops.includes(op) || (name === "flip" && values.ops.includes("hflip"));
      fields.input(name).closest("label").classList.toggle("off", !on);
    }
    fields.input("aug").disabled = values.cmp === "aug";
    fields.input("aug").closest("label").classList.toggle("off", values.cmp === "aug");
    flipWarning.hidden = !(values.ops.includes("hflip") || values.ops.includes("vflip")) || !(values.aug || values.cmp === "aug");
  }

  /** Settings that only change what is shown, not the networks. */
  const VIEW_ONLY = ["speed", "show", "layer", "center", "pick"];

  async function changed(name, value) {
    const previous = { ...values, ops: [...values.ops] };
    values[name] = value;
    if (name === "opt") values.lr = DEFAULT_LR[value];
    if (VIEW_ONLY.includes(name)) {
      syncInputs();
      save();
      if (name === "center") readPad();
      probeNow();
      drawLearned(true);
      return;
    }
    await form.apply(name, previous);
  }

  syncInputs();
  translateTree(root);
  form.onLanguage(() => {
    labelRuns();
    buildShowPicker();
    showMode(host.mode);
    for (const run of runs) run.panel.redraw();
    layerStack.redraw();
    confusion.redraw();
    drawLearned(true);
    drawPicker();
    drawCompare(true);
    mapsShown = {};
    drawProbe();
  });
  const ready = rebuild().then(async (result) => {
    if (result.error !== undefined) {
      // A link with a combination the engine refuses: fall back to the defaults.
      loadingDone();
      await form.fallBack(result.error);
    }
    // Ready once the view is complete: the first evaluation, the test digits and the pad's
    // probabilities are in (nothing changes after this until the student acts or presses Play).
    await (settling ?? Promise.resolve());
    await pickerLoading;
    if (!destroyed && !pad.empty) {
      readPad();
      await probeNow();
    }
    runner.invalidate();
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
      for (const run of runs) {
        if (run.handle !== null) host.free(run.handle);
        run.panel.destroy();
      }
      accChart.destroy();
      gapChart.destroy();
      pad.destroy();
      live.destroy();
      forget([...downloads]);
      runs = [];
      closed = host.close();
    },
    saveState: save,
    ready,
    // For tests and benchmarks: the runner, the engine host, the runs.
    debug: {
      values,
      runner,
      host,
      get steps() { return runs.map((run) => run.steps); },
      get metrics() { return runs.map((run) => run.metrics); },
      get input() { return input; },
      get probabilities() { return runs.map((run) => run.probe?.probabilities ?? null); },
      get closed() { return closed; },
      /** Milliseconds from mount until the digits were loaded and the first networks built. */
      get loadedIn() { return loadedIn; },
    },
  };
}
