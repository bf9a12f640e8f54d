// Newton and L-BFGS against first-order methods, with the local quadratic
// model, the Hessian's eigenvalues and the evaluation counts on show.
import { buildParams, mountRace } from "../ui/race-view.js";

export const id = "second-order";

export const spec = {
  id,
  titleKey: "second.title",
  introKey: "second.intro",
  slots: [
    ...["sgd", "momentum", "adam", "newton"].map((kind) => ({ id: kind, kind })),
    { id: "plain", kind: "newton", damping: "none", color: "#4363d8", nameKey: "opt.newtonPlain" },
    { id: "bfgs", kind: "bfgs" },
    { id: "lbfgs", kind: "lbfgs" },
  ],
  on: ["sgd", "momentum", "adam", "newton", "lbfgs"],
  surface: "rosenbrock",
  model: "newton",
  showModel: true,
  showCounts: true,
  speed: 1,
  presets: [
    { key: "oneStep", query: "surface=quadratic&cond=100&on=sgd,adam,newton,lbfgs" },
    { key: "newtonSaddle", query: "surface=saddle&x=-1&y=0.3&on=newton,plain&model=plain" },
    { key: "noisyLbfgs", query: "surface=rosenbrock&noise=1&batch=4&on=adam,lbfgs&model=lbfgs" },
    { key: "counts", query: "surface=rosenbrock&on=momentum,newton,bfgs,lbfgs" },
  ],
};

export const params = buildParams(spec);
spec.params = params;

export function mount(root, ctx) {
  return mountRace(root, ctx, spec);
}
