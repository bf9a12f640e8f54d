// Benchmark runner: serves the repository, opens tests/bench/bench.html in
// headless Chromium, waits for window.__benchDone, prints the rows the page
// put in window.__benchResults as an aligned table, then the raw and gzipped
// sizes of the shipped wasm and JavaScript. Also writes everything to
// bench-results/latest.json.
//
//   node tests/bench/run.mjs [--timeout SECONDS] [--page PATH]
//   (scripts/bench.sh builds the release package first, then runs this)

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, startLab } from '../e2e/harness.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

const timeoutSeconds = Number(option('--timeout', process.env.BENCH_TIMEOUT ?? '600'));
const benchPage = option('--page', 'tests/bench/bench.html');

/** Formats rows (arrays of cells) as a table, numbers right-aligned. */
function table(header, rows) {
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => String(row[column]).length)),
  );
  const line = (row) =>
    row
      .map((cell, column) =>
        typeof cell === 'number' || /^-?[\d.,]+$/.test(String(cell))
          ? String(cell).padStart(widths[column])
          : String(cell).padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Three significant digits, without exponent notation for ordinary values. */
function formatValue(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 1) return value.toPrecision(3);
  return value.toPrecision(2);
}

/** Every file under `dir` (relative to the repository) whose name passes `keep`. */
async function filesUnder(dir, keep) {
  const found = [];
  const walk = async (relative) => {
    let entries;
    try {
      entries = await readdir(path.join(REPO_ROOT, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') await walk(child);
      else if (entry.isFile() && keep(entry.name)) found.push(child);
    }
  };
  await walk(dir);
  return found.sort();
}

/** Raw and gzip -9 sizes of the wasm, JavaScript and CSS the app ships. */
async function shippedSizes() {
  const files = await filesUnder('www', (name) => /\.(wasm|m?js|css)$/.test(name));
  if (await readFile(path.join(REPO_ROOT, 'index.html')).catch(() => null)) files.unshift('index.html');
  const rows = [];
  for (const file of files) {
    const bytes = await readFile(path.join(REPO_ROOT, file));
    rows.push({ file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  return rows;
}

async function main() {
  const lab = await startLab();
  let results;
  let pageErrors;
  try {
    const { page, errors } = await lab.open(benchPage);
    pageErrors = errors;
    await page.waitForFunction(() => window.__benchDone === true, null, {
      timeout: timeoutSeconds * 1000,
      polling: 250,
    });
    const benchError = await page.evaluate(() => window.__benchError ?? null);
    if (benchError) pageErrors.push(`bench page: ${benchError}`);
    results = await page.evaluate(() => window.__benchResults ?? []);
  } finally {
    await lab.close();
  }

  console.log(`Benchmarks (${benchPage}, headless Chromium)\n`);
  console.log(
    table(
      ['benchmark', 'value', 'unit'],
      results.map((row) => [row.name, formatValue(row.value), row.unit ?? '']),
    ),
  );

  const sizes = await shippedSizes();
  const total = sizes.reduce((sum, row) => ({
    bytes: sum.bytes + row.bytes,
    gzipBytes: sum.gzipBytes + row.gzipBytes,
  }), { bytes: 0, gzipBytes: 0 });
  console.log('\nShipped files\n');
  console.log(
    table(
      ['file', 'bytes', 'gzip -9'],
      [...sizes.map((row) => [row.file, row.bytes, row.gzipBytes]), ['total', total.bytes, total.gzipBytes]],
    ),
  );

  await mkdir(path.join(REPO_ROOT, 'bench-results'), { recursive: true });
  await writeFile(
    path.join(REPO_ROOT, 'bench-results/latest.json'),
    JSON.stringify({ date: new Date().toISOString(), page: benchPage, results, sizes, errors: pageErrors }, null, 2) + '\n',
  );

  if (pageErrors.length) {
    console.error(`\nThe bench page reported errors:\n${pageErrors.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error.stack ?? error);
  process.exit(1);
});
