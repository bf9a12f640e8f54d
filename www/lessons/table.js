// Every demo's default view and every preset link has one lesson: stated
// in words (the i18n key, English and Korean) and as a claim about numbers
// that the engine can check. tests/lessons runs every claim against the
// same settings the UI uses (the demo's parameter table decoded from the
// preset's query, then the demo's own config builders), so a preset change
// that breaks its lesson fails CI.
//
// A row: {id, demo, query, key, claim(engine, env)}. `demo` is the demo
// module; `query` is the preset's query ("" = the default view); `key` the
// i18n key of the stated lesson; `claim` returns result(measured, checks).
// `env.photo(name)` gives a built-in photo as {rgba, width, height};
// `env.digits()` the digits asset's bytes (inflated).
// Adding a lesson: one row here and its "lesson.<id>" text in
// www/i18n/lessons.js (both languages).
import * as race from "../demos/race.js";
import * as schedules from "../demos/schedules.js";
import * as secondOrder from "../demos/second-order.js";
import * as network from "../demos/network.js";
import * as dropout from "../demos/dropout.js";
import * as batchnorm from "../demos/batchnorm.js";
import * as augment from "../demos/augment.js";
import * as ensembles from "../demos/ensembles.js";
import * as images from "../demos/images.js";
import * as transfer from "../demos/transfer.js";
import { transferTrainerKind } from "../workers/kinds/transfer-trainer.js";
import { pipelineConfig } from "../ui/aug-ops.js";
import {
  valuesOf, runRace, stepsToSettle, stepsToReach, tailMean, stepsOf, distancesFrom,
  signFlipShare, meanTurnCosine, eigen2, std, trainSideBySide, shiftImages, predictedAccuracy,
} from "./measure.js";

export const DEMOS = [race, schedules, secondOrder, network, dropout, batchnorm, ensembles, augment, images, transfer];

const check = (ok, text) => ({ ok: Boolean(ok), text });

/** What a claim returns: the numbers it measured and every check, passed or not. */
function result(measured, checks) {
  return { measured, checks, failed: checks.filter((c) => !c.ok).map((c) => c.text) };
}

const fmt = (v) => (Number.isFinite(v) ? Number(v.toPrecision(3)) : String(v));
const SEEDS = (n) => Array.from({ length: n }, (_, i) => i + 1);
const LOG_GRID = Array.from({ length: 81 }, (_, k) => Number((10 ** (-3 + k / 20)).toPrecision(3)));

/** Steps until the default race's racer `kind` stays below 1e-6, at rate `lr`. */
function settleAt(engine, kind, lr, steps = 500) {
  const r = runRace(engine, race, `on=${kind}&${kind}.lr=${lr}`, steps);
  return stepsToSettle(r.racers[kind].losses, r.fStar, 1e-6);
}

/**
 * Signed components of each step along unit vector `axis`, up to where they
 * become negligible (once the steep part has died out, rounding picks the sign).
 */
function along(path, axis) {
  const parts = stepsOf(path).map(([dx, dy]) => dx * axis[0] + dy * axis[1]);
  const end = parts.findIndex((v) => Math.abs(v) < 1e-9);
  return end < 0 ? parts : parts.slice(0, end);
}

// ---- the optimizer race ------------------------------------------------------

