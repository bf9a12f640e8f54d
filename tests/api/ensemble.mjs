// Ensemble: averaged probabilities are the mean of the members' (read one
// member at a time through 1×1 grids), the curves by count, the majority
// vote with its tie rule, Jensen's bound on the averaged loss, member 0 of
// an independent ensemble is exactly the Trainer, snapshots on warm
// restarts at the documented steps, newest first; grids and maps by value;
// and the Trainer's Polyak average.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, approx, approxAll, throwsNaming } from './harness.mjs';
import { crossEntropy, forward } from './mlp.mjs';

const TRAINER = {
  dataset: { kind: 'moons', classes: 2, pointsPerClass: 30, noise: 0.25, seed: 4 },
  validationSplit: 0.5,
  hidden: [12],
  optimizer: { kind: 'sgd', lr: 0.5 },
  batchSize: 10,
  seed: 9,
};

/** Member `i`'s class probabilities at each point, through a 1×1 grid centred on it. */
function memberProbabilities(e, i, points) {
  const out = [];
  for (let r = 0; r < points.length / 2; r++) {
    const [x, y] = [points[2 * r], points[2 * r + 1]];
    e.memberGrid(i, x - 0.25, x + 0.25, y - 0.25, y + 0.25, 1, 1);
    out.push([...e.gridProbabilities()]);
  }
  return out;
}

const argmax = (p) => p.reduce((best, v, c) => (v > p[best] ? c : best), 0);

/** Curves by count from per-member probabilities (members in member order). */
function curvesByHand(perMember, labels) {
  const accuracy = [];
  const loss = [];
  const vote = [];
  for (let k = 1; k <= perMember.length; k++) {
    let right = 0;
    let votesRight = 0;
    let sumLoss = 0;
    labels.forEach((label, r) => {
      const avg = perMember[0][r].map((_, c) => perMember.slice(0, k).reduce((a, m) => a + m[r][c], 0) / k);
      if (argmax(avg) === label) right += 1;
      sumLoss -= Math.log(avg[label]);
      // Majority vote; ties to the higher averaged probability, then the lower class.
      const counts = avg.map(() => 0);
      for (const m of perMember.slice(0, k)) counts[argmax(m[r])] += 1;
      const top = Math.max(...counts);
      let winner = -1;
      counts.forEach((n, c) => {
        if (n === top && (winner < 0 || avg[c] > avg[winner])) winner = c;
      });
      if (winner === label) votesRight += 1;
    });
    accuracy.push(right / labels.length);
    loss.push(sumLoss / labels.length);
    vote.push(votesRight / labels.length);
  }
  return { accuracy, loss, vote };
}

