// Data augmentation previews: a photo (built-in or the student's own), the
// per-op controls with a live one-op preview, a grid of random samples of
// the whole pipeline with their drawn parameters, the crop boxes on the
// original, and the fixed crops of test-time augmentation.
import { h, uniquePrefix } from "../ui/dom.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { OPS, DEFAULT_ON, opParams, opConfig, pipelineConfig, describeSample, cropOnOriginal } from "../ui/aug-ops.js";
import { decodeImage, loadAsset, ImageLoadError, MAX_FILE_BYTES } from "../ui/aug-image.js";
import { createImageSource } from "../ui/parts/image-source.js";
import { createPhotoBoxes } from "../ui/parts/photo-boxes.js";
import { createSampleGrid } from "../ui/parts/sample-grid.js";
import { createOpPreview } from "../ui/parts/op-preview.js";
import { createOpRows } from "../ui/parts/op-rows.js";
import { createTtaPanel } from "../ui/parts/tta-panel.js";
import { createDownloads, gridCanvas } from "../ui/parts/downloads.js";

export const id = "augment";

// Named relative to this module, so they resolve wherever the app is served
// and the single-file build (scripts/single-file.mjs) can inline them.
const PHOTOS = {
  chelsea: new URL("../assets/chelsea.png", import.meta.url).href,
  coffee: new URL("../assets/coffee.png", import.meta.url).href,
};
const UPLOAD = "upload";
const SAMPLES = 16;
/** The downloaded sample grid: tiles in rows of this many, this many pixels apart. */
export const GRID_COLUMNS = 4;
export const GRID_GAP = 4;

/** URL parameters: the photo, the seed, which ops are on, and every op setting. */
export const params = {
  photo: { type: "enum", values: Object.keys(PHOTOS), default: "chelsea" },
  seed: { type: "number", integer: true, min: 0, max: 4294967295, default: 1 },
  on: { type: "set", values: OPS.map((op) => op.id), default: DEFAULT_ON },
  preview: { type: "enum", values: OPS.map((op) => op.id), default: "jitter" },
  ...opParams(),
};

/** Seed of grid tile `i` for the grid seed `seed` (distinct for every pair). */
export function tileSeed(seed, i) {
  return seed * SAMPLES + i;
}

/**
 * Side of the square test-time crops: 224 of an image whose shorter side
 * is 256 (AlexNet's and ResNet's single-scale evaluation), without resizing.
 */
export function ttaSide(width, height) {
  return Math.max(1, Math.round((Math.min(width, height) * 224) / 256));
}

/**
 * Mounts the view: the photo's source and crop boxes, the sample grid, the
 * one-op preview, the op rows and the test-time crops; nothing animates, a
 * change draws once in the next frame. Returns {destroy, saveState, debug}.
 */
export function mount(root, ctx) {
  const demo = {
    ctx, engine: ctx.engine, values: { ...ctx.values }, prefix: uniquePrefix("aug"),
    image: null, // {rgba, width, height, label(), upload, fileName?, originalWidth, originalHeight}
    augmenter: null,
    imageSetOn: null, // {augmenter, image}: what setImage last copied into wasm
    samples: [], // params of each grid tile
    focused: 0,
    previewSeed: 1,
    frame: 0,
    dirty: { grid: false, preview: false },
    loadToken: 0,
    destroyed: false,
    sourceCanvas: document.createElement("canvas"),
  };
  demo.parts = createParts(demo);
  demo.section = layout(demo);
  root.append(demo.section);
  demo.downloads = createAugDownloads(demo);
  // Under the sample grid and its parameters.
  demo.parts.grid.info.after(demo.downloads.element);
  translateTree(demo.section);
  demo.unsubscribe = onLanguageChange(() => {
    labelTiles(demo);
    showSample(demo);
    describeImage(demo);
    drawPhoto(demo);
    schedule(demo, { preview: true });
  });
  start(demo);
  return {
    destroy: () => destroy(demo),
    saveState: () => save(demo),
    // For tests: the values, the grid tiles and what each tile drew.
    debug: { values: demo.values, tiles: demo.parts.grid.tiles, downloads: demo.downloads, get samples() { return demo.samples; } },
  };
}

