// The racer rows part: one fieldset a racer slot, with its on switch, its
// status, its hyperparameters and schedule, and "how it works" (the update
// rule in MathML). A number is checked against the parameter table and then
// by the engine (new Optimizer) before the view hears of it.
import { h, clear } from "../dom.js";
import { t } from "../../i18n/index.js";
import { RULES, SCHEDULE_RULES } from "../../demos/formulas.js";
import {
  FIRST_ORDER, SCHEDULES, HYPER, HYPER_SUFFIXES, SCHEDULE_PARAMS, hyperOf, slotKind, isSecondOrder, racerConfig,
} from "../race-config.js";

const LINE_SEARCHES = ["strong_wolfe", "backtracking", "none"];

/**
 * @param {object} o
 * @param {string} o.prefix the instance's id prefix
 * @param {object[]} o.slots the demo's racer slots
 * @param {object} o.params the demo's parameter table
 * @param {object} o.engine for Optimizer (checking a value)
 * @param {() => object} o.values the demo's current values
 * @param {(slot) => string} o.name a slot's display name
 * @param {(slot) => string} o.color a slot's colour
 * @param {boolean} o.hideSchedules
 * @param {(name: string, value: unknown) => void} o.onChange a valid new value
 * @param {(id: string, on: boolean) => void} o.onToggle
 * @param {(message: string) => void} o.onInvalid
 * Returns {element, sync(), setStatus(slotId, text, state), destroy()}.
 */
