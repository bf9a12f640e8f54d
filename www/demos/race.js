// The optimizer race: six first-order optimizers (and, when switched on,
// Newton and L-BFGS) on one surface.
import { buildParams, mountRace, FIRST_ORDER, SECOND_ORDER } from "../ui/race-view.js";

export const id = "race";

export const spec = {
  id,
  titleKey: "race.title",
  introKey: "race.intro",
  slots: [
    ...[...FIRST_ORDER, ...SECOND_ORDER].map((kind) => ({ id: kind, kind })),
    // Adam without bias correction, for comparing first steps side by side.
    { id: "adamraw", kind: "adam", biasCorrection: false, color: "#808080", nameKey: "opt.adamRaw" },
  ],
  on: FIRST_ORDER,
  surface: "quadratic",
  // A narrow valley: with momentum ρ = 0.9 (rate at best √ρ ≈ 0.95 per
  // step) beating the best plain SGD needs κ above about 40.
  cond: 100,
  showModel: true,
  // Each preset's lesson is stated under lesson.race.* and checked by
  // tests/lessons (www/lessons/table.js).
  presets: [
    { key: "zigzag", query: "surface=quadratic&on=sgd,momentum&arrows=1" },
    { key: "saddle", query: "surface=saddle&x=-1.8&y=0.002&on=sgd,momentum,adam" },
    { key: "localMinima", query: "surface=bumpy&on=sgd,momentum,nesterov" },
    { key: "plateau", query: "surface=plateau&on=sgd,adagrad,rmsprop,adam" },
    { key: "adagradStall", query: "surface=custom&expr=sqrt(1%2B(x-3)%5E2)%2By%5E2&range=4&x=-3.5&y=2&on=adagrad,rmsprop&adagrad.lr=0.1&rmsprop.lr=0.1" },
    { key: "adamBias", query: "surface=quadratic&on=adam,adamraw&arrows=1&speed=1" },
    { key: "noise", query: "surface=quadratic&noise=1&batch=1&on=sgd,momentum&sgd.lr=0.5&momentum.lr=0.05&speed=1" },
  ],
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
