// The optimizer race: six first-order optimizers (and, when switched on,
// Newton and L-BFGS) on one surface.
import { buildParams, mountRace, FIRST_ORDER, SECOND_ORDER } from "../ui/race-view.js";

export const id = "race";

const spec = {
  id,
  titleKey: "race.title",
  introKey: "race.intro",
  slots: [...FIRST_ORDER, ...SECOND_ORDER].map((kind) => ({ id: kind, kind })),
  on: FIRST_ORDER,
  surface: "quadratic",
  showModel: true,
  presets: [
    { key: "zigzag", query: "surface=quadratic&cond=50&on=sgd,momentum,adam&arrows=1" },
    { key: "saddle", query: "surface=saddle&x=-1.8&y=0.002&on=sgd,momentum,adam" },
    { key: "localMinima", query: "surface=bumpy&on=sgd,momentum,nesterov" },
    { key: "plateau", query: "surface=plateau&on=sgd,adagrad,rmsprop,adam" },
    { key: "noise", query: "surface=quadratic&noise=1&batch=1&on=sgd,momentum&speed=1" },
  ],
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
