// Race: paths, losses, statuses, arrows and the local quadratic model by
// value (eigen-decomposition and Newton target by hand, the contour
// overlay redrawn here from the documented rules), step caps, reset,
// restart, divergence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';

test('Race: paths, losses, arrows and statuses of racers on a bowl, by hand', () => {
  // f = ½(x² + y²): SGD x ← (1 − lr)x; momentum v ← ρv + x, x ← x − lr·v.
  const bowl = new api.Surface({ name: 'quadratic', condition: 1 });
  const race = new api.Race(bowl, {
    start: [1.5, -1],
    racers: [{ kind: 'sgd', lr: 0.25 }, { kind: 'momentum', lr: 0.1, momentum: 0.5 }, { kind: 'newton' }],
  });
  assert.equal(race.count, 3);
  assert.equal(race.anyRunning, true);
  race.step(3);
  const sgdPath = [...race.path(0)];
  const expected = [1.5, -1];
  for (let k = 0; k < 3; k++) expected.push(expected[2 * k] * 0.75, expected[2 * k + 1] * 0.75);
  approxAll(sgdPath, expected, 1e-15, 'sgd path');
  const losses = [...race.losses(0)];
  assert.equal(losses.length, 4);
  for (let k = 0; k < 4; k++) approx(losses[k], bowl.value(sgdPath[2 * k], sgdPath[2 * k + 1]), 1e-15, `loss ${k}`);
  // arrows: the gradient the last step used and the move it made.
  const [x2, y2, x3, y3] = sgdPath.slice(4);
  approxAll(race.arrows(0), [x2, y2, x3 - x2, y3 - y2], 1e-15, 'arrows');
  const status = race.status(0);
  assert.deepEqual(Object.keys(status).sort(), ['atStep', 'evaluations', 'gradients', 'hessians', 'loss', 'lr', 'reason', 'state', 'steps', 'x', 'y'].sort());
  assert.equal(status.state, 'running');
  assert.equal(status.steps, 3);
  assert.equal(status.lr, 0.25);
  assert.equal(status.gradients, 3);
  assert.equal(status.evaluations, 0);
  assert.equal(status.hessians, 0);
  assert.equal(status.atStep, undefined);
  assert.deepEqual([status.x, status.y, status.loss], [x3, y3, losses[3]]);

  let [mx, my, vx, vy] = [1.5, -1, 0, 0];
  for (let k = 0; k < 3; k++) {
    vx = 0.5 * vx + mx;
    vy = 0.5 * vy + my;
    mx -= 0.1 * vx;
    my -= 0.1 * vy;
  }
  approxAll(race.path(1).slice(6), [mx, my], 1e-15, 'momentum');
  // Newton solves the bowl in one step and then reports convergence.
  const newton = race.status(2);
  assert.equal(newton.state, 'converged');
  assert.equal(newton.atStep, 1);
  assert.equal(newton.lr, undefined);
  assert.equal(newton.hessians, 1);
  approxAll(race.path(2), [1.5, -1, 0, 0], 1e-12, 'newton path');

  // restart moves every racer to a new start; reset returns to it.
  race.restart(0.5, 0.25);
  assert.deepEqual([...race.path(0)], [0.5, 0.25]);
  assert.equal(race.status(2).state, 'running');
  race.step(2);
  race.reset();
  assert.deepEqual([...race.path(1)], [0.5, 0.25]);
  assert.equal(race.status(1).steps, 0);
  assert.deepEqual([...race.arrows(0)], [0, 0, 0, 0]);
  throwsNaming(() => race.restart(Number.NaN, 0), 'finite');
  throwsNaming(() => race.path(3), 'racer index 3', 'there are 3');
  assert.equal(race.status(0).steps, 0, 'a refused restart leaves the race alone');
  race.free();
});

