// Placeholder entry point (the app replaces it): loads the wasm package and
// marks the page ready, which the end-to-end smoke test waits for.
import init from './pkg/trainlab.js';

await init();
document.body.dataset.ready = '1';
