// The controls part: form fields bound to a demo's parameter table (the
// same table www/state.js reads links with). Each field checks what is
// typed against its table entry (type, bounds, integer) and reports either
// a valid value or a message; it knows nothing of the URL or the engine.
// Ids are `${prefix}-${name}` (dots become dashes), so two instances of a
// demo on one page keep apart.
import { h } from "../dom.js";
import { t, onLanguageChange } from "../../i18n/index.js";

/**
 * @param {object} o
 * @param {object} o.table the demo's parameter table ({name: {type, min, max, integer, …}})
 * @param {string} o.prefix per-instance id prefix
 * @param {(name:string, value:any, input:HTMLElement)=>void} o.onChange a valid new value
 * @param {(message:string, name:string)=>void} o.onInvalid a refused one (the field is marked aria-invalid)
 */
export function createFields({ table, prefix, onChange, onInvalid }) {
  const inputs = {};
  const parsers = {};

  const idOf = (name) => `${prefix}-${name.replace(/\./g, "-")}`;
  const caption = (input, name) => input.closest("label")?.querySelector("span")?.textContent ?? name;

  function bind(name, input, parse) {
    if (!table[name]) throw new Error(`no parameter '${name}' in the table`);
    input.id = idOf(name);
    inputs[name] = input;
    parsers[name] = parse;
    input.addEventListener("change", () => {
      const result = parse(input);
      if (result.message) {
        input.setAttribute("aria-invalid", "true");
        onInvalid(result.message, name);
        return;
      }
      input.removeAttribute("aria-invalid");
      onChange(name, result.value, input);
    });
    return input;
  }

  function checkNumber(name, input) {
    const spec = table[name];
    const value = Number(input.value);
    const label = caption(input, name);
    if (input.value.trim() === "" || !Number.isFinite(value)) return { message: t("race.notANumber", { name: label }) };
    if (spec.integer && !Number.isInteger(value)) return { message: t("race.notInteger", { name: label }) };
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
      return { message: t("race.outOfRange", { name: label, min: spec.min, max: spec.max }) };
    }
    return { value };
  }

  const inline = (name, labelKey, input) =>
    h("label", { for: input.id, class: "inline" }, h("span", { "data-i18n": labelKey }), input);

  return {
    /** A drop-down of `options`; labels from `${keyPrefix}.${option}` or the option itself. */
    select(name, labelKey, options, keyPrefix = null) {
      const input = h("select", {}, options.map((o) => h("option", { value: String(o), ...(keyPrefix ? { "data-i18n": `${keyPrefix}.${o}` } : { text: String(o) }) })));
      bind(name, input, (el) => (table[name].type === "number" ? checkNumber(name, el) : { value: el.value }));
      return inline(name, labelKey, input);
    },
    /** A number box with the table entry's bounds. */
    number(name, labelKey) {
      const spec = table[name];
      const input = h("input", { type: "number", min: spec.min, max: spec.max, step: spec.integer ? 1 : "any", inputmode: "decimal" });
      bind(name, input, (el) => checkNumber(name, el));
      return inline(name, labelKey, input);
    },
    /** Free text read by `parse(text)` (null = refused, then `message(text)` says why). */
    text(name, labelKey, { parse = (s) => s, message = () => "", ...attrs } = {}) {
      const input = h("input", { type: "text", spellcheck: "false", autocomplete: "off", ...attrs });
      bind(name, input, (el) => {
        const value = parse(el.value);
        return value === null ? { message: message(el.value) } : { value };
      });
      return inline(name, labelKey, input);
    },
    /** A checkbox with its label after it. */
    check(name, labelKey) {
      const input = h("input", { type: "checkbox" });
      bind(name, input, (el) => ({ value: el.checked }));
      return h("label", { for: input.id, class: "check" }, input, h("span", { "data-i18n": labelKey }));
    },
    /** The input element of `name`. */
    input(name) {
      return inputs[name];
    },
    /** Shows `values` in every field and clears the invalid marks. */
    sync(values) {
      for (const [name, input] of Object.entries(inputs)) {
        if (input.type === "checkbox") input.checked = Boolean(values[name]);
        else input.value = String(values[name]);
        input.removeAttribute("aria-invalid");
      }
    },
    /** Marks `name` invalid (a value the engine refused). */
    invalid(name) {
      inputs[name]?.setAttribute("aria-invalid", "true");
    },
  };
}

/**
 * A training demo's settings loop, the same in every demo that rebuilds engine
 * runs from its values: the fields (`createFields` above), the error line under
 * them, and the one way a change is applied.
 *
 * `apply(name, previous)` rebuilds from the new values. When the engine refuses
 * them it puts `previous` back, marks the field, shows the engine's message and,
 * where a worker restart dropped the old runs (`lost()`), rebuilds them; so the
 * student keeps the last working state. Otherwise it clears the error, shows the
 * values and saves them. It resolves to true when the change was applied.
 *
 * @param {object} o
 * @param {object} o.table the demo's parameter table
 * @param {string} o.prefix per-instance id prefix
 * @param {object} o.values the demo's live values (changed in place)
 * @param {(name:string, value:any)=>void} o.onChange a valid field change (the demo calls apply)
 * @param {()=>Promise<{ok?:true, error?:string, stale?:true}>} o.rebuild builds the runs from `values`
 * @param {()=>void} o.sync shows `values` in every control
 * @param {()=>boolean} o.lost whether the old runs are gone and must be rebuilt after a refusal
 * @param {()=>boolean} o.alive false once the demo is destroyed
 * @param {()=>void} [o.restored] after a refused change is put back, before `sync` (state kept beside `values`)
 * @param {(message:string)=>void} o.notify the demo's notice area
 * @param {(values:object)=>void} o.persist writes the values into the URL (ctx.save)
 */
export function createSettings({ table, prefix, values, onChange, rebuild, sync, lost, alive, restored = () => {}, notify, persist }) {
  const errorBox = h("p", { class: "field-error", role: "alert" });
  const unsubs = [];

  /** Shows `message` under the fields and as a notice ("" clears the line). */
  function showError(message) {
    errorBox.textContent = message;
    if (message) notify(message);
  }

  const fields = createFields({ table, prefix, onChange, onInvalid: (message) => showError(message) });
  const save = () => persist(values);

  async function apply(name, previous) {
    const result = await rebuild();
    if (result.stale || !alive()) return false;
    if (result.error !== undefined) {
      Object.assign(values, previous);
      restored();
      sync();
      fields.invalid(name);
      if (result.error) showError(result.error);
      // A restart dropped the old runs: bring them back.
      if (lost()) rebuild();
      return false;
    }
    showError("");
    sync();
    save();
    return true;
  }

  /**
   * A link whose combination the engine refuses: shows why, puts every value back to its
   * table default and builds that. Resolves as `rebuild` does.
   */
  function fallBack(message) {
    showError(message);
    for (const [name, entry] of Object.entries(table)) values[name] = typeof entry.default === "function" ? entry.default(values) : entry.default;
    restored();
    sync();
    return rebuild();
  }

  return {
    fields,
    errorBox,
    showError,
    save,
    apply,
    fallBack,
    /** Calls `redraw` after every language change until destroy(). */
    onLanguage(redraw) {
      unsubs.push(onLanguageChange(redraw));
    },
    destroy() {
      for (const u of unsubs) u();
      unsubs.length = 0;
    },
  };
}
