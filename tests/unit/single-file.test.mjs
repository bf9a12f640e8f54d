// The single-file bundler (scripts/single-file.mjs) on small module graphs
// written for each test: the bundle computes what the modules compute
// (named, default, namespace and re-exported bindings, evaluation order),
// inlines files and workers, and refuses what it cannot keep equivalent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { bundleApp, inlineCss, SINGLE_FILE_OVERRIDES } from '../../scripts/single-file.mjs';

const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Writes `files` ({relative path: text or bytes}) into a fresh directory; returns its path. */
function project(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trainlab-bundle-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Runs a page bundle as a module would run and returns what it left in `out`. */
function run(script) {
  const context = { out: {}, URL, TextEncoder, btoa, console };
  vm.runInNewContext(`"use strict";\n${script}`, context);
  // Plain copies: the context's arrays have that realm's prototypes.
  return JSON.parse(JSON.stringify(context.out));
}

test('named, default, namespace and re-exported bindings, each module evaluated once, dependencies first', () => {
  const dir = project({
    'main.js': `
      import { double, LIMIT as max } from "./lib/math.js";
      import greet, * as text from "./lib/text.js";
      import { shout } from "./lib/again.js";
      out.log = out.log ?? [];
      out.log.push("main");
      out.values = [double(max), greet("ada"), text.upper("b"), Object.keys(text).sort().join(), shout("hi")];
      out.classy = new text.Box(3).value;
    `,
    'lib/math.js': `
      out.log = out.log ?? [];
      out.log.push("math");
      export const LIMIT = 21;
      export function double(x) { return 2 * x; }
    `,
    'lib/text.js': `
      import { double } from "./math.js";
      out.log.push("text");
      export default function greet(name) { return "hello " + name; }
      export class Box { constructor(v) { this.value = double(v); } }
      const upper = (s) => s.toUpperCase();
      export { upper };
    `,
    'lib/again.js': `
      export { upper as shout } from "./text.js";
    `,
  });
  const { script, assets, workers } = bundleApp(path.join(dir, 'main.js'));
  assert.doesNotMatch(script, /^\s*(import|export)\b/m, 'no import or export is left');
  assert.deepEqual([assets, workers], [0, 0]);
  const out = run(script);
  assert.deepEqual(out.log, ['math', 'text', 'main']);
  assert.deepEqual(out.values, [42, 'hello ada', 'B', 'Box,default,upper', 'HI']);
  assert.equal(out.classy, 6);
});

test('files named by new URL(…, import.meta.url) become data: URLs; a .js file in workers/ becomes a worker with its own bundle', () => {
  const dir = project({
    'app/main.js': `
      const table = new URL("../assets/table.bin", import.meta.url);
      const again = new URL(\`../assets/table.bin\`, import.meta.url);
      out.table = table.href;
      out.same = again.href === table.href;
      out.worker = new URL("./workers/job.js", import.meta.url).href;
    `,
    'app/workers/job.js': `
      import { total } from "../sum.js";
      const bytes = new URL("../../assets/table.bin", import.meta.url);
      self.postMessage({ total: total([1, 2, 3]), file: bytes.href.slice(0, 37) });
    `,
    'app/sum.js': 'export const total = (xs) => xs.reduce((a, b) => a + b, 0);',
    'assets/table.bin': Buffer.from([0, 1, 2, 250]),
  });
  const { script, assets, workers } = bundleApp(path.join(dir, 'app/main.js'));
  assert.deepEqual([assets, workers], [1, 1], 'the shared file is inlined once');
  const out = run(script);
  assert.equal(out.table, `data:application/octet-stream;base64,${Buffer.from([0, 1, 2, 250]).toString('base64')}`);
  assert.ok(out.same);
  assert.match(out.worker, /^data:text\/javascript;base64,/);
  const source = Buffer.from(out.worker.split(',')[1], 'base64').toString('utf8');
  const posted = [];
  vm.runInNewContext(`"use strict";\n${source}`, { self: { postMessage: (m) => posted.push(m) }, URL });
  assert.deepEqual(JSON.parse(JSON.stringify(posted)), [{ total: 6, file: 'data:application/octet-stream;base64,' }]);
});

test('the page stands for the file itself, other scripts keep their place, overridden modules are swapped', () => {
  const dir = project({
    'index.html': '<!doctype html>',
    'www/app.js': `
      import { SINGLE_FILE } from "./build-info.js";
      out.single = SINGLE_FILE;
      out.page = new URL("../index.html", import.meta.url).href;
      out.loader = new URL("./embed.js", import.meta.url).href;
    `,
    'www/build-info.js': 'export const SINGLE_FILE = false;',
    'www/embed.js': '/* a classic script for course pages */',
  });
  const overrides = new Map(Object.entries(SINGLE_FILE_OVERRIDES).map(([file, source]) => [path.join(dir, file), source]));
  const { script, assets } = bundleApp(path.join(dir, 'www/app.js'), { page: path.join(dir, 'index.html'), overrides });
  assert.equal(assets, 0, 'neither the page nor the script is inlined');
  const context = { out: {}, URL, location: { href: 'file:///course/trainlab.html?x=1#race?lr=0.1' } };
  vm.runInNewContext(`"use strict";\n${script}`, context);
  assert.deepEqual(JSON.parse(JSON.stringify(context.out)), {
    single: true,
    page: 'file:///course/trainlab.html',
    loader: 'file:///course/www/embed.js',
  });
});

test('what the bundle cannot keep equivalent is refused, naming the file and line', () => {
  const cases = [
    [{ 'main.js': 'import "./a.js";', 'a.js': 'import "./b.js";', 'b.js': 'import "./a.js";' }, /import cycle: .*a\.js -> .*b\.js -> .*a\.js/],
    [{ 'main.js': 'export let count = 0;' }, /main\.js:1: 'export let' is a live binding/],
    [{ 'main.js': '\nconst m = await import("./a.js");', 'a.js': '' }, /main\.js:2: dynamic import\(\)/],
    [{ 'main.js': 'const x = await Promise.resolve(1);' }, /main\.js:1: top-level await/],
    [{ 'main.js': 'export * from "./a.js";', 'a.js': '' }, /'export \* from' is not supported/],
    [{ 'main.js': 'const here = import.meta.url;' }, /main\.js:1: import\.meta is only bundled inside new URL/],
    [{ 'main.js': 'fetch("www/assets/photo.png");' }, /main\.js:1: "www\/assets\/photo\.png" names a file in assets\//],
    [{ 'main.js': 'const name = "x.png"; new URL(name, import.meta.url);' }, /needs a constant path/],
    [{ 'main.js': 'new URL("./missing.png", import.meta.url);' }, /no such file/],
    [{ 'main.js': 'import { nope } from "./a.js";', 'a.js': 'export const yes = 1;' }, /'nope' is not exported by/],
    [{ 'main.js': 'import x from "left-pad";' }, /only relative paths/],
  ];
  for (const [files, message] of cases) {
    const dir = project(files);
    assert.throws(() => bundleApp(path.join(dir, 'main.js')), message);
  }
  // Awaiting inside a function is fine.
  const dir = project({ 'main.js': 'async function f() { await 1; for await (const x of []) {} }\nout.ok = typeof f;' });
  assert.equal(run(bundleApp(path.join(dir, 'main.js')).script).ok, 'function');
});

test('stylesheets: @imports inlined in place, url() files as data: URLs', () => {
  const dir = project({
    'style.css': '@import url("parts/a.css");\nbody { color: red; }\n',
    'parts/a.css': '@import "b.css";\n.a { background: url("../dot.png"); }\n.b { background: url(data:,x); }\n',
    'parts/b.css': '.b { margin: 0; }\n',
    'dot.png': Buffer.from([137, 80, 78, 71]),
  });
  assert.equal(inlineCss(path.join(dir, 'style.css')),
    '.b { margin: 0; }\n\n.a { background: url("data:image/png;base64,iVBORw=="); }\n.b { background: url(data:,x); }\n\nbody { color: red; }\n');
});

test('a bundle run twice in one page (the notebook widget runs it per view) wraps Worker once: each worker gets its big files in one message', () => {
  const big = Buffer.alloc(300 * 1024, 7);
  const dir = project({
    'app/main.js': `
      const url = new URL("./workers/job.js", import.meta.url);
      out.workers = out.workers ?? [];
      out.workers.push(new Worker(url, { type: "module" }));
    `,
    'app/workers/job.js': `
      const table = new URL("../../assets/big.bin", import.meta.url);
      self.postMessage(table.href.length);
    `,
    'assets/big.bin': big,
  });
  const { script } = bundleApp(path.join(dir, 'app/main.js'));
  /** A stand-in for the browser's Worker: it records what the page posts to it. */
  class FakeWorker {
    constructor(url) {
      this.url = String(url);
      this.posted = [];
    }
    postMessage(data) { this.posted.push(data); }
  }
  const context = { out: {}, URL, TextEncoder, btoa, console, Symbol, Worker: FakeWorker };
  vm.createContext(context);
  // Each run in its own function scope, as the widget's factory runs it.
  for (let run = 0; run < 3; run++) vm.runInContext(`"use strict";\n(() => {\n${script}\n})();`, context);
  assert.equal(Object.getPrototypeOf(context.Worker), FakeWorker, 'Worker is wrapped once, not once per run');
  assert.equal(context.out.workers.length, 3);
  const expected = `data:application/octet-stream;base64,${big.toString('base64')}`;
  for (const worker of context.out.workers) {
    assert.equal(worker.posted.length, 1, 'one message with the big files per worker');
    assert.deepEqual(Object.values(worker.posted[0].__trainlabAssets), [expected]);
  }
  // A worker the bundle did not make gets nothing.
  assert.deepEqual(new context.Worker('data:text/javascript,0').posted, []);
});
