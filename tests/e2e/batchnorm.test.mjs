// The batch-norm view in headless Chromium: it loads without console
// errors, Play changes the histograms and trains the batch-norm run past the
// plain one, batch size 1 shows the engine's reason, batch size 2 makes every
// normalised value ±1, Korean text appears, and a URL with state reproduces.
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

/** Training accuracies (percent) in the metric lines of the high-learning-rate pair. */
function raceAccuracies(page) {
  return page.evaluate(() => [...document.querySelectorAll('.batchnorm .stage > .net-metrics')]
    .map((p) => Number(p.textContent.match(/train ([\d.]+) %/)?.[1])));
}

test('batchnorm: Play changes the histograms; at a high learning rate batch norm wins', async () => {
  const { page, errors } = await lab.openApp('batchnorm');
  const plain = 'canvas.bn-hist[data-run="plain"]';
  const norm = 'canvas.bn-hist[data-run="norm"]';
  const before = [await canvasDigest(page, plain), await canvasDigest(page, norm)];
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /step (\d{3,})/.test(document.querySelector('.batchnorm .stage > .net-metrics').textContent), null, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await nextFrames(page);
  assert.notEqual(await canvasDigest(page, plain), before[0]);
  assert.notEqual(await canvasDigest(page, norm), before[1]);
  // Small init: the plain net's layer-2 activation inputs have all but vanished,
  // the batch-norm net's are at unit scale.
  const stats = await page.locator('.bn-pair .net-metrics').allTextContents();
  const std = (text) => Number(text.match(/std ([-\d.e]+)/)[1]);
  assert.ok(std(stats[0]) < 0.01, stats[0]);
  assert.ok(Math.abs(std(stats[2]) - 1) < 0.3, stats[2]);
  const [plainAcc, normAcc] = await raceAccuracies(page);
  assert.ok(normAcc > plainAcc + 15, `plain ${plainAcc} %, batch norm ${normAcc} %`);
  // Batch and running statistics are listed, and the mode table has three rows.
  assert.equal(await page.locator('.bn-stats tr').count(), 7);
  assert.equal(await page.locator('.bn-modes tr').count(), 4);
  assert.deepEqual(errors, []);
});

test('batchnorm: batch size 1 shows the reason, 2 gives ±1', async () => {
  const { page, errors } = await lab.openApp('batchnorm');
  await page.fill('#bn-batch', '1');
  await page.dispatchEvent('#bn-batch', 'change');
  const note = page.locator('.bn-batch-note');
  await page.waitForFunction(() => document.querySelector('.bn-batch-note').textContent.includes('refused'));
  assert.match(await note.textContent(), /batchSize of at least 2/);
  assert.equal(await page.isVisible('.bn-pair .bn-refusal'), true);
  assert.match(page.url(), /batch=1/);
  // The plain network still trains (in the worker: wait for its answer).
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => /step 1 /.test(document.querySelectorAll('.bn-pair .net-metrics')[1].textContent));
  assert.match(await page.locator('.bn-pair .net-metrics').nth(1).textContent(), /step 1 /);

  // He init keeps the two rows' dense outputs apart (more than √ε), so x̂ is ±1.
  await page.selectOption('#bn-init', 'he');
  await page.fill('#bn-batch', '2');
  await page.dispatchEvent('#bn-batch', 'change');
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => /Batch of 2/.test(document.querySelector('.bn-batch-note').textContent));
  const share = Number((await note.textContent()).match(/Batch of 2.* ([\d.]+) % of this batch/)[1]);
  assert.ok(share > 90, `only ${share} % of x̂ at ±1`);
  assert.equal(await page.isVisible('.bn-pair .bn-refusal'), false);

  await page.fill('#bn-batch', '0');
  await page.dispatchEvent('#bn-batch', 'change');
  assert.equal(await page.getAttribute('#bn-batch', 'aria-invalid'), 'true');
  assert.match(page.url(), /batch=2/);
  assert.deepEqual(errors, []);
});

test('batchnorm: Korean text and a URL with state', async () => {
  const { page, errors } = await lab.openApp('batchnorm?init=he&layer=3&lr=0.05&batch=16&hlr=3&seed=7');
  assert.equal(await page.inputValue('#bn-init'), 'he');
  assert.equal(await page.inputValue('#bn-layer'), '3');
  assert.equal(await page.inputValue('#bn-lr'), '0.05');
  assert.equal(await page.inputValue('#bn-batch'), '16');
  assert.equal(await page.inputValue('#bn-hlr'), '3');
  assert.equal(await page.inputValue('#bn-seed'), '7');
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => /last batch of/.test(document.querySelector('.bn-batch-note').textContent));
  assert.match(await page.locator('.bn-batch-note').textContent(), /last batch of 16/);
  await page.selectOption('#language', 'ko');
  await page.waitForFunction(() => document.querySelector('#bn-title').textContent.includes('배치 정규화'));
  assert.match(await page.locator('.bn-batch-note').textContent(), /배치/);
  assert.match(page.url(), /lang=ko/);
  assert.match(page.url(), /layer=3/);
  assert.deepEqual(errors, []);
});
