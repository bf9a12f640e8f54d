// The bad-input matrix for the JS API: every constructor (and a few cheap
// methods on what it builds) called with settings mutated at random —
// wrong types, NaN, ±∞, −0, huge numbers, huge strings and arrays, unknown
// and prototype keys, deep nesting, throwing getters. Every call must
// either work or throw an Error with a message; a Rust panic (a
// WebAssembly.RuntimeError such as "unreachable") is a crash, and objects
// made before the fuzzing must still give the same answers afterwards.
// Half the replacements are plausible values (right type, often in range),
// so validation deeper in each constructor is reached too.
//
//   node tests/api/fuzz.mjs [--cases N] [--seed S]     (scripts/fuzz.sh)
//   import { runFuzz } from './fuzz.mjs'                (tests/api/fuzz.test.mjs)

import { api } from './harness.mjs';

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
export function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n) => Math.floor(next() * n);
  return { next, below, pick: (items) => items[below(items.length)] };
}

function nested(depth) {
  let value = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Planted proxies: never looked into by the mutator itself. */
const PROXIES = new WeakSet();

/** An object whose every property read throws. */
function throwingGetters() {
  const proxy = new Proxy({}, {
    get() { throw new Error('getter refused'); },
    ownKeys() { return ['kind', 'lr']; },
    getOwnPropertyDescriptor() { return { configurable: true, enumerable: true, value: 1 }; },
  });
  PROXIES.add(proxy);
  return proxy;
}

/** Hostile values: each a function so huge ones are made only when drawn. */
const HOSTILE = [
  () => Number.NaN, () => Infinity, () => -Infinity, () => -0, () => 0, () => 1, () => -1, () => 0.5,
  () => 1e308, () => -1e308, () => 2 ** 53 + 2, () => 2 ** 32, () => 2 ** 31, () => -(2 ** 31), () => 5e-324,
  () => 1e6, () => 12345.678, () => '', () => 'x', () => '1', () => 'NaN', () => '<img src=x onerror=alert(1)>',
  () => 'x'.repeat(200_000), () => 'é∑😀'.repeat(1000), () => true, () => false, () => null, () => undefined,
  () => [], () => [1, 2, 3], () => [Number.NaN, Infinity], () => ['a', 'b'], () => new Array(100_000).fill(7),
  () => [, , 1], () => ({}), () => ({ a: 1 }), () => Object.create(null), () => new Float64Array([1, Number.NaN]),
  () => new Uint8Array(5), () => new Int32Array([-1, 2 ** 31 - 1]), () => 10n, () => Symbol('s'), () => () => 1,
  () => new Date(0), () => /x/, () => new Map([['kind', 'sgd']]), () => nested(5_000), () => throwingGetters(),
  () => JSON.parse('{"__proto__": {"kind": "sgd"}}'), () => ({ kind: 'constructor' }),
];

/** Plausible values: right types, often in range, sometimes a valid choice elsewhere. */
const PLAUSIBLE = [
  () => 0.1, () => 0.9, () => 0.999, () => 2, () => 10, () => 100, () => 1e-8, () => 0, () => 1,
  () => 'sgd', () => 'adam', () => 'lbfgs', () => 'relu', () => 'none', () => 'constant', () => 'cosine', () => 'spiral',
  () => 'hflip', () => 'reflect', () => 'inverted', () => [0.5, 1], () => [224, 224], () => [8, 8], () => [-1.2, 1], () => null,
];

const KEY_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'lrr', 'kind ', 'KIND', '', '0', 'x'.repeat(10_000)];

const clone = (value) => {
  if (ArrayBuffer.isView(value)) return value.slice();
  if (Array.isArray(value)) return value.map(clone);
  if (value && typeof value === 'object' && !PROXIES.has(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = clone(v);
    return out;
  }
  return value;
};

/** Every (parent, key) slot inside a plain settings value (not inside
 * hostile values already planted: huge arrays, deep nesting). */
function slots(value, out = [], depth = 0) {
  if (depth > 8) return out;
  if (Array.isArray(value) && value.length <= 64) {
    value.forEach((v, i) => { out.push([value, i]); slots(v, out, depth + 1); });
  } else if (value && typeof value === 'object' && !PROXIES.has(value) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const k of Object.keys(value)) { out.push([value, k]); slots(value[k], out, depth + 1); }
  }
  return out;
}

