// The "Embed this" dialog of the app shell: on every demo, keyboard only,
// both languages, snippets for the current state, copy, the live preview,
// and a snippet pasted into a strict cross-site course page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLab } from './harness.mjs';
import { coursePage, startCourseSite, strictCsp } from './course-site.mjs';

let lab;
let site;
before(async () => {
  lab = await startLab();
  site = await startCourseSite();
});
after(async () => {
  await site?.close();
  await lab?.close();
});

// The preview is a live page that is replaced whenever the snippet changes
// (language, state, height) or the dialog closes; a replaced page's requests
// still loading end as net::ERR_ABORTED, which is the intended cancel. Every
// other failure (HTTP errors, console errors, other network errors) counts.
const unexpected = (errors) => errors.filter((line) => !/^request failed: .* \(net::ERR_ABORTED\)$/.test(line));
const snippet = (page, kind) => page.locator(`dialog [data-snippet="${kind}"]`).textContent();
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}.${el.className}` : null;
});

test('every demo in the nav has the Embed button, and its snippets name that demo', { timeout: 300_000 }, async () => {
  const { page, errors } = await lab.openApp('race');
  const ids = await page.$$eval('#demo-nav a', (links) => links.map((a) => a.getAttribute('href').slice(1)));
  assert.ok(ids.length >= 7, `only ${ids.length} demos in the nav`);
  for (const id of ids) {
    await page.evaluate((demo) => { location.hash = demo; }, id);
    await page.waitForFunction((demo) => document.querySelector('#demo-nav [aria-current="page"]')?.getAttribute('href') === `#${demo}`, id);
    await page.getByRole('button', { name: 'Embed this demo in a course page' }).click();
    assert.equal(await page.locator('dialog.embed-dialog').evaluate((d) => d.open), true);
    assert.match(await snippet(page, 'component'), new RegExp(`<trainlab-demo demo="${id}"`));
    assert.match(await snippet(page, 'iframe'), new RegExp(`/index\\.html#${id}\\?`));
    // The live preview shows this demo too (and is left to finish loading,
    // since closing the dialog cancels it).
    const preview = page.frameLocator('dialog trainlab-demo iframe');
    await preview.locator('body[data-ready="1"]').waitFor({ timeout: 60_000 });
    assert.equal(await preview.locator('#demo-nav [aria-current="page"]').getAttribute('href'), `#${id}`);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog.embed-dialog').open);
  }
  assert.deepEqual(unexpected(errors), []);
});

test('keyboard: opens with Enter, focus stays inside, Escape closes and focus returns', { timeout: 180_000 }, async () => {
  const { page, errors } = await lab.openApp('schedules');
  await page.locator('header .embed-open').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('dialog.embed-dialog').open);
  assert.equal(await focused(page), 'button.embed-close', 'focus moves into the dialog');
  // Shift+Tab from the first control wraps to the last, Tab wraps back.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'button.primary', 'Shift+Tab from the first goes to the last (Close)');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'button.embed-close', 'Tab from the last wraps to the first');
  // Every Tab stop on the way round lies inside the dialog.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.querySelector('dialog.embed-dialog').contains(document.activeElement)), true);
  }
  // Closing cancels a preview still loading (a failed request in the log):
  // on a busy machine, let it finish first.
  await page.waitForFunction(() => document.querySelector('.embed-preview iframe')?.contentDocument?.body?.dataset.ready === '1', null, { timeout: 60_000 });
  // Keys typed inside the preview's own document stay there (it is another
  // page), so Escape is pressed from the dialog's first control.
  await page.locator('dialog.embed-dialog button.embed-close').focus();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.embed-dialog').open);
  // Focus goes back on the dialog's close event, a task after `open` turns false.
  await page.waitForFunction(() => document.activeElement?.matches('button.embed-open'), null, { timeout: 5_000 }).catch(() => {});
  assert.equal(await focused(page), 'button.embed-open', 'focus returns to the Embed button');
  assert.deepEqual(unexpected(errors), []);
});

test('snippets follow the state, the language and the height; a bad height is refused', { timeout: 180_000 }, async () => {
  const { page, errors } = await lab.openApp('second-order?surface=saddle&on=newton,plain');
  await page.locator('header .embed-open').click();
  const component = await snippet(page, 'component');
  assert.match(component, /^<script src="http:\/\/127\.0\.0\.1:\d+\/www\/embed\.js"><\/script>\n/);
  assert.match(component, /<trainlab-demo demo="second-order" state="surface=saddle&amp;on=newton%2Cplain" lang="en" label="Newton &amp; L-BFGS · trainlab"><\/trainlab-demo>$/);
  assert.doesNotMatch(component, /height=/, 'fitting itself, the component needs no height');
  const iframe = await snippet(page, 'iframe');
  assert.match(iframe, /src="http:\/\/127\.0\.0\.1:\d+\/index\.html#second-order\?surface=saddle&amp;on=newton%2Cplain&amp;lang=en&amp;embed=1"/);
  const defaultHeight = Number(await page.inputValue('#embed-height'));
  assert.ok(defaultHeight >= 200 && defaultHeight % 10 === 0, `default height ${defaultHeight}`);
  assert.match(iframe, new RegExp(`height="${defaultHeight}"`));

  await page.selectOption('#embed-lang', 'ko');
  assert.match(await snippet(page, 'component'), /lang="ko" label="뉴턴과 L-BFGS · trainlab"/);
  assert.match(await snippet(page, 'iframe'), /lang=ko&amp;embed=1/);

  await page.fill('#embed-height', '640');
  await page.uncheck('#embed-fit');
  assert.match(await snippet(page, 'component'), /lang="ko" height="640px" label=/);
  assert.match(await snippet(page, 'iframe'), /height="640"/);

  await page.fill('#embed-height', '12');
  assert.equal(await page.getAttribute('#embed-height', 'aria-invalid'), 'true');
  assert.match(await page.locator('#embed-height-error').textContent(), /from 200 to 5000.*640/);
  assert.match(await snippet(page, 'iframe'), /height="640"/, 'the last valid height stays');
  assert.deepEqual(unexpected(errors), []);
});

