// Course pages embedding trainlab. The app is served on 127.0.0.1; the
// course page on another site (localhost, another port) with its own strict
// Content-Security-Policy and no CORS headers anywhere, as a university
// server would. Also: the old same-origin module form, and messages that
// must not resize a frame.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';
import { coursePage, startCourseSite, strictCsp } from './course-site.mjs';

let lab;
let site;
let appOrigin;
before(async () => {
  lab = await startLab();
  site = await startCourseSite();
  appOrigin = new URL(lab.url).origin;
});
after(async () => {
  await site?.close();
  await lab?.close();
});

/**
 * Opens a course page; records CSP violations on it before any of its own
 * scripts run (playwright's init scripts are not subject to the page's CSP).
 */
async function openCoursePage(url) {
  const page = await lab.context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, errors };
}

/** The app inside the n-th <trainlab-demo> of `page`, once it is ready. */
async function appFrame(page, n) {
  const handle = await page.locator('trainlab-demo iframe').nth(n).elementHandle();
  await handle.scrollIntoViewIfNeeded();
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  return frame;
}

/** Waits until the n-th component's frame is as tall as the app's content. */
async function waitFitted(page, frame, n) {
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await page.waitForFunction(
    ([index, height]) => {
      const box = document.querySelectorAll('trainlab-demo iframe')[index].getBoundingClientRect();
      return Math.abs(box.height - height) <= 1;
    },
    [n, content],
    { timeout: 30_000 },
  );
  return content;
}

function frameHeight(page, n) {
  return page.evaluate((index) => document.querySelectorAll('trainlab-demo iframe')[index].getBoundingClientRect().height, n);
}

