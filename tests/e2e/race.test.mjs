// The optimizer race, the schedules demo and the second-order demo, driven
// in headless Chromium the way a student would use them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasDigest, nextFrames, startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** One parameter of the page's URL hash, decoded. */
function hashParam(page, name) {
  return page.evaluate((n) => new URLSearchParams(location.hash.split('?')[1] ?? '').get(n), name);
}

function statusOf(page, slot) {
  return page.locator(`fieldset.racer[data-slot="${slot}"] legend .status`).textContent();
}

test('the race loads without errors and Play moves the racers', async () => {
  const { page, errors } = await lab.openApp('race');
  await nextFrames(page);
  const before = await canvasDigest(page, 'canvas.map');
  const chartBefore = await canvasDigest(page, 'canvas.chart');
  await page.getByRole('button', { name: 'Play' }).click();
  // Long enough for the charts' slower redraw to have run too.
  await page.waitForFunction(() => /step (\d{2,})/.test(document.querySelector('fieldset.racer[data-slot="sgd"] .status').textContent));
  await page.getByRole('button', { name: 'Pause' }).click();
  await nextFrames(page);
  assert.notEqual(await canvasDigest(page, 'canvas.map'), before, 'the map did not change while playing');
  assert.notEqual(await canvasDigest(page, 'canvas.chart'), chartBefore, 'the loss chart did not change');
  const status = await statusOf(page, 'adam');
  assert.match(status, /^step \d+ · loss /);
  assert.equal(await page.locator('math').count() >= 6, true, 'every racer shows its update rule in MathML');
  assert.deepEqual(errors, []);
});

test('Step advances exactly one step and Reset returns to step 0', async () => {
  const { page, errors } = await lab.openApp('race?on=sgd');
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  assert.match(await statusOf(page, 'sgd'), /^step 2 · /);
  await page.getByRole('button', { name: 'Reset' }).click();
  assert.match(await statusOf(page, 'sgd'), /^step 0 · /);
  assert.deepEqual(errors, []);
});

test('the language switch shows Korean and keeps it in the URL', async () => {
  const { page, errors } = await lab.openApp('race');
  await page.selectOption('#language', 'ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.equal(await page.locator('h2').first().textContent(), '옵티마이저 경주');
  assert.ok(await page.getByRole('button', { name: '재생' }).isVisible());
  assert.match(await page.evaluate(() => location.hash), /lang=ko/);
  // Reload with the link: still Korean.
  const link = await page.evaluate(() => location.href);
  const again = await lab.open(link.slice(link.indexOf('index.html')));
  await again.page.waitForFunction(() => document.body.dataset.ready === '1');
  assert.equal(await again.page.evaluate(() => document.documentElement.lang), 'ko');
  assert.deepEqual(errors, []);
  assert.deepEqual(again.errors, []);
});

test('a URL with state reproduces the same run', async () => {
  const hash = '#race?surface=rosenbrock&x=-1.5&y=2&on=momentum,adam&adam.lr=0.03&noise=1&batch=4&seed=7';
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const { page, errors } = await lab.openApp(hash.slice(1));
    assert.equal(await page.locator('#race-surface').inputValue(), 'rosenbrock');
    assert.equal(await page.locator('#race-adam-lr').inputValue(), '0.03');
    assert.equal(await page.locator('#race-noise').isChecked(), true);
    for (let k = 0; k < 5; k++) await page.getByRole('button', { name: 'Step' }).click();
    runs.push({
      momentum: await statusOf(page, 'momentum'),
      adam: await statusOf(page, 'adam'),
      map: await canvasDigest(page, 'canvas.map'),
    });
    assert.deepEqual(errors, []);
  }
  assert.match(runs[0].adam, /^step 5 · loss /);
  assert.deepEqual(runs[1], runs[0]);
});

