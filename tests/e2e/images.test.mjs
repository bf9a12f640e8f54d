// The image lab in headless Chromium: the digits load, Play trains both
// networks up to the stop step and the curves move; drawing a digit with
// pointer events (mouse and touch) changes the class probabilities, and
// centring makes the place of the drawing irrelevant; the augmentation
// toggle rebuilds the run; Korean; a link reproduces the numbers; a bad
// setting is refused with a message; Pause under the heaviest settings
// shows at once and nothing moves afterwards; the downloads (PNG of the
// pictures pixel for pixel, CSV of the curves and the confusion matrix,
// JSON with the link that replays the view) and the live region.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { canvasDigest, startLab } from './harness.mjs';
import { readPng } from '../lessons/png.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** The metrics lines of the runs ("step N · measured at step M: …"). */
const metrics = (page) => page.evaluate(() => [...document.querySelectorAll('.img .net-metrics')].map((e) => e.textContent));

/** Waits until every run shows accuracies measured at step `step`, and it stands there. */
function settledAt(page, step, timeout = 120_000) {
  return page.waitForFunction((s) => {
    const lines = [...document.querySelectorAll('.img .net-metrics')].map((e) => e.textContent);
    return lines.length > 0 && lines.every((l) => l.startsWith(`step ${s} `) && l.includes(`measured at step ${s}:`));
  }, step, { timeout });
}

/** Validation accuracy (%) of each run from its metrics line. */
async function valAccuracies(page) {
  return (await metrics(page)).map((line) => Number(line.match(/validation ([\d.]+) %/)?.[1]));
}

/** The probability column of run `which` as text ("12.5 %" …). */
const bars = (page, which = 'a') => page.evaluate((w) => [...document.querySelectorAll(`.prob.run-${w} .prob-value`)].map((e) => e.textContent), which);

/** The grey levels of the 28×28 picture the network sees. */
const seenPixels = (page) => page.$eval('canvas.img-seen', (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  return Array.from({ length: d.length / 4 }, (_, i) => d[4 * i]);
});

/** Resolves once the pad's last reading has been classified by every run. */
async function classified(page) {
  // A reading waits for the next frame, then for the worker's answer.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(() => !document.querySelector('.img-draw').hasAttribute('aria-busy')
    && document.querySelector('.prob.run-a .prob-value').textContent !== '–');
}