/** One to three mutations of `base` (a fresh copy), or a hostile value in its place. */
export function mutate(base, rng) {
  if (rng.next() < 0.05) return rng.pick(HOSTILE)();
  const root = { value: clone(base) };
  const roll = rng.next();
  const count = roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
  for (let m = 0; m < count; m++) {
    const all = slots(root.value, [[root, 'value']]);
    const [parent, key] = rng.pick(all);
    const choice = rng.below(10);
    if (choice < 3) {
      parent[key] = rng.pick(HOSTILE)();
    } else if (choice < 6) {
      parent[key] = rng.pick(PLAUSIBLE)();
    } else if (choice < 7 && !Array.isArray(parent) && parent !== root) {
      delete parent[key];
    } else if (choice < 9 && parent[key] && typeof parent[key] === 'object' && !ArrayBuffer.isView(parent[key]) && !PROXIES.has(parent[key])) {
      // An extra key, set as an own property even when it is __proto__.
      Object.defineProperty(parent[key], rng.pick(KEY_NAMES), { value: rng.pick(HOSTILE)(), enumerable: true, configurable: true, writable: true });
    } else {
      parent[key] = rng.below(2) ? [parent[key]] : { value: parent[key] };
    }
  }
  return root.value;
}

// Valid settings to start from, for every constructor.
const OPTIMIZERS = [
  { kind: 'sgd', lr: 0.1 }, { kind: 'momentum', lr: 0.05, momentum: 0.9 }, { kind: 'nesterov', lr: 0.05, momentum: 0.5 },
  { kind: 'adagrad', lr: 0.1, eps: 1e-10 }, { kind: 'rmsprop', lr: 0.01, decay: 0.99, eps: 1e-8 },
  { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrection: true },
  { kind: 'sgd', lr: 0.5, schedule: { kind: 'warm_restarts', period: 10, mult: 2, min: 0.01, warmup: 3 } },
  { kind: 'adam', schedule: { kind: 'step', lr: 0.1, gamma: 0.5, every: 10 } },
  { kind: 'newton', damping: 'line_search' }, { kind: 'newton', damping: 0.5 }, { kind: 'bfgs', lineSearch: 'backtracking' },
  { kind: 'lbfgs', history: 5, lineSearch: 'strong_wolfe' },
];
const SURFACES = [
  'rosenbrock', 'saddle', { name: 'quadratic', condition: 20, rotation: 30 }, { name: 'himmelblau' },
  { expr: 'x^2 + 10*y^2', range: 3 }, { expr: 'sin(x)*cos(y) + 0.1*(x^2+y^2)', view: [-3, 3, -2, 2] },
];
const SCHEDULES = [
  { kind: 'constant', lr: 0.1 }, { kind: 'step', lr: 0.1, gamma: 0.5, every: 100 }, { kind: 'exponential', lr: 0.1, k: 0.01 },
  { kind: 'inverse_time', lr: 0.1, k: 0.01 }, { kind: 'cosine', lr: 0.1, total: 1000, min: 0 },
  { kind: 'warm_restarts', lr: 0.1, period: 100, mult: 2, min: 0, warmup: 10 },
];
const RACES = [
  { start: [-1.2, 1], racers: [{ kind: 'sgd', lr: 1e-3 }, { kind: 'adam', lr: 0.05 }], noise: { batchSize: 4, scale: 1 }, seed: 7 },
  { racers: [{ kind: 'newton' }, { kind: 'lbfgs' }], noise: null },
];
const TRAINERS = [
  {
    dataset: { kind: 'spiral', classes: 3, pointsPerClass: 20, noise: 0.2, seed: 1 }, validationSplit: 0.2, hidden: [8],
    activation: 'relu', dropout: null, batchNorm: false, optimizer: { kind: 'sgd', lr: 1 }, l2: 1e-3, batchSize: 30, seed: 1,
  },
  {
    dataset: { kind: 'custom', x: [0, 0, 1, 1, -1, 0.5, 0.3, -0.2], y: [0, 1, 0, 1] }, hidden: [4, 3], activation: 'tanh',
    dropout: 0.3, dropoutMode: 'original', batchNorm: true, init: 'xavier', optimizer: { kind: 'adam', lr: 0.01 }, batchSize: 2,
  },
];
TRAINERS.push({
  dataset: { kind: 'images', width: 6, height: 6, channels: 1, x: Array.from({ length: 8 * 36 }, (_, i) => (i % 7) / 7), y: [0, 1, 0, 1, 1, 0, 1, 0] },
  validationSplit: 0.25, layers: [{ kind: 'conv', filters: 2, size: 3 }, { kind: 'relu' }, { kind: 'maxpool', size: 2 }, { kind: 'dense', units: 2 }],
  augment: { ops: [{ kind: 'noise', std: 0.05 }, { kind: 'translate', maxShift: 0.1 }] }, optimizer: { kind: 'momentum', lr: 0.01 }, batchSize: 4,
});
const ENSEMBLES = [
  { trainer: TRAINERS[0], kind: 'independent', members: 3 },
  { trainer: { ...TRAINERS[0], polyak: 0.9 }, kind: 'snapshot', members: 2, cycle: 5 },
];
const DOT_STYLES = [
  { radius: 4.5, lineWidth: 1, hollow: false, colors: ['#1f77b4', '#ff7f0e', '#2ca02c'] },
  { radius: 3, lineWidth: 2, hollow: true, colors: ['#d62728'] },
];
const AUGMENTERS = [
  { ops: [{ kind: 'hflip', p: 0.5 }, { kind: 'random_resized_crop', scale: [0.3, 1], ratio: [0.75, 1.333], size: [16, 12] }, { kind: 'color_jitter', brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }] },
  { ops: [{ kind: 'random_crop', size: [8, 8], padding: 2, paddingMode: 'reflect' }, { kind: 'rotate', degrees: 30, fill: [0, 0, 0, 255] }, { kind: 'translate', maxShift: [0.2, 0.1], paddingMode: 'edge' }] },
  { ops: [{ kind: 'cutout', p: 1, scale: [0.02, 0.2], ratio: [0.3, 3.3], fill: 'noise' }, { kind: 'lighting', std: 0.1 }, { kind: 'grayscale', p: 0.5 }, { kind: 'vflip' }, { kind: 'noise', std: 0.1 }] },
];

