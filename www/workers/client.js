// The page's side of the engine host: one module worker per demo instance
// owns that demo's engine objects; the page sends requests and gets
// promises of answers (see host-core.js for the requests). Where a module
// worker cannot start (an old browser, a worker blocked by the host page's
// policy, a failed load) the same requests are answered on the page by the
// same host core, each run kept to its frame budget.
import { createHostCore } from "./host-core.js";

const WORKER_URL = new URL("./engine-worker.js", import.meta.url);

/** Rejection reason of requests dropped by restart(). */
export class HostRestarted extends Error {
  constructor() {
    super("the engine host restarted");
    this.name = "HostRestarted";
  }
}

/**
 * A demo's rebuild: waits for every `host.create` in `made`, then, in the same
 * task, either hands the answers (in order) to `install` and resolves to {ok},
 * or frees the objects that were made and resolves to {stale} (`current()`
 * turned false meanwhile: a newer rebuild, or the demo was destroyed) or to
 * {error} (the first refusal's message; "" when a restart dropped the request).
 * The settings loop (www/ui/parts/controls.js createSettings) reads this result.
 */
export function installCreated(host, made, current, install) {
  return Promise.allSettled(made).then((results) => {
    const fresh = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const refused = results.find((r) => r.status === "rejected");
    if (!current() || refused) {
      for (const f of fresh) host.free(f.handle);
      if (!current()) return { stale: true };
      return { error: refused.reason instanceof HostRestarted ? "" : refused.reason.message };
    }
    install(fresh);
    return { ok: true };
  });
}

/**
 * @param {object} o
 * @param {object} [o.engine] the page's wasm exports, for the fallback
 * @param {boolean} [o.useWorker=true] false forces the page fallback
 * @param {(mode:"worker"|"main", reason?:string)=>void} [o.onMode] called once the
 *   host knows where it runs, and again if it falls back
 * @param {(reason:string)=>void} [o.onLost] the worker died after starting: every
 *   handle is gone and later requests run on the page; rebuild what you need
 */
