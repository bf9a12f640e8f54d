// The image lab's data path: the gzip asset is fetched and inflated in the
// browser under the app's Content-Security-Policy, and a convolutional
// Trainer with augmentation trains on it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

test('the digits load offline, inflate, and train the issue network', async () => {
  const { page, errors } = await lab.open('tests/e2e/pages/digits.html');
  await page.waitForFunction(() => window.__digits?.done === true, null, { timeout: 60_000 });
  const report = await page.evaluate(() => window.__digits);
  assert.equal(report.error, undefined);
  assert.equal(report.magic, 'TLIM');
  assert.equal(report.bytes, 16 + 5000 * 785);
  // Progress at the start (0 of the file's size) and at the end (all of it).
  assert.equal(report.progress.length, 2);
  const [[start, size], [loaded, total]] = report.progress;
  assert.equal(start, 0);
  assert.ok(size > 700_000, `the server gives the compressed size: ${size}`);
  assert.equal(loaded, total, 'the whole compressed file arrived');
  assert.equal(report.train, 200);
  assert.equal(report.validation, 500);
  assert.ok(Number.isFinite(report.loss) && report.loss > 0);
  assert.equal(report.probabilities.length, 10);
  assert.ok(Math.abs(report.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  // A centred MNIST digit keeps roughly its ink (it is already 20 px high).
  assert.ok(Math.abs(report.centred - report.original) < 0.25 * report.original, JSON.stringify(report));
  assert.deepEqual(errors, []);
});
