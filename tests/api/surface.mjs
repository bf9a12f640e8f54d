// Surface: values, gradients and Hessians (in the order [fxx, fxy, fyx,
// fyy]) against hand formulas and finite differences; bounds, minima,
// default starts, names, noise scales, typed expressions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';

const NAMES = ['quadratic', 'saddle', 'monkey', 'rosenbrock', 'beale', 'himmelblau', 'bumpy', 'plateau'];

/** Central differences of the gradient: [fxx, fxy, fyx, fyy]. */
function hessianByDifferences(s, x, y, h = 1e-5) {
  const [gxp, gyp] = s.grad(x + h, y);
  const [gxm, gym] = s.grad(x - h, y);
  const [gxq, gyq] = s.grad(x, y + h);
  const [gxn, gyn] = s.grad(x, y - h);
  return [(gxp - gxm) / (2 * h), (gyp - gym) / (2 * h), (gxq - gxn) / (2 * h), (gyq - gyn) / (2 * h)];
}

/** Second differences of the value alone (independent of grad()). */
function hessianFromValues(s, x, y, h = 1e-4) {
  const f = (a, b) => s.value(a, b);
  const fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / (h * h);
  const fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / (h * h);
  const fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h);
  return [fxx, fxy, fxy, fyy];
}

test('Surface.hessian is [fxx, fxy, fyx, fyy]: by hand, and against differences of values and gradients', () => {
  const rosenbrock = new api.Surface('rosenbrock');
  // (1 − x)² + 100(y − x²)²: fxx = 2 − 400y + 1200x², fxy = −400x, fyy = 200.
  const [x, y] = [0.5, 0.2];
  assert.deepEqual([...rosenbrock.hessian(x, y)], [2 - 400 * y + 1200 * x * x, -400 * x, -400 * x, 200]);
  approx(rosenbrock.value(x, y), (1 - x) ** 2 + 100 * (y - x * x) ** 2, 1e-15);
  approxAll(rosenbrock.grad(x, y), [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], 1e-15);
  // A typed expression with fxx ≠ fyy and fxy ≠ 0: x³ + 2xy² + y.
  const typed = new api.Surface({ expr: 'x^3 + 2*x*y^2 + y' });
  assert.deepEqual([...typed.hessian(1, 2)], [6, 8, 8, 4]);
  assert.deepEqual([...typed.grad(1, 2)], [3 + 8, 8 + 1]);
  // Every built-in and a few expressions, at points across their views.
  const surfaces = [
    ...NAMES.map((n) => new api.Surface(n)),
    new api.Surface({ name: 'quadratic', condition: 50, rotation: 37 }),
    new api.Surface({ expr: 'sin(x) * cos(2*y) + 0.1*x^2*y', range: 2 }),
    new api.Surface({ expr: 'log(1 + x^2 + 3*y^2) + exp(0.3*x*y)', range: 2 }),
  ];
  for (const s of surfaces) {
    const b = s.bounds();
    for (let i = 0; i < 12; i++) {
      const px = b.xMin + (b.xMax - b.xMin) * ((i * 0.37 + 0.11) % 1);
      const py = b.yMin + (b.yMax - b.yMin) * ((i * 0.61 + 0.23) % 1);
      const h = [...s.hessian(px, py)];
      const scale = Math.max(1, ...h.map(Math.abs));
      const fd = hessianByDifferences(s, px, py);
      const fv = hessianFromValues(s, px, py);
      for (let k = 0; k < 4; k++) {
        assert.ok(Math.abs(h[k] - fd[k]) <= 1e-5 * scale, `${s.name} ${s.expression ?? ''} H[${k}] at (${px}, ${py}): ${h} vs gradient differences ${fd}`);
        assert.ok(Math.abs(h[k] - fv[k]) <= 2e-3 * scale, `${s.name} ${s.expression ?? ''} H[${k}] at (${px}, ${py}): ${h} vs value differences ${fv}`);
      }
      // And the gradient against differences of values.
      const g = s.grad(px, py);
      const e = 1e-6;
      const gx = (s.value(px + e, py) - s.value(px - e, py)) / (2 * e);
      const gy = (s.value(px, py + e) - s.value(px, py - e)) / (2 * e);
      const gscale = Math.max(1, Math.abs(gx), Math.abs(gy));
      assert.ok(Math.abs(g[0] - gx) <= 1e-6 * gscale && Math.abs(g[1] - gy) <= 1e-6 * gscale, `${s.name} grad at (${px}, ${py})`);
    }
  }
});