test('the app server sends no CORS headers, so only a classic script can be the loader', { timeout: 180_000 }, async () => {
  const response = await fetch(new URL('www/embed.js', lab.url), { headers: { Origin: site.origin } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const source = await response.text();
  assert.doesNotMatch(source, /^\s*(import|export)\b/m, 'embed.js must stay a classic script');
  assert.doesNotMatch(source, /import\.meta/, 'import.meta is a syntax error in a classic script');
});

test('components on a strict cross-site course page: demo, state, language, own heights, side by side', { timeout: 180_000 }, async () => {
  const script = new URL('www/embed.js', lab.url).href;
  const url = site.page('/lecture7.html', coursePage('Lecture 7', `
<script src="${script}"></script>
<trainlab-demo demo="second-order" state="surface=saddle&amp;on=newton,plain" lang="ko" label="Newton at a saddle"></trainlab-demo>
<p>Between the demos, the notes go on.</p>
<trainlab-demo demo="race" state="on=sgd,adam" label="Race, the bowl"></trainlab-demo>
<trainlab-demo demo="race" state="surface=rosenbrock&amp;on=momentum" height="640px" label="Race, Rosenbrock"></trainlab-demo>
`), { csp: strictCsp(appOrigin) });
  const { page, errors } = await openCoursePage(url);
  assert.equal(await page.locator('trainlab-demo iframe').count(), 3);

  const newton = await appFrame(page, 0);
  assert.equal(await newton.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await newton.evaluate(() => location.hash.split('?')[0]), '#second-order');
  assert.equal(await newton.locator('header.site').isVisible(), false, 'the site header is hidden when embedded');
  assert.equal(await newton.locator('select[id$="surface"]').inputValue(), 'saddle');
  assert.equal(await newton.locator('input[id$="on-plain"]').isChecked(), true);
  assert.equal(await newton.locator('input[id$="on-sgd"]').isChecked(), false);
  assert.equal(await page.locator('trainlab-demo iframe').nth(0).getAttribute('title'), 'Newton at a saddle');

  const bowl = await appFrame(page, 1);
  const rosenbrock = await appFrame(page, 2);
  assert.equal(await bowl.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await bowl.locator('select[id$="surface"]').inputValue(), 'quadratic');
  assert.equal(await rosenbrock.locator('select[id$="surface"]').inputValue(), 'rosenbrock');
  assert.equal(await bowl.locator('input[id$="on-momentum"]').isChecked(), false);
  assert.equal(await rosenbrock.locator('input[id$="on-momentum"]').isChecked(), true);

  // The same demo twice keeps two states: stepping one leaves the other.
  await bowl.getByRole('button', { name: 'Step' }).click();
  await bowl.waitForFunction(() => /^step 1 /.test(document.querySelector('fieldset.racer[data-slot="sgd"] .status').textContent));
  assert.match(await rosenbrock.locator('fieldset.racer[data-slot="momentum"] .status').textContent(), /^step 0 /);

  // Each auto-sized frame takes its own demo's height; height= overrides.
  const newtonHeight = await waitFitted(page, newton, 0);
  const bowlHeight = await waitFitted(page, bowl, 1);
  assert.notEqual(newtonHeight, 900, 'still the default height');
  assert.notEqual(newtonHeight, bowlHeight, 'two demos, one height: the frames are not sized separately');
  assert.equal(await frameHeight(page, 2), 640);

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
});

test('a bad demo or state attribute shows the app\'s notice inside the frame', { timeout: 180_000 }, async () => {
  const script = new URL('www/embed.js', lab.url).href;
  const url = site.page('/bad.html', coursePage('Typos', `
<script src="${script}"></script>
<trainlab-demo demo="secnd-order" lang="en"></trainlab-demo>
<trainlab-demo demo="race" state="surface=nowhere&amp;lr=abc"></trainlab-demo>
`), { csp: strictCsp(appOrigin) });
  const { page, errors } = await openCoursePage(url);
  const typo = await appFrame(page, 0);
  await typo.waitForFunction(() => document.querySelector('#notices').textContent.includes('secnd-order'));
  assert.match(await typo.locator('#notices').textContent(), /no demo called 'secnd-order'/);
  const badState = await appFrame(page, 1);
  const notices = await badState.locator('#notices').textContent();
  assert.match(notices, /'nowhere' for 'surface'/);
  assert.match(notices, /'abc' for 'lr'/);
  assert.equal(await badState.locator('select[id$="surface"]').inputValue(), 'quadratic', 'the default stays');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
});

test('height messages from other windows, other origins or with bad values are ignored', { timeout: 180_000 }, async () => {
  const script = new URL('www/embed.js', lab.url).href;
  const url = site.page('/messages.html', coursePage('Messages', `
<script src="${script}"></script>
<trainlab-demo demo="schedules"></trainlab-demo>
<trainlab-demo demo="dropout"></trainlab-demo>
`), { csp: strictCsp(appOrigin).replace('frame-src', "frame-src 'self'") });
  const { page, errors } = await openCoursePage(url);
  const first = await appFrame(page, 0);
  const second = await appFrame(page, 1);
  const fitted = await waitFitted(page, first, 0);

  // From the course page itself (its own origin): ignored. A second message
  // from the same window arrives after it, so its arrival means the first
  // was handled.
  await page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('message', function done(event) {
      if (event.data !== 'probe') return;
      window.removeEventListener('message', done);
      resolve();
    });
    window.postMessage({ type: 'trainlab:height', height: 300 }, '*');
    window.postMessage('probe', '*');
  }));
  assert.equal(await frameHeight(page, 0), fitted);

  // From the other component's frame (the trainlab origin, another window):
  // only that component may take it.
  await second.evaluate(() => parent.postMessage({ type: 'trainlab:height', height: 333 }, '*'));
  await page.waitForFunction(() => document.querySelectorAll('trainlab-demo iframe')[1].getBoundingClientRect().height === 333);
  assert.equal(await frameHeight(page, 0), fitted);

  // From its own frame's window after it left for another origin: ignored.
  // The page there posts a height, then 'posted' once it has.
  site.page('/poster.js', `parent.postMessage({ type: 'trainlab:height', height: 300 }, '*');
parent.postMessage('posted', '*');`, { csp: "default-src 'none'", type: 'text/javascript; charset=utf-8' });
  const posterUrl = site.page('/poster.html', coursePage('Not trainlab', '<script src="/poster.js"></script>'),
    { csp: "default-src 'none'; script-src 'self'" });
  const posted = page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('message', function done(event) {
      if (event.data !== 'posted') return;
      window.removeEventListener('message', done);
      resolve(event.origin);
    });
  }));
  await second.evaluate((target) => { location.href = target; }, posterUrl);
  assert.equal(await posted, site.origin);
  assert.equal(await frameHeight(page, 1), 333, 'a message from another origin resized the frame');

  // From its own frame, malformed ones are ignored and the last valid one wins.
  await first.evaluate(() => {
    for (const bad of [
      { type: 'trainlab:height', height: 1e9 },
      { type: 'trainlab:height', height: -5 },
      { type: 'trainlab:height', height: '400' },
      { type: 'trainlab:height', height: Number.NaN },
      { type: 'other', height: 400 },
      'trainlab:height 400',
      null,
    ]) parent.postMessage(bad, '*');
    parent.postMessage({ type: 'trainlab:height', height: 444 }, '*');
  });
  await page.waitForFunction(() => document.querySelectorAll('trainlab-demo iframe')[0].getBoundingClientRect().height === 444);
  assert.deepEqual(errors, []);
});

test('LMS form: a plain iframe on a page that allows no scripts at all', { timeout: 180_000 }, async () => {
  const src = new URL('index.html#second-order?surface=saddle&on=newton&lang=ko&embed=1', lab.url).href;
  const url = site.page('/lms.html', coursePage('LMS page', `
<iframe src="${src.replace(/&/g, '&amp;')}" title="Newton at a saddle" width="100%" height="900" loading="lazy"></iframe>
`), { csp: strictCsp(appOrigin, { scripts: false }) });
  const { page, errors } = await openCoursePage(url);
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await frame.locator('select[id$="surface"]').inputValue(), 'saddle');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
});

test('the old module form still works on the same origin', { timeout: 180_000 }, async () => {
  const { page, errors } = await lab.open('tests/e2e/pages/embed.html');
  const frameElement = page.locator('trainlab-demo iframe');
  assert.equal(await frameElement.getAttribute('title'), 'Newton at a saddle');
  const frame = await (await frameElement.elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await frame.locator('header.site').isVisible(), false);
  assert.equal(await frame.locator('select[id$="surface"]').inputValue(), 'saddle');
  assert.equal(await frameElement.evaluate((el) => el.getBoundingClientRect().height), 700, 'height= overrides');
  // Changing an attribute re-targets the iframe.
  await page.evaluate(() => document.querySelector('trainlab-demo').setAttribute('demo', 'schedules'));
  await page.waitForFunction(() => document.querySelector('trainlab-demo iframe').src.includes('#schedules?'));
  assert.deepEqual(errors, []);
});
