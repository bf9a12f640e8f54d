// The engine host's request handling in Node, with a fake engine kind (so
// no wasm is needed): handles are counted and freed, a cancel stops a run
// after its current step, the page fallback keeps a run to its budget,
// and unknown requests, commands and handles are refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHostCore } from '../../www/workers/host-core.js';

/** A kind whose objects count their steps; `onStep` lets a test act between steps. */
function counterKind(onStep = () => {}) {
  const frees = [];
  return {
    frees,
    create: (engine, spec) => {
      if (spec.bad) throw new Error('counter key \'bad\' is refused');
      return { steps: 0, name: spec.name };
    },
    free: (state) => frees.push(state.name),
    step: (state, n) => { state.steps += n; onStep(state); },
    describe: (state) => ({ name: state.name }),
    snapshot: (state) => ({ value: { steps: state.steps }, transfer: [] }),
    commands: { add: (state, k) => { state.steps += k; return state.steps; } },
  };
}

test('create, free and close keep count of live handles', async () => {
  const kind = counterKind();
  const core = createHostCore(null, { kinds: { Counter: kind } });
  const made = await core.handle({ op: 'create', handle: 1, kind: 'Counter', spec: { name: 'a' }, snapshot: {} });
  assert.deepEqual(made.value, { info: { name: 'a' }, snapshot: { steps: 0 } });
  await core.handle({ op: 'create', handle: 2, kind: 'Counter', spec: { name: 'b' } });
  await assert.rejects(core.handle({ op: 'create', handle: 3, kind: 'Counter', spec: { bad: true } }), /'bad' is refused/);
  assert.deepEqual((await core.handle({ op: 'stats' })).value, { live: 2, created: 2, freed: 0 });
  await core.handle({ op: 'free', handle: 1 });
  assert.deepEqual((await core.handle({ op: 'close' })).value, { live: 1, created: 2, freed: 1 });
  assert.deepEqual(kind.frees, ['a', 'b']);
  assert.equal(core.live, 0);
});

test('run steps every handle in turn and answers with their snapshots', async () => {
  const core = createHostCore(null, { kinds: { Counter: counterKind() } });
  for (const handle of [1, 2]) await core.handle({ op: 'create', handle, kind: 'Counter', spec: { name: String(handle) } });
  const { value } = await core.handle({ id: 1, op: 'run', handles: [1, 2], steps: 5, snapshot: {} });
  assert.equal(value.steps, 5);
  assert.equal(value.cancelled, false);
  assert.deepEqual(value.snapshots, [{ steps: 5 }, { steps: 5 }]);
  assert.ok(value.startedAt <= value.endedAt);
});

test('a cancel read between steps stops the run after its current step', async () => {
  let clock = 0;
  let core;
  // Each step "takes" 20 ms, so the host yields after every step; the
  // cancel arrives during the third step.
  const kind = counterKind((state) => {
    clock += 20;
    if (state.steps === 3) core.cancel(7);
  });
  core = createHostCore(null, { kinds: { Counter: kind }, clock: () => clock, yieldToEvents: () => Promise.resolve(), sliceMs: 12 });
  await core.handle({ op: 'create', handle: 1, kind: 'Counter', spec: { name: 'a' } });
  const { value } = await core.handle({ id: 7, op: 'run', handles: [1], steps: 1000, snapshot: {} });
  assert.deepEqual({ steps: value.steps, cancelled: value.cancelled }, { steps: 3, cancelled: true });
  // A cancel that comes after its run ended does not stop the next run.
  core.cancel(7);
  const next = await core.handle({ id: 8, op: 'run', handles: [1], steps: 2, snapshot: {} });
  assert.deepEqual({ steps: next.value.steps, cancelled: next.value.cancelled }, { steps: 2, cancelled: false });
});

test('on the page a run keeps to its budget (at least one step)', async () => {
  let clock = 0;
  const kind = counterKind(() => { clock += 3; });
  const core = createHostCore(null, { kinds: { Counter: kind }, clock: () => clock });
  await core.handle({ op: 'create', handle: 1, kind: 'Counter', spec: { name: 'a' } });
  const within = await core.handle({ id: 1, op: 'run', handles: [1], steps: 100, budgetMs: 8, snapshot: {} });
  assert.equal(within.value.steps, 3, '3 ms a step: the third step crosses 8 ms');
  const tight = await core.handle({ id: 2, op: 'run', handles: [1], steps: 100, budgetMs: 1, snapshot: {} });
  assert.equal(tight.value.steps, 1);
});

test('unknown requests, kinds, commands and handles are refused by name', async () => {
  const core = createHostCore(null, { kinds: { Counter: counterKind() } });
  await core.handle({ op: 'create', handle: 1, kind: 'Counter', spec: { name: 'a' } });
  await assert.rejects(core.handle({ op: 'explode' }), /unknown engine host request 'explode'/);
  await assert.rejects(core.handle({ op: 'toString' }), /unknown engine host request 'toString'/);
  await assert.rejects(core.handle({ op: 'create', handle: 2, kind: 'Nope', spec: {} }), /unknown engine kind 'Nope' \(known: Counter\)/);
  await assert.rejects(core.handle({ op: 'create', handle: 1, kind: 'Counter', spec: {} }), /handle 1 is taken/);
  await assert.rejects(core.handle({ op: 'command', handle: 1, name: 'constructor' }), /unknown command 'constructor' \(known: add\)/);
  await assert.rejects(core.handle({ op: 'run', id: 3, handles: [9], steps: 1 }), /no engine object with handle 9/);
  const added = await core.handle({ op: 'command', handle: 1, name: 'add', args: [4], snapshot: {} });
  assert.deepEqual(added.value, { result: 4, snapshot: { steps: 4 } });
});
