// The downloads part's pure helpers (www/ui/parts/downloads.js): the share
// link carries exactly the state the app would write and decodes back to
// the values; Trainers' curves become one step column and named series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareLink, trainerColumns } from '../../www/ui/parts/downloads.js';
import { decode } from '../../www/state.js';
import { params as networkParams } from '../../www/demos/network.js';

test('shareLink: the app address, #demo?state of the non-default values, and the language unless English', () => {
  const { values } = decode(networkParams, new URLSearchParams('data=moons&hidden=8,8&cmp=1'));
  const link = shareLink('network', networkParams, values, { lang: 'ko', appUrl: 'https://course.example/lab/index.html?x=1' });
  const url = new URL(link);
  assert.equal(`${url.origin}${url.pathname}${url.search}`, 'https://course.example/lab/index.html?x=1');
  const [demo, query] = url.hash.slice(1).split('?');
  assert.equal(demo, 'network');
  const written = new URLSearchParams(query);
  assert.deepEqual([...written.keys()].sort(), ['cmp', 'data', 'hidden', 'lang']);
  assert.equal(written.get('lang'), 'ko');
  assert.deepEqual(decode(networkParams, written, { ignore: ['lang'] }).values, values);
  // Defaults only, in English: no query at all.
  const plain = shareLink('network', networkParams, decode(networkParams, new URLSearchParams('')).values, { lang: 'en', appUrl: 'http://h/index.html' });
  assert.equal(plain, 'http://h/index.html#network');
  // Without a page of the app (the notebook widget): the hash alone.
  assert.equal(shareLink('network', networkParams, values, { lang: 'en', appUrl: null }), `#network?${new URLSearchParams(query).toString().replace(/&?lang=ko/, '')}`);
});

test('trainerColumns: step, then each trainer\'s four series; a trainer out of step keeps its own steps', () => {
  const fake = (steps, base) => ({
    evalSteps: () => Float64Array.from(steps),
    evalHistory: (series) => Float64Array.from(steps, (s) => base + s + { trainLoss: 0.1, valLoss: 0.2, trainAccuracy: 0.3, valAccuracy: 0.4 }[series]),
  });
  const columns = trainerColumns({ plain: fake([0, 10, 20], 1), dropout: fake([0, 10, 20], 2) });
  assert.deepEqual(Object.keys(columns), ['step', 'plainTrainLoss', 'plainValLoss', 'plainTrainAccuracy', 'plainValAccuracy',
    'dropoutTrainLoss', 'dropoutValLoss', 'dropoutTrainAccuracy', 'dropoutValAccuracy']);
  assert.deepEqual(columns.step, [0, 10, 20]);
  assert.deepEqual(columns.dropoutValLoss, [2.2, 12.2, 22.2]);
  const uneven = trainerColumns({ a: fake([0, 10], 0), b: fake([0, 5, 10], 0) });
  assert.deepEqual(uneven.bStep, [0, 5, 10]);
  assert.equal(uneven.aStep, undefined);
  assert.deepEqual(trainerColumns({ a: null }), {});
});
