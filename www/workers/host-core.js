// The engine host: owns engine objects behind integer handles and answers
// the page's requests, one at a time. It runs inside the module worker
// (engine-worker.js) or, where no module worker can start, on the page
// itself (client.js), with the same requests and answers either way.
//
// Requests ({id, op, ...}) and what they answer:
//   create  {handle, kind, spec, snapshot?}   -> {info, snapshot?}
//           (a kind's create may return a Promise: loading its data)
//   run     {handles, steps, budgetMs?, snapshot}
//           -> {steps: taken, cancelled, startedAt, endedAt, snapshots: [...]}
//           One step of every handle in turn, `steps` times, stopping early
//           after a step when cancelled or (on the page) past budgetMs.
//   command {handle, name, args, snapshot?}   -> {result, snapshot?}
//   snapshot {handle, request}                -> snapshot
//   free    {handle}                          -> null
//   stats                                     -> {live, created, freed}
//   close                                     -> stats before freeing what is left
// A snapshot's typed arrays are listed for transfer, never copied twice.
import { KINDS } from "./kinds/index.js";

/**
 * @param {object} engine the wasm package's exports (after init)
 * @param {object} [o]
 * @param {()=>number} [o.clock] milliseconds
 * @param {number} [o.timeOrigin] added to clock() for absolute times
 * @param {()=>Promise<void>} [o.yieldToEvents] lets messages (a cancel) in
 *   between steps; null on the page, where a run is kept to its budget instead
 * @param {number} [o.sliceMs] work between two yields
 */
export function createHostCore(engine, { clock = () => performance.now(), timeOrigin = 0, yieldToEvents = null, sliceMs = 12, kinds = KINDS } = {}) {
  const objects = new Map();
  const cancelled = new Set();
  // Requests are answered in id order, so a cancel for an id at or below
  // this one came too late and is dropped.
  let lastRun = 0;
  let created = 0;
  let freed = 0;

  function entry(handle) {
    const found = objects.get(handle);
    if (!found) throw new Error(`no engine object with handle ${handle} (freed, or made by a restarted host)`);
    return found;
  }

  function snapshotOf(handle, request) {
    const { kind, state } = entry(handle);
    return kind.snapshot(state, request ?? {}, clock);
  }

  /** Collects snapshots of several handles into one answer; `request` is one for all or a list, one per handle. */
  function gather(handles, request) {
    const snapshots = [];
    const transfer = [];
    for (const [i, handle] of handles.entries()) {
      const s = snapshotOf(handle, Array.isArray(request) ? request[i] : request);
      snapshots.push(s.value);
      transfer.push(...s.transfer);
    }
    return { snapshots, transfer };
  }

  async function run({ id, handles, steps, budgetMs, snapshot }) {
    const list = handles.map((handle) => entry(handle));
    const start = clock();
    let slice = start;
    let taken = 0;
    let stopped = false;
    while (taken < steps) {
      if (cancelled.has(id)) { stopped = true; break; }
      if (budgetMs !== undefined && taken > 0 && clock() - start >= budgetMs) break;
      for (const { kind, state } of list) kind.step(state, 1);
      taken++;
      if (yieldToEvents && taken < steps && clock() - slice >= sliceMs) {
        await yieldToEvents();
        slice = clock();
      }
    }
    lastRun = id;
    for (const old of cancelled) if (old <= id) cancelled.delete(old);
    const end = clock();
    const { snapshots, transfer } = gather(handles, snapshot);
    return {
      value: { steps: taken, cancelled: stopped, startedAt: timeOrigin + start, endedAt: timeOrigin + end, snapshots },
      transfer,
    };
  }

  function freeHandle(handle) {
    const { kind, state } = entry(handle);
    objects.delete(handle);
    kind.free(state);
    freed++;
  }

  const ops = {
    async create({ handle, kind: name, spec, snapshot }) {
      const kind = kinds[name];
      if (!kind) throw new Error(`unknown engine kind '${name}' (known: ${Object.keys(kinds).join(", ")})`);
      if (objects.has(handle)) throw new Error(`handle ${handle} is taken`);
      // A kind may load data first (the digits): requests are answered in
      // order, so nothing else runs in this host meanwhile.
      const state = await kind.create(engine, spec);
      objects.set(handle, { kind, state });
      created++;
      const value = { info: kind.describe(state) };
      if (!snapshot) return { value };
      const s = kind.snapshot(state, snapshot, clock);
      value.snapshot = s.value;
      return { value, transfer: s.transfer };
    },
    run,
    command({ handle, name, args = [], snapshot }) {
      const { kind, state } = entry(handle);
      const fn = Object.hasOwn(kind.commands ?? {}, name) ? kind.commands[name] : null;
      if (!fn) throw new Error(`unknown command '${name}' (known: ${Object.keys(kind.commands ?? {}).join(", ")})`);
      const value = { result: fn(state, ...args) ?? null };
      if (!snapshot) return { value };
      const s = kind.snapshot(state, snapshot, clock);
      value.snapshot = s.value;
      return { value, transfer: s.transfer };
    },
    snapshot({ handle, request }) {
      return snapshotOf(handle, request);
    },
    free({ handle }) {
      freeHandle(handle);
      return { value: null };
    },
    stats() {
      return { value: { live: objects.size, created, freed } };
    },
    close() {
      const before = { live: objects.size, created, freed };
      for (const handle of [...objects.keys()]) freeHandle(handle);
      return { value: before };
    },
  };

  return {
    /** Answers one request: resolves to {value, transfer?}, rejects with an Error. */
    async handle(message) {
      const op = Object.hasOwn(ops, message.op) ? ops[message.op] : null;
      if (!op) throw new Error(`unknown engine host request '${message.op}'`);
      return op(message);
    },
    /** Stops run `id` after its current step (or before its first). */
    cancel(id) {
      if (id > lastRun) cancelled.add(id);
    },
    get live() { return objects.size; },
  };
}
