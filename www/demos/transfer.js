// Transfer learning: the lecture's table (similar or different data × little
// or more of it) made live. A CNN pretrained on the digits 0–4 (shipped:
// www/assets/pretrained-digits04.bin) lends its two conv layers to a new
// five-way task; four strategies train side by side from the same seed —
// from scratch, the borrowed body frozen under a new head, everything
// fine-tuned at the same rate, and two stages (head first, then everything
// at a tenth of the rate) — and the page says, for the cell you are in,
// what the measurement shows, including where transfer does not help.
import { h, uniquePrefix } from "../ui/dom.js";
import { createSettings } from "../ui/parts/controls.js";
import { createCurvesChart } from "../ui/parts/curves.js";
import { createLayerStack } from "../ui/parts/layer-stack.js";
import { createStrategySettings } from "../ui/parts/strategy-settings.js";
import { createCellTable } from "../ui/parts/cell-table.js";
import { createStrategyLegend } from "../ui/parts/strategy-legend.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { advanceToStop, startRunnerToStop } from "../ui/run-to-stop.js";
import { downloadButton, downloadGroup, canvasPng, csvBlob, csvFromColumns, jsonBlob } from "../ui/download.js";
import { accuracyMargin } from "../ui/gap.js";
import { pct } from "../ui/net-common.js";
import { CNN_LAYERS } from "./images.js";
import { t, translateTree } from "../i18n/index.js";
import { createEngineHost, installCreated, HostRestarted } from "../workers/client.js";

export const id = "transfer";

/** The strategies, in the order they are drawn. */
export const STRATEGIES = ["scratch", "frozen", "finetune", "twostage"];
/** Target tasks: new classes, or the source's digits in another style. */
export const TARGETS = ["different", "thick", "shifted", "noisy", "inverted"];
/** Layers with parameters the target borrows from the source (the two convs). */
export const BODY_LAYERS = 2;
const CLASSES = 5;
export const COLORS = { scratch: "#8a8a8a", frozen: "#2456c9", finetune: "#c2410c", twostage: "#15803d" };
/** Labelled images a class that count as "little" (at most) and "more" (at least) data. */
export const LITTLE_MAX = 10;
export const MORE_MIN = 50;

const EVAL_MS = 15;
const SETTLE_MS = 40;

export const params = {
  target: { type: "enum", values: TARGETS, default: "thick" },
  per: { type: "number", integer: true, min: 1, max: 400, default: 1 },
  on: { type: "set", values: STRATEGIES, default: STRATEGIES },
  lr: { type: "number", min: 1e-5, max: 1, default: 0.01 },
  until: { type: "number", integer: true, min: 0, max: 5000, default: 200 },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  show: { type: "enum", values: STRATEGIES, default: "twostage" },
  speed: { type: "number", integer: true, min: 1, max: 20, default: 3 },
};

/** The table's four cells as links; each has a lesson in www/lessons/table.js. */
export const spec = {
  id,
  presets: [
    { key: "transfer.differentLittle", query: "target=different&per=5" },
    { key: "transfer.differentMore", query: "target=different&per=100" },
  ],
};

/** The source's digits (0–4) and the new classes (5–9). */
const SOURCE_DIGITS = [0, 1, 2, 3, 4];
const NEW_DIGITS = [5, 6, 7, 8, 9];

/** Which cell of the lecture's table the values are in: {data: similar|different, size: little|middle|more}. */
export function cellOf(values) {
  return {
    data: values.target === "different" ? "different" : "similar",
    size: values.per <= LITTLE_MAX ? "little" : values.per >= MORE_MIN ? "more" : "middle",
  };
}

/**
 * The target task's Trainer settings (all strategies share them). The
 * digits are not in it: the engine host fills in `dataset.data`; a caller
 * outside the app adds it (the lessons do).
 */
export function trainerConfig(values) {
  const different = values.target === "different";
  return {
    dataset: {
      kind: "digits", digits: different ? NEW_DIGITS : SOURCE_DIGITS, style: different ? "plain" : values.target,
      perClass: values.per, validationPerClass: 50, seed: values.seed,
    },
    layers: [...CNN_LAYERS.slice(0, -1), { kind: "dense", units: CLASSES }],
    optimizer: { kind: "momentum", lr: values.lr, momentum: 0.9 },
    l2: 1e-4,
    batchSize: 32,
    seed: values.seed,
  };
}

