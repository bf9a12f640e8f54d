// Downloads of a demo's pictures, curves and settings: a canvas as PNG at
// its full pixel resolution, curves as CSV, a run as JSON. Everything is
// made in the page and saved through a blob: link; nothing is uploaded.
//
//   const png = downloadButton({ format: "PNG", what: "download.what.map", demo: "race",
//                                make: () => canvasPng(mapCanvas) });
//   const csv = downloadButton({ format: "CSV", what: "download.what.losses", demo: "race",
//                                make: () => csvBlob(csvFromColumns({ step, sgd, adam })) });
//   panel.append(downloadGroup([png.element, csv.element]));
//   ...on destroy: png.destroy(); csv.destroy();
import { h } from "./dom.js";
import { t, onLanguageChange } from "../i18n/index.js";

export const FORMATS = {
  PNG: { extension: "png", type: "image/png" },
  CSV: { extension: "csv", type: "text/csv;charset=utf-8" },
  JSON: { extension: "json", type: "application/json" },
};

function twoDigits(n) {
  return String(n).padStart(2, "0");
}

/**
 * `trainlab-<demo>[-<what>]-<yyyy-mm-dd>.<ext>` in the local date; demo and
 * what are reduced to lower-case letters, digits and hyphens.
 */
export function fileName(demo, what, extension, date = new Date()) {
  const slug = (text) => String(text ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const day = `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`;
  const parts = ["trainlab", slug(demo), slug(what), day].filter(Boolean);
  return `${parts.join("-")}.${extension}`;
}

/** One CSV cell: numbers as JS writes them, text quoted when it must be. */
export function csvCell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  let text = String(value);
  // A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV (RFC 4180: CRLF line ends) from a header row and rows of cells. */
export function csvFromRows(header, rows) {
  const lines = [header, ...rows].map((row) => Array.from(row, csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * CSV from named columns (arrays or typed arrays), one row per index;
 * shorter columns leave empty cells (a racer that stopped early).
 * @param {Record<string, ArrayLike<unknown>>} columns
 */
export function csvFromColumns(columns) {
  const names = Object.keys(columns);
  const length = Math.max(0, ...names.map((name) => columns[name].length));
  const rows = [];
  for (let i = 0; i < length; i++) rows.push(names.map((name) => (i < columns[name].length ? columns[name][i] : null)));
  return csvFromRows(names, rows);
}

/** JSON with typed arrays as plain arrays and non-finite numbers as null. */
export function jsonText(value) {
  return `${JSON.stringify(value, (key, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v) : v), 2)}\n`;
}

export function csvBlob(text) {
  return new Blob([text], { type: FORMATS.CSV.type });
}

export function jsonBlob(value) {
  return new Blob([jsonText(value)], { type: FORMATS.JSON.type });
}

/**
 * The canvas's own pixels (its width × height, not its CSS size) as a PNG blob.
 * @param {HTMLCanvasElement | OffscreenCanvas} canvas
 * @returns {Promise<Blob>}
 */
export function canvasPng(canvas) {
  if (typeof canvas.convertToBlob === "function") return canvas.convertToBlob({ type: "image/png" });
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(t("download.emptyCanvas")))), "image/png");
  });
}

/** Saves `blob` as `name` through a temporary blob: link. */
export function saveBlob(blob, name, doc = document) {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; free the URL after.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A button that makes a file and saves it. Its visible text is the format;
 * its accessible name says what it saves, in the current language, and
 * contains the format as a word ("Download the loss chart as PNG"): axe's
 * label-content-name-mismatch drops parenthesised text before it looks.
 * @param {object} o
 * @param {"PNG"|"CSV"|"JSON"} o.format
 * @param {string} o.what i18n key naming the thing saved ("download.what.map")
 * @param {string} o.demo the demo id, for the file name
 * @param {string} [o.name] the file name's middle part (default: from `what`)
 * @param {() => Blob | Promise<Blob>} o.make
 * @param {(message: string) => void} [o.onError] where a failure is shown
 * @returns {{element: HTMLButtonElement, destroy(): void}}
 */
export function downloadButton({ format, what, demo, name, make, onError = (m) => console.warn(m) }) {
  const spec = FORMATS[format];
  if (!spec) throw new Error(`download format must be PNG, CSV or JSON, got ${format}`);
  const button = h("button", { type: "button", class: "download", dataset: { format } }, format);
  function label() {
    button.setAttribute("aria-label", t("download.label", { what: t(what), format }));
    button.title = button.getAttribute("aria-label");
  }
  label();
  const unlisten = onLanguageChange(label);
  button.addEventListener("click", async () => {
    try {
      const blob = await make();
      saveBlob(blob, fileName(demo, name ?? what.split(".").pop(), spec.extension), button.ownerDocument);
    } catch (error) {
      onError(t("download.failed", { reason: error?.message ?? String(error) }));
    }
  });
  return { element: button, destroy: unlisten };
}

/** A labelled row of download buttons. */
export function downloadGroup(buttons) {
  return h("div", { class: "downloads", role: "group", "data-i18n-label": "download.group", "aria-label": t("download.group") },
    ...buttons);
}
