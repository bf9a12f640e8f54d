// Tiny DOM helpers. Text always goes in through textContent, never
// innerHTML, so nothing from the URL or the user can become markup.

const MATHML = "http://www.w3.org/1998/Math/MathML";

/**
 * Creates an element: h("button", {class: "x", onclick: fn}, "label", child).
 * Keys starting with "on" become listeners, `dataset` and `aria` objects
 * set data-/aria- attributes, booleans toggle attributes.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "text") {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

function appendChildren(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A MathML element: m("mi", {}, "x"). */
export function m(tag, ...children) {
  const el = document.createElementNS(MATHML, tag);
  appendChildren(el, children);
  return el;
}

/** Short MathML builders for update rules. */
export const mi = (t) => m("mi", t);
export const mo = (t) => m("mo", t);
export const mn = (t) => m("mn", t);
export const mrow = (...c) => m("mrow", ...c);
export const msub = (a, b) => m("msub", a, b);
export const msup = (a, b) => m("msup", a, b);
export const mfrac = (a, b) => m("mfrac", a, b);
export const msqrt = (...c) => m("msqrt", ...c);
export const mhat = (x) => m("mover", x, m("mo", "^"));

/** One display-mode formula made of rows; each row is a list of nodes. */
export function formula(...rows) {
  const math = m("math");
  math.setAttribute("display", "block");
  if (rows.length === 1) {
    math.append(mrow(...rows[0]));
    return math;
  }
  const table = m("mtable");
  table.setAttribute("columnalign", "left");
  for (const row of rows) table.append(m("mtr", m("mtd", mrow(...row))));
  math.append(table);
  return math;
}

/** Removes every child of `el`. */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
}

/**
 * A prefix for a demo instance's element ids: `base` for the first
 * instance on the page, then `base2`, `base3`, … (the page itself is the
 * record of which are taken, so a destroyed instance frees its prefix).
 */
export function uniquePrefix(base, taken = (prefix) => document.getElementById(`${prefix}-title`) !== null) {
  if (!taken(base)) return base;
  let n = 2;
  while (taken(`${base}${n}`)) n++;
  return `${base}${n}`;
}
