// The module worker that trains off the page's thread. It loads the same
// wasm package as the page, owns the engine objects (host-core.js) and
// answers requests in order; a cancel is read between steps, so Pause
// stops a run after its current step however long the run was to be.
import init, * as engine from "../pkg/trainlab.js";
import { createHostCore } from "./host-core.js";

// Yields to the event loop so queued messages (a cancel) are read; a
// MessageChannel round trip is not clamped to 4 ms as nested timers are.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEvents() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

let core = null;
// Cancels that arrive while the package is still loading.
const early = [];

const ready = init().then(() => {
  core = createHostCore(engine, {
    clock: () => performance.now(),
    timeOrigin: performance.timeOrigin,
    yieldToEvents,
  });
  for (const id of early.splice(0)) core.cancel(id);
  return core;
});
ready.then(
  () => self.postMessage({ op: "ready" }),
  (error) => self.postMessage({ op: "fatal", message: String(error?.message ?? error) }),
);

let queue = Promise.resolve();

self.onmessage = (event) => {
  const message = event.data;
  if (message?.op === "cancel") {
    if (core) core.cancel(message.run);
    else early.push(message.run);
    return;
  }
  queue = queue.then(async () => {
    try {
      await ready;
    } catch {
      return;
    }
    try {
      const { value, transfer = [] } = await core.handle(message);
      self.postMessage({ id: message.id, ok: true, value }, transfer);
    } catch (error) {
      self.postMessage({ id: message.id, ok: false, message: String(error?.message ?? error) });
    }
  });
};
