// Lecture mode (#lecture): every section of www/lecture/sections.js mounts
// its demo without errors and with no duplicate id on the page; a demo
// scrolled far away stops stepping (and goes on when back); the table of
// contents works from the keyboard and deep links land on their section;
// leaving the page frees every engine object the demos made; axe finds
// nothing serious; Korean throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startLab, REPO_ROOT } from './harness.mjs';
import { SECTIONS } from '../../www/lecture/sections.js';
import lecture from '../../www/i18n/lecture.js';
import lessons from '../../www/i18n/lessons.js';

const AXE_SOURCE = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
let lab;

before(async () => {
  lab = await startLab();
});

after(async () => {
  await lab?.close();
});

/** Opens #hash and waits until every section's demo is mounted and drawn. */
async function openLecture(hash) {
  const opened = await lab.openApp(hash);
  await opened.page.waitForFunction(
    (n) => document.querySelectorAll('.lecture-section .demo').length === n && !document.querySelector('main [data-state="loading"]'),
    SECTIONS.length, { timeout: 120_000 });
  return opened;
}

/** Resolves after `n` animation frames (a condition, not a fixed time). */
const frames = (page, n) => page.evaluate((count) => new Promise((resolve) => {
  let left = count;
  const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), n);

const stepsOf = (page, section) => page.evaluate((id) => {
  const entry = window.trainlabApp.mounted.debug.instances().find((i) => i.section === id);
  return entry.debug.race.status(0).steps;
}, section);

test('every section mounts its demo at its preset, with unique ids', async () => {
  const { page, errors } = await openLecture('lecture');
  const shown = await page.$$eval('.lecture-section', (els) => els.map((e) => e.dataset.section));
  assert.deepEqual(shown, SECTIONS.map((s) => s.id));
  const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(duplicates, [], 'no id twice on the page');
  // Every label names a control of its own section (the prefixes are per instance).
  const stray = await page.$$eval('.lecture-section label[for]', (labels) => labels
    .filter((l) => !l.closest('.lecture-section').contains(document.getElementById(l.htmlFor)))
    .map((l) => l.htmlFor));
  assert.deepEqual(stray, []);
  // Each race section runs its preset: the racers the query switches on.
  const racing = await page.evaluate(() => Object.fromEntries(window.trainlabApp.mounted.debug.instances()
    .filter((i) => i.debug?.values?.on).map((i) => [i.section, i.debug.values.on.join(',')])));
  assert.equal(racing.sgd, 'sgd,momentum');
  assert.equal(racing.adam, 'adam,adamraw');
  assert.equal(racing['second-order'], 'sgd,adam,newton,lbfgs');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a demo scrolled far away stops stepping, and goes on in view', async () => {
  const { page, errors } = await openLecture('lecture/sgd');
  const play = page.locator('#lecture-sgd .player button', { hasText: 'Play' });
  await play.click();
  await page.waitForFunction(() => window.trainlabApp.mounted.debug.instances()[0].debug.race.status(0).steps > 3);
  await page.locator('#lecture-augment').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.trainlabApp.mounted.debug.instances()[0].debug.runner.visible === false);
  const away = await stepsOf(page, 'sgd');
  await frames(page, 20);
  assert.equal(await stepsOf(page, 'sgd'), away, 'no steps while out of view');
  assert.equal(await page.evaluate(() => window.trainlabApp.mounted.debug.instances()[0].debug.runner.playing), true, 'scrolling is not Pause');
  await page.locator('#lecture-sgd').scrollIntoViewIfNeeded();
  await page.waitForFunction((n) => window.trainlabApp.mounted.debug.instances()[0].debug.race.status(0).steps > n, away);
  assert.deepEqual(errors, []);
  await page.close();
});

test('contents by keyboard and deep links land on their section without remounting', async () => {
  const { page, errors } = await openLecture('lecture/adam');
  const atTop = (id) => page.evaluate((s) => {
    const box = document.getElementById(`lecture-${s}`).getBoundingClientRect();
    return Math.abs(box.top) < 40 && document.activeElement === document.getElementById(`lecture-${s}-heading`);
  }, id);
  await page.waitForFunction(() => document.activeElement?.id === 'lecture-adam-heading');
  assert.ok(await atTop('adam'), 'the deep link scrolls to its section and focuses its heading');
  const created = await page.evaluate(() => window.trainlabApp.mounted.debug.handles().created);
  await page.focus('.lecture-toc a[data-section="dropout"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'lecture-dropout-heading');
  assert.ok(await atTop('dropout'));
  assert.equal(await page.evaluate(() => location.hash), '#lecture/dropout');
  // "Next" moves on within the page.
  await page.locator('#lecture-dropout .lecture-links a.next').press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'lecture-batchnorm-heading');
  assert.equal(await page.evaluate(() => window.trainlabApp.mounted.debug.handles().created), created, 'nothing was mounted again');
  assert.equal(await page.locator('#lecture-dropout .lecture-links a.open').getAttribute('href'), '#dropout');
  assert.deepEqual(errors, []);
  await page.close();
});

test('leaving the lecture frees every engine object its demos made', async () => {
  const { page, errors } = await openLecture('lecture');
  await page.locator('#lecture-momentum .player button', { hasText: 'Step' }).click();
  const before = await page.evaluate(() => {
    window.leftLecture = window.trainlabApp.mounted.debug;
    return window.leftLecture.handles();
  });
  assert.ok(before.live >= SECTIONS.length, `the demos hold engine objects (${JSON.stringify(before)})`);
  await page.evaluate(() => { location.hash = '#race'; });
  await page.waitForFunction(() => document.querySelector('#demo-nav [aria-current="page"]')?.getAttribute('href') === '#race');
  const afterLeaving = await page.evaluate(() => window.leftLecture.handles());
  assert.equal(afterLeaving.live, 0, JSON.stringify(afterLeaving));
  assert.equal(afterLeaving.freed, afterLeaving.created);
  assert.equal(await page.locator('.lecture').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

async function axeSerious(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

test('Korean throughout, and axe finds nothing serious in either language', async () => {
  for (const lang of ['ko', 'en']) {
    const { page, errors } = await openLecture(`lecture?lang=${lang}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.textContent('#lecture-title'), lecture[lang]['lecture.title']);
    assert.equal(await page.textContent('.lecture-toc a[data-section="decay"] span'), lecture[lang]['lecture.decay']);
    assert.equal(await page.textContent('#lecture-nesterov .lecture-lesson'), lessons[lang]['lesson.race.localMinima']);
    assert.equal(await page.textContent('#lecture-sgd .lecture-links a.next'),
      lecture[lang]['lecture.next'].replace('{title}', lecture[lang]['lecture.saddle']));
    if (lang === 'ko') {
      // The demos inside speak Korean too.
      assert.equal(await page.textContent('#lecture-sgd .demo h2'), '옵티마이저 경주');
      assert.match(await page.textContent('#lecture-dropout .demo h2'), /드롭아웃/);
      assert.match(await page.textContent('#lecture-sgd .player'), /재생/);
    }
    assert.deepEqual(await axeSerious(page), [], `axe (${lang})`);
    const own = errors.filter((e) => !/Applying inline style violates the following Content Security Policy/.test(e));
    assert.deepEqual(own, []);
    await page.close();
  }
});
