// Newton and L-BFGS against first-order methods, with the local quadratic
// model, the Hessian's eigenvalues and the evaluation counts on show.
import { buildParams, mountRace } from "../ui/race-view.js";

export const id = "second-order";

const spec = {
  id,
  titleKey: "second.title",
  introKey: "second.intro",
  slots: ["sgd", "momentum", "adam", "newton", "lbfgs"].map((kind) => ({ id: kind, kind })),
  surface: "rosenbrock",
  model: "newton",
  showModel: true,
  speed: 1,
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
