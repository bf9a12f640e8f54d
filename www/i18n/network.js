// network strings, English and Korean, merged into the one key space by index.js.
// Every key must exist in both languages (a test checks).
export default {
  en: {},
  ko: {},
};
