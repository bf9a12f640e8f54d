// A course page embeds one demo with <trainlab-demo>: the app runs in an
// iframe with the given state and language, its site header hidden.
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

test('<trainlab-demo> shows the chosen demo, state and language in an iframe', async () => {
  const { page, errors } = await lab.open('tests/e2e/pages/embed.html');
  const frameElement = page.locator('trainlab-demo iframe');
  assert.equal(await frameElement.getAttribute('title'), 'Newton at a saddle');
  const frame = await (await frameElement.elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await frame.locator('header.site').isVisible(), false, 'the site header is hidden when embedded');
  assert.equal(await frame.locator('#second-order-surface').inputValue(), 'saddle');
  assert.equal(await frame.locator('#second-order-on-plain').isChecked(), true);
  assert.equal(await frame.locator('#second-order-on-sgd').isChecked(), false);
  // Changing an attribute re-targets the iframe.
  await page.evaluate(() => document.querySelector('trainlab-demo').setAttribute('demo', 'schedules'));
  await page.waitForFunction(() => document.querySelector('trainlab-demo iframe').src.includes('#schedules?'));
  assert.deepEqual(errors, []);
});
