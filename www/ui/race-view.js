// The race view shared by the optimizer race, the schedules demo and the
// second-order demo: optimizers descending one 2-D surface from one start,
// their paths on a log-coloured heatmap, loss and learning-rate charts, and
// (for Newton-type teaching) the local quadratic model at a racer's point.
//
// A demo is a list of racer "slots" plus defaults; this module builds the
// URL parameter table from them and mounts the whole view.
import { h, clear } from "./dom.js";
import { fitCanvas } from "./canvas.js";
import { createPlayer } from "./player.js";
import { attachLiveRegion, readable } from "./live-region.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { RULES, SCHEDULE_RULES } from "../demos/formulas.js";

export const FIRST_ORDER = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];
export const SECOND_ORDER = ["newton", "bfgs", "lbfgs"];
export const SURFACES = ["quadratic", "saddle", "monkey", "rosenbrock", "beale", "himmelblau", "bumpy", "plateau", "custom"];
export const SCHEDULES = ["constant", "step", "exponential", "inverse_time", "cosine", "warm_restarts"];
const HEATMAP_SIZE = 256;
const OVERLAY_SIZE = 200;
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];
const MAX_EXPRESSION = 1000;

// Learning rates per surface and optimizer. On the ill-conditioned bowl each
// is that optimizer's best at the race's default κ = 100: within 10% of the
// fewest steps until the loss stays below 1e-6 (the lesson test checks this
// against a grid of rates). On the other surfaces they are set by hand to
// show the surface's lesson in a few hundred steps.
export const PRESETS = {
  quadratic: { sgd: 1.9, momentum: 0.5, nesterov: 0.8, adagrad: 1, rmsprop: 0.025, adam: 0.5 },
  saddle: { sgd: 0.05, momentum: 0.02, nesterov: 0.02, adagrad: 0.1, rmsprop: 0.01, adam: 0.02 },
  monkey: { sgd: 0.01, momentum: 0.005, nesterov: 0.005, adagrad: 0.1, rmsprop: 0.01, adam: 0.02 },
  rosenbrock: { sgd: 0.001, momentum: 0.0005, nesterov: 0.0005, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
  beale: { sgd: 0.0005, momentum: 0.0002, nesterov: 0.0002, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
  himmelblau: { sgd: 0.005, momentum: 0.002, nesterov: 0.002, adagrad: 0.5, rmsprop: 0.05, adam: 0.1 },
  bumpy: { sgd: 0.05, momentum: 0.05, nesterov: 0.05, adagrad: 0.5, rmsprop: 0.02, adam: 0.05 },
  plateau: { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.5, rmsprop: 0.01, adam: 0.05 },
  custom: { sgd: 0.01, momentum: 0.005, nesterov: 0.005, adagrad: 0.3, rmsprop: 0.01, adam: 0.05 },
};

// Optimizer hyperparameters a row shows: URL suffix, engine key, bounds, default.
const HYPER = {
  sgd: [],
  momentum: [{ suffix: "rho", key: "momentum", min: 0, max: 0.999, def: 0.9 }],
  nesterov: [{ suffix: "rho", key: "momentum", min: 0, max: 0.999, def: 0.9 }],
  adagrad: [{ suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-10 }],
  rmsprop: [
    { suffix: "decay", key: "decay", min: 0, max: 0.9999, def: 0.99 },
    { suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-8 },
  ],
  adam: [
    { suffix: "b1", key: "beta1", min: 0, max: 0.9999, def: 0.9 },
    { suffix: "b2", key: "beta2", min: 0, max: 0.99999, def: 0.999 },
    { suffix: "eps", key: "eps", min: 1e-12, max: 1, def: 1e-8 },
  ],
};

// Every hyperparameter suffix, in the order a row shows them.
const HYPER_SUFFIXES = ["rho", "decay", "b1", "b2", "eps"];

function hyperOf(kind, suffix) {
  return (HYPER[kind] ?? []).find((hp) => hp.suffix === suffix);
}

// Schedule parameters: URL suffix = engine key, bounds, default, which kinds use it.
const SCHEDULE_PARAMS = [
  { key: "gamma", min: 1e-6, max: 1, def: 0.5, kinds: ["step"] },
  { key: "every", min: 1, max: 1e6, def: 100, integer: true, kinds: ["step"] },
  { key: "k", min: 0, max: 10, def: 0.01, kinds: ["exponential", "inverse_time"] },
  { key: "total", min: 1, max: 1e6, def: 300, integer: true, kinds: ["cosine"] },
  { key: "period", min: 1, max: 1e6, def: 50, integer: true, kinds: ["warm_restarts"] },
  { key: "mult", min: 1, max: 10, def: 2, integer: true, kinds: ["warm_restarts"] },
  { key: "min", min: 0, max: 1000, def: 0, kinds: ["cosine", "warm_restarts"] },
  { key: "warmup", min: 0, max: 1e6, def: 0, integer: true, kinds: SCHEDULES },
];

export const COLORS = {
  sgd: "#e6194b", momentum: "#3cb44b", nesterov: "#f58231", adagrad: "#911eb4",
  rmsprop: "#42d4f4", adam: "#f032e6", newton: "#000075", bfgs: "#808000", lbfgs: "#9a6324",
};

export function formatNumber(v) {
  if (v === null || v === undefined) return "–";
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Wraps a byte view of wasm memory as ImageData without copying it. */
export function imageDataOf(bytes, width, height) {
  return new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), width, height);
}

/**
 * A slot: {id, kind, color?, nameKey?, lr?, schedule?, scheduleDefaults?,
 * biasCorrection?} where kind is an optimizer kind or (values) => kind;
 * `schedule` is the default schedule kind ("constant"); `lr` fixes the
 * default rate instead of the surface's PRESETS entry; `biasCorrection`
 * is Adam's default (true).
 */
function slotKind(slot, values) {
  return typeof slot.kind === "function" ? slot.kind(values) : slot.kind;
}

function isSecondOrder(kind) {
  return SECOND_ORDER.includes(kind);
}

/** Builds the URL parameter table of a race demo. */
export function buildParams(spec) {
  const table = {
    surface: { type: "enum", values: SURFACES, default: spec.surface ?? "quadratic" },
    expr: { type: "text", maxLength: MAX_EXPRESSION, default: "x^2 + 10*y^2 + 0.3*sin(3*x)" },
    range: { type: "number", min: 0.01, max: 1e5, default: 3 },
    cond: { type: "number", min: 1, max: 1000, default: spec.cond ?? 20 },
    rot: { type: "number", min: -90, max: 90, default: 30 },
    x: { type: "number", min: -1e5, max: 1e5 },
    y: { type: "number", min: -1e5, max: 1e5 },
    on: { type: "set", values: spec.slots.map((s) => s.id), default: spec.on ?? spec.slots.map((s) => s.id) },
    noise: { type: "bool", default: spec.noise ?? false },
    batch: { type: "number", integer: true, min: 1, max: 1e6, default: spec.batch ?? 1 },
    seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
    speed: { type: "number", integer: true, min: 1, max: 100, default: spec.speed ?? 2 },
    arrows: { type: "bool", default: false },
    model: { type: "enum", values: ["", ...spec.slots.map((s) => s.id)], default: spec.model ?? "" },
    ...(spec.extraParams ?? {}),
  };
  for (const slot of spec.slots) {
    const kindOf = (v) => slotKind(slot, v);
    if (slot.id === "newton" || slot.kind === "newton") {
      table[`${slot.id}.damping`] = { type: "enum", values: ["line_search", "none", "levenberg"], default: slot.damping ?? "line_search" };
      table[`${slot.id}.lambda`] = { type: "number", min: 0, max: 1e6, default: 1 };
      continue;
    }
    if (slot.id === "lbfgs" || slot.kind === "lbfgs") {
      table[`${slot.id}.m`] = { type: "number", integer: true, min: 1, max: 100, default: 10 };
      table[`${slot.id}.ls`] = { type: "enum", values: ["strong_wolfe", "backtracking", "none"], default: "strong_wolfe" };
      continue;
    }
    if (slot.id === "bfgs" || slot.kind === "bfgs") {
      table[`${slot.id}.ls`] = { type: "enum", values: ["strong_wolfe", "backtracking", "none"], default: "strong_wolfe" };
      continue;
    }
    table[`${slot.id}.lr`] = {
      type: "number", min: 0, max: 1000,
      default: (v) => slot.lr ?? PRESETS[v.surface ?? "quadratic"][kindOf(v)] ?? 0.01,
    };
    for (const suffix of HYPER_SUFFIXES) {
      const any = hyperOf(FIRST_ORDER.find((k) => hyperOf(k, suffix)), suffix);
      // The default follows the slot's current kind (AdaGrad's ε differs from Adam's).
      table[`${slot.id}.${suffix}`] = {
        type: "number", min: any.min, max: any.max,
        default: (v) => (hyperOf(kindOf(v), suffix) ?? any).def,
      };
    }
    table[`${slot.id}.bc`] = { type: "bool", default: slot.biasCorrection ?? true };
    table[`${slot.id}.sched`] = { type: "enum", values: SCHEDULES, default: slot.schedule ?? "constant" };
    for (const p of SCHEDULE_PARAMS) {
      table[`${slot.id}.${p.key}`] = {
        type: "number", min: p.min, max: p.max, integer: p.integer, default: slot.scheduleDefaults?.[p.key] ?? p.def,
      };
    }
  }
  return table;
}

/** The engine config of a slot's racer from the demo's values. */
export function racerConfig(slot, values) {
  const kind = slotKind(slot, values);
  const id = slot.id;
  if (kind === "newton") {
    const damping = values[`${id}.damping`];
    return { kind, damping: damping === "levenberg" ? values[`${id}.lambda`] : damping };
  }
  if (kind === "lbfgs") return { kind, history: values[`${id}.m`], lineSearch: values[`${id}.ls`] };
  if (kind === "bfgs") return { kind, lineSearch: values[`${id}.ls`] };
  const config = { kind, lr: values[`${id}.lr`] };
  for (const hp of HYPER[kind]) config[hp.key] = values[`${id}.${hp.suffix}`];
  if (kind === "adam") config.biasCorrection = values[`${id}.bc`];
  const sched = values[`${id}.sched`];
  if (sched !== "constant" || values[`${id}.warmup`] > 0) {
    const schedule = { kind: sched };
    for (const p of SCHEDULE_PARAMS) {
      if (p.kinds.includes(sched) && !(p.key === "warmup" && values[`${id}.warmup`] === 0)) {
        schedule[p.key] = values[`${id}.${p.key}`];
      }
    }
    config.schedule = schedule;
  }
  return config;
}

/** The engine's surface settings for a race demo's values. */
export function surfaceSpecOf(values) {
  if (values.surface === "quadratic") return { name: "quadratic", condition: values.cond, rotation: values.rot };
  if (values.surface === "custom") return { expr: values.expr, range: values.range };
  return values.surface;
}

/**
 * Mounts a race view.
 * spec: {id, titleKey, introKey, slots, showSchedules, showModel, surfaces?}
 */
export function mountRace(root, ctx, spec) {
  const { engine } = ctx;
  const values = { ...ctx.values };
  const slots = spec.slots;
  let surface = null;
  let race = null;
  let raceSlots = [];
  let heatmap = null;
  let lastChart = 0;
  let destroyed = false;
  const overlayCanvas = document.createElement("canvas");
  overlayCanvas.width = OVERLAY_SIZE;
  overlayCanvas.height = OVERLAY_SIZE;

  // ---- layout -------------------------------------------------------
  const mapCanvas = h("canvas", { class: "map", tabindex: 0, role: "img" });
  const heatCanvas = document.createElement("canvas");
  const legend = h("ul", { class: "legend" });
  const chartCanvas = h("canvas", { class: "chart", role: "img" });
  const scheduleCanvas = h("canvas", { class: "chart schedule-chart", role: "img" });
  const scheduleBlock = h("div", { class: "schedule-block" },
    h("p", { class: "chart-title", "data-i18n": "race.scheduleChart" }), scheduleCanvas);
  const player = createPlayer({
    // Stepping is timed against the frame budget; drawing happens once per frame.
    step: (steps) => advance(steps),
    draw: () => {
      draw();
      if (race) live.update(liveText());
    },
    reset: () => { race?.reset(); draw(true); },
    speed: values.speed,
    onSpeed: (s) => { values.speed = s; save(); },
  });

  const surfaceSelect = h("select", { id: `${spec.id}-surface` },
    SURFACES.map((s) => h("option", { value: s, "data-i18n": `surface.${s}` })));
  const surfaceLesson = h("p", { class: "lesson" });
  const condInput = h("input", { type: "range", min: 0, max: 3, step: 0.01, id: `${spec.id}-cond` });
  const condOut = h("output");
  const rotInput = h("input", { type: "range", min: -90, max: 90, step: 1, id: `${spec.id}-rot` });
  const rotOut = h("output");
  const quadraticControls = h("div", { class: "sub" },
    h("label", { for: condInput.id }, h("span", { "data-i18n": "race.condition" }), condInput, condOut),
    h("label", { for: rotInput.id }, h("span", { "data-i18n": "race.rotation" }), rotInput, rotOut));

  // Typed loss function.
  const exprInput = h("input", {
    type: "text", id: `${spec.id}-expr`, spellcheck: "false", autocomplete: "off",
    maxlength: MAX_EXPRESSION, class: "expr", "aria-describedby": `${spec.id}-expr-error`,
  });
  const rangeInput = h("input", { type: "number", id: `${spec.id}-range`, min: 0.01, max: 1e5, step: "any", class: "range" });
  const exprApply = h("button", { type: "button", "data-i18n": "expr.apply" });
  const exprError = h("div", { class: "expr-error", id: `${spec.id}-expr-error`, role: "alert" });
  const exprControls = h("div", { class: "sub expr-box" },
    h("label", { for: exprInput.id, class: "field" }, h("span", { "data-i18n": "expr.label" })),
    h("div", { class: "expr-row" }, exprInput, exprApply),
    h("label", { for: rangeInput.id, class: "inline" }, h("span", { "data-i18n": "expr.range" }), rangeInput),
    exprError,
    h("p", { class: "hint", "data-i18n": "expr.help" }));

  const noiseToggle = h("input", { type: "checkbox", id: `${spec.id}-noise` });
  const batchSelect = h("select", { id: `${spec.id}-batch` }, BATCH_SIZES.map((b) => h("option", { value: b }, String(b))));
  const sigmaOut = h("output", { class: "sigma" });
  const seedInput = h("input", { type: "number", min: 0, max: 4294967295, step: 1, id: `${spec.id}-seed`, inputmode: "numeric" });
  const arrowsToggle = h("input", { type: "checkbox", id: `${spec.id}-arrows` });

  const modelSelect = h("select", { id: `${spec.id}-model` });
  const modelInfo = h("div", { class: "model-info", "aria-live": "polite" });
  const modelPanel = h("div", { class: "panel model-panel" },
    h("label", { for: modelSelect.id, class: "field" }, h("span", { "data-i18n": "model.show" }), modelSelect),
    modelInfo,
    h("details", {}, h("summary", { "data-i18n": "model.whatIs" }), h("p", { "data-i18n": "model.explain" }),
      h("p", { "data-i18n": "model.saddleExplain" })));

  const extraTop = spec.extraControls ? spec.extraControls(values, () => { rebuildRace(); syncInputs(); }) : null;

  const rows = {};
  const racerList = h("div", { class: "racers" });
  for (const slot of slots) racerList.append(buildRow(slot));

  const settings = h("div", { class: "panel" },
    extraTop,
    h("label", { for: surfaceSelect.id, class: "field" }, h("span", { "data-i18n": "race.surface" }), surfaceSelect),
    surfaceLesson,
    quadraticControls,
    exprControls,
    h("div", { class: "field-row" },
      h("label", { for: noiseToggle.id, class: "check" }, noiseToggle, h("span", { "data-i18n": "race.noise" })),
      h("label", { for: batchSelect.id, class: "inline" }, h("span", { "data-i18n": "race.batch" }), batchSelect),
      sigmaOut),
    h("div", { class: "field-row" },
      h("label", { for: seedInput.id, class: "inline" }, h("span", { "data-i18n": "race.seed" }), seedInput),
      h("label", { for: arrowsToggle.id, class: "check" }, arrowsToggle, h("span", { "data-i18n": "race.arrows" }))));

  const section = h("section", { class: `demo race ${spec.id}`, "aria-labelledby": `${spec.id}-title` },
    h("h2", { id: `${spec.id}-title`, "data-i18n": spec.titleKey }),
    h("p", { class: "intro", "data-i18n": spec.introKey }),
    spec.presets ? h("nav", { class: "presets", "aria-labelledby": `${spec.id}-presets` },
      h("span", { id: `${spec.id}-presets`, "data-i18n": "race.presets" }),
      spec.presets.map((p) => h("a", { href: `#${spec.id}?${p.query}`, "data-i18n": `preset.${p.key}` }))) : null,
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        h("div", { class: "map-wrap" }, mapCanvas),
        h("p", { class: "hint", "data-i18n": "race.clickHint" }),
        legend,
        player.element,
        h("p", { class: "chart-title", "data-i18n": "race.lossChart" }),
        chartCanvas,
        scheduleBlock),
      h("div", { class: "side" },
        settings,
        spec.showModel ? modelPanel : null,
        h("h3", { "data-i18n": "race.racers" }),
        racerList)));
  root.append(section);
  player.runner.observe(section);
  const live = attachLiveRegion(section);

  // ---- racer rows ---------------------------------------------------
  function numberField(name, labelKey, min, max, onValid, kindForError) {
    const input = h("input", {
      type: "number", step: "any", min, max, id: `${spec.id}-${name.replace(".", "-")}`, inputmode: "decimal",
      dataset: { param: name },
    });
    input.addEventListener("change", () => onValid(name, input, labelKey, kindForError));
    const label = h("label", { for: input.id }, h("span", { "data-i18n": labelKey }), input);
    return { input, label };
  }

  function selectField(name, labelKey, options, optionKey) {
    const select = h("select", { id: `${spec.id}-${name.replace(".", "-")}`, dataset: { param: name } },
      options.map((o) => h("option", { value: o, "data-i18n": `${optionKey}.${o}` })));
    select.addEventListener("change", () => {
      values[name] = select.value;
      syncInputs();
      rebuildRace();
    });
    const label = h("label", { for: select.id }, h("span", { "data-i18n": labelKey }), select);
    return { select, label };
  }

  function buildRow(slot) {
    const id = slot.id;
    const enabled = h("input", { type: "checkbox", id: `${spec.id}-on-${id}` });
    enabled.addEventListener("change", () => {
      values.on = slots.map((s) => s.id).filter((s) => (s === id ? enabled.checked : values.on.includes(s)));
      rebuildRace();
    });
    const status = h("span", { class: "status" });
    const error = h("p", { class: "field-error", role: "alert" });
    const fields = h("div", { class: "hyper" });
    const scheduleFields = h("div", { class: "hyper schedule-fields" });
    const numbers = [];
    const selects = [];
    const row = { slot, enabled, status, error, numbers, selects, fields, scheduleFields };
    const name = h("span", { class: "name" });
    const ruleBox = h("div", { class: "rule" });
    const explain = h("p");
    const details = h("details", {}, h("summary", { "data-i18n": "race.howItWorks" }), ruleBox, explain);
    row.swatch = h("span", { class: "swatch" });
    const legendEl = h("legend", {},
      h("label", { for: enabled.id, class: "check" }, enabled, row.swatch, name),
      status);
    row.name = name;
    row.ruleBox = ruleBox;
    row.explain = explain;
    row.element = h("fieldset", { class: "racer", dataset: { slot: id } }, legendEl, fields, scheduleFields, error, details);
    const kind0 = slotKind(slot, values);
    if (kind0 === "newton") {
      const damping = selectField(`${id}.damping`, "hp.damping", ["line_search", "none", "levenberg"], "damping");
      const lambda = numberField(`${id}.lambda`, "hp.lambda", 0, 1e6, applyNumber, id);
      fields.append(damping.label, lambda.label);
      selects.push(damping.select);
      numbers.push(lambda.input);
      row.lambdaLabel = lambda.label;
    } else if (kind0 === "bfgs") {
      const ls = selectField(`${id}.ls`, "hp.lineSearch", ["strong_wolfe", "backtracking", "none"], "lineSearch");
      fields.append(ls.label);
      selects.push(ls.select);
    } else if (kind0 === "lbfgs") {
      const m = numberField(`${id}.m`, "hp.history", 1, 100, applyNumber, id);
      const ls = selectField(`${id}.ls`, "hp.lineSearch", ["strong_wolfe", "backtracking", "none"], "lineSearch");
      fields.append(m.label, ls.label);
      numbers.push(m.input);
      selects.push(ls.select);
    } else {
      // Inputs for every first-order kind exist; syncInputs shows the current kind's.
      const lr = numberField(`${id}.lr`, "hp.lr", 0, 1000, applyNumber, id);
      fields.append(lr.label);
      numbers.push(lr.input);
      row.hyperLabels = {};
      for (const suffix of HYPER_SUFFIXES) {
        const hp = hyperOf(FIRST_ORDER.find((k) => hyperOf(k, suffix)), suffix);
        const f = numberField(`${id}.${suffix}`, `hp.${hp.key}`, hp.min, hp.max, applyNumber, id);
        fields.append(f.label);
        numbers.push(f.input);
        row.hyperLabels[suffix] = f.label;
      }
      const bc = h("input", { type: "checkbox", id: `${spec.id}-${id}-bc` });
      bc.addEventListener("change", () => { values[`${id}.bc`] = bc.checked; syncInputs(); rebuildRace(); });
      row.bc = bc;
      row.bcLabel = h("label", { for: bc.id, class: "check" }, bc, h("span", { "data-i18n": "hp.biasCorrection" }));
      fields.append(row.bcLabel);
      const sched = selectField(`${id}.sched`, "hp.schedule", SCHEDULES, "schedule");
      scheduleFields.append(sched.label);
      selects.push(sched.select);
      row.scheduleLabels = {};
      for (const p of SCHEDULE_PARAMS) {
        const f = numberField(`${id}.${p.key}`, `sched.${p.key}`, p.min, p.max, applyNumber, id);
        scheduleFields.append(f.label);
        numbers.push(f.input);
        row.scheduleLabels[p.key] = f.label;
      }
    }
    rows[id] = row;
    return row.element;
  }

  function applyNumber(name, input, labelKey, slotId) {
    const slot = slots.find((s) => s.id === slotId);
    const row = rows[slotId];
    const raw = input.value.trim();
    const value = Number(raw);
    const spec1 = params[name];
    let message = null;
    if (raw === "" || !Number.isFinite(value)) {
      message = t("race.notANumber", { name: t(labelKey) });
    } else if (spec1?.integer && !Number.isInteger(value)) {
      message = t("race.notInteger", { name: t(labelKey) });
    } else if (spec1 && (value < spec1.min || value > spec1.max)) {
      message = t("race.outOfRange", { name: t(labelKey), min: spec1.min, max: spec1.max });
    } else {
      try {
        new engine.Optimizer(racerConfig(slot, { ...values, [name]: value })).free();
      } catch (e) {
        message = e.message;
      }
    }
    if (message) {
      input.setAttribute("aria-invalid", "true");
      row.error.textContent = `${row.name.textContent}: ${message}`;
      ctx.notify(row.error.textContent);
      return;
    }
    input.removeAttribute("aria-invalid");
    row.error.textContent = "";
    values[name] = value;
    syncInputs();
    rebuildRace();
  }

  const params = spec.params;

  // ---- engine objects -----------------------------------------------
  const surfaceSpec = () => surfaceSpecOf(values);

  /** Makes a new surface and heatmap; keeps the old ones on failure. */
  function rebuildSurface() {
    let next;
    try {
      next = new engine.Surface(surfaceSpec());
    } catch (e) {
      if (values.surface === "custom") showExpressionError(e.message, null);
      ctx.notify(e.message);
      return false;
    }
    if (values.surface === "custom") showExpressionError("", null);
    surface?.free();
    surface = next;
    const b = surface.bounds();
    const aspect = (b.yMax - b.yMin) / (b.xMax - b.xMin);
    const w = HEATMAP_SIZE;
    const hgt = Math.max(16, Math.min(1024, Math.round(HEATMAP_SIZE * aspect)));
    if (!heatmap || heatmap.width !== w || heatmap.height !== hgt) {
      heatmap?.free();
      heatmap = new engine.Heatmap(w, hgt);
    }
    heatmap.render(surface);
    heatCanvas.width = w;
    heatCanvas.height = hgt;
    heatCanvas.getContext("2d").putImageData(imageDataOf(heatmap.pixels(), w, hgt), 0, 0);
    mapCanvas.style.aspectRatio = `${w} / ${hgt}`;
    return true;
  }

  function startPoint() {
    if (Number.isFinite(values.x) && Number.isFinite(values.y)) return [values.x, values.y];
    return Array.from(surface.defaultStart());
  }

  /** Builds a race from the current values; keeps the old race on failure. */
  function rebuildRace() {
    raceSlots = slots.filter((s) => values.on.includes(s.id));
    let next;
    try {
      next = new engine.Race(surface, {
        start: startPoint(),
        racers: raceSlots.map((s) => racerConfig(s, values)),
        noise: values.noise ? { batchSize: values.batch } : null,
        seed: values.seed,
      });
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    race?.free();
    race = next;
    updateSigma();
    updateModelChoices();
    save();
    draw(true);
  }

  function updateSigma() {
    const sigma = surface.noiseScale / Math.sqrt(values.batch);
    sigmaOut.textContent = values.noise ? t("race.sigma", { sigma: formatNumber(sigma) }) : "";
    batchSelect.disabled = !values.noise;
  }

  // ---- typed expressions -----------------------------------------------
  function showExpressionError(message, position) {
    clear(exprError);
    exprInput.toggleAttribute("aria-invalid", Boolean(message));
    if (!message) return;
    if (position !== null && position !== undefined) {
      const text = exprInput.value;
      const chars = Array.from(text);
      const before = chars.slice(0, position).join("");
      const at = chars[position] ?? " ";
      const after = chars.slice(position + 1).join("");
      exprError.append(h("code", { class: "expr-echo" }, before, h("mark", { text: at }), after));
    }
    exprError.append(h("span", { text: message }));
  }

  function checkExpression() {
    const text = exprInput.value;
    const check = engine.Surface.checkExpression(text);
    if (check.ok) {
      showExpressionError("", null);
      return true;
    }
    const message = t("expr.errorAt", { position: check.position + 1, message: check.message })
      + (check.hint ? ` — ${check.hint}` : "");
    showExpressionError(message, check.position);
    return false;
  }

  function applyExpression() {
    if (!checkExpression()) return;
    const range = Number(rangeInput.value);
    if (!Number.isFinite(range) || range < 0.01 || range > 1e5) {
      rangeInput.setAttribute("aria-invalid", "true");
      showExpressionError(t("race.outOfRange", { name: t("expr.range"), min: 0.01, max: 1e5 }), null);
      return;
    }
    rangeInput.removeAttribute("aria-invalid");
    const previous = { expr: values.expr, range: values.range, x: values.x, y: values.y };
    values.expr = exprInput.value;
    values.range = range;
    delete values.x;
    delete values.y;
    if (!rebuildSurface()) {
      Object.assign(values, previous);
      return;
    }
    rebuildRace();
  }

  let exprTimer = 0;
  exprInput.addEventListener("input", () => {
    clearTimeout(exprTimer);
    exprTimer = setTimeout(checkExpression, 250);
  });
  exprInput.addEventListener("keydown", (e) => { if (e.key === "Enter") applyExpression(); });
  exprApply.addEventListener("click", applyExpression);
  rangeInput.addEventListener("keydown", (e) => { if (e.key === "Enter") applyExpression(); });

  // ---- the local quadratic model ------------------------------------
  function updateModelChoices() {
    const current = values.model;
    clear(modelSelect);
    modelSelect.append(h("option", { value: "", text: t("model.off") }));
    for (const slot of raceSlots) modelSelect.append(h("option", { value: slot.id, text: slotName(slot) }));
    modelSelect.value = raceSlots.some((s) => s.id === current) ? current : "";
  }
  modelSelect.addEventListener("change", () => { values.model = modelSelect.value; save(); draw(true); });

  function modelIndex() {
    if (!spec.showModel || !values.model) return -1;
    return raceSlots.findIndex((s) => s.id === values.model);
  }

  function drawModel(c, b, dpr) {
    const index = modelIndex();
    clear(modelInfo);
    if (index < 0 || !race) return;
    let model;
    try {
      model = race.model(index);
      const pixels = race.modelOverlay(index, OVERLAY_SIZE, OVERLAY_SIZE);
      overlayCanvas.getContext("2d").putImageData(imageDataOf(pixels, OVERLAY_SIZE, OVERLAY_SIZE), 0, 0);
    } catch (e) {
      modelInfo.append(h("p", { class: "field-error", text: e.message }));
      return;
    }
    c.drawImage(overlayCanvas, 0, 0, mapCanvas.width, mapCanvas.height);
    const status = race.status(index);
    const [cx, cy] = toPixel(b, status.x, status.y);
    if (model.newtonTarget) {
      const [tx, ty] = toPixel(b, model.newtonTarget[0], model.newtonTarget[1]);
      c.save();
      c.strokeStyle = "#ffd60a";
      c.lineWidth = 2 * dpr;
      c.setLineDash([5 * dpr, 4 * dpr]);
      c.beginPath();
      c.moveTo(cx, cy);
      c.lineTo(tx, ty);
      c.stroke();
      c.setLineDash([]);
      c.fillStyle = "#ffd60a";
      c.beginPath();
      const r = 6 * dpr;
      c.moveTo(tx, ty - r); c.lineTo(tx + r, ty); c.lineTo(tx, ty + r); c.lineTo(tx - r, ty);
      c.closePath();
      c.fill();
      c.restore();
    }
    const [l1, l2] = model.eigenvalues;
    modelInfo.append(
      h("p", {}, h("strong", { text: t(`curvature.${model.curvature}`) })),
      h("p", { text: t("model.eigen", { l1: formatNumber(l1), l2: formatNumber(l2), kappa: formatNumber(model.condition) }) }),
      h("p", { text: model.newtonTarget
        ? t("model.target", { x: formatNumber(model.newtonTarget[0]), y: formatNumber(model.newtonTarget[1]) })
        : t("model.noTarget") }),
      h("p", { class: "hint", text: t(`curvature.${model.curvature}.explain`) }));
  }

  // ---- drawing --------------------------------------------------------
  function toPixel(b, x, y) {
    return [
      ((x - b.xMin) / (b.xMax - b.xMin)) * mapCanvas.width,
      ((b.yMax - y) / (b.yMax - b.yMin)) * mapCanvas.height,
    ];
  }

  function slotColor(slot) {
    return slot.color ?? COLORS[slotKind(slot, values)];
  }

  function slotName(slot) {
    return slot.nameKey ? t(slot.nameKey) : t(`opt.${slotKind(slot, values)}`);
  }

  function drawMap() {
    const c = mapCanvas.getContext("2d");
    const W = mapCanvas.width;
    const H = mapCanvas.height;
    const dpr = window.devicePixelRatio || 1;
    c.imageSmoothingEnabled = true;
    c.drawImage(heatCanvas, 0, 0, W, H);
    const b = surface.bounds();
    const minima = surface.minima();
    c.strokeStyle = "rgba(255,255,255,0.9)";
    c.lineWidth = 1.5 * dpr;
    for (let i = 0; i < minima.length; i += 2) {
      const [px, py] = toPixel(b, minima[i], minima[i + 1]);
      const r = 5 * dpr;
      c.beginPath();
      c.moveTo(px - r, py - r); c.lineTo(px + r, py + r);
      c.moveTo(px + r, py - r); c.lineTo(px - r, py + r);
      c.stroke();
    }
    if (!race) return;
    drawModel(c, b, dpr);
    const [sx, sy] = toPixel(b, ...startPoint());
    c.fillStyle = "#fff";
    c.strokeStyle = "#000";
    c.lineWidth = 1.5 * dpr;
    c.beginPath();
    c.rect(sx - 4 * dpr, sy - 4 * dpr, 8 * dpr, 8 * dpr);
    c.fill();
    c.stroke();
    const minGap = 0.75 * dpr;
    for (let i = 0; i < raceSlots.length; i++) {
      const color = slotColor(raceSlots[i]);
      const path = race.path(i);
      c.strokeStyle = color;
      c.lineWidth = 2 * dpr;
      c.lineJoin = "round";
      c.beginPath();
      let [lx, ly] = toPixel(b, path[0], path[1]);
      c.moveTo(lx, ly);
      const n = path.length;
      for (let k = 2; k < n; k += 2) {
        const [px, py] = toPixel(b, path[k], path[k + 1]);
        // Skip points closer than a pixel: long runs stay cheap to draw.
        if (Math.abs(px - lx) + Math.abs(py - ly) < minGap && k < n - 2) continue;
        c.lineTo(px, py);
        lx = px;
        ly = py;
      }
      c.stroke();
      const [cx, cy] = toPixel(b, path[n - 2], path[n - 1]);
      c.fillStyle = color;
      c.strokeStyle = "#fff";
      c.beginPath();
      c.arc(cx, cy, 5 * dpr, 0, Math.PI * 2);
      c.fill();
      c.stroke();
      if (values.arrows && n > 2) drawArrows(c, b, i, cx, cy, color, dpr);
    }
    // A host's own paths over the racers' (the notebook widget draws a
    // student's trajectory here), in data coordinates up to the race's step.
    ctx.drawOver?.({ context: c, toPixel: (x, y) => toPixel(b, x, y), dpr, steps: chartExtent().longest });
  }

  function drawArrows(c, b, index, cx, cy, color, dpr) {
    const [gx, gy, dx, dy] = race.arrows(index);
    const pxPerUnitX = mapCanvas.width / (b.xMax - b.xMin);
    const pxPerUnitY = mapCanvas.height / (b.yMax - b.yMin);
    const gl = Math.hypot(gx * pxPerUnitX, gy * pxPerUnitY);
    if (gl > 0) arrow(c, cx, cy, (-gx * pxPerUnitX / gl) * 36 * dpr, (gy * pxPerUnitY / gl) * 36 * dpr, "#fff", dpr, true);
    const sx = dx * pxPerUnitX;
    const sy = -dy * pxPerUnitY;
    const sl = Math.hypot(sx, sy);
    if (sl > 0) {
      const len = Math.min(80, Math.max(14, sl * 8)) * dpr;
      arrow(c, cx, cy, (sx / sl) * len, (sy / sl) * len, color, dpr, false);
    }
  }

  function arrow(c, x, y, dx, dy, color, dpr, dashed) {
    c.save();
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 2 * dpr;
    if (dashed) c.setLineDash([4 * dpr, 3 * dpr]);
    c.beginPath();
    c.moveTo(x, y);
    c.lineTo(x + dx, y + dy);
    c.stroke();
    c.setLineDash([]);
    const angle = Math.atan2(dy, dx);
    const head = 7 * dpr;
    c.beginPath();
    c.moveTo(x + dx, y + dy);
    c.lineTo(x + dx - head * Math.cos(angle - 0.4), y + dy - head * Math.sin(angle - 0.4));
    c.lineTo(x + dx - head * Math.cos(angle + 0.4), y + dy - head * Math.sin(angle + 0.4));
    c.closePath();
    c.fill();
    c.restore();
  }

  function statusText(index) {
    if (!race || index < 0) return t("race.off");
    const s = race.status(index);
    if (s.state === "diverged") return t("race.diverged", { step: s.atStep });
    if (s.state === "stuck") return t("race.stuck", { step: s.atStep, reason: t(`reason.${s.reason}`) });
    let text = t("race.progress", { step: s.steps, loss: formatNumber(s.loss) });
    if (s.state === "converged") text = t("race.converged", { step: s.atStep, loss: formatNumber(s.loss) });
    const secondOrder = isSecondOrder(slotKind(raceSlots[index], values));
    // Where second-order methods race, every racer shows what it spent:
    // fewer iterations is not less work.
    if (secondOrder || spec.showCounts) {
      text += ` · ${t("race.counts", { f: s.evaluations, g: s.gradients, h: s.hessians })}`;
    }
    if (!secondOrder && (values[`${raceSlots[index].id}.sched`] !== "constant" || values[`${raceSlots[index].id}.warmup`] > 0)) {
      text += ` · lr ${formatNumber(s.lr)}`;
    }
    if (s.state === "finished") text += ` · ${t("race.finished")}`;
    return text;
  }

  function drawStatus() {
    clear(legend);
    for (const slot of slots) {
      const index = raceSlots.indexOf(slot);
      const text = statusText(index);
      const row = rows[slot.id];
      row.status.textContent = text;
      row.element.classList.toggle("off", index < 0);
      const state = index >= 0 && race ? race.status(index).state : "off";
      row.element.classList.toggle("diverged", state === "diverged" || state === "stuck");
      if (index >= 0) {
        const swatch = h("span", { class: "swatch" });
        swatch.style.background = slotColor(slot);
        legend.append(h("li", { class: state },
          swatch,
          h("span", { class: "name", text: slotName(slot) }),
          h("span", { class: "status", text })));
      }
    }
  }

  function minimumValue() {
    const minima = surface.minima();
    if (minima.length < 2) return null;
    return surface.value(minima[0], minima[1]);
  }

  /** Steps of the furthest racer, and the step axis' length for the charts. */
  function chartExtent() {
    let longest = 0;
    for (let i = 0; i < raceSlots.length; i++) longest = Math.max(longest, race.status(i).steps);
    // Grow in whole steps of 100 so the axis does not crawl every frame.
    return { longest, extent: Math.max(spec.minSteps ?? 100, Math.ceil((longest + 1) / 100) * 100) };
  }

  function hasSchedules() {
    return raceSlots.some((s) => !isSecondOrder(slotKind(s, values))
      && (values[`${s.id}.sched`] !== "constant" || values[`${s.id}.warmup`] > 0));
  }

  function drawCharts() {
    if (!race) return;
    const fStar = minimumValue();
    const colors = raceSlots.map(slotColor);
    const { longest, extent } = chartExtent();
    const scale = window.devicePixelRatio || 1;
    try {
      engine.drawLossChart(chartCanvas, race, {
        colors,
        xLabel: t("chart.step"),
        yLabel: fStar === null ? t("chart.loss") : t("chart.lossGap"),
        logY: fStar !== null,
        offset: fStar ?? 0,
        scale,
        minSteps: extent,
      });
      const showSchedule = spec.showSchedules || hasSchedules();
      scheduleBlock.hidden = !showSchedule;
      if (showSchedule) {
        engine.drawScheduleChart(scheduleCanvas, race, {
          colors: raceSlots.map((s) => (isSecondOrder(slotKind(s, values)) ? null : slotColor(s))),
          xLabel: t("chart.step"),
          yLabel: t("chart.lr"),
          logY: true,
          scale,
          minSteps: extent,
          marker: longest,
        });
      }
    } catch (e) {
      console.warn(e);
    }
    lastChart = performance.now();
  }

  function draw(full = false) {
    if (destroyed || !surface) return;
    drawMap();
    drawStatus();
    // The charts are the costliest part: a few redraws a second suffice while playing.
    if (full || !player.playing || performance.now() - lastChart > 120) drawCharts();
    mapCanvas.setAttribute("aria-label", t("race.mapLabel", { surface: t(`surface.${values.surface}`) }));
    chartCanvas.setAttribute("aria-label", t("race.chartLabel"));
    scheduleCanvas.setAttribute("aria-label", t("race.scheduleChart"));
  }

  function advance(steps) {
    if (!race) return false;
    race.step(steps);
    return race.anyRunning;
  }

  /** For screen readers: the furthest step and who has the lowest loss there. */
  function liveText() {
    let step = 0;
    let best = null;
    raceSlots.forEach((slot, i) => {
      const s = race.status(i);
      step = Math.max(step, s.steps);
      if (Number.isFinite(s.loss) && (best === null || s.loss < best.loss)) best = { loss: s.loss, name: slotName(slot) };
    });
    const key = race.anyRunning ? "live.race" : "live.raceOver";
    return best ? t(key, { step, loss: readable(best.loss), name: best.name }) : t("live.step", { step });
  }

  // ---- events ---------------------------------------------------------
  function restartAt(x, y) {
    values.x = Number(x.toPrecision(6));
    values.y = Number(y.toPrecision(6));
    try {
      race.restart(values.x, values.y);
    } catch (e) {
      ctx.notify(e.message);
      return;
    }
    save();
    draw(true);
  }

  mapCanvas.addEventListener("click", (event) => {
    const rect = mapCanvas.getBoundingClientRect();
    const b = surface.bounds();
    const x = b.xMin + ((event.clientX - rect.left) / rect.width) * (b.xMax - b.xMin);
    const y = b.yMax - ((event.clientY - rect.top) / rect.height) * (b.yMax - b.yMin);
    restartAt(x, y);
  });
  mapCanvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const b = surface.bounds();
    const [x, y] = startPoint();
    const nx = Math.min(b.xMax, Math.max(b.xMin, x + move[0] * 0.02 * (b.xMax - b.xMin)));
    const ny = Math.min(b.yMax, Math.max(b.yMin, y + move[1] * 0.02 * (b.yMax - b.yMin)));
    restartAt(nx, ny);
  });

  surfaceSelect.addEventListener("change", () => {
    const previous = values.surface;
    values.surface = surfaceSelect.value;
    // A new surface gets its own start and learning rates.
    const saved = { x: values.x, y: values.y };
    delete values.x;
    delete values.y;
    if (!rebuildSurface()) {
      values.surface = previous;
      Object.assign(values, saved);
      surfaceSelect.value = previous;
      syncInputs();
      return;
    }
    for (const slot of slots) {
      const kind = slotKind(slot, values);
      if (!isSecondOrder(kind)) values[`${slot.id}.lr`] = params[`${slot.id}.lr`].default(values);
    }
    syncInputs();
    rebuildRace();
  });
  const condFromSlider = () => Number((10 ** Number(condInput.value)).toPrecision(3));
  condInput.addEventListener("input", () => { condOut.textContent = String(condFromSlider()); });
  condInput.addEventListener("change", () => {
    values.cond = condFromSlider();
    if (rebuildSurface()) rebuildRace();
  });
  rotInput.addEventListener("input", () => { rotOut.textContent = `${rotInput.value}°`; });
  rotInput.addEventListener("change", () => {
    values.rot = Number(rotInput.value);
    if (rebuildSurface()) rebuildRace();
  });
  noiseToggle.addEventListener("change", () => { values.noise = noiseToggle.checked; rebuildRace(); });
  batchSelect.addEventListener("change", () => { values.batch = Number(batchSelect.value); rebuildRace(); });
  seedInput.addEventListener("change", () => {
    const seed = Number(seedInput.value);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
      seedInput.setAttribute("aria-invalid", "true");
      ctx.notify(t("race.badSeed"));
      return;
    }
    seedInput.removeAttribute("aria-invalid");
    values.seed = seed;
    rebuildRace();
  });
  arrowsToggle.addEventListener("change", () => { values.arrows = arrowsToggle.checked; save(); draw(); });

  function syncInputs() {
    surfaceSelect.value = values.surface;
    quadraticControls.hidden = values.surface !== "quadratic";
    exprControls.hidden = values.surface !== "custom";
    if (exprInput.getRootNode().activeElement !== exprInput) exprInput.value = values.expr;
    rangeInput.value = String(values.range);
    condInput.value = String(Math.log10(values.cond));
    condOut.textContent = String(values.cond);
    rotInput.value = String(values.rot);
    rotOut.textContent = `${values.rot}°`;
    noiseToggle.checked = values.noise;
    if (!BATCH_SIZES.includes(values.batch) && ![...batchSelect.options].some((o) => Number(o.value) === values.batch)) {
      batchSelect.append(h("option", { value: values.batch }, String(values.batch)));
    }
    batchSelect.value = String(values.batch);
    seedInput.value = String(values.seed);
    arrowsToggle.checked = values.arrows;
    for (const slot of slots) {
      const row = rows[slot.id];
      const kind = slotKind(slot, values);
      row.enabled.checked = values.on.includes(slot.id);
      row.name.textContent = slotName(slot);
      row.swatch.style.background = slotColor(slot);
      for (const input of row.numbers) {
        input.value = String(values[input.dataset.param]);
        input.removeAttribute("aria-invalid");
      }
      for (const select of row.selects) select.value = values[select.dataset.param];
      row.error.textContent = "";
      if (row.hyperLabels) {
        const own = new Set(HYPER[kind].map((hp) => hp.suffix));
        for (const [suffix, label] of Object.entries(row.hyperLabels)) label.hidden = !own.has(suffix);
        row.bcLabel.hidden = kind !== "adam";
        row.bc.checked = values[`${slot.id}.bc`];
        const sched = values[`${slot.id}.sched`];
        for (const p of SCHEDULE_PARAMS) row.scheduleLabels[p.key].hidden = !p.kinds.includes(sched);
        row.scheduleFields.hidden = spec.hideSchedules === true;
      }
      if (row.lambdaLabel) row.lambdaLabel.hidden = values[`${slot.id}.damping`] !== "levenberg";
      clear(row.ruleBox);
      const rule = RULES[kind];
      if (rule) row.ruleBox.append(kind === "adam" ? rule(values[`${slot.id}.bc`]) : rule(values[`${slot.id}.damping`]));
      const lecture = RULES[`${kind}Lecture`];
      if (lecture) row.ruleBox.append(h("p", { class: "rule-note", text: t(`race.lectureForm.${kind}`) }), lecture());
      if (!isSecondOrder(kind)) {
        row.ruleBox.append(h("p", { class: "rule-note", text: t("race.scheduleRule") }), SCHEDULE_RULES[values[`${slot.id}.sched`]]());
        if (values[`${slot.id}.warmup`] > 0) row.ruleBox.append(SCHEDULE_RULES.warmup());
      }
      row.explain.textContent = t(`opt.${kind}.explain`);
    }
    surfaceLesson.textContent = t(`surface.${values.surface}.lesson`);
  }

  function save() {
    ctx.save(values);
  }

  function relabel() {
    translateTree(root);
    syncInputs();
    updateSigma();
    updateModelChoices();
    draw(true);
  }

  // ---- start ------------------------------------------------------------
  translateTree(root);
  if (!rebuildSurface()) {
    values.surface = "quadratic";
    rebuildSurface();
  }
  syncInputs();
  rebuildRace();
  const unfitMap = fitCanvas(mapCanvas, () => draw(true));
  const unfitChart = fitCanvas(chartCanvas, () => drawCharts());
  const unfitSchedule = fitCanvas(scheduleCanvas, () => drawCharts());
  const unlisten = onLanguageChange(relabel);

  return {
    saveState: save,
    destroy() {
      destroyed = true;
      clearTimeout(exprTimer);
      player.destroy();
      live.destroy();
      unfitMap();
      unfitChart();
      unfitSchedule();
      unlisten();
      race?.free();
      heatmap?.free();
      surface?.free();
    },
    // For tests and benchmarks: one animation frame's work, charts optional.
    debug: {
      values,
      runner: player.runner,
      get race() { return race; },
      frame(steps, withCharts) {
        race.step(steps);
        drawMap();
        drawStatus();
        if (withCharts) drawCharts();
      },
    },
  };
}
