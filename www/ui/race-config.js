// The race family's settings, pure (no DOM at module level, so Node can
// import it): surfaces, optimizers and schedules the view offers, their
// default rates, the URL parameter table of a race demo and the engine
// configs built from its values. www/ui/race-view.js assembles the view.
export const FIRST_ORDER = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];
export const SECOND_ORDER = ["newton", "bfgs", "lbfgs"];
export const SURFACES = ["quadratic", "saddle", "monkey", "rosenbrock", "beale", "himmelblau", "bumpy", "plateau", "custom"];
export const SCHEDULES = ["constant", "step", "exponential", "inverse_time", "cosine", "warm_restarts"];
export const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];
export const MAX_EXPRESSION = 1000;

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
export const HYPER = {
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
export const HYPER_SUFFIXES = ["rho", "decay", "b1", "b2", "eps"];

export function hyperOf(kind, suffix) {
  return (HYPER[kind] ?? []).find((hp) => hp.suffix === suffix);
}

// Schedule parameters: URL suffix = engine key, bounds, default, which kinds use it.
export const SCHEDULE_PARAMS = [
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
export function slotKind(slot, values) {
  return typeof slot.kind === "function" ? slot.kind(values) : slot.kind;
}

export function isSecondOrder(kind) {
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

