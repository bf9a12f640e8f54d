// Boot: load the wasm engine, read the URL, mount the requested demo, and
// keep the URL and the language in step with what is on screen.
import init, * as engine from "./pkg/trainlab.js";
import { h, clear } from "./ui/dom.js";
import { createNoticeArea } from "./ui/parts/notices.js";
import { LANGUAGES, language, setLanguage, t, translateTree, onLanguageChange } from "./i18n/index.js";
import { readHash, decode, encode, writeHash } from "./state.js";
import * as race from "./demos/race.js";
import * as schedules from "./demos/schedules.js";
import * as secondOrder from "./demos/second-order.js";
import * as network from "./demos/network.js";
import * as dropout from "./demos/dropout.js";
import * as batchnorm from "./demos/batchnorm.js";
import * as augment from "./demos/augment.js";
import * as ensembles from "./demos/ensembles.js";
import * as images from "./demos/images.js";
import * as transfer from "./demos/transfer.js";
import { mountEmbedDialog } from "./ui/embed-dialog.js";
import { mountLecture, sectionOf } from "./lecture/page.js";
import { SINGLE_FILE } from "./build-info.js";
import { reportHeightToParent } from "./ui/frame-height.js";

const DEMOS = [race, schedules, secondOrder, network, dropout, batchnorm, ensembles, augment, images, transfer];
const GLOBAL_PARAMS = ["lang", "embed"];

const notices = createNoticeArea(document.getElementById("notices"));
const main = document.getElementById("demo");
let mounted = null;
let mountedId = null;

/** Shows a message in the notice area; `kind` is "error", "warning" or "info". */
export function notify(message, kind = "warning") {
  return notices.notify(message, kind);
}

function buildNav() {
  const nav = document.getElementById("demo-nav");
  clear(nav);
  for (const demo of DEMOS) {
    const link = h("a", { href: `#${demo.id}`, "data-i18n": `nav.${demo.id}` });
    if (demo.id === mountedId) link.setAttribute("aria-current", "page");
    nav.append(link);
  }
  const select = document.getElementById("language");
  if (!select.options.length) {
    for (const [code, name] of Object.entries(LANGUAGES)) {
      select.append(h("option", { value: code, lang: code }, name));
    }
    select.addEventListener("change", () => {
      setLanguage(select.value);
      mounted?.saveState?.();
    });
  }
  // Lecture mode walks every demo; it is a page of its own, not a demo.
  let lectureLink = document.getElementById("lecture-link");
  if (!lectureLink) {
    lectureLink = h("a", { id: "lecture-link", class: "lecture-link", href: "#lecture", "data-i18n": "nav.lecture" });
    nav.after(lectureLink);
  }
  if (mountedId === "lecture") lectureLink.setAttribute("aria-current", "page");
  else lectureLink.removeAttribute("aria-current");
  select.value = language();
  translateTree(document.body);
  // On a phone the nav scrolls sideways: bring the current demo into view.
  const current = nav.querySelector('[aria-current="page"]');
  if (current && nav.scrollWidth > nav.clientWidth) {
    const offset = current.getBoundingClientRect().left - nav.getBoundingClientRect().left;
    nav.scrollLeft += offset - (nav.clientWidth - current.offsetWidth) / 2;
  }
}

/** Writes the demo's state (and the language) into the hash. */
function saveState(demoId, table, values) {
  const params = encode(table, values);
  if (language() !== "en") params.set("lang", language());
  const { params: current } = readHash();
  if (current.get("embed") === "1") params.set("embed", "1");
  writeHash(demoId, params);
}

/** Writes the lecture's hash: #lecture[/section][?lang=…]. */
function saveLectureState(section) {
  const params = new URLSearchParams();
  if (language() !== "en") params.set("lang", language());
  writeHash(section ? `lecture/${section}` : "lecture", params);
}

