// A long session, simulated: each cycle ("minute") switches through the
// race, schedules, Newton & L-BFGS, dropout, batch norm and augmentation
// demos (mount, run, change a setting, reset, run again, destroy), then
// records the wasm memory and the JS heap. Memory after warm-up against
// memory at the end shows whether a session grows. ?cycles=30 (default).
import init, * as engine from '../../www/pkg/trainlab.js';
import { decode } from '../../www/state.js';

const results = (window.__benchResults = []);
const report = (name, value, unit) => results.push({ name, value, unit });
const cycles = Number(new URLSearchParams(location.search).get('cycles') ?? 30);
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const DEMOS = ['race', 'schedules', 'second-order', 'dropout', 'batchnorm', 'augment'];
const MB = 1024 * 1024;

/** Sets a field the way a user does: a new value and a change event. */
function change(input, value) {
  input.value = String(value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function session(wasm, cycle) {
  for (const name of DEMOS) {
    const demo = await import(`../../www/demos/${name}.js`);
    const box = document.createElement('div');
    box.style.width = '1200px';
    document.body.append(box);
    const { values } = decode(demo.params, new URLSearchParams(''));
    const mounted = demo.mount(box, { engine, values, notify() {}, clearNotices() {}, save() {} });
    await mounted.ready;
    const buttons = box.querySelectorAll('.player[role="group"] button');
    const step = buttons[2];
    const reset = buttons[3];
    for (let round = 0; round < 2; round++) {
      if (mounted.debug?.frame) {
        for (let i = 0; i < 10; i++) mounted.debug.frame(50, i === 9);
      } else if (step) {
        for (let i = 0; i < 10; i++) step.click();
      }
      // A setting change rebuilds the engine objects.
      const seed = box.querySelector('input[id$="-seed"]');
      if (seed) change(seed, 1 + ((cycle * 7 + round) % 50));
      reset?.click();
      await nextFrame();
    }
    if (name === 'augment') box.querySelector('button[data-i18n="aug.resample"]')?.click();
    await nextFrame();
    mounted.destroy();
    box.remove();
  }
  return {
    wasm: wasm.memory.buffer.byteLength / MB,
    heap: (performance.memory?.usedJSHeapSize ?? NaN) / MB,
  };
}

try {
  const wasm = await init();
  const samples = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    samples.push(await session(wasm, cycle));
    window.__benchProgress = `cycle ${cycle} of ${cycles}`;
  }
  const warm = samples[Math.min(2, samples.length - 1)];
  const last = samples[samples.length - 1];
  report('wasm memory after warm-up (cycle 3)', warm.wasm, 'MB');
  report(`wasm memory after cycle ${cycles}`, last.wasm, 'MB');
  report('JS heap after warm-up (cycle 3)', warm.heap, 'MB');
  report(`JS heap after cycle ${cycles}`, last.heap, 'MB');
  report('JS heap, highest after warm-up', Math.max(...samples.slice(2).map((s) => s.heap)), 'MB');
  for (const [i, s] of samples.entries()) {
    if ((i + 1) % 5 === 0) report(`cycle ${i + 1}: wasm / JS heap`, `${s.wasm.toFixed(1)} / ${s.heap.toFixed(1)}`, 'MB');
  }
} catch (error) {
  window.__benchError = String(error?.stack ?? error);
} finally {
  document.getElementById('out').textContent = JSON.stringify(results, null, 2);
  window.__benchDone = true;
}