export function createEngineHost({ engine = null, useWorker = true, workerUrl = WORKER_URL, onMode = () => {}, onLost = () => {} } = {}) {
  let mode = "starting";
  let worker = null;
  let workerReady = false;
  let local = null;
  let localQueue = Promise.resolve();
  const pending = new Map();
  let nextId = 0;
  let nextHandle = 0;
  let closed = false;

  function startWorker() {
    if (!useWorker || typeof Worker !== "function") return false;
    // Browsers without module workers never read `type`: the standard probe.
    let moduleWorkers = false;
    const options = { get type() { moduleWorkers = true; return "module"; } };
    let started;
    try {
      started = new Worker(workerUrl, options);
    } catch {
      return false;
    }
    if (!moduleWorkers) {
      started.terminate();
      return false;
    }
    worker = started;
    workerReady = false;
    started.onmessage = (event) => onWorkerMessage(started, event.data);
    started.onerror = (event) => {
      event.preventDefault();
      failed(started, event.message || "the worker script could not run");
    };
    return true;
  }

  function onWorkerMessage(from, data) {
    if (from !== worker) return;
    if (data.op === "ready") {
      workerReady = true;
      mode = "worker";
      onMode("worker");
      return;
    }
    if (data.op === "fatal") {
      failed(from, data.message);
      return;
    }
    const waiting = pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id);
    if (data.ok) waiting.resolve(data.value);
    else waiting.reject(new Error(data.message));
  }

  function failed(which, reason) {
    if (which !== worker) return;
    worker.terminate();
    worker = null;
    const wasReady = workerReady;
    mode = "main";
    const waiting = [...pending.values()];
    pending.clear();
    if (!wasReady) {
      // Nothing was lost: answer everything that waited on the page instead.
      onMode("main", reason);
      for (const w of waiting) onPage(w.message).then(w.resolve, w.reject);
    } else {
      const error = new Error(`the background engine stopped: ${reason}`);
      for (const w of waiting) w.reject(error);
      onMode("main", reason);
      onLost(reason);
    }
  }

  function onPage(message) {
    if (!engine) return Promise.reject(new Error("no engine on the page to fall back to"));
    local ??= createHostCore(engine, { clock: () => performance.now(), timeOrigin: performance.timeOrigin });
    const core = local;
    const answer = localQueue.then(() => core.handle(message)).then((r) => r.value);
    localQueue = answer.catch(() => {});
    return answer;
  }

  function request(op, fields = {}) {
    if (closed) return Promise.reject(new Error("the engine host is closed"));
    const message = { id: ++nextId, op, ...fields };
    if (mode === "main") return onPage(message);
    return new Promise((resolve, reject) => {
      pending.set(message.id, { message, resolve, reject });
      worker.postMessage(message);
    });
  }

  if (!startWorker()) {
    mode = "main";
    queueMicrotask(() => onMode("main", "no module workers"));
  }

  return {
    /** "starting" until the worker has loaded, then "worker"; "main" on the fallback. */
    get mode() { return mode; },
    /** True while a request to the worker has not been answered. */
    get busy() { return pending.size > 0; },
    /** The ops ("run", "create", …) of the requests the worker has not answered, oldest first. */
    get pendingOps() { return [...pending.values()].map(({ message }) => message.op); },
    /** Builds an engine object of `kind` from `spec`; resolves to {handle, info, snapshot}. */
    create(kind, spec, snapshot = null) {
      const handle = ++nextHandle;
      return request("create", { handle, kind, spec, snapshot }).then((value) => ({ handle, ...value }));
    },
    /** `steps` steps of every handle; see host-core.js for the answer. */
    run(handles, steps, { budgetMs, snapshot = {} } = {}) {
      return request("run", { handles, steps, budgetMs: mode === "main" ? budgetMs : undefined, snapshot });
    },
    /** Stops every run in flight after its current step. */
    cancel() {
      for (const { message } of pending.values()) {
        if (message.op === "run") {
          if (worker) worker.postMessage({ op: "cancel", run: message.id });
          else local?.cancel(message.id);
        }
      }
    },
    command(handle, name, args = [], snapshot = null) {
      return request("command", { handle, name, args, snapshot });
    },
    snapshot(handle, request_) {
      return request("snapshot", { handle, request: request_ });
    },
    /** Frees an engine object (errors are dropped: it may already be gone). */
    free(handle) {
      return request("free", { handle }).catch(() => {});
    },
    /** {live, created, freed}: engine objects in the host (a test hook). */
    stats() {
      return request("stats");
    },
    /**
     * Drops every engine object and every request not yet answered at once
     * (they reject with HostRestarted): a new worker starts. For rebuilding
     * while a long step is running, rather than waiting for it.
     */
    restart() {
      const waiting = [...pending.values()];
      pending.clear();
      if (worker) {
        worker.terminate();
        worker = null;
        mode = "starting";
        if (!startWorker()) mode = "main";
      } else if (local) {
        local.handle({ op: "close" }).catch(() => {});
        local = null;
      }
      for (const w of waiting) w.reject(new HostRestarted());
    },
    /**
     * Frees everything and stops the worker. Resolves to the stats just
     * before closing ({live, created, freed}), or {terminated: true} when
     * work that may be long (a run, a build, a snapshot) was still in
     * flight and the worker was stopped outright instead.
     */
    close() {
      if (closed) return Promise.resolve({ closed: true });
      // Frees and stats are quick; anything else may be a long step.
      const long = [...pending.values()].some(({ message }) => !["free", "stats"].includes(message.op));
      if (worker && long) {
        closed = true;
        worker.terminate();
        worker = null;
        const waiting = [...pending.values()];
        pending.clear();
        for (const w of waiting) w.reject(new HostRestarted());
        return Promise.resolve({ terminated: true });
      }
      const answer = request("close");
      closed = true;
      return answer.then(
        (stats) => { worker?.terminate(); worker = null; local = null; return stats; },
        (error) => { worker?.terminate(); worker = null; local = null; throw error; },
      );
    },
  };
}