test('clicking the map sets the start point and writes it to the URL', async () => {
  const { page, errors } = await lab.openApp('race?surface=himmelblau');
  const box = await page.locator('canvas.map').boundingBox();
  // The view is [-5, 5]²: the centre of the canvas is (0, 0).
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
  const hash = await page.evaluate(() => location.hash);
  const x = Number(new URLSearchParams(hash.split('?')[1]).get('x'));
  const y = Number(new URLSearchParams(hash.split('?')[1]).get('y'));
  assert.ok(Math.abs(x - 2.5) < 0.1 && Math.abs(y - 2.5) < 0.1, `start (${x}, ${y})`);
  assert.deepEqual(errors, []);
});

test('bad hyperparameters and bad link values give a message and keep the race', async () => {
  const { page, errors } = await lab.openApp('race?sgd.lr=abc&nope=1');
  const notices = await page.locator('#notices').textContent();
  assert.match(notices, /'sgd\.lr'/);
  assert.match(notices, /'nope'/);
  // The default took the bad value's place.
  assert.equal(await page.locator('#race-sgd-lr').inputValue(), '1.9');
  await page.fill('#race-momentum-rho', '1.5');
  await page.press('#race-momentum-rho', 'Enter');
  const row = page.locator('fieldset.racer[data-slot="momentum"]');
  await page.waitForFunction(() => document.querySelector('fieldset.racer[data-slot="momentum"] .field-error').textContent !== '');
  assert.match(await row.locator('.field-error').textContent(), /momentum ρ must be between 0 and 0\.999/);
  assert.equal(await page.locator('#race-momentum-rho').getAttribute('aria-invalid'), 'true');
  // The race still runs with the previous value.
  await page.getByRole('button', { name: 'Step' }).click();
  assert.match(await statusOf(page, 'momentum'), /^step 1 · /);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /momentum\.rho/);
  assert.deepEqual(errors, []);
});

test('a diverging racer stops and says at which step, the others go on', async () => {
  const { page, errors } = await lab.openApp('race?surface=rosenbrock&on=sgd,adam&sgd.lr=0.05&speed=20');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /diverged at step \d+/.test(document.querySelector('fieldset.racer[data-slot="sgd"] .status').textContent));
  const divergedAt = Number((await statusOf(page, 'sgd')).match(/diverged at step (\d+)/)[1]);
  // The others go on past that step.
  await page.waitForFunction((n) => Number(document.querySelector('fieldset.racer[data-slot="adam"] .status').textContent.match(/^step (\d+)/)?.[1]) > n + 20, divergedAt);
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.match(await statusOf(page, 'adam'), /^step \d+ · loss /);
  assert.match(await statusOf(page, 'sgd'), new RegExp(`diverged at step ${divergedAt}`));
  assert.deepEqual(errors, []);
});

test('a typed loss function: errors point at the character, the old surface stays', async () => {
  const { page, errors } = await lab.openApp('race?surface=custom&expr=x%5E2%2B3*y%5E2');
  const before = await canvasDigest(page, 'canvas.map');
  await page.fill('#race-expr', 'x^2 + (y');
  await page.press('#race-expr', 'Enter');
  const error = page.locator('#race-expr-error');
  await page.waitForFunction(() => document.querySelector('#race-expr-error').textContent !== '');
  assert.match(await error.textContent(), /At character 7/);
  assert.equal(await error.locator('mark').textContent(), '(');
  assert.equal(await canvasDigest(page, 'canvas.map'), before, 'a bad expression changed the map');
  assert.equal(await hashParam(page, 'expr'), 'x^2+3*y^2');
  await page.fill('#race-expr', 'sin(x) * cos(y) + 0.1*(x^2 + y^2)');
  await page.press('#race-expr', 'Enter');
  await page.waitForFunction(() => document.querySelector('#race-expr-error').textContent === '');
  assert.notEqual(await canvasDigest(page, 'canvas.map'), before);
  assert.equal(await hashParam(page, 'expr'), 'sin(x) * cos(y) + 0.1*(x^2 + y^2)');
  // Undefined over the whole view: a clear message, the surface stays.
  const current = await canvasDigest(page, 'canvas.map');
  await page.fill('#race-expr', 'log(-1 - x^2)');
  await page.press('#race-expr', 'Enter');
  await page.waitForFunction(() => /not a finite number/.test(document.querySelector('#race-expr-error').textContent));
  assert.equal(await canvasDigest(page, 'canvas.map'), current);
  assert.deepEqual(errors, []);
});

