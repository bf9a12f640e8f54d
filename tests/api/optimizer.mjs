// Optimizer: every first-order rule's first two steps against the update
// written out by hand (README's table, PyTorch's convention), velocity()
// by value, stepOn's reports, reset, free.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';

const X0 = [1, -2];
const G = [[0.5, -1], [-0.25, 2]];

/** Two steps of each rule by hand; returns { x, velocity } after each step. */
function byHand(kind, lr) {
  const x = [...X0];
  const v = [0, 0];
  const s = [0, 0];
  const m = [0, 0];
  const after = [];
  G.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < 2; i++) {
      switch (kind) {
        case 'sgd': x[i] -= lr * g[i]; break;
        case 'momentum': v[i] = 0.9 * v[i] + g[i]; x[i] -= lr * v[i]; break;
        case 'nesterov': v[i] = 0.9 * v[i] + g[i]; x[i] -= lr * (g[i] + 0.9 * v[i]); break;
        case 'adagrad': s[i] += g[i] ** 2; x[i] -= lr * g[i] / (Math.sqrt(s[i]) + 1e-10); break;
        case 'rmsprop': s[i] = 0.99 * s[i] + 0.01 * g[i] ** 2; x[i] -= lr * g[i] / (Math.sqrt(s[i]) + 1e-8); break;
        case 'adam':
        case 'adam-raw': {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          s[i] = 0.999 * s[i] + 0.001 * g[i] ** 2;
          const [mh, sh] = kind === 'adam' ? [m[i] / (1 - 0.9 ** t), s[i] / (1 - 0.999 ** t)] : [m[i], s[i]];
          x[i] -= lr * mh / (Math.sqrt(sh) + 1e-8);
          break;
        }
        default: throw new Error(kind);
      }
    }
    const velocity = kind === 'momentum' || kind === 'nesterov' ? [...v] : kind.startsWith('adam') ? [...m] : [];
    after.push({ x: [...x], velocity });
  });
  return after;
}

test('Optimizer.step: each first-order rule moves as its formula says', () => {
  for (const kind of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adam-raw']) {
    const lr = 0.1;
    const config = kind === 'adam-raw' ? { kind: 'adam', lr, biasCorrection: false } : { kind, lr };
    const opt = new api.Optimizer(config);
    assert.equal(opt.kind, config.kind);
    assert.equal(opt.steps, 0);
    assert.equal(opt.lr, lr);
    const params = Float64Array.from(X0);
    const expected = byHand(kind, lr);
    G.forEach((g, k) => {
      opt.step(params, Float64Array.from(g));
      approxAll(params, expected[k].x, 1e-12, `${kind} x after step ${k + 1}`);
      const velocity = opt.velocity();
      assert.ok(velocity instanceof Float64Array);
      approxAll(velocity, expected[k].velocity, 1e-12, `${kind} velocity after step ${k + 1}`);
      assert.equal(opt.steps, k + 1);
    });
    // reset forgets the state: the next step is a first step again.
    opt.reset();
    assert.equal(opt.steps, 0);
    const again = Float64Array.from(X0);
    opt.step(again, Float64Array.from(G[0]));
    approxAll(again, expected[0].x, 1e-12, `${kind} after reset`);
    opt.free();
  }
});

test('Optimizer defaults are the documented ones', () => {
  // sgd lr 0.01; adam lr 0.001 (one bias-corrected step moves by lr).
  const sgd = new api.Optimizer({ kind: 'sgd' });
  assert.equal(sgd.lr, 0.01);
  const adam = new api.Optimizer({ kind: 'adam' });
  assert.equal(adam.lr, 0.001);
  const p = Float64Array.from([0, 0]);
  adam.step(p, Float64Array.from([3, -0.2]));
  approxAll(p, [-0.001, 0.001], 1e-8);
  const momentum = new api.Optimizer({ kind: 'momentum', lr: 1 });
  const q = Float64Array.from([0]);
  momentum.step(q, Float64Array.from([1]));
  momentum.step(q, Float64Array.from([1]));
  // ρ = 0.9: v = 1, then 1.9.
  approx(q[0], -2.9, 1e-15);
});

