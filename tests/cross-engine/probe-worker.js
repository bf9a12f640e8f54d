// Reports what a worker of this engine offers (loaded by features.test.mjs).
postMessage({
  offscreenCanvas: typeof OffscreenCanvas === "function",
  offscreen2d: typeof OffscreenCanvas === "function" && new OffscreenCanvas(1, 1).getContext("2d") !== null,
  webAssembly: typeof WebAssembly === "object",
});