const raceRows = [
  {
    id: "race.default",
    demo: race,
    query: "",
    claim(engine) {
      const r = runRace(engine, race, "", 500);
      const settle = Object.fromEntries(Object.entries(r.racers).map(([id, x]) => [id, stepsToSettle(x.losses, r.fStar, 1e-6)]));
      const steep = eigen2(r.hessianAtStart).vectors[1];
      const flips = signFlipShare(along(r.racers.sgd.path, steep).slice(0, 100));
      return result({ settle, sgdFlipShare: fmt(flips) }, [
        check(settle.momentum < 0.6 * settle.sgd, `momentum stays below 1e-6 from step ${settle.momentum}, SGD from ${settle.sgd} (want < 0.6×)`),
        check(settle.nesterov < 0.6 * settle.sgd, `Nesterov from step ${settle.nesterov}, SGD from ${settle.sgd} (want < 0.6×)`),
        check(flips > 0.95, `SGD's step across the valley changes sign at ${fmt(100 * flips)}% of its first 100 steps (want > 95%)`),
      ]);
    },
  },
  {
    id: "race.tunedRates",
    demo: race,
    query: "",
    claim(engine) {
      const values = valuesOf(race, "");
      const measured = {};
      const checks = [];
      for (const kind of race.spec.on) {
        const preset = values[`${kind}.lr`];
        const mine = settleAt(engine, kind, preset);
        let best = { lr: preset, steps: mine };
        for (const lr of LOG_GRID) {
          const steps = settleAt(engine, kind, lr);
          if (steps < best.steps) best = { lr, steps };
        }
        measured[kind] = { lr: preset, steps: mine, bestLr: best.lr, bestSteps: best.steps };
        checks.push(check(mine <= 1.1 * best.steps,
          `${kind}: rate ${preset} stays below 1e-6 from step ${mine}; the best rate on the grid (${best.lr}) from ${best.steps} (want within 10%)`));
      }
      const sgdBest = measured.sgd.bestSteps;
      checks.push(check(measured.momentum.steps < sgdBest && measured.nesterov.steps < sgdBest,
        `no SGD rate matches momentum (${measured.momentum.steps}) or Nesterov (${measured.nesterov.steps}): SGD's best takes ${sgdBest} steps`));
      return result(measured, checks);
    },
  },
  {
    id: "race.zigzag",
    demo: race,
    query: "surface=quadratic&on=sgd,momentum&arrows=1",
    claim(engine) {
      const r = runRace(engine, race, this.query, 100);
      const { values: [, lMax], vectors: [, steep] } = eigen2(r.hessianAtStart);
      const sgd = signFlipShare(along(r.racers.sgd.path, steep));
      const momentum = signFlipShare(along(r.racers.momentum.path, steep));
      // The condition the text states: below α = 1/λ_max the bounce stops.
      const slow = runRace(engine, race, `${this.query}&sgd.lr=${0.9 / lMax}`, 100);
      const below = signFlipShare(along(slow.racers.sgd.path, steep));
      const alpha = r.racers.sgd.config.lr;
      return result({ alphaTimesLambdaMax: fmt(alpha * lMax), sgd: fmt(sgd), momentum: fmt(momentum), sgdBelowLimit: fmt(below) }, [
        check(alpha * lMax > 1, `SGD's α·λ_max = ${fmt(alpha * lMax)} (want > 1)`),
        check(sgd > 0.95, `SGD's step across the valley flips sign at ${fmt(100 * sgd)}% of steps (want > 95%)`),
        check(momentum < 0.3, `momentum's at ${fmt(100 * momentum)}% (want < 30%)`),
        check(below < 0.05, `with α = 0.9/λ_max SGD's flips at ${fmt(100 * below)}% (want < 5%)`),
      ]);
    },
  },
  {
    id: "race.saddle",
    demo: race,
    query: "surface=saddle&x=-1.8&y=0.002&on=sgd,momentum,adam",
    claim(engine) {
      const r = runRace(engine, race, this.query, 300);
      // x² − y² has its saddle at the origin, where the gradient vanishes.
      const near = (id) => distancesFrom(r.racers[id].path, 0, 0).filter((d) => d < 0.5).length;
      const escaped = (id) => stepsToReach(r.racers[id].losses, 0, -1);
      const m = { nearSgd: near("sgd"), nearMomentum: near("momentum"), belowMinusOneSgd: escaped("sgd"), belowMinusOneMomentum: escaped("momentum") };
      return result(m, [
        check(Math.hypot(...r.gradAtOrigin) === 0, "the gradient is zero at the saddle (0, 0)"),
        check(m.nearSgd > 2 * m.nearMomentum, `SGD spends ${m.nearSgd} steps within 0.5 of the saddle, momentum ${m.nearMomentum} (want > 2×)`),
        check(m.belowMinusOneMomentum < m.belowMinusOneSgd, `momentum's loss falls below −1 at step ${m.belowMinusOneMomentum}, SGD's at ${m.belowMinusOneSgd}`),
      ]);
    },
  },
  {
    id: "race.localMinima",
    demo: race,
    query: "surface=bumpy&on=sgd,momentum,nesterov",
    claim(engine) {
      const r = runRace(engine, race, this.query, 1000);
      const end = (id) => r.racers[id].losses.at(-1) - r.fStar;
      const m = { sgd: fmt(end("sgd")), momentum: fmt(end("momentum")), nesterov: fmt(end("nesterov")) };
      return result(m, [
        check(m.sgd > 1, `SGD ends ${m.sgd} above the global minimum (want > 1: stuck in a dimple)`),
        check(m.momentum < 1e-6, `momentum ends ${m.momentum} above it (want < 1e-6)`),
        check(m.nesterov > 1, `Nesterov ends ${m.nesterov} above it (want > 1: it brakes into a dimple)`),
      ]);
    },
  },
  {
    id: "race.plateau",
    demo: race,
    query: "surface=plateau&on=sgd,adagrad,rmsprop,adam",
    claim(engine) {
      const r = runRace(engine, race, this.query, 300);
      const left = (id) => (r.racers[id].losses[300] - r.fStar) / (r.f0 - r.fStar);
      const m = Object.fromEntries(["sgd", "adagrad", "rmsprop", "adam"].map((id) => [id, fmt(left(id))]));
      return result(m, [
        check(m.sgd > 0.8, `after 300 steps SGD keeps ${fmt(100 * m.sgd)}% of its starting loss gap (want > 80%)`),
        ...["adagrad", "rmsprop", "adam"].map((id) => check(m[id] < 0.05, `${id} keeps ${fmt(100 * m[id])}% (want < 5%)`)),
      ]);
    },
  },
  {
    id: "race.adagradStall",
    demo: race,
    query: "surface=custom&expr=sqrt(1%2B(x-3)%5E2)%2By%5E2&range=4&x=-3.5&y=2&on=adagrad,rmsprop&adagrad.lr=0.1&rmsprop.lr=0.1",
    claim(engine) {
      const r = runRace(engine, race, this.query, 500);
      const lengths = (id) => stepsOf(r.racers[id].path).map(([dx, dy]) => Math.hypot(dx, dy));
      const ada = lengths("adagrad");
      const late = ada.slice(400).reduce((a, b) => a + b, 0) / 100;
      // The minimum is at (3, 0).
      const distance = (id, step) => Math.hypot(r.racers[id].path[2 * step] - 3, r.racers[id].path[2 * step + 1]);
      const m = { adagradFirstStep: fmt(ada[0]), adagradLateStep: fmt(late), adagradAt500: fmt(distance("adagrad", 500)), rmspropAt100: fmt(distance("rmsprop", 100)) };
      return result(m, [
        check(late < 0.1 * ada[0], `AdaGrad's steps 400–500 average ${m.adagradLateStep}, its first ${m.adagradFirstStep} (want < 1/10)`),
        check(m.adagradAt500 > 1, `AdaGrad is still ${m.adagradAt500} from the minimum after 500 steps (want > 1)`),
        check(m.rmspropAt100 < 0.01, `RMSProp is ${m.rmspropAt100} from it after 100 (want < 0.01)`),
      ]);
    },
  },
  {
    id: "race.adamBias",
    demo: race,
    query: "surface=quadratic&on=adam,adamraw&arrows=1&speed=1",
    claim(engine) {
      const r = runRace(engine, race, this.query, 1);
      const [bc] = stepsOf(r.racers.adam.path);
      const [raw] = stepsOf(r.racers.adamraw.path);
      const { lr, beta1, beta2 } = r.racers.adam.config;
      const expected = (1 - beta1) / Math.sqrt(1 - beta2);
      const ratios = [0, 1].map((i) => Math.abs(raw[i] / bc[i]));
      return result({ correctedStep: bc.map(fmt), uncorrectedStep: raw.map(fmt), ratios: ratios.map(fmt), expected: fmt(expected) }, [
        check(bc.every((d) => Math.abs(Math.abs(d) - lr) < 1e-6 * lr), `with bias correction each coordinate moves α = ${lr}: ${bc.map(fmt)}`),
        check(ratios.every((q) => Math.abs(q / expected - 1) < 0.01), `without it ${ratios.map(fmt)} × as far (want (1−β₁)/√(1−β₂) = ${fmt(expected)})`),
      ]);
    },
  },
  {
    id: "race.noise",
    demo: race,
    query: "surface=quadratic&noise=1&batch=1&on=sgd,momentum&sgd.lr=0.5&momentum.lr=0.05&speed=1",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(4)) {
        const r = runRace(engine, race, this.query, 2000, { seed });
        const big = runRace(engine, race, this.query, 2000, { seed, batch: 16 });
        const floor = (run, id) => tailMean(run.racers[id].losses, 1000) - run.fStar;
        const turn = (id) => meanTurnCosine(stepsOf(r.racers[id].path).slice(500));
        const m = {
          floorSgd: fmt(floor(r, "sgd")), floorMomentum: fmt(floor(r, "momentum")),
          floorSgdBatch16: fmt(floor(big, "sgd")), turnSgd: fmt(turn("sgd")), turnMomentum: fmt(turn("momentum")),
        };
        measured[`seed ${seed}`] = m;
        const ratio = m.floorMomentum / m.floorSgd;
        checks.push(
          check(ratio > 1 / 1.5 && ratio < 1.5, `seed ${seed}: noise floors ${m.floorSgd} (SGD) and ${m.floorMomentum} (momentum) within 1.5× of each other`),
          check(m.turnMomentum > 0.5 && m.turnSgd < 0.2, `seed ${seed}: mean cosine between successive steps ${m.turnMomentum} (momentum, want > 0.5), ${m.turnSgd} (SGD, want < 0.2)`),
          check(m.floorSgdBatch16 < m.floorSgd / 8, `seed ${seed}: batch 16 lowers SGD's floor from ${m.floorSgd} to ${m.floorSgdBatch16} (want < 1/8)`),
        );
      }
      return result(measured, checks);
    },
  },
  {
    id: "race.adagradAxes",
    demo: race,
    query: "on=adagrad&rot=0",
    claim(engine) {
      const aligned = runRace(engine, race, this.query, 500);
      const rotated = runRace(engine, race, "on=adagrad", 500);
      const m = {
        aligned: stepsToSettle(aligned.racers.adagrad.losses, 0, 1e-6),
        rotated: stepsToSettle(rotated.racers.adagrad.losses, 0, 1e-6),
      };
      return result(m, [
        check(m.aligned * 10 < m.rotated, `AdaGrad stays below 1e-6 from step ${m.aligned} on the axis-aligned bowl, ${m.rotated} on the bowl turned 30° (want 10× fewer)`),
      ]);
    },
  },
];

