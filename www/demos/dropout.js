// Dropout, one forward pass at a time: a small network whose hidden units
// are dropped afresh on every pass, the three test-time scalings side by
// side, and dropout as an ensemble (the average over K masks approaches
// the scaled network as K grows).
import { h, uniquePrefix } from "../ui/dom.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { createRunner } from "../ui/runner.js";
import { createPlayerPart } from "../ui/player.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { pct } from "../ui/net-common.js";
import { pairSeries } from "../ui/trainer-curves.js";
import { createFields } from "../ui/parts/controls.js";
import { createMaskDrawing } from "../ui/parts/mask-drawing.js";
import { createGapChart } from "../ui/parts/gap-chart.js";
import { createScalingTable } from "../ui/parts/scaling-table.js";
import { createPairCurves } from "../ui/parts/pair-curves.js";
import { createDownloads, trainerColumns } from "../ui/parts/downloads.js";
import { createEngineHost, installCreated, HostRestarted } from "../workers/client.js";

export const id = "dropout";

export const params = {
  p: { type: "number", min: 0.05, max: 0.9, default: 0.5 },
  width: { type: "number", integer: true, min: 2, max: 12, default: 8 },
  k: { type: "number", integer: true, min: 10, max: 2000, default: 300 },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  op: { type: "number", min: 0.05, max: 0.9, default: 0.7 },
  speed: { type: "number", integer: true, min: 1, max: 50, default: 5 },
};

const PLAIN_COLOR = "#d62728";
const DROP_COLOR = "#1f77b4";

/**
 * The overfitting pair: few, very noisy spiral points (75 train, 75
 * validation), a wide net with two hidden layers, full-batch SGD, with
 * dropout `p` or none. Noisy enough that memorising is the only way to fit
 * the training half, so dropout narrows the gap on every seed tried (the
 * lesson test checks seeds 1–3).
 */
export function overfitConfig(values, p) {
  return {
    dataset: { kind: "spiral", classes: 3, pointsPerClass: 50, noise: 0.6, seed: values.seed },
    validationSplit: 0.5, hidden: [128, 128], dropout: p, l2: 0,
    optimizer: { kind: "sgd", lr: 0.3 }, batchSize: 75, seed: values.seed,
  };
}

/** The point whose scores the test-time table and the ensemble chart follow. */
export const INPUT = [0.4, -0.3];

/** The small net of the mask drawing and the test-time table ("inverted" or "original" dropout). */
export function maskConfig(values, mode) {
  return {
    dataset: { kind: "blobs", classes: 2, pointsPerClass: 20, noise: 0.3, seed: values.seed },
    hidden: [values.width], dropout: values.p, dropoutMode: mode, seed: values.seed,
    optimizer: { kind: "sgd", lr: 0.5 }, batchSize: 40,
  };
}

/** Steps the mask net trains before the table is filled. */
export const MASK_NET_STEPS = 50;

/** The three test-time cases: the case's key, the net, the scaling at test time. */
const SCALING_CASES = [
  ["drop.caseInverted", "inverted", "none"],
  ["drop.caseLecture", "original", "keep"],
  ["drop.caseForgot", "original", "none"],
];

/**
 * Mounts the view: the mask drawing, the ensemble chart and the test-time
 * table over a small net on the page (rebuilt when p or K changes; a few
 * milliseconds, on a change only), and the overfitting pair trained in the
 * engine host's worker (on the page when no worker starts). Returns
 * {destroy, saveState, ready, debug}.
 */
