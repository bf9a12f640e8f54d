// Every demo module loads in Node without a DOM (the lessons test and other
// tools import their parameter tables and config builders), and the kit's
// page-only modules do not touch the document until they are used.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const DEMOS = ['race', 'schedules', 'second-order', 'network', 'dropout', 'batchnorm', 'ensembles', 'augment', 'images', 'transfer'];
const KIT = ['ui/scheduler.js', 'ui/runner.js', 'ui/player.js', 'ui/parts/controls.js', 'ui/parts/curves.js',
  'ui/parts/decision-map.js', 'ui/parts/notices.js', 'ui/parts/train-panel.js', 'ui/parts/count-chart.js', 'ui/parts/ensemble-maps.js',
  'workers/client.js', 'workers/host-core.js', 'workers/kinds/ensemble.js',
  'ui/parts/image-grid.js', 'ui/parts/mosaic.js', 'ui/parts/confusion-matrix.js', 'ui/parts/probability-bars.js',
  'ui/parts/drawing-pad.js', 'ui/parts/layer-stack.js', 'workers/kinds/image-trainer.js',
  'workers/kinds/transfer-trainer.js', 'data/pretrained.js',
  'ui/parts/image-settings.js', 'ui/parts/run-compare.js', 'ui/parts/learned-view.js', 'ui/parts/digit-pad.js',
  'ui/parts/ensemble-settings.js', 'ui/parts/swatch-legend.js', 'ui/parts/member-counts.js', 'ui/parts/ensemble-table.js',
  'ui/parts/snapshot-schedule.js', 'ui/parts/polyak-view.js',
  'ui/parts/net-settings.js', 'ui/parts/class-picker.js',
  'ui/parts/strategy-settings.js', 'ui/parts/cell-table.js', 'ui/parts/strategy-legend.js'];

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

test("the ensembles demo's config builders: the runs share every setting but their kind", async () => {
  const { params, ensembleConfig, runsOf, defaultCycle, parseEnsembleHidden } = await import('../../www/demos/ensembles.js');
  const { decode, encode } = await import('../../www/state.js');
  const { values } = decode(params, new URLSearchParams('members=4&steps=2000&polyak=1&decay=0.9&hidden=16,8&data=moons&classes=5'));
  assert.equal(values.cycle, 500, 'the cycle follows steps ÷ members');
  assert.equal(defaultCycle({ steps: 3000, members: 7 }), 428, '7 whole cycles fit in 3000 steps');
  assert.deepEqual(runsOf(values), ['independent', 'snapshot', 'polyak']);
  assert.deepEqual(runsOf({ ...values, polyak: false }), ['independent', 'snapshot']);
  const independent = ensembleConfig(values, 'independent');
  const snapshot = ensembleConfig(values, 'snapshot');
  const polyak = ensembleConfig(values, 'polyak');
  assert.deepEqual([independent.kind, independent.members, independent.cycle], ['independent', 4, undefined]);
  assert.deepEqual([snapshot.kind, snapshot.members, snapshot.cycle], ['snapshot', 4, 500]);
  assert.deepEqual([polyak.kind, polyak.members, polyak.trainer.polyak], ['independent', 1, 0.9]);
  assert.deepEqual(independent.trainer, snapshot.trainer);
  assert.deepEqual({ ...polyak.trainer, polyak: undefined }, { ...independent.trainer, polyak: undefined });
  assert.deepEqual(independent.trainer.hidden, [16, 8]);
  assert.equal(independent.trainer.dataset.classes, 2, 'moons has two classes whatever the field says');
  // The defaults of the view (the lesson's settings) stay out of a link.
  const defaults = decode(params, new URLSearchParams('')).values;
  assert.deepEqual([defaults.lr, defaults.batch, defaults.val, defaults.hidden, defaults.cycle], [2, 300, 0.5, '8', 600]);
  assert.equal(encode(params, defaults).toString(), '');
  assert.deepEqual(parseEnsembleHidden(''), []);
  assert.equal(parseEnsembleHidden('65'), null);
  assert.equal(parseEnsembleHidden('8,8,8,8'), null);
});

