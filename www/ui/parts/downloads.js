// The downloads part: one row of buttons that save a demo's pictures (PNG,
// the canvas's own pixels), its curves (CSV, a step column and one column
// per series) and a record of the run (JSON: the settings, the share link
// that reproduces them, and whatever results the demo adds). Files are made
// in the page and saved through blob: links; nothing leaves the machine.
//
//   const downloads = createDownloads({
//     demo: id, params, values: () => values,
//     pictures: [{ show: "download.show.map", name: "map", canvas: () => mapCanvas }],
//     curves: [{ show: "download.show.curves", name: "curves", columns: () => ({ step, trainLoss }) }],
//     run: () => ({ config, results }),
//     onError: ctx.notify,
//   });
//   section.append(downloads.element);   // later: downloads.destroy()
import { h } from "../dom.js";
import { t, language } from "../../i18n/index.js";
import { encode } from "../../state.js";
import { APP_PAGE } from "../../app-page.js";
import { downloadButton, canvasPng, csvBlob, csvFromColumns, jsonBlob } from "../download.js";

/**
 * The app link that opens `demo` with `values`: only the values that differ
 * from the table's defaults, as the app writes them into the hash. Where no
 * page of the app exists (the notebook widget) it is the hash alone,
 * `#demo?state`, to paste after the app's address.
 */
export function shareLink(demo, params, values, { lang = language(), appUrl = APP_PAGE } = {}) {
  const query = encode(params, values);
  if (lang && lang !== "en") query.set("lang", lang);
  const text = query.toString();
  const hash = `#${demo}${text ? `?${text}` : ""}`;
  if (!appUrl) return hash;
  const url = new URL(appUrl);
  url.hash = hash.slice(1);
  return url.href;
}

/**
 * One canvas holding `canvases` in rows of `columns`, each in a cell the
 * size of the largest, `gap` pixels apart on white, at their own pixels.
 */
export function gridCanvas(canvases, columns, gap = 4) {
  const cellWidth = Math.max(0, ...canvases.map((c) => c.width));
  const cellHeight = Math.max(0, ...canvases.map((c) => c.height));
  const rows = Math.ceil(canvases.length / columns);
  const out = document.createElement("canvas");
  out.width = columns * cellWidth + (columns - 1) * gap;
  out.height = rows * cellHeight + (rows - 1) * gap;
  const c = out.getContext("2d");
  c.fillStyle = "#fff";
  c.fillRect(0, 0, out.width, out.height);
  canvases.forEach((canvas, i) => {
    if (canvas.width && canvas.height) c.drawImage(canvas, (i % columns) * (cellWidth + gap), Math.floor(i / columns) * (cellHeight + gap));
  });
  return out;
}

/**
 * Trainers' evaluation curves as CSV columns: the step, then for each named
 * trainer its training and validation loss and accuracy
 * (`{plain, dropout}` → step, plainTrainLoss, …, dropoutValAccuracy). Runs
 * that train in step share the step column; one that does not gets its own
 * (`<name>Step`).
 */
export function trainerColumns(trainers) {
  const named = Object.entries(trainers).filter(([, trainer]) => trainer);
  if (!named.length) return {};
  const columns = { step: Array.from(named[0][1].evalSteps()) };
  for (const [name, trainer] of named) {
    const steps = Array.from(trainer.evalSteps());
    if (steps.length !== columns.step.length || steps.some((s, i) => s !== columns.step[i])) columns[`${name}Step`] = steps;
    for (const series of ["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"]) {
      columns[`${name}${series[0].toUpperCase()}${series.slice(1)}`] = Array.from(trainer.evalHistory(series));
    }
  }
  return columns;
}

/**
 * @param {object} o
 * @param {string} o.demo the demo's id (file names, the share link)
 * @param {object} o.params the demo's URL parameter table
 * @param {() => object} o.values the demo's live values
 * @param {Array<{show: string, name: string, vars?: object, canvas: () => HTMLCanvasElement}>} [o.pictures]
 * @param {Array<{show: string, name: string, vars?: object, columns: () => Record<string, ArrayLike<number>>}>} [o.curves]
 * @param {() => object} [o.run] more members of the JSON record (engine settings, results)
 * @param {(message: string) => void} [o.onError]
 * Returns {element, record(), set({pictures, curves}), destroy()}.
 */
export function createDownloads({ demo, params, values, pictures = [], curves = [], run = () => ({}), onError }) {
  const row = h("div", { class: "downloads", role: "group", "data-i18n-label": "download.group", "aria-label": t("download.group") });
  let buttons = [];

  /** What the JSON file holds. */
  function record() {
    const settings = { ...values() };
    return {
      trainlab: "run",
      demo,
      savedAt: new Date().toISOString(),
      link: shareLink(demo, params, settings),
      settings,
      ...run(),
    };
  }

  function set(next) {
    for (const b of buttons) b.destroy();
    const made = [
      ...(next.pictures ?? []).map((p) => downloadButton({
        format: "PNG", what: p.show, show: p.show, vars: p.vars, name: p.name, demo, onError,
        make: () => canvasPng(p.canvas()),
      })),
      ...(next.curves ?? []).map((c) => downloadButton({
        format: "CSV", what: c.show, show: c.show, vars: c.vars, name: c.name, demo, onError,
        make: () => {
          const columns = c.columns();
          if (!columns || !Object.values(columns).some((column) => column.length > 0)) throw new Error(t("download.noData"));
          return csvBlob(csvFromColumns(columns));
        },
      })),
      downloadButton({ format: "JSON", what: "download.show.run", show: "download.show.run", name: "run", demo, onError, make: () => jsonBlob(record()) }),
    ];
    buttons = made;
    row.replaceChildren(h("span", { class: "downloads-title", "aria-hidden": "true", "data-i18n": "download.group", text: t("download.group") }),
      ...made.map((b) => b.element));
  }

  set({ pictures, curves });
  return {
    element: row,
    record,
    set,
    destroy() {
      for (const b of buttons) b.destroy();
      buttons = [];
    },
  };
}