function createParts(demo) {
  const { prefix } = demo;
  return {
    source: createImageSource({
      prefix, photos: Object.keys(PHOTOS), upload: UPLOAD,
      onPhoto: (name) => loadBuiltin(demo, name),
      onFile: (file) => loadFile(demo, file),
    }),
    photo: createPhotoBoxes({ onDrop: (file) => loadFile(demo, file) }),
    grid: createSampleGrid({
      prefix, count: SAMPLES,
      onResample: () => resample(demo),
      onSeed: (text) => seedTyped(demo, text),
      onFocus: (i) => focusTile(demo, i),
    }),
    preview: createOpPreview({
      prefix, ops: OPS,
      onChoose: (opId) => { demo.values.preview = opId; save(demo); schedule(demo, { preview: true }); },
      onAgain: () => { demo.previewSeed += 1; schedule(demo, { preview: true }); },
    }),
    ops: createOpRows({
      prefix, ops: OPS,
      onToggle: (op, on) => toggleOp(demo, op, on),
      onValue: (op, name, value, committed) => setValue(demo, op, name, value, committed),
    }),
    tta: createTtaPanel(),
  };
}

function layout(demo) {
  const { parts, prefix } = demo;
  return h("section", { class: "demo augment", "aria-labelledby": `${prefix}-title`, dataset: { state: "loading" } },
    h("h2", { id: `${prefix}-title`, "data-i18n": "aug.title" }),
    h("p", { class: "intro", "data-i18n": "aug.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        ...parts.source.nodes,
        parts.photo.element,
        h("p", { class: "hint", "data-i18n": "aug.boxesHint" }),
        ...parts.grid.nodes),
      h("div", { class: "side" },
        parts.preview.element,
        h("h3", { "data-i18n": "aug.pipeline" }),
        h("p", { class: "hint", "data-i18n": "aug.pipelineHint" }),
        parts.ops.element)),
    h("div", { class: "aug-lessons" },
      h("div", { class: "panel" },
        h("h3", { "data-i18n": "aug.why.title" }),
        h("p", { "data-i18n": "aug.why.body" }),
        h("p", { "data-i18n": "aug.why.label" })),
      h("div", { class: "panel" },
        h("h3", { "data-i18n": "aug.flipWrong.title" }),
        h("p", { "data-i18n": "aug.flipWrong.body" }),
        h("ul", {},
          h("li", { "data-i18n": "aug.flipWrong.text" }),
          h("li", { "data-i18n": "aug.flipWrong.digits" }),
          h("li", { "data-i18n": "aug.flipWrong.sides" }))),
      parts.tta.element));
}

function start(demo) {
  syncInputs(demo);
  if (!rebuild(demo, false)) {
    // A link whose settings the engine rejects: fall back to the defaults of the ops.
    demo.values.on = [...DEFAULT_ON];
    for (const [name, spec] of Object.entries(opParams())) demo.values[name] = spec.default;
    syncInputs(demo);
    rebuild(demo, false);
  }
  loadBuiltin(demo, demo.values.photo);
}

function save(demo) {
  demo.ctx.save(demo.values);
}

function syncInputs(demo) {
  const { parts, values, image } = demo;
  parts.source.show(image?.upload ? UPLOAD : values.photo, Boolean(image?.upload));
  parts.grid.seed(values.seed);
  parts.preview.choose(values.preview);
  parts.ops.sync(values);
}

// ---- op controls ------------------------------------------------------
function toggleOp(demo, op, on) {
  demo.values.on = OPS.map((o) => o.id).filter((o) => (o === op.id ? on : demo.values.on.includes(o)));
  rebuild(demo, true);
}

/** A control moved: rebuild the pipeline; on failure keep the last good one. */
function setValue(demo, op, name, value, committed) {
  const { values, parts } = demo;
  const previous = values[name];
  values[name] = value;
  parts.ops.shown(name, value);
  let message = null;
  try {
    new demo.engine.Augmenter({ ops: [opConfig(op, values)] }).free();
  } catch (e) {
    message = e.message;
  }
  if (message) {
    parts.ops.mark(op.id, name.slice(op.id.length + 1), message);
    values[name] = previous;
    if (committed) demo.ctx.notify(`${t(`aug.kind.${op.kind}`)}: ${message}`);
    return;
  }
  parts.ops.mark(op.id, null, null);
  if (values.preview !== op.id && committed === false) {
    values.preview = op.id;
    parts.preview.choose(op.id);
  }
  rebuild(demo, committed);
}

function resample(demo) {
  demo.values.seed = (demo.values.seed + 1) % 4294967296;
  demo.parts.grid.seed(demo.values.seed);
  save(demo);
  schedule(demo, { grid: true });
}

