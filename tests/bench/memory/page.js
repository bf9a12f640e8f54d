// The long-session memory simulation of issue 11, the page's half (the
// runner, tests/bench/memory.mjs, samples memory while this runs): every
// demo in turn is mounted (a demo switch), played for a few frames, given a
// setting change through its own controls, reset, played again and
// unmounted — round after round until the runner stops it. Everything runs
// on the page's engine (ctx.worker = false), so the wasm memory measured
// here is all the wasm memory the demos use.
import init, * as engine from '../../../www/pkg/trainlab.js';
import { decode } from '../../../www/state.js';

const ALL = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'augment', 'ensembles', 'images', 'transfer'];
// ?demos=race,images cycles only those (the runner's --per-demo runs one at a time).
const asked = new URLSearchParams(location.search).get('demos')?.split(',').filter((id) => ALL.includes(id));
const IDS = asked?.length ? asked : ALL;
const box = document.getElementById('box');
const frames = (n) => new Promise((resolve) => {
  const next = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
  next(n);
});
const state = { rounds: 0, mounts: 0, changes: 0, errors: [], stop: false, demo: '' };
// The runner samples between rounds (no demo mounted), so samples compare like with like.
let holdAsked = null;
let release = null;

/** A setting change as a user makes it: the next option of one of the demo's menus. */
function changeSetting(round) {
  const selects = [...box.querySelectorAll('select')].filter((s) => s.options.length > 1 && !s.disabled);
  if (!selects.length) return;
  const select = selects[round % selects.length];
  const options = [...select.options].filter((o) => !o.disabled);
  const at = options.findIndex((o) => o.value === select.value);
  select.value = options[(at + 1) % options.length].value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  state.changes++;
}

function button(n) {
  return box.querySelector(`.player button:nth-of-type(${n})`);
}

async function exercise(round) {
  const play = button(1);
  if (play) {
    play.click();
    await frames(20);
    button(2).click();
  } else {
    box.querySelector('button.primary')?.click();
    await frames(5);
  }
}

async function cycle(id, round) {
  state.demo = id;
  const demo = await import(`../../../www/demos/${id}.js`);
  const { values } = decode(demo.params, new URLSearchParams(''));
  const mounted = demo.mount(box, {
    engine, values, worker: false,
    notify: () => {}, clearNotices: () => {}, save: () => {},
  });
  state.mounts++;
  await mounted.ready;
  await frames(3);
  await exercise(round);
  changeSetting(round);
  await frames(10);
  await exercise(round);
  button(4)?.click();            // Reset
  await frames(5);
  await exercise(round);
  mounted.destroy();
  box.replaceChildren();
}

async function main() {
  const wasm = await init();
  window.__memory = {
    state,
    demos: IDS,
    sample: () => ({ wasmBytes: wasm.memory.buffer.byteLength, rounds: state.rounds, mounts: state.mounts, changes: state.changes, demo: state.demo, errors: state.errors.length }),
    stop: () => { state.stop = true; release?.(); },
    /** Resolves at the end of the current round; the page then waits for resume(). */
    holdAtRoundEnd: () => new Promise((resolve) => { holdAsked = resolve; }),
    resume: () => { release?.(); release = null; },
  };
  window.addEventListener('error', (e) => state.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => state.errors.push(String(e.reason)));
  document.body.dataset.ready = '1';
  while (!state.stop) {
    for (const id of IDS) {
      if (state.stop) break;
      try {
        await cycle(id, state.rounds);
      } catch (error) {
        state.errors.push(`${id}: ${error.message}`);
      }
    }
    state.rounds++;
    if (holdAsked) {
      const reached = holdAsked;
      holdAsked = null;
      await new Promise((resolve) => { release = resolve; reached(); });
    }
  }
  document.body.dataset.done = '1';
}
main();