// ---- learning-rate schedules ------------------------------------------------

const scheduleRows = [
  {
    id: "schedules.default",
    demo: schedules,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(10)) {
        const r = runRace(engine, schedules, this.query, 400, { seed });
        const floor = (id) => tailMean(r.racers[id].losses, 100) - r.fStar;
        const c = floor("constant");
        measured[`seed ${seed}`] = Object.fromEntries(Object.keys(r.racers).map((id) => [id, fmt(floor(id))]));
        for (const id of ["step", "exponential", "inverse"]) {
          checks.push(check(floor(id) < 0.5 * c, `seed ${seed}: ${id} averages ${fmt(floor(id))} over steps 300–400, constant ${fmt(c)} (want < 1/2)`));
        }
      }
      return result(measured, checks);
    },
  },
  {
    id: "schedules.cosine",
    demo: schedules,
    query: "on=constant,cosine,restarts",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(5)) {
        const r = runRace(engine, schedules, this.query, 400, { seed });
        const L = r.racers.restarts.losses;
        const mean = (a, b) => L.slice(a, b).reduce((s, v) => s + v, 0) / (b - a);
        const floor = (id) => tailMean(r.racers[id].losses, 100) - r.fStar;
        const m = { cosine: fmt(floor("cosine")), constant: fmt(floor("constant")) };
        // Restarts at 50, 150, 350 (period 50, then ×2). The first comes while
        // the loss still falls; at the last, noise can hide the climb for a
        // seed; the one at 150 shows it on every seed.
        m.before = fmt(mean(130, 150));
        m.after = fmt(mean(150, 190));
        checks.push(check(m.after > 2 * m.before, `seed ${seed}: the restart at step 150 raises the mean loss from ${m.before} (steps 130–150) to ${m.after} (150–190) (want > 2×)`));
        checks.push(check(m.cosine < 0.5 * m.constant, `seed ${seed}: cosine averages ${m.cosine} over steps 300–400, constant ${m.constant} (want < 1/2)`));
        measured[`seed ${seed}`] = m;
      }
      return result(measured, checks);
    },
  },
  {
    id: "schedules.warmup",
    demo: schedules,
    query: "surface=custom&expr=0.25*x%5E4%2B0.5*y%5E2&x=2.8&y=1&noise=0&on=constant,warmup",
    claim(engine) {
      const r = runRace(engine, schedules, this.query, 400);
      const c = r.racers.constant.status;
      const w = r.racers.warmup.losses;
      const m = { constant: c.state, divergedAt: c.atStep, warmupEnd: fmt(w.at(-1)), warmupMax: fmt(Math.max(...w)), start: fmt(r.f0) };
      return result(m, [
        check(c.state === "diverged" && c.atStep <= 5, `the constant rate ${c.state} at step ${c.atStep} (want diverged within 5 steps)`),
        check(m.warmupMax <= m.start, `with warm-up the loss never exceeds its start ${m.start} (max ${m.warmupMax})`),
        check(m.warmupEnd < 1e-4, `with warm-up the loss is ${m.warmupEnd} after 400 steps (want < 1e-4)`),
      ]);
    },
  },
  {
    id: "schedules.warmupBowl",
    demo: schedules,
    query: "noise=0&on=constant,warmup",
    claim(engine) {
      const r = runRace(engine, schedules, this.query, 50);
      const m = { constant: fmt(r.racers.constant.losses[50]), warmup: fmt(r.racers.warmup.losses[50]) };
      return result(m, [
        check(m.warmup > m.constant, `on the bowl (same curvature everywhere) warm-up is behind at step 50: ${m.warmup} against ${m.constant}`),
      ]);
    },
  },
];

// ---- second-order methods ------------------------------------------------------