/** How a call ended: 'accepted', 'refused' (an Error with a message) or a crash description. */
function outcome(fn) {
  try {
    const value = fn();
    return { kind: 'accepted', value };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) return { kind: 'crash', why: `wasm trap: ${error.message}` };
    // Running out of stack inside wasm unwinds past Rust's own stack
    // pointer: the module is broken afterwards, so it counts as a crash.
    if (error instanceof RangeError && /call stack/i.test(error.message)) return { kind: 'crash', why: `stack overflow: ${error.message}` };
    if (!(error instanceof Error)) return { kind: 'crash', why: `threw a non-Error: ${String(error)}` };
    if (!error.message) return { kind: 'crash', why: `an Error without a message (${error.name})` };
    return { kind: 'refused', message: error.message };
  }
}

const hostileNumber = (rng) => rng.pick([Number.NaN, Infinity, -1, -0, 0, 1, 3, 2 ** 32, 1e9, 0.5, 2 ** 31 - 1, undefined, null, '2']);

/** Cheap method calls on an accepted object, with hostile arguments; returns their outcomes. */
function exercise(kind, object, rng, surface) {
  const calls = {
    Optimizer: [
      () => object.step(new Float64Array(1 + rng.below(3)), new Float64Array(1 + rng.below(3)).fill(hostileNumber(rng))),
      () => object.stepOn(surface, Float64Array.from([hostileNumber(rng), 0.5])),
      () => object.velocity(), () => object.lr, () => object.reset(),
    ],
    Surface: [
      () => object.value(hostileNumber(rng), 0.3), () => object.grad(0.1, hostileNumber(rng)),
      () => object.hessian(hostileNumber(rng), hostileNumber(rng)), () => object.bounds(), () => object.minima(),
    ],
    Schedule: [() => object.at(hostileNumber(rng)), () => object.values(rng.below(50)), () => object.restartsBefore(hostileNumber(rng))],
    Race: [
      () => object.step(rng.below(20)), () => object.status(hostileNumber(rng)), () => object.model(rng.below(3)),
      () => object.restart(hostileNumber(rng), 0.5), () => object.arrows(rng.below(3)), () => object.modelOverlay(0, hostileNumber(rng), 8),
    ],
    Trainer: [
      () => object.run(rng.pick([0, 1, 2, -1, Number.NaN, 0.5])), () => object.predictGrid(-1, 1, -1, 1, hostileNumber(rng), 4),
      () => object.addPoint(hostileNumber(rng), 0, rng.below(4)), () => object.forwardEval(Float64Array.from([hostileNumber(rng), 1])),
      () => object.ensembleGap([0.1, 0.2], hostileNumber(rng)), () => object.setWeights(rng.pick([[], [new Float32Array(2)], 'w', null])),
    ],
    Augmenter: [
      () => object.apply(new Uint8Array(4 * 6 * 5).fill(9), 6, 5, rng.pick([0, 1, 2 ** 53, -1, Number.NaN])),
      () => object.apply(new Uint8Array(rng.below(200)), hostileNumber(rng), hostileNumber(rng), 1),
      () => object.setImage(new Uint8Array(16), 2, 2), () => object.sample(rng.below(10)),
    ],
    Heatmap: [() => object.render(surface, hostileNumber(rng), 1, -1, 1), () => object.pixels()],
    DotLayer: [
      () => object.draw(Float32Array.from([hostileNumber(rng), 3, 2, hostileNumber(rng)]), Uint8Array.from([rng.below(256), 1]), mutate(rng.pick(DOT_STYLES), rng)),
      () => object.draw(new Float32Array(2 * rng.below(4)), new Uint8Array(rng.below(4)), rng.pick(DOT_STYLES)),
      () => object.pixels(), () => object.clear(),
    ],
    Ensemble: [
      () => object.run(rng.pick([0, 1, 6, -1, Number.NaN])), () => object.predict(Float64Array.from([hostileNumber(rng), 0.2])),
      () => object.memberGrid(hostileNumber(rng), -1, 1, -1, 1, 4, 4), () => object.predictGrids(-1, 1, -1, 1, hostileNumber(rng), 3),
      () => object.lossHistory(hostileNumber(rng)), () => object.accuracyByCount(),
    ],
  }[kind];
  const results = [];
  for (let k = 0; k < 2; k++) results.push(outcome(rng.pick(calls)));
  return results;
}

