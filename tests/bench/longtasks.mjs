// The longest main-thread task of each demo while it plays under its
// heaviest allowed settings (issue 11), read from a Chrome trace rather than
// the Long Tasks API, so each task has two figures: its wall time and the
// CPU time the main thread really spent in it. On a quiet machine the two
// agree; on a busy one the wall time also counts the time other processes
// held the CPU, and the CPU time still shows what the page itself costs.
// Figures, not pass/fail.
//
//   node tests/bench/longtasks.mjs [--cases race,network] [--seconds 3]
//   (after ./scripts/build.sh; the cases are those of tests/bench/responsive.html)
import { startLab } from '../e2e/harness.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}
const CASES = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'ensembles', 'images'];
const cases = option('--cases', CASES.join(',')).split(',');
const seconds = Number(option('--seconds', 3));

/** Every trace event of `run()`, which drives the page while Chrome traces it. */
async function traced(page, run) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return events;
}

/** The tasks of the page's main thread that began between the marks `playing X` and `paused X`. */
function playingTasks(events) {
  const marks = events.filter((e) => e.cat?.includes('blink.user_timing') && /^(playing|paused) /.test(e.name));
  const windows = [];
  for (const start of marks.filter((m) => m.name.startsWith('playing '))) {
    const label = start.name.slice('playing '.length);
    const end = marks.find((m) => m.name === `paused ${label}`);
    if (end) windows.push({ label, from: start.ts, to: end.ts, pid: start.pid, tid: start.tid });
  }
  return windows.map((w) => {
    const tasks = events.filter((e) => e.ph === 'X' && e.pid === w.pid && e.tid === w.tid
      && e.name === 'ThreadControllerImpl::RunTask' && e.ts >= w.from && e.ts <= w.to);
    const wall = tasks.map((e) => e.dur / 1000);
    const cpu = tasks.map((e) => (e.tdur ?? e.dur) / 1000);
    return {
      label: w.label,
      tasks: tasks.length,
      longestWall: Math.max(0, ...wall),
      longestCpu: Math.max(0, ...cpu),
      cpuOver50: cpu.filter((ms) => ms > 50).length,
    };
  });
}

const lab = await startLab();
const rows = [];
try {
  for (const name of cases) {
    const { page, errors } = await lab.open(`tests/bench/responsive.html?only=${name}&seconds=${seconds}`);
    const events = await traced(page, () => page.waitForFunction(() => window.__benchDone === true, null, { timeout: 600_000, polling: 500 }));
    const failure = await page.evaluate(() => window.__benchError);
    if (failure || errors.length) console.log(`${name}: ${failure ?? errors.join('; ')}`);
    rows.push(...playingTasks(events).filter((r) => r.label.startsWith(name)));
    await page.close();
  }
} finally {
  await lab.close();
}

const fixed = (v) => v.toFixed(1).padStart(8);
const width = Math.max(4, ...rows.map((r) => r.label.length));
console.log(`${'case'.padEnd(width)}  tasks  longest wall ms  longest CPU ms  CPU > 50 ms`);
for (const r of rows) {
  console.log(`${r.label.padEnd(width)}  ${String(r.tasks).padStart(5)}  ${fixed(r.longestWall)}         ${fixed(r.longestCpu)}        ${String(r.cpuOver50).padStart(5)}`);
}
