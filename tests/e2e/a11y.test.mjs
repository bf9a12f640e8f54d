// Accessibility of every demo the app lists (read from its navigation, so a
// new demo joins these checks by itself):
//   - axe-core finds no serious or critical violation, in English and
//     Korean, on the default view and after one Step;
//   - every control is reached by Tab and shows a visible focus ring;
//   - with prefers-reduced-motion nothing moves until Play is pressed,
//     Play still works from the keyboard, and focus moves to Pause and back;
//   - live numbers go to a polite status region that speaks at most once
//     per LIVE_INTERVAL_MS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startLab, REPO_ROOT } from './harness.mjs';
import { LIVE_INTERVAL_MS } from '../../www/ui/live-region.js';

const AXE_SOURCE = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const PLAY = '.player[role="group"] button.primary';

let lab;
let demos;

/** Opens the app at `#hash` with the page's error log; `reducedMotion` emulates the user setting. */
async function openApp(hash, { reducedMotion = 'no-preference' } = {}) {
  const page = await lab.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  await page.emulateMedia({ reducedMotion });
  await page.goto(new URL(`index.html#${hash}`, lab.url).href);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  // Demos that load something (the augmentation photo) say so on their section.
  await page.waitForFunction(() => !document.querySelector('main [data-state="loading"]'), null, { timeout: 60_000 });
  return { page, errors };
}

before(async () => {
  lab = await startLab();
  const { page } = await openApp('');
  demos = await page.$$eval('#demo-nav a', (links) => links.map((a) => a.getAttribute('href').slice(1)));
  await page.close();
  assert.ok(demos.length >= 7, `the app lists its demos (${demos})`);
});

after(async () => {
  await lab?.close();
});

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

test('axe finds no serious or critical violation on any demo, in English and Korean', async (t) => {
  const found = [];
  for (const lang of ['en', 'ko']) {
    for (const demo of demos) {
      const { page, errors } = await openApp(`${demo}?lang=${lang}`);
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      assert.deepEqual(errors, [], `${demo} (${lang}) loads without errors`);
      const states = { default: await axeViolations(page) };
      const player = await page.$(PLAY);
      if (player) {
        await page.click('.player[role="group"] button:nth-of-type(3)');
        await page.waitForFunction(() => document.querySelector('[data-live]')?.textContent !== '', null, { timeout: 30_000 });
        states['after Step'] = await axeViolations(page);
      }
      // axe measures contrast with inline styles of its own, which the page's
      // CSP refuses (and logs); those messages are axe's, not the app's.
      const own = errors.filter((e) => !/Applying inline style violates the following Content Security Policy/.test(e));
      for (const [state, violations] of Object.entries(states)) {
        for (const v of violations) {
          const line = `${demo} (${lang}, ${state}): ${v.id} [${v.impact}] ${v.nodes.length} nodes\n    ${v.nodes.slice(0, 5).join('\n    ')}`;
          if (v.impact === 'serious' || v.impact === 'critical') found.push(line);
          else t.diagnostic(line);
        }
      }
      assert.deepEqual(own, [], `${demo} (${lang}) ran without errors`);
      await page.close();
    }
  }
  assert.deepEqual(found, []);
});

test('every control of every demo is reached by Tab and shows a visible focus ring', async () => {
  const problems = [];
  for (const demo of demos) {
    const { page } = await openApp(demo);
    // What a keyboard user must be able to reach: visible, enabled, focusable
    // controls (one stop per radio group, as browsers give).
    const expected = await page.evaluate(() => {
      const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
      let n = 0;
      const seenRadios = new Set();
      const ids = [];
      for (const el of document.querySelectorAll(selector)) {
        if (el.tabIndex < 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
        if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
        if (el.type === 'radio') {
          if (seenRadios.has(el.name)) continue;
          seenRadios.add(el.name);
        }
        el.dataset.a11yId = String(n++);
        ids.push(el.dataset.a11yId);
      }
      return ids;
    });
    await page.evaluate(() => document.activeElement?.blur());
    const reached = new Set();
    for (let press = 0; press < expected.length + 20; press++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
        const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.id || el.tagName;
        return { id: el.dataset.a11yId ?? null, ring, what: `${el.tagName.toLowerCase()} "${name}"`, visible: el.matches(':focus-visible') };
      });
      if (!focus) continue;
      if (!focus.ring || !focus.visible) problems.push(`${demo}: ${focus.what} has no visible focus ring`);
      if (focus.id !== null) {
        if (reached.has(focus.id) && reached.size === expected.length) break;
        reached.add(focus.id);
      }
    }
    const missed = await page.evaluate((ids) => ids.map((id) => {
      const el = document.querySelector(`[data-a11y-id="${id}"]`);
      return `${el.tagName.toLowerCase()} ${el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30)}`;
    }), expected.filter((id) => !reached.has(id)));
    for (const m of missed) problems.push(`${demo}: ${m} is never reached by Tab`);
    await page.close();
  }
  assert.deepEqual(problems, []);
});

