// "Embed this": a dialog in the app shell, the same for every demo. It shows
// the <trainlab-demo> and the plain <iframe> snippets for the demo as it is
// now (the state in the URL hash), a chosen language and height, with copy
// buttons and a live preview made by the web component itself.
//
// Keyboard: the dialog is modal; Tab and Shift+Tab stay inside it, Escape
// closes it, and focus returns to the button that opened it. Snippet text
// goes in through textContent only.
import { h, clear } from "./dom.js";
import { LANGUAGES, language, t, tables, onLanguageChange, translateTree } from "../i18n/index.js";
import { readHash } from "../state.js";

export const MIN_HEIGHT = 200;
export const MAX_HEIGHT = 5000;
const DEFAULT_HEIGHT = 900;
// Parameters of the app itself, not of the demo's state.
const SHELL_PARAMS = ["lang", "embed"];

/** Where the app and its embed loader are served, from this module's URL. */
const EMBED_SCRIPT_URL = new URL("../embed.js", import.meta.url);
const APP_URL = new URL("../../index.html", import.meta.url);

/** Escapes text for an HTML attribute value in double quotes. */
export function escapeAttribute(text) {
  return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The demo's state from a hash, without the shell's own parameters. */
export function stateOf(hash) {
  const { demo, params } = readHash(hash);
  for (const name of SHELL_PARAMS) params.delete(name);
  return { demo, state: params.toString() };
}

/**
 * Both snippets as plain text.
 * @param {{demo: string, state: string, lang: string, height: number, fit: boolean, label: string,
 *          scriptUrl?: string, appUrl?: string}} o
 */
export function snippets({ demo, state, lang, height, fit, label, scriptUrl = EMBED_SCRIPT_URL.href, appUrl = APP_URL.href }) {
  const attributes = [`demo="${escapeAttribute(demo)}"`];
  if (state) attributes.push(`state="${escapeAttribute(state)}"`);
  attributes.push(`lang="${escapeAttribute(lang)}"`);
  if (!fit) attributes.push(`height="${height}px"`);
  attributes.push(`label="${escapeAttribute(label)}"`);
  const component = `<script src="${escapeAttribute(scriptUrl)}"></script>\n` +
    `<trainlab-demo ${attributes.join(" ")}></trainlab-demo>`;

  const params = new URLSearchParams(state);
  params.set("lang", lang);
  params.set("embed", "1");
  // No style attribute: a page whose CSP forbids inline styles would log a
  // violation for it. Pages that allow them may add style="border: 0".
  const src = new URL(appUrl);
  src.hash = `${encodeURIComponent(demo)}?${params}`;
  const iframe = `<iframe src="${escapeAttribute(src.href)}" title="${escapeAttribute(label)}"\n` +
    `        width="100%" height="${height}" loading="lazy"></iframe>`;
  return { component, iframe, iframeSrc: src.href };
}

/** Loads www/embed.js once (a classic script, allowed by the app's CSP). */
let loaderPromise = null;
function loadEmbedScript() {
  if (customElements.get("trainlab-demo")) return Promise.resolve();
  loaderPromise ??= new Promise((resolve, reject) => {
    const script = h("script", { src: EMBED_SCRIPT_URL.href });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => {
      loaderPromise = null;
      reject(new Error("embed.js did not load"));
    });
    document.head.append(script);
  });
  return loaderPromise;
}

/** The elements Tab moves between inside `root`, in order. */
function focusables(root) {
  const selector = "button, [href], input, select, textarea, iframe, [tabindex]:not([tabindex='-1'])";
  return [...root.querySelectorAll(selector)].filter(
    (el) => !el.disabled && !el.closest("[hidden]") && el.getClientRects().length > 0,
  );
}

/**
 * Puts an "Embed" button into `container` (the site header) and builds the
 * dialog it opens. `currentDemo()` names the demo on screen.
 * Returns { button, dialog, open, close }.
 */