const secondRows = [
  {
    id: "second-order.default",
    demo: secondOrder,
    query: "",
    claim(engine) {
      const r = runRace(engine, secondOrder, this.query, 500);
      const reach = (id) => stepsToReach(r.racers[id].losses, r.fStar, 1e-6);
      const lb = r.racers.lbfgs.status;
      const m = {
        newton: reach("newton"), lbfgs: reach("lbfgs"), sgd: reach("sgd"), momentum: reach("momentum"), adam: reach("adam"),
        lbfgsEvaluations: lb.evaluations, lbfgsGradients: lb.gradients, lbfgsIterations: lb.steps,
      };
      return result(m, [
        check(m.newton <= 30 && m.lbfgs <= 50, `Newton reaches 1e-6 in ${m.newton} iterations, L-BFGS in ${m.lbfgs} (want ≤ 30, ≤ 50)`),
        check([m.sgd, m.momentum, m.adam].every((k) => k > 500), `SGD, momentum and Adam take more than 500 steps (${m.sgd}, ${m.momentum}, ${m.adam})`),
        check(m.lbfgsEvaluations > m.lbfgsIterations, `L-BFGS spent ${m.lbfgsEvaluations} function and ${m.lbfgsGradients} gradient evaluations on ${m.lbfgsIterations} iterations`),
      ]);
    },
  },
  {
    id: "second-order.oneStep",
    demo: secondOrder,
    query: "surface=quadratic&cond=100&on=sgd,adam,newton,lbfgs",
    claim(engine) {
      const r = runRace(engine, secondOrder, this.query, 300);
      const m = {
        newtonAfterOne: fmt(r.racers.newton.losses[1]), start: fmt(r.f0), lbfgs: stepsToReach(r.racers.lbfgs.losses, 0, 1e-12),
        sgd: stepsToReach(r.racers.sgd.losses, 0, 1e-6), adam: stepsToReach(r.racers.adam.losses, 0, 1e-6),
      };
      return result(m, [
        check(m.newtonAfterOne < 1e-20 * m.start, `Newton's loss after one step: ${m.newtonAfterOne} (from ${m.start})`),
        check(m.lbfgs <= 10, `L-BFGS reaches 1e-12 in ${m.lbfgs} iterations (want ≤ 10)`),
        check(m.sgd > 100 && m.adam > 50, `SGD needs ${m.sgd} steps and Adam ${m.adam} to reach 1e-6`),
      ]);
    },
  },
  {
    id: "second-order.newtonSaddle",
    demo: secondOrder,
    query: "surface=saddle&x=-1&y=0.3&on=newton,plain&model=plain",
    claim(engine) {
      const r = runRace(engine, secondOrder, this.query, 3);
      const plain = r.racers.plain.path;
      const damped = r.racers.newton;
      const m = {
        plainAfterOne: [fmt(plain[2]), fmt(plain[3])], dampedLosses: Array.from(damped.losses.slice(0, 4), fmt),
      };
      return result(m, [
        check(Math.hypot(plain[2], plain[3]) < 1e-12, `plain Newton lands on the saddle (0, 0) in one step: (${m.plainAfterOne})`),
        check(damped.losses[1] < damped.losses[0] && damped.losses[3] < damped.losses[1] && damped.losses[3] < 0,
          `the |H| form goes downhill: losses ${m.dampedLosses.join(", ")}`),
      ]);
    },
  },
  {
    id: "second-order.noisyLbfgs",
    demo: secondOrder,
    query: "surface=rosenbrock&noise=1&batch=4&on=adam,lbfgs&model=lbfgs",
    claim(engine) {
      const measured = {};
      const checks = [];
      const exact = runRace(engine, secondOrder, this.query, 200, { noise: false });
      const exactEnd = exact.racers.lbfgs.losses.at(-1);
      measured.withoutNoise = { lbfgs: exact.racers.lbfgs.status.state, loss: fmt(exactEnd) };
      checks.push(check(exactEnd < 1e-10, `without noise L-BFGS ends at ${fmt(exactEnd)} (want < 1e-10)`));
      for (const seed of SEEDS(4)) {
        const r = runRace(engine, secondOrder, this.query, 2000, { seed });
        const lb = r.racers.lbfgs.status;
        const m = { lbfgs: lb.state, at: lb.atStep, lbfgsLoss: fmt(r.racers.lbfgs.losses.at(-1)), adamLoss: fmt(r.racers.adam.losses.at(-1)) };
        measured[`seed ${seed}`] = m;
        checks.push(
          check(lb.state === "stuck" && lb.atStep <= 20 && m.lbfgsLoss > 1, `seed ${seed}: L-BFGS ${lb.state} at iteration ${lb.atStep} with loss ${m.lbfgsLoss}`),
          check(m.adamLoss < 0.5, `seed ${seed}: Adam, with the same noise, is at ${m.adamLoss} after 2000 steps (want < 0.5)`),
        );
      }
      return result(measured, checks);
    },
  },
  {
    id: "second-order.counts",
    demo: secondOrder,
    query: "surface=rosenbrock&on=momentum,newton,bfgs,lbfgs",
    claim(engine) {
      const r = runRace(engine, secondOrder, this.query, 5000);
      const m = {};
      for (const [id, x] of Object.entries(r.racers)) {
        m[id] = { iterations: stepsToReach(x.losses, r.fStar, 1e-6), f: x.status.evaluations, grad: x.status.gradients, hessians: x.status.hessians, steps: x.status.steps };
      }
      return result(m, [
        check(m.momentum.iterations > 20 * m.bfgs.iterations, `momentum needs ${m.momentum.iterations} steps to 1e-6, BFGS ${m.bfgs.iterations} iterations`),
        check(m.bfgs.f > m.bfgs.steps && m.lbfgs.f > m.lbfgs.steps, `BFGS spent ${m.bfgs.f} function evaluations on ${m.bfgs.steps} iterations, L-BFGS ${m.lbfgs.f} on ${m.lbfgs.steps}`),
        check(m.newton.hessians >= m.newton.steps, `Newton evaluated ${m.newton.hessians} Hessians in ${m.newton.steps} iterations`),
        check(m.momentum.f === 0 && m.momentum.grad === m.momentum.steps, `momentum used one gradient per step and no function values (${m.momentum.grad} gradients, ${m.momentum.steps} steps)`),
      ]);
    },
  },
];

// ---- networks --------------------------------------------------------------

const networkRows = [
  {
    id: "network.default",
    demo: network,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(network, this.query), seed, dseed: seed };
        const linear = { ...values, hidden: "" };
        const [[net, lin]] = trainSideBySide(engine, [network.trainerConfig(values), network.trainerConfig(linear)], [1000]);
        measured[`seed ${seed}`] = { hidden: fmt(net.trainAccuracy), linear: fmt(lin.trainAccuracy) };
        checks.push(
          check(net.trainAccuracy >= 0.95, `seed ${seed}: one hidden layer fits ${fmt(100 * net.trainAccuracy)}% of the training spiral after 1000 steps (want ≥ 95%)`),
          check(lin.trainAccuracy <= 0.6, `seed ${seed}: a linear softmax fits ${fmt(100 * lin.trainAccuracy)}% (want ≤ 60%)`),
        );
      }
      return result(measured, checks);
    },
  },
];

