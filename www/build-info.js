// Facts about how this copy of the app was built. The one-file build
// (scripts/single-file.mjs) bundles its own version of this module, in
// which SINGLE_FILE is true.

/** True in dist/trainlab.html: no server beside it, no www/embed.js to load. */
export const SINGLE_FILE = false;