function seedTyped(demo, text) {
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    demo.parts.grid.seed(null, true);
    demo.ctx.notify(t("aug.badSeed"));
    return;
  }
  demo.parts.grid.seed(null, false);
  demo.values.seed = seed;
  save(demo);
  schedule(demo, { grid: true });
}

// ---- engine -----------------------------------------------------------
/** Builds the pipeline from the values; keeps the old one on failure. */
function rebuild(demo, commit) {
  let next;
  try {
    next = new demo.engine.Augmenter(pipelineConfig(demo.values));
  } catch (e) {
    demo.ctx.notify(e.message);
    return false;
  }
  demo.augmenter?.free();
  demo.augmenter = next;
  if (commit) save(demo);
  schedule(demo, { grid: true, preview: true });
  return true;
}

/** Asks for the grid or the preview (or both) to be drawn in the next frame. */
function schedule(demo, what) {
  demo.dirty = { grid: demo.dirty.grid || what.grid, preview: demo.dirty.preview || what.preview };
  if (!demo.frame) demo.frame = requestAnimationFrame(() => render(demo));
}

function render(demo) {
  demo.frame = 0;
  if (demo.destroyed || !demo.image || !demo.augmenter) return;
  if (demo.dirty.grid) renderGrid(demo);
  if (demo.dirty.preview) renderPreview(demo);
  demo.dirty = { grid: false, preview: false };
}

function renderGrid(demo) {
  const { augmenter, image, values, parts } = demo;
  const start = performance.now();
  // The photo is copied into wasm only when it or the pipeline changed
  // (a new seed reuses it).
  if (demo.imageSetOn?.augmenter !== augmenter || demo.imageSetOn.image !== image) {
    augmenter.setImage(image.rgba, image.width, image.height);
    demo.imageSetOn = { augmenter, image };
  }
  demo.samples = parts.grid.tiles.map((_, i) => {
    const out = augmenter.sample(tileSeed(values.seed, i));
    parts.grid.put(i, out);
    return out.params;
  });
  const ms = performance.now() - start;
  parts.grid.timing(t("aug.timing", { n: SAMPLES, ms: ms.toFixed(1) }));
  demo.section.dataset.gridMs = ms.toFixed(2);
  labelTiles(demo);
  drawPhoto(demo);
  showSample(demo);
}

function labelTiles(demo) {
  demo.parts.grid.describe(demo.parts.grid.tiles.map((_, i) => {
    const text = describeSample(demo.samples[i] ?? []);
    return { label: `${t("aug.tileLabel", { n: i + 1 })}: ${text.replace(/\n/g, "; ")}`, title: text };
  }));
}

function focusTile(demo, i) {
  demo.focused = i;
  demo.parts.grid.current(i);
  drawPhoto(demo);
  showSample(demo);
}

function showSample(demo) {
  const drawn = demo.samples[demo.focused];
  demo.parts.grid.info.textContent = drawn ? `${t("aug.tileLabel", { n: demo.focused + 1 })}\n${describeSample(drawn)}` : "";
}

/** The original with the crop boxes of all samples, the focused one bold. */
function drawPhoto(demo) {
  const { image, samples, focused } = demo;
  if (!image) return;
  const boxes = samples.map((drawn, i) => (i === focused ? null : cropOnOriginal(drawn)));
  const b = samples[focused] && cropOnOriginal(samples[focused]);
  const label = b
    ? t("aug.photoLabelBox", { name: image.label(), n: focused + 1, x: b.x, y: b.y, w: b.width, h: b.height })
    : t("aug.photoLabel", { name: image.label() });
  demo.parts.photo.draw(demo.sourceCanvas, boxes, b || null, label);
}

function renderPreview(demo) {
  const { image, values } = demo;
  const op = OPS.find((o) => o.id === values.preview);
  let out;
  try {
    out = demo.engine.Augmenter.previewOp(opConfig(op, values), image.rgba, image.width, image.height, demo.previewSeed);
  } catch (e) {
    demo.parts.preview.fail(e.message);
    return;
  }
  demo.parts.preview.show(out, describeSample(out.params));
}

/** Test-time augmentation: the ten fixed crops of the photo's 224/256 side. */
function renderTta(demo) {
  const { image } = demo;
  if (!image) return;
  const side = ttaSide(image.width, image.height);
  demo.parts.tta.draw(demo.sourceCanvas, demo.engine.Augmenter.tenCrop(image.width, image.height, side, side), side);
}

