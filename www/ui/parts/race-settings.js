// The race settings part: the surface (with the bowl's condition number
// and rotation, or a typed loss function), gradient noise and batch size,
// the seed and the arrows switch. It shows values and reports edits; the
// view decides what an edit rebuilds.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";
import { SURFACES, BATCH_SIZES, MAX_EXPRESSION } from "../race-config.js";

/**
 * @param {object} o
 * @param {string} o.prefix the instance's id prefix
 * @param {object} o.engine for Surface.checkExpression
 * @param {Node | null} o.extra a demo's own control, shown first
 * @param {(name: string, value: unknown) => void} o.onChange name is one of
 *   surface, cond, rot, noise, batch, seed, arrows
 * @param {(expr: string, range: number) => void} o.onExpression a checked expression to apply
 * @param {(message: string) => void} o.onInvalid
 * Returns {element, sync(values), showExpressionError(message, position), sigma(text, enabled), destroy()}.
 */
export function createRaceSettings({ prefix, engine, extra, onChange, onExpression, onInvalid }) {
  const id = (name) => `${prefix}-${name}`;
  const surfaceSelect = h("select", { id: id("surface") },
    SURFACES.map((s) => h("option", { value: s, "data-i18n": `surface.${s}` })));
  const surfaceLesson = h("p", { class: "lesson" });
  const condInput = h("input", { type: "range", min: 0, max: 3, step: 0.01, id: id("cond") });
  const condOut = h("output");
  const rotInput = h("input", { type: "range", min: -90, max: 90, step: 1, id: id("rot") });
  const rotOut = h("output");
  const quadraticControls = h("div", { class: "sub" },
    h("label", { for: condInput.id }, h("span", { "data-i18n": "race.condition" }), condInput, condOut),
    h("label", { for: rotInput.id }, h("span", { "data-i18n": "race.rotation" }), rotInput, rotOut));

  const exprInput = h("input", {
    type: "text", id: id("expr"), spellcheck: "false", autocomplete: "off",
    maxlength: MAX_EXPRESSION, class: "expr", "aria-describedby": id("expr-error"),
  });
  const rangeInput = h("input", { type: "number", id: id("range"), min: 0.01, max: 1e5, step: "any", class: "range" });
  const exprApply = h("button", { type: "button", "data-i18n": "expr.apply" });
  const exprError = h("div", { class: "expr-error", id: id("expr-error"), role: "alert" });
  const exprControls = h("div", { class: "sub expr-box" },
    h("label", { for: exprInput.id, class: "field" }, h("span", { "data-i18n": "expr.label" })),
    h("div", { class: "expr-row" }, exprInput, exprApply),
    h("label", { for: rangeInput.id, class: "inline" }, h("span", { "data-i18n": "expr.range" }), rangeInput),
    exprError,
    h("p", { class: "hint", "data-i18n": "expr.help" }));

  const noiseToggle = h("input", { type: "checkbox", id: id("noise") });
  const batchSelect = h("select", { id: id("batch") }, BATCH_SIZES.map((b) => h("option", { value: b }, String(b))));
  const sigmaOut = h("output", { class: "sigma" });
  const seedInput = h("input", { type: "number", min: 0, max: 4294967295, step: 1, id: id("seed"), inputmode: "numeric" });
  const arrowsToggle = h("input", { type: "checkbox", id: id("arrows") });

  const element = h("div", { class: "panel" },
    extra,
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

  // ---- the typed loss function ------------------------------------------
  function showExpressionError(message, position) {
    clear(exprError);
    exprInput.toggleAttribute("aria-invalid", Boolean(message));
    if (!message) return;
    if (position !== null && position !== undefined) {
      const chars = Array.from(exprInput.value);
      const before = chars.slice(0, position).join("");
      const at = chars[position] ?? " ";
      const after = chars.slice(position + 1).join("");
      exprError.append(h("code", { class: "expr-echo" }, before, h("mark", { text: at }), after));
    }
    exprError.append(h("span", { text: message }));
  }

  function checkExpression() {
    const check = engine.Surface.checkExpression(exprInput.value);
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
    onExpression(exprInput.value, range);
  }

  let exprTimer = 0;
  exprInput.addEventListener("input", () => {
    clearTimeout(exprTimer);
    exprTimer = setTimeout(checkExpression, 250);
  });
  exprInput.addEventListener("keydown", (e) => { if (e.key === "Enter") applyExpression(); });
  exprApply.addEventListener("click", applyExpression);
  rangeInput.addEventListener("keydown", (e) => { if (e.key === "Enter") applyExpression(); });

  // ---- the other fields ---------------------------------------------------
  const condFromSlider = () => Number((10 ** Number(condInput.value)).toPrecision(3));
  surfaceSelect.addEventListener("change", () => onChange("surface", surfaceSelect.value));
  condInput.addEventListener("input", () => { condOut.textContent = String(condFromSlider()); });
  condInput.addEventListener("change", () => onChange("cond", condFromSlider()));
  rotInput.addEventListener("input", () => { rotOut.textContent = `${rotInput.value}°`; });
  rotInput.addEventListener("change", () => onChange("rot", Number(rotInput.value)));
  noiseToggle.addEventListener("change", () => onChange("noise", noiseToggle.checked));
  batchSelect.addEventListener("change", () => onChange("batch", Number(batchSelect.value)));
  seedInput.addEventListener("change", () => {
    const seed = Number(seedInput.value);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
      seedInput.setAttribute("aria-invalid", "true");
      onInvalid(t("race.badSeed"));
      return;
    }
    seedInput.removeAttribute("aria-invalid");
    onChange("seed", seed);
  });
  arrowsToggle.addEventListener("change", () => onChange("arrows", arrowsToggle.checked));

  function sync(values) {
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
    if (![...batchSelect.options].some((o) => Number(o.value) === values.batch)) {
      batchSelect.append(h("option", { value: values.batch }, String(values.batch)));
    }
    batchSelect.value = String(values.batch);
    seedInput.value = String(values.seed);
    arrowsToggle.checked = values.arrows;
    surfaceLesson.textContent = t(`surface.${values.surface}.lesson`);
  }

  /** The gradient noise's σ line; the batch size only matters with noise on. */
  function sigma(text, enabled) {
    sigmaOut.textContent = text;
    batchSelect.disabled = !enabled;
  }

  return {
    element,
    sync,
    sigma,
    showExpressionError,
    destroy() {
      clearTimeout(exprTimer);
    },
  };
}
