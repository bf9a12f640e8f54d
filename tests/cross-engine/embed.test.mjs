// <trainlab-demo> on a strict cross-site course page, in every engine: the
// classic loader runs without CORS headers, each component shows its demo,
// state and language, and fits its own height; a height message from the
// course page itself is ignored. (Chromium's full set of embedding checks is
// in tests/e2e/embed.test.mjs.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../e2e/harness.mjs';
import { coursePage, startCourseSite, strictCsp } from '../e2e/course-site.mjs';
import { selectedEngines, startEngine } from '../webdriver/engines.mjs';

/** Runs `fn` inside the n-th component's frame, then returns to the page. */
async function inFrame(session, n, fn, ...args) {
  const frame = await session.execute((i) => {
    const element = document.querySelectorAll('trainlab-demo iframe')[i];
    element.scrollIntoView();
    return element;
  }, n);
  await session.switchToFrame(frame);
  try {
    return await fn();
  } finally {
    await session.switchToFrame(null);
  }
}

for (const engine of selectedEngines()) {
  describe(`${engine}: embedding`, { concurrency: 1 }, () => {
    let server;
    let site;
    let browser;

    before(async () => {
      server = await startServer();
      site = await startCourseSite();
      browser = await startEngine(engine);
    }, { timeout: 240_000 });

    after(async () => {
      await browser?.close();
      await site?.close();
      await server?.close();
    });

    test(`${engine}: two components on a strict cross-site page`, { timeout: 600_000 }, async () => {
      const { session } = browser;
      const appOrigin = new URL(server.url).origin;
      const url = site.page('/lecture.html', coursePage('Lecture 7', `
<script src="${new URL('www/embed.js', server.url).href}"></script>
<trainlab-demo demo="second-order" state="surface=saddle&amp;on=newton,plain" lang="ko" label="Newton"></trainlab-demo>
<trainlab-demo demo="race" state="surface=rosenbrock&amp;on=adam" label="Race"></trainlab-demo>
`), { csp: strictCsp(appOrigin) });
      await session.navigate(url);
      await session.waitFor('two component frames', () => document.querySelectorAll('trainlab-demo iframe').length === 2);

      const expected = [
        { hash: '#second-order', lang: 'ko', surface: 'saddle' },
        { hash: '#race', lang: 'en', surface: 'rosenbrock' },
      ];
      for (const [n, want] of expected.entries()) {
        const seen = await inFrame(session, n, async () => {
          await session.waitFor(`frame ${n} ready`, () => document.body?.dataset.ready === '1', [], { timeoutMs: 90_000 });
          return session.execute(() => ({
            hash: location.hash.split('?')[0],
            lang: document.documentElement.lang,
            surface: document.querySelector('select[id$="surface"]').value,
            headerHidden: getComputedStyle(document.querySelector('header.site')).display === 'none',
            notices: document.querySelector('#notices').textContent,
          }));
        });
        assert.deepEqual(seen, { ...want, headerHidden: true, notices: '' }, `component ${n}`);
      }

      // Each frame fits its own content (both reported, and different).
      const heights = [];
      for (let n = 0; n < 2; n++) {
        const content = await inFrame(session, n, () =>
          session.execute(() => Math.ceil(document.documentElement.getBoundingClientRect().height)));
        await session.waitFor(`frame ${n} to take its content height ${content}`, (i, h) =>
          Math.abs(document.querySelectorAll('trainlab-demo iframe')[i].getBoundingClientRect().height - h) <= 1, [n, content]);
        heights.push(content);
      }
      assert.notEqual(heights[0], 900, 'still the default height');
      assert.notEqual(heights[0], heights[1]);

      // A height message from the course page itself changes nothing.
      await session.executeAsync(() => new Promise((resolve) => {
        window.addEventListener('message', function done(event) {
          if (event.data !== 'probe') return;
          window.removeEventListener('message', done);
          resolve();
        });
        window.postMessage({ type: 'trainlab:height', height: 300 }, '*');
        window.postMessage('probe', '*');
      }));
      const now = await session.execute(() => Math.round(document.querySelector('trainlab-demo iframe').getBoundingClientRect().height));
      assert.ok(Math.abs(now - heights[0]) <= 1, `the frame is ${now} px after a message from the course page`);
    });
  });
}