/** Draws through `points` (fractions of the pad) with the real mouse. */
async function mouseStroke(page, points) {
  const box = await page.locator('canvas.drawing-pad').boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

/** The same with touch pointer events (pointerType "touch"), as a finger would send them. */
async function touchStroke(page, points) {
  await page.evaluate((pts) => {
    const pad = document.querySelector('canvas.drawing-pad');
    const box = pad.getBoundingClientRect();
    const send = (type, [x, y]) => pad.dispatchEvent(new PointerEvent(type, {
      pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, cancelable: true, button: type === 'pointermove' ? -1 : 0,
      clientX: box.left + x * box.width, clientY: box.top + y * box.height,
    }));
    send('pointerdown', pts[0]);
    for (let i = 1; i < pts.length; i++) {
      for (let k = 1; k <= 6; k++) {
        const [a, b] = [pts[i - 1], pts[i]];
        send('pointermove', [a[0] + ((b[0] - a[0]) * k) / 6, a[1] + ((b[1] - a[1]) * k) / 6]);
      }
    }
    send('pointerup', pts[pts.length - 1]);
  }, points);
}

test('images: the digits load, Play trains both runs to the stop step, the curves and results fill', async () => {
  const { page, errors } = await lab.openApp('images?until=12&speed=4');
  assert.equal(await page.locator('main [data-state="loading"]').count(), 0, 'still loading after ready');
  await settledAt(page, 0);
  const start = await valAccuracies(page);
  assert.equal(start.length, 2);
  assert.ok(start.every((a) => a < 40), `an untrained network is near chance: ${start}`);
  const curves = await canvasDigest(page, '.img-compare canvas.net-chart');
  await page.getByRole('button', { name: 'Play' }).click();
  await settledAt(page, 12);
  assert.equal(await page.locator('.player').getAttribute('data-state'), 'paused', 'Play stops at the stop step');
  const end = await valAccuracies(page);
  assert.ok(end.every((a, i) => a > start[i] + 15), `validation accuracy ${start} → ${end} after 12 steps`);
  assert.notEqual(await canvasDigest(page, '.img-compare canvas.net-chart'), curves);
  assert.match(await page.locator('.img-verdict').textContent(), /At step 12: validation accuracy [\d.]+ % without augmentation, [\d.]+ % with it/);
  // The results of the evaluation at step 12: 500 validation digits in the matrix, mistakes shown.
  const counted = await page.evaluate(() => [...document.querySelectorAll('table.confusion td')].reduce((n, td) => n + Number(td.textContent || 0), 0));
  assert.equal(counted, 500);
  assert.ok(await page.locator('.img-mistakes .image-cell').count() > 0);
  assert.match(await page.locator('.img-learned').textContent(), /at step 12/);
  // Play again trains on past the stop step.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /step (1[3-9]|[2-9]\d|\d{3,}) /.test(document.querySelector('.img .net-metrics').textContent));
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(errors, []);
});

test('images: drawing with the mouse and with touch changes the probabilities; centring ignores where', async () => {
  const { page, errors } = await lab.openApp('images?until=0');
  await settledAt(page, 0);
  // The link's test digit is on the pad and classified.
  await page.waitForFunction(() => document.querySelectorAll('.prob.run-a .prob-row.top').length === 1);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.prob.run-a .prob-value')].every((e) => e.textContent === '–'));
  assert.match(page.url(), /pick=-1/, 'a cleared pad is no test digit');

  await mouseStroke(page, [[0.3, 0.25], [0.7, 0.25], [0.45, 0.8]]);
  await classified(page);
  const seven = await bars(page);
  const seenSeven = await canvasDigest(page, 'canvas.img-seen');
  await touchStroke(page, [[0.3, 0.55], [0.62, 0.55]]);
  await page.waitForFunction((prev) => JSON.stringify([...document.querySelectorAll('.prob.run-a .prob-value')].map((e) => e.textContent)) !== prev, JSON.stringify(seven));
  assert.notEqual(await canvasDigest(page, 'canvas.img-seen'), seenSeven, 'the touch stroke reached the picture');
  assert.deepEqual((await bars(page, 'b')).filter((v) => v === '–'), [], 'both runs classify the drawing');

  // Centred like MNIST, the same stroke at two places is (nearly) the same
  // input: centring moves the ink by whole pixels, so the stroke's place
  // within a pixel can still shade its edges differently. Uncentred, the
  // place shows.
  const seenAt = async (x) => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await mouseStroke(page, [[x, 0.2], [x, 0.75]]);
    await classified(page);
    // On a loaded machine the last pointer events can be read a frame late:
    // wait until the picture holds still over two frames, then for its reading.
    let seen = await seenPixels(page);
    for (;;) {
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const now = await seenPixels(page);
      if (now.join() === seen.join()) break;
      seen = now;
      await classified(page);
    }
    await classified(page);
    return { seen, probs: await bars(page) };
  };
  /** Mean absolute difference of two grey pictures, as a share of full white. */
  const apart = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length / 255;
  const top = (probs) => probs.map((p) => parseFloat(p)).reduce((best, v, i, all) => (v > all[best] ? i : best), 0);
  const left = await seenAt(0.25);
  const right = await seenAt(0.7);
  const centred = apart(left.seen, right.seen);
  assert.ok(centred < 0.04, `centred, the two places give nearly the same input (${centred.toFixed(4)} apart)`);
  assert.equal(top(right.probs), top(left.probs), 'and the same answer');
  await page.click('#img-center');
  assert.match(page.url(), /center=0/);
  const leftRaw = await seenAt(0.25);
  const rightRaw = await seenAt(0.7);
  const raw = apart(leftRaw.seen, rightRaw.seen);
  assert.ok(raw > 2 * centred && raw > 0.05, `uncentred, the place shows (${raw.toFixed(4)} apart against ${centred.toFixed(4)})`);

  // The keyboard-free fallback: a test digit from the picker goes on the pad.
  await page.locator('.img-picker button').nth(5).click();
  await page.waitForFunction(() => /pick=\d+/.test(location.hash));
  assert.equal(await page.locator('.img-picker button[aria-pressed="true"]').count(), 1);
  assert.deepEqual(errors, []);
});

