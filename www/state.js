// The URL hash holds a demo's whole state, so a link replays the run:
//   #race?surface=rosenbrock&x=-1.2&y=1&on=sgd,adam&adam.lr=0.1&lang=ko
// Each demo declares a table of parameters (name, type, default, bounds);
// every value read from a link is checked against it at this edge, and a
// bad value is dropped with a notice instead of reaching the engine.

/**
 * Parameter kinds:
 *   {type: "number", min, max, integer?}
 *   {type: "enum", values: [...]}
 *   {type: "bool"}
 *   {type: "set", values: [...]}       comma-separated subset
 *   {type: "text", maxLength}          free text (e.g. an expression)
 * Each has `default` (a function of the other values is allowed: (values) => x).
 */

/** Splits location.hash into the demo name and its parameters. */
export function readHash(hash = location.hash) {
  const body = hash.replace(/^#/, "");
  const q = body.indexOf("?");
  const name = q < 0 ? body : body.slice(0, q);
  let demo;
  try {
    demo = decodeURIComponent(name);
  } catch {
    // A malformed escape ("%E0") names no demo; the app says so.
    demo = name;
  }
  const params = new URLSearchParams(q < 0 ? "" : body.slice(q + 1));
  return { demo, params };
}

function parseValue(spec, raw) {
  switch (spec.type) {
    case "number": {
      if (raw.trim() === "") return undefined;
      const x = Number(raw);
      if (!Number.isFinite(x)) return undefined;
      if (spec.integer && !Number.isInteger(x)) return undefined;
      if (spec.min !== undefined && x < spec.min) return undefined;
      if (spec.max !== undefined && x > spec.max) return undefined;
      return x;
    }
    case "enum":
      return spec.values.includes(raw) ? raw : undefined;
    case "bool":
      return raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined;
    case "set": {
      if (raw === "") return [];
      const items = raw.split(",");
      if (!items.every((v) => spec.values.includes(v))) return undefined;
      return spec.values.filter((v) => items.includes(v));
    }
    case "text":
      return raw.length <= (spec.maxLength ?? 500) ? raw : undefined;
    default:
      return undefined;
  }
}

function defaultOf(spec, values) {
  return typeof spec.default === "function" ? spec.default(values) : spec.default;
}

/**
 * Reads every parameter of `table` from `params`.
 * Returns {values, rejected}: rejected lists {name, raw} of values that
 * failed their check (they fall back to the default) and unknown names.
 */
export function decode(table, params, { ignore = [] } = {}) {
  const values = {};
  const rejected = [];
  for (const [name, spec] of Object.entries(table)) {
    if (!params.has(name)) continue;
    const raw = params.get(name);
    const value = parseValue(spec, raw);
    if (value === undefined) rejected.push({ name, raw });
    else values[name] = value;
  }
  for (const name of params.keys()) {
    if (!(name in table) && !ignore.includes(name)) rejected.push({ name, raw: params.get(name) });
  }
  for (const [name, spec] of Object.entries(table)) {
    if (!(name in values)) values[name] = defaultOf(spec, values);
  }
  return { values, rejected };
}

function formatValue(spec, value) {
  if (spec.type === "bool") return value ? "1" : "0";
  if (spec.type === "set") return value.join(",");
  if (spec.type === "number") return String(Number(value.toPrecision(12)));
  return String(value);
}

/** Serialises the values that differ from their defaults. */
export function encode(table, values) {
  const params = new URLSearchParams();
  for (const [name, spec] of Object.entries(table)) {
    const value = values[name];
    if (value === undefined) continue;
    const fallback = defaultOf(spec, values);
    const text = formatValue(spec, value);
    if (fallback !== undefined && text === formatValue(spec, fallback)) continue;
    params.set(name, text);
  }
  return params;
}

/** Replaces the hash without adding a history entry per slider move. */
export function writeHash(demo, params) {
  const query = params.toString();
  const hash = `#${demo}${query ? `?${query}` : ""}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}
