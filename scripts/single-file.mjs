#!/usr/bin/env node
// Writes the whole app as one self-contained HTML file, dist/trainlab.html,
// for a learning-management system or a USB stick: opened from disk
// (file://) it needs no server and no network.
//
//   node scripts/single-file.mjs [--out dist/trainlab.html]
//   (./scripts/build.sh --single-file builds the wasm first, then runs this)
//
// What goes in:
//   - the stylesheet of index.html with its @imports, in one <style>;
//   - the ES modules from www/app.js down, bundled into one inline module
//     script (each module becomes a function scope; imports read the
//     namespace of a module evaluated before it);
//   - every file a module names as `new URL("<relative path>", import.meta.url)`
//     (the wasm, the photos, any file under www/assets/) as a data: URL;
//     a .js file under a workers/ folder named that way is a worker's entry:
//     it is bundled on its own and started from a data: URL made at run time;
//     the page itself (index.html) stands for the file's own address, and
//     any other script keeps its place relative to the page (it is not in
//     the file: the app does not load it there, see www/build-info.js);
//   - a Content-Security-Policy with the hashes of the one script and the
//     one style instead of 'unsafe-inline', 'wasm-unsafe-eval' for the
//     engine, data: for the inlined files and the workers.
//
// The bundler knows the ES module forms this code base uses and refuses,
// naming file and line, what it cannot keep equivalent: import cycles,
// `export let`/`var` (live bindings), dynamic import(), top-level await,
// `export *`, other uses of import.meta, and paths into assets/ written
// any other way (they would fail in the file only).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as acorn from 'acorn';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME = {
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.gz': 'application/gzip',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.bin': 'application/octet-stream',
};
/**
 * The start of a worker's script in the one file when some of its files come
 * by message (see __workerUrl): take them, hold other messages until the
 * worker's own code has registered its listeners, then replay them.
 */
const WORKER_WAIT = `const __early = [];
await new Promise((resolve) => {
  const take = (event) => {
    event.stopImmediatePropagation();
    if (event.data && event.data.__trainlabAssets) {
      Object.assign(__assets, event.data.__trainlabAssets);
      self.removeEventListener("message", take);
      resolve();
    } else {
      __early.push(event.data);
    }
  };
  self.addEventListener("message", take);
});
const __replay = () => { for (const data of __early.splice(0)) self.dispatchEvent(new MessageEvent("message", { data })); };`;

/** Worker entries live in a workers/ folder; other scripts stay beside the page. */
const WORKER_ENTRY = /[\\/]workers[\\/][^\\/]+\.m?js$/;
/** Modules the one file replaces: their path (from the root) and their source there. */
export const SINGLE_FILE_OVERRIDES = { 'www/build-info.js': 'export const SINGLE_FILE = true;\n' };

/** An error that names the file and line it is about. */
class BundleError extends Error {}

function fail(file, source, position, message) {
  const line = source ? source.slice(0, position).split('\n').length : 0;
  throw new BundleError(`${path.relative(ROOT, file)}${line ? `:${line}` : ''}: ${message}`);
}

/** A data: URL of `file`, typed by its extension. */
export function dataUrl(file) {
  const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return `data:${type};base64,${readFileSync(file).toString('base64')}`;
}

/** Calls `visit(node, parent)` on every node under `node`, depth first. */
function walk(node, visit, parent = null) {
  visit(node, parent);
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') walk(item, visit, node);
    } else if (value && typeof value.type === 'string' && key !== 'parent') {
      walk(value, visit, node);
    }
  }
}

/** The names a declaration (`const {a, b: [c]} = …`, `function f`, `class C`) binds. */
function declaredNames(declaration) {
  if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') return [declaration.id.name];
  const names = [];
  const collect = (pattern) => {
    if (!pattern) return;
    if (pattern.type === 'Identifier') names.push(pattern.name);
    else if (pattern.type === 'ObjectPattern') for (const p of pattern.properties) collect(p.type === 'RestElement' ? p.argument : p.value);
    else if (pattern.type === 'ArrayPattern') for (const p of pattern.elements) collect(p);
    else if (pattern.type === 'RestElement') collect(pattern.argument);
    else if (pattern.type === 'AssignmentPattern') collect(pattern.left);
  };
  for (const d of declaration.declarations) collect(d.id);
  return names;
}