/** Where two stages switch without a stop step. */
const OPEN_SWITCH = 100;

/** The two-stage recipe's switch: half the steps with the head alone, then everything at lr/10. */
export function switchStep(values) {
  return values.until > 0 ? Math.floor(values.until / 2) : OPEN_SWITCH;
}

/** The engine host's spec of one strategy's run (kind "TransferTrainer"). */
export function strategySpec(values, strategy) {
  return { config: trainerConfig(values), strategy, bodyLayers: BODY_LAYERS, switchAt: switchStep(values), fineLr: values.lr / 10 };
}

const signed = (v) => `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;

/**
 * Mounts the demo into `root`; training runs in a module worker (or on the
 * page within the frame budget where none can start). Returns {destroy,
 * saveState, ready, debug}.
 */
export function mount(root, ctx) {
  const lab = createLab(ctx);
  buildPage(lab, root);
  syncInputs(lab);
  translateTree(root);
  lab.form.onLanguage(() => relabel(lab));
  const ready = rebuild(lab).then((result) => { if (result.error !== undefined) refusedAtStart(lab, result.error); });
  return { destroy: () => destroy(lab), saveState: lab.save, ready, debug: debugOf(lab) };
}

/** One mount's state: everything the module-level functions below read and change. */
function createLab(ctx) {
  const lab = {
    ctx, values: { ...ctx.values, on: [...ctx.values.on] }, prefix: uniquePrefix("tl"), runs: [], generation: 0,
    building: null, settling: null, destroyed: false, lastExtras: -Infinity, stopAt: Infinity, wasPlaying: false,
    valCount: 0, info: null, unsubs: [], closed: null,
  };
  lab.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: (mode) => showMode(lab, mode), onLost: () => rebuild(lab) });
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  lab.form = createSettings({ table: params, prefix: lab.prefix, values: lab.values, onChange: (name, value) => changed(lab, name, value),
    rebuild: () => rebuild(lab), sync: () => syncInputs(lab), lost: () => lab.runs.some((run) => run.handle === null),
    alive: () => !lab.destroyed, notify: ctx.notify, persist: ctx.save });
  lab.save = lab.form.save;
  lab.showError = lab.form.showError;
  return lab;
}

/** The section: the table of cells, the chart and its verdict, the layer list, the settings; also runner and live region. */
function buildPage(lab, root) {
  const { values, prefix, form } = lab;
  lab.settings = createStrategySettings({ fields: form.fields, errorBox: form.errorBox, prefix, strategies: STRATEGIES, colors: COLORS, targets: TARGETS,
    onToggle: (strategy, on) => changed(lab, "on", STRATEGIES.filter((s) => (s === strategy ? on : values.on.includes(s)))) });
  lab.cells = createCellTable({ demo: id });
  lab.loading = h("p", { class: "img-loading", role: "status", "data-state": "loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { "data-i18n": "transfer.loading" }));
  lab.engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  lab.chart = createCurvesChart({ className: "net-chart tl-chart", labelKey: "transfer.chartLabel", xLabelKey: "net.step", yLabelKey: "transfer.valAccuracy", yRange: [0, 1], minX: 100 });
  lab.legend = createStrategyLegend({ className: "legend tl-legend", colors: COLORS });
  lab.stepLine = h("p", { class: "tl-steps" });
  lab.verdict = h("p", { class: "tl-verdict" });
  lab.layerStack = createLayerStack({ labelKey: "transfer.layersLabel" });
  const showSelect = form.fields.select("show", "transfer.show", STRATEGIES, "transfer.strategy");
  lab.layersNote = h("p", { class: "hint" });
  const section = lab.section = h("section", { class: "demo net img tl", "aria-labelledby": `${prefix}-title` });
  startRunner(lab);
  lab.downloads = [
    downloadButton({ format: "PNG", what: "download.what.chart", demo: id, name: "curves", make: () => canvasPng(lab.chart.element), onError: lab.showError }),
    downloadButton({ format: "CSV", what: "download.what.curves", demo: id, make: () => csvBlob(curvesCsv(lab.runs)), onError: lab.showError }),
    downloadButton({ format: "JSON", what: "download.what.run", demo: id, name: "run", make: () => jsonBlob(runJson(lab)), onError: lab.showError }),
  ];
  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "transfer.title" }),
    h("p", { class: "intro", "data-i18n": "transfer.intro" }),
    presetLinks(prefix),
    h("div", { class: "columns" },
      h("div", { class: "stage" }, lab.player.element, lab.loading, lab.engineNote, lab.cells.element,
        h("div", { class: "tl-results" },
          h("p", { class: "chart-title", "data-i18n": "transfer.chartTitle" }), lab.stepLine, lab.chart.element, lab.legend.element, lab.verdict,
          downloadGroup(lab.downloads.map((d) => d.element))),
        h("div", { class: "tl-layers" },
          h("h3", { "data-i18n": "transfer.layersTitle" }), showSelect, lab.layerStack.element, lab.layersNote)),
      h("div", { class: "side" }, lab.settings.element,
        h("div", { class: "panel img-notes" },
          h("p", { class: "hint", "data-i18n": "transfer.whyConv" }),
          h("p", { class: "hint", "data-i18n": "transfer.measuredHint" })))));
  root.append(section);
  lab.live = attachLiveRegion(section);
}

/** The runner and player; Play from below the stop step trains up to it. */
function startRunner(lab) {
  startRunnerToStop(lab, lab.section, { advance: (steps, options) => advance(lab, steps, options),
    draw: () => draw(lab), rebuild: () => rebuild(lab), maxSpeed: params.speed.max });
}

function presetLinks(prefix) {
  return h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    h("a", { href: `#${id}`, "data-i18n": "preset.transfer.default" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `preset.${p.key}` })));
}

