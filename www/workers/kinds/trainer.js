// The engine host's adapter for `Trainer` (the network lab and every demo
// that trains a small classifier on 2-D points): how to build one from a
// spec, take steps, apply edits, and answer a snapshot request with copies
// (transferable buffers) of what the page draws.
import { Duty } from "../duty.js";

/** Multiply-adds one decision map may cost: bigger networks get coarser maps. */
const MAP_MACS = 1e9;
const MIN_GRID = 16;

/**
 * spec: { config: the Trainer settings object, edits: [{op: "a", x, y, c} |
 * {op: "r", x, y, r}] } — edits replay clicks on the map; one that no
 * longer applies (a class the data no longer has) is skipped.
 */
export function create(engine, { config, edits = [] }) {
  const trainer = new engine.Trainer(config);
  try {
    let skipped = 0;
    for (const e of edits) {
      try {
        applyEdit(trainer, e);
      } catch {
        skipped++;
      }
    }
    return {
      trainer,
      skipped,
      view: squareView([trainer.trainPoints(), trainer.valPoints()]),
      evaluation: new Duty(0.25),
      map: new Duty(0.25),
      metrics: null,
    };
  } catch (error) {
    trainer.free();
    throw error;
  }
}

export function free(state) {
  state.trainer.free();
}

export function step(state, steps) {
  state.trainer.run(steps);
}

/** Named commands the page may send (`host.command(handle, name, args)`). */
export const commands = {
  /** One click on the map: {op: "a", x, y, c} adds a point, {op: "r", x, y, r} removes the nearest. */
  edit(state, edit) {
    applyEdit(state.trainer, edit);
  },
  /**
   * Forward passes of flat [x0, y0, …] lists without training: {mode: "train"
   * | "eval", inputs} each (a train-mode pass moves batch norm's running
   * averages, as on the page). Answers the scores of each, copied.
   */
  forward(state, passes) {
    const tr = state.trainer;
    return passes.map(({ mode, inputs }) => {
      if (mode !== "train" && mode !== "eval") throw new Error(`a forward pass's mode is "train" or "eval", got ${JSON.stringify(mode)}`);
      return (mode === "train" ? tr.forwardTrain(inputs) : tr.forwardEval(inputs)).slice();
    });
  },
};

/** What the page learns once, at creation. */
export function describe(state) {
  const tr = state.trainer;
  return { classes: tr.classes, parameterCount: tr.parameterCount, hiddenWidths: Array.from(tr.hiddenWidths), skipped: state.skipped };
}

/**
 * request: {
 *   evaluate: "always" | "due" | "never"   accuracies over all the data (costly for big nets)
 *   map: null | {grid, when: "always" | "due"}   decision regions, grid ≤ 96 cells a side
 *   points: bool                            the training and validation points
 *   curves: bool                            the evaluation history
 *   report: bool                            the model now (`Trainer.evaluate()`)
 *   layer: null | {index}                   a hidden layer's last training batch
 * }
 * Answers {value, transfer}: value always has steps, lr and view; the rest
 * only what was asked (and due).
 */
export function snapshot(state, request, clock) {
  const tr = state.trainer;
  const value = { steps: tr.steps, lr: tr.lr, view: state.view };
  const transfer = [];
  const evaluate = request.evaluate ?? "never";
  if (evaluate === "always" || (evaluate === "due" && state.evaluation.due(clock()))) {
    state.metrics = state.evaluation.run(() => ({ ...tr.train(0), step: tr.steps }), clock);
  }
  if (state.metrics) value.metrics = state.metrics;
  const map = request.map;
  if (map && (map.when === "always" || state.map.due(clock()))) {
    const grid = gridFor(tr.parameterCount, map.grid);
    const v = state.view;
    const rgba = state.map.run(() => tr.predictGrid(v.xMin, v.xMax, v.yMin, v.yMax, grid, grid).slice(), clock);
    value.map = { rgba, width: grid, height: grid };
    transfer.push(rgba.buffer);
  }
  if (request.points) {
    value.points = {
      train: tr.trainPoints().slice(),
      trainLabels: tr.trainLabels().slice(),
      val: tr.valPoints().slice(),
      valLabels: tr.valLabels().slice(),
    };
    for (const a of Object.values(value.points)) transfer.push(a.buffer);
  }
  // The layer first: an evaluation's forward passes must not be what it shows.
  if (request.layer) {
    value.layer = layerSnapshot(tr, request.layer.index);
    for (const a of [value.layer.preActivations, value.layer.denseOutputs]) transfer.push(a.buffer);
  }
  if (request.report) value.report = tr.evaluate();
  if (request.curves) {
    value.curves = { steps: tr.evalSteps().slice() };
    for (const which of ["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"]) value.curves[which] = tr.evalHistory(which).slice();
    for (const a of Object.values(value.curves)) transfer.push(a.buffer);
  }
  return { value, transfer };
}

/**
 * One hidden layer as the last training batch saw it: copies of its
 * pre-activations and dense outputs (rows × width), and batch norm's
 * statistics (null without batch norm); batchSize for the page's notes.
 */
function layerSnapshot(tr, index) {
  return {
    index,
    batchSize: tr.batchSize,
    preActivations: Float32Array.from(tr.preActivations(index)),
    denseOutputs: Float32Array.from(tr.denseOutputs(index)),
    batchNormStats: tr.batchNormStats(index),
  };
}

/** The map's cells a side: `requested`, or fewer when one cell's forward pass is dear. */
export function gridFor(parameterCount, requested) {
  const affordable = Math.floor(Math.sqrt(MAP_MACS / Math.max(1, parameterCount)));
  return Math.max(Math.min(MIN_GRID, requested), Math.min(requested, affordable));
}

function applyEdit(trainer, e) {
  if (e.op === "a") {
    if (!(e.c < trainer.classes)) throw new Error(`label must be below classes = ${trainer.classes}, got ${e.c}`);
    trainer.addPoint(e.x, e.y, e.c);
  } else if (e.op === "r") {
    trainer.removePoint(e.x, e.y, e.r);
  } else {
    throw new Error(`an edit is {op: "a", x, y, c} or {op: "r", x, y, r}, got op ${JSON.stringify(e.op)}`);
  }
}

/** Square bounds around every point, padded by 12 %; [-1, 1]² without points. */
export function squareView(lists) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const pts of lists) {
    for (let i = 0; i < pts.length; i++) {
      lo = Math.min(lo, pts[i]);
      hi = Math.max(hi, pts[i]);
    }
  }
  if (!Number.isFinite(lo)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const pad = 0.12 * (hi - lo || 1);
  return { xMin: lo - pad, xMax: hi + pad, yMin: lo - pad, yMax: hi + pad };
}
