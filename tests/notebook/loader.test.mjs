// The notebook widget's loader without Jupyter: headless Chromium does what
// anywidget 0.11 does for each model (imports the model's `_esm` text from a
// blob: URL and calls its render with the model and an element), here for
// three models with a stand-in model object. The big bundle must be
// evaluated once for all three, each view must still have its own module
// instances (one Korean view beside English ones), the loader must be
// small enough to load inside anywidget's 2 s, and a run request that comes
// while a view loads must be answered once it is ready.
//
//   node --test tests/notebook/loader.test.mjs   (after node scripts/build-widget.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startLab } from '../e2e/harness.mjs';

const STATIC = path.join(REPO_ROOT, 'python/trainlab/static');

/**
 * Defines globalThis.standIns in the page: model(traits), a stand-in for
 * anywidget's model (get/set/on/off/save_changes over plain values, emit for
 * the kernel's messages), and render(model), which does what anywidget 0.11
 * does for a view (imports the model's `_esm` from a blob: URL, calls its
 * render; then calls `started`, while the view loads) and resolves to
 * {el, host, cleanup}.
 */
async function installStandIns(page, loader, bundle) {
  await page.evaluate(({ loader, bundle }) => {
    function model(traits) {
      const values = new Map(Object.entries({ demo: 'race', state: 'on=sgd,momentum', lang: 'en', user_paths: [], steps: 0, answered: 0, _bundle: bundle, ...traits }));
      const listeners = new Map();
      return {
        values,
        get: (key) => values.get(key),
        set: (key, value) => values.set(key, value),
        on: (name, fn) => listeners.set(name, [...(listeners.get(name) ?? []), fn]),
        off: (name, fn) => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== fn)),
        emit: (name, value) => (listeners.get(name) ?? []).forEach((fn) => fn(value)),
        save_changes() {},
        send() {},
      };
    }
    async function render(m, started = () => {}) {
      const url = URL.createObjectURL(new Blob([loader], { type: 'text/javascript' }));
      const widget = (await import(url)).default;
      URL.revokeObjectURL(url);
      const el = document.createElement('div');
      document.body.append(el);
      const rendering = widget.render({ model: m, el });
      started();
      const cleanup = await rendering;
      return { el, host: el.querySelector('.trainlab-widget'), cleanup };
    }
    globalThis.standIns = { model, render };
  }, { loader, bundle });
}

