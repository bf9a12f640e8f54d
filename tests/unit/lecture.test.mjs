// Lecture mode's section list (www/lecture/sections.js) against the lessons
// table: each section shows the lesson CI checks, at the same demo and
// preset, in the lecture's order, with titles in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECTIONS } from '../../www/lecture/sections.js';
import { sectionOf } from '../../www/lecture/page.js';
import { LESSONS } from '../../www/lessons/table.js';
import lecture from '../../www/i18n/lecture.js';
import lessons from '../../www/i18n/lessons.js';

test('every section names a lesson row of the same demo and preset', () => {
  for (const s of SECTIONS) {
    const row = LESSONS.find((r) => r.id === s.lesson);
    assert.ok(row, `${s.id}: no lesson row ${s.lesson}`);
    assert.equal(row.demo.id, s.demo, `${s.id}: demo`);
    assert.equal(row.query, s.query, `${s.id}: the preset differs from the lesson's`);
    for (const lang of ['en', 'ko']) {
      assert.ok(lessons[lang][`lesson.${s.lesson}`], `${s.id}: lesson text (${lang})`);
      assert.ok(lecture[lang][`lecture.${s.id}`], `${s.id}: title (${lang})`);
    }
  }
});

test('sections follow the lecture outline, each once', () => {
  const ids = SECTIONS.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  const outline = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'decay', 'second-order', 'ensembles', 'dropout', 'batchnorm', 'augment', 'images', 'transfer'];
  const order = outline.map((id) => ids.indexOf(id));
  assert.ok(order.every((i) => i >= 0), `missing: ${outline.filter((id, k) => order[k] < 0)}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'out of the lecture order');
});

test('deep links name a known section only', () => {
  assert.equal(sectionOf('lecture/adam'), 'adam');
  assert.equal(sectionOf('lecture/second-order'), 'second-order');
  assert.equal(sectionOf('lecture'), null);
  assert.equal(sectionOf('lecture/nope'), null);
  assert.equal(sectionOf('race'), null);
});
