// The race family's downloads: the map and the loss chart as PNG at the
// canvases' pixel size, every racer's loss per step as CSV equal to the
// engine's numbers, and the settings and results as JSON with a share link
// that reopens the same race.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLab } from './harness.mjs';
import { readPng } from '../lessons/png.mjs';

let lab;
let dir;

before(async () => {
  lab = await startLab();
  dir = await mkdtemp(path.join(os.tmpdir(), 'trainlab-race-downloads-'));
});

after(async () => {
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function save(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

for (const demo of ['race', 'schedules', 'second-order']) {
  test(`${demo}: PNG, CSV and JSON downloads hold the race on screen`, async () => {
    const { page, errors } = await lab.openApp(`${demo}?seed=3`);
    const steps = 7;
    for (let i = 0; i < steps; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction((n) => window.trainlabApp.mounted.debug.race.status(0).steps >= n, steps);

    for (const [label, selector] of [['Download Map PNG', 'canvas.map'], ['Download Loss chart PNG', 'canvas.chart']]) {
      const { file, name } = await save(page, label);
      assert.match(name, new RegExp(`^trainlab-${demo}-(map|loss-chart)-\\d{4}-\\d{2}-\\d{2}\\.png$`));
      const png = readPng(file);
      const size = await page.$eval(selector, (c) => [c.width, c.height]);
      assert.deepEqual([png.width, png.height], size, `${label} at the canvas's pixel size`);
      const colours = new Set();
      for (let i = 0; i < png.rgba.length; i += 4 * 97) colours.add(png.rgba.slice(i, i + 3).join());
      assert.ok(colours.size > 3, `${label} is a picture, not a blank (${colours.size} colours)`);
    }

    const { file: csvFile } = await save(page, 'Download Losses CSV');
    const rows = (await readFile(csvFile, 'utf8')).trimEnd().split('\r\n').map((line) => line.split(','));
    const expected = await page.evaluate(() => {
      const { race, values } = window.trainlabApp.mounted.debug;
      const ids = [...document.querySelectorAll('fieldset.racer')].map((f) => f.dataset.slot).filter((id) => values.on.includes(id));
      return { ids, losses: ids.map((_, i) => Array.from(race.losses(i))) };
    });
    assert.deepEqual(rows[0], ['step', ...expected.ids.map((id) => `${id}.loss`)]);
    const longest = Math.max(...expected.losses.map((l) => l.length));
    assert.equal(rows.length, 1 + longest);
    rows.slice(1).forEach((row, i) => {
      assert.equal(Number(row[0]), i);
      expected.losses.forEach((l, k) => assert.equal(row[k + 1], i < l.length ? String(l[i]) : '', `row ${i}, ${expected.ids[k]}`));
    });

    const { file: jsonFile } = await save(page, 'Download Settings and results JSON');
    const run = JSON.parse(await readFile(jsonFile, 'utf8'));
    assert.equal(run.demo, demo);
    assert.deepEqual(run.racers.map((r) => r.id), expected.ids);
    assert.ok(run.racers.every((r) => r.status.steps >= steps && typeof r.config.kind === 'string'));
    assert.equal(run.settings.seed, 3);
    const link = new URL(run.link);
    assert.equal(link.hash, `#${demo}?seed=3`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
