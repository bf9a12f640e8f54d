// Batch normalization, seen from inside: the same deep network trained with
// and without it from one seed — histograms of a hidden layer's activation
// inputs, the layer's batch statistics against its running averages, train
// mode against eval mode on one point, what batches of 1 and 2 do, and the
// loss curves of both at a learning rate the plain network cannot take.
import { h, uniquePrefix } from "../ui/dom.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { pct, short as fmt } from "../ui/net-common.js";
import { summary, robustRange } from "../ui/net-lines.js";
import { pairSeries } from "../ui/trainer-curves.js";
import { createFields } from "../ui/parts/controls.js";
import { createHistogramPanel } from "../ui/parts/histogram-panel.js";
import { createBatchStatsPanel } from "../ui/parts/batch-stats-panel.js";
import { createModePanel } from "../ui/parts/mode-panel.js";
import { createBatchNote } from "../ui/parts/batch-note.js";
import { createPairCurves } from "../ui/parts/pair-curves.js";
import { createDownloads, trainerColumns } from "../ui/parts/downloads.js";

export const id = "batchnorm";

const HIDDEN = [64, 64, 64];
const INITS = ["small", "xavier", "he"];
/** Batch of the high-learning-rate race (the batch-size control is for the first pair). */
const RACE_BATCH = 32;
/** Features listed in the statistics table. */
const TABLE_FEATURES = 6;
const EPS = 1e-5;
const PLAIN_COLOR = "#d62728";
const BN_COLOR = "#1f77b4";
const BEFORE_COLOR = "#9a9a9a";

export const params = {
  init: { type: "enum", values: INITS, default: "small" },
  layer: { type: "number", integer: true, min: 1, max: HIDDEN.length, default: 2 },
  lr: { type: "number", min: 1e-4, max: 10, default: 0.1 },
  batch: { type: "number", integer: true, min: 1, max: 240, default: 32 },
  hlr: { type: "number", min: 0.01, max: 20, default: 2 },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  speed: { type: "number", integer: true, min: 1, max: 50, default: 5 },
};

/** Engine settings: `race` runs use He init, batch 32 and the high learning rate. */
export function bnConfig(values, batchNorm, race = false) {
  return {
    dataset: { kind: "spiral", classes: 3, pointsPerClass: 100, noise: 0.2, seed: values.seed },
    validationSplit: 0.2,
    hidden: HIDDEN,
    activation: "relu",
    init: race ? "he" : values.init,
    batchNorm,
    optimizer: { kind: "sgd", lr: race ? values.hlr : values.lr },
    l2: 1e-4,
    batchSize: race ? RACE_BATCH : values.batch,
    seed: values.seed,
  };
}

/**
 * Mounts the view: four Trainers on the page (the histogram pair, plain and
 * batch norm, at the chosen settings; the race pair at the high learning
 * rate), trained within the frame budget. Returns {destroy, saveState, debug}.
 */
export function mount(root, ctx) {
  const demo = {
    ctx, engine: ctx.engine, values: { ...ctx.values }, prefix: uniquePrefix("bn"), destroyed: false, frame: 0, unsubs: [],
    // Trainers: the histogram pair (norm is null while the engine refuses the batch size) and the race pair.
    pair: { plain: null, norm: null, refusal: "" },
    race: { plain: null, norm: null },
    // Copies of the last training batch, so a redraw never reads stale views.
    snap: null,
    modes: null,
  };
  demo.parts = createParts(demo);
  demo.live = attachLiveRegion(root);
  demo.downloads = createBnDownloads(demo);
  const section = layout(demo);
  root.append(section);
  // Under the race's charts, whose curves the CSV holds.
  demo.parts.race.verdict.after(demo.downloads.element);
  demo.parts.fields.sync(demo.values);
  translateTree(root);
  // Train only while the demo's section is on screen.
  demo.runner.observe(section);
  if (!rebuild(demo)) {
    for (const [name, spec] of Object.entries(params)) demo.values[name] = spec.default;
    demo.parts.fields.sync(demo.values);
    rebuild(demo);
  }
  demo.unsubs.push(onLanguageChange(() => { translateTree(root); renderAll(demo); }));
  return {
    destroy: () => destroy(demo),
    saveState: () => ctx.save(demo.values),
    // For tests: the values, the player, the race's trainers and the downloads.
    debug: {
      values: demo.values,
      player: { runner: demo.runner, start: () => demo.runner.play(), stop: () => demo.runner.pause(), get playing() { return demo.runner.playing; } },
      downloads: demo.downloads,
      get race() { return demo.race; },
    },
  };
}