// ---- images -------------------------------------------------------------
function showImage(demo, next) {
  const { sourceCanvas, section, values, parts } = demo;
  demo.image = next;
  sourceCanvas.width = next.width;
  sourceCanvas.height = next.height;
  const pixels = new Uint8ClampedArray(next.rgba.buffer, next.rgba.byteOffset, next.rgba.length);
  sourceCanvas.getContext("2d").putImageData(new ImageData(pixels, next.width, next.height), 0, 0);
  section.dataset.image = next.upload ? UPLOAD : values.photo;
  parts.source.show(next.upload ? UPLOAD : values.photo, next.upload);
  describeImage(demo);
  renderTta(demo);
  schedule(demo, { grid: true, preview: true });
  requestAnimationFrame(() => {
    if (!demo.destroyed) section.dataset.state = "ready";
  });
}

function describeImage(demo) {
  const { image } = demo;
  if (!image) return;
  const same = image.width === image.originalWidth && image.height === image.originalHeight;
  demo.parts.source.status(image.upload
    ? t(same ? "aug.uploaded" : "aug.uploadedShrunk", { name: image.fileName, w: image.originalWidth, h: image.originalHeight, sw: image.width, sh: image.height })
    : "");
}

async function loadBuiltin(demo, name) {
  const token = ++demo.loadToken;
  demo.section.dataset.state = "loading";
  try {
    const decoded = await loadAsset(PHOTOS[name], demo.engine);
    if (token !== demo.loadToken || demo.destroyed) return;
    demo.values.photo = name;
    demo.parts.source.error("");
    showImage(demo, { ...decoded, upload: false, label: () => t(`aug.photo.${name}`) });
    save(demo);
  } catch (e) {
    if (token !== demo.loadToken || demo.destroyed) return;
    demo.section.dataset.state = demo.image ? "ready" : "error";
    demo.ctx.notify(t("aug.err.asset", { name }), "error");
  }
}

async function loadFile(demo, file) {
  if (!file) return;
  const token = ++demo.loadToken;
  demo.section.dataset.state = "loading";
  try {
    const decoded = await decodeImage(file, demo.engine);
    if (token !== demo.loadToken || demo.destroyed) return;
    demo.parts.source.error("");
    showImage(demo, { ...decoded, upload: true, fileName: file.name, label: () => file.name });
  } catch (e) {
    if (token !== demo.loadToken || demo.destroyed) return;
    const code = e instanceof ImageLoadError ? e.code : "notImage";
    const message = t(`aug.err.${code}`, { name: file.name, limit: MAX_FILE_BYTES / 1048576, ...(e.details ?? {}) });
    demo.parts.source.error(message);
    demo.ctx.notify(message);
    demo.section.dataset.state = demo.image ? "ready" : "error";
  } finally {
    demo.parts.source.fileInput.value = "";
  }
}

// ---- downloads and teardown ------------------------------------------------
function createAugDownloads(demo) {
  const { values, parts } = demo;
  return createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.photo", name: "photo", canvas: () => parts.photo.canvas },
      { show: "download.show.grid", name: "grid", canvas: () => gridCanvas(parts.grid.tiles, GRID_COLUMNS, GRID_GAP) },
      { show: "download.show.preview", name: "preview", canvas: () => parts.preview.canvas },
      { show: "download.show.tta", name: "tta", canvas: () => parts.tta.canvas },
    ],
    run: () => ({
      config: pipelineConfig(values),
      // A photo of the student's own is not in the link (nothing is uploaded): only its name and size.
      image: imageRecord(demo.image, values),
      results: {
        samples: demo.samples.map((drawn, i) => ({ tile: i + 1, seed: tileSeed(values.seed, i), params: drawn })),
        preview: { op: values.preview, seed: demo.previewSeed },
      },
    }),
    onError: (message) => demo.ctx.notify(message),
  });
}

function imageRecord(image, values) {
  if (!image) return image;
  return image.upload
    ? { source: UPLOAD, fileName: image.fileName, width: image.width, height: image.height }
    : { source: values.photo, width: image.width, height: image.height };
}

function destroy(demo) {
  demo.destroyed = true;
  if (demo.frame) cancelAnimationFrame(demo.frame);
  demo.unsubscribe();
  demo.downloads.destroy();
  for (const part of Object.values(demo.parts)) part.destroy();
  demo.augmenter?.free();
  demo.augmenter = null;
  demo.imageSetOn = null;
}