test('the schedules demo draws lr(t) and the step decay drops the rate', async () => {
  const { page, errors } = await lab.openApp('schedules?on=constant,step&step.every=5&step.gamma=0.5');
  assert.ok(await page.locator('canvas.schedule-chart').isVisible());
  for (let k = 0; k < 6; k++) await page.getByRole('button', { name: 'Step' }).click();
  // lr = 0.3 · 0.5^⌊6/5⌋ at step 6.
  assert.match(await statusOf(page, 'step'), /lr 0\.15$/);
  assert.deepEqual(errors, []);
});

test('Newton converges on Rosenbrock and shows its evaluations and the model', async () => {
  const { page, errors } = await lab.openApp('second-order?on=newton,bfgs,lbfgs&speed=10');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => ['newton', 'bfgs', 'lbfgs'].every((s) =>
    /converged at step/.test(document.querySelector(`fieldset.racer[data-slot="${s}"] .status`).textContent)), null, { timeout: 20_000 });
  const lbfgs = await statusOf(page, 'lbfgs');
  const [, steps, f, g, hess] = lbfgs.match(/converged at step (\d+) .* f (\d+) · ∇f (\d+) · H (\d+)/);
  assert.ok(Number(steps) >= 25 && Number(steps) <= 60, lbfgs);
  assert.ok(Number(f) >= Number(steps) && Number(g) >= Number(steps), lbfgs);
  assert.equal(Number(hess), 0);
  // At the minimum (1, 1) the Hessian is [[802, −400], [−400, 200]]:
  // λ = 501 ∓ √(301² + 400²) = 0.3994 and 1002 (4 digits), κ = 2508.
  const radius = Math.hypot(301, 400);
  const [l1, l2] = [501 - radius, 501 + radius];
  const four = (v) => String(Number(v.toPrecision(4)));
  assert.match(await page.locator('.model-info').textContent(),
    new RegExp(`eigenvalues λ₁ = ${four(l1)}, λ₂ = ${four(l2)}; condition number κ = ${four(l2 / l1)}`));
  assert.deepEqual(errors, []);
});

test('plain Newton goes to the saddle and the model says so', async () => {
  const { page, errors } = await lab.openApp('second-order?surface=saddle&on=newton&newton.damping=none&x=-1&y=0.5');
  assert.match(await page.locator('.model-info').textContent(), /saddle/);
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  // One plain Newton step lands on the stationary point (0, 0) of x² − y².
  assert.match(await statusOf(page, 'newton'), /converged at step 1 · loss 0/);
  assert.deepEqual(errors, []);
});

test('phone width: no horizontal scrolling', async () => {
  const { page, errors } = await lab.openApp('race');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForFunction(() => window.innerWidth === 360);
  await nextFrames(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  assert.deepEqual(errors, []);
});

test('preset links load their setup; with noisy gradients L-BFGS loses its footing, Adam copes', async () => {
  const { page, errors } = await lab.openApp('second-order');
  await page.getByRole('link', { name: 'L-BFGS with noisy gradients' }).click();
  await page.waitForFunction(() => document.querySelector('#second-order-noise')?.checked === true);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /stopped at step \d+/.test(
    document.querySelector('fieldset.racer[data-slot="lbfgs"] .status').textContent), null, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.match(await statusOf(page, 'adam'), /^step \d+ · loss /);
  assert.deepEqual(errors, []);
});
