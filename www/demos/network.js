// The network lab: a small classifier trained live on a 2-D data set, its
// decision regions under the points, train and validation curves on one
// step axis (the gap between them is overfitting), click-to-add points,
// and a compare mode that trains a second configuration from the same seed.
import { h, clear } from "../ui/dom.js";
import { fitCanvas } from "../ui/canvas.js";
import { createPlayer } from "../ui/player.js";
import { attachLiveRegion, progressText } from "../ui/live-region.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { FIRST_ORDER, SCHEDULES } from "../ui/race-view.js";
import { gapVerdict } from "../ui/gap.js";
import {
  DATASETS, TWO_CLASS, ACTIVATIONS, parseHidden, viewOf, drawDecision, eventToData, pct,
} from "../ui/net-common.js";

export const id = "network";

const GRID = 96;
const MAX_EDITS = 1500;
const DEFAULT_LR = { sgd: 1, momentum: 0.1, nesterov: 0.1, adagrad: 0.3, rmsprop: 0.01, adam: 0.01 };

export const params = {
  data: { type: "enum", values: DATASETS, default: "spiral" },
  classes: { type: "number", integer: true, min: 2, max: 6, default: 3 },
  n: { type: "number", integer: true, min: 5, max: 1000, default: 100 },
  noise: { type: "number", min: 0, max: 1, default: 0.2 },
  dseed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  val: { type: "number", min: 0, max: 0.9, default: 0.2 },
  hidden: { type: "text", maxLength: 60, default: "100" },
  act: { type: "enum", values: ACTIVATIONS, default: "relu" },
  opt: { type: "enum", values: FIRST_ORDER, default: "sgd" },
  lr: { type: "number", min: 1e-6, max: 100, default: (v) => DEFAULT_LR[v.opt ?? "sgd"] },
  sched: { type: "enum", values: SCHEDULES, default: "constant" },
  gamma: { type: "number", min: 1e-6, max: 1, default: 0.5 },
  every: { type: "number", integer: true, min: 1, max: 1e6, default: 1000 },
  k: { type: "number", min: 0, max: 10, default: 0.001 },
  total: { type: "number", integer: true, min: 1, max: 1e6, default: 3000 },
  batch: { type: "number", integer: true, min: 1, max: 30000, default: 300 },
  l2: { type: "number", min: 0, max: 1, default: 0.001 },
  drop: { type: "number", min: 0, max: 0.95, default: 0 },
  bn: { type: "bool", default: false },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  speed: { type: "number", integer: true, min: 1, max: 100, default: 5 },
  cmp: { type: "bool", default: false },
  "b.drop": { type: "number", min: 0, max: 0.95, default: 0.5 },
  "b.bn": { type: "bool", default: false },
  "b.l2": { type: "number", min: 0, max: 1, default: 0.001 },
  cls: { type: "number", integer: true, min: 0, max: 5, default: 0 },
  edits: { type: "text", maxLength: 20000, default: "" },
};

/** The engine settings of run A ("a") or B ("b") from the view's values. */
export function trainerConfig(values, which = "a") {
  const classes = TWO_CLASS.includes(values.data) ? 2 : values.classes;
  const optimizer = { kind: values.opt, lr: values.lr };
  if (values.sched !== "constant") {
    const schedule = { kind: values.sched };
    if (values.sched === "step") Object.assign(schedule, { gamma: values.gamma, every: values.every });
    if (values.sched === "exponential" || values.sched === "inverse_time") schedule.k = values.k;
    if (values.sched === "cosine") schedule.total = values.total;
    if (values.sched === "warm_restarts") schedule.period = values.every;
    optimizer.schedule = schedule;
  }
  const b = which === "b";
  const drop = b ? values["b.drop"] : values.drop;
  return {
    dataset: { kind: values.data, classes, pointsPerClass: values.n, noise: values.noise, seed: values.dseed },
    validationSplit: values.val,
    hidden: parseHidden(values.hidden) ?? [100],
    activation: values.act,
    dropout: drop > 0 ? drop : null,
    batchNorm: b ? values["b.bn"] : values.bn,
    optimizer,
    l2: b ? values["b.l2"] : values.l2,
    batchSize: values.batch,
    seed: values.seed,
  };
}