export function mount(root, ctx) {
  const demo = {
    ctx, engine: ctx.engine, values: { ...ctx.values }, prefix: uniquePrefix("dropout"),
    destroyed: false, nets: null, unsubs: [],
    // The pair in the host: {plain, drop}, each {handle, info, steps, report, curves} as the last answer brought.
    host: null, fit: null, fitFrame: 0, generation: 0, building: null, closed: null, chartsDue: false,
    // What the pictures last showed, for the JSON record.
    shown: { gaps: [], mask: [], table: [] },
  };
  demo.host = createEngineHost({ engine: ctx.engine, useWorker: ctx.worker !== false, onLost: () => buildFit(demo) });
  demo.parts = createParts(demo);
  demo.live = attachLiveRegion(root);
  const section = layout(demo);
  root.append(section);
  demo.downloads = createDropoutDownloads(demo);
  // Under the training pair's charts, whose curves the CSV holds.
  demo.parts.pair.verdict.after(demo.downloads.element);
  demo.parts.fields.sync(demo.values);
  buildNets(demo);
  translateTree(root);
  // Train only while the demo's section is on screen.
  demo.runner.observe(section);
  refresh(demo);
  const ready = buildFit(demo);
  demo.unsubs.push(onLanguageChange(() => {
    translateTree(root);
    writePassInfo(demo);
    writeGapInfo(demo);
    if (demo.fit) writeFit(demo);
  }));
  return {
    destroy: () => destroy(demo),
    saveState: () => ctx.save(demo.values),
    ready,
    // For tests: the values, the player, the engine host, what the downloads are made from, and
    // the pair as the page last saw it ({steps, evalSteps(), evalHistory(name)}, as a Trainer answers).
    debug: {
      values: demo.values,
      player: { runner: demo.runner, start: () => demo.runner.play(), stop: () => demo.runner.pause(), get playing() { return demo.runner.playing; } },
      host: demo.host,
      downloads: demo.downloads,
      get fit() { return demo.fit ? { plain: runView(demo.fit.plain), drop: runView(demo.fit.drop) } : null; },
      get gaps() { return demo.shown.gaps; },
      get closed() { return demo.closed; },
    },
  };
}

function createParts(demo) {
  const { values, ctx, prefix } = demo;
  const error = h("p", { class: "field-error", role: "alert" });
  const fields = createFields({
    table: params, prefix,
    onChange: (name, value) => changed(demo, name, value),
    onInvalid: (message) => showError(demo, message),
  });
  demo.runner = createRunner({
    speed: values.speed,
    // The steps run in the worker; the page only draws what it answers.
    budgeted: false,
    advance: (steps, info) => advance(demo, steps, info),
    draw: () => drawFrame(demo),
    cancel: () => demo.host.cancel(),
    reset: () => buildFit(demo),
  });
  const player = createPlayerPart(demo.runner, { speed: values.speed, maxSpeed: params.speed.max, onSpeed: (s) => { values.speed = s; ctx.save(values); } });
  return {
    error, fields, player,
    drawing: createMaskDrawing({ labelKey: "drop.drawingLabel" }),
    passButton: h("button", { type: "button", class: "primary", "data-i18n": "drop.pass", onclick: () => pass(demo) }),
    passInfo: h("p", { class: "hint", "aria-live": "polite" }),
    gap: createGapChart({ labelKey: "drop.gapChartLabel", axisKey: "drop.gapAxis" }),
    gapInfo: h("p", { class: "hint" }),
    table: createScalingTable(),
    pair: createPairCurves({
      className: "drop-fit",
      legend: [{ swatch: "bn-plain-swatch", key: "drop.fitPlain" }, { swatch: "bn-norm-swatch", key: "drop.fitDrop" }, { swatch: "bn-dashed-swatch", key: "drop.fitDashed" }],
      titleKeys: { loss: "drop.fitLoss", accuracy: "drop.fitAcc" },
      labelKeys: { loss: "drop.fitLossLabel", accuracy: "drop.fitAccLabel" },
      minX: 300,
      verdictClass: "drop-fit-verdict",
    }),
  };
}

