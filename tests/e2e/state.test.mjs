// The URL-hash state table: every value from a link is checked at the edge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readHash, decode, encode } from '../../www/state.js';

const table = {
  surface: { type: 'enum', values: ['quadratic', 'rosenbrock'], default: 'quadratic' },
  lr: { type: 'number', min: 0, max: 10, default: (v) => (v.surface === 'rosenbrock' ? 0.001 : 0.1) },
  steps: { type: 'number', integer: true, min: 1, max: 100, default: 10 },
  noise: { type: 'bool', default: false },
  on: { type: 'set', values: ['sgd', 'adam'], default: ['sgd', 'adam'] },
  expr: { type: 'text', maxLength: 10, default: 'x^2' },
};

test('readHash splits the demo from its parameters', () => {
  const { demo, params } = readHash('#race?surface=rosenbrock&lr=0.5');
  assert.equal(demo, 'race');
  assert.equal(params.get('lr'), '0.5');
  assert.equal(readHash('').demo, '');
});

test('valid values are read, invalid and unknown ones are rejected with their names', () => {
  const params = new URLSearchParams('surface=rosenbrock&lr=NaN&steps=2.5&noise=yes&on=adam,sgd&expr=0123456789x&bogus=1');
  const { values, rejected } = decode(table, params);
  assert.equal(values.surface, 'rosenbrock');
  assert.equal(values.lr, 0.001, 'a rejected value falls back to its (dependent) default');
  assert.equal(values.steps, 10);
  assert.equal(values.noise, false);
  assert.deepEqual(values.on, ['sgd', 'adam'], 'sets keep the table order');
  assert.equal(values.expr, 'x^2');
  assert.deepEqual(rejected.map((r) => r.name).sort(), ['bogus', 'expr', 'lr', 'noise', 'steps']);
  const { rejected: none } = decode(table, new URLSearchParams('lr=1e-3&steps=100&on='));
  assert.deepEqual(none, []);
  assert.equal(decode(table, new URLSearchParams('lr=-1')).rejected[0].name, 'lr');
  assert.equal(decode(table, new URLSearchParams('lr=Infinity')).rejected[0].name, 'lr');
});

test('encode writes only what differs from the defaults, and round-trips', () => {
  const values = { surface: 'rosenbrock', lr: 0.001, steps: 10, noise: true, on: ['adam'], expr: 'x^2' };
  const params = encode(table, values);
  assert.equal(params.toString(), 'surface=rosenbrock&noise=1&on=adam');
  assert.deepEqual(decode(table, params).values, values);
});
