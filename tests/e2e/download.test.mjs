// The shared download helper (www/ui/download.js) in Chromium: keyboard-
// reachable buttons whose accessible names carry the format in English and
// Korean, files named after the demo and today's date, a PNG at the
// canvas's full pixel size with exactly its pixels, CSV and JSON that parse
// back to the page's numbers, and a failure shown instead of a download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLab } from './harness.mjs';
import { readPng } from '../lessons/png.mjs';

let lab;
let page;
let errors;
let dir;

before(async () => {
  lab = await startLab();
  ({ page, errors } = await lab.open('tests/e2e/pages/download.html'));
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-downloads-'));
});

after(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Tabs until the button named `name` has focus, presses Enter, returns the saved file. */
async function downloadByKeyboard(name) {
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused === name) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      return { file, name: download.suggestedFilename() };
    }
  }
  throw new Error(`no button named "${name}" reached by Tab`);
}

test('each button names what it saves and its format, in English and Korean', async () => {
  const names = () => page.$$eval('button.download', (bs) => bs.map((b) => [b.textContent, b.getAttribute('aria-label')]));
  assert.deepEqual(await names(), [
    ['PNG', 'Download the map as PNG'],
    ['CSV', 'Download the curves as CSV'],
    ['JSON', 'Download the settings and results as JSON'],
    ['JSON', 'Download the chart as JSON'],
  ]);
  await page.evaluate(() => window.fixture.setLanguage('ko'));
  assert.deepEqual((await names()).map(([, label]) => label), [
    'PNG 파일로 지도 내려받기', 'CSV 파일로 곡선 내려받기', 'JSON 파일로 설정과 결과 내려받기', 'JSON 파일로 차트 내려받기',
  ]);
  await page.evaluate(() => window.fixture.setLanguage('en'));
  assert.equal(await page.getAttribute('.downloads', 'role'), 'group');
});

test('PNG: the canvas at its full 300×150 pixels (shown 100 px wide), pixel for pixel', async () => {
  const today = await page.evaluate(() => window.fixture.today);
  const { file, name } = await downloadByKeyboard('Download the map as PNG');
  assert.equal(name, `trainlab-testdemo-map-${today}.png`);
  const png = readPng(file);
  assert.equal(png.width, 300);
  assert.equal(png.height, 150);
  const expected = new Uint8Array(300 * 150 * 4);
  for (let y = 0; y < 150; y++) {
    for (let x = 0; x < 300; x++) {
      const rgb = y < 75 ? (x < 150 ? [255, 0, 0] : [0, 255, 0]) : x < 150 ? [0, 0, 255] : [255, 255, 255];
      expected.set([...rgb, 255], (y * 300 + x) * 4);
    }
  }
  assert.ok(Buffer.from(png.rgba).equals(Buffer.from(expected)), 'every pixel as drawn');
});

test('CSV: one row per step, the curves as numbers, an empty cell where a curve stopped', async () => {
  const { file, name } = await downloadByKeyboard('Download the curves as CSV');
  assert.match(name, /^trainlab-testdemo-curves-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile(file, 'utf8');
  const rows = text.trimEnd().split('\r\n').map((line) => line.split(','));
  assert.deepEqual(rows[0], ['step', 'sgd', 'adam']);
  const { curves } = await page.evaluate(() => window.fixture);
  assert.equal(rows.length, 1 + curves.step.length);
  rows.slice(1).forEach((row, i) => {
    assert.equal(Number(row[0]), curves.step[i]);
    assert.equal(Number(row[1]), curves.sgd[i]);
    assert.equal(row[2], i < curves.adam.length ? String(curves.adam[i]) : '');
  });
});

test('JSON: the run record parses back, typed arrays as arrays', async () => {
  const { file } = await downloadByKeyboard('Download the settings and results as JSON');
  const parsed = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(parsed, await page.evaluate(() => window.fixture.run));
  assert.ok(parsed.link.includes('#race?on=adam'));
});

test('a maker that fails shows its reason and saves nothing', async () => {
  let downloads = 0;
  const count = () => downloads++;
  page.on('download', count);
  await page.getByRole('button', { name: 'Download the chart as JSON' }).click();
  await page.waitForFunction(() => document.getElementById('errors').textContent !== '');
  assert.equal(await page.textContent('#errors'), 'The download could not be made: planted failure');
  page.off('download', count);
  assert.equal(downloads, 0);
  assert.deepEqual(errors, []);
});