function layout(demo) {
  const { parts, prefix } = demo;
  const { fields } = parts;
  const section = h("section", { class: "demo net dropout", "aria-labelledby": `${prefix}-title` },
    h("h2", { id: `${prefix}-title`, "data-i18n": "drop.title" }),
    h("p", { class: "intro", "data-i18n": "drop.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        parts.drawing.element,
        h("div", { class: "player" }, parts.passButton),
        parts.passInfo,
        h("p", { class: "chart-title", "data-i18n": "drop.ensembleTitle" }),
        parts.gap.element, parts.gapInfo),
      h("div", { class: "side" },
        h("div", { class: "panel" },
          h("div", { class: "hyper" }, fields.number("p", "net.dropout"), fields.number("k", "drop.kMax")),
          h("p", { class: "hint", "data-i18n": "net.dropoutHint" }),
          parts.error),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "drop.testTitle" }),
          h("p", { class: "hint", "data-i18n": "drop.testIntro" }),
          parts.table.element))),
    h("div", { class: "stage drop-fit-stage" },
      h("h3", { "data-i18n": "drop.fitTitle" }),
      h("p", { class: "hint", "data-i18n": "drop.fitIntro" }),
      h("div", { class: "hyper" }, fields.number("op", "drop.fitP")),
      parts.player.element,
      ...parts.pair.nodes));
  // Number boxes step as the lecture's values do (the arrow keys).
  for (const [name, step] of [["p", "0.05"], ["k", "10"], ["op", "0.05"]]) fields.input(name).step = step;
  return section;
}

function showError(demo, message) {
  demo.parts.error.textContent = message;
  if (message) demo.ctx.notify(message);
}

/** A field changed: p and K rebuild the mask net, the pair's p rebuilds the pair. */
async function changed(demo, name, value) {
  const { values, parts } = demo;
  const old = values[name];
  values[name] = value;
  if (name === "op") {
    const wasPlaying = demo.runner.playing;
    demo.runner.pause();
    const result = await buildFit(demo);
    if (result.stale) return;
    if (result.error !== undefined) { values[name] = old; parts.fields.invalid(name); return; }
    demo.ctx.save(values);
    if (wasPlaying) demo.runner.play();
    return;
  }
  if (!buildNets(demo)) { values[name] = old; parts.fields.invalid(name); return; }
  refresh(demo);
  demo.ctx.save(values);
}

// ---- the mask net: drawing, test-time table, ensemble chart ---------------
/** Both mask nets ("inverted" and "original" dropout), trained a little; false if refused. */
function buildNets(demo) {
  const { engine, values } = demo;
  let inverted = null;
  try {
    inverted = new engine.Trainer(maskConfig(values, "inverted"));
    const fresh = { inverted, original: new engine.Trainer(maskConfig(values, "original")) };
    for (const tr of Object.values(fresh)) tr.train(MASK_NET_STEPS);
    demo.nets?.inverted.free();
    demo.nets?.original.free();
    demo.nets = fresh;
    demo.parts.error.textContent = "";
    return true;
  } catch (e) {
    inverted?.free();
    showError(demo, e.message);
    return false;
  }
}

function refresh(demo) {
  if (!demo.nets) return;
  pass(demo);
  fillTable(demo);
  drawGap(demo);
}

/** One training pass of the input: a fresh mask, drawn. */
function pass(demo) {
  if (!demo.nets) return;
  demo.nets.inverted.forwardTrain(Float64Array.from(INPUT));
  demo.shown.mask = Array.from(demo.nets.inverted.dropoutMask(0));
  demo.parts.drawing.draw(demo.shown.mask);
  writePassInfo(demo);
}

function writePassInfo(demo) {
  const mask = demo.shown.mask;
  if (!mask.length) return;
  const kept = mask.filter((m) => m === 1).length;
  demo.parts.passInfo.textContent = t("drop.passInfo", { kept, total: mask.length, keep: (1 - demo.values.p).toFixed(2) });
}

/** Mean of `count` training passes' scores: the expectation the test output should match. */
function trainMean(trainer, count = 4000) {
  const rows = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) rows.set(INPUT, 2 * i);
  const scores = trainer.forwardTrain(rows);
  const mean = [0, 0];
  for (let i = 0; i < count; i++) { mean[0] += scores[2 * i] / count; mean[1] += scores[2 * i + 1] / count; }
  return mean;
}