test("the ensembles demo's downloads: every curve as columns, the settings and results with their link", async () => {
  const { params, curveColumns, resultsOf } = await import('../../www/demos/ensembles.js');
  const { decode } = await import('../../www/state.js');
  const { values } = decode(params, new URLSearchParams('members=2&steps=4&polyak=1'));
  const history = (v) => ({ steps: Float64Array.of(2, 4), valAccuracy: Float64Array.of(v, v + 0.1), valLoss: Float64Array.of(1, 0.5),
    voteAccuracy: Float64Array.of(v, v), memberValAccuracy: Float64Array.of(0.4, 0.5), memberValLoss: Float64Array.of(2, 1),
    modelValAccuracy: Float64Array.of(0.3, 0.6), modelValLoss: Float64Array.of(3, 2) });
  const runs = {
    independent: { steps: 4, computeSteps: 8, counts: { accuracy: Float64Array.of(0.5, 0.7), vote: Float64Array.of(0.5, 0.6), loss: Float64Array.of(1, 0.8) }, history: history(0.5), report: { step: 4 } },
    snapshot: { steps: 4, computeSteps: 4, counts: { accuracy: Float64Array.of(0.55), vote: Float64Array.of(0.55), loss: Float64Array.of(0.9) },
      schedule: { lr: Float64Array.of(2, 1, 2, 1), loss: Float32Array.of(1, 0.5, 0.75, 0.25), snapshotSteps: Float64Array.of(3, 1) }, history: history(0.2) },
    polyak: { steps: 4, computeSteps: 4, counts: { accuracy: Float64Array.of(0.65), vote: Float64Array.of(0.65), loss: Float64Array.of(0.7) }, history: history(0.6) },
  };
  const { counts, schedule, history: h } = curveColumns(runs);
  assert.deepEqual(counts.k, [1, 2]);
  assert.deepEqual(counts.independent_val_accuracy, [0.5, 0.7]);
  assert.deepEqual(counts.snapshot_val_accuracy, [0.55, null], 'a snapshot not taken yet is an empty cell');
  assert.deepEqual(schedule, { step: [1, 2, 3, 4], learning_rate: [2, 1, 2, 1], minibatch_loss: [1, 0.5, 0.75, 0.25] });
  assert.deepEqual(Object.keys(h), ['independent', 'snapshot', 'polyak']);
  assert.deepEqual(h.polyak.val_accuracy, [0.6, 0.7]);
  assert.deepEqual(h.independent.model_val_loss, [3, 2]);
  const json = resultsOf(values, runs, 'http://x/#ensembles?members=2');
  assert.equal(json.link, 'http://x/#ensembles?members=2');
  assert.deepEqual(Object.keys(json.runs), ['independent', 'snapshot', 'polyak']);
  assert.equal(json.runs.polyak.config.trainer.polyak, 0.99);
  assert.deepEqual(json.runs.independent.accuracyByCount, [0.5, 0.7]);
  assert.equal(json.settings.members, 2);
});

test("the ensembles demo's history CSV and share link", async () => {
  const { params, historyColumns, shareLink } = await import('../../www/demos/ensembles.js');
  const { decode } = await import('../../www/state.js');
  const columns = historyColumns({
    independent: { step: [10, 20], val_accuracy: [0.5, 0.6] },
    polyak: { step: [10], val_accuracy: [0.7] },
  });
  assert.deepEqual(Object.keys(columns), ['independent_step', 'independent_val_accuracy', 'polyak_step', 'polyak_val_accuracy']);
  assert.deepEqual(columns.polyak_val_accuracy, [0.7]);
  // The link carries every setting that differs from the defaults and nothing else; decoding it gives the values back.
  const { values } = decode(params, new URLSearchParams('members=3&seed=9&polyak=1'));
  const link = shareLink(values, 'https://lab.example/trainlab/index.html?x=1#network?hidden=4');
  const url = new URL(link);
  assert.equal(`${url.origin}${url.pathname}${url.search}`, 'https://lab.example/trainlab/index.html?x=1');
  assert.equal(url.hash.split('?')[0], '#ensembles');
  const back = decode(params, new URLSearchParams(url.hash.split('?')[1]));
  assert.deepEqual(back.rejected, []);
  assert.deepEqual(back.values, values);
  assert.deepEqual([...new URLSearchParams(url.hash.split('?')[1]).keys()].sort(), ['members', 'polyak', 'seed']);
  assert.equal(shareLink(decode(params, new URLSearchParams('')).values, 'https://lab.example/'), 'https://lab.example/#ensembles');
});

test('the count chart ticks at round steps that cover the data', async () => {
  const { niceTicks } = await import('../../www/ui/parts/count-chart.js');
  // (hi − lo)/4 rounded up to 1, 2 or 5 × 10^n; the ends widened to whole steps.
  assert.deepEqual(niceTicks(0.903, 0.943), [0.9, 0.91, 0.92, 0.93, 0.94, 0.95]);
  assert.deepEqual(niceTicks(0.261, 0.394), [0.25, 0.3, 0.35, 0.4]);
  assert.deepEqual(niceTicks(0, 1), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(2, 3.1), [2, 2.5, 3, 3.5]);
  assert.deepEqual(niceTicks(-0.3, 0.3), [-0.4, -0.2, 0, 0.2, 0.4]);
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
