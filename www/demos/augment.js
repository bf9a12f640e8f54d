// Data augmentation previews: a photo (built-in or the student's own), the
// per-op controls with a live one-op preview, a grid of random samples of
// the whole pipeline with their drawn parameters, the crop boxes on the
// original, and the fixed crops of test-time augmentation.
import { h, clear, uniquePrefix } from "../ui/dom.js";
import { t, onLanguageChange, translateTree } from "../i18n/index.js";
import { OPS, DEFAULT_ON, opParams, opConfig, pipelineConfig, describeSample, cropOnOriginal } from "../ui/aug-ops.js";
import { decodeImage, loadAsset, ImageLoadError, MAX_FILE_BYTES } from "../ui/aug-image.js";
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
const TTA_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#fca311"];
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

/** Mounts the view; returns {destroy, saveState}. */
export function mount(root, ctx) {
  const prefix = uniquePrefix("aug");
  const { engine } = ctx;
  const values = { ...ctx.values };
  let image = null; // {rgba, width, height, name, upload}
  let augmenter = null;
  let imageSetOn = null; // {augmenter, image}: what setImage last copied into wasm
  let samples = []; // params of each grid tile
  let focused = 0;
  let previewSeed = 1;
  let frame = 0;
  let dirty = { grid: false, preview: false };
  let loadToken = 0;
  let destroyed = false;
  const sourceCanvas = document.createElement("canvas");

  // ---- layout -----------------------------------------------------------
  const photoSelect = h("select", { id: `${prefix}-photo` },
    Object.keys(PHOTOS).map((p) => h("option", { value: p, "data-i18n": `aug.photo.${p}` })),
    h("option", { value: UPLOAD, disabled: true, "data-i18n": "aug.photo.upload" }));
  const fileInput = h("input", { type: "file", id: `${prefix}-file`, accept: "image/*", class: "aug-file" });
  const fileStatus = h("p", { class: "hint aug-file-status", "aria-live": "polite" });
  const fileError = h("p", { class: "field-error", role: "alert", id: `${prefix}-file-error` });
  const photoCanvas = h("canvas", { class: "aug-photo", role: "img" });
  const dropZone = h("div", { class: "aug-drop", tabindex: -1 },
    photoCanvas, h("p", { class: "aug-drop-hint", "data-i18n": "aug.dropHint" }));

  const resample = h("button", { type: "button", class: "primary", "data-i18n": "aug.resample" });
  const seedInput = h("input", { type: "number", id: `${prefix}-seed`, min: 0, max: 4294967295, step: 1, inputmode: "numeric" });
  const timing = h("output", { class: "hint aug-timing" });
  const tiles = Array.from({ length: SAMPLES }, (_, i) => {
    const canvas = h("canvas", { class: "aug-tile", tabindex: 0, role: "img", dataset: { index: i } });
    canvas.addEventListener("focus", () => focusTile(i));
    canvas.addEventListener("mouseenter", () => focusTile(i));
    return canvas;
  });
  const grid = h("div", { class: "aug-grid", role: "group", "aria-labelledby": `${prefix}-samples-title` }, tiles);
  const sampleInfo = h("pre", { class: "aug-params", "aria-live": "polite" });

  const previewSelect = h("select", { id: `${prefix}-preview-op` },
    OPS.map((op) => h("option", { value: op.id, "data-i18n": `aug.kind.${op.kind}` })));
  const previewCanvas = h("canvas", { class: "aug-preview", role: "img" });
  const previewInfo = h("pre", { class: "aug-params" });
  const previewAgain = h("button", { type: "button", "data-i18n": "aug.anotherDraw" });

  const ttaCanvas = h("canvas", { class: "aug-tta", role: "img" });
  const ttaStrip = h("div", { class: "aug-tta-strip" });

  const opRows = {};
  const opList = h("div", { class: "aug-ops" }, OPS.map(buildOpRow));

  root.append(h("section", { class: "demo augment", "aria-labelledby": `${prefix}-title`, dataset: { state: "loading" } },
    h("h2", { id: `${prefix}-title`, "data-i18n": "aug.title" }),
    h("p", { class: "intro", "data-i18n": "aug.intro" }),
    h("div", { class: "columns" },
      h("div", { class: "stage" },
        h("div", { class: "field-row aug-source" },
          h("label", { for: photoSelect.id, class: "inline" }, h("span", { "data-i18n": "aug.photo" }), photoSelect),
          h("label", { for: fileInput.id, class: "aug-file-label" }, h("span", { "data-i18n": "aug.ownImage" }), fileInput)),
        h("p", { class: "hint" }, h("span", { "data-i18n": "aug.limits" })),
        fileStatus,
        fileError,
        dropZone,
        h("p", { class: "hint", "data-i18n": "aug.boxesHint" }),
        h("h3", { id: `${prefix}-samples-title`, "data-i18n": "aug.samples" }),
        h("div", { class: "field-row" },
          resample,
          h("label", { for: seedInput.id, class: "inline" }, h("span", { "data-i18n": "aug.seed" }), seedInput),
          timing),
        grid,
        h("p", { class: "hint", "data-i18n": "aug.tileHint" }),
        sampleInfo),
      h("div", { class: "side" },
        h("div", { class: "panel aug-preview-panel" },
          h("h3", { "data-i18n": "aug.previewTitle" }),
          h("label", { for: previewSelect.id, class: "field" }, h("span", { "data-i18n": "aug.previewOp" }), previewSelect),
          previewCanvas,
          previewInfo,
          previewAgain),
        h("h3", { "data-i18n": "aug.pipeline" }),
        h("p", { class: "hint", "data-i18n": "aug.pipelineHint" }),
        opList)),
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
      h("div", { class: "panel aug-tta-panel" },
        h("h3", { "data-i18n": "aug.tta.title" }),
        h("p", { "data-i18n": "aug.tta.body" }),
        ttaCanvas,
        h("p", { class: "chart-title", "data-i18n": "aug.tta.crops" }),
        ttaStrip,
        h("p", { class: "hint", "data-i18n": "aug.tta.note" })))));
  const section = root.lastElementChild;
  const downloads = createDownloads({
    demo: id, params, values: () => values,
    pictures: [
      { show: "download.show.photo", name: "photo", canvas: () => photoCanvas },
      { show: "download.show.grid", name: "grid", canvas: () => gridCanvas(tiles, GRID_COLUMNS, GRID_GAP) },
      { show: "download.show.preview", name: "preview", canvas: () => previewCanvas },
      { show: "download.show.tta", name: "tta", canvas: () => ttaCanvas },
    ],
    run: () => ({
      config: pipelineConfig(values),
      // A photo of the student's own is not in the link (nothing is uploaded): only its name and size.
      image: image && (image.upload
        ? { source: UPLOAD, fileName: image.fileName, width: image.width, height: image.height }
        : { source: values.photo, width: image.width, height: image.height }),
      results: {
        samples: samples.map((drawn, i) => ({ tile: i + 1, seed: tileSeed(values.seed, i), params: drawn })),
        preview: { op: values.preview, seed: previewSeed },
      },
    }),
    onError: (message) => ctx.notify(message),
  });
  // Under the sample grid and its parameters.
  sampleInfo.after(downloads.element);
  translateTree(section);

  // ---- op controls ------------------------------------------------------
  function buildOpRow(op) {
    const enabled = h("input", { type: "checkbox", id: `${prefix}-on-${op.id}` });
    enabled.addEventListener("change", () => {
      values.on = OPS.map((o) => o.id).filter((o) => (o === op.id ? enabled.checked : values.on.includes(o)));
      element.classList.toggle("off", !enabled.checked);
      rebuild(true);
    });
    const error = h("p", { class: "field-error", role: "alert" });
    const inputs = {};
    const fields = op.controls.map((c) => {
      const name = `${op.id}.${c.key}`;
      const inputId = `${prefix}-${op.id}-${c.key}`;
      if (c.values) {
        const select = h("select", { id: inputId, dataset: { param: name } },
          c.values.map((v) => h("option", { value: v, "data-i18n": `aug.option.${v}` })));
        select.addEventListener("change", () => setValue(op, name, select.value, true));
        inputs[c.key] = { input: select };
        return h("label", { for: inputId }, h("span", { "data-i18n": c.label }), select);
      }
      const input = h("input", { type: "range", id: inputId, min: c.min, max: c.max, step: c.step, dataset: { param: name } });
      const out = h("output", { for: inputId });
      input.addEventListener("input", () => setValue(op, name, Number(input.value), false));
      input.addEventListener("change", () => setValue(op, name, Number(input.value), true));
      inputs[c.key] = { input, out };
      return h("label", { for: inputId }, h("span", { "data-i18n": c.label }), input, out);
    });
    const element = h("fieldset", { class: "racer aug-op", dataset: { op: op.id } },
      h("legend", {}, h("label", { for: enabled.id, class: "check" }, enabled, h("span", { "data-i18n": `aug.kind.${op.kind}` }))),
      h("div", { class: "sub" }, fields),
      error,
      h("p", { class: "hint", "data-i18n": `aug.about.${op.id}` }));
    opRows[op.id] = { op, enabled, error, inputs, element };
    return element;
  }

  function syncInputs() {
    photoSelect.value = image?.upload ? UPLOAD : values.photo;
    seedInput.value = String(values.seed);
    previewSelect.value = values.preview;
    for (const { op, enabled, inputs, element } of Object.values(opRows)) {
      enabled.checked = values.on.includes(op.id);
      element.classList.toggle("off", !enabled.checked);
      for (const c of op.controls) {
        const { input, out } = inputs[c.key];
        input.value = String(values[`${op.id}.${c.key}`]);
        if (out) out.textContent = formatControl(values[`${op.id}.${c.key}`]);
      }
    }
  }

  function formatControl(v) {
    return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
  }

  /** A control moved: rebuild the pipeline; on failure keep the last good one. */
  function setValue(op, name, value, committed) {
    const row = opRows[op.id];
    const key = name.slice(op.id.length + 1);
    const previous = values[name];
    values[name] = value;
    const { input, out } = row.inputs[key];
    if (out) out.textContent = formatControl(value);
    let message = null;
    try {
      new engine.Augmenter({ ops: [opConfig(op, values)] }).free();
    } catch (e) {
      message = e.message;
    }
    if (message) {
      input.setAttribute("aria-invalid", "true");
      row.error.textContent = message;
      values[name] = previous;
      if (committed) ctx.notify(`${t(`aug.kind.${op.kind}`)}: ${message}`);
      return;
    }
    for (const other of Object.values(row.inputs)) other.input.removeAttribute("aria-invalid");
    row.error.textContent = "";
    if (values.preview !== op.id && committed === false) {
      values.preview = op.id;
      previewSelect.value = op.id;
    }
    rebuild(committed);
  }

  // ---- engine -----------------------------------------------------------
  /** Builds the pipeline from the values; keeps the old one on failure. */
  function rebuild(commit) {
    let next;
    try {
      next = new engine.Augmenter(pipelineConfig(values));
    } catch (e) {
      ctx.notify(e.message);
      return false;
    }
    augmenter?.free();
    augmenter = next;
    if (commit) save();
    schedule({ grid: true, preview: true });
    return true;
  }

  function save() {
    ctx.save(values);
  }

  function schedule(what) {
    dirty = { grid: dirty.grid || what.grid, preview: dirty.preview || what.preview };
    if (!frame) frame = requestAnimationFrame(render);
  }

  function render() {
    frame = 0;
    if (destroyed || !image || !augmenter) return;
    if (dirty.grid) renderGrid();
    if (dirty.preview) renderPreview();
    dirty = { grid: false, preview: false };
  }

  function putPixels(canvas, out) {
    if (canvas.width !== out.width) canvas.width = out.width;
    if (canvas.height !== out.height) canvas.height = out.height;
    canvas.getContext("2d").putImageData(new ImageData(out.data, out.width, out.height), 0, 0);
  }

  function renderGrid() {
    const start = performance.now();
    // The photo is copied into wasm only when it or the pipeline changed
    // (a new seed reuses it).
    if (imageSetOn?.augmenter !== augmenter || imageSetOn.image !== image) {
      augmenter.setImage(image.rgba, image.width, image.height);
      imageSetOn = { augmenter, image };
    }
    samples = tiles.map((tile, i) => {
      const out = augmenter.sample(tileSeed(values.seed, i));
      putPixels(tile, out);
      return out.params;
    });
    const ms = performance.now() - start;
    timing.textContent = t("aug.timing", { n: SAMPLES, ms: ms.toFixed(1) });
    section.dataset.gridMs = ms.toFixed(2);
    labelTiles();
    drawPhoto();
    showSample();
  }

  function labelTiles() {
    tiles.forEach((tile, i) => {
      const text = describeSample(samples[i] ?? []);
      tile.setAttribute("aria-label", `${t("aug.tileLabel", { n: i + 1 })}: ${text.replace(/\n/g, "; ")}`);
      tile.title = text;
    });
  }

  function focusTile(i) {
    focused = i;
    tiles.forEach((tile, j) => tile.classList.toggle("current", j === i));
    drawPhoto();
    showSample();
  }

  function showSample() {
    const params = samples[focused];
    sampleInfo.textContent = params ? `${t("aug.tileLabel", { n: focused + 1 })}\n${describeSample(params)}` : "";
  }

  /** The original with the crop boxes of all samples, the focused one bold. */
  function drawPhoto() {
    if (!image) return;
    photoCanvas.width = image.width;
    photoCanvas.height = image.height;
    const c = photoCanvas.getContext("2d");
    c.drawImage(sourceCanvas, 0, 0);
    const unit = Math.max(1, Math.max(image.width, image.height) / 320);
    samples.forEach((params, i) => {
      const b = cropOnOriginal(params);
      if (!b || i === focused) return;
      c.strokeStyle = "rgba(255, 255, 255, 0.55)";
      c.lineWidth = unit;
      c.strokeRect(b.x + 0.5, b.y + 0.5, b.width - 1, b.height - 1);
    });
    const b = samples[focused] && cropOnOriginal(samples[focused]);
    if (b) {
      c.strokeStyle = "#000";
      c.lineWidth = 4 * unit;
      c.strokeRect(b.x, b.y, b.width, b.height);
      c.strokeStyle = "#fca311";
      c.lineWidth = 2 * unit;
      c.strokeRect(b.x, b.y, b.width, b.height);
    }
    photoCanvas.setAttribute("aria-label", b
      ? t("aug.photoLabelBox", { name: image.label(), n: focused + 1, x: b.x, y: b.y, w: b.width, h: b.height })
      : t("aug.photoLabel", { name: image.label() }));
  }

  function renderPreview() {
    const op = OPS.find((o) => o.id === values.preview);
    let out;
    try {
      out = engine.Augmenter.previewOp(opConfig(op, values), image.rgba, image.width, image.height, previewSeed);
    } catch (e) {
      previewInfo.textContent = e.message;
      return;
    }
    putPixels(previewCanvas, out);
    const text = describeSample(out.params);
    previewInfo.textContent = text;
    previewCanvas.setAttribute("aria-label", `${t("aug.previewTitle")}: ${text}`);
  }

  /** Test-time augmentation: the five fixed crops on the photo and all ten patches. */
  function renderTta() {
    if (!image) return;
    const side = ttaSide(image.width, image.height);
    const crops = engine.Augmenter.tenCrop(image.width, image.height, side, side);
    ttaCanvas.width = image.width;
    ttaCanvas.height = image.height;
    const c = ttaCanvas.getContext("2d");
    c.drawImage(sourceCanvas, 0, 0);
    const unit = Math.max(1, Math.max(image.width, image.height) / 320);
    crops.slice(0, 5).forEach((b, i) => {
      c.setLineDash(i === 4 ? [6 * unit, 4 * unit] : []);
      c.strokeStyle = TTA_COLORS[i];
      c.lineWidth = 2.5 * unit;
      const inset = (i + 1) * unit; // keeps overlapping edges apart
      c.strokeRect(b.x + inset, b.y + inset, b.width - 2 * inset, b.height - 2 * inset);
    });
    c.setLineDash([]);
    ttaCanvas.setAttribute("aria-label", t("aug.tta.canvasLabel", { side }));
    clear(ttaStrip);
    const thumb = 96;
    crops.forEach((b, i) => {
      const canvas = h("canvas", { class: "aug-tta-thumb", width: thumb, height: thumb, role: "img" });
      canvas.style.borderColor = TTA_COLORS[i % 5];
      const tc = canvas.getContext("2d");
      if (b.hflip) {
        tc.translate(thumb, 0);
        tc.scale(-1, 1);
      }
      tc.drawImage(sourceCanvas, b.x, b.y, b.width, b.height, 0, 0, thumb, thumb);
      const where = t(`aug.tta.where${i % 5}`);
      canvas.setAttribute("aria-label", b.hflip ? t("aug.tta.flipped", { where }) : where);
      canvas.title = canvas.getAttribute("aria-label");
      ttaStrip.append(canvas);
    });
  }

  // ---- images -------------------------------------------------------------
  function showImage(next) {
    image = next;
    sourceCanvas.width = image.width;
    sourceCanvas.height = image.height;
    sourceCanvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(image.rgba.buffer, image.rgba.byteOffset, image.rgba.length), image.width, image.height), 0, 0);
    section.dataset.image = image.upload ? UPLOAD : values.photo;
    photoSelect.value = image.upload ? UPLOAD : values.photo;
    photoSelect.querySelector(`option[value="${UPLOAD}"]`).disabled = !image.upload;
    describeImage();
    renderTta();
    schedule({ grid: true, preview: true });
    requestAnimationFrame(() => {
      if (!destroyed) section.dataset.state = "ready";
    });
  }

  function describeImage() {
    if (!image) return;
    fileStatus.textContent = image.upload
      ? t(image.width === image.originalWidth && image.height === image.originalHeight ? "aug.uploaded" : "aug.uploadedShrunk", {
        name: image.fileName, w: image.originalWidth, h: image.originalHeight, sw: image.width, sh: image.height,
      })
      : "";
  }

  async function loadBuiltin(name) {
    const token = ++loadToken;
    section.dataset.state = "loading";
    try {
      const decoded = await loadAsset(PHOTOS[name], engine);
      if (token !== loadToken || destroyed) return;
      values.photo = name;
      fileError.textContent = "";
      showImage({ ...decoded, upload: false, label: () => t(`aug.photo.${name}`) });
      save();
    } catch (e) {
      if (token !== loadToken || destroyed) return;
      section.dataset.state = image ? "ready" : "error";
      ctx.notify(t("aug.err.asset", { name }), "error");
    }
  }

  async function loadFile(file) {
    if (!file) return;
    const token = ++loadToken;
    section.dataset.state = "loading";
    try {
      const decoded = await decodeImage(file, engine);
      if (token !== loadToken || destroyed) return;
      fileError.textContent = "";
      showImage({ ...decoded, upload: true, fileName: file.name, label: () => file.name });
    } catch (e) {
      if (token !== loadToken || destroyed) return;
      const code = e instanceof ImageLoadError ? e.code : "notImage";
      const message = t(`aug.err.${code}`, { name: file.name, limit: MAX_FILE_BYTES / 1048576, ...(e.details ?? {}) });
      fileError.textContent = message;
      ctx.notify(message);
      section.dataset.state = image ? "ready" : "error";
    } finally {
      fileInput.value = "";
    }
  }

  // ---- events -------------------------------------------------------------
  photoSelect.addEventListener("change", () => {
    if (photoSelect.value !== UPLOAD) loadBuiltin(photoSelect.value);
  });
  fileInput.addEventListener("change", () => loadFile(fileInput.files?.[0]));
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    loadFile(event.dataTransfer?.files?.[0]);
  });
  resample.addEventListener("click", () => {
    values.seed = (values.seed + 1) % 4294967296;
    seedInput.value = String(values.seed);
    seedInput.removeAttribute("aria-invalid");
    save();
    schedule({ grid: true });
  });
  seedInput.addEventListener("change", () => {
    const seed = Number(seedInput.value);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
      seedInput.setAttribute("aria-invalid", "true");
      ctx.notify(t("aug.badSeed"));
      return;
    }
    seedInput.removeAttribute("aria-invalid");
    values.seed = seed;
    save();
    schedule({ grid: true });
  });
  previewSelect.addEventListener("change", () => {
    values.preview = previewSelect.value;
    save();
    schedule({ preview: true });
  });
  previewAgain.addEventListener("click", () => {
    previewSeed += 1;
    schedule({ preview: true });
  });

  const unsubscribe = onLanguageChange(() => {
    labelTiles();
    showSample();
    describeImage();
    drawPhoto();
    renderTta();
    schedule({ preview: true });
  });

  // ---- start ---------------------------------------------------------------
  syncInputs();
  if (!rebuild(false)) {
    // A link whose settings the engine rejects: fall back to the defaults of the ops.
    values.on = [...DEFAULT_ON];
    for (const [name, spec] of Object.entries(opParams())) values[name] = spec.default;
    syncInputs();
    rebuild(false);
  }
  loadBuiltin(values.photo);

  return {
    destroy() {
      destroyed = true;
      if (frame) cancelAnimationFrame(frame);
      unsubscribe();
      downloads.destroy();
      augmenter?.free();
      augmenter = null;
      imageSetOn = null;
    },
    saveState: save,
    // For tests: the values, the grid tiles and what each tile drew.
    debug: { values, tiles, downloads, get samples() { return samples; } },
  };
}