// ---- training ------------------------------------------------------------
function advance(lab, steps, options) {
  return advanceToStop(lab, steps, options, {
    snapshot: (curves) => ({ evaluate: "due", evalMs: EVAL_MS, curves }),
    absorb: (i, snapshot) => absorb(lab.runs[i], snapshot),
    settleSoon: () => settleSoon(lab),
  });
}

function settleSoon(lab) {
  setTimeout(() => settle(lab), 0);
}

/** Finishes evaluating the step every run stands at, a slice per request (playing takes over). */
function settle(lab) {
  if (lab.settling) return lab.settling;
  const gen = lab.generation;
  const gone = () => gen !== lab.generation || lab.destroyed;
  lab.settling = (async () => {
    try {
      for (;;) {
        if (gone() || lab.runner.playing) return;
        const pending = lab.runs.filter((run) => run.handle !== null && !(run.evaluation?.done && run.evaluation.step === run.steps));
        if (!pending.length) return;
        for (const run of pending) {
          const s = await lab.host.snapshot(run.handle, { evaluate: "now", evalMs: SETTLE_MS, curves: true });
          if (gone()) return;
          absorb(run, s);
        }
        lab.runner.invalidate();
      }
    } catch (error) {
      if (!(error instanceof HostRestarted) && !gone()) lab.showError(error.message);
    } finally {
      lab.settling = null;
    }
  })();
  return lab.settling;
}

function absorb(run, s) {
  run.steps = s.steps;
  run.frozen = s.frozen;
  run.rates = s.rates;
  if (s.evaluation) run.evaluation = s.evaluation;
  if (s.metrics) run.metrics = s.metrics;
  if (s.curves) run.curves = s.curves;
  run.fresh = true;
}

/** Builds one run per chosen strategy. Resolves to {ok}, {error} or {stale}. */
function rebuild(lab) {
  const gen = ++lab.generation;
  const { host, values } = lab;
  if (host.busy) host.cancel();
  const plans = STRATEGIES.filter((s) => values.on.includes(s));
  const first = { evaluate: "now", evalMs: 0, curves: true };
  const made = plans.map((strategy) => host.create("TransferTrainer", strategySpec(values, strategy), first));
  const promise = installCreated(host, made, () => gen === lab.generation && !lab.destroyed, (fresh) => install(lab, plans, fresh));
  lab.building = promise;
  promise.finally(() => { if (lab.building === promise) lab.building = null; });
  return promise;
}