test('Surface: names, bounds, minima and default starts by value', () => {
  assert.deepEqual(api.Surface.names(), NAMES);
  for (const name of NAMES) {
    const s = new api.Surface(name);
    assert.equal(s.name, name);
    assert.equal(s.expression, undefined);
    const b = s.bounds();
    assert.deepEqual(Object.keys(b), ['xMin', 'xMax', 'yMin', 'yMax']);
    assert.ok(b.xMin < b.xMax && b.yMin < b.yMax, name);
    // Every listed minimum is stationary and lower than its neighbours.
    const minima = s.minima();
    assert.ok(minima instanceof Float64Array && minima.length % 2 === 0, name);
    for (let i = 0; i < minima.length; i += 2) {
      const [mx, my] = [minima[i], minima[i + 1]];
      const g = s.grad(mx, my);
      assert.ok(Math.hypot(g[0], g[1]) < 1e-6, `${name} minimum (${mx}, ${my}) has gradient ${g}`);
      for (let a = 0; a < 8; a++) {
        const d = 1e-3;
        const [nx, ny] = [mx + d * Math.cos(a * Math.PI / 4), my + d * Math.sin(a * Math.PI / 4)];
        assert.ok(s.value(nx, ny) >= s.value(mx, my), `${name}: (${mx}, ${my}) is not a local minimum`);
      }
    }
    // The default start is in view and somewhere to descend from.
    const [sx, sy] = s.defaultStart();
    assert.ok(sx >= b.xMin && sx <= b.xMax && sy >= b.yMin && sy <= b.yMax, `${name} start (${sx}, ${sy})`);
    const g = s.grad(sx, sy);
    assert.ok(Math.hypot(g[0], g[1]) > 1e-3, `${name} starts at a stationary point`);
    assert.ok(s.noiseScale > 0 && Number.isFinite(s.noiseScale), name);
  }
  // Global minima of the classic functions, and values there.
  assert.deepEqual([...new api.Surface('rosenbrock').minima()], [1, 1]);
  assert.equal(new api.Surface('rosenbrock').value(1, 1), 0);
  assert.deepEqual([...new api.Surface('rosenbrock').defaultStart()], [-1.2, 1]);
  assert.deepEqual([...new api.Surface('beale').minima()], [3, 0.5]);
  const himmelblau = new api.Surface('himmelblau');
  assert.equal(himmelblau.minima().length, 8);
  for (let i = 0; i < 8; i += 2) approx(himmelblau.value(himmelblau.minima()[i], himmelblau.minima()[i + 1]), 0, 1e-20);
  assert.equal(new api.Surface('saddle').minima().length, 0, 'x² − y² has no minimum');
  // The bowl: view [−2, 2]², minimum at the origin, f = ½(x²/κ + y²) unrotated.
  const bowl = new api.Surface({ name: 'quadratic', condition: 4 });
  assert.deepEqual(bowl.bounds(), { xMin: -2, xMax: 2, yMin: -2, yMax: 2 });
  assert.deepEqual([...bowl.minima()], [0, 0]);
  approx(bowl.value(2, 1), 0.5 * (4 / 4 + 1), 1e-15);
  // Rotation turns the flat axis: at 90° the flat axis is y.
  const turned = new api.Surface({ name: 'quadratic', condition: 4, rotation: 90 });
  approx(turned.value(1, 2), 0.5 * (1 + 4 / 4), 1e-15);
});

test('Surface: typed expressions, their views and noise scale, and checkExpression', () => {
  const s = new api.Surface({ expr: 'x^2 + 10*y^2', range: 3 });
  assert.equal(s.name, 'custom');
  assert.equal(s.expression, 'x^2 + 10*y^2');
  assert.deepEqual(s.bounds(), { xMin: -3, xMax: 3, yMin: -3, yMax: 3 });
  approx(s.value(1.5, -0.5), 2.25 + 2.5, 1e-15);
  // σ₁ = 0.3 × the median gradient norm over a 16 × 16 grid of the view.
  const norms = [];
  for (let row = 0; row < 16; row++) {
    for (let col = 0; col < 16; col++) {
      const [gx, gy] = s.grad(-3 + (col + 0.5) / 16 * 6, -3 + (row + 0.5) / 16 * 6);
      norms.push(Math.hypot(gx, gy));
    }
  }
  norms.sort((a, b) => a - b);
  approx(s.noiseScale, 0.3 * norms[128], 1e-12);
  const viewed = new api.Surface({ expr: 'x*y', view: [-1, 4, 0, 2] });
  assert.deepEqual(viewed.bounds(), { xMin: -1, xMax: 4, yMin: 0, yMax: 2 });
  throwsNaming(() => new api.Surface({ expr: 'x', range: 2, view: [0, 1, 0, 1] }), 'range', 'view');
  throwsNaming(() => new api.Surface({ expr: 'x', view: [0, 1, 0] }), 'view', '3 numbers');
  throwsNaming(() => new api.Surface('rosenbrok'), 'rosenbrock');
  throwsNaming(() => new api.Surface({ name: 'quadratic', condition: 0.5 }), 'condition');
  throwsNaming(() => new api.Surface({ name: 'rosenbrock', condition: 3 }), "'condition'");

  const good = api.Surface.checkExpression('x + y');
  assert.deepEqual([good.ok, good.position, good.message, good.hint], [true, undefined, '', '']);
  const bad = api.Surface.checkExpression('x + (y');
  assert.equal(bad.ok, false);
  assert.equal(typeof bad.message, 'string');
  assert.ok(bad.message.length > 0);
  assert.equal(typeof bad.hint, 'string');
  // The unclosed parenthesis is at character index 4.
  assert.equal(bad.position, 4);
  assert.equal(api.Surface.checkExpression('x + foo(y)').ok, false);
  const freed = new api.Surface('saddle');
  freed.free();
  assert.throws(() => freed.value(0, 0));
});