test('Ensemble (independent): averages, curves by count, votes, reports and maps by value', () => {
  const e = new api.Ensemble({ trainer: TRAINER, kind: 'independent', members: 3 });
  assert.deepEqual([e.kind, e.capacity, e.count, e.runs, e.cycle, e.classes], ['independent', 3, 3, 3, null, 2]);
  const report = e.train(40);
  assert.deepEqual([e.steps, e.computeSteps, report.steps, report.computeSteps, report.count], [40, 120, 40, 120, 3]);
  // Member 0 is exactly new Trainer(trainer): the same data, split and minibatch losses.
  const solo = new api.Trainer(TRAINER);
  solo.run(40);
  assert.deepEqual([...e.lossHistory(0)], [...solo.lossHistory()]);
  assert.notDeepEqual([...e.lossHistory(1)], [...solo.lossHistory()], 'members differ in their seeds');
  assert.deepEqual([...e.trainPoints()], [...solo.trainPoints()]);
  assert.deepEqual([...e.valPoints()], [...solo.valPoints()]);
  assert.deepEqual([...e.trainLabels()], [...solo.trainLabels()]);
  const valPoints = [...e.valPoints()];
  const valLabels = [...e.valLabels()];
  const trainPoints = [...e.trainPoints()];
  const trainLabels = [...e.trainLabels()];
  const perMember = [0, 1, 2].map((i) => memberProbabilities(e, i, valPoints));
  const want = curvesByHand(perMember, valLabels);
  approxAll(e.accuracyByCount(), want.accuracy, 1e-12, 'accuracy by count');
  approxAll(e.lossByCount(), want.loss, 1e-5, 'loss by count');
  approxAll(e.voteAccuracyByCount(), want.vote, 1e-12, 'vote accuracy by count');
  const trainWant = curvesByHand([0, 1, 2].map((i) => memberProbabilities(e, i, trainPoints)), trainLabels);
  approxAll(e.trainAccuracyByCount(), trainWant.accuracy, 1e-12, 'train accuracy by count');
  // The report: each member alone, the average of all, Jensen's bound on the loss.
  report.members.forEach((m, i) => {
    assert.equal(m.steps, 40);
    approx(m.valAccuracy, curvesByHand([perMember[i]], valLabels).accuracy[0], 1e-12, `member ${i}`);
    approx(m.valLoss, curvesByHand([perMember[i]], valLabels).loss[0], 1e-5, `member ${i} loss`);
  });
  approx(report.ensemble.valAccuracy, want.accuracy[2], 1e-12);
  approx(report.ensemble.voteAccuracy, want.vote[2], 1e-12);
  approx(report.ensemble.valLoss, want.loss[2], 1e-5);
  const meanLoss = report.members.reduce((a, m) => a + m.valLoss, 0) / 3;
  assert.ok(report.ensemble.valLoss <= meanLoss + 1e-9, 'Jensen: the averaged loss is at most the mean loss');
  assert.equal(report.run, null);
  assert.deepEqual(e.evaluate(), report);
  // predict: the mean of the members' probabilities.
  const some = valPoints.slice(0, 10);
  const averaged = [...e.predict(Float64Array.from(some))];
  for (let r = 0; r < 5; r++) {
    approxAll(averaged.slice(2 * r, 2 * r + 2), [0, 1].map((c) => perMember.reduce((a, m) => a + m[r][c], 0) / 3), 1e-6, `predict row ${r}`);
  }
  // Maps: the averaged one is the mean of the members' probabilities, coloured as documented.
  const view = [-1.5, 2.5, -1, 1.5, 12, 9];
  const average = e.predictGrid(...view).slice();
  assert.ok(e.predictGrid(...view) instanceof Uint8ClampedArray);
  const averageProbs = [...e.gridProbabilities()];
  const members = [0, 1, 2].map((i) => {
    const pixels = e.memberGrid(i, ...view).slice();
    return { pixels, probs: [...e.gridProbabilities()] };
  });
  approxAll(averageProbs, averageProbs.map((_, k) => members.reduce((a, m) => a + m.probs[k], 0) / 3), 1e-6, 'averaged grid');
  for (let cell = 0; cell < 12 * 9; cell++) {
    const p = averageProbs.slice(cell * 2, cell * 2 + 2);
    const best = p[1] > p[0] ? 1 : 0;
    const alpha = 0.15 + 0.5 * Math.min(1, Math.max(0, (p[best] - 0.5) / 0.5));
    const colour = [[31, 119, 180], [255, 127, 14]][best].map((v) => Math.floor(255 * (1 - alpha) + v * alpha));
    assert.ok(colour.every((v, c) => Math.abs(v - average[cell * 4 + c]) <= 1), `cell ${cell}`);
  }
  const all = e.predictGrids(...view).slice();
  assert.equal(all.length, 4 * 12 * 9 * 4);
  assert.deepEqual([...all.slice(0, 432)], [...average]);
  members.forEach((m, i) => assert.deepEqual([...all.slice(432 * (i + 1), 432 * (i + 2))], [...m.pixels], `member ${i} tile`));
  // An independent run's live model is its member.
  assert.deepEqual([...e.runGrid(1, ...view)], [...members[1].pixels]);
  throwsNaming(() => e.memberGrid(3, ...view), 'member');
  throwsNaming(() => e.lossHistory(5), 'run must be below', '3');
  throwsNaming(() => e.predictGrid(0, 1, 0, 1, 2000, 2), '1024');
  e.run(5);
  assert.equal(e.steps, 45);
  assert.equal(e.lrHistory().length, 45);
  assert.ok([...e.lrHistory()].every((lr) => lr === 0.5));
  assert.deepEqual([...e.snapshotSteps()], []);
  e.free();
});