/** Puts freshly created engine runs in place of the old ones and starts evaluating their step 0. */
function install(lab, plans, fresh) {
  for (const run of lab.runs) if (run.handle !== null) lab.host.free(run.handle);
  lab.runs = plans.map((strategy, i) => ({ strategy, handle: fresh[i].handle, steps: 0, frozen: 0, rates: [], evaluation: null, metrics: null, curves: null, fresh: true }));
  lab.info = fresh[0]?.info ?? null;
  lab.valCount = lab.info?.valCount ?? 0;
  lab.runs.forEach((run, i) => absorb(run, fresh[i].snapshot));
  lab.stopAt = lab.values.until > 0 ? lab.values.until : Infinity;
  lab.loading.hidden = true;
  lab.loading.removeAttribute("data-state");
  showMode(lab, lab.host.mode);
  draw(lab, true);
  settle(lab);
}

/** The engine refused the link's settings at mount: no runs, the reason on the error line. */
function refusedAtStart(lab, message) {
  lab.loading.hidden = true;
  lab.loading.removeAttribute("data-state");
  lab.showError(message);
}

// ---- drawing ----------------------------------------------------------------
function draw(lab, force = false) {
  const { runs } = lab;
  if (!force && !runs.some((run) => run.fresh)) return;
  for (const run of runs) run.fresh = false;
  lab.stepLine.textContent = t("transfer.steps", { step: runs[0]?.steps ?? 0 });
  lab.chart.update(runs.filter((run) => run.curves).map((run) => ({ x: run.curves.steps, y: run.curves.valAccuracy, color: COLORS[run.strategy] })));
  lab.legend.show(runs.map((run) => {
    const m = run.metrics;
    const name = t(`transfer.strategy.${run.strategy}`);
    return { strategy: run.strategy, text: m ? t("transfer.legend", { name, acc: pct(m.valAccuracy), step: m.step }) : name };
  }));
  lab.cells.show(cellOf(lab.values));
  lab.verdict.textContent = verdictText(lab.runs, lab.valCount);
  drawLayers(lab);
  announce(lab);
}

/** The live comparison: each strategy at the same evaluated step, and borrowed features against scratch. */
function verdictText(runs, valCount) {
  const done = runs.map((run) => run.metrics);
  const step = done[0]?.step;
  if (!runs.length || done.some((m) => !m) || done.some((m) => m.step !== step)) return t("transfer.verdictWait");
  if (step === 0) return t("transfer.verdictStart");
  const by = Object.fromEntries(runs.map((run) => [run.strategy, run.metrics.valAccuracy]));
  const best = runs.reduce((a, b) => (b.metrics.valAccuracy > a.metrics.valAccuracy ? b : a));
  const parts = [t("transfer.verdictBest", { step, name: t(`transfer.strategy.${best.strategy}`), acc: pct(best.metrics.valAccuracy) })];
  if (by.scratch !== undefined && by.frozen !== undefined) {
    const diff = 100 * (by.frozen - by.scratch);
    const margin = 100 * accuracyMargin((by.frozen + by.scratch) / 2, valCount);
    const key = Math.abs(diff) <= margin ? "transfer.verdictTie" : diff > 0 ? "transfer.verdictHelps" : "transfer.verdictHurts";
    parts.push(t(key, { diff: signed(diff), margin: margin.toFixed(1), n: valCount }));
  }
  return parts.join(" ");
}

function drawLayers({ runs, values, info, layerStack, layersNote }) {
  const run = runs.find((r) => r.strategy === values.show) ?? runs[0];
  if (!run || !info) return;
  const paramLayers = info.paramLayers ?? [];
  const layers = info.layers.map((layer, i) => {
    const k = paramLayers.indexOf(layer.index);
    const frozen = k >= 0 && k < run.frozen;
    const rate = k >= 0 ? run.rates[k] : undefined;
    return {
      ...layer,
      spec: trainerConfig(values).layers[i],
      frozen,
      note: rate === undefined ? undefined : t("transfer.rate", { lr: Number(rate.toPrecision(3)) }),
    };
  });
  layerStack.update(info.inputShape, layers);
  const body = run.strategy === "scratch" ? "transfer.layers.scratch" : "transfer.layers.borrowed";
  const stage = run.strategy === "twostage" ? t(run.steps < switchStep(values) ? "transfer.layers.stage1" : "transfer.layers.stage2", { at: switchStep(values), lr: values.lr / 10 }) : "";
  layersNote.textContent = `${t(body)} ${stage}`.trim();
}