test('images: the augmentation toggle rebuilds the run with or without the ops, in the link', async () => {
  const { page, errors } = await lab.openApp('images?cmp=off');
  await settledAt(page, 0);
  const title = () => page.locator('.img .net-run-title').textContent();
  assert.match(await title(), /with augmentation \(rotate, shift\)/);
  assert.equal(await page.isDisabled('#img-aug'), false);
  await page.click('#img-aug');
  await page.waitForFunction(() => /without augmentation/.test(document.querySelector('.img .net-run-title').textContent));
  assert.match(page.url(), /aug=0/);
  // An op added while augmentation is off waits in the link for it to come on.
  await page.click('#img-op-noise');
  await page.waitForFunction(() => /ops=rotate%2Ctranslate%2Cnoise/.test(location.hash));
  await page.click('#img-aug');
  await page.waitForFunction(() => /with augmentation \(rotate, shift, noise\)/.test(document.querySelector('.img .net-run-title').textContent));
  assert.doesNotMatch(page.url(), /aug=0/);
  // Flips bring the warning with the reason.
  await page.click('#img-op-hflip');
  await page.waitForSelector('.img-warning:not([hidden])');
  assert.match(await page.locator('.img-warning').textContent(), /6 reads as a 9/);
  assert.deepEqual(errors, []);
});

test('images: Korean, a link reproduces the run, a bad setting is refused with a message', async () => {
  const link = 'images?cmp=off&per=5&seed=3&ops=rotate&rot=20&until=6&speed=2';
  const run = async () => {
    const { page, errors } = await lab.openApp(link);
    await settledAt(page, 0);
    await page.getByRole('button', { name: 'Play' }).click();
    await settledAt(page, 6);
    return { page, errors, text: await metrics(page) };
  };
  const first = await run();
  const second = await run();
  assert.deepEqual(second.text, first.text, 'the same link gives the same numbers');
  const { page, errors } = second;
  assert.equal(await page.inputValue('#img-per'), '5');
  assert.equal(await page.inputValue('#img-rot'), '20');
  assert.equal(await page.isChecked('#img-op-translate'), false);

  await page.fill('#img-per', '451');
  await page.dispatchEvent('#img-per', 'change');
  assert.equal(await page.getAttribute('#img-per', 'aria-invalid'), 'true');
  assert.match(await page.locator('.img-settings .field-error').textContent(), /450/);
  assert.match(page.url(), /per=5/, 'the refused value stays out of the link');

  await page.selectOption('#language', 'ko');
  await page.waitForFunction(() => document.querySelector('main h2').textContent.includes('증강'));
  assert.match(await page.locator('.img .net-metrics').textContent(), /스텝 6 · 6 스텝에서 측정/);
  assert.match(page.url(), /lang=ko/);
  assert.match(await page.locator('.img-draw h3').textContent(), /직접 숫자 그리기/);
  assert.deepEqual([...first.errors, ...errors], []);

  // A bad value in a link is dropped with a notice naming it.
  const { page: bad } = await lab.openApp('images?per=0&ops=rotate,sideways');
  const notices = await bad.locator('#notices').textContent();
  assert.match(notices, /'per'/);
  assert.match(notices, /'ops'/);
  assert.equal(await bad.inputValue('#img-per'), '10');
});

test('images: under the heaviest settings Pause shows at once and nothing moves after it', async () => {
  const heavy = 'images?per=450&batch=128&ops=rotate,translate,crop,zoom,cutout,noise&speed=20&until=0';
  const { page, errors } = await lab.openApp(heavy);
  await settledAt(page, 0);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.img .net-metrics')].every((e) => /^step [1-9]/.test(e.textContent)), null, { timeout: 120_000 });
  // The click and the state change happen in one task.
  const state = await page.evaluate(() => {
    const pause = [...document.querySelectorAll('.player button')].find((b) => b.textContent.includes('Pause'));
    pause.click();
    return document.querySelector('.player').dataset.state;
  });
  assert.equal(state, 'paused');
  const shown = await page.evaluate(() => [...document.querySelectorAll('.img .net-metrics')].map((e) => e.textContent.split(' · ')[0]));
  // Wait until the worker has stopped, then for some more frames: the steps shown stay.
  await page.waitForFunction(() => !document.querySelector('.player').hasAttribute('aria-busy'), null, { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => { let n = 30; const f = () => (--n ? requestAnimationFrame(f) : resolve()); requestAnimationFrame(f); }));
  const later = await page.evaluate(() => [...document.querySelectorAll('.img .net-metrics')].map((e) => e.textContent.split(' · ')[0]));
  assert.deepEqual(later, shown);
  assert.deepEqual(errors, []);
});