/** Objects made before the fuzzing, and what they answer. */
function sentinels() {
  const surface = new api.Surface('rosenbrock');
  const race = new api.Race(surface, { racers: [{ kind: 'adam', lr: 0.05 }] });
  const trainer = new api.Trainer(TRAINERS[0]);
  const augmenter = new api.Augmenter(AUGMENTERS[0]);
  const image = new Uint8Array(4 * 20 * 15).map((_, i) => (i * 37) & 255);
  const answers = () => {
    const twin = new api.Race(surface, { racers: [{ kind: 'adam', lr: 0.05 }] });
    race.reset();
    race.step(25);
    twin.step(25);
    const same = race.path(0).join() === twin.path(0).join();
    twin.free();
    return JSON.stringify([
      surface.value(0.3, 0.4), [...surface.hessian(0.5, 0.2)], same, race.status(0).x,
      trainer.evaluate().trainLoss, [...augmenter.apply(image, 20, 15, 5).data.slice(0, 40)],
    ]);
  };
  return { surface, answers, before: answers() };
}

/** Whether the objects made before the fuzzing still answer as they did; records a crash if not. */
function sentinelsHold(guard, stats, index) {
  const now = outcome(() => guard.answers());
  if (now.kind === 'accepted' && now.value === guard.before) return true;
  const why = now.kind === 'accepted' ? `changed their answers: ${now.value} vs ${guard.before}` : now.why ?? now.message;
  stats.crashes.push({ case: index, kind: 'sentinel', why: `objects made before the fuzzing broke: ${why}` });
  return false;
}

