// Loads the release build in www/pkg (what the app ships: LTO, wasm-opt,
// simd128) into Node with initSync, and records which exported names the
// tests use, so api.test.mjs can fail when an export has no by-value test.
//
//   import { api, approx, throwsNaming } from './harness.mjs';
//   const s = new api.Surface('rosenbrock');      // counted as Surface.constructor
//   s.hessian(0.5, 0.2);                          // counted as Surface.hessian

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const pkg = await import(path.join(REPO_ROOT, 'www/pkg/trainlab.js'));
pkg.initSync({ module: readFileSync(path.join(REPO_ROOT, 'www/pkg/trainlab_bg.wasm')) });

/** Exports that are the loader, not the API. */
const LOADER = new Set(['default', 'initSync']);
/** Class members every wasm-bindgen class has that are not API. */
const PLUMBING = new Set(['constructor', '__destroy_into_raw', '__wrap', '__unwrap', 'length', 'name', 'prototype']);

const isClass = (value) => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

/** Every name of the JS API, as "Class.member", "Class.constructor" or "function". */
export function exportedNames() {
  const names = [];
  for (const [name, value] of Object.entries(pkg)) {
    if (LOADER.has(name)) continue;
    if (!isClass(value)) {
      names.push(name);
      continue;
    }
    names.push(`${name}.constructor`);
    for (const member of Object.getOwnPropertyNames(value.prototype)) {
      if (!PLUMBING.has(member)) names.push(`${name}.${member}`);
    }
    for (const member of Object.getOwnPropertyNames(value)) {
      if (!PLUMBING.has(member)) names.push(`${name}.${member}`);
    }
  }
  return names.sort();
}

/** Names the tests have used so far. */
export const used = new Set();

function countMembers(className, target, record) {
  for (const member of Object.getOwnPropertyNames(target)) {
    if (PLUMBING.has(member)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(target, member);
    const key = `${className}.${member}`;
    if (typeof descriptor.value === 'function') {
      const original = descriptor.value;
      descriptor.value = function counted(...args) {
        record.add(key);
        return original.apply(this, args);
      };
      Object.defineProperty(target, member, descriptor);
    } else if (descriptor.get || descriptor.set) {
      const { get, set } = descriptor;
      if (get) descriptor.get = function countedGet() { record.add(key); return get.call(this); };
      if (set) descriptor.set = function countedSet(v) { record.add(key); set.call(this, v); };
      Object.defineProperty(target, member, descriptor);
    }
  }
}

/** The package with every call counted: classes keep their identity
 * (instanceof still works for the glue's argument checks). */
export const api = {};
for (const [name, value] of Object.entries(pkg)) {
  if (LOADER.has(name)) continue;
  if (isClass(value)) {
    countMembers(name, value.prototype, used);
    countMembers(name, value, used);
    api[name] = new Proxy(value, {
      construct(target, args, newTarget) {
        used.add(`${name}.constructor`);
        return Reflect.construct(target, args, newTarget === api[name] ? target : newTarget);
      },
    });
  } else {
    api[name] = (...args) => {
      used.add(name);
      return value(...args);
    };
  }
}

/** |actual − expected| ≤ tol·max(1, |expected|), with a message. */
export function approx(actual, expected, tol = 1e-12, what = '') {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what} ${actual} should be ${expected} (±${tol})`,
  );
}

/** Element-wise approx over two array-likes of the same length. */
export function approxAll(actual, expected, tol = 1e-12, what = '') {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) approx(actual[i], expected[i], tol, `${what}[${i}]`);
}

/** `fn` throws a JS Error whose message contains every needle. */
export function throwsNaming(fn, ...needles) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, `expected an Error, got ${error === undefined ? 'no throw' : String(error)}`);
  for (const needle of needles) {
    assert.ok(error.message.includes(needle), `"${error.message}" should mention ${needle}`);
  }
  return error.message;
}