/** For screen readers: each evaluation after step 0 (step 0's numbers are on screen already). */
function announce({ runs, live }) {
  if (!runs.length || runs.some((run) => !run.metrics || !(run.metrics.step > 0))) return;
  live.update(progressText({
    step: runs[0].metrics.step,
    runs: runs.map((run) => ({ name: t(`transfer.strategy.${run.strategy}`), trainAccuracy: run.metrics.trainAccuracy, valAccuracy: run.metrics.valAccuracy })),
  }));
}

// ---- downloads ------------------------------------------------------------
function curvesCsv(runs) {
  const steps = [...new Set(runs.flatMap((run) => Array.from(run.curves?.steps ?? [])))].sort((a, b) => a - b);
  const columns = { step: steps };
  for (const run of runs) {
    const at = new Map(Array.from(run.curves?.steps ?? [], (s, i) => [s, run.curves.valAccuracy[i]]));
    columns[`${run.strategy}_val_accuracy`] = steps.map((s) => (at.has(s) ? at.get(s) : ""));
  }
  return csvFromColumns(columns);
}

function runJson({ values, runs }) {
  return {
    demo: id,
    link: location.href,
    settings: { ...values },
    cell: cellOf(values),
    target: trainerConfig(values),
    twoStage: { switchAt: switchStep(values), fineLr: values.lr / 10 },
    results: runs.map((run) => ({ strategy: run.strategy, steps: run.steps, metrics: run.metrics })),
  };
}

// ---- inputs → values --------------------------------------------------
function showMode(lab, mode) {
  lab.engineNote.hidden = mode !== "main";
  lab.engineNote.textContent = t("kit.mainThread");
  lab.section.dataset.engine = mode;
}

function syncInputs(lab) {
  lab.form.fields.sync(lab.values);
  lab.settings.show(lab.values.on);
}

/** The language changed: what is drawn with words is drawn again. */
function relabel(lab) {
  showMode(lab, lab.host.mode);
  lab.layerStack.redraw();
  draw(lab, true);
}

async function changed(lab, name, value) {
  const { values } = lab;
  if (name === "on" && !value.length) {
    syncInputs(lab);
    lab.showError(t("transfer.noStrategy"));
    return;
  }
  const previous = { ...values, on: [...values.on] };
  values[name] = value;
  if (name === "show" || name === "speed") {
    lab.save();
    drawLayers(lab);
    return;
  }
  await lab.form.apply(name, previous);
}

function destroy(lab) {
  if (lab.destroyed) return;
  lab.destroyed = true;
  lab.generation++;
  lab.runner.destroy();
  lab.player.destroy();
  lab.chart.destroy();
  lab.layerStack.destroy();
  for (const d of lab.downloads) d.destroy();
  lab.live.destroy?.();
  for (const u of lab.unsubs) u();
  lab.form.destroy();
  for (const run of lab.runs) if (run.handle !== null) lab.host.free(run.handle);
  lab.runs = [];
  lab.closed = lab.host.close();
}

/** For tests: the runner, the engine host, each run's state and its weights. */
function debugOf(lab) {
  return {
    values: lab.values,
    runner: lab.runner,
    host: lab.host,
    get runs() { return lab.runs.map((run) => ({ strategy: run.strategy, handle: run.handle, steps: run.steps, frozen: run.frozen, rates: run.rates, metrics: run.metrics })); },
    /** Every parameter block of a strategy's network (copies), read from the engine. */
    async weights(strategy) {
      const run = lab.runs.find((r) => r.strategy === strategy);
      if (!run) throw new Error(`no run of ${strategy}`);
      return (await lab.host.command(run.handle, "weights", [])).result;
    },
    get closed() { return lab.closed; },
  };
}
