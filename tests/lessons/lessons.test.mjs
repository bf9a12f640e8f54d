// Lessons as tests: every row of www/lessons/table.js runs its claim on the
// real engine (www/pkg, built by ./scripts/build.sh) with the settings the
// UI would use, and every demo's default view and preset link has a row
// whose stated lesson exists in English and Korean.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as engine from '../../www/pkg/trainlab.js';
import { LESSONS } from '../../www/lessons/table.js';
import { tables } from '../../www/i18n/index.js';
import { readPng } from './png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasm = path.join(root, 'www/pkg/trainlab_bg.wasm');
assert.ok(fs.existsSync(wasm), `${wasm} is missing: run ./scripts/build.sh first`);
engine.initSync({ module: fs.readFileSync(wasm) });

const PHOTOS = { chelsea: 'www/assets/chelsea.png', coffee: 'www/assets/coffee.png' };
const photos = new Map();
let digits = null;
const env = {
  photo(name) {
    if (!photos.has(name)) photos.set(name, readPng(path.join(root, PHOTOS[name])));
    return photos.get(name);
  },
  /** The digits asset inflated, as the page's loader gives it. */
  digits() {
    digits ??= new Uint8Array(zlib.gunzipSync(fs.readFileSync(path.join(root, 'www/assets/digits.bin.gz'))));
    return digits;
  },
  /** The transfer demo's pretrained source network (www/assets/pretrained-digits04.bin). */
  pretrained() {
    return new Uint8Array(fs.readFileSync(path.join(root, 'www/assets/pretrained-digits04.bin')));
  },
};

// Only some rows: LESSONS=race.default,dropout node --test tests/lessons/
const only = (process.env.LESSONS ?? '').split(',').filter(Boolean);
const selected = LESSONS.filter((row) => !only.length || only.some((p) => row.id.startsWith(p)));

for (const row of selected) {
  test(`lesson ${row.id} (#${row.demo.id}${row.query ? `?${row.query}` : ''})`, async (t) => {
    const started = performance.now();
    // A claim may be async (the transfer lessons build their runs through the worker's kind).
    const outcome = await row.claim(engine, env);
    t.diagnostic(`${row.id}: ${JSON.stringify(outcome.measured)} (${Math.round(performance.now() - started)} ms)`);
    for (const c of outcome.checks) t.diagnostic(`${c.ok ? 'ok  ' : 'FAIL'} ${c.text}`);
    assert.ok(outcome.checks.length > 0, 'a claim checks something');
    assert.deepEqual(outcome.failed, [], `${row.id}: ${tables.en[row.key]}`);
  });
}

test('every demo in the app has a lesson for its default view, and every preset link has one', async () => {
  const app = fs.readFileSync(path.join(root, 'www/app.js'), 'utf8');
  const files = [...app.matchAll(/import \* as \w+ from "\.\/demos\/([\w-]+)\.js"/g)].map((m) => m[1]);
  assert.ok(files.length >= 7, `demos found in app.js: ${files}`);
  for (const file of files) {
    const demo = await import(`../../www/demos/${file}.js`);
    const rows = LESSONS.filter((row) => row.demo.id === demo.id);
    assert.ok(rows.some((row) => row.query === ''), `${demo.id}: no lesson for the default view`);
    for (const preset of demo.spec?.presets ?? []) {
      assert.ok(rows.some((row) => row.query === preset.query), `${demo.id}: preset ${preset.key} (${preset.query}) has no lesson`);
    }
  }
});

test('every lesson is stated in English and Korean, and every stated lesson has a row', () => {
  const ids = new Set(LESSONS.map((row) => row.id));
  assert.equal(ids.size, LESSONS.length, 'lesson ids are unique');
  for (const row of LESSONS) {
    assert.ok(tables.en[row.key] && tables.ko[row.key], `${row.key} missing in en or ko`);
  }
  const stated = Object.keys(tables.en).filter((k) => k.startsWith('lesson.'));
  assert.deepEqual(stated.filter((k) => !ids.has(k.slice('lesson.'.length))), [], 'stated lessons without a row');
});
