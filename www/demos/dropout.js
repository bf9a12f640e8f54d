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
 * table over a small net (rebuilt when p or K changes), and the overfitting
 * pair trained on the page within the frame budget. Returns {destroy, saveState, debug}.
 */
export function mount(root, ctx) {
  const demo = {
    ctx, engine: ctx.engine, values: { ...ctx.values }, prefix: uniquePrefix("dropout"),
    nets: null, fit: null, fitFrame: 0, unsubs: [],
    // What the pictures last showed, for the JSON record.
    shown: { gaps: [], mask: [], table: [] },
  };
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
  buildFit(demo);
  refresh(demo);
  demo.unsubs.push(onLanguageChange(() => {
    translateTree(root);
    writePassInfo(demo);
    writeGapInfo(demo);
    if (demo.fit) writeFit(demo);
  }));
  return {
    destroy: () => destroy(demo),
    saveState: () => ctx.save(demo.values),
    // For tests: the values, the player and what the downloads are made from.
    debug: {
      values: demo.values,
      player: { runner: demo.runner, start: () => demo.runner.play(), stop: () => demo.runner.pause(), get playing() { return demo.runner.playing; } },
      downloads: demo.downloads,
      get fit() { return demo.fit; },
      get gaps() { return demo.shown.gaps; },
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
    // Steps and drawing in one: the frame budget counts both.
    advance: (steps, { single }) => trainFit(demo, steps, single),
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
function changed(demo, name, value) {
  const { values, parts } = demo;
  const old = values[name];
  values[name] = value;
  if (name === "op") {
    const wasPlaying = demo.runner.playing;
    demo.runner.pause();
    if (!buildFit(demo)) { values[name] = old; parts.fields.invalid(name); return; }
    showError(demo, "");
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
function buildFit(demo) {
  const { engine, values } = demo;
  let plain = null;
  let fresh;
  try {
    plain = new engine.Trainer(overfitConfig(values, null));
    fresh = { plain, drop: new engine.Trainer(overfitConfig(values, values.op)) };
  } catch (e) {
    plain?.free();
    showError(demo, e.message);
    return false;
  }
  demo.fit?.plain.free();
  demo.fit?.drop.free();
  demo.fit = fresh;
  fresh.plain.train(0);
  fresh.drop.train(0);
  drawFit(demo);
  return true;
}

/** Trains both runs; the charts are redrawn on every fourth frame (and after Step), the numbers every frame. */
function trainFit(demo, steps, single) {
  try {
    demo.fit.plain.train(steps);
    demo.fit.drop.train(steps);
  } catch (e) {
    demo.parts.error.textContent = e.message;
    return false;
  }
  demo.fitFrame++;
  if (single || demo.fitFrame % 4 === 0) drawFit(demo); else writeFit(demo);
  return true;
}

function drawFit(demo) {
  const { fit } = demo;
  if (!fit) return;
  demo.parts.pair.update(pairSeries([[fit.plain, PLAIN_COLOR], [fit.drop, DROP_COLOR]]));
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
  const a = demo.fit.plain.evaluate();
  const b = demo.fit.drop.evaluate();
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
      { show: "download.show.curves", name: "curves", columns: () => (demo.fit ? trainerColumns({ plain: demo.fit.plain, dropout: demo.fit.drop }) : {}) },
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
        fit: demo.fit ? { plain: demo.fit.plain.evaluate(), dropout: demo.fit.drop.evaluate() } : null,
      },
    }),
    onError: (message) => demo.ctx.notify(message),
  });
}

function destroy(demo) {
  demo.runner.destroy();
  demo.parts.player.destroy();
  demo.live.destroy();
  demo.downloads.destroy();
  for (const part of ["drawing", "gap", "table", "pair"]) demo.parts[part].destroy();
  for (const u of demo.unsubs) u();
  demo.fit?.plain.free();
  demo.fit?.drop.free();
  demo.fit = null;
  demo.nets?.inverted.free();
  demo.nets?.original.free();
  demo.nets = null;
}
