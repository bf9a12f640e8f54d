// The free functions: drawLossChart and drawScheduleChart draw each shown
// racer's curve in its colour and nothing for hidden ones; version().
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, REPO_ROOT, throwsNaming } from './harness.mjs';
import { fakeCanvas } from './fake-canvas.mjs';

test('drawLossChart draws the loss curve of each racer with a colour, none for null', () => {
  const race = new api.Race(new api.Surface('rosenbrock'), {
    racers: [{ kind: 'sgd', lr: 1e-3 }, { kind: 'adam', lr: 0.05 }, { kind: 'momentum', lr: 1e-3 }],
  });
  race.step(60);
  const canvas = fakeCanvas(480, 300);
  api.drawLossChart(canvas, race, { colors: ['#ff0000', null, '#0000ff'], logY: true, minSteps: 50 });
  assert.ok(canvas.context.linesIn('rgba(255,0,0,1)') >= 50, 'sgd');
  assert.ok(canvas.context.linesIn('rgba(0,0,255,1)') >= 50, 'momentum');
  assert.equal([...canvas.context.colours()].filter((c) => c.startsWith('rgba(') && !/^rgba\((255,0,0|0,0,255|0,0,0|255,255,255|236,236,236),/.test(c)).length, 0, 'no third curve');
  throwsNaming(() => api.drawLossChart(fakeCanvas(480, 300), race, { colors: ['red'] }), 'colour', 'red');
  throwsNaming(() => api.drawLossChart(fakeCanvas(480, 300), race, { colours: [] }), "'colours'");
});

test('drawScheduleChart draws lr(t) for first-order racers only', () => {
  const race = new api.Race(new api.Surface('quadratic'), {
    racers: [
      { kind: 'sgd', lr: 0.5, schedule: { kind: 'cosine', total: 40 } },
      { kind: 'newton' },
    ],
  });
  const canvas = fakeCanvas(480, 300);
  api.drawScheduleChart(canvas, race, { colors: ['#00ff00', '#ff00ff'], minSteps: 40, marker: 10, logY: false });
  assert.ok(canvas.context.linesIn('rgba(0,255,0,1)') >= 30, 'the cosine schedule');
  assert.equal(canvas.context.linesIn('rgba(255,0,255,1)'), 0, 'Newton has no learning rate');
  throwsNaming(() => api.drawScheduleChart(fakeCanvas(480, 300), race, { minSteps: 1 }), 'minSteps');
});

test('version() is the crate version', () => {
  const cargo = readFileSync(path.join(REPO_ROOT, 'Cargo.toml'), 'utf8');
  assert.equal(api.version(), cargo.match(/^version = "([^"]+)"/m)[1]);
});