function createParts(demo) {
  const { values, ctx, prefix } = demo;
  demo.runner = createRunner({
    speed: values.speed,
    // Steps and drawing in one: the frame budget counts both.
    advance: (steps) => advance(demo, steps),
    reset: () => rebuild(demo),
  });
  return {
    error: h("p", { class: "field-error", role: "alert" }),
    fields: createFields({ table: params, prefix, onChange: (name, value) => changed(demo, name, value), onInvalid: (message) => showError(demo, message) }),
    player: createPlayerPart(demo.runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; ctx.save(values); } }),
    hist: {
      plain: createHistogramPanel({ run: "plain", titleKey: "bn.withoutBn", labelKey: "bn.histLabel.plain", legend: [{ swatch: "bn-plain-swatch", key: "bn.plainInputs" }] }),
      norm: createHistogramPanel({
        run: "norm", titleKey: "bn.withBn", labelKey: "bn.histLabel.norm", refusable: true,
        legend: [{ swatch: "bn-before-swatch", key: "bn.beforeBn" }, { swatch: "bn-norm-swatch", key: "bn.afterBn" }],
      }),
    },
    histRange: h("p", { class: "hint" }),
    stats: createBatchStatsPanel({ titleKey: "bn.statsTitle", features: TABLE_FEATURES }),
    modes: createModePanel({ onCompare: () => { compareModes(demo); renderStats(demo); } }),
    batchNote: createBatchNote(),
    race: createPairCurves({
      className: "bn-race",
      legend: [{ swatch: "bn-plain-swatch", key: "bn.withoutBn" }, { swatch: "bn-norm-swatch", key: "bn.withBn" }, { swatch: "bn-dashed-swatch", key: "bn.dashedVal" }],
      titleKeys: { loss: "bn.raceLoss", accuracy: "bn.raceAcc" },
      labelKeys: { loss: "bn.raceLossLabel", accuracy: "bn.raceAccLabel" },
      minX: 200,
    }),
  };
}

function layout(demo) {
  const { parts, prefix } = demo;
  const { fields } = parts;
  return h("section", { class: "demo net batchnorm", "aria-labelledby": `${prefix}-title` },
    h("h2", { id: `${prefix}-title`, "data-i18n": "bn.title" }),
    h("p", { class: "intro", "data-i18n": "bn.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        parts.player.element,
        h("h3", { class: "bn-section", "data-i18n": "bn.histTitle" }),
        h("p", { class: "hint", "data-i18n": "bn.histIntro" }),
        h("div", { class: "net-pair two bn-pair" }, parts.hist.plain.element, parts.hist.norm.element),
        parts.histRange,
        h("h3", { class: "bn-section", "data-i18n": "bn.raceTitle" }),
        h("p", { class: "hint", "data-i18n": "bn.raceIntro" }),
        h("div", { class: "hyper" }, fields.number("hlr", "bn.hlr")),
        ...parts.race.nodes),
      h("div", { class: "side" },
        h("div", { class: "panel" },
          h("div", { class: "hyper" },
            fields.select("init", "bn.init", INITS, "bn.init"), fields.select("layer", "bn.layer", HIDDEN.map((_, i) => i + 1)),
            fields.number("lr", "hp.lr"), fields.number("seed", "net.seed")),
          h("p", { class: "hint", "data-i18n": "bn.settingsHint" }),
          parts.error),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "bn.batchTitle" }),
          h("div", { class: "hyper" }, fields.number("batch", "net.batch")),
          parts.batchNote.element),
        parts.stats.element,
        parts.modes.element)));
}

function showError(demo, message) {
  demo.parts.error.textContent = message;
  if (message) demo.ctx.notify(message);
}

/** A field changed: another layer redraws the same runs; anything else rebuilds them. */
function changed(demo, name, value) {
  const { values, parts, runner } = demo;
  const previous = values[name];
  values[name] = value;
  if (name === "layer") {
    parts.fields.sync(values);
    renderAll(demo, true);
    demo.ctx.save(values);
    return;
  }
  const wasPlaying = runner.playing;
  runner.pause();
  if (!rebuild(demo)) {
    values[name] = previous;
    parts.fields.invalid(name);
    return;
  }
  parts.fields.sync(values);
  demo.ctx.save(values);
  if (wasPlaying) runner.play();
}