test('Race: default start, divergence, the step cap and the step limit', () => {
  const rosenbrock = new api.Surface('rosenbrock');
  const race = new api.Race(rosenbrock, { racers: [{ kind: 'sgd', lr: 0.05 }, { kind: 'sgd', lr: 1e-4 }] });
  assert.deepEqual([...race.path(0)], [...rosenbrock.defaultStart()]);
  race.step(200);
  const diverged = race.status(0);
  assert.equal(diverged.state, 'diverged');
  assert.ok(diverged.atStep >= 1 && diverged.atStep < 200, `diverged at ${diverged.atStep}`);
  // A diverged racer stops where it was before the bad step.
  assert.equal(race.path(0).length, 2 * diverged.atStep);
  assert.equal(race.anyRunning, true);
  // At most 10 000 steps per call, at most 20 000 in all, then "finished".
  race.step(15_000);
  assert.equal(race.status(1).steps, 200 + 10_000);
  race.step(15_000);
  assert.equal(race.status(1).steps, 20_000);
  assert.equal(race.status(1).state, 'finished');
  assert.equal(race.anyRunning, false);
  throwsNaming(() => new api.Race(rosenbrock, { start: [1, 2, 3], racers: [] }), 'start', '3 numbers');
  throwsNaming(() => new api.Race(rosenbrock, { racers: [{ kind: 'sgd' }], noise: { batchSize: 0 } }), 'batchSize');
  throwsNaming(() => new api.Race(rosenbrock, { racers: [], speed: 2 }), "'speed'");
});

/** Eigenvalues (ascending) of [[a, b], [b, c]]. */
function eigenvalues([a, b, , c]) {
  const mean = (a + c) / 2;
  const radius = Math.hypot((a - c) / 2, b);
  return [mean - radius, mean + radius];
}

test('Race.model: the local quadratic model by hand', () => {
  const cases = [
    ['rosenbrock', new api.Surface('rosenbrock'), 'minimum'],
    ['saddle', new api.Surface('saddle'), 'saddle'],
    ['dome', new api.Surface({ expr: '-(x^2) - 3*y^2 + x*y', range: 2 }), 'maximum'],
    ['valley', new api.Surface({ expr: '(x + y)^2', range: 2 }), 'degenerate'],
  ];
  for (const [name, s, curvature] of cases) {
    const start = name === 'rosenbrock' ? [-1.2, 1] : [0.7, -0.4];
    const race = new api.Race(s, { start, racers: [{ kind: 'sgd', lr: 1e-4 }] });
    const model = race.model(0);
    const [x, y] = start;
    const h = s.hessian(x, y);
    const g = s.grad(x, y);
    approx(model.value, s.value(x, y), 1e-15, `${name} value`);
    approxAll(model.gradient, g, 1e-15, `${name} gradient`);
    const lambda = eigenvalues(h);
    approxAll(model.eigenvalues, lambda, 1e-12, `${name} eigenvalues`);
    assert.ok(model.eigenvalues[0] <= model.eigenvalues[1]);
    for (let k = 0; k < 2; k++) {
      const [vx, vy] = model.eigenvectors.slice(2 * k, 2 * k + 2);
      approx(Math.hypot(vx, vy), 1, 1e-12, `${name} |v${k}|`);
      // H v = λ v.
      approxAll([h[0] * vx + h[1] * vy, h[2] * vx + h[3] * vy], [lambda[k] * vx, lambda[k] * vy], 1e-9, `${name} H v${k}`);
    }
    assert.equal(model.curvature, curvature, name);
    const smallest = Math.min(Math.abs(lambda[0]), Math.abs(lambda[1]));
    if (curvature === 'degenerate') {
      assert.equal(model.condition, Infinity);
      assert.ok(model.newtonTarget === undefined || model.newtonTarget === null, `${name}: ${model.newtonTarget}`);
    } else {
      approx(model.condition, Math.max(Math.abs(lambda[0]), Math.abs(lambda[1])) / smallest, 1e-12, `${name} κ`);
      // x − H⁻¹g with the 2×2 inverse.
      const det = h[0] * h[3] - h[1] * h[2];
      const target = [x - (h[3] * g[0] - h[1] * g[1]) / det, y - (-h[2] * g[0] + h[0] * g[1]) / det];
      approxAll(model.newtonTarget, target, 1e-10, `${name} Newton target`);
    }
  }
});

/** The overlay's documented rules, redrawn: bands of sign(m − m₀)·√|m − m₀|
 * with six levels a side, a line where a band differs from its right or
 * lower neighbour, yellow where the sign flips, translucent white elsewhere. */
