// Batch normalization, seen from inside: the same deep network trained with
// and without it from one seed — histograms of a hidden layer's activation
// inputs, the layer's batch statistics against its running averages, train
// mode against eval mode on one point, what batches of 1 and 2 do, and the
// loss curves of both at a learning rate the plain network cannot take.
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { fitCanvas } from "../ui/canvas.js";
import { createPlayer } from "../ui/player.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { drawHistograms, pct } from "../ui/net-common.js";
import { drawLines, summary, robustRange } from "../ui/net-lines.js";
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

export function mount(root, ctx) {
  const prefix = uniquePrefix("bn");
  const { engine } = ctx;
  const values = { ...ctx.values };
  const unsubs = [];
  let destroyed = false;
  let frame = 0;
  // Trainers: the histogram pair (plain, norm) and the race pair; norm is
  // null while the engine refuses the batch size.
  let pair = { plain: null, norm: null, refusal: "" };
  let race = { plain: null, norm: null };
  // Copies of the last training batch, so a redraw never reads stale views.
  let snap = null;
  let modes = null;

  // ---- controls -------------------------------------------------------
  const number = (name, step = "any") => {
    const spec = params[name];
    return h("input", { type: "number", id: `${prefix}-${name}`, min: spec.min, max: spec.max, step, inputmode: "decimal" });
  };
  const inputs = {
    init: h("select", { id: `${prefix}-init` }, INITS.map((v) => h("option", { value: v, "data-i18n": `bn.init.${v}` }))),
    layer: h("select", { id: `${prefix}-layer` }, HIDDEN.map((_, i) => h("option", { value: String(i + 1), text: String(i + 1) }))),
    lr: number("lr"),
    seed: number("seed", 1),
    batch: number("batch", 1),
    hlr: number("hlr"),
  };
  const field = (name, key) => h("label", { for: inputs[name].id, class: "inline" }, h("span", { "data-i18n": key }), inputs[name]);
  const error = h("p", { class: "field-error", role: "alert" });

  const player = createPlayer({
    tick: (steps) => advance(steps),
    reset: () => rebuild(),
    speed: values.speed,
    maxSpeed: params.speed.max,
    onSpeed: (s) => { values.speed = s; ctx.save(values); },
  });

  const histPanel = (kind) => {
    const canvas = h("canvas", { class: "net-figure bn-hist", role: "img", "data-run": kind, "data-i18n-label": `bn.histLabel.${kind}` });
    const refusal = h("p", { class: "bn-refusal", role: "alert", hidden: true });
    const stats = h("p", { class: "net-metrics" });
    const metrics = h("p", { class: "net-metrics" });
    const legend = h("ul", { class: "legend" },
      kind === "norm"
        ? [h("li", {}, h("span", { class: "swatch bn-before-swatch" }), h("span", { "data-i18n": "bn.beforeBn" })),
          h("li", {}, h("span", { class: "swatch bn-norm-swatch" }), h("span", { "data-i18n": "bn.afterBn" }))]
        : [h("li", {}, h("span", { class: "swatch bn-plain-swatch" }), h("span", { "data-i18n": "bn.plainInputs" }))]);
    const panel = h("div", { class: "net-run" },
      h("h3", { class: "net-run-title", "data-i18n": kind === "norm" ? "bn.withBn" : "bn.withoutBn" }),
      canvas, kind === "norm" ? refusal : null, legend, stats, metrics);
    return { canvas, refusal, stats, metrics, panel, legend };
  };
  const hist = { plain: histPanel("plain"), norm: histPanel("norm") };
  const histRange = h("p", { class: "hint" });

  const statsTable = h("table", { class: "net-table bn-stats" });
  const statsNote = h("p", { class: "hint" });
  const modeButton = h("button", { type: "button", "data-i18n": "bn.modeButton" });
  const modeTable = h("table", { class: "net-table bn-modes" });
  const modeNote = h("p", { class: "hint" });
  const batchNote = h("p", { class: "bn-batch-note", "aria-live": "polite" });

  const raceLoss = h("canvas", { class: "net-figure bn-race", role: "img", "data-i18n-label": "bn.raceLossLabel" });
  const raceAcc = h("canvas", { class: "net-figure bn-race", role: "img", "data-i18n-label": "bn.raceAccLabel" });
  const raceMetrics = { plain: h("p", { class: "net-metrics" }), norm: h("p", { class: "net-metrics" }) };
  const raceVerdict = h("p", { class: "net-verdict" });
  const live = attachLiveRegion(root);
  const downloads = createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.histPlain", name: "histogram-plain", canvas: () => hist.plain.canvas },
      { show: "download.show.histNorm", name: "histogram-bn", canvas: () => hist.norm.canvas },
      { show: "download.show.lossChart", name: "loss", canvas: () => raceLoss },
      { show: "download.show.accChart", name: "accuracy", canvas: () => raceAcc },
    ],
    curves: [{ show: "download.show.curves", name: "curves", columns: () => trainerColumns({ plain: race.plain, batchNorm: race.norm }) }],
    run: () => {
      const result = (tr) => (tr ? tr.evaluate() : null);
      return {
        config: {
          histograms: { plain: bnConfig(values, false), batchNorm: bnConfig(values, true) },
          race: { plain: bnConfig(values, false, true), batchNorm: bnConfig(values, true, true) },
        },
        results: {
          histograms: { plain: result(pair.plain), batchNorm: result(pair.norm), refusal: pair.refusal || null },
          race: { plain: result(race.plain), batchNorm: result(race.norm) },
          layer: values.layer,
          batchNormStats: snap?.stats ?? null,
          modes,
        },
      };
    },
    onError: (message) => ctx.notify(message),
  });

  root.append(h("section", { class: "demo net batchnorm", "aria-labelledby": `${prefix}-title` },
    h("h2", { id: `${prefix}-title`, "data-i18n": "bn.title" }),
    h("p", { class: "intro", "data-i18n": "bn.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        player.element,
        h("h3", { class: "bn-section", "data-i18n": "bn.histTitle" }),
        h("p", { class: "hint", "data-i18n": "bn.histIntro" }),
        h("div", { class: "net-pair two bn-pair" }, hist.plain.panel, hist.norm.panel),
        histRange,
        h("h3", { class: "bn-section", "data-i18n": "bn.raceTitle" }),
        h("p", { class: "hint", "data-i18n": "bn.raceIntro" }),
        h("div", { class: "hyper" }, field("hlr", "bn.hlr")),
        h("ul", { class: "legend" },
          h("li", {}, h("span", { class: "swatch bn-plain-swatch" }), h("span", { "data-i18n": "bn.withoutBn" })),
          h("li", {}, h("span", { class: "swatch bn-norm-swatch" }), h("span", { "data-i18n": "bn.withBn" })),
          h("li", {}, h("span", { class: "swatch bn-dashed-swatch" }), h("span", { "data-i18n": "bn.dashedVal" }))),
        h("div", { class: "net-pair two" },
          h("div", { class: "net-run" }, h("p", { class: "chart-title", "data-i18n": "bn.raceLoss" }), raceLoss),
          h("div", { class: "net-run" }, h("p", { class: "chart-title", "data-i18n": "bn.raceAcc" }), raceAcc)),
        raceMetrics.plain, raceMetrics.norm, raceVerdict),
      h("div", { class: "side" },
        h("div", { class: "panel" },
          h("div", { class: "hyper" }, field("init", "bn.init"), field("layer", "bn.layer"), field("lr", "hp.lr"), field("seed", "net.seed")),
          h("p", { class: "hint", "data-i18n": "bn.settingsHint" }),
          error),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "bn.batchTitle" }),
          h("div", { class: "hyper" }, field("batch", "net.batch")),
          batchNote),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "bn.statsTitle" }),
          statsTable, statsNote),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "bn.modeTitle" }),
          h("p", { class: "hint", "data-i18n": "bn.modeIntro" }),
          h("div", {}, modeButton),
          modeTable, modeNote)))));
  // Under the race's charts, whose curves the CSV holds.
  raceVerdict.after(downloads.element);

  // ---- trainers -------------------------------------------------------
  function freeAll() {
    for (const tr of [pair.plain, pair.norm, race.plain, race.norm]) tr?.free();
    pair = { plain: null, norm: null, refusal: "" };
    race = { plain: null, norm: null };
  }

  /** Builds all four runs; on a refused setting keeps the old ones and returns false. */
  function rebuild() {
    const made = [];
    const make = (cfg) => { const tr = new engine.Trainer(cfg); made.push(tr); return tr; };
    let fresh;
    let freshRace;
    try {
      fresh = { plain: make(bnConfig(values, false)), norm: null, refusal: "" };
      try {
        fresh.norm = make(bnConfig(values, true));
      } catch (e) {
        // Batch norm alone refuses (batch size 1): the plain run still trains.
        fresh.refusal = e.message;
      }
      freshRace = { plain: make(bnConfig(values, false, true)), norm: make(bnConfig(values, true, true)) };
    } catch (e) {
      for (const tr of made) tr.free();
      showError(e.message);
      return false;
    }
    showError("");
    freeAll();
    pair = fresh;
    race = freshRace;
    for (const tr of [pair.plain, pair.norm, race.plain, race.norm]) tr?.train(0);
    // Snapshot first: the mode comparison runs its own train-mode batches.
    takeSnapshot();
    compareModes();
    renderAll();
    return true;
  }

  function advance(steps) {
    const trainers = [pair.plain, pair.norm, race.plain, race.norm];
    try {
      // Training alone is cheap; evaluating four nets over all their data
      // every frame is not, so that happens on every fourth frame.
      for (const tr of trainers) tr?.run(steps);
      frame++;
      const evaluateNow = !player.playing || frame % 4 === 0;
      if (evaluateNow) for (const tr of trainers) tr?.train(0);
      takeSnapshot();
      drawHist();
      if (evaluateNow) {
        renderStats();
        drawRace();
        writeMetrics();
      }
    } catch (e) {
      showError(e.message);
      return false;
    }
    // The mode comparison runs train-mode passes of its own: refresh it now and then.
    if (frame % 24 === 0) compareModes();
    return true;
  }

  function takeSnapshot() {
    const layer = values.layer - 1;
    const copy = (v) => Float32Array.from(v);
    snap = {
      steps: pair.plain.steps,
      plain: copy(pair.plain.preActivations(layer)),
      before: pair.norm ? copy(pair.norm.denseOutputs(layer)) : null,
      after: pair.norm ? copy(pair.norm.preActivations(layer)) : null,
      stats: pair.norm ? pair.norm.batchNormStats(layer) : null,
    };
    if (snap.before && snap.stats) {
      const width = HIDDEN[layer];
      const xhat = new Float32Array(snap.before.length);
      for (let i = 0; i < xhat.length; i++) {
        const j = i % width;
        xhat[i] = (snap.before[i] - snap.stats.batchMean[j]) / Math.sqrt(snap.stats.batchVar[j] + EPS);
      }
      snap.xhat = xhat;
    }
  }

  // ---- drawing --------------------------------------------------------
  const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(3)) : "–");

  function drawHist() {
    if (destroyed) return;
    if (!snap) takeSnapshot();
    const hasData = snap.plain.length > 0;
    // The range follows what the activations see; dense outputs beyond it
    // (large before normalisation) are left out rather than piled on the edges.
    const range = hasData ? robustRange([snap.plain, snap.after ?? []]) : [-1, 1];
    const inside = (list) => list.filter((v) => v >= range[0] && v <= range[1]);
    drawHistograms(hist.plain.canvas, [{ values: snap.plain, color: PLAIN_COLOR }], { range });
    const s = summary(snap.plain);
    hist.plain.stats.textContent = hasData ? t("bn.histStats", { mean: fmt(s.mean), std: fmt(s.std), zero: pct(s.nonPositive) }) : t("bn.noBatchYet");
    hist.norm.refusal.hidden = !pair.refusal;
    hist.norm.canvas.hidden = Boolean(pair.refusal);
    hist.norm.legend.hidden = Boolean(pair.refusal);
    if (pair.refusal) {
      hist.norm.refusal.textContent = `${t("bn.refused")} ${pair.refusal}`;
      hist.norm.stats.textContent = "";
    } else {
      drawHistograms(hist.norm.canvas, [{ values: inside(snap.before), color: BEFORE_COLOR }, { values: snap.after, color: BN_COLOR }], { range });
      const a = summary(snap.after);
      const b = summary(snap.before);
      hist.norm.stats.textContent = hasData
        ? t("bn.histStatsNorm", { mean: fmt(a.mean), std: fmt(a.std), zero: pct(a.nonPositive), beforeStd: fmt(b.std) })
        : t("bn.noBatchYet");
    }
    histRange.textContent = t("bn.histRange", { lo: fmt(range[0]), hi: fmt(range[1]), layer: values.layer, step: snap.steps });
    writeBatchNote();
  }

  function writeMetrics() {
    const line = (tr) => {
      if (!tr) return "";
      const r = tr.evaluate();
      return t("bn.metrics", { step: r.step, loss: fmt(r.trainLoss), train: pct(r.trainAccuracy), val: pct(r.valAccuracy) });
    };
    hist.plain.metrics.textContent = line(pair.plain);
    hist.norm.metrics.textContent = line(pair.norm);
    const rp = race.plain.evaluate();
    const rn = race.norm.evaluate();
    raceMetrics.plain.textContent = `${t("bn.withoutBn")}: ${t("bn.metrics", { step: rp.step, loss: fmt(rp.trainLoss), train: pct(rp.trainAccuracy), val: pct(rp.valAccuracy) })}`;
    raceMetrics.norm.textContent = `${t("bn.withBn")}: ${t("bn.metrics", { step: rn.step, loss: fmt(rn.trainLoss), train: pct(rn.trainAccuracy), val: pct(rn.valAccuracy) })}`;
    raceVerdict.className = "net-verdict";
    if (rp.step > 0) live.update(progressText({ step: rp.step, runs: [{ ...rp, loss: rp.trainLoss, name: t("bn.withoutBn") }, { ...rn, loss: rn.trainLoss, name: t("bn.withBn") }] }));
    if (rp.step === 0) raceVerdict.textContent = t("bn.racePress");
    else {
      const diff = 100 * (rn.trainAccuracy - rp.trainAccuracy);
      raceVerdict.textContent = t(!Number.isFinite(rp.trainLoss) || rp.trainLoss > 1e3 ? "bn.raceDiverged" : diff > 10 ? "bn.raceAhead" : diff < -10 ? "bn.raceBehind" : "bn.raceEven", { diff: Math.abs(diff).toFixed(1) });
    }
  }

  function writeBatchNote() {
    clear(batchNote);
    batchNote.className = "bn-batch-note";
    if (pair.refusal) {
      batchNote.classList.add("bn-refusal");
      batchNote.append(h("strong", { text: `${t("bn.refused")} ` }), h("span", { text: pair.refusal }), " ", h("span", { text: t("bn.batchOneWhy") }));
      return;
    }
    if (!snap?.xhat || !snap.xhat.length) {
      batchNote.textContent = t("bn.batchHint");
      return;
    }
    let near = 0;
    for (const v of snap.xhat) if (Math.abs(Math.abs(v) - 1) < 0.01) near++;
    const s = summary(snap.xhat);
    const vars = { batch: pair.norm.batchSize, share: pct(near / snap.xhat.length), mean: fmt(s.mean), std: fmt(s.std) };
    batchNote.textContent = t(pair.norm.batchSize === 2 ? "bn.batchTwo" : "bn.batchN", vars);
    if (pair.norm.batchSize === 2) batchNote.classList.add("bn-two");
  }

  function renderStats() {
    clear(statsTable);
    if (!pair.norm) {
      statsNote.textContent = `${t("bn.refused")} ${pair.refusal}`;
      return;
    }
    const stats = snap?.stats ?? pair.norm.batchNormStats(values.layer - 1);
    statsTable.append(h("tr", {}, ["bn.feature", "bn.batchMean", "bn.runningMean", "bn.batchVar", "bn.runningVar"].map((k) => h("th", { "data-i18n": k }))));
    for (let j = 0; j < TABLE_FEATURES; j++) {
      statsTable.append(h("tr", {}, h("td", { text: String(j + 1) }),
        ...[stats.batchMean[j], stats.runningMean[j], stats.batchVar[j], stats.runningVar[j]].map((v) => h("td", { text: fmt(v) }))));
    }
    translateTree(statsTable);
    statsNote.textContent = t("bn.statsNote", { layer: values.layer, m: Number(stats.momentum.toFixed(3)), keep: Number((1 - stats.momentum).toFixed(3)), step: pair.norm.steps });
  }

  /** One point through the batch-norm net: in two different batches (train mode) and alone (eval mode). */
  function compareModes() {
    modes = null;
    if (!pair.norm) return renderModes();
    // A copy: the view would go stale once a forward pass grows wasm memory.
    const pts = Float32Array.from(pair.norm.trainPoints());
    const count = pts.length / 2;
    const size = Math.max(2, Math.min(pair.norm.batchSize, count));
    const point = [pts[0], pts[1]];
    const batchOf = (start) => {
      const rows = [...point];
      for (let k = 0; k < size - 1; k++) {
        const i = 1 + ((start + k) % (count - 1));
        rows.push(pts[2 * i], pts[2 * i + 1]);
      }
      return Float64Array.from(rows);
    };
    const classes = pair.norm.classes;
    const first = (scores) => Array.from(scores.slice(0, classes));
    modes = {
      point,
      size,
      a: first(pair.norm.forwardTrain(batchOf(0))),
      b: first(pair.norm.forwardTrain(batchOf(Math.floor((count - 1) / 2)))),
      eval: first(pair.norm.forwardEval(Float64Array.from(point))),
      steps: pair.norm.steps,
    };
    renderModes();
  }

  function renderModes() {
    clear(modeTable);
    modeButton.disabled = !pair.norm;
    if (!modes) {
      modeNote.textContent = pair.refusal ? `${t("bn.refused")} ${pair.refusal}` : "";
      return;
    }
    const scores = (list) => list.map((v) => fmt(v)).join(", ");
    modeTable.append(h("tr", {}, h("th", { "data-i18n": "bn.modeCase" }), h("th", { "data-i18n": "bn.scores" })));
    for (const [key, list] of [["bn.modeTrainA", modes.a], ["bn.modeTrainB", modes.b], ["bn.modeEval", modes.eval]]) {
      modeTable.append(h("tr", {}, h("td", { "data-i18n": key }), h("td", { text: scores(list) })));
    }
    translateTree(modeTable);
    const spread = Math.max(...modes.a.map((v, i) => Math.abs(v - modes.b[i])));
    modeNote.textContent = t("bn.modeNote", {
      x: modes.point[0].toFixed(2), y: modes.point[1].toFixed(2), size: modes.size, step: modes.steps, spread: fmt(spread),
    });
  }

  function drawRace() {
    if (destroyed || !race.plain) return;
    const curves = (tr, color, which, dashed = false) => ({ x: Float64Array.from(tr.evalSteps()), y: Float64Array.from(tr.evalHistory(which)), color, dashed });
    const min = 200;
    drawLines(raceLoss, [curves(race.plain, PLAIN_COLOR, "trainLoss"), curves(race.norm, BN_COLOR, "trainLoss")],
      { logY: true, xLabel: t("net.step"), yLabel: t("net.loss"), minX: min });
    drawLines(raceAcc, [
      curves(race.plain, PLAIN_COLOR, "trainAccuracy"), curves(race.norm, BN_COLOR, "trainAccuracy"),
      curves(race.plain, PLAIN_COLOR, "valAccuracy", true), curves(race.norm, BN_COLOR, "valAccuracy", true),
    ], { yRange: [0, 1], xLabel: t("net.step"), yLabel: t("net.accuracy"), minX: min });
  }

  function renderAll(freshSnapshot = false) {
    if (destroyed || !pair.plain) return;
    if (freshSnapshot || !snap) takeSnapshot();
    drawHist();
    renderStats();
    renderModes();
    drawRace();
    writeMetrics();
  }

  // ---- inputs ---------------------------------------------------------
  function showError(message) {
    error.textContent = message;
    if (message) ctx.notify(message);
  }

  function syncInputs() {
    for (const [name, input] of Object.entries(inputs)) {
      input.value = String(values[name]);
      input.removeAttribute("aria-invalid");
    }
  }

  for (const [name, input] of Object.entries(inputs)) {
    input.addEventListener("change", () => {
      const spec = params[name];
      let value = input.value;
      if (spec.type === "number") {
        value = Number(input.value);
        const label = input.closest("label")?.querySelector("span")?.textContent ?? name;
        let message = null;
        if (input.value.trim() === "" || !Number.isFinite(value)) message = t("race.notANumber", { name: label });
        else if (spec.integer && !Number.isInteger(value)) message = t("race.notInteger", { name: label });
        else if (value < spec.min || value > spec.max) message = t("race.outOfRange", { name: label, min: spec.min, max: spec.max });
        if (message) {
          input.setAttribute("aria-invalid", "true");
          showError(message);
          return;
        }
      }
      const previous = values[name];
      values[name] = value;
      if (name === "layer") {
        // Same runs, another layer: no retraining needed.
        syncInputs();
        renderAll(true);
        ctx.save(values);
        return;
      }
      const wasPlaying = player.playing;
      player.stop();
      if (!rebuild()) {
        values[name] = previous;
        input.setAttribute("aria-invalid", "true");
        return;
      }
      syncInputs();
      ctx.save(values);
      if (wasPlaying) player.start();
    });
  }
  modeButton.addEventListener("click", () => { compareModes(); renderStats(); });

  syncInputs();
  translateTree(root);
  // Train only while the demo's section is on screen.
  player.runner.observe(root.lastElementChild);
  unsubs.push(fitCanvas(hist.plain.canvas, () => snap && drawHist()));
  unsubs.push(fitCanvas(hist.norm.canvas, () => snap && drawHist()));
  unsubs.push(fitCanvas(raceLoss, drawRace));
  unsubs.push(fitCanvas(raceAcc, drawRace));
  if (!rebuild()) {
    for (const [name, spec] of Object.entries(params)) values[name] = spec.default;
    syncInputs();
    rebuild();
  }
  unsubs.push(onLanguageChange(() => { translateTree(root); renderAll(); }));

  return {
    destroy() {
      destroyed = true;
      player.destroy();
      live.destroy();
      downloads.destroy();
      for (const u of unsubs) u();
      freeAll();
    },
    saveState: () => ctx.save(values),
    // For tests: the values, the player, the race's trainers and the downloads.
    debug: {
      values,
      player,
      downloads,
      get race() { return race; },
    },
  };
}
