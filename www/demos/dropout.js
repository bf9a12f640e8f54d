// Dropout, one forward pass at a time: a small network whose hidden units
// are dropped afresh on every pass, the three test-time scalings side by
// side, and dropout as an ensemble (the average over K masks approaches
// the scaled network as K grows).
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { fitCanvas } from "../ui/canvas.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { createPlayer } from "../ui/player.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { drawLines } from "../ui/net-lines.js";
import { pct } from "../ui/net-common.js";
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

export function mount(root, ctx) {
  const prefix = uniquePrefix("dropout");
  const { engine } = ctx;
  const values = { ...ctx.values };
  const unsubs = [];
  let nets = null;

  const pInput = h("input", { type: "number", id: `${prefix}-p`, min: 0.05, max: 0.9, step: 0.05 });
  const kInput = h("input", { type: "number", id: `${prefix}-k`, min: 10, max: 2000, step: 10 });
  const error = h("p", { class: "field-error", role: "alert" });
  const drawing = h("canvas", { class: "net-drawing", role: "img", "data-i18n-label": "drop.drawingLabel" });
  const passButton = h("button", { type: "button", class: "primary", "data-i18n": "drop.pass" });
  const passInfo = h("p", { class: "hint", "aria-live": "polite" });
  const table = h("table", { class: "net-table" });
  const gapChart = h("canvas", { class: "net-figure", role: "img", "data-i18n-label": "drop.gapChartLabel" });
  const gapInfo = h("p", { class: "hint" });
  const opInput = h("input", { type: "number", id: `${prefix}-op`, min: 0.05, max: 0.9, step: 0.05 });
  const fitLoss = h("canvas", { class: "net-figure drop-fit", role: "img", "data-i18n-label": "drop.fitLossLabel" });
  const fitAcc = h("canvas", { class: "net-figure drop-fit", role: "img", "data-i18n-label": "drop.fitAccLabel" });
  const fitMetrics = { plain: h("p", { class: "net-metrics" }), drop: h("p", { class: "net-metrics" }) };
  const fitVerdict = h("p", { class: "net-verdict drop-fit-verdict" });
  const live = attachLiveRegion(root);
  let fit = null;
  let fitFrame = 0;
  // What the pictures last showed, for the JSON record.
  let lastGaps = [];
  let lastMask = [];
  let lastTable = [];
  const player = createPlayer({
    tick: (steps) => trainFit(steps),
    reset: () => buildFit(),
    speed: values.speed,
    maxSpeed: params.speed.max,
    onSpeed: (s) => { values.speed = s; ctx.save(values); },
  });

  root.append(h("section", { class: "demo net dropout", "aria-labelledby": `${prefix}-title` },
    h("h2", { id: `${prefix}-title`, "data-i18n": "drop.title" }),
    h("p", { class: "intro", "data-i18n": "drop.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        drawing,
        h("div", { class: "player" }, passButton),
        passInfo,
        h("p", { class: "chart-title", "data-i18n": "drop.ensembleTitle" }),
        gapChart, gapInfo),
      h("div", { class: "side" },
        h("div", { class: "panel" },
          h("div", { class: "hyper" },
            h("label", { for: pInput.id, class: "inline" }, h("span", { "data-i18n": "net.dropout" }), pInput),
            h("label", { for: kInput.id, class: "inline" }, h("span", { "data-i18n": "drop.kMax" }), kInput)),
          h("p", { class: "hint", "data-i18n": "net.dropoutHint" }),
          error),
        h("div", { class: "panel" },
          h("h3", { "data-i18n": "drop.testTitle" }),
          h("p", { class: "hint", "data-i18n": "drop.testIntro" }),
          table))),
    h("div", { class: "stage drop-fit-stage" },
      h("h3", { "data-i18n": "drop.fitTitle" }),
      h("p", { class: "hint", "data-i18n": "drop.fitIntro" }),
      h("div", { class: "hyper" },
        h("label", { for: opInput.id, class: "inline" }, h("span", { "data-i18n": "drop.fitP" }), opInput)),
      player.element,
      h("ul", { class: "legend" },
        h("li", {}, h("span", { class: "swatch bn-plain-swatch" }), h("span", { "data-i18n": "drop.fitPlain" })),
        h("li", {}, h("span", { class: "swatch bn-norm-swatch" }), h("span", { "data-i18n": "drop.fitDrop" })),
        h("li", {}, h("span", { class: "swatch bn-dashed-swatch" }), h("span", { "data-i18n": "drop.fitDashed" }))),
      h("div", { class: "net-pair two" },
        h("div", { class: "net-run" }, h("p", { class: "chart-title", "data-i18n": "drop.fitLoss" }), fitLoss),
        h("div", { class: "net-run" }, h("p", { class: "chart-title", "data-i18n": "drop.fitAcc" }), fitAcc)),
      fitMetrics.plain, fitMetrics.drop, fitVerdict)));

  const config = (mode) => maskConfig(values, mode);

  function build() {
    try {
      const fresh = { inverted: new engine.Trainer(config("inverted")), original: new engine.Trainer(config("original")) };
      for (const tr of Object.values(fresh)) tr.train(MASK_NET_STEPS);
      nets?.inverted.free();
      nets?.original.free();
      nets = fresh;
      error.textContent = "";
      return true;
    } catch (e) {
      error.textContent = e.message;
      ctx.notify(e.message);
      return false;
    }
  }

  function pass() {
    nets.inverted.forwardTrain(Float64Array.from(INPUT));
    const mask = Array.from(nets.inverted.dropoutMask(0));
    lastMask = mask;
    drawNetwork(mask);
    const kept = mask.filter((m) => m === 1).length;
    passInfo.textContent = t("drop.passInfo", { kept, total: mask.length, keep: (1 - values.p).toFixed(2) });
  }

  function drawNetwork(mask) {
    const c = drawing.getContext("2d");
    const { width: w, height: hgt } = drawing;
    c.fillStyle = "#fff";
    c.fillRect(0, 0, w, hgt);
    const dpr = window.devicePixelRatio || 1;
    const layers = [2, mask.length, 2];
    const pos = layers.map((n, l) => Array.from({ length: n }, (_, i) => [((l + 0.5) / 3) * w, ((i + 0.5) / n) * hgt]));
    for (let l = 0; l < 2; l++) {
      for (const [i, a] of pos[l].entries()) {
        for (const [j, b] of pos[l + 1].entries()) {
          const off = (l === 0 && mask[j] === 0) || (l === 1 && mask[i] === 0);
          c.strokeStyle = off ? "rgba(0,0,0,0.06)" : "rgba(31,119,180,0.55)";
          c.lineWidth = dpr;
          c.beginPath(); c.moveTo(a[0], a[1]); c.lineTo(b[0], b[1]); c.stroke();
        }
      }
    }
    const r = Math.min(12 * dpr, hgt / (2.6 * Math.max(...layers)));
    pos.forEach((layer, l) => layer.forEach(([x, y], i) => {
      const dropped = l === 1 && mask[i] === 0;
      c.beginPath(); c.arc(x, y, r, 0, 2 * Math.PI);
      c.fillStyle = dropped ? "#eee" : l === 1 ? "#1f77b4" : "#555";
      c.fill();
      c.strokeStyle = dropped ? "#d62728" : "#fff";
      c.lineWidth = 2 * dpr;
      c.stroke();
      if (dropped) {
        c.beginPath(); c.moveTo(x - r * 0.6, y - r * 0.6); c.lineTo(x + r * 0.6, y + r * 0.6);
        c.moveTo(x + r * 0.6, y - r * 0.6); c.lineTo(x - r * 0.6, y + r * 0.6); c.stroke();
      }
    }));
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

  function fillTable() {
    clear(table);
    lastTable = [];
    const x = Float64Array.from(INPUT);
    const cases = [
      ["drop.caseInverted", nets.inverted, "none"],
      ["drop.caseLecture", nets.original, "keep"],
      ["drop.caseForgot", nets.original, "none"],
    ];
    table.append(h("tr", {}, h("th", { "data-i18n": "drop.case" }), h("th", { "data-i18n": "drop.expected" }),
      h("th", { "data-i18n": "drop.testOutput" }), h("th", { "data-i18n": "drop.verdict" })));
    for (const [key, trainer, scale] of cases) {
      const expected = trainMean(trainer)[0];
      const test = trainer.forwardEval(x, scale)[0];
      const ok = Math.abs(test - expected) < 0.05 * Math.max(1, Math.abs(expected));
      lastTable.push({ case: key.slice("drop.case".length).toLowerCase(), scaling: scale, expected, test, matches: ok });
      table.append(h("tr", {}, h("td", { "data-i18n": key }), h("td", { text: expected.toFixed(3) }),
        h("td", { text: test.toFixed(3) }), h("td", { class: ok ? "good" : "bad", "data-i18n": ok ? "drop.matches" : "drop.off" })));
    }
    translateTree(table);
  }

  function drawGap() {
    const gaps = nets.inverted.ensembleGap(Float64Array.from(INPUT), values.k);
    lastGaps = Array.from(gaps);
    const c = gapChart.getContext("2d");
    const { width: w, height: hgt } = gapChart;
    const dpr = window.devicePixelRatio || 1;
    c.fillStyle = "#fff"; c.fillRect(0, 0, w, hgt);
    const pad = 36 * dpr;
    const top = Math.max(...gaps);
    c.strokeStyle = "#999"; c.lineWidth = dpr;
    c.beginPath(); c.moveTo(pad, 4 * dpr); c.lineTo(pad, hgt - pad); c.lineTo(w - 4 * dpr, hgt - pad); c.stroke();
    c.strokeStyle = "#1f77b4"; c.lineWidth = 2 * dpr; c.beginPath();
    gaps.forEach((g, i) => {
      const px = pad + ((w - pad - 8 * dpr) * i) / Math.max(1, gaps.length - 1);
      const py = hgt - pad - ((hgt - pad - 8 * dpr) * g) / top;
      if (i === 0) c.moveTo(px, py); else c.lineTo(px, py);
    });
    c.stroke();
    c.fillStyle = "#333"; c.font = `${11 * dpr}px sans-serif`;
    c.fillText(top.toPrecision(2), 2, 14 * dpr);
    c.fillText("K = 1", pad, hgt - pad + 14 * dpr);
    const last = `K = ${gaps.length}`;
    c.fillText(last, w - c.measureText(last).width - 4, hgt - pad + 14 * dpr);
    c.fillText(t("drop.gapAxis"), pad + 8 * dpr, 14 * dpr);
    gapInfo.textContent = t("drop.gapInfo", { first: gaps[0].toPrecision(3), k: gaps.length, last: gaps[gaps.length - 1].toPrecision(3) });
  }

  // ---- training with and without dropout on a set made to overfit -------
  function buildFit() {
    let fresh;
    try {
      fresh = { plain: new engine.Trainer(overfitConfig(values, null)) };
      fresh.drop = new engine.Trainer(overfitConfig(values, values.op));
    } catch (e) {
      fresh?.plain?.free();
      error.textContent = e.message;
      ctx.notify(e.message);
      return false;
    }
    fit?.plain.free();
    fit?.drop.free();
    fit = fresh;
    fit.plain.train(0);
    fit.drop.train(0);
    drawFit();
    return true;
  }

  function trainFit(steps) {
    try {
      fit.plain.train(steps);
      fit.drop.train(steps);
    } catch (e) {
      error.textContent = e.message;
      return false;
    }
    fitFrame++;
    if (fitFrame % 4 === 0) drawFit(); else writeFit();
    return true;
  }

  function drawFit() {
    if (!fit) return;
    const curve = (tr, color, which, dashed = false) => ({ x: Float64Array.from(tr.evalSteps()), y: Float64Array.from(tr.evalHistory(which)), color, dashed });
    drawLines(fitLoss, [
      curve(fit.plain, PLAIN_COLOR, "trainLoss"), curve(fit.drop, DROP_COLOR, "trainLoss"),
      curve(fit.plain, PLAIN_COLOR, "valLoss", true), curve(fit.drop, DROP_COLOR, "valLoss", true),
    ], { logY: true, xLabel: t("net.step"), yLabel: t("net.loss"), minX: 300 });
    drawLines(fitAcc, [
      curve(fit.plain, PLAIN_COLOR, "trainAccuracy"), curve(fit.drop, DROP_COLOR, "trainAccuracy"),
      curve(fit.plain, PLAIN_COLOR, "valAccuracy", true), curve(fit.drop, DROP_COLOR, "valAccuracy", true),
    ], { yRange: [0, 1], xLabel: t("net.step"), yLabel: t("net.accuracy"), minX: 300 });
    writeFit();
  }

  function writeFit() {
    const a = fit.plain.evaluate();
    const b = fit.drop.evaluate();
    const line = (key, r) => `${t(key)}: ${t("drop.fitMetrics", {
      step: r.step, train: pct(r.trainAccuracy), val: pct(r.valAccuracy), trainLoss: r.trainLoss.toFixed(3), valLoss: r.valLoss.toFixed(3),
      gap: (100 * (r.trainAccuracy - r.valAccuracy)).toFixed(1),
    })}`;
    fitMetrics.plain.textContent = line("drop.fitPlain", a);
    fitMetrics.drop.textContent = line("drop.fitDrop", b);
    if (a.step > 0) live.update(progressText({ step: a.step, runs: [{ ...a, loss: a.trainLoss, name: t("drop.fitPlain") }, { ...b, loss: b.trainLoss, name: t("drop.fitDrop") }] }));
    fitVerdict.textContent = a.step === 0 ? t("drop.fitPress") : t("drop.fitVerdict", {
      plainGap: (a.valLoss - a.trainLoss).toFixed(2), dropGap: (b.valLoss - b.trainLoss).toFixed(2),
      plainTrain: a.trainLoss.toFixed(3), dropTrain: b.trainLoss.toFixed(3),
    });
  }

  opInput.addEventListener("change", () => {
    const spec = params.op;
    const v = Number(opInput.value);
    if (opInput.value.trim() === "" || !Number.isFinite(v) || v < spec.min || v > spec.max) {
      opInput.setAttribute("aria-invalid", "true");
      error.textContent = t("race.outOfRange", { name: t("drop.fitP"), min: spec.min, max: spec.max });
      ctx.notify(error.textContent);
      return;
    }
    opInput.removeAttribute("aria-invalid");
    const old = values.op;
    values.op = v;
    const wasPlaying = player.playing;
    player.stop();
    if (!buildFit()) { values.op = old; return; }
    error.textContent = "";
    ctx.save(values);
    if (wasPlaying) player.start();
  });
  opInput.value = values.op;

  const downloads = createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.network", name: "network", canvas: () => drawing },
      { show: "download.show.ensembleChart", name: "ensemble", canvas: () => gapChart },
      { show: "download.show.lossChart", name: "loss", canvas: () => fitLoss },
      { show: "download.show.accChart", name: "accuracy", canvas: () => fitAcc },
    ],
    curves: [
      { show: "download.show.curves", name: "curves", columns: () => (fit ? trainerColumns({ plain: fit.plain, dropout: fit.drop }) : {}) },
      { show: "download.show.ensembleCurve", name: "ensemble", columns: () => ({ k: lastGaps.map((_, i) => i + 1), gap: lastGaps }) },
    ],
    run: () => ({
      config: {
        maskNet: { inverted: maskConfig(values, "inverted"), original: maskConfig(values, "original"), steps: MASK_NET_STEPS },
        overfit: { plain: overfitConfig(values, null), dropout: overfitConfig(values, values.op) },
        input: INPUT,
      },
      results: {
        mask: lastMask,
        testTime: lastTable,
        ensembleGap: lastGaps,
        fit: fit ? { plain: fit.plain.evaluate(), dropout: fit.drop.evaluate() } : null,
      },
    }),
    onError: (message) => ctx.notify(message),
  });
  // Under the training pair's charts, whose curves the CSV holds.
  fitVerdict.after(downloads.element);

  function refresh() {
    if (!nets) return;
    pass();
    fillTable();
    drawGap();
  }

  function onNumber(input, name) {
    input.addEventListener("change", () => {
      const spec = params[name];
      const v = Number(input.value);
      if (!Number.isFinite(v) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v))) {
        input.setAttribute("aria-invalid", "true");
        error.textContent = t("race.outOfRange", { name: input.previousSibling.textContent, min: spec.min, max: spec.max });
        ctx.notify(error.textContent);
        return;
      }
      input.removeAttribute("aria-invalid");
      const old = values[name];
      values[name] = v;
      if (!build()) { values[name] = old; return; }
      refresh();
      ctx.save(values);
    });
  }
  onNumber(pInput, "p");
  onNumber(kInput, "k");
  pInput.value = values.p;
  kInput.value = values.k;
  passButton.addEventListener("click", pass);

  build();
  translateTree(root);
  // Train only while the demo's section is on screen.
  player.runner.observe(root.lastElementChild);
  unsubs.push(fitCanvas(drawing, () => nets && pass()));
  unsubs.push(fitCanvas(gapChart, () => nets && drawGap()));
  buildFit();
  unsubs.push(fitCanvas(fitLoss, drawFit));
  unsubs.push(fitCanvas(fitAcc, drawFit));
  refresh();
  unsubs.push(onLanguageChange(() => { translateTree(root); if (nets) { pass(); drawGap(); } drawFit(); }));

  return {
    destroy() {
      player.destroy();
      live.destroy();
      downloads.destroy();
      for (const u of unsubs) u();
      fit?.plain.free();
      fit?.drop.free();
      fit = null;
      nets?.inverted.free();
      nets?.original.free();
      nets = null;
    },
    saveState: () => ctx.save(values),
    // For tests: the values, the player and what the downloads are made from.
    debug: {
      values,
      player,
      downloads,
      get fit() { return fit; },
      get gaps() { return lastGaps; },
    },
  };
}
