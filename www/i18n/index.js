// One key space for every UI string, in English and Korean.
// Strings may hold {name} placeholders, filled by t(key, {name: value}).
import enCore from "./en.js";
import koCore from "./ko.js";
import network from "./network.js";
import augment from "./augment.js";
import lessons from "./lessons.js";
import embed from "./embed.js";
import access from "./access.js";
import kit from "./kit.js";
import ensembles from "./ensembles.js";
import images from "./images.js";
import transfer from "./transfer.js";
import lecture from "./lecture.js";

export const LANGUAGES = { en: "English", ko: "한국어" };
// One key space: the shell and race strings plus each feature's own file.
const en = { ...enCore, ...network.en, ...augment.en, ...lessons.en, ...embed.en, ...access.en, ...kit.en, ...ensembles.en, ...images.en, ...transfer.en, ...lecture.en };
const ko = { ...koCore, ...network.ko, ...augment.ko, ...lessons.ko, ...embed.ko, ...access.ko, ...kit.ko, ...ensembles.ko, ...images.ko, ...transfer.ko, ...lecture.ko };
const TABLES = { en, ko };
let current = "en";
const listeners = new Set();

export function language() {
  return current;
}

/** Switches language, sets <html lang>, and tells every listener. */
export function setLanguage(lang) {
  if (!(lang in TABLES)) return false;
  current = lang;
  document.documentElement.lang = lang;
  for (const fn of [...listeners]) fn(lang);
  return true;
}

/** Calls `fn` after every language change; returns an unsubscribe function. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The string for `key` in the current language (English if missing there). */
export function t(key, vars) {
  let text = TABLES[current][key] ?? en[key];
  if (text === undefined) {
    console.warn(`missing string: ${key}`);
    return key;
  }
  if (vars) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  }
  return text;
}

/** Sets textContent of every [data-i18n] element under `root`. */
export function translateTree(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}

export const tables = TABLES;