// ---- trainers -------------------------------------------------------
function freeAll(demo) {
  for (const tr of trainers(demo)) tr?.free();
  demo.pair = { plain: null, norm: null, refusal: "" };
  demo.race = { plain: null, norm: null };
}

const trainers = (demo) => [demo.pair.plain, demo.pair.norm, demo.race.plain, demo.race.norm];

/** The four runs of `values`; throws (after freeing what it made) when the engine refuses one. */
function makeRuns(engine, values) {
  const made = [];
  const make = (cfg) => { const tr = new engine.Trainer(cfg); made.push(tr); return tr; };
  try {
    const pair = { plain: make(bnConfig(values, false)), norm: null, refusal: "" };
    try {
      pair.norm = make(bnConfig(values, true));
    } catch (e) {
      // Batch norm alone refuses (batch size 1): the plain run still trains.
      pair.refusal = e.message;
    }
    return { pair, race: { plain: make(bnConfig(values, false, true)), norm: make(bnConfig(values, true, true)) } };
  } catch (e) {
    for (const tr of made) tr.free();
    throw e;
  }
}

/** Builds all four runs; on a refused setting keeps the old ones and returns false. */
function rebuild(demo) {
  let runs;
  try {
    runs = makeRuns(demo.engine, demo.values);
  } catch (e) {
    showError(demo, e.message);
    return false;
  }
  showError(demo, "");
  freeAll(demo);
  demo.pair = runs.pair;
  demo.race = runs.race;
  for (const tr of trainers(demo)) tr?.train(0);
  // Snapshot first: the mode comparison runs its own train-mode batches.
  takeSnapshot(demo);
  compareModes(demo);
  renderAll(demo);
  return true;
}

function advance(demo, steps) {
  const runs = trainers(demo);
  try {
    // Training alone is cheap; evaluating four nets over all their data
    // every frame is not, so that happens on every fourth frame (and after Step).
    for (const tr of runs) tr?.run(steps);
    demo.frame++;
    const evaluateNow = !demo.runner.playing || demo.frame % 4 === 0;
    if (evaluateNow) for (const tr of runs) tr?.train(0);
    takeSnapshot(demo);
    drawHist(demo);
    if (evaluateNow) {
      renderStats(demo);
      drawRace(demo);
      writeMetrics(demo);
    }
  } catch (e) {
    showError(demo, e.message);
    return false;
  }
  // The mode comparison runs train-mode passes of its own: refresh it now and then.
  if (demo.frame % 24 === 0) compareModes(demo);
  return true;
}

/** x̂ = (x − batch mean) / √(batch variance + ε), feature by feature (rows of `width`). */
function normalised(before, stats, width) {
  const xhat = new Float32Array(before.length);
  for (let i = 0; i < xhat.length; i++) {
    const j = i % width;
    xhat[i] = (before[i] - stats.batchMean[j]) / Math.sqrt(stats.batchVar[j] + EPS);
  }
  return xhat;
}

function takeSnapshot(demo) {
  const { pair, values } = demo;
  const layer = values.layer - 1;
  const copy = (v) => Float32Array.from(v);
  const snap = {
    steps: pair.plain.steps,
    plain: copy(pair.plain.preActivations(layer)),
    before: pair.norm ? copy(pair.norm.denseOutputs(layer)) : null,
    after: pair.norm ? copy(pair.norm.preActivations(layer)) : null,
    stats: pair.norm ? pair.norm.batchNormStats(layer) : null,
  };
  if (snap.before && snap.stats) snap.xhat = normalised(snap.before, snap.stats, HIDDEN[layer]);
  demo.snap = snap;
}