/** The string a literal or an expression-free template literal holds, else null. */
function constantString(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const isImportMetaUrl = (node) => node?.type === 'MemberExpression' && !node.computed
  && node.object.type === 'MetaProperty' && node.object.meta.name === 'import'
  && node.property.name === 'url';

/**
 * Bundles the module graph under `entry` into one script with no import or
 * export. Files named by `new URL(path, import.meta.url)` are handed to
 * `onFile(absolutePath)`, which returns the JS expression that replaces the
 * whole `new URL(…)` (an asset's or a worker's data: URL).
 */
export function bundleModules(entry, { onFile, overrides = new Map() }) {
  const modules = new Map(); // absolute path -> { id, code, deps }
  const visiting = [];

  function load(file) {
    if (modules.has(file)) return modules.get(file);
    if (visiting.includes(file)) {
      const cycle = [...visiting.slice(visiting.indexOf(file)), file].map((f) => path.relative(ROOT, f));
      throw new BundleError(`import cycle: ${cycle.join(' -> ')} (the bundle evaluates each module once, before its importers)`);
    }
    visiting.push(file);
    let source;
    try {
      source = overrides.get(file) ?? readFileSync(file, 'utf8');
    } catch {
      throw new BundleError(`${path.relative(ROOT, file)}: cannot read this module`);
    }
    let ast;
    try {
      ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
    } catch (error) {
      fail(file, source, error.pos ?? 0, `does not parse: ${error.message}`);
    }
    const edits = []; // [start, end, replacement]
    const header = [];
    const exports = new Map(); // exported name -> JS expression giving its value
    const deps = [];
    const dependency = (specifier, node) => {
      if (!/^\.{1,2}\//.test(specifier)) fail(file, source, node.start, `import of '${specifier}': only relative paths can be bundled`);
      const dep = load(path.resolve(path.dirname(file), specifier));
      deps.push(dep.id);
      return dep;
    };

    for (const node of ast.body) {
      if (node.type === 'ImportDeclaration') {
        const dep = dependency(node.source.value, node);
        const named = [];
        for (const s of node.specifiers) {
          if (s.type === 'ImportNamespaceSpecifier') header.push(`const ${s.local.name} = ${dep.id};`);
          else if (s.type === 'ImportDefaultSpecifier') header.push(`const ${s.local.name} = ${dep.id}.default;`);
          else {
            const imported = s.imported.type === 'Literal' ? s.imported.value : s.imported.name;
            if (!dep.names.has(imported)) fail(file, source, s.start, `'${imported}' is not exported by ${path.relative(ROOT, dep.file)}`);
            named.push(imported === s.local.name ? imported : `${JSON.stringify(imported)}: ${s.local.name}`);
          }
        }
        if (named.length) header.push(`const { ${named.join(', ')} } = ${dep.id};`);
        edits.push([node.start, node.end, '']);
      } else if (node.type === 'ExportNamedDeclaration') {
        if (node.declaration) {
          if (node.declaration.type === 'VariableDeclaration' && node.declaration.kind !== 'const') {
            fail(file, source, node.start, `'export ${node.declaration.kind}' is a live binding the bundle cannot keep: export a const or a function`);
          }
          for (const name of declaredNames(node.declaration)) exports.set(name, name);
          edits.push([node.start, node.declaration.start, '']);
        } else {
          const dep = node.source ? dependency(node.source.value, node) : null;
          for (const s of node.specifiers) {
            const local = s.local.type === 'Literal' ? s.local.value : s.local.name;
            const exported = s.exported.type === 'Literal' ? s.exported.value : s.exported.name;
            exports.set(exported, dep ? `${dep.id}[${JSON.stringify(local)}]` : local);
          }
          edits.push([node.start, node.end, '']);
        }
      } else if (node.type === 'ExportDefaultDeclaration') {
        const d = node.declaration;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
          exports.set('default', d.id.name);
          edits.push([node.start, d.start, '']);
        } else {
          exports.set('default', '__default');
          edits.push([node.start, d.start, 'const __default = ']);
          if (!source.slice(node.start, node.end).trimEnd().endsWith(';')) edits.push([node.end, node.end, ';']);
        }
      } else if (node.type === 'ExportAllDeclaration') {
        fail(file, source, node.start, "'export * from' is not supported: name the exports");
      }
    }

    walk(ast, (node, parent) => {
      if (node.type === 'ImportExpression') fail(file, source, node.start, 'dynamic import() cannot be bundled');
      if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'URL'
        && node.arguments.length === 2 && isImportMetaUrl(node.arguments[1])) {
        const relative = constantString(node.arguments[0]);
        if (relative === null) fail(file, source, node.start, 'new URL(…, import.meta.url) needs a constant path to be bundled');
        const target = path.resolve(path.dirname(file), relative);
        try {
          statSync(target);
        } catch {
          fail(file, source, node.start, `new URL("${relative}", import.meta.url): no such file ${path.relative(ROOT, target)}`);
        }
        edits.push([node.start, node.end, onFile(target)]);
        node.arguments[1].handled = true;
      }
      if (node.type === 'MetaProperty' && !(parent?.handled)) {
        fail(file, source, node.start, 'import.meta is only bundled inside new URL("<path>", import.meta.url)');
      }
      const text = constantString(node);
      if (text !== null && /(^|[/"'])assets\/[^\s]/.test(text) && !(parent?.type === 'NewExpression' && parent.callee.name === 'URL')) {
        fail(file, source, node.start, `"${text}" names a file in assets/ that the single file cannot see: write new URL("<path>", import.meta.url)`);
      }
    });
    walk(ast, (node) => {
      if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) {
        // Only a top-level await is a problem: walk() does not tell scopes, so check the ancestors' types.
        if (isTopLevel(ast, node)) fail(file, source, node.start, 'top-level await cannot be bundled');
      }
    });

    edits.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let body = source;
    for (const [start, end, text] of edits) body = body.slice(0, start) + text + body.slice(end);
    const getters = [...exports].map(([name, expr]) => `get ${JSON.stringify(name)}() { return ${expr}; }`);
    const id = `__m${modules.size}`;
    const module = {
      id,
      file,
      names: new Set(exports.keys()),
      deps,
      code: `// ${path.relative(ROOT, file)}\nconst ${id} = (() => {\n${header.join('\n')}\n${body}\nreturn Object.freeze({ __proto__: null, ${getters.join(', ')} });\n})();\n`,
    };
    visiting.pop();
    modules.set(file, module);
    return module;
  }

  load(path.resolve(entry));
  // Insertion order is post-order: every module comes after what it imports.
  return [...modules.values()].map((m) => m.code).join('\n');
}

/** Whether `target` sits in the module's top level, outside every function. */
function isTopLevel(ast, target) {
  let found = false;
  const visit = (node, inFunction) => {
    if (found) return;
    if (node === target) {
      found = !inFunction;
      return;
    }
    const entersFunction = inFunction || /Function/.test(node.type);
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) for (const item of value) { if (item && typeof item.type === 'string') visit(item, entersFunction); }
      else if (value && typeof value.type === 'string') visit(value, entersFunction);
    }
  };
  visit(ast, false);
  return found;
}

