// A recording stand-in for a canvas and its 2-D context, so the chart
// functions (plotters through web-sys) can run in Node: every call and
// every property set is kept for the tests to inspect.

/** Made global so web-sys's `instanceof CanvasRenderingContext2D` holds. */
globalThis.CanvasRenderingContext2D ??= class CanvasRenderingContext2D {};

export function fakeCanvas(width, height) {
  const calls = [];
  const state = {};
  const target = Object.create(globalThis.CanvasRenderingContext2D.prototype);
  const context = new Proxy(target, {
    get(_, key) {
      if (key === 'calls') return calls;
      if (key === 'colours') {
        return () => new Set(calls.filter((c) => c.set === 'strokeStyle' || c.set === 'fillStyle').map((c) => String(c.value).replace(/\s+/g, ' ')));
      }
      if (key === 'count') return (name) => calls.filter((c) => c.call === name).length;
      if (key === 'linesIn') {
        // lineTo calls made while `colour` was the stroke style.
        return (colour) => {
          let current = null;
          let lines = 0;
          for (const c of calls) {
            if (c.set === 'strokeStyle') current = c.value;
            else if (c.call === 'lineTo' && current === colour) lines += 1;
          }
          return lines;
        };
      }
      if (key in state) return state[key];
      if (key === 'measureText') {
        return (text) => ({ width: 6 * String(text).length, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2, actualBoundingBoxLeft: 0, actualBoundingBoxRight: 6 * String(text).length });
      }
      if (typeof key === 'symbol') return undefined;
      return (...args) => {
        calls.push({ call: key, args });
        return undefined;
      };
    },
    set(_, key, value) {
      state[key] = value;
      calls.push({ set: key, value });
      return true;
    },
  });
  return {
    width,
    height,
    context,
    getContext: (kind) => (kind === '2d' ? context : null),
    // Some code reads the layout size.
    clientWidth: width,
    clientHeight: height,
  };
}
