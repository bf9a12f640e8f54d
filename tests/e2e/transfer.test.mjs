// The transfer-learning demo in headless Chromium: the digits and the
// pretrained network load, Play trains every strategy to the stop step and
// the chart, the verdict and the layer list fill; frozen layers really do
// not change (the weights read back by value from the worker, against the
// shipped file); the strategy switches rebuild the runs and go into the
// link; a link reproduces the numbers; Korean; bad input (a link, a field,
// `frozen` across the wasm boundary) is refused with a message; Pause
// shows at once and nothing moves after it.
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

const legend = (page) => page.evaluate(() => [...document.querySelectorAll('.tl-legend li')].map((e) => e.textContent));

/** Waits until every strategy shows its accuracy measured at step `step`. */
function settledAt(page, step, count = 4, timeout = 180_000) {
  return page.waitForFunction(([s, n]) => {
    const items = [...document.querySelectorAll('.tl-legend li')].map((e) => e.textContent);
    return items.length === n && items.every((l) => l.endsWith(`at step ${s}`) || l.endsWith(`스텝 ${s}에서`) || l.includes(`스텝 ${s}에서`));
  }, [step, count], { timeout });
}

test('transfer: Play trains every strategy to the stop step; the chart, verdict and layer list fill', async () => {
  const { page, errors } = await lab.openApp('transfer?until=6&speed=2');
  assert.equal(await page.locator('main [data-state="loading"]').count(), 0, 'still loading after ready');
  await settledAt(page, 0);
  assert.match(await page.locator('.tl-verdict').textContent(), /At step 0 nothing has trained yet/);
  // The default is the "similar data, little data" cell, and it says so.
  assert.equal(await page.locator('table.tl-cells td.current a').getAttribute('href'), '#transfer');
  assert.match(await page.locator('.tl-cell-verdict').textContent(), /^Similar data, little of it/);
  const before = await canvasDigest(page, 'canvas.tl-chart');
  await page.getByRole('button', { name: 'Play' }).click();
  await settledAt(page, 6);
  const items = await legend(page);
  assert.deepEqual(items.map((l) => l.split(':')[0]), ['from scratch', 'frozen body + new head', 'fine-tune all (same rate)', 'two stages (head, then all at lr/10)']);
  for (const item of items) assert.match(item, /: \d+\.\d % at step 6$/);
  assert.notEqual(await canvasDigest(page, 'canvas.tl-chart'), before, 'the curves are drawn');
  assert.match(await page.locator('.tl-verdict').textContent(), /^At step 6 the best is .+ with \d+\.\d %\. (The frozen|Here transfer|Frozen borrowed)/);
  // Two stages switched at step 3: nothing frozen, every layer at lr/10.
  const stack = () => page.evaluate(() => [...document.querySelectorAll('.tl-layers li')].map((li) => li.textContent));
  let layers = await stack();
  assert.equal(layers.filter((l) => l.includes('frozen')).length, 0, layers.join(' | '));
  assert.equal(layers.filter((l) => l.includes('learning rate 0.001')).length, 3, layers.join(' | '));
  await page.selectOption('select[id$="-show"]', 'frozen');
  layers = await stack();
  assert.equal(layers.filter((l) => /frozen.*learning rate 0$/.test(l)).length, 2, layers.join(' | '));
  assert.equal(layers.filter((l) => l.includes('learning rate 0.01')).length, 1, layers.join(' | '));
  assert.match(page.url(), /show=frozen/);
  assert.deepEqual(errors, []);
});

test('transfer: frozen layers keep the shipped weights bit for bit; the head and unfrozen layers learn', async () => {
  const { page, errors } = await lab.open('tests/e2e/pages/instances.html?demo=transfer&a=until=4');
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  const read = () => page.evaluate(async () => {
    const debug = window.__demos[0].mounted.debug;
    const out = {};
    for (const s of ['scratch', 'frozen', 'finetune', 'twostage']) out[s] = (await debug.weights(s)).map((a) => Array.from(a));
    out.steps = debug.runs.map((r) => r.steps);
    return out;
  });
  const shipped = await page.evaluate(async () => {
    const engine = await import('/www/pkg/trainlab.js');
    const bytes = new Uint8Array(await (await fetch('/www/assets/pretrained-digits04.bin')).arrayBuffer());
    return engine.readWeightsFile(bytes).blocks.map((b) => Array.from(b.values));
  });
  const start = await read();
  assert.deepEqual(start.steps, [0, 0, 0, 0]);
  const BODY = 4; // W1, b1, W2, b2: the two conv layers
  for (const s of ['frozen', 'finetune', 'twostage']) {
    assert.deepEqual(start[s].slice(0, BODY), shipped.slice(0, BODY), `${s} starts from the shipped body`);
    // The new head is one for every borrowed-body strategy, re-drawn from a
    // stream derived from the seed — not the seed's own draw (scratch's head),
    // which at seed 1 is the source model's initial head, the one its body
    // co-adapted with (tests/transfer.rs checks that equality natively).
    assert.deepEqual(start[s].slice(BODY), start.frozen.slice(BODY));
    assert.notDeepEqual(start[s][BODY], start.scratch[BODY], `${s}: the head's weights (biases start at 0) are not the seed's own draw`);
  }
  assert.notDeepEqual(start.scratch[0], shipped[0], 'scratch starts from random weights');
  await page.evaluate(() => window.__demos[0].mounted.debug.runner.play());
  await page.waitForFunction(() => window.__demos[0].mounted.debug.runs.every((r) => r.steps === 4 && r.metrics?.step === 4), null, { timeout: 180_000 });
  const end = await read();
  const same = (a, b) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  for (let k = 0; k < BODY; k++) assert.ok(same(end.frozen[k], shipped[k]), `frozen block ${k} changed`);
  for (const s of ['scratch', 'frozen', 'finetune', 'twostage']) assert.ok(!same(end[s][BODY], start[s][BODY]), `${s}: the head learned`);
  assert.ok(!same(end.finetune[0], shipped[0]), 'fine-tuning moves the body');
  assert.ok(!same(end.twostage[0], shipped[0]), 'the second stage (from step 2) moves the body');
  assert.ok(!same(end.scratch[0], start.scratch[0]), 'scratch trains its body');
  const rates = await page.evaluate(() => Object.fromEntries(window.__demos[0].mounted.debug.runs.map((r) => [r.strategy, r.rates])));
  assert.deepEqual(rates, { scratch: [0.01, 0.01, 0.01], frozen: [0, 0, 0.01], finetune: [0.01, 0.01, 0.01], twostage: [0.001, 0.001, 0.001] });
  assert.deepEqual(errors, []);
});