function fillTable(demo) {
  const x = Float64Array.from(INPUT);
  const rows = SCALING_CASES.map(([key, net, scaling]) => {
    const trainer = demo.nets[net];
    const expected = trainMean(trainer)[0];
    const test = trainer.forwardEval(x, scaling)[0];
    const matches = Math.abs(test - expected) < 0.05 * Math.max(1, Math.abs(expected));
    return { key, scaling, expected, test, matches };
  });
  demo.parts.table.update(rows);
  demo.shown.table = rows.map(({ key, scaling, expected, test, matches }) =>
    ({ case: key.slice("drop.case".length).toLowerCase(), scaling, expected, test, matches }));
}

function drawGap(demo) {
  demo.shown.gaps = Array.from(demo.nets.inverted.ensembleGap(Float64Array.from(INPUT), demo.values.k));
  demo.parts.gap.update(demo.shown.gaps);
  writeGapInfo(demo);
}

function writeGapInfo(demo) {
  const gaps = demo.shown.gaps;
  if (!gaps.length) return;
  demo.parts.gapInfo.textContent = t("drop.gapInfo", { first: gaps[0].toPrecision(3), k: gaps.length, last: gaps[gaps.length - 1].toPrecision(3) });
}

// ---- training with and without dropout on a set made to overfit -------
/** What each answer brings: the evaluation (the numbers under the charts), and the curves when `charts`. */
const fitRequest = (charts) => ({ evaluate: "always", report: true, curves: charts });

/** Keeps what a snapshot brought (a snapshot carries only what was asked). */
function absorb(run, s) {
  run.steps = s.steps;
  for (const key of ["report", "curves"]) if (s[key]) run[key] = s[key];
  return run;
}

/** A run as the page last saw it, read the way a Trainer is (the curves and downloads helpers take either). */
function runView(run) {
  const none = new Float64Array(0);
  return { get steps() { return run.steps; }, evalSteps: () => run.curves?.steps ?? none, evalHistory: (which) => run.curves?.[which] ?? none };
}

/**
 * Builds the pair of `values` in the host. Resolves to {ok}, {stale} (a
 * newer build started, or the demo is gone) or {error} (the engine refused a
 * setting: the old pair is kept and the message shown).
 */
function buildFit(demo) {
  const gen = ++demo.generation;
  const { host, values } = demo;
  // A run in flight stops after its current step.
  if (host.busy) host.cancel();
  const made = [
    host.create("Trainer", { config: overfitConfig(values, null) }, fitRequest(true)),
    host.create("Trainer", { config: overfitConfig(values, values.op) }, fitRequest(true)),
  ];
  const current = () => gen === demo.generation && !demo.destroyed;
  const promise = installCreated(host, made, current, (fresh) => installFit(demo, fresh)).then((result) => {
    if (result.error) showError(demo, result.error);
    return result;
  });
  demo.building = promise;
  promise.finally(() => { if (demo.building === promise) demo.building = null; });
  return promise;
}

function installFit(demo, fresh) {
  showError(demo, "");
  freeFit(demo);
  const [plain, drop] = fresh.map((f) => absorb({ handle: f.handle, info: f.info, steps: 0 }, f.snapshot));
  demo.fit = { plain, drop };
  drawFit(demo);
}

function freeFit(demo) {
  if (demo.fit) for (const run of [demo.fit.plain, demo.fit.drop]) demo.host.free(run.handle);
  demo.fit = null;
}

/**
 * One request a frame: `steps` steps of both runs, then their evaluations;
 * the curves on every fourth answer (and after Step), as the charts redraw.
 */
async function advance(demo, steps, { budgetMs, single, shown }) {
  if (demo.building) await demo.building;
  if (demo.destroyed || !demo.fit) return false;
  const gen = demo.generation;
  const runs = [demo.fit.plain, demo.fit.drop];
  demo.fitFrame++;
  const charts = single || demo.fitFrame % 4 === 0;
  try {
    const answer = await demo.host.run(runs.map((run) => run.handle), steps, { budgetMs, snapshot: fitRequest(charts) });
    // After Pause the page shows no more progress: the last steps show with the next Play or Step.
    if (gen !== demo.generation || demo.destroyed || !shown()) return true;
    answer.snapshots.forEach((s, i) => absorb(runs[i], s));
    demo.chartsDue ||= charts;
  } catch (e) {
    if (e instanceof HostRestarted || gen !== demo.generation || demo.destroyed) return true;
    showError(demo, e.message);
    return false;
  }
  return true;
}

