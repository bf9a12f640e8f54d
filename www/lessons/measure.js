// Runs a demo's default view or preset in the engine, outside any page, and
// reads off the numbers a lesson is about. The settings come from the
// demo's own parameter table and config builders, so a lesson is checked
// against exactly what the UI would run. `engine` is the wasm module
// (www/pkg/trainlab.js after init), passed in so this works in Node and in
// the browser alike.
import { decode } from "../state.js";
import { racerConfig, surfaceSpecOf } from "../ui/race-config.js";

/** A demo's values for a preset's query string; a rejected value is an error. */
export function valuesOf(demo, query = "") {
  const { values, rejected } = decode(demo.params, new URLSearchParams(query));
  if (rejected.length) {
    throw new Error(`${demo.id}?${query}: rejected ${rejected.map((r) => `${r.name}=${r.raw}`).join(", ")}`);
  }
  return values;
}

/**
 * Runs a race demo (race, schedules, second-order) for `steps` steps and
 * returns every racer's path, losses and status, copied out of wasm memory.
 * `overrides` replace values after decoding (a seed, a rate, ...).
 */
export function runRace(engine, demo, query, steps, overrides = {}) {
  const values = { ...valuesOf(demo, query), ...overrides };
  const surface = new engine.Surface(surfaceSpecOf(values));
  const slots = demo.spec.slots.filter((s) => values.on.includes(s.id));
  const start = Number.isFinite(values.x) && Number.isFinite(values.y)
    ? [values.x, values.y] : Array.from(surface.defaultStart());
  const race = new engine.Race(surface, {
    start,
    racers: slots.map((s) => racerConfig(s, values)),
    noise: values.noise ? { batchSize: values.batch } : null,
    seed: values.seed,
  });
  try {
    for (let done = 0; done < steps; done += 10000) race.step(Math.min(10000, steps - done));
    const minima = surface.minima();
    const fStar = minima.length >= 2 ? surface.value(minima[0], minima[1]) : null;
    const racers = {};
    slots.forEach((slot, i) => {
      racers[slot.id] = {
        config: racerConfig(slot, values),
        path: Float64Array.from(race.path(i)),
        losses: Float64Array.from(race.losses(i)),
        status: race.status(i),
      };
    });
    // Plain numbers only: the surface is freed on return.
    const probe = {
      value: (x, y) => surface.value(x, y),
      grad: (x, y) => Array.from(surface.grad(x, y)),
      hessian: (x, y) => Array.from(surface.hessian(x, y)),
    };
    const at = start;
    return { values, start, fStar, racers, f0: probe.value(...at), hessianAtStart: probe.hessian(...at), gradAtOrigin: probe.grad(0, 0) };
  } finally {
    race.free();
    surface.free();
  }
}

/** The first step at which `losses[step] − fStar` falls below `target` (Infinity if never). */
export function stepsToReach(losses, fStar, target) {
  for (let k = 0; k < losses.length; k++) if (losses[k] - fStar < target) return k;
  return Infinity;
}

/** Mean of `list` over its last `count` entries. */
export function tailMean(list, count) {
  const tail = list.slice(Math.max(0, list.length - count));
  let sum = 0;
  for (const v of tail) sum += v;
  return sum / tail.length;
}

/** Displacements (dx, dy) of each step of a path. */
export function stepsOf(path) {
  const out = [];
  for (let k = 2; k < path.length; k += 2) out.push([path[k] - path[k - 2], path[k + 1] - path[k - 1]]);
  return out;
}

/** Distance of each point of a path from (x0, y0). */
export function distancesFrom(path, x0, y0) {
  const out = [];
  for (let k = 0; k < path.length; k += 2) out.push(Math.hypot(path[k] - x0, path[k + 1] - y0));
  return out;
}

/**
 * The step from which `losses − fStar` stays below `target` to the end of
 * the run (Infinity if it is above it at the end). Unlike the first dip
 * below the target, this does not reward a lucky pass through it.
 */
export function stepsToSettle(losses, fStar, target) {
  if (!(losses[losses.length - 1] - fStar < target)) return Infinity;
  let k = losses.length - 1;
  while (k > 0 && losses[k - 1] - fStar < target) k--;
  return k;
}

/** Fraction of consecutive pairs in `list` whose signs differ. */
export function signFlipShare(list) {
  let flips = 0;
  for (let k = 1; k < list.length; k++) if (list[k] * list[k - 1] < 0) flips++;
  return list.length > 1 ? flips / (list.length - 1) : 0;
}

/** Mean cosine of the angle between successive steps (1: straight on, −1: straight back). */
export function meanTurnCosine(steps) {
  let sum = 0;
  let count = 0;
  for (let k = 1; k < steps.length; k++) {
    const [a, b] = [steps[k - 1], steps[k]];
    const norms = Math.hypot(a[0], a[1]) * Math.hypot(b[0], b[1]);
    if (norms > 0) {
      sum += (a[0] * b[0] + a[1] * b[1]) / norms;
      count++;
    }
  }
  return count ? sum / count : 0;
}

/** Eigenvalues (ascending) and unit eigenvectors of a symmetric 2×2 [a, b, b, d]. */
export function eigen2([a, b, , d]) {
  const mean = (a + d) / 2;
  const radius = Math.hypot((a - d) / 2, b);
  const values = [mean - radius, mean + radius];
  const vectorOf = (l) => {
    const [x, y] = Math.abs(b) > 1e-15 ? [b, l - a] : (Math.abs(a - l) < Math.abs(d - l) ? [1, 0] : [0, 1]);
    const n = Math.hypot(x, y);
    return [x / n, y / n];
  };
  return { values, vectors: values.map(vectorOf) };
}

/** Standard deviation of a list of numbers. */
export function std(list) {
  let mean = 0;
  for (const v of list) mean += v / list.length;
  let sq = 0;
  for (const v of list) sq += (v - mean) ** 2 / list.length;
  return Math.sqrt(sq);
}

/**
 * Trains engine Trainers built from `configs` side by side and evaluates
 * them at each step count in `marks`: returns, per mark, the evaluate()
 * report of every trainer. Frees them afterwards.
 */
export function trainSideBySide(engine, configs, marks) {
  const trainers = [];
  try {
    for (const c of configs) trainers.push(new engine.Trainer(c));
    let done = 0;
    return marks.map((mark) => {
      for (const t of trainers) t.run(mark - done);
      done = mark;
      return trainers.map((t) => t.evaluate());
    });
  } finally {
    for (const t of trainers) t.free();
  }
}

/**
 * Images (side × side, one channel, `count` of them) moved by (dx, dy)
 * whole pixels, the uncovered strip black: the digits as they would look
 * drawn off-centre.
 */
export function shiftImages(images, count, side, dx, dy) {
  const out = new Float32Array(images.length);
  const size = side * side;
  for (let k = 0; k < count; k++) {
    for (let y = 0; y < side; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= side) continue;
      for (let x = 0; x < side; x++) {
        const sx = x - dx;
        if (sx >= 0 && sx < side) out[k * size + y * side + x] = images[k * size + sy * side + sx];
      }
    }
  }
  return out;
}

/** Share of `images` whose most probable class under `trainer.predict` is their label. */
export function predictedAccuracy(trainer, images, labels) {
  const probs = trainer.predict(images);
  const classes = probs.length / labels.length;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}