// ---- drawing --------------------------------------------------------
function drawHist(demo) {
  if (demo.destroyed) return;
  if (!demo.snap) takeSnapshot(demo);
  const { snap, pair, parts, values } = demo;
  const hasData = snap.plain.length > 0;
  // The range follows what the activations see; dense outputs beyond it
  // (large before normalisation) are left out rather than piled on the edges.
  const range = hasData ? robustRange([snap.plain, snap.after ?? []]) : [-1, 1];
  const s = summary(snap.plain);
  parts.hist.plain.show({
    series: [{ values: snap.plain, color: PLAIN_COLOR }], range,
    stats: hasData ? t("bn.histStats", { mean: fmt(s.mean), std: fmt(s.std), zero: pct(s.nonPositive) }) : t("bn.noBatchYet"),
  });
  if (pair.refusal) parts.hist.norm.refuse(`${t("bn.refused")} ${pair.refusal}`);
  else {
    const inside = snap.before.filter((v) => v >= range[0] && v <= range[1]);
    const a = summary(snap.after);
    const b = summary(snap.before);
    parts.hist.norm.show({
      series: [{ values: inside, color: BEFORE_COLOR }, { values: snap.after, color: BN_COLOR }], range,
      stats: hasData ? t("bn.histStatsNorm", { mean: fmt(a.mean), std: fmt(a.std), zero: pct(a.nonPositive), beforeStd: fmt(b.std) }) : t("bn.noBatchYet"),
    });
  }
  parts.histRange.textContent = t("bn.histRange", { lo: fmt(range[0]), hi: fmt(range[1]), layer: values.layer, step: snap.steps });
  writeBatchNote(demo);
}

/** "step … · loss … · train … · validation …" of an evaluation. */
function metricsText(r) {
  return t("bn.metrics", { step: r.step, loss: fmt(r.trainLoss), train: pct(r.trainAccuracy), val: pct(r.valAccuracy) });
}

const metricsLine = (tr) => (tr ? metricsText(tr.evaluate()) : "");

/** The race's verdict from both runs' evaluations. */
function raceVerdict(rp, rn) {
  if (rp.step === 0) return t("bn.racePress");
  const diff = 100 * (rn.trainAccuracy - rp.trainAccuracy);
  const key = !Number.isFinite(rp.trainLoss) || rp.trainLoss > 1e3 ? "bn.raceDiverged" : diff > 10 ? "bn.raceAhead" : diff < -10 ? "bn.raceBehind" : "bn.raceEven";
  return t(key, { diff: Math.abs(diff).toFixed(1) });
}

function writeMetrics(demo) {
  const { pair, race, parts } = demo;
  parts.hist.plain.metrics.textContent = metricsLine(pair.plain);
  parts.hist.norm.metrics.textContent = metricsLine(pair.norm);
  const rp = race.plain.evaluate();
  const rn = race.norm.evaluate();
  parts.race.say(`${t("bn.withoutBn")}: ${metricsText(rp)}`, `${t("bn.withBn")}: ${metricsText(rn)}`, raceVerdict(rp, rn));
  if (rp.step > 0) {
    demo.live.update(progressText({ step: rp.step, runs: [{ ...rp, loss: rp.trainLoss, name: t("bn.withoutBn") }, { ...rn, loss: rn.trainLoss, name: t("bn.withBn") }] }));
  }
}

function writeBatchNote(demo) {
  const { pair, snap, parts } = demo;
  if (pair.refusal) {
    parts.batchNote.refused(t("bn.refused"), pair.refusal, t("bn.batchOneWhy"));
    return;
  }
  if (!snap?.xhat || !snap.xhat.length) {
    parts.batchNote.say(t("bn.batchHint"));
    return;
  }
  let near = 0;
  for (const v of snap.xhat) if (Math.abs(Math.abs(v) - 1) < 0.01) near++;
  const s = summary(snap.xhat);
  const two = pair.norm.batchSize === 2;
  const vars = { batch: pair.norm.batchSize, share: pct(near / snap.xhat.length), mean: fmt(s.mean), std: fmt(s.std) };
  parts.batchNote.say(t(two ? "bn.batchTwo" : "bn.batchN", vars), two);
}

function renderStats(demo) {
  const { pair, snap, values } = demo;
  if (!pair.norm) {
    demo.parts.stats.update(null, `${t("bn.refused")} ${pair.refusal}`);
    return;
  }
  const stats = snap?.stats ?? pair.norm.batchNormStats(values.layer - 1);
  demo.parts.stats.update(stats, t("bn.statsNote", {
    layer: values.layer, m: Number(stats.momentum.toFixed(3)), keep: Number((1 - stats.momentum).toFixed(3)), step: pair.norm.steps,
  }));
}