/** The runner's draw: the numbers after every answer, the charts when curves came. */
function drawFrame(demo) {
  if (demo.destroyed || !demo.fit) return;
  if (!demo.chartsDue) {
    writeFit(demo);
    return;
  }
  demo.chartsDue = false;
  drawFit(demo);
}

function drawFit(demo) {
  const { fit } = demo;
  if (!fit) return;
  demo.parts.pair.update(pairSeries([[runView(fit.plain), PLAIN_COLOR], [runView(fit.drop), DROP_COLOR]]));
  writeFit(demo);
}

/** One run's metrics line. */
function fitLine(key, r) {
  return `${t(key)}: ${t("drop.fitMetrics", {
    step: r.step, train: pct(r.trainAccuracy), val: pct(r.valAccuracy), trainLoss: r.trainLoss.toFixed(3), valLoss: r.valLoss.toFixed(3),
    gap: (100 * (r.trainAccuracy - r.valAccuracy)).toFixed(1),
  })}`;
}

function writeFit(demo) {
  const a = demo.fit.plain.report;
  const b = demo.fit.drop.report;
  if (a.step > 0) {
    demo.live.update(progressText({ step: a.step, runs: [{ ...a, loss: a.trainLoss, name: t("drop.fitPlain") }, { ...b, loss: b.trainLoss, name: t("drop.fitDrop") }] }));
  }
  const verdict = a.step === 0 ? t("drop.fitPress") : t("drop.fitVerdict", {
    plainGap: (a.valLoss - a.trainLoss).toFixed(2), dropGap: (b.valLoss - b.trainLoss).toFixed(2),
    plainTrain: a.trainLoss.toFixed(3), dropTrain: b.trainLoss.toFixed(3),
  });
  demo.parts.pair.say(fitLine("drop.fitPlain", a), fitLine("drop.fitDrop", b), verdict);
}

// ---- downloads and teardown ------------------------------------------------
function createDropoutDownloads(demo) {
  const { values, parts, shown } = demo;
  return createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.network", name: "network", canvas: () => parts.drawing.element },
      { show: "download.show.ensembleChart", name: "ensemble", canvas: () => parts.gap.element },
      { show: "download.show.lossChart", name: "loss", canvas: () => parts.pair.loss.element },
      { show: "download.show.accChart", name: "accuracy", canvas: () => parts.pair.accuracy.element },
    ],
    curves: [
      { show: "download.show.curves", name: "curves", columns: () => (demo.fit ? trainerColumns({ plain: runView(demo.fit.plain), dropout: runView(demo.fit.drop) }) : {}) },
      { show: "download.show.ensembleCurve", name: "ensemble", columns: () => ({ k: shown.gaps.map((_, i) => i + 1), gap: shown.gaps }) },
    ],
    run: () => ({
      config: {
        maskNet: { inverted: maskConfig(values, "inverted"), original: maskConfig(values, "original"), steps: MASK_NET_STEPS },
        overfit: { plain: overfitConfig(values, null), dropout: overfitConfig(values, values.op) },
        input: INPUT,
      },
      results: {
        mask: shown.mask,
        testTime: shown.table,
        ensembleGap: shown.gaps,
        // The last evaluation the page showed (after Step: of the step shown).
        fit: demo.fit ? { plain: demo.fit.plain.report, dropout: demo.fit.drop.report } : null,
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
  for (const part of ["drawing", "gap", "table", "pair"]) demo.parts[part].destroy();
  for (const u of demo.unsubs) u();
  demo.generation++;
  freeFit(demo);
  demo.closed = demo.host.close();
  demo.closed.catch(() => {});
  demo.nets?.inverted.free();
  demo.nets?.original.free();
  demo.nets = null;
}
