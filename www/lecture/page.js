// Lecture mode (#lecture): one scrolling page that walks the lecture's
// outline (sections.js), each section a title, its lesson in words, links
// (previous, next, the full demo) and the demo itself, mounted at the
// section's preset. Demos mount one per task, so opening the page never
// blocks; each runs only while on screen (the shared scheduler); leaving
// destroys every one of them.
import { h, clear } from "../ui/dom.js";
import { t, translateTree, onLanguageChange } from "../i18n/index.js";
import { decode } from "../state.js";
import { SECTIONS } from "./sections.js";
import { countingEngine } from "./counting.js";

export const id = "lecture";

/** The section a hash body names: "lecture/adam" → "adam"; anything else → null. */
export function sectionOf(name, sections = SECTIONS) {
  const match = /^lecture\/(.+)$/.exec(name ?? "");
  return match && sections.some((s) => s.id === match[1]) ? match[1] : null;
}

/** Waits for the next task, so each demo's mount is a task of its own. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * @param {HTMLElement} root
 * @param {object} ctx {engine, demos (modules with id, params, mount), notify,
 *   section (id to scroll to, or null), onSection(id) (the reader moved there)}
 * Returns {destroy, goTo(id), ready, debug}.
 */
export function mountLecture(root, ctx) {
  const counted = countingEngine(ctx.engine);
  const sections = SECTIONS.filter((s) => ctx.demos.some((d) => d.id === s.demo));
  const mounted = new Map();
  let destroyed = false;

  const title = (s) => t(`lecture.${s.id}`);
  const tocLinks = sections.map((s, i) => h("li", {},
    h("a", { href: `#lecture/${s.id}`, dataset: { section: s.id } }, `${i + 1}. `, h("span", { "data-i18n": `lecture.${s.id}` }))));
  const toc = h("nav", { class: "lecture-toc", "aria-labelledby": "lecture-toc-title" },
    h("h2", { id: "lecture-toc-title", "data-i18n": "lecture.toc" }), h("ol", {}, tocLinks));

  const blocks = sections.map((s, i) => {
    const host = h("div", { class: "lecture-demo" }, h("p", { class: "loading", "data-i18n": "lecture.loading" }));
    const links = h("p", { class: "lecture-links" },
      i > 0 ? h("a", { href: `#lecture/${sections[i - 1].id}`, class: "prev", dataset: { section: sections[i - 1].id } }) : null,
      h("a", { href: `#${s.demo}${s.query ? `?${s.query}` : ""}`, class: "open", "data-i18n": "lecture.open" }),
      i + 1 < sections.length ? h("a", { href: `#lecture/${sections[i + 1].id}`, class: "next", dataset: { section: sections[i + 1].id } }) : null);
    const heading = h("h2", { id: `lecture-${s.id}-heading`, tabindex: -1 }, `${i + 1}. `, h("span", { "data-i18n": `lecture.${s.id}` }));
    const element = h("section", { class: "lecture-section", id: `lecture-${s.id}`, "aria-labelledby": heading.id, dataset: { section: s.id } },
      heading,
      h("p", { class: "lecture-lesson", "data-i18n": `lesson.${s.lesson}` }),
      links,
      host);
    return { section: s, element, host, links };
  });

  const page = h("article", { class: "lecture" },
    h("h1", { id: "lecture-title", "data-i18n": "lecture.title" }),
    h("p", { class: "intro", "data-i18n": "lecture.intro" }),
    toc,
    blocks.map((b) => b.element));
  root.append(page);

  function labelLinks() {
    for (const { links } of blocks) {
      for (const a of links.querySelectorAll("a[data-section]")) {
        const target = sections.find((s) => s.id === a.dataset.section);
        a.textContent = t(a.classList.contains("prev") ? "lecture.previous" : "lecture.next", { title: title(target) });
      }
    }
  }

  function relabel() {
    translateTree(page);
    labelLinks();
  }
  relabel();
  const unlisten = onLanguageChange(relabel);

  /** Scrolls to a section and gives its heading the keyboard focus. */
  function goTo(sectionId, { focus = true } = {}) {
    const block = blocks.find((b) => b.section.id === sectionId);
    if (!block) return;
    block.element.scrollIntoView({ block: "start" });
    if (focus) block.element.querySelector("h2").focus({ preventScroll: true });
  }

  // Links within the page move within it (no remount); the hash follows.
  function onClick(event) {
    const link = event.target.closest?.("a[data-section]");
    if (!link || !page.contains(link)) return;
    event.preventDefault();
    goTo(link.dataset.section);
    ctx.onSection?.(link.dataset.section);
  }
  page.addEventListener("click", onClick);

  async function mountAll() {
    for (const block of blocks) {
      await nextTask();
      if (destroyed) return;
      const demo = ctx.demos.find((d) => d.id === block.section.demo);
      const { values } = decode(demo.params, new URLSearchParams(block.section.query));
      clear(block.host);
      try {
        const instance = demo.mount(block.host, {
          engine: counted.engine,
          values,
          notify: (message, kind) => (destroyed ? null : ctx.notify(message, kind)),
          clearNotices: () => {},
          // A section's edits stay on the page: the hash names the lecture.
          save: () => {},
        });
        mounted.set(block.section.id, instance);
        await instance.ready;
      } catch (error) {
        if (!destroyed) ctx.notify(`${title(block.section)}: ${error.message}`, "error");
      }
    }
  }

  const ready = mountAll().then(() => {
    if (!destroyed && ctx.section) goTo(ctx.section);
  });
  if (ctx.section) goTo(ctx.section, { focus: false });

  return {
    ready,
    goTo,
    saveState() {},
    destroy() {
      destroyed = true;
      page.removeEventListener("click", onClick);
      unlisten();
      for (const instance of mounted.values()) instance.destroy();
      mounted.clear();
    },
    debug: {
      handles: counted.stats,
      instances: () => [...mounted.entries()].map(([section, m]) => ({ section, debug: m.debug })),
    },
  };
}
