#!/usr/bin/env node
// Writes the notebook widget's files into python/trainlab/static/:
//   widget.js   the small ES module anywidget loads for every model (its
//               `_esm`): a loader. anywidget gives a model's module 2 s to
//               load, so this one holds no data; it evaluates bundle.js
//               (the `_bundle` trait's text) once per page and hands each
//               view its own instance of it.
//   bundle.js   python/js/widget.js and the app's own modules (www/demos,
//               www/ui, www/pkg) bundled by scripts/single-file.mjs, the
//               wasm and assets inlined as data: URLs, the stylesheet as a
//               string, wrapped in a factory `instance()`. Nothing is fetched.
//   names.json  the names Python validates against, read from the same
//               modules: demo ids (those www/app.js lists), each demo's
//               parameter table, the race's surfaces and optimizer slots,
//               the languages. Generated, so Python cannot drift from JS.
//
//   node scripts/build-widget.mjs       (after ./scripts/build.sh)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleApp, inlineCss } from './single-file.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'python/js/widget.js');
const OUT = path.join(ROOT, 'python/trainlab/static');

const demoFiles = (source, prefix) =>
  [...source.matchAll(new RegExp(`import \\* as \\w+ from "${prefix}([\\w-]+)\\.js"`, 'g'))].map((m) => m[1]);

/** The app's demos; the widget must list exactly these. */
function checkDemoList() {
  const app = demoFiles(readFileSync(path.join(ROOT, 'www/app.js'), 'utf8'), '\\./demos/');
  const widget = demoFiles(readFileSync(ENTRY, 'utf8'), '\\.\\./\\.\\./www/demos/');
  if (app.length === 0 || app.join() !== widget.join()) {
    throw new Error(`python/js/widget.js imports the demos ${widget.join(', ')} but www/app.js lists ${app.join(', ')}: make them the same`);
  }
  return app;
}

/** A parameter table as JSON: defaults that are functions of other values are left out. */
function tableJson(params) {
  const out = {};
  for (const [name, spec] of Object.entries(params)) {
    const entry = { type: spec.type };
    for (const key of ['values', 'min', 'max', 'integer', 'maxLength']) if (spec[key] !== undefined) entry[key] = spec[key];
    if (spec.default !== undefined && typeof spec.default !== 'function') entry.default = spec.default;
    out[name] = entry;
  }
  return out;
}

async function names(files) {
  const demos = {};
  for (const file of files) {
    const demo = await import(pathToFileURL(path.join(ROOT, `www/demos/${file}.js`)).href);
    demos[demo.id] = { params: tableJson(demo.params) };
  }
  const raceView = await import(pathToFileURL(path.join(ROOT, 'www/ui/race-view.js')).href);
  const race = await import(pathToFileURL(path.join(ROOT, 'www/demos/race.js')).href);
  const { LANGUAGES } = await import(pathToFileURL(path.join(ROOT, 'www/i18n/index.js')).href);
  return {
    demos,
    // The typed-expression surface needs an expression: the Race class takes the named ones.
    surfaces: raceView.SURFACES.filter((s) => s !== 'custom'),
    optimizers: race.spec.slots.map((s) => s.id),
    languages: Object.keys(LANGUAGES),
  };
}

function widgetModule() {
  // No page of the app goes with the widget: share links in downloads are the hash alone.
  const overrides = new Map([[path.join(ROOT, 'www/app-page.js'), 'export const APP_PAGE = null;\n']]);
  const { script } = bundleApp(ENTRY, { overrides });
  // Post-order: the entry module is the last one bundled.
  const ids = [...script.matchAll(/^const (__m\d+) = \(\(\) => \{$/gm)].map((m) => m[1]);
  const entry = ids.at(-1);
  const css = inlineCss(path.join(ROOT, 'www/style.css'))
    // In the view's shadow root the page's :root and body are the host.
    .replace(/:root\s*\{/g, ':host {')
    .replace(/(^|\})\s*body\s*\{/gm, '$1 .trainlab-body {');
  return [
    '// trainlab notebook widget, the bundle (scripts/build-widget.mjs); the sources are in the repository.',
    '// Evaluated once per page by the loader (static/widget.js); counted so tests can check that.',
    'const EVALUATIONS = Symbol.for("trainlab.bundleEvaluations");',
    'globalThis[EVALUATIONS] = (globalThis[EVALUATIONS] ?? 0) + 1;',
    `export const CSS = ${JSON.stringify(css)};`,
    '// Each view gets its own module instances (engine, language).',
    'export function instance() {',
    script,
    `return ${entry};`,
    '}',
    '',
  ].join('\n');
}

/**
 * The module anywidget evaluates for every model: a few lines, so it loads
 * well inside anywidget's 2 s. The bundle's text comes in the model's
 * `_bundle` trait; it is imported from a blob: URL (as anywidget imports
 * `_esm` itself) once per page and version, and the promise is kept on
 * globalThis, where every model's copy of this loader finds it.
 */
function loaderModule(version) {
  return `// trainlab notebook widget, the loader (scripts/build-widget.mjs); the sources are in the repository.
const VERSION = ${JSON.stringify(version)};
const BUNDLES = Symbol.for("trainlab.bundles");

/** The bundle module of this version, imported at most once per page. */
function bundle(model) {
  const bundles = (globalThis[BUNDLES] ??= new Map());
  let loading = bundles.get(VERSION);
  if (!loading) {
    const code = model.get("_bundle");
    if (typeof code !== "string" || !code) return Promise.reject(new Error("trainlab: the widget's model has no _bundle"));
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    loading = import(/* webpackIgnore: true */ url).finally(() => URL.revokeObjectURL(url));
    // A failed import is not kept: the next view tries again.
    loading.catch(() => bundles.delete(VERSION));
    bundles.set(VERSION, loading);
  }
  return loading;
}

export default {
  async render({ model, el }) {
    // The kernel's messages that arrive while the bundle loads are kept for the view.
    const inbox = [];
    const keep = (msg) => inbox.push(msg);
    model.on("msg:custom", keep);
    try {
      const { instance, CSS } = await bundle(model);
      // mountWidget listens itself before it returns its promise.
      return instance().mountWidget({ model, el, css: CSS, inbox });
    } finally {
      model.off("msg:custom", keep);
    }
  },
};
`;
}

async function main() {
  const files = checkDemoList();
  mkdirSync(OUT, { recursive: true });
  const module = widgetModule();
  const version = createHash('sha256').update(module).digest('hex').slice(0, 16);
  const loader = loaderModule(version);
  writeFileSync(path.join(OUT, 'bundle.js'), module);
  writeFileSync(path.join(OUT, 'widget.js'), loader);
  writeFileSync(path.join(OUT, 'names.json'), `${JSON.stringify(await names(files), null, 1)}\n`);
  console.log(`widget: python/trainlab/static/widget.js ${Buffer.byteLength(loader)} bytes (loader), bundle.js ${Buffer.byteLength(module)} bytes (version ${version}); names.json`);
}

main().catch((error) => {
  console.error(`build-widget: ${error.message}`);
  process.exit(1);
});