test('the widget loader is small, evaluates the bundle once per page, and gives each view its own instance', { timeout: 300_000 }, async (t) => {
  assert.ok(existsSync(path.join(STATIC, 'bundle.js')), 'no python/trainlab/static/bundle.js: run node scripts/build-widget.mjs');
  const loader = readFileSync(path.join(STATIC, 'widget.js'), 'utf8');
  const bundle = readFileSync(path.join(STATIC, 'bundle.js'), 'utf8');
  assert.ok(Buffer.byteLength(loader) < 64 * 1024, `the loader (_esm) is ${Buffer.byteLength(loader)} bytes`);

  const lab = await startLab();
  t.after(() => lab.close());
  // The browser asks a plain-text page's server for /favicon.ico, which the repository has not.
  await lab.context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  // Any page of the served repository gives an http origin, as Jupyter's does.
  const { page, errors } = await lab.open('python/README.md');
  const outside = [];
  page.on('request', (request) => {
    if (!/^(http:\/\/127\.0\.0\.1:|blob:|data:)/.test(request.url())) outside.push(request.url());
  });

  await installStandIns(page, loader, bundle);
  const views = await page.evaluate(async () => {
    const { model, render } = globalThis.standIns;
    const langs = ['en', 'ko', 'en'];
    const models = langs.map((lang) => model({ lang }));
    const rendered = await Promise.all(langs.map((lang, i) => {
      // The first model's run(30) reaches the page before its view could have loaded the bundle.
      const run30 = () => models[0].emit('msg:custom', { type: 'run', steps: 30, id: 7 });
      return render(models[i], i === 0 ? run30 : undefined);
    }));
    const hosts = rendered.map(({ el }) => el.querySelector('.trainlab-widget'));
    const out = {
      evaluations: globalThis[Symbol.for('trainlab.bundleEvaluations')],
      ready: hosts.map((host) => host?.dataset.ready),
      langs: hosts.map((host) => host.shadowRoot.querySelector('.trainlab-body').lang),
      titles: hosts.map((host) => host.shadowRoot.querySelector('h2')?.textContent),
      cleanups: rendered.map(({ cleanup }) => typeof cleanup),
      answers: models.map((m) => ({ steps: m.values.get('steps'), answered: m.values.get('answered'), sgd: m.values.get('losses')?.sgd?.length })),
    };
    for (const { cleanup } of rendered) cleanup();
    return out;
  });

  assert.equal(views.evaluations, 1, `the bundle was evaluated ${views.evaluations} times for 3 views`);
  assert.deepEqual(views.ready, ['1', '1', '1']);
  // Own module instances: the Korean view's language did not leak into the others.
  assert.deepEqual(views.langs, ['en', 'ko', 'en']);
  assert.match(views.titles[1], /[가-힣]/, `the Korean view's title: ${views.titles[1]}`);
  assert.doesNotMatch(views.titles[0], /[가-힣]/, `the first English view's title: ${views.titles[0]}`);
  assert.doesNotMatch(views.titles[2], /[가-힣]/, `the last English view's title: ${views.titles[2]}`);
  assert.deepEqual(views.cleanups, ['function', 'function', 'function']);
  // The run request sent while the first view loaded was kept and answered; the others ran nothing.
  assert.deepEqual(views.answers, [
    { steps: 30, answered: 7, sgd: 31 },
    { steps: 0, answered: 0, sgd: 1 },
    { steps: 0, answered: 0, sgd: 1 },
  ]);
  assert.deepEqual(errors, []);
  assert.deepEqual(outside, [], 'nothing fetched from outside 127.0.0.1');
});

// Two views of one model (a race shown twice): Reset in one must reach the
// model and stay there when the other view, still at its old step, redraws
// (a resize, a scroll back into view); a view sends only numbers that
// changed since it last sent, and new numbers (a step) always.
test('two views of one race: a Reset in one is not undone when the other redraws', { timeout: 300_000 }, async (t) => {
  const loader = readFileSync(path.join(STATIC, 'widget.js'), 'utf8');
  const bundle = readFileSync(path.join(STATIC, 'bundle.js'), 'utf8');
  const lab = await startLab();
  t.after(() => lab.close());
  await lab.context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  const { page, errors } = await lab.open('python/README.md');
  await installStandIns(page, loader, bundle);
  const seen = await page.evaluate(async () => {
    const { model, render } = globalThis.standIns;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 900));
    const shared = model({});
    const first = await render(shared);
    shared.emit('msg:custom', { type: 'run', steps: 40, id: 1 });
    const second = await render(shared);
    await settle();
    const button = (view, name) => [...view.host.shadowRoot.querySelectorAll('.player button')].find((b) => b.textContent.includes(name));
    const steps = () => shared.values.get('steps');
    const out = { afterRun: steps() };
    button(first, 'Reset').click();
    await settle();
    out.afterReset = steps();
    // The other view redraws at its own, unchanged step 40.
    second.el.style.width = '520px';
    await settle();
    out.afterOtherRedraw = steps();
    // A step in the other view is new: it is sent.
    button(second, 'Step').click();
    await settle();
    out.afterOtherStep = steps();
    out.sgdLosses = shared.values.get('losses').sgd.length;
    first.cleanup();
    second.cleanup();
    return out;
  });
  assert.equal(seen.afterRun, 40);
  assert.equal(seen.afterReset, 0, 'Reset in the first view reaches the model');
  assert.equal(seen.afterOtherRedraw, 0, 'the second view redrew at step 40 and sent it over the Reset');
  assert.ok(seen.afterOtherStep > 40, `a step in the second view is sent: ${seen.afterOtherStep}`);
  assert.equal(seen.sgdLosses, seen.afterOtherStep + 1);
  assert.deepEqual(errors, []);
});