const dropoutRows = [
  {
    id: "dropout.testTime",
    demo: dropout,
    query: "",
    claim(engine) {
      const values = valuesOf(dropout, this.query);
      const keep = 1 - values.p;
      const x = Float64Array.from(dropout.INPUT);
      const nets = { inverted: new engine.Trainer(dropout.maskConfig(values, "inverted")), original: new engine.Trainer(dropout.maskConfig(values, "original")) };
      try {
        const rows = 20000;
        const expectation = (trainer) => {
          const scores = trainer.forwardTrain(Float64Array.from({ length: 2 * rows }, (_, i) => x[i % 2]));
          let sum = 0;
          for (let i = 0; i < rows; i++) sum += scores[2 * i] / rows;
          return sum;
        };
        for (const t of Object.values(nets)) t.train(dropout.MASK_NET_STEPS);
        const cases = {
          inverted: [expectation(nets.inverted), nets.inverted.forwardEval(x, "none")[0]],
          scaleAtTest: [expectation(nets.original), nets.original.forwardEval(x, "keep")[0]],
          forgot: [expectation(nets.original), nets.original.forwardEval(x, "none")[0]],
        };
        // The output bias is not dropped, so only the hidden part is 1/p_keep too large.
        const weights = nets.original.getWeights();
        const bias = weights[3][0];
        const ratio = (cases.forgot[1] - bias) / (cases.forgot[0] - bias);
        const close = ([expected, test]) => Math.abs(test - expected) < 0.02 * Math.max(1, Math.abs(expected));
        return result({ ...Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.map(fmt)])), hiddenRatio: fmt(ratio), oneOverKeep: fmt(1 / keep) }, [
          check(close(cases.inverted), `inverted dropout: test ${fmt(cases.inverted[1])} matches the training mean ${fmt(cases.inverted[0])}`),
          check(close(cases.scaleAtTest), `×p_keep at test: ${fmt(cases.scaleAtTest[1])} matches ${fmt(cases.scaleAtTest[0])}`),
          check(!close(cases.forgot), `forgetting to scale: ${fmt(cases.forgot[1])} does not match ${fmt(cases.forgot[0])}`),
          check(Math.abs(ratio * keep - 1) < 0.03, `its hidden contribution is ${fmt(ratio)}× the expected one (want 1/p_keep = ${fmt(1 / keep)})`),
        ]);
      } finally {
        for (const t of Object.values(nets)) t.free();
      }
    },
  },
  {
    id: "dropout.ensemble",
    demo: dropout,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(dropout, this.query), seed };
        const net = new engine.Trainer(dropout.maskConfig(values, "inverted"));
        try {
          net.train(dropout.MASK_NET_STEPS);
          const gaps = Array.from(net.ensembleGap(Float64Array.from(dropout.INPUT), values.k));
          const early = gaps.slice(0, 10).reduce((a, b) => a + b, 0) / 10;
          const late = gaps.slice(-50).reduce((a, b) => a + b, 0) / 50;
          measured[`seed ${seed}`] = { k1to10: fmt(early), lastFifty: fmt(late) };
          checks.push(check(late < early / 4, `seed ${seed}: the average of K masks is ${fmt(late)} from the scaled net for K near ${values.k}, ${fmt(early)} for K ≤ 10 (want < 1/4)`));
        } finally {
          net.free();
        }
      }
      return result(measured, checks);
    },
  },
  {
    id: "dropout.overfit",
    demo: dropout,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      const marks = [300, 1000, 2000];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(dropout, this.query), seed };
        const reports = trainSideBySide(engine, [dropout.overfitConfig(values, null), dropout.overfitConfig(values, values.op)], marks);
        const m = {};
        reports.forEach(([plain, drop], i) => {
          const gapPlain = plain.valLoss - plain.trainLoss;
          const gapDrop = drop.valLoss - drop.trainLoss;
          m[marks[i]] = { gapPlain: fmt(gapPlain), gapDrop: fmt(gapDrop), trainLossPlain: fmt(plain.trainLoss), trainLossDrop: fmt(drop.trainLoss) };
          checks.push(
            check(gapDrop < gapPlain, `seed ${seed}, step ${marks[i]}: gap ${fmt(gapDrop)} with dropout, ${fmt(gapPlain)} without`),
            check(drop.trainLoss > plain.trainLoss, `seed ${seed}, step ${marks[i]}: dropout trains slower (training loss ${fmt(drop.trainLoss)} against ${fmt(plain.trainLoss)})`),
          );
        });
        const [plainEnd] = reports.at(-1);
        checks.push(check(plainEnd.trainAccuracy >= 0.95, `seed ${seed}: without dropout it fits ${fmt(100 * plainEnd.trainAccuracy)}% of its training half (want ≥ 95%)`));
        measured[`seed ${seed}`] = m;
      }
      return result(measured, checks);
    },
  },
];

const batchnormRows = [
  {
    id: "batchnorm.default",
    demo: batchnorm,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(batchnorm, this.query), seed };
        const layer = values.layer - 1;
        const plain = new engine.Trainer(batchnorm.bnConfig(values, false));
        const norm = new engine.Trainer(batchnorm.bnConfig(values, true));
        try {
          plain.run(100);
          norm.run(100);
          const m = { plainStd: fmt(std(plain.preActivations(layer))), normStd: fmt(std(norm.preActivations(layer))) };
          plain.run(400);
          norm.run(400);
          m.plainAccuracy = fmt(plain.evaluate().trainAccuracy);
          m.normAccuracy = fmt(norm.evaluate().trainAccuracy);
          measured[`seed ${seed}`] = m;
          checks.push(
            check(m.plainStd < 1e-3, `seed ${seed}: without batch norm hidden layer ${values.layer}'s activation inputs have std ${m.plainStd} (want < 0.001)`),
            check(Math.abs(m.normStd - 1) < 0.1, `seed ${seed}: with it ${m.normStd} (want 1 ± 0.1)`),
            check(m.plainAccuracy < 0.5 && m.normAccuracy > 0.85, `seed ${seed}: after 500 steps training accuracy ${m.plainAccuracy} without, ${m.normAccuracy} with batch norm`),
          );
        } finally {
          plain.free();
          norm.free();
        }
      }
      return result(measured, checks);
    },
  },
  {
    id: "batchnorm.highRate",
    demo: batchnorm,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(batchnorm, this.query), seed };
        const [[plain, norm]] = trainSideBySide(engine, [batchnorm.bnConfig(values, false, true), batchnorm.bnConfig(values, true, true)], [500]);
        measured[`seed ${seed}`] = { plain: fmt(plain.trainAccuracy), norm: fmt(norm.trainAccuracy) };
        checks.push(check(norm.trainAccuracy > plain.trainAccuracy + 0.3,
          `seed ${seed}: at rate ${values.hlr} after 500 steps training accuracy ${fmt(norm.trainAccuracy)} with batch norm, ${fmt(plain.trainAccuracy)} without (want 30 points ahead)`));
      }
      return result(measured, checks);
    },
  },
  {
    id: "batchnorm.lowRate",
    demo: batchnorm,
    query: "hlr=0.5",
    claim(engine) {
      const values = valuesOf(batchnorm, this.query);
      const [[plain, norm]] = trainSideBySide(engine, [batchnorm.bnConfig(values, false, true), batchnorm.bnConfig(values, true, true)], [1000]);
      const m = { plain: fmt(plain.trainAccuracy), norm: fmt(norm.trainAccuracy) };
      return result(m, [
        check(plain.trainAccuracy > 0.9 && norm.trainAccuracy > 0.9, `at rate 0.5 both train: ${m.plain} without, ${m.norm} with batch norm after 1000 steps (want > 0.9)`),
      ]);
    },
  },
  {
    id: "batchnorm.batchSize",
    demo: batchnorm,
    query: "batch=2",
    claim(engine) {
      const values = valuesOf(batchnorm, this.query);
      let refusal = "";
      try {
        new engine.Trainer(batchnorm.bnConfig({ ...values, batch: 1 }, true)).free();
      } catch (e) {
        refusal = e.message;
      }
      const plainOne = new engine.Trainer(batchnorm.bnConfig({ ...values, batch: 1 }, false));
      const two = new engine.Trainer(batchnorm.bnConfig(values, true));
      try {
        plainOne.run(1);
        two.run(1);
        const layer = values.layer - 1;
        const stats = two.batchNormStats(layer);
        const dense = Array.from(two.denseOutputs(layer));
        const width = stats.batchMean.length;
        const xhat = dense.map((v, i) => (v - stats.batchMean[i % width]) / Math.sqrt(stats.batchVar[i % width] + 1e-5));
        // Per feature: its two x̂ (one per row) and how far apart its two values are.
        const features = Array.from({ length: width }, (_, j) => ({ a: xhat[j], b: xhat[width + j], spread: Math.abs(dense[j] - dense[width + j]) }));
        const mirrored = features.every((f) => Math.abs(f.a + f.b) < 1e-4);
        const wide = features.filter((f) => f.spread > 0.05);
        const share = xhat.filter((v) => Math.abs(Math.abs(v) - 1) < 0.01).length / xhat.length;
        const m = { refusal, plainTrainsAtOne: plainOne.steps, shareNearPlusMinusOne: fmt(share), featuresApartMoreThan005: wide.length, width };
        return result(m, [
          check(/batch/i.test(refusal), `batch norm refuses a batch of 1: “${refusal}”`),
          check(plainOne.steps === 1, "the plain network trains with a batch of 1"),
          check(mirrored, "with a batch of 2, each feature's x̂ is +v in one row and −v in the other"),
          check(wide.length > 0 && wide.every((f) => Math.abs(Math.abs(f.a) - 1) < 0.01),
            `all ${wide.length} features whose two values differ by more than 0.05 have x̂ within 0.01 of ±1 (${fmt(100 * share)}% of all x̂)`),
        ]);
      } finally {
        plainOne.free();
        two.free();
      }
    },
  },
  {
    id: "batchnorm.evalMode",
    demo: batchnorm,
    query: "",
    claim(engine) {
      const values = valuesOf(batchnorm, this.query);
      const net = new engine.Trainer(batchnorm.bnConfig(values, true));
      try {
        net.run(200);
        const pts = Float64Array.from(net.trainPoints());
        const batchWith = (offset) => Float64Array.from([pts[0], pts[1], ...pts.slice(2 + 2 * offset, 2 + 2 * offset + 62)]);
        const a = Array.from(net.forwardTrain(batchWith(0)).slice(0, 3));
        const b = Array.from(net.forwardTrain(batchWith(100)).slice(0, 3));
        const one = Float64Array.from([pts[0], pts[1]]);
        const e1 = Array.from(net.forwardEval(one));
        const e2 = Array.from(net.forwardEval(one));
        const spread = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
        return result({ trainA: a.map(fmt), trainB: b.map(fmt), eval: e1.map(fmt), spread: fmt(spread) }, [
          check(spread > 1e-3, `in train mode the point's scores depend on the other samples in its batch (largest difference ${fmt(spread)})`),
          check(e1.every((v, i) => v === e2[i]), "in eval mode, alone (batch of 1), the point gets the same scores every time"),
        ]);
      } finally {
        net.free();
      }
    },
  },
];

