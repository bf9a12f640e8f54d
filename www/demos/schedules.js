// Learning-rate schedules: one optimizer, six schedules, noisy gradients,
// so the classic picture appears: a constant rate plateaus at the noise
// floor, step decay drops at every step, exponential and 1/t glide down.
import { h } from "../ui/dom.js";
import { buildParams, mountRace } from "../ui/race-view.js";

export const id = "schedules";
const OPTIMIZERS = ["sgd", "momentum", "adam"];
const COLOR_OF = ["#4363d8", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#808000"];

const spec = {
  id,
  titleKey: "sched.title",
  introKey: "sched.intro",
  slots: [
    { id: "constant", schedule: "constant" },
    { id: "step", schedule: "step", scheduleDefaults: { gamma: 0.3, every: 100 } },
    { id: "exponential", schedule: "exponential", scheduleDefaults: { k: 0.008 } },
    { id: "inverse", schedule: "inverse_time", scheduleDefaults: { k: 0.02 } },
    { id: "cosine", schedule: "cosine", scheduleDefaults: { total: 400 } },
    { id: "restarts", schedule: "warm_restarts", scheduleDefaults: { period: 50, mult: 2 } },
  ].map((slot, i) => ({
    ...slot,
    kind: (values) => values.opt,
    lr: 0.3,
    color: COLOR_OF[i],
    nameKey: `schedule.${slot.schedule}`,
  })),
  on: ["constant", "step", "exponential", "inverse"],
  surface: "quadratic",
  noise: true,
  batch: 1,
  speed: 4,
  minSteps: 400,
  showSchedules: true,
  presets: [
    { key: "classic", query: "" },
    { key: "cosine", query: "on=constant,cosine,restarts" },
    { key: "warmup", query: "opt=adam&on=constant,step&constant.warmup=50&step.warmup=50" },
  ],
  extraParams: { opt: { type: "enum", values: OPTIMIZERS, default: "sgd" } },
  extraControls(values, changed) {
    const select = h("select", { id: "schedules-opt" },
      OPTIMIZERS.map((k) => h("option", { value: k, "data-i18n": `opt.${k}` })));
    select.value = values.opt;
    select.addEventListener("change", () => { values.opt = select.value; changed(); });
    return h("label", { for: select.id, class: "field" }, h("span", { "data-i18n": "sched.optimizer" }), select);
  },
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
