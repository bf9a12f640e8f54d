// An engine whose classes count their live objects: lecture mode hands it
// to every demo it mounts, so "leaving the page frees every handle" is a
// number a test can read (live() must be 0 after destroy).

/**
 * Wraps the wasm module: each exported class with a `free` method becomes a
 * subclass that records construction and `free()`; everything else is
 * passed through. Static methods are inherited, and instances still pass
 * the engine's own class checks (they are instances of the class).
 */
export function countingEngine(engine) {
  const alive = new Set();
  let created = 0;
  const wrapped = {};
  for (const [name, value] of Object.entries(engine)) {
    if (typeof value === "function" && typeof value.prototype?.free === "function") {
      wrapped[name] = class extends value {
        constructor(...args) {
          super(...args);
          alive.add(this);
          created += 1;
        }

        free() {
          alive.delete(this);
          return super.free();
        }
      };
    } else {
      wrapped[name] = value;
    }
  }
  return {
    engine: wrapped,
    stats: () => ({ live: alive.size, created, freed: created - alive.size }),
  };
}
