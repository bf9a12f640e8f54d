// The race's download row: the map and the loss chart as PNG (the canvases'
// own pixels), every racer's loss per step as CSV, and the settings and
// results as JSON with the share link. Each button shows a short name and
// its format ("Map PNG"); its accessible name contains that text word for
// word ("Download Map PNG"), as WCAG 2.5.3 (label in name) asks.
import { h } from "../dom.js";
import { t, onLanguageChange } from "../../i18n/index.js";
import { FORMATS, fileName, saveBlob, downloadGroup } from "../download.js";

/**
 * @param {object} o
 * @param {string} o.demo the demo id, for file names
 * @param {{key: string, name: string, format: "PNG"|"CSV"|"JSON", make: () => Blob | Promise<Blob>}[]} o.files
 *   key: i18n key of the short visible name; name: the file name's middle part
 * @param {(message: string) => void} o.onError
 * Returns {element, destroy()}.
 */
export function createRaceDownloads({ demo, files, onError }) {
  const buttons = files.map((file) => {
    const button = h("button", { type: "button", class: "download", dataset: { format: file.format } });
    button.addEventListener("click", async () => {
      try {
        const blob = await file.make();
        saveBlob(blob, fileName(demo, file.name, FORMATS[file.format].extension), button.ownerDocument);
      } catch (error) {
        onError(t("download.failed", { reason: error?.message ?? String(error) }));
      }
    });
    return { button, file };
  });
  const element = downloadGroup(buttons.map((b) => b.button));
  function label() {
    for (const { button, file } of buttons) {
      const shown = `${t(file.key)} ${file.format}`;
      button.textContent = shown;
      button.setAttribute("aria-label", t("race.download.label", { name: shown }));
    }
    element.setAttribute("aria-label", t("download.group"));
  }
  label();
  const unlisten = onLanguageChange(label);
  return { element, destroy: unlisten };
}