test('transfer: strategies switch, a link reproduces the run, Korean, bad input is refused', async () => {
  const link = 'transfer?on=scratch,frozen&until=4&seed=3&target=thick';
  const run = async () => {
    const { page, errors } = await lab.openApp(link);
    await settledAt(page, 0, 2);
    await page.getByRole('button', { name: 'Play' }).click();
    await settledAt(page, 4, 2);
    return { page, errors, text: await legend(page) };
  };
  const first = await run();
  const second = await run();
  assert.deepEqual(second.text, first.text, 'the same link gives the same numbers');
  const { page, errors } = second;
  assert.equal(await page.inputValue('select[id$="-target"]'), 'thick');
  assert.match(await page.locator('.tl-cell-verdict').textContent(), /^Similar data, little of it/);

  // Switching a strategy on rebuilds the runs (from step 0) and goes into the link.
  await page.check('input[id$="-on-twostage"]');
  await settledAt(page, 0, 3);
  assert.match(page.url(), /on=scratch%2Cfrozen%2Ctwostage/);
  // The last one cannot be switched off.
  await page.uncheck('input[id$="-on-scratch"]');
  await page.uncheck('input[id$="-on-frozen"]');
  await settledAt(page, 0, 1);
  await page.click('input[id$="-on-twostage"]');
  assert.equal(await page.isChecked('input[id$="-on-twostage"]'), true);
  assert.match(await page.locator('.tl-settings .field-error').textContent(), /at least one strategy/);

  // A field out of range is marked and stays out of the link.
  await page.fill('input[id$="-per"]', '401');
  await page.dispatchEvent('input[id$="-per"]', 'change');
  assert.equal(await page.getAttribute('input[id$="-per"]', 'aria-invalid'), 'true');
  assert.match(await page.locator('.tl-settings .field-error').textContent(), /400/);
  assert.doesNotMatch(page.url(), /per=401/);

  await page.selectOption('#language', 'ko');
  await page.waitForFunction(() => document.querySelector('main h2').textContent.includes('전이 학습'));
  assert.match((await legend(page))[0], /^두 단계/);
  assert.match(await page.locator('table.tl-cells caption').textContent(), /강의의 표/);
  assert.match(page.url(), /lang=ko/);

  // `frozen` across the wasm boundary: a clear Error naming the key.
  const refusals = await page.evaluate(() => {
    const { Trainer } = window.trainlab;
    const base = { dataset: { kind: 'spiral', pointsPerClass: 10 }, hidden: [4] };
    const messages = [];
    for (const frozen of [-1, 1.5, 3, Number.NaN]) {
      try {
        new Trainer({ ...base, frozen }).free();
        messages.push('accepted');
      } catch (error) {
        messages.push(error.message);
      }
    }
    const t = new Trainer(base);
    try {
      t.setFrozen('two');
    } catch (error) {
      messages.push(error.message);
    }
    t.free();
    return messages;
  });
  assert.equal(refusals.length, 5);
  for (const m of refusals) assert.match(m, /frozen/);
  assert.deepEqual([...first.errors, ...errors], []);

  // A bad value in a link is dropped with a notice naming it.
  const { page: bad } = await lab.openApp('transfer?per=0&on=scratch,sideways');
  const notices = await bad.locator('#notices').textContent();
  assert.match(notices, /'per'/);
  assert.match(notices, /'on'/);
  assert.equal(await bad.inputValue('input[id$="-per"]'), '1');
});

test('transfer: Pause shows at once and nothing moves after it', async () => {
  const { page, errors } = await lab.openApp('transfer?per=400&speed=20&until=0');
  await settledAt(page, 0);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /^step [1-9]/.test(document.querySelector('.tl-steps').textContent), null, { timeout: 180_000 });
  const state = await page.evaluate(() => {
    const pause = [...document.querySelectorAll('.player button')].find((b) => b.textContent.includes('Pause'));
    pause.click();
    return document.querySelector('.player').dataset.state;
  });
  assert.equal(state, 'paused');
  const status = () => page.evaluate(() => [document.querySelector('.tl-steps').textContent, ...[...document.querySelectorAll('.tl-legend li')].map((e) => e.textContent)]);
  const shown = await status();
  await page.waitForFunction(() => !document.querySelector('.player').hasAttribute('aria-busy'), null, { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => { let n = 30; const f = () => (--n ? requestAnimationFrame(f) : resolve()); requestAnimationFrame(f); }));
  assert.deepEqual(await status(), shown);
  assert.deepEqual(errors, []);
});
