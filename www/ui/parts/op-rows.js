// The op-rows part: one fieldset an augmentation op — an on switch in its
// legend, a slider (with its value) or a drop-down per setting, an error
// line and what the op is for. It reports switches and moves; it knows
// nothing of the engine (the demo checks a value and calls mark()).
import { h } from "../dom.js";

/** A setting's value as shown beside its slider. */
export function formatControl(v) {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
}

/**
 * @param {object} o
 * @param {string} o.prefix per-instance id prefix (`${prefix}-on-<op>`, `${prefix}-<op>-<key>`)
 * @param {object[]} o.ops the ops ({id, kind, controls: [{key, label, min, max, step} | {key, label, values}]})
 * @param {(op: object, on: boolean) => void} o.onToggle
 * @param {(op: object, name: string, value: any, committed: boolean) => void} o.onValue a setting moved
 *   (`name` is "<op>.<key>"; committed false while a slider is dragged)
 * Returns {element, sync(values), shown(name, value), mark(opId, key, message)}.
 */
export function createOpRows({ prefix, ops, onToggle, onValue }) {
  const rows = {};
  const element = h("div", { class: "aug-ops" }, ops.map((op) => {
    rows[op.id] = opRow(prefix, op, onToggle, onValue);
    return rows[op.id].element;
  }));
  return {
    element,
    /** Every switch and setting from `values` ("on" and "<op>.<key>"). */
    sync(values) {
      for (const { op, enabled, inputs, element: row } of Object.values(rows)) {
        enabled.checked = values.on.includes(op.id);
        row.classList.toggle("off", !enabled.checked);
        for (const c of op.controls) {
          const { input, out } = inputs[c.key];
          input.value = String(values[`${op.id}.${c.key}`]);
          if (out) out.textContent = formatControl(values[`${op.id}.${c.key}`]);
        }
      }
    },
    /** The value beside setting `name`'s slider. */
    shown(name, value) {
      const [opId, key] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf(".") + 1)];
      const { out } = rows[opId].inputs[key];
      if (out) out.textContent = formatControl(value);
    },
    /** A refused setting (message) marks its field; null clears every mark of the op. */
    mark(opId, key, message) {
      const row = rows[opId];
      if (message) row.inputs[key].input.setAttribute("aria-invalid", "true");
      else for (const other of Object.values(row.inputs)) other.input.removeAttribute("aria-invalid");
      row.error.textContent = message ?? "";
    },
    destroy() {},
  };
}

function opRow(prefix, op, onToggle, onValue) {
  const enabled = h("input", { type: "checkbox", id: `${prefix}-on-${op.id}` });
  const error = h("p", { class: "field-error", role: "alert" });
  const inputs = {};
  const fields = op.controls.map((c) => {
    const field = control(prefix, op, c, onValue);
    inputs[c.key] = field;
    return field.label;
  });
  const element = h("fieldset", { class: "racer aug-op", dataset: { op: op.id } },
    h("legend", {}, h("label", { for: enabled.id, class: "check" }, enabled, h("span", { "data-i18n": `aug.kind.${op.kind}` }))),
    h("div", { class: "sub" }, fields),
    error,
    h("p", { class: "hint", "data-i18n": `aug.about.${op.id}` }));
  enabled.addEventListener("change", () => {
    element.classList.toggle("off", !enabled.checked);
    onToggle(op, enabled.checked);
  });
  return { op, enabled, error, inputs, element };
}

/** A drop-down (a setting with `values`) or a slider with its value: {label, input, out}. */
function control(prefix, op, c, onValue) {
  const name = `${op.id}.${c.key}`;
  const inputId = `${prefix}-${op.id}-${c.key}`;
  if (c.values) {
    const select = h("select", { id: inputId, dataset: { param: name } },
      c.values.map((v) => h("option", { value: v, "data-i18n": `aug.option.${v}` })));
    select.addEventListener("change", () => onValue(op, name, select.value, true));
    return { label: h("label", { for: inputId }, h("span", { "data-i18n": c.label }), select), input: select };
  }
  const input = h("input", { type: "range", id: inputId, min: c.min, max: c.max, step: c.step, dataset: { param: name } });
  const out = h("output", { for: inputId });
  input.addEventListener("input", () => onValue(op, name, Number(input.value), false));
  input.addEventListener("change", () => onValue(op, name, Number(input.value), true));
  return { label: h("label", { for: inputId }, h("span", { "data-i18n": c.label }), input, out), input, out };
}