test('the dialog speaks Korean, and follows a language switch while open', { timeout: 180_000 }, async () => {
  const { page, errors } = await lab.openApp('race?lang=ko');
  await page.getByRole('button', { name: '이 데모를 강의 페이지에 퍼가기' }).click();
  const dialog = page.getByRole('dialog', { name: '이 데모를 강의 페이지에 넣기' });
  assert.equal(await dialog.isVisible(), true);
  assert.ok(await dialog.getByRole('button', { name: 'iframe 코드 복사' }).isVisible());
  assert.match(await dialog.locator('.hint').nth(1).textContent(), /script-src와 frame-src에서 http:\/\/127\.0\.0\.1:\d+을 허용/);
  assert.equal(await page.inputValue('#embed-lang'), 'ko', 'the snippet language starts as the app\'s');
  // The app's language changes under the open dialog (as from another tab of
  // the same link): the dialog follows.
  await page.evaluate(() => { location.hash = location.hash.replace('lang=ko', 'lang=en'); });
  await page.getByRole('dialog', { name: 'Embed this demo in a course page' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Copy the iframe snippet' }).isVisible());
  assert.deepEqual(unexpected(errors), []);
});

test('markup in the state is shown as text in the snippet, never parsed', { timeout: 180_000 }, async () => {
  const expr = '<img src=x onerror=alert(1)>"';
  const { page, errors } = await lab.openApp(`race?surface=custom&expr=${encodeURIComponent(expr)}`);
  await page.locator('header .embed-open').click();
  const component = await snippet(page, 'component');
  assert.match(component, /state="[^"<>]*expr=%3Cimg\+src%3Dx\+onerror%3Dalert%281%29%3E%22[&"]/);
  assert.equal(await page.locator('dialog img').count(), 0);
  assert.equal(await page.locator('dialog [data-snippet] *').count(), 0, 'a snippet holds text only');
  // The expression itself is refused by the demo with its own message.
  assert.ok(errors.every((e) => !/alert/.test(e)), errors.join('\n'));
});

test('Copy puts the snippet on the clipboard and says so', { timeout: 180_000 }, async () => {
  await lab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(lab.url).origin });
  const { page, errors } = await lab.openApp('dropout');
  await page.locator('header .embed-open').click();
  await page.getByRole('button', { name: 'Copy the iframe snippet' }).click();
  await page.waitForFunction(() => document.querySelector('dialog .embed-status').textContent !== '');
  assert.equal(await page.locator('dialog .embed-status').textContent(), 'Copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await snippet(page, 'iframe'));
  assert.deepEqual(unexpected(errors), []);
});

test('the preview is the web component itself, with the chosen state and language', { timeout: 180_000 }, async () => {
  const { page, errors } = await lab.openApp('race?surface=rosenbrock&on=adam');
  await page.locator('header .embed-open').click();
  await page.selectOption('#embed-lang', 'ko');
  const frameElement = page.locator('dialog trainlab-demo iframe');
  await frameElement.waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('dialog trainlab-demo iframe')?.src.includes('lang=ko'));
  const frame = await (await frameElement.elementHandle()).contentFrame();
  await frame.waitForFunction(() => document.body.dataset.ready === '1' && document.documentElement.lang === 'ko', null, { timeout: 60_000 });
  assert.equal(await frame.locator('select[id$="surface"]').inputValue(), 'rosenbrock');
  assert.equal(await frame.locator('header.site').isVisible(), false);
  // It fits its content, as on a course page.
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await page.waitForFunction((h) => Math.abs(document.querySelector('dialog trainlab-demo iframe').getBoundingClientRect().height - h) <= 1, content);
  // Closing frees the preview (a second copy of the app), on the dialog's
  // close event, which comes a task after `open` turns false.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog.embed-dialog').open);
  await page.waitForFunction(() => !document.querySelector('dialog trainlab-demo'), null, { timeout: 5_000 });
  assert.deepEqual(unexpected(errors), []);
});

test('the copied web-component snippet works as it is on a strict cross-site course page', { timeout: 180_000 }, async () => {
  const { page } = await lab.openApp('network?data=moons&hidden=8,8&lang=ko');
  await page.locator('header .embed-open').click();
  const component = await snippet(page, 'component');
  const iframe = await snippet(page, 'iframe');
  const appOrigin = new URL(lab.url).origin;
  const url = site.page('/pasted.html', coursePage('Pasted', `${component}\n${iframe}\n`), { csp: strictCsp(appOrigin) });
  const course = await lab.context.newPage();
  const errors = [];
  course.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  course.on('pageerror', (e) => errors.push(e.message));
  await course.goto(url);
  for (const selector of ['trainlab-demo iframe', 'body > iframe']) {
    const handle = await course.locator(selector).elementHandle();
    await handle.scrollIntoViewIfNeeded();
    const frame = await handle.contentFrame();
    await frame.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
    assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ko', selector);
    assert.equal(await frame.locator('select[id$="data"]').inputValue(), 'moons', selector);
    assert.equal(await frame.locator('input[id$="hidden"]').inputValue(), '8,8', selector);
  }
  assert.deepEqual(unexpected(errors), []);
});