/** Digests of every canvas and the text of every status line: what moves when a demo animates. */
function motionSnapshot(page) {
  return page.evaluate(() => {
    const canvases = [...document.querySelectorAll('main canvas')].map((canvas) => {
      if (!canvas.width || !canvas.height) return 'empty';
      const data = ((f) => { f.width = canvas.width; f.height = canvas.height; const g = f.getContext('2d'); g.drawImage(canvas, 0, 0); return g.getImageData(0, 0, f.width, f.height); })(document.createElement('canvas')).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 7) sum = (sum * 31 + data[i]) % 1_000_000_007;
      return sum;
    });
    const texts = [...document.querySelectorAll('main .status, main .net-metrics, main [data-live]')].map((el) => el.textContent);
    return JSON.stringify({ canvases, texts });
  });
}

/** Resolves after `n` animation frames of the page. */
function frames(page, n) {
  return page.evaluate((count) => new Promise((resolve) => {
    let left = count;
    const next = () => (--left <= 0 ? resolve() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }), n);
}

test('with reduced motion nothing moves until Play, and Play works from the keyboard', async () => {
  for (const demo of demos) {
    const { page, errors } = await openApp(demo, { reducedMotion: 'reduce' });
    assert.ok(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches));
    await frames(page, 10);
    const settled = await motionSnapshot(page);
    await frames(page, 30);
    assert.equal(await motionSnapshot(page), settled, `${demo}: nothing moves before Play`);
    if (await page.$(PLAY)) {
      await page.focus(PLAY);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-live]')?.textContent !== '', null, { timeout: 30_000 });
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Pause', `${demo}: focus moves to Pause`);
      await page.keyboard.press('Enter');
      assert.ok(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), PLAY), `${demo}: focus returns to Play`);
      assert.notEqual(await motionSnapshot(page), settled, `${demo}: Play moved it`);
    }
    assert.deepEqual(errors, [], demo);
    await page.close();
  }
});

test('live numbers: a polite status region per playing demo that speaks at most once per interval', async () => {
  for (const demo of demos) {
    const { page } = await openApp(demo);
    if (!(await page.$(PLAY))) {
      await page.close();
      continue;
    }
    const regions = await page.$$eval('[data-live]', (els) => els.map((el) => [el.getAttribute('role'), el.getAttribute('aria-live'), el.getAttribute('aria-atomic')]));
    assert.deepEqual(regions, [['status', 'polite', 'true']], `${demo}: one live region`);
    await page.close();
  }
  // The throttle on a real run: play the race until it has spoken three times.
  const { page } = await openApp('race?surface=rosenbrock');
  await page.evaluate(() => {
    window.spoken = [];
    const region = document.querySelector('[data-live]');
    // Stamped at the write itself: a MutationObserver's callback runs later,
    // by however long the page is busy, which can shorten a measured gap.
    const native = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
    Object.defineProperty(region, 'textContent', {
      get() { return native.get.call(this); },
      set(text) {
        window.spoken.push([performance.now(), String(text)]);
        native.set.call(this, text);
      },
    });
  });
  await page.click(PLAY);
  await page.waitForFunction(() => window.spoken.length >= 3, null, { timeout: 60_000 });
  await page.click('.player[role="group"] button:nth-of-type(2)');
  const spoken = await page.evaluate(() => window.spoken);
  for (let i = 1; i < spoken.length; i++) {
    assert.ok(spoken[i][0] - spoken[i - 1][0] >= LIVE_INTERVAL_MS - 1, `announcements ${i - 1} and ${i} are ${spoken[i][0] - spoken[i - 1][0]} ms apart`);
  }
  assert.match(spoken[0][1], /^at step \d+ the lowest loss is .+'s, /);
  await page.close();
});