// ---- ensembles ----------------------------------------------------------------

/** Trains the demo's independent and snapshot ensembles for `values.steps` steps; their reports. */
function trainEnsembles(engine, values) {
  const made = [];
  try {
    const reports = {};
    for (const which of ["independent", "snapshot"]) {
      const e = new engine.Ensemble(ensembles.ensembleConfig(values, which));
      made.push(e);
      reports[which] = e.train(values.steps);
    }
    return reports;
  } finally {
    for (const e of made) e.free();
  }
}

const meanOf = (list) => list.reduce((a, b) => a + b, 0) / list.length;

const ensembleRows = [
  {
    id: "ensembles.default",
    demo: ensembles,
    query: "",
    claim(engine) {
      const measured = {};
      const checks = [];
      const gains = { independent: [], snapshot: [] };
      let compute = null;
      for (const seed of SEEDS(5)) {
        const values = { ...valuesOf(ensembles, this.query), seed };
        const { independent, snapshot } = trainEnsembles(engine, values);
        const member = meanOf(independent.members.map((m) => m.valAccuracy));
        const memberLoss = meanOf(independent.members.map((m) => m.valLoss));
        const avg = independent.ensemble.valAccuracy;
        const snap = snapshot.ensemble.valAccuracy;
        gains.independent.push(avg - member);
        gains.snapshot.push(snap - member);
        compute = { independent: independent.computeSteps, snapshot: snapshot.computeSteps };
        measured[`seed ${seed}`] = { member: fmt(member), averaged: fmt(avg), snapshots: fmt(snap), lossMember: fmt(memberLoss), lossAveraged: fmt(independent.ensemble.valLoss) };
        checks.push(
          check(avg > member, `seed ${seed}: ${values.members} averaged ${fmt(100 * avg)}% on validation, a typical member ${fmt(100 * member)}%`),
          check(independent.ensemble.valLoss <= memberLoss, `seed ${seed}: averaged validation loss ${fmt(independent.ensemble.valLoss)} ≤ the members' mean ${fmt(memberLoss)}`),
        );
      }
      const gainIndependent = meanOf(gains.independent);
      const gainSnapshot = meanOf(gains.snapshot);
      measured.meanGain = { independent: fmt(100 * gainIndependent), snapshot: fmt(100 * gainSnapshot) };
      checks.push(
        check(gainSnapshot >= 0.5 * gainIndependent && gainSnapshot > 0,
          `on average the snapshot ensemble gains ${fmt(100 * gainSnapshot)} points over a typical member, the independent ensemble ${fmt(100 * gainIndependent)} (want at least half)`),
        check(compute.snapshot * 5 === compute.independent, `compute: ${compute.snapshot} steps for the snapshots, ${compute.independent} for the independent networks`),
      );
      return result(measured, checks);
    },
  },
  {
    id: "ensembles.polyak",
    demo: ensembles,
    query: "batch=10&lr=1&polyak=1",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(5)) {
        const values = { ...valuesOf(ensembles, this.query), seed };
        // The Polyak run is one network: exactly the Trainer these settings build.
        const trainer = new engine.Trainer(ensembles.ensembleConfig(values, "polyak").trainer);
        const raw = { accuracy: [], loss: [] };
        const avg = { accuracy: [], loss: [] };
        try {
          while (trainer.steps < values.steps) {
            trainer.run(50);
            if (trainer.steps <= values.steps / 2) continue;
            const e = trainer.evaluate();
            raw.accuracy.push(e.current.valAccuracy);
            raw.loss.push(e.current.valLoss);
            avg.accuracy.push(e.valAccuracy);
            avg.loss.push(e.valLoss);
          }
        } finally {
          trainer.free();
        }
        const m = {
          rawAccuracy: fmt(meanOf(raw.accuracy)), rawSpread: fmt(std(raw.accuracy)), rawLoss: fmt(meanOf(raw.loss)),
          avgAccuracy: fmt(meanOf(avg.accuracy)), avgSpread: fmt(std(avg.accuracy)), avgLoss: fmt(meanOf(avg.loss)),
        };
        measured[`seed ${seed}`] = m;
        checks.push(
          check(meanOf(avg.accuracy) > meanOf(raw.accuracy), `seed ${seed}: over the second half the Polyak average scores ${m.avgAccuracy} on validation, the weights ${m.rawAccuracy}`),
          check(std(avg.accuracy) < 0.5 * std(raw.accuracy), `seed ${seed}: its accuracy varies by ${m.avgSpread} between evaluations, the weights' by ${m.rawSpread} (want under half)`),
          check(meanOf(avg.loss) < meanOf(raw.loss), `seed ${seed}: validation loss ${m.avgLoss} against ${m.rawLoss}`),
        );
      }
      return result(measured, checks);
    },
  },
  {
    id: "ensembles.linear",
    demo: ensembles,
    query: "hidden=",
    claim(engine) {
      const measured = {};
      const checks = [];
      for (const seed of SEEDS(3)) {
        const values = { ...valuesOf(ensembles, this.query), seed };
        const { independent, snapshot } = trainEnsembles(engine, values);
        const accuracies = independent.members.map((m) => m.valAccuracy);
        const spreadPoints = 100 * (Math.max(...accuracies) - Math.min(...accuracies));
        const member = meanOf(accuracies);
        const m = {
          members: fmt(member), averaged: fmt(independent.ensemble.valAccuracy), snapshots: fmt(snapshot.ensemble.valAccuracy),
          spreadPoints: fmt(spreadPoints),
        };
        measured[`seed ${seed}`] = m;
        checks.push(
          check(spreadPoints <= 1, `seed ${seed}: the ${values.members} members' validation accuracies lie within ${m.spreadPoints} points of each other`),
          check(Math.abs(independent.ensemble.valAccuracy - member) <= 0.005 && Math.abs(snapshot.ensemble.valAccuracy - member) <= 0.01,
            `seed ${seed}: averaged ${m.averaged}, snapshots ${m.snapshots}, a typical member ${m.members}: nothing gained`),
          check(member < 0.6, `seed ${seed}: a linear classifier gets ${fmt(100 * member)}% of the spiral (want below 60%)`),
        );
      }
      return result(measured, checks);
    },
  },
];

