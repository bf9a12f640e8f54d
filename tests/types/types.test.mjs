// The typed JS API: the generated www/pkg/trainlab.d.ts (wasm-bindgen's
// classes plus the interfaces of src/api/types.rs) names a real type for
// every setting and result, a course page using every constructor
// type-checks with `tsc --strict`, and wrong keys, kinds, value types and
// misread results each fail with the error a course author should see.
//
// Needs the release build (./scripts/build.sh) for the .d.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = path.join(ROOT, 'tests/types');
const DTS = path.join(ROOT, 'www/pkg/trainlab.d.ts');
const TSC = path.join(ROOT, 'node_modules/.bin/tsc');

/** Runs tsc with `args`; resolves to {code, output} whatever the exit code. */
function tsc(args) {
  return new Promise((resolve, reject) => {
    execFile(TSC, ['--pretty', 'false', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? error.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** The public part of the .d.ts: without comments and the raw wasm exports (InitOutput). */
function publicDeclarations() {
  assert.ok(existsSync(DTS), `${DTS} is missing: run ./scripts/build.sh first`);
  const text = readFileSync(DTS, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const start = text.indexOf('export interface InitOutput {');
  assert.ok(start >= 0, 'the .d.ts has an InitOutput interface');
  const end = text.indexOf('\n}', start);
  return text.slice(0, start) + text.slice(end + 2);
}

test('every setting and result in the generated .d.ts has a real type (no `any`)', () => {
  const lines = publicDeclarations().split('\n');
  const untyped = lines.filter((line) => /\bany\b/.test(line)).map((line) => line.trim());
  assert.deepEqual(untyped, [], 'declarations typed `any`: give them a type in src/api/types.rs');
});

test('the course page uses every exported class and function', () => {
  const declarations = publicDeclarations();
  const page = readFileSync(path.join(TYPES, 'course-page.ts'), 'utf8');
  const classes = [...declarations.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
  const functions = [...declarations.matchAll(/^export function (\w+)/gm)]
    .map((m) => m[1])
    .filter((name) => name !== 'initSync');
  assert.ok(classes.length >= 7 && functions.length >= 3, `${classes} / ${functions}`);
  const missing = [
    ...classes.filter((name) => !page.includes(`new ${name}(`)),
    ...functions.filter((name) => !new RegExp(`\\b${name}\\(`).test(page)),
  ];
  assert.deepEqual(missing, [], 'add these to tests/types/course-page.ts');
});

test('the course page type-checks with tsc --strict', async () => {
  publicDeclarations();
  const { code, output } = await tsc(['-p', path.join(TYPES, 'tsconfig.json')]);
  assert.equal(output.trim(), '', 'tsc reports no errors');
  assert.equal(code, 0);
});

test('wrong keys, kinds, value types and misread results fail with the expected error', async () => {
  publicDeclarations();
  const dir = path.join(TYPES, 'fails');
  const cases = readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const lines = readFileSync(path.join(dir, name), 'utf8').split('\n');
      const expect = lines.map((l) => l.match(/^\/\/ expect: (TS\d+) (.+)$/)).find(Boolean);
      assert.ok(expect, `${name} says which error it expects ("// expect: TSnnnn message")`);
      const line = lines.findIndex((l) => l.endsWith('// error here')) + 1;
      assert.ok(line > 0, `${name} marks the line of its error with "// error here"`);
      return { name, code: expect[1], message: expect[2], line };
    });
  assert.ok(cases.length >= 5, `${cases.length} failing cases`);

  const { code, output } = await tsc(['-p', path.join(dir, 'tsconfig.json')]);
  assert.notEqual(code, 0, 'tsc exits nonzero on the failing scripts');
  const errors = [...output.matchAll(/^tests\/types\/fails\/([\w-]+\.ts)\((\d+),\d+\): error (TS\d+): (.*)$/gm)]
    .map(([, name, line, tsCode, message]) => ({ name, line: Number(line), code: tsCode, message }));
  for (const c of cases) {
    const found = errors.filter((e) => e.name === c.name);
    assert.equal(found.length, 1, `${c.name}: exactly one error, got:\n${output}`);
    assert.equal(found[0].line, c.line, `${c.name}: the error is on the marked line`);
    assert.equal(found[0].code, c.code, `${c.name}: ${found[0].message}`);
    assert.ok(found[0].message.includes(c.message), `${c.name}: "${found[0].message}" says "${c.message}"`);
  }
  assert.equal(errors.length, cases.length, `no errors outside the marked lines:\n${output}`);
});
