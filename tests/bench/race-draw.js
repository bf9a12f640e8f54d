// The race family's drawing cost as a race grows: six noisy racers (the
// heaviest race) at 1 000, 5 000, 10 000 and 19 000 steps, median and
// longest of 30 frames of one step plus the map/legend redraw, and of 30
// with the loss chart too. Load spreads single frames; compare medians.
import init, * as engine from '../../www/pkg/trainlab.js';
import { decode } from '../../www/state.js';

const results = (window.__benchResults = []);
const report = (name, value, unit) => results.push({ name, value, unit });
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

try {
  await init();
  const race = await import('../../www/demos/race.js');
  const box = document.createElement('div');
  box.style.width = '1200px';
  document.body.append(box);
  const { values } = decode(race.params, new URLSearchParams('on=sgd,momentum,nesterov,adagrad,rmsprop,adam&noise=1&batch=1'));
  const view = race.mount(box, { engine, values, notify: (m) => console.warn(m), clearNotices() {}, save() {} });
  await nextFrame();
  await nextFrame();
  let at = 0;
  for (const target of [1000, 5000, 10000, 19000]) {
    while (at < target) { view.debug.race.step(500); at += 500; await nextFrame(); }
    const map = [];
    const chart = [];
    for (let i = 0; i < 30; i++) {
      let start = performance.now();
      view.debug.frame(1, false);
      map.push(performance.now() - start);
      await nextFrame();
      start = performance.now();
      view.debug.frame(1, true);
      chart.push(performance.now() - start);
      await nextFrame();
      at += 2;
    }
    const sorted = (xs) => [...xs].sort((a, b) => a - b);
    report(`step ${target}: map + legend frame, median of 30`, sorted(map)[15], 'ms');
    report(`step ${target}: map + legend frame, longest of 30`, sorted(map)[29], 'ms');
    report(`step ${target}: frame with loss chart, median of 30`, sorted(chart)[15], 'ms');
    report(`step ${target}: frame with loss chart, longest of 30`, sorted(chart)[29], 'ms');
  }
  view.destroy();
} catch (error) {
  window.__benchError = String(error?.stack ?? error);
} finally {
  document.getElementById('out').textContent = JSON.stringify(results, null, 2);
  window.__benchDone = true;
}