export function createRacerRows({ prefix, slots, params, engine, values, name, color, hideSchedules, onChange, onToggle, onInvalid }) {
  const rows = {};
  const fieldId = (param) => `${prefix}-${param.replace(".", "-")}`;

  function numberField(param, labelKey, min, max, slotId) {
    const input = h("input", { type: "number", step: "any", min, max, id: fieldId(param), inputmode: "decimal", dataset: { param } });
    input.addEventListener("change", () => applyNumber(param, input, labelKey, slotId));
    const label = h("label", { for: input.id }, h("span", { "data-i18n": labelKey }), input);
    return { input, label };
  }

  function selectField(param, labelKey, options, optionKey) {
    const select = h("select", { id: fieldId(param), dataset: { param } },
      options.map((o) => h("option", { value: o, "data-i18n": `${optionKey}.${o}` })));
    select.addEventListener("change", () => onChange(param, select.value));
    const label = h("label", { for: select.id }, h("span", { "data-i18n": labelKey }), select);
    return { select, label };
  }

  function applyNumber(param, input, labelKey, slotId) {
    const slot = slots.find((s) => s.id === slotId);
    const row = rows[slotId];
    const raw = input.value.trim();
    const value = Number(raw);
    const entry = params[param];
    let message = null;
    if (raw === "" || !Number.isFinite(value)) {
      message = t("race.notANumber", { name: t(labelKey) });
    } else if (entry?.integer && !Number.isInteger(value)) {
      message = t("race.notInteger", { name: t(labelKey) });
    } else if (entry && (value < entry.min || value > entry.max)) {
      message = t("race.outOfRange", { name: t(labelKey), min: entry.min, max: entry.max });
    } else {
      try {
        new engine.Optimizer(racerConfig(slot, { ...values(), [param]: value })).free();
      } catch (e) {
        message = e.message;
      }
    }
    if (message) {
      input.setAttribute("aria-invalid", "true");
      row.error.textContent = `${row.name.textContent}: ${message}`;
      onInvalid(row.error.textContent);
      return;
    }
    input.removeAttribute("aria-invalid");
    row.error.textContent = "";
    onChange(param, value);
  }

  function firstOrderFields(row, id) {
    const lr = numberField(`${id}.lr`, "hp.lr", 0, 1000, id);
    row.fields.append(lr.label);
    row.numbers.push(lr.input);
    // Inputs for every first-order kind exist; sync shows the current kind's.
    row.hyperLabels = {};
    for (const suffix of HYPER_SUFFIXES) {
      const hp = hyperOf(FIRST_ORDER.find((k) => hyperOf(k, suffix)), suffix);
      const f = numberField(`${id}.${suffix}`, `hp.${hp.key}`, hp.min, hp.max, id);
      row.fields.append(f.label);
      row.numbers.push(f.input);
      row.hyperLabels[suffix] = f.label;
    }
    const bc = h("input", { type: "checkbox", id: `${prefix}-${id}-bc` });
    bc.addEventListener("change", () => onChange(`${id}.bc`, bc.checked));
    row.bc = bc;
    row.bcLabel = h("label", { for: bc.id, class: "check" }, bc, h("span", { "data-i18n": "hp.biasCorrection" }));
    row.fields.append(row.bcLabel);
    const sched = selectField(`${id}.sched`, "hp.schedule", SCHEDULES, "schedule");
    row.scheduleFields.append(sched.label);
    row.selects.push(sched.select);
    row.scheduleLabels = {};
    for (const p of SCHEDULE_PARAMS) {
      const f = numberField(`${id}.${p.key}`, `sched.${p.key}`, p.min, p.max, id);
      row.scheduleFields.append(f.label);
      row.numbers.push(f.input);
      row.scheduleLabels[p.key] = f.label;
    }
  }

  function buildRow(slot) {
    const id = slot.id;
    const enabled = h("input", { type: "checkbox", id: `${prefix}-on-${id}` });
    enabled.addEventListener("change", () => onToggle(id, enabled.checked));
    const row = {
      enabled,
      status: h("span", { class: "status" }),
      error: h("p", { class: "field-error", role: "alert" }),
      fields: h("div", { class: "hyper" }),
      scheduleFields: h("div", { class: "hyper schedule-fields" }),
      numbers: [],
      selects: [],
      name: h("span", { class: "name" }),
      swatch: h("span", { class: "swatch" }),
      ruleBox: h("div", { class: "rule" }),
      explain: h("p"),
    };
    const details = h("details", {}, h("summary", { "data-i18n": "race.howItWorks" }), row.ruleBox, row.explain);
    const legend = h("legend", {}, h("label", { for: enabled.id, class: "check" }, enabled, row.swatch, row.name), row.status);
    row.element = h("fieldset", { class: "racer", dataset: { slot: id } }, legend, row.fields, row.scheduleFields, row.error, details);
    const kind = slotKind(slot, values());
    if (kind === "newton") {
      const damping = selectField(`${id}.damping`, "hp.damping", ["line_search", "none", "levenberg"], "damping");
      const lambda = numberField(`${id}.lambda`, "hp.lambda", 0, 1e6, id);
      row.fields.append(damping.label, lambda.label);
      row.selects.push(damping.select);
      row.numbers.push(lambda.input);
      row.lambdaLabel = lambda.label;
    } else if (kind === "bfgs") {
      const ls = selectField(`${id}.ls`, "hp.lineSearch", LINE_SEARCHES, "lineSearch");
      row.fields.append(ls.label);
      row.selects.push(ls.select);
    } else if (kind === "lbfgs") {
      const m = numberField(`${id}.m`, "hp.history", 1, 100, id);
      const ls = selectField(`${id}.ls`, "hp.lineSearch", LINE_SEARCHES, "lineSearch");
      row.fields.append(m.label, ls.label);
      row.numbers.push(m.input);
      row.selects.push(ls.select);
    } else {
      firstOrderFields(row, id);
    }
    rows[id] = row;
    return row.element;
  }

  function syncRow(slot, v) {
    const row = rows[slot.id];
    const kind = slotKind(slot, v);
    row.enabled.checked = v.on.includes(slot.id);
    row.name.textContent = name(slot);
    row.swatch.style.background = color(slot);
    for (const input of row.numbers) {
      input.value = String(v[input.dataset.param]);
      input.removeAttribute("aria-invalid");
    }
    for (const select of row.selects) select.value = v[select.dataset.param];
    row.error.textContent = "";
    if (row.hyperLabels) {
      const own = new Set(HYPER[kind].map((hp) => hp.suffix));
      for (const [suffix, label] of Object.entries(row.hyperLabels)) label.hidden = !own.has(suffix);
      row.bcLabel.hidden = kind !== "adam";
      row.bc.checked = v[`${slot.id}.bc`];
      const sched = v[`${slot.id}.sched`];
      for (const p of SCHEDULE_PARAMS) row.scheduleLabels[p.key].hidden = !p.kinds.includes(sched);
      row.scheduleFields.hidden = hideSchedules === true;
    }
    if (row.lambdaLabel) row.lambdaLabel.hidden = v[`${slot.id}.damping`] !== "levenberg";
    clear(row.ruleBox);
    const rule = RULES[kind];
    if (rule) row.ruleBox.append(kind === "adam" ? rule(v[`${slot.id}.bc`]) : rule(v[`${slot.id}.damping`]));
    const lecture = RULES[`${kind}Lecture`];
    if (lecture) row.ruleBox.append(h("p", { class: "rule-note", text: t(`race.lectureForm.${kind}`) }), lecture());
    if (!isSecondOrder(kind)) {
      row.ruleBox.append(h("p", { class: "rule-note", text: t("race.scheduleRule") }), SCHEDULE_RULES[v[`${slot.id}.sched`]]());
      if (v[`${slot.id}.warmup`] > 0) row.ruleBox.append(SCHEDULE_RULES.warmup());
    }
    row.explain.textContent = t(`opt.${kind}.explain`);
  }

  const element = h("div", { class: "racers" }, slots.map(buildRow));
  return {
    element,
    sync() {
      const v = values();
      for (const slot of slots) syncRow(slot, v);
    },
    /** state: the racer's state ("off" when it is not racing). */
    setStatus(slotId, text, state) {
      const row = rows[slotId];
      row.status.textContent = text;
      row.element.classList.toggle("off", state === "off");
      row.element.classList.toggle("diverged", state === "diverged" || state === "stuck");
    },
    destroy() {},
  };
}