test('Optimizer.stepOn: first-order and Newton steps on a surface, with their counts', () => {
  const bowl = new api.Surface({ name: 'quadratic', condition: 10, rotation: 30 });
  const sgd = new api.Optimizer({ kind: 'sgd', lr: 0.5 });
  const p = Float64Array.from([1, 1]);
  const g = bowl.grad(1, 1);
  const report = sgd.stepOn(bowl, p);
  assert.deepEqual(report, { evaluations: 0, gradients: 1, hessians: 0, status: 'moved' });
  approxAll(p, [1 - 0.5 * g[0], 1 - 0.5 * g[1]], 1e-15);

  // Plain Newton lands on the minimum of a quadratic in one step: one
  // gradient and one Hessian, no value. Damped Newton also evaluates f at
  // x and at the (accepted) full step.
  const plain = new api.Optimizer({ kind: 'newton', damping: 'none' });
  const q = Float64Array.from([1, 1]);
  assert.deepEqual(plain.stepOn(bowl, q), { evaluations: 0, gradients: 1, hessians: 1, status: 'moved' });
  approxAll(q, [0, 0], 1e-12);
  assert.equal(plain.stepOn(bowl, q).status, 'converged');
  assert.ok(Number.isNaN(plain.lr));
  assert.equal(plain.steps, 1);
  const damped = new api.Optimizer({ kind: 'newton' });
  const r = Float64Array.from([1, 1]);
  assert.deepEqual(damped.stepOn(bowl, r), { evaluations: 2, gradients: 1, hessians: 1, status: 'moved' });
  approxAll(r, [0, 0], 1e-12);
  // Levenberg λ: x − (H + λI)⁻¹g; on the unrotated κ = 1 bowl H = I, so the step is g/(1 + λ).
  const round = new api.Surface({ name: 'quadratic', condition: 1 });
  const lm = new api.Optimizer({ kind: 'newton', damping: 3 });
  const s = Float64Array.from([2, -1]);
  lm.stepOn(round, s);
  approxAll(s, [2 - 2 / 4, -1 + 1 / 4], 1e-15);
  // At a saddle plain Newton is singular-free but lands on the stationary point.
  const saddle = new api.Surface('saddle');
  const t = Float64Array.from([0.5, 0.25]);
  plain.reset();
  plain.stepOn(saddle, t);
  approxAll(t, [0, 0], 1e-15);
  throwsNaming(() => plain.stepOn(bowl, Float64Array.from([1, 2, 3])), 'stepOn', '3 numbers');
});

test('Optimizer: bad settings and arguments throw Errors naming them; old objects keep working', () => {
  const good = new api.Optimizer({ kind: 'sgd', lr: 0.5 });
  throwsNaming(() => new api.Optimizer({ kind: 'adamw' }), "'adamw'");
  throwsNaming(() => new api.Optimizer({ kind: 'sgd', lrr: 1 }), "'lrr'");
  throwsNaming(() => new api.Optimizer({ kind: 'sgd', lr: -1 }), 'lr');
  throwsNaming(() => new api.Optimizer({ kind: 'momentum', momentum: 1 }), 'momentum');
  throwsNaming(() => new api.Optimizer({ kind: 'sgd', schedule: { kind: 'cosine', total: 0 } }), 'total');
  throwsNaming(() => good.step(Float64Array.from([0, 0]), Float64Array.from([1])), 'same length');
  const p = Float64Array.from([1]);
  good.step(p, Float64Array.from([1]));
  assert.deepEqual([...p], [0.5]);
  // free() releases the handle: later calls are refused, not undefined behaviour.
  good.free();
  assert.throws(() => good.step(p, Float64Array.from([1])));
});