test('images: downloads of the pictures, curves, confusion matrix and the view; the live region reads the step', async () => {
  const { page, errors } = await lab.openApp('images?cmp=off&per=3&until=4&speed=2');
  await settledAt(page, 0);
  await page.getByRole('button', { name: 'Play' }).click();
  await settledAt(page, 4);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-images-'));
  try {
    const save = async (name) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      return { file, name: download.suggestedFilename() };
    };
    // The filters at the engine's own pixels: the PNG equals the canvas.
    const filters = await save('Download the first-layer filters as PNG');
    assert.match(filters.name, /^trainlab-images-filters-\d{4}-\d{2}-\d{2}\.png$/);
    const png = readPng(filters.file);
    const shown = await page.evaluate(() => {
      const c = document.querySelector('canvas.img-filters');
      return { width: c.width, height: c.height, rgba: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) };
    });
    assert.deepEqual([png.width, png.height], [shown.width, shown.height]);
    assert.ok(shown.width > 28, `a mosaic of 16 filters, ${shown.width} px wide`);
    assert.ok(Buffer.from(png.rgba).equals(Buffer.from(shown.rgba)), 'every pixel of the filters');

    // The curves: evaluations at steps 0 and 4 at least, the last one the numbers shown.
    const curves = await readFile((await save('Download every run\'s loss and accuracy curves as CSV')).file, 'utf8');
    const rows = curves.trimEnd().split('\r\n').map((line) => line.split(','));
    assert.deepEqual(rows[0], ['step', 'a.trainLoss', 'a.valLoss', 'a.trainAccuracy', 'a.valAccuracy']);
    const last = rows[rows.length - 1].map(Number);
    assert.equal(last[0], 4);
    const shownVal = (await valAccuracies(page))[0];
    assert.equal((100 * last[4]).toFixed(1), shownVal.toFixed(1));

    // The confusion matrix counts the 500 validation digits.
    const confusion = (await readFile((await save('Download the confusion matrix as CSV')).file, 'utf8')).trimEnd().split('\r\n');
    assert.equal(confusion[0], 'step,true,predicted,count');
    assert.equal(confusion.length, 101);
    const perTrue = Array(10).fill(0);
    for (const line of confusion.slice(1)) {
      const [step, truth, , n] = line.split(',').map(Number);
      assert.equal(step, 4);
      perTrue[truth] += n;
    }
    assert.deepEqual(perTrue, Array(10).fill(50));

    // The view: its link replays these settings, its numbers are the ones shown.
    const json = JSON.parse(await readFile((await save('Download the settings and results as JSON')).file, 'utf8'));
    const query = new URLSearchParams(new URL(json.link).hash.split('?')[1]);
    assert.deepEqual(Object.fromEntries(['cmp', 'per', 'until'].map((k) => [k, query.get(k)])), { cmp: 'off', per: '3', until: '4' });
    assert.equal(json.runs.a.steps, 4);
    assert.equal(json.runs.a.config.dataset.perClass, 3);
    assert.equal((100 * json.runs.a.metrics.valAccuracy).toFixed(1), shownVal.toFixed(1));
    assert.equal(json.runs.a.evaluation.confusion.reduce((a, b) => a + b, 0), 500);

    // An empty pad gives no file but a message.
    await page.getByRole('button', { name: 'Clear' }).click();
    let files = 0;
    const count = () => files++;
    page.on('download', count);
    await page.getByRole('button', { name: 'Download your drawing as PNG', exact: true }).click();
    await page.waitForFunction(() => /could not be made: the picture is empty/.test(document.querySelector('#notices').textContent));
    page.off('download', count);
    assert.equal(files, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The live region has the step and the measured accuracies.
  await page.waitForFunction(() => /^step 4: .*validation accuracy \d+%/.test(document.querySelector('.img [data-live]').textContent));
  assert.deepEqual(errors, []);
});
