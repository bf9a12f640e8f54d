// The race's controls change what is computed, checked by value against
// hand calculations: Adam's bias-correction switch, the κ and rotation
// sliders, the seed, the arrows, the local-model picker, the schedule
// presets (cosine, warm restarts, warm-up) whose displayed rate must be the
// formula's and whose losses must follow the rates actually used.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasDigest, startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const status = (page, slot) => page.locator(`fieldset.racer[data-slot="${slot}"] legend .status`).textContent();

/** The app's number format: 4 significant digits, exponents outside [1e-3, 1e5). */
function formatNumber(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** The bowl ½(λ₁u² + λ₂v²), λ₁ = 1/κ, λ₂ = 1, axes turned by θ degrees. */
function bowl(kappa, degrees) {
  const [c, s] = [Math.cos(degrees * Math.PI / 180), Math.sin(degrees * Math.PI / 180)];
  const f = (x, y) => {
    const u = x * c + y * s;
    const v = -x * s + y * c;
    return 0.5 * (u * u / kappa + v * v);
  };
  const grad = (x, y) => {
    const u = x * c + y * s;
    const v = -x * s + y * c;
    return [c * u / kappa - s * v, s * u / kappa + c * v];
  };
  return { f, grad };
}

async function step(page, times = 1) {
  for (let k = 0; k < times; k++) await page.getByRole('button', { name: 'Step' }).click();
}

/** Sets a slider the way dragging does: a value, then input and change events. */
function slide(locator, value) {
  return locator.evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

test('Adam: the bias-correction switch changes the first step from lr to lr·(1−β₁)/√(1−β₂)', async () => {
  const { page, errors } = await lab.openApp('race?surface=quadratic&rot=0&cond=20&x=1.5&y=1&on=adam&adam.lr=0.1');
  const { f } = bowl(20, 0);
  await step(page);
  // Bias-corrected: m̂ = g, v̂ = g², so each coordinate moves by lr.
  assert.equal(await status(page, 'adam'), `step 1 · loss ${formatNumber(f(1.4, 0.9))}`);
  const bc = page.locator('fieldset.racer[data-slot="adam"]').getByLabel('bias correction');
  assert.equal(await bc.isChecked(), true);
  await bc.uncheck();
  await page.waitForFunction(() => /adam\.bc=0/.test(location.hash));
  await page.getByRole('button', { name: 'Reset' }).click();
  await step(page);
  // Raw moments: m = 0.1g, v = 0.001g², a move of 0.1·0.1/√0.001 ≈ 0.316·lr.
  const move = 0.1 * 0.1 / (Math.sqrt(0.001) + 1e-8);
  assert.equal(await status(page, 'adam'), `step 1 · loss ${formatNumber(f(1.5 - move, 1 - move))}`);
  assert.deepEqual(errors, []);
});

test('the κ and rotation sliders reshape the bowl: the loss at the start is ½(u²/κ + v²)', async () => {
  const { page, errors } = await lab.openApp('race?surface=quadratic&rot=0&cond=20&x=1.5&y=1&on=sgd&sgd.lr=0.5');
  assert.equal(await status(page, 'sgd'), `step 0 · loss ${formatNumber(bowl(20, 0).f(1.5, 1))}`);
  const before = await canvasDigest(page, 'canvas.map');
  // The slider moves log₁₀ κ in steps of 0.01; κ is kept to three digits: 10^2.5 → 316.
  await slide(page.getByLabel('Condition number κ'), 2.5);
  await page.waitForFunction(() => /cond=316\b/.test(location.hash));
  await page.waitForFunction((want) => document.querySelector('fieldset.racer[data-slot="sgd"] legend .status').textContent === want,
    `step 0 · loss ${formatNumber(bowl(316, 0).f(1.5, 1))}`);
  assert.notEqual(await canvasDigest(page, 'canvas.map'), before);
  await slide(page.getByLabel('Rotation'), 37);
  await page.waitForFunction(() => /rot=37\b/.test(location.hash));
  const turned = bowl(316, 37);
  await page.waitForFunction((want) => document.querySelector('fieldset.racer[data-slot="sgd"] legend .status').textContent === want,
    `step 0 · loss ${formatNumber(turned.f(1.5, 1))}`);
  // One SGD step (lr 0.5 from the link) moves along −∇f of the turned bowl.
  await step(page);
  const [gx, gy] = turned.grad(1.5, 1);
  assert.equal(await status(page, 'sgd'), `step 1 · loss ${formatNumber(turned.f(1.5 - 0.5 * gx, 1 - 0.5 * gy))}`);
  assert.deepEqual(errors, []);
});

test('the seed fixes the noise: the same seed replays a run, another seed gives another', async () => {
  const base = 'race?surface=rosenbrock&on=sgd,momentum&noise=1&batch=1';
  const run = async (hash) => {
    const { page, errors } = await lab.openApp(hash);
    await step(page, 6);
    const result = [await status(page, 'sgd'), await status(page, 'momentum')];
    assert.deepEqual(errors, []);
    await page.close();
    return result;
  };
  const seven = await run(`${base}&seed=7`);
  assert.deepEqual(await run(`${base}&seed=7`), seven);
  assert.notDeepEqual(await run(`${base}&seed=8`), seven);
  // Typing a seed puts it in the link; a bad one is flagged and not used.
  const { page, errors } = await lab.openApp(`${base}&seed=7`);
  const seed = page.getByLabel('Seed');
  await seed.fill('8');
  await seed.dispatchEvent('change');
  await page.waitForFunction(() => /seed=8\b/.test(location.hash));
  await step(page, 6);
  assert.deepEqual([await status(page, 'sgd'), await status(page, 'momentum')], await run(`${base}&seed=8`));
  await seed.fill('-3');
  await seed.dispatchEvent('change');
  assert.equal(await seed.getAttribute('aria-invalid'), 'true');
  assert.match(await page.evaluate(() => location.hash), /seed=8\b/);
  assert.deepEqual(errors, []);
});

test('arrows: switching them on draws on the map and goes into the link', async () => {
  const { page, errors } = await lab.openApp('race?surface=quadratic&on=sgd,adam');
  await step(page, 3);
  const plain = await canvasDigest(page, 'canvas.map');
  const arrows = page.getByLabel('Show gradient and step arrows');
  await arrows.check();
  await page.waitForFunction(() => /arrows=1/.test(location.hash));
  const drawn = await canvasDigest(page, 'canvas.map');
  assert.notEqual(drawn, plain, 'the arrows changed no pixel');
  await arrows.uncheck();
  await page.waitForFunction(() => !/arrows=1/.test(location.hash));
  assert.equal(await canvasDigest(page, 'canvas.map'), plain, 'without arrows the map is as before');
  assert.deepEqual(errors, []);
});

test('the local-model picker shows the chosen racer\'s Hessian eigenvalues, κ and Newton target', async () => {
  const { page, errors } = await lab.openApp('race?surface=quadratic&rot=0&cond=20&x=1.5&y=1&on=sgd,adam');
  const picker = page.getByLabel('Local quadratic model at');
  const choices = await picker.locator('option').evaluateAll((options) => options.map((o) => o.value));
  assert.ok(choices.includes('sgd') && choices.includes('adam'), `${choices}`);
  await picker.selectOption('adam');
  await page.waitForFunction(() => /model=adam/.test(location.hash));
  // H = diag(1/20, 1) everywhere: λ₁ = 0.05, λ₂ = 1, κ = 20; the target is the minimum.
  const info = page.locator('.model-info');
  await page.waitForFunction(() => /eigenvalues/.test(document.querySelector('.model-info').textContent));
  assert.match(await info.textContent(), /Hessian eigenvalues λ₁ = 0\.05, λ₂ = 1; condition number κ = 20/);
  const [tx, ty] = (await info.textContent()).match(/model\): \((\S+), (\S+)\)/).slice(1).map(Number);
  assert.ok(Math.abs(tx) < 1e-9 && Math.abs(ty) < 1e-9, `Newton target (${tx}, ${ty})`);
  // On the saddle the model is a saddle with eigenvalues −2 and 2.
  await page.goto(new URL('index.html#race?surface=saddle&x=0.5&y=0.3&on=sgd&model=sgd', lab.url).href);
  await page.waitForFunction(() => /eigenvalues/.test(document.querySelector('.model-info')?.textContent ?? ''));
  assert.match(await info.textContent(), /saddle/);
  assert.match(await info.textContent(), /λ₁ = -2, λ₂ = 2; condition number κ = 1/);
  assert.deepEqual(errors, []);
});

const cosine = (lr, min, done, length) => min + (lr - min) * (1 + Math.cos(Math.PI * done / length)) / 2;

/** Plays until every listed racer has passed `steps`, then pauses. */
async function playPast(page, slots, steps) {
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(([ids, n]) => ids.every((id) => {
    const m = document.querySelector(`fieldset.racer[data-slot="${id}"] legend .status`).textContent.match(/^step (\d+)/);
    return m && Number(m[1]) > n;
  }), [slots, steps], { timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
}

/** [step, displayed lr] of a racer. */
async function stepAndRate(page, slot) {
  const text = await status(page, slot);
  const m = text.match(/^step (\d+) · loss \S+ · lr (\S+)$/);
  assert.ok(m, text);
  return [Number(m[1]), Number(m[2])];
}

test('schedule presets: cosine and warm restarts, and warm-up, show the formula\'s rate', async () => {
  const { page, errors } = await lab.openApp('schedules');
  await page.getByRole('link', { name: 'cosine and warm restarts' }).click();
  await page.waitForFunction(() => /on=constant%2Ccosine%2Crestarts|on=constant,cosine,restarts/.test(location.hash));
  await playPast(page, ['cosine', 'restarts'], 60);
  const [t1, cos] = await stepAndRate(page, 'cosine');
  assert.equal(cos, Number(formatNumber(cosine(0.3, 0, t1, 400))), `cosine at step ${t1}`);
  const [t2, restart] = await stepAndRate(page, 'restarts');
  // period 50, mult 2: cycles [0, 50), [50, 150), [150, 350) …
  let [start, length] = [0, 50];
  while (t2 >= start + length) [start, length] = [start + length, length * 2];
  assert.equal(restart, Number(formatNumber(cosine(0.3, 0, t2 - start, length))), `warm restarts at step ${t2}`);

  await page.getByRole('link', { name: 'warm-up' }).click();
  await page.waitForFunction(() => /on=constant(%2C|,)warmup/.test(location.hash));
  await step(page, 7);
  // Linear warm-up over 50 steps: lr·(t + 1)/50 for the next step t = 7.
  const [t3, warm] = await stepAndRate(page, 'warmup');
  assert.equal(t3, 7);
  assert.equal(warm, Number(formatNumber(0.3 * 8 / 50)));
  assert.deepEqual(errors, []);
});

test('a step schedule without noise: the losses follow the rates the steps used', async () => {
  // SGD on ½(x²/20 + y²) from (1.5, 1): each step multiplies x by (1 − lr/20) and y by (1 − lr).
  const { page, errors } = await lab.openApp('schedules?noise=0&rot=0&cond=20&x=1.5&y=1&on=step&step.every=3&step.gamma=0.5');
  await step(page, 7);
  let [x, y] = [1.5, 1];
  for (let t = 0; t < 7; t++) {
    const lr = 0.3 * 0.5 ** Math.floor(t / 3);
    x *= 1 - lr / 20;
    y *= 1 - lr;
  }
  const { f } = bowl(20, 0);
  assert.equal(await status(page, 'step'), `step 7 · loss ${formatNumber(f(x, y))} · lr ${formatNumber(0.3 * 0.25)}`);
  assert.deepEqual(errors, []);
});