/** Mounts lecture mode, or scrolls to a section of the one on screen. */
function routeLecture(requested, params) {
  const section = sectionOf(requested);
  const lang = params.get("lang");
  if (mountedId === "lecture" && mounted) {
    if (lang) setLanguage(lang);
    if (section) mounted.goTo(section);
    return Promise.resolve();
  }
  notices.clear();
  if (lang && !setLanguage(lang)) notify(t("notice.badLanguage", { value: lang }));
  document.body.classList.toggle("embed", false);
  mounted?.destroy();
  clear(main);
  mountedId = "lecture";
  document.title = `${t("nav.lecture")} · trainlab`;
  buildNav();
  let current = section;
  const lecture = mountLecture(main, {
    engine,
    demos: DEMOS,
    notify: (message, kind) => (mounted === lecture ? notify(message, kind) : null),
    section,
    onSection: (id) => { current = id; saveLectureState(id); },
  });
  lecture.saveState = () => saveLectureState(current);
  mounted = lecture;
  return Promise.resolve(lecture.ready);
}

/** Mounts the demo the hash names; resolves when its first picture is drawn. */
function route() {
  const { demo: requested, params } = readHash();
  if (requested === "lecture" || requested.startsWith("lecture/")) return routeLecture(requested, params);
  const demo = DEMOS.find((d) => d.id === requested) ?? DEMOS[0];
  const { values, rejected } = decode(demo.params, params, { ignore: GLOBAL_PARAMS });
  if (mounted && mountedId === demo.id && mounted.sameState?.(values)) return Promise.resolve();
  // Notices belong to the demo (and the link) that caused them.
  notices.clear();
  const lang = params.get("lang");
  if (lang && !setLanguage(lang)) notify(t("notice.badLanguage", { value: lang }));
  if (requested && demo.id !== requested) {
    const shown = requested.length > 40 ? `${requested.slice(0, 40)}…` : requested;
    notify(t("notice.badDemo", { value: shown, demo: t(`nav.${demo.id}`) }));
  }
  document.body.classList.toggle("embed", params.get("embed") === "1");
  mounted?.destroy();
  clear(main);
  mountedId = demo.id;
  document.title = `${t(`nav.${demo.id}`)} · trainlab`;
  buildNav();
  const short = (text) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
  for (const { name, raw } of rejected) {
    notify(t("notice.badParam", { name: short(name), value: short(raw) }));
  }
  // A demo's late messages (an answer from its worker after it was left)
  // must not land among the next demo's notices.
  const token = {};
  let current = token;
  const own = () => current === token;
  mounted = demo.mount(main, {
    engine,
    values,
    notify: (message, kind) => (own() ? notify(message, kind) : null),
    clearNotices: () => { if (own()) notices.clear(); },
    save: (v) => { if (own()) saveState(demo.id, demo.params, v); },
  });
  const destroy = mounted.destroy;
  mounted.destroy = () => { current = null; destroy(); };
  return Promise.resolve(mounted.ready);
}

async function boot() {
  try {
    await init();
  } catch (error) {
    const message = location.protocol === "file:" ? t("notice.fileProtocol") : t("notice.wasmFailed");
    notify(`${message} (${error.message})`, "error");
    document.body.dataset.ready = "error";
    return;
  }
  onLanguageChange(() => {
    translateTree(document.body);
    if (mountedId) document.title = `${t(`nav.${mountedId}`)} · trainlab`;
    if (mountedId === "lecture") mounted?.saveState?.();
    const select = document.getElementById("language");
    select.value = language();
  });
  window.addEventListener("hashchange", () => { route(); });
  // The one file has no embed.js beside it to embed with.
  if (!SINGLE_FILE) mountEmbedDialog(document.querySelector("header.site"), { currentDemo: () => mountedId });
  try {
    await route();
  } finally {
    document.body.dataset.ready = "1";
  }
  // Inside a course page's iframe: tell the page how tall the demo is.
  reportHeightToParent();
}

// Expose the engine for course pages and the console: window.trainlab.
window.trainlab = engine;
// For tests and benchmarks: what is mounted now (its debug hooks).
window.trainlabApp = { get mounted() { return mounted; } };
boot();
