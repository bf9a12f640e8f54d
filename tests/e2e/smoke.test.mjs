// The app page loads its WebAssembly package in headless Chromium and
// signals readiness (document.body.dataset.ready === "1") without errors.
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

test('index.html instantiates the wasm package and becomes ready without errors', async () => {
  const { page, errors } = await lab.open('index.html');
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  const wasmLoaded = await page.evaluate(() =>
    performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('.wasm')),
  );
  assert.ok(wasmLoaded, 'the page fetched no .wasm file');
  assert.deepEqual(errors, []);
});

test('the harness reports an uncaught page error', async () => {
  // Guards the harness itself: a broken page must not pass silently.
  const { page, errors } = await lab.open('index.html');
  await page.evaluate(() => setTimeout(() => {
    throw new Error('deliberate failure');
  }, 0));
  await page.waitForFunction(() => true);
  await new Promise((resolve) => {
    const check = () => (errors.length ? resolve() : setTimeout(check, 10));
    check();
  });
  assert.equal(errors.length, 1);
  assert.match(errors[0], /deliberate failure/);
});
