// Drawing a digit in the image lab with real pointer input in every
// engine: W3C pointer actions with pointerType mouse, touch and pen, each
// stroke on a cleared pad, must reach the picture the network is given and
// make both networks give class probabilities.
//
//   TRAINLAB_ENGINES=webkit node --test tests/cross-engine/drawing.test.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../e2e/harness.mjs';
import { selectedEngines, startEngine } from '../webdriver/engines.mjs';
import { clickButton, inPage, openApp, pageErrors } from './page.mjs';

/** In the page: records the pointer events the pad receives (what the driver really sent). */
function recordPointer() {
  window.__padEvents = [];
  if (window.__padRecorder) return;
  window.__padRecorder = true;
  const pad = document.querySelector('canvas.drawing-pad');
  for (const type of ['pointerdown', 'pointermove', 'pointerup']) {
    pad.addEventListener(type, (event) => window.__padEvents.push({ type, pointerType: event.pointerType, pressed: event.buttons > 0 }));
  }
}

/** In the page: the pad's state as text, once the last drawing has been classified. */
function padState() {
  if (document.querySelector('.img-draw')?.hasAttribute('aria-busy')) return false;
  const probabilities = (which) => [...document.querySelectorAll(`.prob.run-${which} .prob-value`)].map((e) => e.textContent);
  const seen = document.querySelector('canvas.img-seen');
  let ink = 0;
  if (seen && !seen.hidden) {
    const data = seen.getContext('2d').getImageData(0, 0, seen.width, seen.height).data;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 0) ink++;
  }
  return { a: probabilities('a'), b: probabilities('b'), ink };
}

// A "7": across the top, then down to the left (CSS pixels from the pad's centre).
const SEVEN = [[-60, -80], [60, -80], [-15, 90]];

for (const engine of selectedEngines()) {
  describe(`${engine}: drawing a digit`, { concurrency: 1 }, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer();
      browser = await startEngine(engine);
    }, { timeout: 240_000 });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    test(`${engine}: drawing a digit with pointer events (mouse, touch and pen) classifies it`, { timeout: 600_000 }, async (t) => {
      const { session } = browser;
      await openApp(session, server.url, 'images?until=0');
      // The link's test digit is on the pad and classified by both runs, and both are evaluated at step 0.
      await session.waitFor('the test digit classified and step 0 evaluated', () => {
        const values = [...document.querySelectorAll('.prob.run-b .prob-value')].map((e) => e.textContent);
        const lines = [...document.querySelectorAll('.img .net-metrics')].map((e) => e.textContent);
        return values.length === 10 && values.every((v) => v !== '–') && lines.length === 2
          && lines.every((l) => l.includes('measured at step 0:')) && document.querySelectorAll('.img-mistakes .image-cell').length > 0;
      }, [], { timeoutMs: 120_000 });
      const pad = await session.find('canvas.drawing-pad');
      const inks = {};
      for (const pointerType of ['mouse', 'touch', 'pen']) {
        await clickButton(session, 'Clear');
        // Cleared: no ink in the network's picture and no probabilities.
        await session.waitFor('a cleared pad', `
          const state = (${padState})();
          return state && state.ink === 0 && state.a.every((v) => v === '–');`);
        // Pointer actions do not scroll (the click on Clear may have): bring the pad into view.
        await session.execute(() => document.querySelector('canvas.drawing-pad').scrollIntoView({ block: 'center' }));
        await session.execute(recordPointer);
        try {
          await session.pointerStroke(pad, pointerType, SEVEN);
        } catch (error) {
          // geckodriver 0.37 sends no pen input ("Unimplemented pointerMove for pointerType pen"):
          // a gap of the driver, not of the browser or the app, whose pointer code is one for all.
          if (pointerType === 'pen' && /unimplemented/i.test(error.message)) {
            t.diagnostic(`${engine}: the driver cannot send pen input (${error.message.split(': ').pop()}); pen is checked in the other engines`);
            continue;
          }
          throw error;
        }
        await session.executeAsync(inPage.afterFrames, 2);
        const events = await session.execute(() => window.__padEvents);
        const sent = [...new Set(events.filter((e) => e.pressed).map((e) => e.pointerType))].join(', ');
        const moves = events.filter((e) => e.type === 'pointermove' && e.pressed).length;
        const ups = events.filter((e) => e.type === 'pointerup').length;
        // The drivers' gaps, measured: a stroke must arrive as one pointer's down, moves and up.
        if (pointerType !== 'mouse' && (sent !== pointerType || !moves || !ups)) {
          t.diagnostic(`${engine}: the driver sent a ${pointerType} stroke as ${sent || 'nothing'} (${moves} moves, ${ups} up); the app handles every pointer type alike`);
          if (!moves || !ups) continue;
        } else {
          assert.equal(sent, pointerType, `the ${pointerType} stroke arrived as ${sent}`);
          assert.ok(moves > 0 && ups === 1, `${pointerType}: ${moves} moves and ${ups} up`);
        }
        const drawn = await session.waitFor(`the ${pointerType} stroke classified`, `
          const state = (${padState})();
          return state && state.ink > 0 && state.a.every((v) => v !== '–') && state.b.every((v) => v !== '–') ? state : false;`);
        const total = drawn.a.reduce((sum, v) => sum + Number.parseFloat(v), 0);
        assert.ok(Math.abs(total - 100) < 2, `${pointerType}: run A's probabilities add up to ${total} %`);
        t.diagnostic(`${engine} ${pointerType}: ${drawn.ink} ink pixels of 784; run A ${drawn.a.join(' ')}`);
        inks[pointerType] = drawn.ink;
      }
      // The same stroke is the same picture whatever drew it (a stroke's end
      // folded into its pointerup and dropped would show here).
      const most = Math.max(...Object.values(inks));
      for (const [type, ink] of Object.entries(inks)) assert.ok(ink >= 0.9 * most, `${type}: ${ink} ink pixels, ${most} for another pointer`);
      assert.deepEqual(await pageErrors(session), []);
    });
  });
}
