// The throttled live region (www/ui/live-region.js) on a fake clock: what a
// screen reader would be given, and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveRegion, progressText, readable, LIVE_INTERVAL_MS } from '../../www/ui/live-region.js';
import { setLanguage } from '../../www/i18n/index.js';

/** A fake document element, clock and timers; `writes` logs [time, text]. */
function rig(interval = 1000) {
  let time = 0;
  const timers = new Map();
  let nextId = 1;
  const writes = [];
  const element = {
    attributes: {},
    dataset: {},
    className: '',
    setAttribute(name, value) { this.attributes[name] = value; },
    set textContent(text) { writes.push([time, text]); },
  };
  const live = createLiveRegion({
    interval,
    now: () => time,
    setTimer: (fn, ms) => { timers.set(nextId, { at: time + ms, fn }); return nextId++; },
    clearTimer: (id) => timers.delete(id),
    document: { createElement: () => element },
  });
  /** Moves the clock to `to`, running each timer that falls due on the way. */
  function advance(to) {
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      time = due[1].at;
      due[1].fn();
    }
    time = to;
  }
  return { live, element, writes, timers, advance };
}

test('the region is polite, atomic and a status', () => {
  const { element } = rig();
  assert.deepEqual(element.attributes, { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  assert.equal(element.className, 'sr-only');
  assert.ok(LIVE_INTERVAL_MS >= 2000, 'at most one announcement every two seconds or more');
});

test('the first update is written at once, later ones at most once per interval with the newest text', () => {
  const { live, writes, advance } = rig(1000);
  live.update('step 1');
  assert.deepEqual(writes, [[0, 'step 1']]);
  // Sixty frames a second for 2.5 s: only the interval's ends are written.
  for (let frame = 1; frame <= 150; frame++) {
    advance(frame * (1000 / 60));
    live.update(`step ${frame + 1}`);
  }
  advance(4000);
  assert.deepEqual(writes.map(([time]) => Math.round(time)), [0, 1000, 2000, 3000]);
  assert.deepEqual(writes.map(([, text]) => text), ['step 1', 'step 60', 'step 120', 'step 151']);
  for (let i = 1; i < writes.length; i++) assert.ok(writes[i][0] - writes[i - 1][0] >= 1000);
});

test('the same text is not written twice, and a quiet spell lets the next update through at once', () => {
  const { live, writes, advance, timers } = rig(1000);
  live.update('loss 0.5');
  advance(200);
  live.update('loss 0.5');
  assert.equal(timers.size, 0, 'an unchanged text sets no timer');
  advance(5000);
  live.update('loss 0.4');
  assert.deepEqual(writes, [[0, 'loss 0.5'], [5000, 'loss 0.4']]);
  // Back to the written text before the timer fires: nothing new is said.
  advance(5100);
  live.update('loss 0.3');
  live.update('loss 0.4');
  advance(7000);
  assert.deepEqual(writes, [[0, 'loss 0.5'], [5000, 'loss 0.4']]);
});

test('flush writes the waiting text now; destroy drops it', () => {
  const { live, writes, advance, timers } = rig(1000);
  live.update('a');
  advance(100);
  live.update('b');
  assert.equal(live.pending, 'b');
  live.flush();
  assert.deepEqual(writes, [[0, 'a'], [100, 'b']]);
  assert.equal(timers.size, 0, 'the trailing write is cancelled');
  advance(300);
  live.update('c');
  live.destroy();
  advance(10_000);
  assert.deepEqual(writes.map(([, text]) => text), ['a', 'b'], 'nothing is written after destroy');
});

test('progress sentences in English and Korean', () => {
  setLanguageSafely('en');
  assert.equal(progressText({ step: 120, loss: 0.53219, trainAccuracy: 0.9, valAccuracy: 0.874 }),
    'step 120: loss 0.532, training accuracy 90%, validation accuracy 87%');
  assert.equal(progressText({ step: 5, runs: [{ name: 'A', loss: 2e-5 }, { name: 'B', loss: Infinity, valAccuracy: null }] }),
    'step 5: A: loss 2.00e-5; B: loss not a finite number');
  setLanguageSafely('ko');
  assert.equal(progressText({ step: 120, loss: 1234567, valAccuracy: 0.5 }), '스텝 120: 손실 1.23e+6, 검증 정확도 50%');
  setLanguageSafely('en');
  assert.equal(readable(0), '0');
  assert.equal(readable(12.3456), '12.3');
});

/** setLanguage sets <html lang>; Node has no document, so give it a stub. */
function setLanguageSafely(lang) {
  globalThis.document ??= { documentElement: {} };
  assert.ok(setLanguage(lang));
}
