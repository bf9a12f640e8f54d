// A Trainer's evaluation history as a series for the curves part: the
// step axis and one of "trainLoss", "valLoss", "trainAccuracy",
// "valAccuracy", copied out of wasm memory (a later step may move it).

/** → {x, y, color, dashed} for createCurvesChart().update(). */
export function trainerCurve(trainer, color, which, dashed = false) {
  return { x: Float64Array.from(trainer.evalSteps()), y: Float64Array.from(trainer.evalHistory(which)), color, dashed };
}

/**
 * Two runs on the pair-curves part: losses (training solid; validation
 * dashed when `valLoss`), accuracies (training solid, validation dashed).
 * `runs` is [[trainer, color], [trainer, color]].
 */
export function pairSeries(runs, { valLoss = true } = {}) {
  const each = (which, dashed) => runs.map(([trainer, color]) => trainerCurve(trainer, color, which, dashed));
  return {
    loss: [...each("trainLoss", false), ...(valLoss ? each("valLoss", true) : [])],
    accuracy: [...each("trainAccuracy", false), ...each("valAccuracy", true)],
  };
}