// ---- data augmentation ------------------------------------------------------

const augmentRows = [
  {
    id: "augment.default",
    demo: augment,
    query: "",
    claim(engine, env) {
      const values = valuesOf(augment, this.query);
      const photo = env.photo(values.photo);
      const augmenter = new engine.Augmenter(pipelineConfig(values));
      try {
        augmenter.setImage(photo.rgba, photo.width, photo.height);
        const samples = Array.from({ length: 16 }, (_, i) => augmenter.sample(augment.tileSeed(values.seed, i)));
        const digests = new Set(samples.map((s) => digest(s.data)));
        const crops = samples.map((s) => s.params.find((p) => p.kind === "random_resized_crop"));
        const area = crops.map((c) => (c.box.width * c.box.height) / (photo.width * photo.height));
        const flipped = samples.filter((s) => s.params.find((p) => p.kind === "hflip").applied).length;
        const [smin, smax] = [values["rrc.smin"], values["rrc.smax"]];
        const m = { distinct: digests.size, areaMin: fmt(Math.min(...area)), areaMax: fmt(Math.max(...area)), flipped };
        return result(m, [
          check(m.distinct === 16, `the 16 samples of one photo are ${m.distinct} different images`),
          check(crops.every((c, i) => c.fallback || (area[i] >= smin - 0.02 && area[i] <= smax + 0.02)), `each crop keeps ${m.areaMin}–${m.areaMax} of the photo's area (want ${smin}–${smax})`),
          check(flipped >= 3 && flipped <= 13, `${flipped} of 16 are mirrored (p = 0.5)`),
        ]);
      } finally {
        augmenter.free();
      }
    },
  },
  {
    id: "augment.tta",
    demo: augment,
    query: "",
    claim(engine, env) {
      const values = valuesOf(augment, this.query);
      const { width, height } = env.photo(values.photo);
      const side = augment.ttaSide(width, height);
      const crops = engine.Augmenter.tenCrop(width, height, side, side);
      const again = engine.Augmenter.tenCrop(width, height, side, side);
      const corners = [[0, 0], [width - side, 0], [0, height - side], [width - side, height - side]];
      const centre = [Math.floor((width - side) / 2), Math.floor((height - side) / 2)];
      const places = crops.slice(0, 5).map((c) => [c.x, c.y]);
      return result({ side, places }, [
        check(JSON.stringify(crops) === JSON.stringify(again), "the ten crops are the same every time (nothing random)"),
        check(JSON.stringify(places.slice(0, 4)) === JSON.stringify(corners), `the first four are the corners: ${JSON.stringify(places.slice(0, 4))}`),
        check(Math.abs(places[4][0] - centre[0]) <= 1 && Math.abs(places[4][1] - centre[1]) <= 1, `the fifth is the centre: ${places[4]}`),
        check(crops.slice(5).every((c, i) => c.hflip && c.x === crops[i].x && c.y === crops[i].y), "the last five are the same boxes, mirrored"),
      ]);
    },
  },
];

// ---- the image lab ------------------------------------------------------------

/** Seeds every image-lab claim checks (a CNN step costs 10–20 ms in Node: two seeds keep the stage short). */
const IMAGE_SEEDS = [1, 2];
/** Validation digits are also scored shifted this many pixels right, and down. */
const SHIFT_PX = 2;
/**
 * Trained image-lab runs by their engine settings: the rows share runs
 * (the default's run without augmentation is also the flips preset's and
 * the CNN-vs-MLP preset's run A), so each is trained once per test process.
 */
const imageRuns = new Map();

/**
 * Run `which` of the image lab at `values` (seed replaced by `seed`), trained
 * for `values.until` steps as the page's Play does: {val, train, gap, params,
 * shiftDrop} (shiftDrop: validation accuracy lost on digits shifted SHIFT_PX
 * pixels right, and down, averaged).
 */
function imageRun(engine, env, values, which, seed) {
  const config = images.trainerConfig({ ...values, seed }, which);
  const key = JSON.stringify(config);
  if (!imageRuns.has(key)) {
    const trainer = new engine.Trainer({ ...config, dataset: { ...config.dataset, data: env.digits() } });
    try {
      trainer.run(values.until);
      const e = trainer.evaluate();
      const val = trainer.valPoints().slice();
      const labels = trainer.valLabels().slice();
      const side = 28;
      const shifted = [[SHIFT_PX, 0], [0, SHIFT_PX]].map(([dx, dy]) => predictedAccuracy(trainer, shiftImages(val, labels.length, side, dx, dy), labels));
      imageRuns.set(key, {
        val: e.valAccuracy,
        train: e.trainAccuracy,
        gap: e.trainAccuracy - e.valAccuracy,
        params: trainer.parameterCount,
        shiftDrop: e.valAccuracy - (shifted[0] + shifted[1]) / 2,
      });
    } finally {
      trainer.free();
    }
  }
  return imageRuns.get(key);
}

const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
const points = (v) => fmt(100 * v);

/** Runs A and B of a query on every image seed: [{seed, a, b}]. */
function imagePairs(engine, env, query) {
  const values = valuesOf(images, query);
  return IMAGE_SEEDS.map((seed) => ({ seed, a: imageRun(engine, env, values, "a", seed), b: imageRun(engine, env, values, "b", seed) }));
}