/** "a,x,y,c;r,x,y" → [{op, x, y, c}] (bad items skipped). */
function parseEdits(text) {
  const edits = [];
  for (const item of text.split(";")) {
    const [op, ...rest] = item.split(",");
    const nums = rest.map(Number);
    if (!nums.every(Number.isFinite)) continue;
    if (op === "a" && nums.length === 3 && Number.isInteger(nums[2])) edits.push({ op, x: nums[0], y: nums[1], c: nums[2] });
    if (op === "r" && nums.length === 3) edits.push({ op, x: nums[0], y: nums[1], r: nums[2] });
  }
  return edits;
}

function applyEdit(trainer, e) {
  if (e.op === "a") {
    if (e.c < trainer.classes) trainer.addPoint(e.x, e.y, e.c);
  } else {
    trainer.removePoint(e.x, e.y, e.r);
  }
}

export function mount(root, ctx) {
  const { engine } = ctx;
  const values = { ...ctx.values };
  let edits = parseEdits(values.edits);
  let runs = [];
  let view = null;
  let frameCount = 0;
  let destroyed = false;
  let removeMode = false;
  const unsubs = [];

  // ---- controls -------------------------------------------------------
  const field = (name, labelKey, input) => {
    input.id = `net-${name.replace(".", "-")}`;
    return h("label", { for: input.id, class: "inline" }, h("span", { "data-i18n": labelKey }), input);
  };
  const select = (options, keyPrefix) =>
    h("select", {}, options.map((o) => h("option", { value: o, ...(keyPrefix ? { "data-i18n": `${keyPrefix}.${o}` } : { text: String(o) }) })));
  const number = (min, max, step = "any") => h("input", { type: "number", min, max, step, inputmode: "decimal" });

  const inputs = {
    data: select(DATASETS, "net.data"),
    classes: select([2, 3, 4, 5, 6]),
    n: number(5, 1000, 1),
    noise: number(0, 1),
    dseed: number(0, 4294967295, 1),
    val: number(0, 0.9),
    hidden: h("input", { type: "text", maxlength: 60, spellcheck: "false", autocomplete: "off", class: "net-hidden" }),
    act: select(ACTIVATIONS, "net.act"),
    opt: select(FIRST_ORDER, "opt"),
    lr: number(1e-6, 100),
    sched: select(SCHEDULES, "schedule"),
    gamma: number(1e-6, 1),
    every: number(1, 1e6, 1),
    k: number(0, 10),
    total: number(1, 1e6, 1),
    batch: number(1, 30000, 1),
    l2: number(0, 1),
    drop: number(0, 0.95),
    bn: h("input", { type: "checkbox" }),
    seed: number(0, 4294967295, 1),
    cmp: h("input", { type: "checkbox" }),
    "b.drop": number(0, 0.95),
    "b.bn": h("input", { type: "checkbox" }),
    "b.l2": number(0, 1),
  };
  const errorBox = h("p", { class: "field-error", role: "alert" });
  const schedFields = {
    gamma: field("gamma", "sched.gamma", inputs.gamma),
    every: field("every", "net.every", inputs.every),
    k: field("k", "sched.k", inputs.k),
    total: field("total", "sched.total", inputs.total),
  };
  const check = (name, key) => {
    inputs[name].id = `net-${name.replace(".", "-")}`;
    return h("label", { for: inputs[name].id, class: "check" }, inputs[name], h("span", { "data-i18n": key }));
  };
  const compareBox = h("fieldset", { class: "racer net-compare" },
    h("legend", {}, h("span", { "data-i18n": "net.runB" })),
    h("div", { class: "hyper" }, field("b.drop", "net.dropout", inputs["b.drop"]), field("b.l2", "net.l2", inputs["b.l2"]), check("b.bn", "net.batchNorm")),
    h("p", { class: "hint", "data-i18n": "net.compareHint" }));

  const settings = h("div", { class: "panel net-settings" },
    h("div", { class: "hyper" }, field("data", "net.dataset", inputs.data), field("classes", "net.classes", inputs.classes),
      field("n", "net.pointsPerClass", inputs.n), field("noise", "net.noise", inputs.noise),
      field("dseed", "net.dataSeed", inputs.dseed), field("val", "net.validation", inputs.val)),
    h("div", { class: "hyper" }, field("hidden", "net.hidden", inputs.hidden), field("act", "net.activation", inputs.act)),
    h("p", { class: "hint", "data-i18n": "net.hiddenHint" }),
    h("div", { class: "hyper" }, field("opt", "net.optimizer", inputs.opt), field("lr", "hp.lr", inputs.lr),
      field("sched", "hp.schedule", inputs.sched), schedFields.gamma, schedFields.every, schedFields.k, schedFields.total),
    h("div", { class: "hyper" }, field("batch", "net.batch", inputs.batch), field("l2", "net.l2", inputs.l2),
      field("drop", "net.dropout", inputs.drop), check("bn", "net.batchNorm"), field("seed", "net.seed", inputs.seed)),
    h("p", { class: "hint", "data-i18n": "net.dropoutHint" }),
    h("p", { class: "hint", "data-i18n": "net.l2Hint" }),
    errorBox,
    h("label", { for: "net-cmp", class: "check" }, (inputs.cmp.id = "net-cmp", inputs.cmp), h("span", { "data-i18n": "net.compare" })),
    compareBox);

  const classPicker = h("div", { class: "net-classes", role: "radiogroup" });
  const removeToggle = h("input", { type: "checkbox", id: "net-remove" });
  const pair = h("div", { class: "net-pair" });
  const player = createPlayer({
    tick: (steps) => advance(steps),
    reset: () => { rebuild(); },
    speed: values.speed,
    onSpeed: (s) => { values.speed = s; save(); },
  });

  root.append(h("section", { class: "demo net", "aria-labelledby": "net-title" },
    h("h2", { id: "net-title", "data-i18n": "net.title" }),
    h("p", { class: "intro", "data-i18n": "net.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        // Controls above the map: on a wide screen the charts push them below the fold.
        player.element,
        pair,
        h("div", { class: "field-row net-click" }, h("span", { "data-i18n": "net.clickClass" }), classPicker,
          h("label", { for: removeToggle.id, class: "check" }, removeToggle, h("span", { "data-i18n": "net.removeMode" }))),
        h("p", { class: "hint", "data-i18n": "net.clickHint" }),
        h("p", { class: "hint", "data-i18n": "net.gapHint" })),
      h("div", { class: "side" }, settings))));
  const live = attachLiveRegion(root.lastElementChild);

  removeToggle.addEventListener("change", () => { removeMode = removeToggle.checked; });

  // ---- runs -----------------------------------------------------------
  function buildRunPanel(which) {
    const map = h("canvas", { class: "map net-map", role: "img", tabindex: 0, "data-run": which, "data-i18n-label": "net.mapLabel" });
    const offscreen = document.createElement("canvas");
    const metrics = h("p", { class: "net-metrics", "aria-live": "off" });
    const verdict = h("p", { class: "net-verdict" });
    const lossChart = h("canvas", { class: "chart net-chart", role: "img", "data-i18n-label": "net.lossChartLabel" });
    const accChart = h("canvas", { class: "chart net-chart", role: "img", "data-i18n-label": "net.accChartLabel" });
    const title = h("h3", { class: "net-run-title" });
    const panel = h("div", { class: "net-run" }, title, h("div", { class: "map-wrap" }, map), metrics, verdict,
      h("ul", { class: "legend" },
        h("li", {}, h("span", { class: "swatch net-train-swatch" }), h("span", { "data-i18n": "net.trainCurve" })),
        h("li", {}, h("span", { class: "swatch net-val-swatch" }), h("span", { "data-i18n": "net.valCurve" }))),
      h("p", { class: "chart-title", "data-i18n": "net.lossChart" }), lossChart,
      h("p", { class: "chart-title", "data-i18n": "net.accChart" }), accChart);
    const run = { which, map, offscreen, metrics, verdict, lossChart, accChart, title, panel, trainer: null, last: null };
    map.addEventListener("click", (e) => onMapClick(e, run));
    map.addEventListener("contextmenu", (e) => { e.preventDefault(); onMapClick(e, run, true); });
    map.addEventListener("keydown", (e) => onMapKey(e, run));
    map.addEventListener("blur", () => draw(run, false));
    unsubs.push(fitCanvas(map, () => draw(run, true)));
    unsubs.push(fitCanvas(lossChart, () => drawCharts(run)));
    unsubs.push(fitCanvas(accChart, () => drawCharts(run)));
    return run;
  }

  function makeTrainer(which) {
    const trainer = new engine.Trainer(trainerConfig(values, which));
    for (const e of edits) {
      try { applyEdit(trainer, e); } catch { /* an edit that no longer applies is skipped */ }
    }
    return trainer;
  }

  function rebuild() {
    const wanted = values.cmp ? ["a", "b"] : ["a"];
    let fresh;
    try {
      fresh = wanted.map((w) => makeTrainer(w));
    } catch (e) {
      showError(e.message);
      return false;
    }
    showError("");
    for (const run of runs) run.trainer?.free();
    if (runs.length !== wanted.length) {
      for (const run of runs) run.panel.remove();
      runs = wanted.map((w) => buildRunPanel(w));
      pair.classList.toggle("two", runs.length === 2);
      for (const run of runs) pair.append(run.panel);
      translateTree(pair);
    }
    runs.forEach((run, i) => {
      run.trainer = fresh[i];
      run.last = run.trainer.train(0);
    });
    view = viewOf(runs[0].trainer);
    labelRuns();
    for (const run of runs) { draw(run, true); drawCharts(run); }
    return true;
  }

  function labelRuns() {
    for (const run of runs) {
      const c = trainerConfig(values, run.which);
      const parts = [t(run.which === "a" ? "net.runA" : "net.runB")];
      if (values.cmp) {
        parts.push(`${t("net.dropout")} ${c.dropout ?? 0}`, `L2 ${c.l2}`);
        if (c.batchNorm) parts.push(t("net.batchNorm"));
      }
      run.title.textContent = parts.join(" · ");
      run.title.hidden = !values.cmp;
    }
  }

  function advance(steps) {
    const start = performance.now();
    try {
      for (const run of runs) run.last = run.trainer.train(steps);
    } catch (e) {
      showError(e.message);
      return false;
    }
    frameCount++;
    const busy = performance.now() - start;
    // Keep the frame rate: the decision map costs a grid forward pass, so it
    // is redrawn less often when training already takes most of the frame.
    const mapEvery = busy > 8 ? 4 : 2;
    for (const run of runs) draw(run, frameCount % mapEvery === 0);
    live.update(progressText({ step: runs[0].trainer.steps, runs: runs.map((r) => ({ ...r.last, name: runs.length > 1 ? t(r.which === "a" ? "net.runA" : "net.runB") : undefined })) }));
    if (frameCount % 8 === 0) for (const run of runs) drawCharts(run);
    return true;
  }

  function draw(run, fresh) {
    if (!run.trainer || !view || destroyed) return;
    drawDecision(run.map, run.trainer, view, fresh || !run.offscreen.width ? GRID : 0, run.offscreen);
    drawCursor(run);
    const last = run.last;
    const steps = run.trainer.steps;
    run.metrics.textContent = t("net.metrics", {
      step: steps, loss: Number.isFinite(last.loss) ? last.loss.toFixed(4) : String(last.loss),
      train: pct(last.trainAccuracy), val: pct(last.valAccuracy), lr: Number(run.trainer.lr.toPrecision(3)),
    });
    run.verdict.className = "net-verdict";
    if (last.valAccuracy === null) run.verdict.textContent = t("net.noValidation");
    else {
      // The flag says "overfitting" only when the gap is larger than the
      // validation set's size can explain.
      const n = run.trainer.valPoints().length / 2;
      const v = gapVerdict(last.trainAccuracy, last.valAccuracy, n);
      const vars = { gap: (100 * v.gap).toFixed(1), margin: (100 * v.margin).toFixed(1), n };
      const flagged = v.overfitting && steps > 0;
      run.verdict.textContent = t(flagged ? "net.overfitting" : "net.gapSmall", vars);
      if (flagged) run.verdict.classList.add("bad");
    }
    if (!Number.isFinite(last.loss)) run.verdict.textContent = t("net.diverged");
  }

  function drawCharts(run) {
    if (!run.trainer || destroyed) return;
    const scale = window.devicePixelRatio || 1;
    try {
      run.trainer.drawChart(run.lossChart, { metric: "loss", scale, xLabel: t("net.step"), yLabel: t("net.loss"), minSteps: 200 });
      run.trainer.drawChart(run.accChart, { metric: "accuracy", scale, xLabel: t("net.step"), yLabel: t("net.accuracy"), minSteps: 200 });
    } catch (e) {
      showError(e.message);
    }
  }

  function onMapClick(event, run, forceRemove = false) {
    if (!view) return;
    const { x, y } = eventToData(event, run.map, view);
    editAt(x, y, forceRemove || event.shiftKey || removeMode);
  }

  // Keyboard: arrow keys move a cross-hair over the map, Enter or Space
  // adds a point of the chosen class there, Delete or Backspace removes the
  // nearest one.
  let cursor = null;
  function onMapKey(event, run) {
    if (!view) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const width = view.xMax - view.xMin;
    const height = view.yMax - view.yMin;
    cursor ??= { x: (view.xMin + view.xMax) / 2, y: (view.yMin + view.yMax) / 2 };
    if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      cursor.x = Math.min(view.xMax, Math.max(view.xMin, cursor.x + dx * 0.025 * width));
      cursor.y = Math.min(view.yMax, Math.max(view.yMin, cursor.y + dy * 0.025 * height));
    } else if (event.key === "Enter" || event.key === " ") {
      editAt(cursor.x, cursor.y, removeMode);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      editAt(cursor.x, cursor.y, true);
    } else {
      return;
    }
    event.preventDefault();
    draw(run, false);
  }

  function drawCursor(run) {
    if (!cursor || document.activeElement !== run.map) return;
    const c = run.map.getContext("2d");
    const px = ((cursor.x - view.xMin) / (view.xMax - view.xMin)) * run.map.width;
    const py = ((view.yMax - cursor.y) / (view.yMax - view.yMin)) * run.map.height;
    const r = 9 * (window.devicePixelRatio || 1);
    c.save();
    c.strokeStyle = "#111";
    c.lineWidth = 2 * (window.devicePixelRatio || 1);
    c.beginPath();
    c.moveTo(px - r, py); c.lineTo(px + r, py);
    c.moveTo(px, py - r); c.lineTo(px, py + r);
    c.stroke();
    c.restore();
  }

  function editAt(x, y, remove) {
    const edit = remove
      ? { op: "r", x: round(x), y: round(y), r: round(0.04 * (view.xMax - view.xMin)) }
      : { op: "a", x: round(x), y: round(y), c: Math.min(values.cls, runs[0].trainer.classes - 1) };
    try {
      for (const r of runs) applyEdit(r.trainer, edit);
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    edits.push(edit);
    const text = encodeEdits(edits);
    if (text.length > MAX_EDITS) {
      ctx.notify(t("net.tooManyEdits"), "info");
    } else {
      values.edits = text;
      save();
    }
    for (const r of runs) { r.last = r.trainer.train(0); draw(r, true); }
  }

  const round = (v) => Math.round(v * 1000) / 1000;
  const encodeEdits = (list) => list.map((e) => (e.op === "a" ? `a,${e.x},${e.y},${e.c}` : `r,${e.x},${e.y},${e.r}`)).join(";");

  function buildClassPicker() {
    clear(classPicker);
    const classes = TWO_CLASS.includes(values.data) ? 2 : values.classes;
    if (values.cls >= classes) values.cls = 0;
    for (let c = 0; c < classes; c++) {
      const b = h("button", {
        type: "button", class: `net-class c${c}`, role: "radio", "aria-checked": String(values.cls === c),
        "aria-label": t("net.classN", { n: c + 1 }), title: t("net.classN", { n: c + 1 }),
      });
      b.addEventListener("click", () => { values.cls = c; buildClassPicker(); save(); });
      classPicker.append(b);
    }
  }

  // ---- inputs → values ------------------------------------------------
  function showError(message) {
    errorBox.textContent = message;
    if (message) ctx.notify(message);
  }

  function syncInputs() {
    for (const [name, input] of Object.entries(inputs)) {
      if (input.type === "checkbox") input.checked = values[name];
      else input.value = String(values[name]);
      input.removeAttribute("aria-invalid");
    }
    inputs.classes.disabled = TWO_CLASS.includes(values.data);
    for (const [key, label] of Object.entries(schedFields)) {
      const s = values.sched;
      label.hidden = !((key === "gamma" && s === "step") || (key === "every" && (s === "step" || s === "warm_restarts"))
        || (key === "k" && (s === "exponential" || s === "inverse_time")) || (key === "total" && s === "cosine"));
    }
    compareBox.hidden = !values.cmp;
    buildClassPicker();
  }

  const DATA_KEYS = ["data", "classes", "n", "noise", "dseed"];
  for (const [name, input] of Object.entries(inputs)) {
    input.addEventListener("change", () => {
      const spec = params[name];
      let value;
      if (input.type === "checkbox") value = input.checked;
      else if (spec.type === "number") {
        value = Number(input.value);
        const label = input.closest("label")?.querySelector("span")?.textContent ?? name;
        let message = null;
        if (input.value.trim() === "" || !Number.isFinite(value)) message = t("race.notANumber", { name: label });
        else if (spec.integer && !Number.isInteger(value)) message = t("race.notInteger", { name: label });
        else if (value < spec.min || value > spec.max) message = t("race.outOfRange", { name: label, min: spec.min, max: spec.max });
        if (message) { input.setAttribute("aria-invalid", "true"); showError(message); return; }
      } else if (name === "hidden") {
        if (parseHidden(input.value) === null) {
          input.setAttribute("aria-invalid", "true");
          showError(t("net.badHidden", { value: input.value }));
          return;
        }
        value = input.value.trim();
      } else value = input.value;
      const previous = { ...values };
      values[name] = value;
      if (name === "opt") values.lr = DEFAULT_LR[value];
      if (DATA_KEYS.includes(name)) { edits = []; values.edits = ""; }
      const wasPlaying = player.playing;
      if (!rebuild()) {
        Object.assign(values, previous);
        if (input.type === "checkbox") input.checked = values[name];
        input.setAttribute("aria-invalid", "true");
        return;
      }
      syncInputs();
      save();
      if (wasPlaying) player.start();
    });
  }

  function save() {
    ctx.save(values);
  }

  syncInputs();
  if (!rebuild()) {
    // A link with a combination the engine refuses: fall back to the defaults.
    for (const [name, spec] of Object.entries(params)) values[name] = typeof spec.default === "function" ? spec.default(values) : spec.default;
    edits = [];
    syncInputs();
    rebuild();
  }
  translateTree(root);
  unsubs.push(onLanguageChange(() => { buildClassPicker(); labelRuns(); for (const run of runs) { draw(run, false); drawCharts(run); } }));

  return {
    destroy() {
      live.destroy();
      destroyed = true;
      player.destroy();
      for (const u of unsubs) u();
      for (const run of runs) run.trainer?.free();
      runs = [];
    },
    saveState: save,
  };
}