function overlayByHand(s, position, width, height) {
  const [px, py] = position;
  const f0 = s.value(px, py);
  const g = s.grad(px, py);
  const h = s.hessian(px, py);
  const model = (x, y) => {
    const d = [x - px, y - py];
    const hd = [h[0] * d[0] + h[1] * d[1], h[1] * d[0] + h[3] * d[1]];
    return f0 + (g[0] * d[0] + g[1] * d[1]) + 0.5 * (d[0] * hd[0] + d[1] * hd[1]);
  };
  const b = s.bounds();
  const t = new Float64Array(width * height);
  let largest = 0;
  for (let row = 0; row < height; row++) {
    const y = b.yMax - (row + 0.5) / height * (b.yMax - b.yMin);
    for (let col = 0; col < width; col++) {
      const x = b.xMin + (col + 0.5) / width * (b.xMax - b.xMin);
      const d = model(x, y) - f0;
      t[row * width + col] = Math.sign(d) * Math.sqrt(Math.abs(d));
      largest = Math.max(largest, Math.abs(t[row * width + col]));
    }
  }
  const spacing = largest > 0 ? largest / 6 : 1;
  const band = Array.from(t, (v) => (v >= 0 ? Math.floor(v / spacing) : -Math.floor(-v / spacing) - 1));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      const others = [];
      if (col + 1 < width && band[i + 1] !== band[i]) others.push(band[i + 1]);
      if (row + 1 < height && band[i + width] !== band[i]) others.push(band[i + width]);
      if (!others.length) continue;
      const crosses = others.some((o) => (o < 0) !== (band[i] < 0));
      rgba.set(crosses ? [255, 214, 10, 255] : [255, 255, 255, 170], i * 4);
    }
  }
  return rgba;
}

test('Race.modelOverlay: the model contours as documented, pixel by pixel', () => {
  for (const [s, start] of [[new api.Surface('rosenbrock'), [-1.2, 1]], [new api.Surface('saddle'), [0.9, -0.6]]]) {
    const race = new api.Race(s, { start, racers: [{ kind: 'newton' }] });
    const [w, h] = [96, 64];
    const got = race.modelOverlay(0, w, h).slice();
    assert.equal(got.length, w * h * 4);
    const want = overlayByHand(s, start, w, h);
    let same = 0;
    for (let i = 0; i < w * h; i++) {
      if (got.slice(i * 4, i * 4 + 4).every((v, c) => v === want[i * 4 + c])) same += 1;
    }
    assert.ok(same >= 0.995 * w * h, `${s.name}: ${same} of ${w * h} pixels as documented`);
    // Lines exist, both kinds, and most of the picture is transparent.
    let yellow = 0;
    let white = 0;
    for (let i = 0; i < w * h; i++) {
      if (got[i * 4] === 255 && got[i * 4 + 1] === 214) yellow += 1;
      if (got[i * 4 + 3] === 170) white += 1;
    }
    assert.ok(yellow > 10 && white > 50 && yellow + white < 0.5 * w * h, `${s.name}: ${yellow} yellow, ${white} white`);
    throwsNaming(() => race.modelOverlay(0, 1, 10), 'overlay size');
  }
});

test('Race: a racer with a schedule steps at the scheduled rate it shows', () => {
  // f = ½(x² + y²), SGD: x ← (1 − lr_t)x with lr_t = 0.4·0.5^⌊t/3⌋; the base lr is a decoy.
  const bowl = new api.Surface({ name: 'quadratic', condition: 1 });
  const race = new api.Race(bowl, {
    start: [1, -0.5],
    racers: [{ kind: 'sgd', lr: 0.777, schedule: { kind: 'step', lr: 0.4, gamma: 0.5, every: 3 } }],
  });
  let [x, y] = [1, -0.5];
  for (let t = 0; t < 10; t++) {
    const rate = 0.4 * 0.5 ** Math.floor(t / 3);
    assert.equal(race.status(0).lr, rate, `shown before step ${t}`);
    race.step(1);
    [x, y] = [x * (1 - rate), y * (1 - rate)];
    approxAll(race.path(0).slice(-2), [x, y], 1e-14, `after step ${t + 1}`);
  }
});
