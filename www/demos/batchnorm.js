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
import { createEngineHost, HostRestarted } from "../workers/client.js";

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
 * Mounts the view: four Trainers in the engine host's worker (the histogram
 * pair, plain and batch norm, at the chosen settings; the race pair at the
 * high learning rate; on the page when no worker starts). Returns {destroy,
 * saveState, ready, debug}.
 */
export function mount(root, ctx) {
  const demo = {
    ctx, values: { ...ctx.values }, prefix: uniquePrefix("bn"), destroyed: false, frame: 0, unsubs: [],
    host: null, generation: 0, building: null, closed: null, evaluated: false,
    // Runs in the host ({handle, info, steps, report, curves, layer, points}): the histogram
    // pair (norm is null while the engine refuses the batch size) and the race pair.
    pair: { plain: null, norm: null, refusal: "" },
    race: { plain: null, norm: null },
    // What the histograms and tables show: the pair's last training batch.
    snap: null,
    modes: null,
  };
  demo.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onLost: () => rebuild(demo) });
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
  const ready = rebuild(demo).then(async (result) => {
    if (result.error === undefined) return;
    for (const [name, spec] of Object.entries(params)) demo.values[name] = spec.default;
    demo.parts.fields.sync(demo.values);
    await rebuild(demo);
  });
  demo.unsubs.push(onLanguageChange(() => { translateTree(root); renderAll(demo); }));
  return {
    destroy: () => destroy(demo),
    saveState: () => ctx.save(demo.values),
    ready,
    // For tests: the values, the player, the engine host, the race's runs as the page last saw
    // them ({steps, evalSteps(), evalHistory(name)}, as a Trainer answers) and the downloads.
    debug: {
      values: demo.values,
      player: { runner: demo.runner, start: () => demo.runner.play(), stop: () => demo.runner.pause(), get playing() { return demo.runner.playing; } },
      host: demo.host,
      downloads: demo.downloads,
      get race() { return { plain: runView(demo.race.plain), norm: runView(demo.race.norm) }; },
      get closed() { return demo.closed; },
    },
  };
}

