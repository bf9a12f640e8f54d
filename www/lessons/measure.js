// Runs a demo's default view or preset in the engine, outside any page, and
// reads off the numbers a lesson is about. The settings come from the
// demo's own parameter table and config builders, so a lesson is checked
// against exactly what the UI would run. `engine` is the wasm module
// (www/pkg/trainlab.js after init), passed in so this works in Node and in
// the browser alike.
import { decode } from "../state.js";
import { racerConfig, surfaceSpecOf } from "../ui/race-view.js";

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
    return { values, start, fStar, racers, surface: { value: (x, y) => surface.value(x, y) } };
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
