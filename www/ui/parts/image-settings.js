// The image-settings part: the image lab's settings panel. Data size,
// network, comparison, the augmentation ops (each a switch with its
// strength beside it; strengths of ops that are off stay editable but dim),
// optimizer and the stop step, built from a demo's controls fields. It
// knows nothing of the URL or the engine.
import { h } from "../dom.js";

/** Each strength field and the op it belongs to (the flip probability serves both flips). */
const STRENGTH = { rot: "rotate", shift: "translate", pad: "crop", zoom: "zoom", cut: "cutout", noise: "noise", flip: "vflip" };

/**
 * @param {object} o
 * @param {object} o.fields the demo's controls fields (createFields / createSettings)
 * @param {string} o.prefix per-instance id prefix
 * @param {string[]} o.ops augmentation ops, in pipeline order
 * @param {{archs: string[], compare: string[], optimizers: string[]}} o.choices drop-down options
 * @param {HTMLElement} o.errorBox the settings' error line
 * @param {(op:string, on:boolean)=>void} o.onOp an op switched on or off
 * Returns {element, sync(values), destroy()}.
 */
export function createImageSettings({ fields, prefix, ops, choices, errorBox, onOp }) {
  const boxes = {};
  const strengthOf = Object.fromEntries(Object.entries(STRENGTH).map(([name, op]) => [op, name]));
  const opRow = (op) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-op-${op}` });
    box.addEventListener("change", () => onOp(op, box.checked));
    boxes[op] = box;
    const strength = strengthOf[op] ? fields.number(strengthOf[op], `img.${strengthOf[op]}`) : null;
    return h("div", { class: `img-op${op === "hflip" || op === "vflip" ? " img-op-flip" : ""}` },
      h("label", { for: box.id, class: "check" }, box, h("span", { "data-i18n": `img.op.${op}` })), strength);
  };
  const augBox = h("fieldset", { class: "racer img-aug" },
    h("legend", {}, h("span", { "data-i18n": "img.augmentation" })),
    fields.check("aug", "img.augOn"),
    h("div", { class: "img-ops" }, ops.map(opRow)),
    h("p", { class: "hint", "data-i18n": "img.augHint" }));
  const element = h("div", { class: "panel net-settings img-settings" },
    h("div", { class: "hyper" }, fields.number("per", "img.per"), fields.select("arch", "img.arch", choices.archs, "img.archName"),
      fields.select("cmp", "img.compare", choices.compare, "img.cmp")),
    h("p", { class: "hint", "data-i18n": "img.dataHint" }),
    augBox,
    h("div", { class: "hyper" }, fields.select("opt", "net.optimizer", choices.optimizers, "opt"), fields.number("lr", "hp.lr"),
      fields.number("batch", "net.batch"), fields.number("l2", "net.l2"), fields.number("seed", "net.seed"),
      fields.number("until", "img.until")),
    h("p", { class: "hint", "data-i18n": "img.untilHint" }),
    errorBox);

  return {
    element,
    /** Shows `values` (after fields.sync): op switches, dim strengths, the augmentation switch. */
    sync(values) {
      for (const op of ops) boxes[op].checked = values.ops.includes(op);
      for (const [name, op] of Object.entries(STRENGTH)) {
        const on = values.ops.includes(op) || (name === "flip" && values.ops.includes("hflip"));
        fields.input(name).closest("label").classList.toggle("off", !on);
      }
      fields.input("aug").disabled = values.cmp === "aug";
      fields.input("aug").closest("label").classList.toggle("off", values.cmp === "aug");
    },
    destroy() {},
  };
}