/**
 * The page's script: assets once, worker sources as strings started from
 * data: URLs, then the page's modules.
 */
export function bundleApp(entry, { page: pageFile = null, overrides = new Map() } = {}) {
  const assets = [];
  const assetIndex = new Map();
  const asset = (file) => {
    if (!assetIndex.has(file)) {
      assetIndex.set(file, assets.length);
      assets.push(dataUrl(file));
    }
    return assetIndex.get(file);
  };
  const workers = [];
  const workerIndex = new Map();

  /** Bundles a worker entry on its own; its assets are handed over by index. */
  const worker = (file) => {
    if (!workerIndex.has(file)) {
      workerIndex.set(file, workers.length);
      workers.push(null);
      const used = new Set();
      const code = bundleModules(file, {
        overrides,
        onFile(target) {
          if (WORKER_ENTRY.test(target)) throw new BundleError(`${path.relative(ROOT, file)}: a worker that starts workers is not supported`);
          const k = asset(target);
          used.add(k);
          return `new URL(__assets[${k}])`;
        },
      });
      workers[workerIndex.get(file)] = { code, assets: [...used] };
    }
    return workerIndex.get(file);
  };

  const page = bundleModules(entry, {
    overrides,
    onFile(target) {
      if (WORKER_ENTRY.test(target)) return `new URL(__workerUrl(${worker(target)}))`;
      // The app's page is the file itself: its address without query and hash.
      if (pageFile && target === pageFile) return 'new URL(location.href.replace(/[?#].*$/, ""))';
      if (/\.(m?js|html?)$/.test(target)) {
        if (!pageFile) throw new BundleError(`${path.relative(ROOT, target)}: a page or script URL needs the page the bundle goes into`);
        const relative = path.relative(path.dirname(pageFile), target).split(path.sep).join('/');
        return `new URL(${JSON.stringify(relative)}, location.href)`;
      }
      return `new URL(__assets[${asset(target)}])`;
    },
  });

  const prelude = [
    '// trainlab as one file (scripts/single-file.mjs); the sources are in the repository.',
    `const __assets = ${JSON.stringify(assets)};`,
  ];
  if (workers.length) {
    prelude.push(
      `const __workers = ${JSON.stringify(workers)};`,
      'const __workerUrls = [];',
      '/**',
      ' * A data: URL of worker `i`: the files it needs, then its bundled modules.',
      ' * Not a blob: URL: a page opened from disk has an opaque origin, and',
      ' * browsers refuse module workers from its blob: URLs (a CORS fetch).',
      ' * Browsers cap a URL near 2 MB, so files over 256 KB (the wasm, the digits)',
      ' * are not written into it: the worker waits for them in its first message,',
      ' * keeps any request that arrives meanwhile, and replays it once its code has',
      ' * set up its listeners. `Worker` posts them as it starts one of ours.',
      ' * This script may run more than once in a page (the notebook widget runs it',
      ' * per view): `Worker` is wrapped once, and it looks the URL up in one',
      ' * page-wide table that every run adds its workers\' big files to.',
      ' */',
      'const __BIG = 256 * 1024;',
      'const __bigFiles = typeof Worker === "function" ? (globalThis[Symbol.for("trainlab.workerFiles")] ??= (() => {',
      '  const table = new Map();',
      '  const NativeWorker = Worker;',
      '  globalThis.Worker = class extends NativeWorker {',
      '    constructor(url, options) {',
      '      super(url, options);',
      '      const big = table.get(String(url));',
      '      if (big) this.postMessage({ __trainlabAssets: big });',
      '    }',
      '  };',
      '  return table;',
      '})()) : new Map();',
      'function __workerUrl(i) {',
      '  if (!__workerUrls[i]) {',
      '    const { code, assets } = __workers[i];',
      '    const given = assets.filter((k) => __assets[k].length <= __BIG).map((k) => `__assets[${k}] = ${JSON.stringify(__assets[k])};`).join("\\n");',
      '    const big = {};',
      '    for (const k of assets) if (__assets[k].length > __BIG) big[k] = __assets[k];',
      '    const wait = Object.keys(big).length ? __WORKER_WAIT : "const __replay = () => {};";',
      '    const bytes = new TextEncoder().encode(`const __assets = [];\\n${given}\\n${wait}\\n${code}\\n__replay();`);',
      '    let binary = "";',
      '    for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));',
      '    __workerUrls[i] = `data:text/javascript;base64,${btoa(binary)}`;',
      '    // The same code gives the same URL and the same files in every run of this script.',
      '    if (Object.keys(big).length && !__bigFiles.has(__workerUrls[i])) __bigFiles.set(__workerUrls[i], big);',
      '  }',
      '  return __workerUrls[i];',
      '}',
      `const __WORKER_WAIT = ${JSON.stringify(WORKER_WAIT)};`,
    );
  }
  return { script: `${prelude.join('\n')}\n${page}`, assets: assets.length, workers: workers.length };
}

