// The image-source part: where the augmentation photo comes from — a
// built-in photo, a file of the student's own (chooser, or dropped on the
// picture: see photo-boxes.js), with the limits, what was loaded and why a
// file was refused. It reports choices; it knows nothing of decoding or the engine.
import { h } from "../dom.js";

/**
 * @param {object} o
 * @param {string} o.prefix per-instance id prefix (`${prefix}-photo`, `-file`, `-file-error`)
 * @param {string[]} o.photos the built-in photos' names (labels `aug.photo.<name>`)
 * @param {string} o.upload the drop-down's value for "your image" (chosen by loading one, never by hand)
 * @param {(name: string) => void} o.onPhoto a built-in photo was chosen
 * @param {(file: File) => void} o.onFile a file was chosen
 * Returns {nodes, fileInput, show(choice, uploaded), status(text), error(text)}; `nodes` go into the stage in order.
 */
export function createImageSource({ prefix, photos, upload, onPhoto, onFile }) {
  const select = h("select", { id: `${prefix}-photo` },
    photos.map((p) => h("option", { value: p, "data-i18n": `aug.photo.${p}` })),
    h("option", { value: upload, disabled: true, "data-i18n": "aug.photo.upload" }));
  const fileInput = h("input", { type: "file", id: `${prefix}-file`, accept: "image/*", class: "aug-file" });
  const fileStatus = h("p", { class: "hint aug-file-status", "aria-live": "polite" });
  const fileError = h("p", { class: "field-error", role: "alert", id: `${prefix}-file-error` });
  select.addEventListener("change", () => { if (select.value !== upload) onPhoto(select.value); });
  fileInput.addEventListener("change", () => onFile(fileInput.files?.[0]));
  const nodes = [
    h("div", { class: "field-row aug-source" },
      h("label", { for: select.id, class: "inline" }, h("span", { "data-i18n": "aug.photo" }), select),
      h("label", { for: fileInput.id, class: "aug-file-label" }, h("span", { "data-i18n": "aug.ownImage" }), fileInput)),
    h("p", { class: "hint" }, h("span", { "data-i18n": "aug.limits" })),
    fileStatus,
    fileError,
  ];
  return {
    nodes,
    fileInput,
    /** Shows `choice` in the drop-down; "your image" is selectable only while one is `uploaded`. */
    show(choice, uploaded) {
      select.value = choice;
      select.querySelector(`option[value="${upload}"]`).disabled = !uploaded;
    },
    status(text) { fileStatus.textContent = text; },
    error(text) { fileError.textContent = text; },
    destroy() {},
  };
}
