// Every demo module loads in Node without a DOM (the lessons test and other
// tools import their parameter tables and config builders), and the kit's
// page-only modules do not touch the document until they are used.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const DEMOS = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'augment', 'images', 'transfer'];
const KIT = ['ui/scheduler.js', 'ui/runner.js', 'ui/player.js', 'ui/parts/controls.js', 'ui/parts/curves.js',
  'ui/parts/decision-map.js', 'ui/parts/notices.js', 'ui/parts/train-panel.js', 'workers/client.js', 'workers/host-core.js',
  'ui/parts/image-grid.js', 'ui/parts/mosaic.js', 'ui/parts/confusion-matrix.js', 'ui/parts/probability-bars.js',
  'ui/parts/drawing-pad.js', 'ui/parts/layer-stack.js', 'workers/kinds/image-trainer.js',
  'workers/kinds/transfer-trainer.js', 'data/pretrained.js'];

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

test("the transfer demo's builders: one target task for every strategy, the cell of the lecture's table, the two-stage switch", async () => {
  const { params, trainerConfig, strategySpec, cellOf, switchStep, STRATEGIES } = await import('../../www/demos/transfer.js');
  const { decode } = await import('../../www/state.js');
  const { values } = decode(params, new URLSearchParams(''));
  assert.deepEqual([values.target, values.per, values.on, values.until], ['thick', 1, STRATEGIES, 200]);
  const config = trainerConfig(values);
  assert.deepEqual(config.dataset.digits, [0, 1, 2, 3, 4]);
  assert.equal(config.dataset.style, 'thick');
  assert.equal(config.dataset.perClass, 1);
  const different = trainerConfig({ ...values, target: 'different' });
  assert.deepEqual([different.dataset.digits, different.dataset.style], [[5, 6, 7, 8, 9], 'plain']);
  assert.deepEqual(config.layers.at(-1), { kind: 'dense', units: 5 });
  assert.equal(config.layers.filter((l) => l.kind === 'conv').length, 2);
  // Every strategy trains the very same task; only what learns differs.
  for (const s of STRATEGIES) assert.deepEqual(strategySpec(values, s).config, config);
  assert.deepEqual(strategySpec(values, 'twostage'), { config, strategy: 'twostage', bodyLayers: 2, switchAt: 100, fineLr: 0.001 });
  assert.equal(switchStep({ ...values, until: 7 }), 3);
  const more = decode(params, new URLSearchParams('target=different&per=200')).values;
  assert.deepEqual(cellOf(values), { data: 'similar', size: 'little' });
  assert.deepEqual(cellOf(more), { data: 'different', size: 'more' });
  assert.deepEqual(cellOf({ target: 'noisy', per: 10 }), { data: 'similar', size: 'little' });
  assert.deepEqual(cellOf({ target: 'noisy', per: 11 }), { data: 'similar', size: 'middle' });
  assert.deepEqual(cellOf({ target: 'different', per: 50 }), { data: 'different', size: 'more' });
});