const imageRows = [
  {
    id: "images.default",
    demo: images,
    query: "",
    claim(engine, env) {
      const pairs = imagePairs(engine, env, this.query);
      const gain = mean(pairs.map((p) => p.b.val - p.a.val));
      const measured = Object.fromEntries(pairs.map((p) => [`seed ${p.seed}`, {
        val: [points(p.a.val), points(p.b.val)], gap: [points(p.a.gap), points(p.b.gap)], shiftDrop: [points(p.a.shiftDrop), points(p.b.shiftDrop)],
      }]));
      const shiftGain = mean(pairs.map((p) => p.a.shiftDrop - p.b.shiftDrop));
      return result(measured, [
        check(gain >= 0.03, `augmentation raises validation accuracy by ${points(gain)} points on average (want ≥ 3)`),
        ...pairs.map((p) => check(p.b.val > p.a.val, `seed ${p.seed}: ${points(p.a.val)}% without, ${points(p.b.val)}% with augmentation`)),
        check(mean(pairs.map((p) => p.b.gap)) < mean(pairs.map((p) => p.a.gap)), `train − validation gap ${points(mean(pairs.map((p) => p.a.gap)))} points without, ${points(mean(pairs.map((p) => p.b.gap)))} with`),
        check(shiftGain >= 0.1, `shifted ${SHIFT_PX} px, the network without augmentation loses ${points(shiftGain)} points more (want ≥ 10)`),
      ]);
    },
  },
  {
    id: "images.wrongAug",
    demo: images,
    query: "ops=hflip,vflip",
    claim(engine, env) {
      const pairs = imagePairs(engine, env, this.query);
      const loss = mean(pairs.map((p) => p.a.val - p.b.val));
      return result(Object.fromEntries(pairs.map((p) => [`seed ${p.seed}`, [points(p.a.val), points(p.b.val)]])), [
        check(loss >= 0.03, `flips lower validation accuracy by ${points(loss)} points on average (want ≥ 3)`),
        ...pairs.map((p) => check(p.b.val < p.a.val, `seed ${p.seed}: ${points(p.a.val)}% without augmentation, ${points(p.b.val)}% with flips`)),
      ]);
    },
  },
  {
    id: "images.cnnVsMlp",
    demo: images,
    query: "cmp=arch&aug=0",
    claim(engine, env) {
      const pairs = imagePairs(engine, env, this.query);
      const lead = mean(pairs.map((p) => p.a.val - p.b.val));
      const [cnn, mlp] = [pairs[0].a.params, pairs[0].b.params];
      return result({ ...Object.fromEntries(pairs.map((p) => [`seed ${p.seed}`, [points(p.a.val), points(p.b.val)]])), params: [cnn, mlp] }, [
        check(lead >= 0.03, `the CNN leads the MLP by ${points(lead)} points on average (want ≥ 3)`),
        ...pairs.map((p) => check(p.a.val > p.b.val, `seed ${p.seed}: CNN ${points(p.a.val)}%, MLP ${points(p.b.val)}%`)),
        check(4 * cnn < mlp, `${cnn} parameters in the CNN, ${mlp} in the MLP (want under a quarter)`),
      ]);
    },
  },
];

// ---- transfer learning ---------------------------------------------------------

const TRANSFER_SEEDS = [1, 2, 3];
/** Validation accuracy of each trained transfer run, by its spec and seed (rows share runs). */
const transferRuns = new Map();

/**
 * Validation accuracy of `strategy` at `values` (seed replaced by `seed`),
 * trained for `values.until` steps through the very kind the page's worker
 * uses (www/workers/kinds/transfer-trainer.js), with the shipped
 * pretrained network.
 */
async function transferRun(engine, env, values, strategy, seed) {
  const spec = transfer.strategySpec({ ...values, seed }, strategy);
  const key = JSON.stringify(spec);
  if (!transferRuns.has(key)) {
    const kind = transferTrainerKind({ loadData: async () => env.digits(), loadWeights: async () => env.pretrained() });
    const state = await kind.create(engine, spec);
    try {
      kind.step(state, values.until);
      transferRuns.set(key, state.trainer.evaluate().valAccuracy);
    } finally {
      kind.free(state);
    }
  }
  return transferRuns.get(key);
}

/** {seed: {strategy: accuracy}} for the strategies named, over TRANSFER_SEEDS. */
async function transferTable(engine, env, query, strategies) {
  const values = valuesOf(transfer, query);
  const out = {};
  for (const seed of TRANSFER_SEEDS) {
    out[seed] = {};
    for (const s of strategies) out[seed][s] = await transferRun(engine, env, values, s, seed);
  }
  return out;
}

const gainOver = (table, a, b) => mean(Object.values(table).map((r) => r[a] - r[b]));
const perSeed = (table, names) => Object.fromEntries(Object.entries(table).map(([seed, r]) => [`seed ${seed}`, names.map((n) => points(r[n]))]));

const transferRows = [
  {
    id: "transfer.default",
    demo: transfer,
    query: "",
    async claim(engine, env) {
      const table = await transferTable(engine, env, this.query, ["scratch", "frozen"]);
      const gain = gainOver(table, "frozen", "scratch");
      return result(perSeed(table, ["scratch", "frozen"]), [
        check(gain >= 0.03, `digits 0-4 drawn thick, 1 a class: the frozen borrowed body + new head beats scratch by ${points(gain)} points on average (want >= 3)`),
        ...Object.entries(table).map(([seed, r]) => check(r.frozen > r.scratch, `seed ${seed}: scratch ${points(r.scratch)}%, frozen ${points(r.frozen)}%`)),
      ]);
    },
  },
  {
    id: "transfer.differentLittle",
    demo: transfer,
    query: "target=different&per=5",
    async claim(engine, env) {
      const table = await transferTable(engine, env, this.query, ["scratch", "frozen"]);
      const gain = gainOver(table, "frozen", "scratch");
      return result(perSeed(table, ["scratch", "frozen"]), [
        check(Math.abs(gain) < 0.03, `new digits 5-9, 5 a class: the frozen borrowed body differs from scratch by ${points(gain)} points on average (want under 3 either way: no real help)`),
      ]);
    },
  },
  {
    id: "transfer.differentMore",
    demo: transfer,
    query: "target=different&per=100",
    async claim(engine, env) {
      const table = await transferTable(engine, env, this.query, ["scratch", "frozen"]);
      const little = await transferTable(engine, env, "target=different&per=5", ["scratch", "frozen"]);
      const gain = gainOver(table, "frozen", "scratch");
      const scratch = mean(Object.values(table).map((r) => r.scratch));
      const scratchLittle = mean(Object.values(little).map((r) => r.scratch));
      return result(perSeed(table, ["scratch", "frozen"]), [
        check(gain < 0.01, `with 100 a class the frozen borrowed body leads scratch by ${points(gain)} points on average (want under 1)`),
        check(scratch >= scratchLittle + 0.08, `scratch: ${points(scratchLittle)}% with 5 a class, ${points(scratch)}% with 100 (want 8 points more or better)`),
      ]);
    },
  },
];

/** FNV-1a over bytes: tells images apart. */
function digest(bytes) {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return `${bytes.length}:${h}`;
}

export const LESSONS = [...raceRows, ...scheduleRows, ...secondRows, ...networkRows, ...dropoutRows, ...batchnormRows, ...ensembleRows, ...augmentRows, ...imageRows, ...transferRows]
  .map((row) => ({ ...row, key: `lesson.${row.id}` }));