test('Ensemble (snapshot): warm restarts of period `cycle`, snapshots after each cycle, newest first', () => {
  const e = new api.Ensemble({ trainer: { ...TRAINER, optimizer: { kind: 'sgd', lr: 0.4 } }, kind: 'snapshot', members: 3, cycle: 20 });
  assert.deepEqual([e.kind, e.capacity, e.count, e.runs, e.cycle], ['snapshot', 3, 0, 1, 20]);
  const early = e.train(10);
  assert.equal(early.count, 0);
  assert.equal(early.ensemble, null);
  assert.equal(early.run.steps, 10);
  throwsNaming(() => e.predictGrid(0, 1, 0, 1, 4, 4), 'snapshot');
  e.run(80); // 90 steps: snapshots after steps 19, 39, 59, 79; the last three kept
  assert.deepEqual([e.steps, e.computeSteps, e.count], [90, 90, 3]);
  assert.deepEqual([...e.snapshotSteps()], [79, 59, 39]);
  // The rate: cosine from lr to 0 over each cycle of 20 steps, back to lr at every restart.
  const lrs = [...e.lrHistory()];
  assert.equal(lrs.length, 90);
  lrs.forEach((lr, t) => approx(lr, 0.4 * (1 + Math.cos(Math.PI * (t % 20) / 20)) / 2, 1e-15, `lr at ${t}`));
  const report = e.evaluate();
  assert.equal(report.members.length, 3);
  assert.deepEqual(report.members.map((m) => m.steps), [80, 60, 40]);
  assert.equal(report.run.steps, 90);
  // The curves by count take the newest snapshots first.
  const valPoints = [...e.valPoints()];
  const perMember = [0, 1, 2].map((i) => memberProbabilities(e, i, valPoints));
  approxAll(e.accuracyByCount(), curvesByHand(perMember, [...e.valLabels()]).accuracy, 1e-12);
  // The live run differs from its latest snapshot (ten more steps).
  const view = [-1.5, 2.5, -1, 1.5, 10, 8];
  assert.notDeepEqual([...e.runGrid(0, ...view)], [...e.memberGrid(0, ...view)]);
  throwsNaming(() => new api.Ensemble({ trainer: TRAINER, kind: 'independent', cycle: 5 }), 'cycle');
  throwsNaming(() => new api.Ensemble({ trainer: TRAINER, kind: 'snapshot', members: 33 }), 'members');
  throwsNaming(() => new api.Ensemble({ trainer: TRAINER, kind: 'bagging' }), 'bagging', 'independent, snapshot');
  throwsNaming(() => new api.Ensemble({ trainer: { ...TRAINER, hidden: [0] }, kind: 'independent' }), 'hidden');
});

test('Trainer.polyak: evaluation uses avg ← d·avg + (1 − d)·w, `current` the weights themselves', () => {
  const points = [0.9, 0.3, -0.7, 0.8, 0.4, -0.6, -0.5, -0.9, 0.2, 0.7, -0.8, -0.1];
  const labels = [0, 1, 0, 1, 1, 0];
  const config = {
    dataset: { kind: 'custom', x: Float64Array.from(points), y: Int32Array.from(labels) },
    validationSplit: 0, hidden: [3], optimizer: { kind: 'sgd', lr: 0.5 }, batchSize: 6, seed: 1,
  };
  assert.equal(new api.Trainer(config).polyak, null);
  const t = new api.Trainer({ ...config, polyak: 0.5 });
  assert.equal(t.polyak, 0.5);
  const start = [[0.5, -0.3, 0.8, -0.4, 0.9, 0.2], [0.1, -0.1, 0.05], [0.3, -0.6, 0.7, 0.2, -0.5, 0.4], [0.05, -0.05]];
  t.setWeights(start.map((w) => Float32Array.from(w)));
  t.run(1);
  const w1 = t.getWeights().map((a) => [...a]);
  // After one step from a restarted average: avg = 0.5·w0 + 0.5·w1.
  const avg = start.map((block, k) => block.map((v, i) => 0.5 * v + 0.5 * w1[k][i]));
  const probe = [0.3, -0.2, -0.6, 0.5];
  approxAll(t.forwardEval(Float64Array.from(probe)), forward(avg, probe, { hidden: 3, classes: 2 }).s, 1e-5, 'forwardEval uses the average');
  const evaluation = t.evaluate();
  approx(evaluation.trainLoss, crossEntropy(forward(avg, points, { hidden: 3, classes: 2 }).s, labels, 2), 1e-5, 'trainLoss of the average');
  approx(evaluation.current.trainLoss, crossEntropy(forward(w1, points, { hidden: 3, classes: 2 }).s, labels, 2), 1e-5, 'current.trainLoss of the weights');
  assert.equal(evaluation.current.valLoss, null);
  assert.equal(new api.Trainer(config).evaluate().current, null);
  throwsNaming(() => new api.Trainer({ ...config, polyak: 1 }), 'polyak');
});
