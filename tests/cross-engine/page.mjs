// Page-side helpers for the cross-engine suite: functions sent to the
// browser through WebDriver (so they must not close over anything), and
// the small steps every check is made of.

/** Records uncaught errors, rejections and console.error in the page. */
function recordErrors() {
  if (window.__trainlabErrors) return;
  const errors = [];
  window.__trainlabErrors = errors;
  window.__trainlabLoad = location.search;
  window.addEventListener('error', (event) => errors.push(`uncaught: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => errors.push(`unhandled rejection: ${event.reason}`));
  const original = console.error;
  console.error = (...args) => {
    errors.push(`console.error: ${args.map(String).join(' ')}`);
    original.apply(console, args);
  };
}

/** True once the app says it is ready and the demo has nothing loading. */
function appReady() {
  // An error while loading will not go away by waiting.
  const errors = window.__trainlabErrors;
  if (errors && errors.length) return `error: ${errors.join('; ')}`;
  const body = document.body;
  if (!body || body.dataset.ready === 'error') return body ? `error: ${document.querySelector('#notices')?.textContent}` : false;
  if (body.dataset.ready !== '1') return false;
  return !document.querySelector('main [data-state="loading"]') && document.querySelector('main h2') !== null;
}

/**
 * A summary of the demo's canvases: for the largest, how many distinct
 * colours it shows (1 = blank); for all, one checksum of their pixels.
 */
function canvasSummary() {
  const canvases = [...document.querySelectorAll('main canvas')].filter(
    (canvas) => canvas.width > 0 && canvas.height > 0 && canvas.getClientRects().length > 0,
  );
  if (!canvases.length) return { count: 0, largestColours: 0, digest: '', text: 0 };
  let largest = canvases[0];
  for (const canvas of canvases) if (canvas.width * canvas.height > largest.width * largest.height) largest = canvas;
  let digest = 0;
  let largestColours = 0;
  for (const canvas of canvases) {
    const data = ((f) => { f.width = canvas.width; f.height = canvas.height; const g = f.getContext('2d'); g.drawImage(canvas, 0, 0); return g.getImageData(0, 0, f.width, f.height); })(document.createElement('canvas')).data;
    if (canvas === largest) {
      const colours = new Set();
      for (let i = 0; i < data.length && colours.size < 16; i += 4 * 97) {
        colours.add((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]);
      }
      largestColours = colours.size;
    }
    for (let i = 0; i < data.length; i += 7) digest = (digest * 31 + data[i]) % 1_000_000_007;
  }
  // What the demo says counts too: a demo may draw nothing before it plays
  // but print its starting loss.
  let text = 0;
  for (const char of document.querySelector('main').textContent) text = (text * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return { count: canvases.length, largestColours, digest: `${canvases.length}:${digest}`, text };
}

/** The largest "step N" the demo shows (English), or -1. */
function stepCounter() {
  let best = -1;
  const main = document.querySelector('main');
  if (!main) return best;
  // Text node by text node: textContent would glue "sgd" and "step 3".
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/(?:^|[^\p{L}])step (\d+)/gu)) best = Math.max(best, Number(match[1]));
  }
  return best;
}

/** The button in the demo whose accessible name is `name`, or null. */
function buttonNamed(name) {
  for (const button of document.querySelectorAll('main button')) {
    const label = (button.getAttribute('aria-label') ?? button.textContent).trim();
    if (label === name && !button.disabled && button.getClientRects().length > 0) return button;
  }
  return null;
}

/** Resolves after `n` animation frames: the page has drawn at least that often. */
function afterFrames(n) {
  return new Promise((resolve) => {
    const next = (left) => (left === 0 ? resolve(true) : requestAnimationFrame(() => next(left - 1)));
    next(n);
  });
}

/**
 * Source of an async page script: the canvas summary once the picture has
 * settled (unchanged over a few frames), or once it is not blank if
 * `settle` is false. Resolves to false while blank.
 */
export function pictureScript({ settle = true } = {}) {
  return `
    const summary = ${canvasSummary};
    const frames = (n) => new Promise((resolve) => {
      const next = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
      next(n);
    });
    let now = summary();
    if (now.largestColours <= 1) return false;
    if (!${settle}) return now;
    for (let round = 0; round < 50; round++) {
      await frames(4);
      const later = summary();
      if (later.digest === now.digest) return now;
      now = later;
    }
    return false;`;
}

/**
 * Keeps the files the page saves instead of letting the browser download
 * them (drivers differ in where, and whether, they save): every blob: URL
 * made is remembered, and a click on a link with `download` is stopped and
 * recorded as {name, blob}.
 */
function captureDownloads() {
  if (window.__downloads) return;
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    const url = create.call(URL, object);
    blobs.set(url, object);
    return url;
  };
  window.__downloads = [];
  document.addEventListener('click', (event) => {
    const link = event.target;
    if (link instanceof HTMLAnchorElement && link.hasAttribute('download')) {
      event.preventDefault();
      window.__downloads.push({ name: link.download, blob: blobs.get(link.href) ?? null });
    }
  }, true);
}

/**
 * What the captured file `index` holds, read in the page: {name, type,
 * size, png: {signature, width, height}} or {text} (CSV and JSON); false
 * while it has not arrived.
 */
async function readDownload(index) {
  const saved = window.__downloads[index];
  if (!saved) return false;
  if (!saved.blob) return { name: saved.name, missing: true };
  const bytes = new Uint8Array(await saved.blob.arrayBuffer());
  const out = { name: saved.name, type: saved.blob.type, size: bytes.length };
  if (saved.name.endsWith('.png')) {
    const view = new DataView(bytes.buffer);
    out.png = {
      signature: Array.from(bytes.subarray(0, 8)),
      chunk: String.fromCharCode(...bytes.subarray(12, 16)),
      width: view.getUint32(16),
      height: view.getUint32(20),
    };
  } else {
    out.text = new TextDecoder().decode(bytes);
  }
  return out;
}

export const inPage = { recordErrors, appReady, canvasSummary, stepCounter, buttonNamed, afterFrames, captureDownloads, readDownload };

let loadCounter = 0;

/**
 * Loads the app at `#hash` as a new document (a fresh query string each
 * time, so a hash alone never turns it into a same-document navigation),
 * and waits until it is ready.
 */
export async function openApp(session, baseUrl, hash) {
  loadCounter += 1;
  const search = `?load=${loadCounter}`;
  await session.navigate(`${baseUrl}index.html${search}#${hash}`);
  // Some drivers answer before the new document has replaced the old one.
  await session.waitFor(`the document ${search}`, (s) => location.search === s && document.readyState !== 'loading', [search]);
  await session.execute(recordErrors);
  const ready = await session.waitFor(`the app at #${hash} to be ready`, appReady, [], { timeoutMs: 90_000 });
  if (ready !== true) throw new Error(`the app at #${hash} failed: ${ready}`);
}

/** Errors the page recorded since openApp. */
export function pageErrors(session) {
  return session.execute(() =>
    window.__trainlabErrors && window.__trainlabLoad === location.search
      ? window.__trainlabErrors
      : [`the error recorder is missing in ${location.href}`]);
}

/** Clicks the demo's button named `name` with a real (WebDriver) click. */
export async function clickButton(session, name) {
  const button = await session.execute(buttonNamed, name);
  if (!button) throw new Error(`no enabled button named '${name}' in the demo`);
  await session.click(button);
}

/** Chooses `lang` in the site header's language menu, as a user would. */
export async function chooseLanguage(session, lang) {
  const option = await session.find(`#language option[value="${lang}"]`);
  if (!option) throw new Error(`the language menu has no '${lang}'`);
  await session.click(option);
  await session.waitFor(`<html lang="${lang}">`, (l) => document.documentElement.lang === l, [lang]);
}

/** The query of the current URL's hash, as [name, value] pairs. */
export function hashParams(session) {
  return session.execute(() => [...new URLSearchParams(location.hash.split('?')[1] ?? '')]);
}
