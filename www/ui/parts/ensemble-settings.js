// The ensemble-settings part: the ensembles demo's settings panel (data,
// network, optimizer, the ensemble's members, budget and cycle, Polyak
// averaging) built from a demo's controls fields. It knows nothing of the
// URL or the engine.
import { h } from "../dom.js";

/**
 * @param {object} o
 * @param {object} o.fields the demo's controls fields (createFields / createSettings)
 * @param {{datasets: string[], activations: string[], optimizers: string[]}} o.choices drop-down options
 * @param {{parse: (text:string)=>string|null, message: (text:string)=>string}} o.hidden reads the hidden-layers text
 * @param {HTMLElement} o.errorBox the settings' error line
 * Returns {element, destroy()}.
 */
export function createEnsembleSettings({ fields, choices, hidden, errorBox }) {
  const hint = (key) => h("p", { class: "hint", "data-i18n": key });
  const element = h("div", { class: "panel ens-settings" },
    h("h3", { "data-i18n": "ens.settingsData" }),
    h("div", { class: "hyper" }, fields.select("data", "net.dataset", choices.datasets, "net.data"), fields.select("classes", "net.classes", [2, 3, 4, 5, 6]),
      fields.number("n", "net.pointsPerClass"), fields.number("noise", "net.noise"),
      fields.number("dseed", "net.dataSeed"), fields.number("val", "net.validation")),
    h("h3", { "data-i18n": "ens.settingsNet" }),
    h("div", { class: "hyper" },
      fields.text("hidden", "net.hidden", { maxlength: 30, class: "net-hidden", ...hidden }),
      fields.select("act", "net.activation", choices.activations, "net.act")),
    hint("ens.hiddenHint"),
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", choices.optimizers, "opt"), fields.number("lr", "hp.lr"),
      fields.number("batch", "net.batch"), fields.number("l2", "net.l2"), fields.number("seed", "net.seed")),
    h("h3", { "data-i18n": "ens.settingsEnsemble" }),
    h("div", { class: "hyper" }, fields.number("members", "ens.members"), fields.number("steps", "ens.steps"), fields.number("cycle", "ens.cycle")),
    hint("ens.membersHint"),
    hint("ens.cycleHint"),
    h("div", { class: "hyper" }, fields.check("polyak", "ens.polyakSwitch"), fields.number("decay", "ens.decay")),
    hint("ens.decayHint"),
    errorBox);
  return { element, destroy() {} };
}
