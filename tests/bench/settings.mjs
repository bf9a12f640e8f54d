// How long reading a settings object takes on the release build (Node, the
// same V8 engine as Chromium): a Trainer with a custom data set of 20 000
// points, and settings holding a 100 000-element list (refused after
// reading). Figures only; run after ./scripts/build.sh:
//
//   node tests/bench/settings.mjs
import { api } from '../api/harness.mjs';

function best(rounds, work) {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const n = 20_000;
const x = new Float64Array(2 * n).map((_, i) => Math.sin(i * 0.37) * 2);
const y = new Int32Array(n).map((_, i) => i % 3);
const rows = [
  ['Trainer with 20 000 custom points', best(5, () => new api.Trainer({ dataset: { kind: 'custom', x, y }, hidden: [8] }).free())],
  ['Optimizer settings with a 100 000-element list (refused)', best(5, () => {
    try {
      new api.Optimizer({ kind: 'sgd', lr: new Array(100_000).fill(7) });
    } catch {
      // refused, as it should be
    }
  })],
  ['Race settings nested 20 000 levels (refused)', best(5, () => {
    let deep = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    try {
      new api.Race(new api.Surface('saddle'), { racers: [], start: deep });
    } catch {
      // refused
    }
  })],
];
for (const [name, ms] of rows) console.log(`${name.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
