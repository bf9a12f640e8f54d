// Every demo module loads in Node without a DOM (the lessons test and other
// tools import their parameter tables and config builders), and the kit's
// page-only modules do not touch the document until they are used.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const DEMOS = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'augment', 'images'];
const KIT = ['ui/scheduler.js', 'ui/runner.js', 'ui/player.js', 'ui/parts/controls.js', 'ui/parts/curves.js',
  'ui/parts/decision-map.js', 'ui/parts/notices.js', 'ui/parts/train-panel.js', 'workers/client.js', 'workers/host-core.js',
  'ui/parts/image-grid.js', 'ui/parts/mosaic.js', 'ui/parts/confusion-matrix.js', 'ui/parts/probability-bars.js',
  'ui/parts/drawing-pad.js', 'ui/parts/layer-stack.js', 'workers/kinds/image-trainer.js'];

test('every demo imports without a DOM and exports its id, parameter table and mount', async () => {
  assert.equal(typeof document, 'undefined');
  for (const name of DEMOS) {
    const demo = await import(`../../www/demos/${name}.js`);
    assert.equal(demo.id, name);
    assert.equal(typeof demo.params, 'object');
    assert.equal(typeof demo.mount, 'function');
  }
});

test('the kit modules import without a DOM', async () => {
  for (const file of KIT) await import(`../../www/${file}`);
});

test("the network lab's config builder is pure: run B differs from A only where the table says", async () => {
  const { params, trainerConfig, parseEdits } = await import('../../www/demos/network.js');
  const { decode } = await import('../../www/state.js');
  const { values } = decode(params, new URLSearchParams('cmp=1&b.drop=0.4&b.bn=1&hidden=8,8'));
  const a = trainerConfig(values, 'a');
  const b = trainerConfig(values, 'b');
  assert.deepEqual(a.hidden, [8, 8]);
  assert.deepEqual([a.dropout, a.batchNorm, b.dropout, b.batchNorm], [null, false, 0.4, true]);
  assert.deepEqual({ ...a, dropout: 0, batchNorm: 0 }, { ...b, dropout: 0, batchNorm: 0 });
  assert.deepEqual(parseEdits('a,0.1,0.2,1;r,0,0,0.5;x,1,2;a,1,2,0.5'), [
    { op: 'a', x: 0.1, y: 0.2, c: 1 },
    { op: 'r', x: 0, y: 0, r: 0.5 },
  ]);
});
