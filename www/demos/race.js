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
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
