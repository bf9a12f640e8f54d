// Transfer learning: the lecture's table (similar or different data × little
// or more of it) made live. A CNN pretrained on the digits 0–4 (shipped:
// www/assets/pretrained-digits04.bin) lends its two conv layers to a new
// five-way task; four strategies train side by side from the same seed —
// from scratch, the borrowed body frozen under a new head, everything
// fine-tuned at the same rate, and two stages (head first, then everything
// at a tenth of the rate) — and the page says, for the cell you are in,
// what the measurement shows, including where transfer does not help.
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { createSettings } from "../ui/parts/controls.js";
import { createCurvesChart } from "../ui/parts/curves.js";
import { createLayerStack } from "../ui/parts/layer-stack.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
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
const CURVES_EVERY_MS = 300;

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
  const values = { ...ctx.values, on: [...ctx.values.on] };
  const prefix = uniquePrefix("tl");
  let runs = [];
  let generation = 0;
  let building = null;
  let settling = null;
  let destroyed = false;
  let lastCurves = -Infinity;
  let stopAt = Infinity;
  let wasPlaying = false;
  let valCount = 0;
  let info = null;
  const unsubs = [];
  const host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onMode: showMode, onLost: () => rebuild() });

  // ---- controls -------------------------------------------------------
  // One settings loop (controls.js): a refused value is put back, its field marked, the old runs kept.
  const form = createSettings({ table: params, prefix, values, onChange: changed, rebuild, sync: syncInputs,
    lost: () => runs.some((run) => run.handle === null), alive: () => !destroyed, notify: ctx.notify, persist: ctx.save });
  const { fields, errorBox, showError, save } = form;
  const boxes = {};
  const strategyRow = (strategy) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-on-${strategy}` });
    box.addEventListener("change", () => changed("on", STRATEGIES.filter((s) => (s === strategy ? box.checked : values.on.includes(s)))));
    boxes[strategy] = box;
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = COLORS[strategy];
    return h("label", { for: box.id, class: "check" }, box, swatch, h("span", { "data-i18n": `transfer.strategy.${strategy}` }));
  };
  const settings = h("div", { class: "panel net-settings tl-settings" },
    h("div", { class: "hyper" }, fields.select("target", "transfer.target", TARGETS, "transfer.targetName"), fields.number("per", "transfer.per")),
    h("p", { class: "hint", "data-i18n": "transfer.dataHint" }),
    h("fieldset", { class: "racer tl-strategies" }, h("legend", {}, h("span", { "data-i18n": "transfer.strategies" })),
      ...STRATEGIES.map(strategyRow)),
    h("p", { class: "hint", "data-i18n": "transfer.strategyHint" }),
    h("div", { class: "hyper" }, fields.number("lr", "hp.lr"), fields.number("until", "img.until"), fields.number("seed", "net.seed")),
    h("p", { class: "hint", "data-i18n": "transfer.untilHint" }),
    errorBox);

  // ---- the table of cells -----------------------------------------------
  const cellButtons = {};
  const cellLinks = { "similar.little": "", "similar.more": "per=100", "different.little": "target=different&per=5", "different.more": "target=different&per=100" };
  const table = h("table", { class: "tl-cells" },
    h("caption", { "data-i18n": "transfer.tableCaption" }),
    h("thead", {}, h("tr", {}, h("td"), h("th", { scope: "col", "data-i18n": "transfer.size.little" }), h("th", { scope: "col", "data-i18n": "transfer.size.more" }))),
    h("tbody", {}, ...["similar", "different"].map((data) => h("tr", {},
      h("th", { scope: "row", "data-i18n": `transfer.data.${data}` }),
      ...["little", "more"].map((size) => {
        const key = `${data}.${size}`;
        const link = h("a", { href: `#${id}${cellLinks[key] ? `?${cellLinks[key]}` : ""}`, "data-i18n": `transfer.cellShort.${key}` });
        cellButtons[key] = link;
        return h("td", {}, link);
      })))));
  const cellVerdict = h("p", { class: "tl-cell-verdict" });

  // ---- runs and charts --------------------------------------------------
  const loading = h("p", { class: "img-loading", role: "status", "data-state": "loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { "data-i18n": "transfer.loading" }));
  const engineNote = h("p", { class: "hint net-engine-note", hidden: true });
  const chart = createCurvesChart({ className: "net-chart tl-chart", labelKey: "transfer.chartLabel", xLabelKey: "net.step", yLabelKey: "transfer.valAccuracy", yRange: [0, 1], minX: 100 });
  const legend = h("ul", { class: "legend tl-legend" });
  const stepLine = h("p", { class: "tl-steps" });
  const verdict = h("p", { class: "tl-verdict" });
  const layerStack = createLayerStack({ labelKey: "transfer.layersLabel" });
  const showSelect = fields.select("show", "transfer.show", STRATEGIES, "transfer.strategy");
  const layersNote = h("p", { class: "hint" });

  const section = h("section", { class: "demo net img tl", "aria-labelledby": `${prefix}-title` });
  const runner = createRunner({ element: section, speed: values.speed, budgeted: false, advance, draw, cancel: () => host.cancel(), reset: () => rebuild() });
  const player = createPlayerPart(runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; save(); } });
  unsubs.push(runner.onChange(({ playing }) => {
    if (playing && !wasPlaying) {
      const at = runs[0]?.steps ?? 0;
      // Play from below the stop step trains up to it; from at or past it (or with none), on without a stop.
      stopAt = values.until > 0 && at < values.until ? values.until : Infinity;
    }
    wasPlaying = playing;
  }));
  const downloads = [
    downloadButton({ format: "PNG", what: "download.what.chart", demo: id, name: "curves", make: () => canvasPng(chart.element), onError: showError }),
    downloadButton({ format: "CSV", what: "download.what.curves", demo: id, make: () => csvBlob(curvesCsv()), onError: showError }),
    downloadButton({ format: "JSON", what: "download.what.run", demo: id, name: "run", make: () => jsonBlob(runJson()), onError: showError }),
  ];
  const presets = h("nav", { class: "presets", "aria-labelledby": `${prefix}-presets` },
    h("span", { id: `${prefix}-presets`, "data-i18n": "race.presets" }),
    h("a", { href: `#${id}`, "data-i18n": "preset.transfer.default" }),
    spec.presets.map((p) => h("a", { href: `#${id}?${p.query}`, "data-i18n": `preset.${p.key}` })));

  section.append(
    h("h2", { id: `${prefix}-title`, "data-i18n": "transfer.title" }),
    h("p", { class: "intro", "data-i18n": "transfer.intro" }),
    presets,
    h("div", { class: "columns" },
      h("div", { class: "stage" }, player.element, loading, engineNote,
        h("div", { class: "tl-table-box" }, table, cellVerdict),
        h("div", { class: "tl-results" },
          h("p", { class: "chart-title", "data-i18n": "transfer.chartTitle" }), stepLine, chart.element, legend, verdict,
          downloadGroup(downloads.map((d) => d.element))),
        h("div", { class: "tl-layers" },
          h("h3", { "data-i18n": "transfer.layersTitle" }), showSelect, layerStack.element, layersNote)),
      h("div", { class: "side" }, settings,
        h("div", { class: "panel img-notes" },
          h("p", { class: "hint", "data-i18n": "transfer.whyConv" }),
          h("p", { class: "hint", "data-i18n": "transfer.measuredHint" })))));
  root.append(section);
  const live = attachLiveRegion(section);

  // ---- training ------------------------------------------------------------
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
    const curves = single || now - lastCurves >= CURVES_EVERY_MS;
    if (curves) lastCurves = now;
    try {
      const answer = await host.run(runs.map((run) => run.handle), Math.min(steps, left),
        { snapshot: { evaluate: "due", evalMs: EVAL_MS, curves } });
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

  function settleSoon() {
    setTimeout(() => settle(), 0);
  }

  /** Finishes evaluating the step every run stands at, a slice per request (playing takes over). */
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
            const s = await host.snapshot(run.handle, { evaluate: "now", evalMs: SETTLE_MS, curves: true });
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
  function rebuild() {
    const gen = ++generation;
    if (host.busy) host.cancel();
    const plans = STRATEGIES.filter((s) => values.on.includes(s));
    const first = { evaluate: "now", evalMs: 0, curves: true };
    const made = plans.map((strategy) => host.create("TransferTrainer", strategySpec(values, strategy), first));
    const promise = installCreated(host, made, () => gen === generation && !destroyed, (fresh) => {
      for (const run of runs) if (run.handle !== null) host.free(run.handle);
      runs = plans.map((strategy, i) => ({ strategy, handle: fresh[i].handle, steps: 0, frozen: 0, rates: [], evaluation: null, metrics: null, curves: null, fresh: true }));
      info = fresh[0]?.info ?? null;
      valCount = info?.valCount ?? 0;
      runs.forEach((run, i) => absorb(run, fresh[i].snapshot));
      stopAt = values.until > 0 ? values.until : Infinity;
      loading.hidden = true;
      loading.removeAttribute("data-state");
      showMode(host.mode);
      draw(true);
      settle();
    });
    building = promise;
    promise.finally(() => { if (building === promise) building = null; });
    return promise;
  }

  // ---- drawing ----------------------------------------------------------------
  function draw(force = false) {
    if (!force && !runs.some((run) => run.fresh)) return;
    for (const run of runs) run.fresh = false;
    stepLine.textContent = t("transfer.steps", { step: runs[0]?.steps ?? 0 });
    chart.update(runs.filter((run) => run.curves).map((run) => ({ x: run.curves.steps, y: run.curves.valAccuracy, color: COLORS[run.strategy] })));
    clear(legend);
    for (const run of runs) {
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = COLORS[run.strategy];
      const m = run.metrics;
      legend.append(h("li", { "data-strategy": run.strategy }, swatch,
        h("span", { text: m ? t("transfer.legend", { name: t(`transfer.strategy.${run.strategy}`), acc: pct(m.valAccuracy), step: m.step }) : t(`transfer.strategy.${run.strategy}`) })));
    }
    drawCells();
    drawVerdict();
    drawLayers();
    announce();
  }

  function drawCells() {
    const cell = cellOf(values);
    for (const [key, link] of Object.entries(cellButtons)) {
      const current = key === `${cell.data}.${cell.size}`;
      link.parentElement.classList.toggle("current", current);
      if (current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    cellVerdict.textContent = t(`transfer.cell.${cell.data}.${cell.size}`);
  }

  /** The live comparison: each strategy at the same evaluated step, and borrowed features against scratch. */
  function drawVerdict() {
    const done = runs.map((run) => run.metrics);
    const step = done[0]?.step;
    if (!runs.length || done.some((m) => !m) || done.some((m) => m.step !== step)) {
      verdict.textContent = t("transfer.verdictWait");
      return;
    }
    if (step === 0) {
      verdict.textContent = t("transfer.verdictStart");
      return;
    }
    const by = Object.fromEntries(runs.map((run) => [run.strategy, run.metrics.valAccuracy]));
    const best = runs.reduce((a, b) => (b.metrics.valAccuracy > a.metrics.valAccuracy ? b : a));
    const parts = [t("transfer.verdictBest", { step, name: t(`transfer.strategy.${best.strategy}`), acc: pct(best.metrics.valAccuracy) })];
    if (by.scratch !== undefined && by.frozen !== undefined) {
      const diff = 100 * (by.frozen - by.scratch);
      const margin = 100 * accuracyMargin((by.frozen + by.scratch) / 2, valCount);
      const key = Math.abs(diff) <= margin ? "transfer.verdictTie" : diff > 0 ? "transfer.verdictHelps" : "transfer.verdictHurts";
      parts.push(t(key, { diff: signed(diff), margin: margin.toFixed(1), n: valCount }));
    }
    verdict.textContent = parts.join(" ");
  }

  function drawLayers() {
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
  function announce() {
    if (!runs.length || runs.some((run) => !run.metrics || !(run.metrics.step > 0))) return;
    live.update(progressText({
      step: runs[0].metrics.step,
      runs: runs.map((run) => ({ name: t(`transfer.strategy.${run.strategy}`), trainAccuracy: run.metrics.trainAccuracy, valAccuracy: run.metrics.valAccuracy })),
    }));
  }

  // ---- downloads ------------------------------------------------------------
  function curvesCsv() {
    const steps = [...new Set(runs.flatMap((run) => Array.from(run.curves?.steps ?? [])))].sort((a, b) => a - b);
    const columns = { step: steps };
    for (const run of runs) {
      const at = new Map(Array.from(run.curves?.steps ?? [], (s, i) => [s, run.curves.valAccuracy[i]]));
      columns[`${run.strategy}_val_accuracy`] = steps.map((s) => (at.has(s) ? at.get(s) : ""));
    }
    return csvFromColumns(columns);
  }

  function runJson() {
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
  function showMode(mode) {
    engineNote.hidden = mode !== "main";
    engineNote.textContent = t("kit.mainThread");
    section.dataset.engine = mode;
  }

  function syncInputs() {
    fields.sync(values);
    for (const s of STRATEGIES) boxes[s].checked = values.on.includes(s);
  }

  async function changed(name, value) {
    if (name === "on" && !value.length) {
      syncInputs();
      showError(t("transfer.noStrategy"));
      return;
    }
    const previous = { ...values, on: [...values.on] };
    values[name] = value;
    if (name === "show" || name === "speed") {
      save();
      drawLayers();
      return;
    }
    await form.apply(name, previous);
  }

  syncInputs();
  translateTree(root);
  form.onLanguage(() => {
    showMode(host.mode);
    layerStack.redraw();
    draw(true);
  });
  const ready = rebuild().then((result) => {
    if (result.error === undefined) return;
    loading.hidden = true;
    loading.removeAttribute("data-state");
    showError(result.error);
  });

  let closed = null;
  return {
    destroy() {
      if (destroyed) return;
      destroyed = true;
      generation++;
      runner.destroy();
      player.destroy();
      chart.destroy();
      layerStack.destroy();
      for (const d of downloads) d.destroy();
      live.destroy?.();
      for (const u of unsubs) u();
      form.destroy();
      for (const run of runs) if (run.handle !== null) host.free(run.handle);
      runs = [];
      closed = host.close();
    },
    saveState: save,
    ready,
    debug: {
      values,
      runner,
      host,
      get runs() { return runs.map((run) => ({ strategy: run.strategy, handle: run.handle, steps: run.steps, frozen: run.frozen, rates: run.rates, metrics: run.metrics })); },
      /** Every parameter block of a strategy's network (copies), read from the engine. */
      async weights(strategy) {
        const run = runs.find((r) => r.strategy === strategy);
        if (!run) throw new Error(`no run of ${strategy}`);
        return (await host.command(run.handle, "weights", [])).result;
      },
      get closed() { return closed; },
    },
  };
}
