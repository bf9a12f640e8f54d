// The 30-minute memory simulation of issue 11 (figures, not pass/fail):
// tests/bench/memory/page.html cycles every demo (mount, play, a setting change,
// reset, unmount) while this prints, every interval, the page's wasm memory
// and its JS heap after a forced garbage collection (Chrome DevTools
// Protocol: HeapProfiler.collectGarbage, Runtime.getHeapUsage), taken
// between two rounds (no demo mounted; a round can outlast the interval).
// A long session is flat when neither grows after the warm-up.
//
//   node tests/bench/memory.mjs [--minutes 30] [--every 60] [--warmup 2] [--demos race,images] [--per-demo]
//   --per-demo: each demo alone in a fresh page for its share of the minutes, then a table
//   (after ./scripts/build.sh; --minutes 5 --every 30 for a short run)
import { startLab } from '../e2e/harness.mjs';

function text(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}
const option = (name, fallback) => Number(text(name, fallback));
const totalMinutes = option('--minutes', 30);
const everySeconds = option('--every', 60);
const demos = text('--demos', '');
const perDemo = process.argv.includes('--per-demo');
const ALL = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'augment', 'ensembles', 'images', 'transfer'];

const mib = (bytes) => (bytes / 1048576).toFixed(2);
const summary = [];
if (perDemo) {
  // The same minutes shared out: each demo alone, in a fresh page, for its share.
  const ids = demos ? demos.split(',') : ALL;
  for (const id of ids) await simulate(id, totalMinutes / ids.length);
  console.log('\nper demo: wasm and JS heap after warm-up → at the end');
  for (const row of summary) console.log(row);
} else {
  await simulate(demos, totalMinutes);
}

/** Cycles `ids` (comma-separated; empty: every demo) for `minutes`, sampling memory; adds a summary row. */
async function simulate(ids, minutes) {
  const warmupMinutes = Math.min(option('--warmup', Math.min(2, minutes / 5)), minutes / 3);
  const lab = await startLab();
  try {
    const { page, errors } = await lab.open(`tests/bench/memory/page.html${ids ? `?demos=${ids}` : ''}`);
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
    const cdp = await page.context().newCDPSession(page);
    const start = Date.now();
    const rows = [];
    async function sample({ between = true } = {}) {
      // Between two rounds: no demo is mounted, so every sample sees the same page.
      if (between) await page.evaluate(() => window.__memory.holdAtRoundEnd());
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const s = await page.evaluate(() => window.__memory.sample());
      const row = { minute: (Date.now() - start) / 60000, ...s, jsHeapBytes: heap.usedSize };
      rows.push(row);
      if (between) await page.evaluate(() => window.__memory.resume());
      console.log(`${row.minute.toFixed(1).padStart(5)} min  rounds ${String(row.rounds).padStart(4)}  mounts ${String(row.mounts).padStart(5)}  ` +
        `changes ${String(row.changes).padStart(5)}  wasm ${mib(row.wasmBytes).padStart(7)} MiB  JS heap ${mib(row.jsHeapBytes).padStart(7)} MiB  errors ${row.errors}`);
    }
    console.log(`memory simulation: ${minutes} min, a sample every ${everySeconds} s, warm-up ${Number(warmupMinutes.toFixed(2))} min`);
    await sample({ between: false });
    while (Date.now() - start < minutes * 60000) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(everySeconds * 1000, start + minutes * 60000 - Date.now())));
      await sample();
    }
    await page.evaluate(() => window.__memory.stop());
    const warm = rows.find((r) => r.minute >= warmupMinutes) ?? rows[0];
    const last = rows[rows.length - 1];
    console.log(`after warm-up (${warm.minute.toFixed(1)} min): wasm ${mib(warm.wasmBytes)} MiB, JS heap ${mib(warm.jsHeapBytes)} MiB`);
    const count = (await page.evaluate(() => window.__memory.demos)).length;
    summary.push(`${(ids || 'all').padEnd(13)} ${String(last.rounds).padStart(5)} rounds  wasm ${mib(warm.wasmBytes)} → ${mib(last.wasmBytes)} MiB  ` +
      `JS heap ${mib(warm.jsHeapBytes)} → ${mib(last.jsHeapBytes)} MiB  errors ${last.errors}`);
    console.log(`at the end (${last.minute.toFixed(1)} min, ${last.rounds} rounds of ${count} demos): wasm ${mib(last.wasmBytes)} MiB (${last.wasmBytes - warm.wasmBytes >= 0 ? '+' : ''}${mib(last.wasmBytes - warm.wasmBytes)}), ` +
      `JS heap ${mib(last.jsHeapBytes)} MiB (${last.jsHeapBytes - warm.jsHeapBytes >= 0 ? '+' : ''}${mib(last.jsHeapBytes - warm.jsHeapBytes)})`);
    const pageErrors = await page.evaluate(() => window.__memory.state.errors.slice(0, 5));
    if (pageErrors.length || errors.length) console.log('errors:', [...pageErrors, ...errors.slice(0, 5)].join('\n  '));
  } finally {
    await lab.close();
  }
}
