// The network lab's settings panel: data, architecture, optimizer and
// schedule, regularization, the error line and the run-B box of compare
// mode. It owns the panel; the fields (and their values) come from the demo.
import { h } from "../dom.js";
import { t } from "../../i18n/index.js";
import { FIRST_ORDER, SCHEDULES } from "../race-view.js";
import { DATASETS, ACTIVATIONS, parseHidden } from "../net-common.js";

/**
 * @param {{fields: object, errorBox: HTMLElement}} options fields from createSettings
 * Returns {element, show(values)}: show hides the schedule fields the schedule
 * does not use and the run-B box outside compare mode.
 */
export function createNetSettings({ fields, errorBox }) {
  const sched = {
    gamma: fields.number("gamma", "sched.gamma"),
    every: fields.number("every", "net.every"),
    k: fields.number("k", "sched.k"),
    total: fields.number("total", "sched.total"),
  };
  const compareBox = h("fieldset", { class: "racer net-compare" },
    h("legend", {}, h("span", { "data-i18n": "net.runB" })),
    h("div", { class: "hyper" }, fields.number("b.drop", "net.dropout"), fields.number("b.l2", "net.l2"), fields.check("b.bn", "net.batchNorm")),
    h("p", { class: "hint", "data-i18n": "net.compareHint" }));
  const element = h("div", { class: "panel net-settings" },
    h("div", { class: "hyper" }, fields.select("data", "net.dataset", DATASETS, "net.data"), fields.select("classes", "net.classes", [2, 3, 4, 5, 6]),
      fields.number("n", "net.pointsPerClass"), fields.number("noise", "net.noise"),
      fields.number("dseed", "net.dataSeed"), fields.number("val", "net.validation")),
    h("div", { class: "hyper" },
      fields.text("hidden", "net.hidden", {
        maxlength: 60, class: "net-hidden",
        parse: (text) => (parseHidden(text) === null ? null : text.trim()),
        message: (text) => t("net.badHidden", { value: text }),
      }),
      fields.select("act", "net.activation", ACTIVATIONS, "net.act")),
    h("p", { class: "hint", "data-i18n": "net.hiddenHint" }),
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", FIRST_ORDER, "opt"), fields.number("lr", "hp.lr"),
      fields.select("sched", "hp.schedule", SCHEDULES, "schedule"), sched.gamma, sched.every, sched.k, sched.total),
    h("div", { class: "hyper" }, fields.number("batch", "net.batch"), fields.number("l2", "net.l2"),
      fields.number("drop", "net.dropout"), fields.check("bn", "net.batchNorm"), fields.number("seed", "net.seed")),
    h("p", { class: "hint", "data-i18n": "net.dropoutHint" }),
    h("p", { class: "hint", "data-i18n": "net.l2Hint" }),
    errorBox,
    fields.check("cmp", "net.compare"),
    compareBox);

  function show(values) {
    const s = values.sched;
    sched.gamma.hidden = s !== "step";
    sched.every.hidden = !(s === "step" || s === "warm_restarts");
    sched.k.hidden = !(s === "exponential" || s === "inverse_time");
    sched.total.hidden = s !== "cosine";
    compareBox.hidden = !values.cmp;
  }
  return { element, show };
}
