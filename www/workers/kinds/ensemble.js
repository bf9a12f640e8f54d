// The engine host's adapter for `Ensemble` (the ensembles demo): K
// independent networks or the snapshots of one run, averaged at test time.
// It builds one from a spec, steps it, and answers snapshot requests with
// copies of what the page draws: the evaluation report, the accuracy and
// loss against the number of members averaged, every member's decision map
// in one buffer, the run's learning rate and loss per step, and a history of
// evaluations that it keeps itself (the engine keeps none for ensembles).
import { Duty } from "../duty.js";
import { gridFor, squareView } from "./trainer.js";

/** Evaluations kept in the history; past this, every other old one is dropped. */
export const MAX_HISTORY = 4096;
const HISTORY_KEYS = ["steps", "valAccuracy", "valLoss", "voteAccuracy", "memberValAccuracy", "memberValLoss", "modelValAccuracy", "modelValLoss"];

/** spec: { config: the Ensemble settings object ({trainer, kind, members, cycle}) }. */
export function create(engine, { config }) {
  const ensemble = new engine.Ensemble(config);
  try {
    return {
      ensemble,
      view: squareView([ensemble.trainPoints(), ensemble.valPoints()]),
      parameterCount: parameterCountOf(config.trainer?.hidden ?? [], ensemble.classes),
      evaluation: new Duty(0.25),
      map: new Duty(0.25),
      report: null,
      counts: null,
      history: Object.fromEntries(HISTORY_KEYS.map((key) => [key, []])),
    };
  } catch (error) {
    ensemble.free();
    throw error;
  }
}

export function free(state) {
  state.ensemble.free();
}

export function step(state, steps) {
  state.ensemble.run(steps);
}

/** An ensemble takes no edits: the page may call nothing else. */
export const commands = {};

/** What the page learns once, at creation. */
export function describe(state) {
  const e = state.ensemble;
  return { kind: e.kind, runs: e.runs, capacity: e.capacity, cycle: e.cycle ?? null, classes: e.classes, parameterCount: state.parameterCount };
}

/**
 * request: {
 *   evaluate: "always" | "due" | "never"   the report, the curves by count, a history entry
 *   maps: null | {grid, when: "always" | "due", members: bool, run: bool}
 *       the averaged map (and with `members` every member's after it, in
 *       one buffer); `run` adds a snapshot run's live model. Before its
 *       first snapshot a snapshot ensemble has no average: `live` is then
 *       true and the map is the run's.
 *   points: bool                            training and validation points
 *   history: bool                           the evaluations so far
 *   schedule: bool                          the rate and minibatch loss of every step of run 0
 * }
 * Answers {value, transfer}: value always has steps, computeSteps, count and
 * view, and the last report and counts once there are any.
 */
export function snapshot(state, request, clock) {
  const e = state.ensemble;
  const value = { steps: e.steps, computeSteps: e.computeSteps, count: e.count, view: state.view };
  const transfer = [];
  const evaluate = request.evaluate ?? "never";
  if (evaluate === "always" || (evaluate === "due" && state.evaluation.due(clock()))) {
    state.evaluation.run(() => evaluateNow(state), clock);
  }
  // Small, and kept for later answers: copied (not transferred) every time.
  if (state.report) value.report = state.report;
  if (state.counts) value.counts = state.counts;
  const maps = request.maps;
  if (maps && (maps.when === "always" || state.map.due(clock()))) {
    value.maps = state.map.run(() => drawMaps(state, maps), clock);
    transfer.push(value.maps.rgba.buffer);
    if (value.maps.run) transfer.push(value.maps.run.buffer);
  }
  if (request.points) {
    value.points = {
      train: e.trainPoints().slice(),
      trainLabels: e.trainLabels().slice(),
      val: e.valPoints().slice(),
      valLabels: e.valLabels().slice(),
    };
    for (const a of Object.values(value.points)) transfer.push(a.buffer);
  }
  if (request.history) {
    value.history = Object.fromEntries(HISTORY_KEYS.map((key) => [key, Float64Array.from(state.history[key])]));
    for (const a of Object.values(value.history)) transfer.push(a.buffer);
  }
  if (request.schedule) {
    value.schedule = { lr: e.lrHistory().slice(), loss: e.lossHistory(0).slice(), snapshotSteps: e.snapshotSteps() };
    transfer.push(value.schedule.lr.buffer, value.schedule.loss.buffer, value.schedule.snapshotSteps.buffer);
  }
  return { value, transfer };
}

/** Evaluates every member and the average, and records one history entry. */
function evaluateNow(state) {
  const e = state.ensemble;
  const r = e.evaluate();
  const report = { ...r, step: e.steps };
  state.report = report;
  state.counts = { accuracy: e.accuracyByCount(), loss: e.lossByCount(), vote: e.voteAccuracyByCount() };
  const members = r.members;
  const mean = (key) => (members.length ? members.reduce((sum, m) => sum + (m[key] ?? NaN), 0) / members.length : NaN);
  // "The model": the one run of a snapshot ensemble, or the first
  // independent member (exactly the Trainer these settings would build).
  const model = r.run ?? members[0] ?? null;
  const h = state.history;
  if (h.steps.length && h.steps[h.steps.length - 1] === report.step) for (const key of HISTORY_KEYS) h[key].pop();
  if (h.steps.length >= MAX_HISTORY) {
    for (const key of HISTORY_KEYS) h[key] = h[key].filter((_, i) => i % 2 === 1);
  }
  const entry = {
    steps: report.step,
    valAccuracy: r.ensemble?.valAccuracy ?? NaN,
    valLoss: r.ensemble?.valLoss ?? NaN,
    voteAccuracy: r.ensemble?.voteAccuracy ?? NaN,
    memberValAccuracy: mean("valAccuracy"),
    memberValLoss: mean("valLoss"),
    modelValAccuracy: model?.valAccuracy ?? NaN,
    modelValLoss: model?.valLoss ?? NaN,
  };
  for (const key of HISTORY_KEYS) h[key].push(entry[key]);
  return report;
}

function drawMaps(state, { grid: requested, members = false, run = false }) {
  const e = state.ensemble;
  const v = state.view;
  const count = e.count;
  const grid = gridFor(state.parameterCount * Math.max(1, members ? count : 1), requested);
  const area = [v.xMin, v.xMax, v.yMin, v.yMax, grid, grid];
  const answer = { grid, count, live: false, members: false, step: e.steps, snapshotSteps: null, run: null };
  if (e.kind === "snapshot") {
    answer.snapshotSteps = e.snapshotSteps();
    if (count === 0 || run) answer.run = e.runGrid(0, ...area).slice();
  }
  if (count === 0) {
    // No snapshot yet: the run itself is all there is to show.
    answer.live = true;
    answer.rgba = answer.run;
    answer.run = null;
    return answer;
  }
  answer.members = members;
  answer.rgba = (members ? e.predictGrids(...area) : e.predictGrid(...area)).slice();
  return answer;
}

/** Weights and biases of a dense network 2 → hidden… → classes (the map's cost per cell). */
export function parameterCountOf(hidden, classes) {
  const widths = [2, ...hidden, classes];
  let count = 0;
  for (let i = 1; i < widths.length; i++) count += widths[i - 1] * widths[i] + widths[i];
  return count;
}