/**
 * Runs `cases` fuzz cases from `seed` (stopping early if the module broke). Returns
 * { cases, accepted, refused, crashes: [{ case, kind, why }], methods: {accepted, refused} }.
 */
export function runFuzz({ cases, seed, onProgress }) {
  const rng = generator(seed);
  const guard = sentinels();
  const stats = { seed, cases: 0, accepted: 0, refused: 0, crashes: [], methods: { accepted: 0, refused: 0 }, byKind: {} };
  const makers = {
    Optimizer: () => { const c = mutate(rng.pick(OPTIMIZERS), rng); return () => new api.Optimizer(c); },
    Surface: () => { const c = mutate(rng.pick(SURFACES), rng); return () => new api.Surface(c); },
    Schedule: () => { const c = mutate(rng.pick(SCHEDULES), rng); return () => new api.Schedule(c); },
    Race: () => { const c = mutate(rng.pick(RACES), rng); return () => new api.Race(guard.surface, c); },
    Trainer: () => { const c = mutate(rng.pick(TRAINERS), rng); return () => new api.Trainer(c); },
    Augmenter: () => { const c = mutate(rng.pick(AUGMENTERS), rng); return () => new api.Augmenter(c); },
    Heatmap: () => { const [w, h] = [hostileNumber(rng), rng.pick([8, hostileNumber(rng)])]; return () => new api.Heatmap(w, h); },
    Ensemble: () => { const c = mutate(rng.pick(ENSEMBLES), rng); return () => new api.Ensemble(c); },
    DotLayer: () => { const [w, h] = [hostileNumber(rng), rng.pick([8, hostileNumber(rng)])]; return () => new api.DotLayer(w, h); },
  };
  const kinds = Object.keys(makers);
  for (let index = 0; index < cases; index++) {
    const kind = kinds[index % kinds.length];
    const result = outcome(makers[kind]());
    stats.cases += 1;
    const tally = (stats.byKind[kind] ??= { accepted: 0, refused: 0 });
    if (result.kind === 'crash') {
      // After a crash the module cannot be trusted: stop at the first one.
      stats.crashes.push({ case: index, kind, why: result.why });
      return stats;
    }
    stats[result.kind] += 1;
    tally[result.kind] += 1;
    if (result.kind === 'accepted') {
      for (const call of exercise(kind, result.value, rng, guard.surface)) {
        if (call.kind === 'crash') {
          stats.crashes.push({ case: index, kind: `${kind} method`, why: call.why });
          return stats;
        }
        stats.methods[call.kind] += 1;
      }
      result.value.free();
    }
    if (index % 500 === 499) {
      onProgress?.(stats);
      if (!sentinelsHold(guard, stats, index)) return stats;
    }
  }
  sentinelsHold(guard, stats, cases);
  return stats;
}

/** One line of figures for a report. */
export function summary(stats) {
  const kinds = Object.entries(stats.byKind).map(([k, v]) => `${k} ${v.accepted}/${v.refused}`).join(', ');
  return `fuzz seed ${stats.seed}: ${stats.cases} cases, ${stats.refused} refused, ${stats.accepted} accepted, ` +
    `${stats.crashes.length} crashes; method calls on accepted objects: ${stats.methods.refused} refused, ` +
    `${stats.methods.accepted} accepted (accepted/refused by constructor: ${kinds})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const cases = Number(arg('cases', 100_000));
  const seed = arg('seed', 'random') === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(arg('seed'));
  const started = Date.now();
  const stats = runFuzz({ cases, seed, onProgress: (s) => { if (s.cases % 10_000 === 0) console.error(`… ${s.cases} cases`); } });
  console.log(summary(stats));
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const crash of stats.crashes) console.log(`CRASH case ${crash.case} (${crash.kind}): ${crash.why}; replay with --cases ${crash.case + 1} --seed ${seed}`);
  process.exitCode = stats.crashes.length ? 1 : 0;
}