/** The stylesheet with every @import inlined and url(…) files as data: URLs. */
export function inlineCss(file, seen = new Set()) {
  if (seen.has(file)) throw new BundleError(`${path.relative(ROOT, file)}: @import cycle`);
  seen.add(file);
  const css = readFileSync(file, 'utf8');
  return css
    .replace(/@import\s+(?:url\(\s*)?["']([^"']+)["']\s*\)?\s*;/g, (whole, href) => inlineCss(path.resolve(path.dirname(file), href), seen))
    .replace(/url\(\s*(["']?)([^"')]+)\1\s*\)/g, (whole, quote, href) =>
      (/^(data:|#)/.test(href) ? whole : `url("${dataUrl(path.resolve(path.dirname(file), href))}")`));
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Inline text must not close its element early or open a comment the parser treats specially. */
function safeInline(text, tag) {
  // HTML turns CR LF into LF before hashing; so does JS inside template literals.
  text = text.replace(/\r\n?/g, '\n');
  if (/<!--/.test(text)) throw new BundleError(`the inline ${tag} holds "<!--", which HTML parses specially`);
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

/** The single-file page from index.html: one style, one script, a CSP of hashes. */
export function buildSingleFile({ root = ROOT, html = 'index.html' } = {}) {
  const indexPath = path.join(root, html);
  let page = readFileSync(indexPath, 'utf8');
  const take = (pattern, what) => {
    const found = page.match(pattern);
    if (!found) throw new BundleError(`${html}: no ${what}`);
    return found;
  };
  const [styleTag, styleHref] = take(/<link rel="stylesheet" href="([^"]+)">/, 'stylesheet link');
  const [scriptTag, scriptSrc] = take(/<script type="module" src="([^"]+)"><\/script>/, 'module script');
  take(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, 'Content-Security-Policy');

  // The style's text is hashed exactly as it stands between the tags.
  const css = safeInline(inlineCss(path.join(root, styleHref)), 'style');
  const overrides = new Map(Object.entries(SINGLE_FILE_OVERRIDES).map(([file, source]) => [path.join(root, file), source]));
  const { script: bundled, assets, workers } = bundleApp(path.join(root, scriptSrc), { page: indexPath, overrides });
  const script = safeInline(bundled, 'script');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(css)}`,
    'img-src data: blob:',
    // The inlined files are fetched as data: URLs (the wasm, the photos);
    // workers start from data: URLs.
    'connect-src data:',
    'worker-src data:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  page = page
    .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`)
    .replace(styleTag, () => `<style>${css}</style>`)
    .replace(scriptTag, () => `<script type="module">${script}</script>`);
  return { html: page, assets, workers, csp };
}

function main(argv) {
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? argv[outIndex + 1] : path.join(ROOT, 'dist/trainlab.html'));
  const { html, assets, workers } = buildSingleFile();
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  const raw = Buffer.byteLength(html);
  const gzipped = gzipSync(html, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`single file: ${path.relative(process.cwd(), out)}  ${raw} bytes (${kb(raw)}), ${gzipped} gzipped (${kb(gzipped)}); ${assets} inlined files, ${workers} workers`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    console.error(`single file: ${error.message}`);
    process.exit(1);
  }
}
