// A test page that mounts one demo several times, as a lecture page will:
//   instances.html?demo=network&a=<state>&b=<state>[&spacer=1][&worker=0]
// Each of a, b, c is a link's state (the part after "?") for one instance.
// With spacer=1 a tall block follows the first instance, so scrolling to
// the bottom takes it out of view. window.__demos lists {key, mounted,
// saved, notices, box}; body[data-ready="1"] once every instance has drawn.
import init, * as engine from '../../../www/pkg/trainlab.js';
import { decode } from '../../../www/state.js';

const query = new URLSearchParams(location.search);
const root = document.getElementById('instances');

async function main() {
  await init();
  const demo = await import(`../../../www/demos/${query.get('demo') ?? 'network'}.js`);
  window.__demos = [];
  for (const key of ['a', 'b', 'c']) {
    if (!query.has(key)) continue;
    const box = document.createElement('div');
    box.className = 'instance';
    box.dataset.instance = key;
    root.append(box);
    if (key === 'a' && query.get('spacer') === '1') {
      const spacer = document.createElement('div');
      spacer.className = 'spacer';
      spacer.style.height = '4000px';
      root.append(spacer);
    }
    const { values } = decode(demo.params, new URLSearchParams(query.get(key)));
    const entry = { key, box, saved: [], notices: [] };
    entry.mounted = demo.mount(box, {
      engine,
      values,
      notify: (message) => entry.notices.push(message),
      clearNotices: () => { entry.notices.length = 0; },
      save: (v) => entry.saved.push({ ...v }),
      worker: query.get('worker') !== '0',
    });
    window.__demos.push(entry);
  }
  await Promise.all(window.__demos.map((d) => d.mounted.ready));
  document.body.dataset.ready = '1';
}

main().catch((error) => {
  document.body.dataset.ready = 'error';
  throw error;
});