export function mountEmbedDialog(container, { currentDemo }) {
  const button = h("button", {
    type: "button", class: "embed-open", "aria-haspopup": "dialog",
    "data-i18n": "embed.open", "data-i18n-label": "embed.openLabel",
  });
  container.append(button);

  const ids = { title: "embed-title", lang: "embed-lang", height: "embed-height", fit: "embed-fit" };
  const langSelect = h("select", { id: ids.lang },
    Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, lang: code }, name)));
  const heightInput = h("input", {
    id: ids.height, type: "number", min: MIN_HEIGHT, max: MAX_HEIGHT, step: 10, inputmode: "numeric",
    value: DEFAULT_HEIGHT, "aria-describedby": "embed-height-error",
  });
  const heightError = h("p", { id: "embed-height-error", class: "field-error", role: "alert" });
  const fitInput = h("input", { id: ids.fit, type: "checkbox", checked: true, "aria-describedby": "embed-fit-note" });

  const componentCode = h("code", { class: "embed-code", "data-snippet": "component" });
  const iframeCode = h("code", { class: "embed-code", "data-snippet": "iframe" });
  const componentNote = h("p", { class: "hint" });
  const iframeNote = h("p", { class: "hint" });
  const status = h("p", { class: "embed-status", role: "status", "aria-live": "polite" });
  const preview = h("div", { class: "embed-preview" });

  const copyButton = (code, labelKey) => h("button", {
    type: "button", class: "embed-copy", "data-i18n": "embed.copy", "data-i18n-label": labelKey,
    onclick: () => copy(code),
  });
  const closeButton = h("button", {
    type: "button", class: "embed-close", "data-i18n-label": "embed.close", onclick: () => close(),
  }, "×");

  const dialog = h("dialog", { class: "embed-dialog", "aria-labelledby": ids.title, "aria-modal": "true" },
    h("div", { class: "embed-head" },
      h("h2", { id: ids.title, "data-i18n": "embed.title" }), closeButton),
    h("p", { class: "intro", "data-i18n": "embed.intro" }),
    h("div", { class: "embed-options" },
      h("label", { class: "field", for: ids.lang }, h("span", { "data-i18n": "embed.language" }), langSelect),
      h("label", { class: "field", for: ids.height }, h("span", { "data-i18n": "embed.height" }), heightInput),
      h("label", { class: "check", for: ids.fit }, fitInput, h("span", { "data-i18n": "embed.fit" }))),
    heightError,
    h("p", { class: "hint", id: "embed-fit-note", "data-i18n": "embed.fitNote" }),
    h("h3", { "data-i18n": "embed.component" }), componentNote,
    h("div", { class: "embed-snippet" }, h("pre", {}, componentCode), copyButton(componentCode, "embed.copyComponent")),
    h("h3", { "data-i18n": "embed.iframe" }), iframeNote,
    h("div", { class: "embed-snippet" }, h("pre", {}, iframeCode), copyButton(iframeCode, "embed.copyIframe")),
    status,
    h("h3", { "data-i18n": "embed.preview" }),
    preview,
    h("div", { class: "embed-foot" },
      h("button", { type: "button", class: "primary", "data-i18n": "embed.close", onclick: () => close() })),
  );
  document.body.append(dialog);

  let height = DEFAULT_HEIGHT;
  let heightChosen = false;
  let returnFocus = null;
  let previewTimer = 0;

  function current() {
    const { state } = stateOf(location.hash);
    const demo = currentDemo();
    const lang = langSelect.value;
    const name = tables[lang]?.[`nav.${demo}`] ?? demo;
    return { demo, state, lang, height, fit: fitInput.checked, label: `${name} · trainlab` };
  }

  function readHeight() {
    const value = Number(heightInput.value);
    const ok = heightInput.value.trim() !== "" && Number.isInteger(value) && value >= MIN_HEIGHT && value <= MAX_HEIGHT;
    heightInput.setAttribute("aria-invalid", ok ? "false" : "true");
    heightError.textContent = ok ? "" : t("embed.badHeight", { min: MIN_HEIGHT, max: MAX_HEIGHT, height });
    if (ok) height = value;
  }

  function update() {
    const choice = current();
    const text = snippets(choice);
    componentCode.textContent = text.component;
    iframeCode.textContent = text.iframe;
    const origin = APP_URL.origin;
    componentNote.textContent = t("embed.componentNote", { origin });
    iframeNote.textContent = t("embed.iframeNote", { origin });
    // The preview trails typing a little, so each keystroke does not reload it.
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => updatePreview(choice), 250);
  }

  async function updatePreview(choice) {
    if (!dialog.open) return;
    try {
      await loadEmbedScript();
    } catch (error) {
      clear(preview);
      preview.append(h("p", { class: "field-error", text: error.message }));
      return;
    }
    if (!dialog.open) return;
    let element = preview.querySelector("trainlab-demo");
    if (!element) {
      element = document.createElement("trainlab-demo");
      clear(preview);
      preview.append(element);
    }
    element.setAttribute("demo", choice.demo);
    element.setAttribute("state", choice.state);
    element.setAttribute("lang", choice.lang);
    element.setAttribute("label", choice.label);
    if (choice.fit) element.removeAttribute("height");
    else element.setAttribute("height", `${choice.height}px`);
  }

  async function copy(code) {
    const text = code.textContent;
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      status.textContent = t("embed.copied");
    } catch {
      // Select the snippet so the reader can copy it with the keyboard.
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = t("embed.copyFailed");
    }
  }

  function open() {
    if (dialog.open) return;
    returnFocus = document.activeElement;
    langSelect.value = language();
    status.textContent = "";
    if (!heightChosen) {
      // Start from the demo's own height, so the fixed-height iframe fits it.
      const main = document.querySelector("main");
      const fits = main ? Math.ceil(main.getBoundingClientRect().height / 10) * 10 : DEFAULT_HEIGHT;
      height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, fits));
      heightInput.value = String(height);
    }
    translateTree(dialog);
    update();
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    closeButton.focus();
  }

  function close() {
    if (!dialog.open) return;
    if (typeof dialog.close === "function") dialog.close();
    else {
      dialog.removeAttribute("open");
      dialog.dispatchEvent(new Event("close"));
    }
  }

  dialog.addEventListener("close", () => {
    clearTimeout(previewTimer);
    // The preview is a second copy of the app: free it while closed.
    clear(preview);
    if (returnFocus?.isConnected) returnFocus.focus();
    returnFocus = null;
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "Tab") return;
    const items = focusables(dialog);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right &&
      event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) close();
  });

  button.addEventListener("click", open);
  langSelect.addEventListener("change", update);
  fitInput.addEventListener("change", update);
  heightInput.addEventListener("input", () => {
    heightChosen = true;
    readHeight();
    update();
  });
  onLanguageChange(() => {
    if (dialog.open) {
      translateTree(dialog);
      update();
    }
  });
  // The demo's state changes while the dialog is closed; a hash change while
  // open (the preview cannot cause one: it is another document) is rare.
  window.addEventListener("hashchange", () => dialog.open && update());

  return { button, dialog, open, close };
}