/** Rows of a training batch of `size`: `point` first, then others from `start` on (a flat x, y list). */
function batchAround(pts, point, size, start) {
  const count = pts.length / 2;
  const rows = [...point];
  for (let k = 0; k < size - 1; k++) {
    const i = 1 + ((start + k) % (count - 1));
    rows.push(pts[2 * i], pts[2 * i + 1]);
  }
  return Float64Array.from(rows);
}

/** One point through the batch-norm net: in two different batches (train mode) and alone (eval mode). */
function compareModes(demo) {
  const net = demo.pair.norm;
  demo.modes = null;
  if (!net) return renderModes(demo);
  // A copy: the view would go stale once a forward pass grows wasm memory.
  const pts = Float32Array.from(net.trainPoints());
  const count = pts.length / 2;
  const size = Math.max(2, Math.min(net.batchSize, count));
  const point = [pts[0], pts[1]];
  const first = (scores) => Array.from(scores.slice(0, net.classes));
  demo.modes = {
    point,
    size,
    a: first(net.forwardTrain(batchAround(pts, point, size, 0))),
    b: first(net.forwardTrain(batchAround(pts, point, size, Math.floor((count - 1) / 2)))),
    eval: first(net.forwardEval(Float64Array.from(point))),
    steps: net.steps,
  };
  return renderModes(demo);
}

function renderModes(demo) {
  const { modes, pair } = demo;
  if (!modes) {
    demo.parts.modes.update(null, pair.refusal ? `${t("bn.refused")} ${pair.refusal}` : "", Boolean(pair.norm));
    return;
  }
  const spread = Math.max(...modes.a.map((v, i) => Math.abs(v - modes.b[i])));
  demo.parts.modes.update(modes, t("bn.modeNote", {
    x: modes.point[0].toFixed(2), y: modes.point[1].toFixed(2), size: modes.size, step: modes.steps, spread: fmt(spread),
  }), Boolean(pair.norm));
}

function drawRace(demo) {
  const { race } = demo;
  if (demo.destroyed || !race.plain) return;
  demo.parts.race.update(pairSeries([[race.plain, PLAIN_COLOR], [race.norm, BN_COLOR]], { valLoss: false }));
}

function renderAll(demo, freshSnapshot = false) {
  if (demo.destroyed || !demo.pair.plain) return;
  if (freshSnapshot || !demo.snap) takeSnapshot(demo);
  drawHist(demo);
  renderStats(demo);
  renderModes(demo);
  drawRace(demo);
  writeMetrics(demo);
}

// ---- downloads and teardown ------------------------------------------------
function createBnDownloads(demo) {
  const { values, parts } = demo;
  const result = (tr) => (tr ? tr.evaluate() : null);
  return createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.histPlain", name: "histogram-plain", canvas: () => parts.hist.plain.canvas },
      { show: "download.show.histNorm", name: "histogram-bn", canvas: () => parts.hist.norm.canvas },
      { show: "download.show.lossChart", name: "loss", canvas: () => parts.race.loss.element },
      { show: "download.show.accChart", name: "accuracy", canvas: () => parts.race.accuracy.element },
    ],
    curves: [{ show: "download.show.curves", name: "curves", columns: () => trainerColumns({ plain: demo.race.plain, batchNorm: demo.race.norm }) }],
    run: () => ({
      config: {
        histograms: { plain: bnConfig(values, false), batchNorm: bnConfig(values, true) },
        race: { plain: bnConfig(values, false, true), batchNorm: bnConfig(values, true, true) },
      },
      results: {
        histograms: { plain: result(demo.pair.plain), batchNorm: result(demo.pair.norm), refusal: demo.pair.refusal || null },
        race: { plain: result(demo.race.plain), batchNorm: result(demo.race.norm) },
        layer: values.layer,
        batchNormStats: demo.snap?.stats ?? null,
        modes: demo.modes,
      },
    }),
    onError: (message) => demo.ctx.notify(message),
  });
}

function destroy(demo) {
  demo.destroyed = true;
  demo.runner.destroy();
  demo.parts.player.destroy();
  demo.live.destroy();
  demo.downloads.destroy();
  const { hist, stats, modes, batchNote, race } = demo.parts;
  for (const part of [hist.plain, hist.norm, stats, modes, batchNote, race]) part.destroy();
  for (const u of demo.unsubs) u();
  freeAll(demo);
}
