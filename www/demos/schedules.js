// Learning-rate schedules: one optimizer, six schedules (and a constant
// rate with warm-up), noisy gradients, so the classic picture appears: a
// constant rate hovers at its noise floor, step decay drops the loss at
// each drop of the rate, exponential and 1/t decay glide down.
import { h } from "../ui/dom.js";
import { buildParams, mountRace } from "../ui/race-view.js";

export const id = "schedules";
const OPTIMIZERS = ["sgd", "momentum", "adam"];
const COLOR_OF = ["#4363d8", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#808000", "#000075"];

export const spec = {
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
    { id: "warmup", schedule: "constant", scheduleDefaults: { warmup: 50 }, nameKey: "schedule.constantWarmup" },
  ].map((slot, i) => ({
    kind: (values) => values.opt,
    lr: 0.3,
    color: COLOR_OF[i],
    nameKey: `schedule.${slot.schedule}`,
    ...slot,
  })),
  on: ["constant", "step", "exponential", "inverse"],
  surface: "quadratic",
  // A mildly conditioned bowl: the constant rate reaches its noise floor
  // early, so what the schedules change is the floor, not the progress
  // along a flat valley.
  cond: 5,
  noise: true,
  batch: 1,
  speed: 4,
  minSteps: 400,
  showSchedules: true,
  presets: [
    { key: "classic", query: "" },
    { key: "cosine", query: "on=constant,cosine,restarts" },
    // Steep far out, flat near the bottom (x⁴): the rate the bottom needs is
    // too large for the start, unless it is warmed up.
    { key: "warmup", query: "surface=custom&expr=0.25*x%5E4%2B0.5*y%5E2&x=2.8&y=1&noise=0&on=constant,warmup" },
  ],
  extraParams: { opt: { type: "enum", values: OPTIMIZERS, default: "sgd" } },
  extraControls(values, changed, prefix) {
    const select = h("select", { id: `${prefix}-opt` },
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