function createParts(demo) {
  const { values, ctx, prefix } = demo;
  demo.runner = createRunner({
    speed: values.speed,
    // The steps run in the worker; the page only draws what it answers.
    budgeted: false,
    advance: (steps, info) => advance(demo, steps, info),
    draw: () => drawFrame(demo),
    cancel: () => demo.host.cancel(),
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
    modes: createModePanel({ onCompare: () => compareModes(demo) }),
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
async function changed(demo, name, value) {
  const { values, parts, runner } = demo;
  const previous = values[name];
  values[name] = value;
  if (name === "layer") {
    parts.fields.sync(values);
    refreshLayer(demo);
    demo.ctx.save(values);
    return;
  }
  const wasPlaying = runner.playing;
  runner.pause();
  const result = await rebuild(demo);
  if (result.stale) return;
  if (result.error !== undefined) {
    values[name] = previous;
    parts.fields.invalid(name);
    return;
  }
  parts.fields.sync(values);
  demo.ctx.save(values);
  if (wasPlaying) runner.play();
}

// ---- runs in the engine host ------------------------------------------
function freeAll(demo) {
  for (const run of runsOf(demo)) if (run) demo.host.free(run.handle);
  demo.pair = { plain: null, norm: null, refusal: "" };
  demo.race = { plain: null, norm: null };
}

const runsOf = (demo) => [demo.pair.plain, demo.pair.norm, demo.race.plain, demo.race.norm];
const isPairRun = (demo, run) => run === demo.pair.plain || run === demo.pair.norm;

/** Keeps what a snapshot brought (a snapshot carries only what was asked). */
function absorb(run, s) {
  run.steps = s.steps;
  for (const key of ["report", "curves", "layer", "points"]) if (s[key]) run[key] = s[key];
  return run;
}

/** A run as the page last saw it, read the way a Trainer is (the curves and downloads helpers take either). */
function runView(run) {
  if (!run) return null;
  const none = new Float32Array(0);
  return { get steps() { return run.steps; }, evalSteps: () => run.curves?.steps ?? none, evalHistory: (which) => run.curves?.[which] ?? none };
}

/**
 * Builds the four runs of `values` in the host. Resolves to {ok}, {stale} (a
 * newer rebuild started) or {error} (the engine refused a setting: the old
 * runs are kept). Batch norm alone refusing (batch size 1) is not an error:
 * the plain runs still train and the refusal is shown in its place.
 */
function rebuild(demo) {
  const gen = ++demo.generation;
  const { host, values } = demo;
  // A run in flight stops after its current step (a few milliseconds at most).
  if (host.busy) host.cancel();
  const first = { evaluate: "always", report: true, curves: true, layer: { index: values.layer - 1 } };
  const made = [
    host.create("Trainer", { config: bnConfig(values, false) }, first),
    host.create("Trainer", { config: bnConfig(values, true) }, { ...first, points: true }),
    host.create("Trainer", { config: bnConfig(values, false, true) }, first),
    host.create("Trainer", { config: bnConfig(values, true, true) }, first),
  ];
  const promise = Promise.allSettled(made).then((results) => {
    const fresh = results.map((r) => (r.status === "fulfilled" ? r.value : null));
    const normRefusal = results[1].status === "rejected" && !(results[1].reason instanceof HostRestarted) ? results[1].reason.message : "";
    const refused = results.find((r, i) => r.status === "rejected" && (i !== 1 || !normRefusal));
    const current = gen === demo.generation && !demo.destroyed;
    if (!current || refused) {
      for (const f of fresh) if (f) host.free(f.handle);
      if (!current) return { stale: true };
      const error = refused.reason instanceof HostRestarted ? "" : refused.reason.message;
      if (error) showError(demo, error);
      return { error };
    }
    install(demo, fresh, normRefusal);
    return { ok: true };
  });
  demo.building = promise;
  promise.finally(() => { if (demo.building === promise) demo.building = null; });
  return promise;
}

function install(demo, fresh, refusal) {
  showError(demo, "");
  freeAll(demo);
  const run = (f) => (f ? absorb({ handle: f.handle, info: f.info, steps: 0 }, f.snapshot) : null);
  demo.pair = { plain: run(fresh[0]), norm: run(fresh[1]), refusal };
  demo.race = { plain: run(fresh[2]), norm: run(fresh[3]) };
  demo.modes = null;
  takeSnapshot(demo);
  renderAll(demo);
  compareModes(demo);
}

/** One request a frame: `steps` steps of all four runs, then what the next picture needs. */
async function advance(demo, steps, { budgetMs, single, shown }) {
  if (demo.building) await demo.building;
  if (demo.destroyed || !demo.pair.plain) return false;
  const gen = demo.generation;
  const runs = runsOf(demo).filter(Boolean);
  demo.frame++;
  // Evaluating four nets over all their data is dearer than a step: every
  // fourth answer (and after Step) brings the evaluations and curves.
  const evaluateNow = single || demo.frame % 4 === 0;
  const index = demo.values.layer - 1;
  const request = (run) => ({
    evaluate: evaluateNow ? "always" : "never", report: evaluateNow,
    curves: evaluateNow && !isPairRun(demo, run), layer: isPairRun(demo, run) ? { index } : null,
  });
  try {
    const answer = await demo.host.run(runs.map((run) => run.handle), steps, { budgetMs, snapshot: runs.map(request) });
    // After Pause the page shows no more progress: the last steps show with the next Play or Step.
    if (gen !== demo.generation || demo.destroyed || !shown()) return true;
    answer.snapshots.forEach((s, i) => absorb(runs[i], s));
    demo.evaluated ||= evaluateNow;
    takeSnapshot(demo);
  } catch (e) {
    if (e instanceof HostRestarted || gen !== demo.generation || demo.destroyed) return true;
    showError(demo, e.message);
    return false;
  }
  // The mode comparison runs train-mode passes of its own: refresh it now and then.
  if (demo.frame % 24 === 0) compareModes(demo);
  return true;
}

/** Another layer: the pair's last batch at that layer, from the host. */
function refreshLayer(demo) {
  const gen = demo.generation;
  const runs = [demo.pair.plain, demo.pair.norm].filter(Boolean);
  const request = { layer: { index: demo.values.layer - 1 } };
  Promise.all(runs.map((run) => demo.host.snapshot(run.handle, request))).then((shots) => {
    if (gen !== demo.generation || demo.destroyed) return;
    shots.forEach((s, i) => absorb(runs[i], s));
    takeSnapshot(demo);
    renderAll(demo);
  }, (e) => {
    if (!(e instanceof HostRestarted) && gen === demo.generation && !demo.destroyed) showError(demo, e.message);
  });
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
  const { pair } = demo;
  const norm = pair.norm?.layer ?? null;
  const snap = {
    steps: pair.plain.steps,
    plain: pair.plain.layer.preActivations,
    before: norm ? norm.denseOutputs : null,
    after: norm ? norm.preActivations : null,
    stats: norm ? norm.batchNormStats : null,
  };
  if (snap.before && snap.stats) snap.xhat = normalised(snap.before, snap.stats, HIDDEN[norm.index]);
  demo.snap = snap;
}

// ---- drawing --------------------------------------------------------
/** The runner's draw: histograms every answer; tables, race and metrics when evaluations came. */
function drawFrame(demo) {
  if (demo.destroyed || !demo.snap) return;
  drawHist(demo);
  if (!demo.evaluated) return;
  demo.evaluated = false;
  renderStats(demo);
  drawRace(demo);
  writeMetrics(demo);
}

function drawHist(demo) {
  if (demo.destroyed || !demo.snap) return;
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

const metricsLine = (run) => (run?.report ? metricsText(run.report) : "");

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
  const rp = race.plain.report;
  const rn = race.norm.report;
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
  const batch = pair.norm.layer.batchSize;
  const two = batch === 2;
  const vars = { batch, share: pct(near / snap.xhat.length), mean: fmt(s.mean), std: fmt(s.std) };
  parts.batchNote.say(t(two ? "bn.batchTwo" : "bn.batchN", vars), two);
}

function renderStats(demo) {
  const { pair, snap, values } = demo;
  if (!pair.norm) {
    demo.parts.stats.update(null, `${t("bn.refused")} ${pair.refusal}`);
    return;
  }
  const stats = snap?.stats;
  if (!stats) return;
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

/**
 * One point through the batch-norm net: in two different batches (train
 * mode) and alone (eval mode), asked of the host; the table shows the answer.
 */
function compareModes(demo) {
  const net = demo.pair.norm;
  if (!net) {
    demo.modes = null;
    renderModes(demo);
    return;
  }
  const pts = net.points.train;
  const count = pts.length / 2;
  const size = Math.max(2, Math.min(net.layer.batchSize, count));
  const point = [pts[0], pts[1]];
  const passes = [
    { mode: "train", inputs: batchAround(pts, point, size, 0) },
    { mode: "train", inputs: batchAround(pts, point, size, Math.floor((count - 1) / 2)) },
    { mode: "eval", inputs: Float64Array.from(point) },
  ];
  const gen = demo.generation;
  demo.host.command(net.handle, "forward", [passes], {}).then(({ result, snapshot }) => {
    if (gen !== demo.generation || demo.destroyed || demo.pair.norm !== net) return;
    const first = (scores) => Array.from(scores.slice(0, net.info.classes));
    demo.modes = { point, size, a: first(result[0]), b: first(result[1]), eval: first(result[2]), steps: snapshot.steps };
    renderModes(demo);
  }, (e) => {
    if (!(e instanceof HostRestarted) && gen === demo.generation && !demo.destroyed) showError(demo, e.message);
  });
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
  demo.parts.race.update(pairSeries([[runView(race.plain), PLAIN_COLOR], [runView(race.norm), BN_COLOR]], { valLoss: false }));
}

function renderAll(demo) {
  if (demo.destroyed || !demo.pair.plain || !demo.snap) return;
  drawHist(demo);
  renderStats(demo);
  renderModes(demo);
  drawRace(demo);
  writeMetrics(demo);
}

// ---- downloads and teardown ------------------------------------------------
function createBnDownloads(demo) {
  const { values, parts } = demo;
  // The last evaluation the page showed (after Step: of the step shown).
  const result = (run) => run?.report ?? null;
  return createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.histPlain", name: "histogram-plain", canvas: () => parts.hist.plain.canvas },
      { show: "download.show.histNorm", name: "histogram-bn", canvas: () => parts.hist.norm.canvas },
      { show: "download.show.lossChart", name: "loss", canvas: () => parts.race.loss.element },
      { show: "download.show.accChart", name: "accuracy", canvas: () => parts.race.accuracy.element },
    ],
    curves: [{ show: "download.show.curves", name: "curves", columns: () => trainerColumns({ plain: runView(demo.race.plain), batchNorm: runView(demo.race.norm) }) }],
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
  if (demo.destroyed) return;
  demo.destroyed = true;
  demo.runner.destroy();
  demo.parts.player.destroy();
  demo.live.destroy();
  demo.downloads.destroy();
  const { hist, stats, modes, batchNote, race } = demo.parts;
  for (const part of [hist.plain, hist.norm, stats, modes, batchNote, race]) part.destroy();
  for (const u of demo.unsubs) u();
  demo.generation++;
  freeAll(demo);
  demo.closed = demo.host.close();
  demo.closed.catch(() => {});
}
