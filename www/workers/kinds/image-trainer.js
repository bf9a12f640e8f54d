// The engine host's adapter for image Trainers (the image lab; the
// transfer demo builds on it): a convolutional or dense network on the
// shipped digits or caller-given images. Evaluating hundreds of images
// takes longer than a frame, so an evaluation is spread over requests: each
// snapshot scores a few more images for at most `evalMs`, and its answer
// says how far it got. What a finished evaluation found (accuracies, the
// confusion matrix, the most confidently wrong digits) travels once per
// evaluation; filters, feature maps and a drawn digit's probabilities
// travel when asked.
import { Duty } from "../duty.js";
import { loadDigits } from "../../data/digits.js";

/** Training images scored per evaluation, spread over the (class-sorted) training set. */
export const TRAIN_SCORED = 500;
/** One continueEvaluation call aims at this many milliseconds. */
const CHUNK_MS = 12;
/** Most confidently wrong digits kept per evaluation. */
export const MISTAKES = 12;

/**
 * The kind, with its data loader: `loadData()` resolves to the digits
 * asset's bytes and is called at most once per worker (again only after a
 * failure). Tests pass a fake loader.
 */
export function imageTrainerKind({ loadData = () => loadDigits() } = {}) {
  let digits = null;
  const loadOnce = () => {
    digits ??= loadData().catch((error) => {
      digits = null;
      throw error;
    });
    return digits;
  };

  /**
   * spec: {config, weights?}. `config` is a Trainer settings object; with
   * `dataset.kind: "digits"` and no `dataset.data`, the digits are loaded
   * (once) and filled in. `weights` (arrays for setWeights) replace the
   * initial weights.
   */
  async function create(engine, { config, weights = null }) {
    let settings = config;
    if (config?.dataset?.kind === "digits" && config.dataset.data === undefined) {
      settings = { ...config, dataset: { ...config.dataset, data: await loadOnce() } };
    }
    const trainer = new engine.Trainer(settings);
    try {
      if (weights) trainer.setWeights(weights);
      return {
        trainer,
        trainCount: trainer.trainLabels().length,
        valLabels: Array.from(trainer.valLabels()),
        imageSize: trainer.inputShape.reduce((a, b) => a * b, 1),
        lastLoss: NaN,
        duty: new Duty(0.25),
        msPerImage: 1,
        // The evaluation in progress: {step, cost} (cost: ms spent so far).
        running: null,
        evaluatedStep: -1,
        metrics: null,
        results: null,
        version: 0,
      };
    } catch (error) {
      trainer.free();
      throw error;
    }
  }

  function free(state) {
    state.trainer.free();
  }

  function step(state, steps) {
    state.lastLoss = state.trainer.run(steps);
  }

  /** What the page learns once, at creation. */
  function describe(state) {
    const tr = state.trainer;
    return {
      classes: tr.classes,
      parameterCount: tr.parameterCount,
      inputShape: Array.from(tr.inputShape),
      layers: tr.layerInfo(),
      trainCount: state.trainCount,
      valCount: state.valLabels.length,
      valLabels: state.valLabels,
    };
  }

  /**
   * request: {
   *   evaluate: "now" | "due" | "never"  start evaluating the current step: now
   *                                      (unless it is evaluated or being evaluated),
   *                                      when due (a quarter of the time at most), or not
   *   evalMs: number                     time to spend scoring in this request (0: none)
   *   curves: bool                       every finished evaluation, as curves
   *   results: number                    the results version the page has: newer ones are sent
   *   filters: null | {scale}            the first conv layer's kernels as a mosaic
   *   probe: null | {input, layer, scale}  class probabilities of one image (input:
   *                                      its values, NCHW) and, with `layer`, that
   *                                      layer's feature maps as a mosaic
   * }
   * Answers {value, transfer}: value always has steps, lr, loss (the last
   * minibatch's) and evaluation {step, evaluated, total, done}.
   */
  function snapshot(state, request, clock) {
    const tr = state.trainer;
    const transfer = [];
    startIfWanted(state, request.evaluate ?? "never", clock);
    if (state.running && request.evalMs > 0) advanceEvaluation(state, request.evalMs, clock);
    const progress = tr.evaluationResult();
    const value = {
      steps: tr.steps,
      lr: tr.lr,
      loss: state.lastLoss,
      evaluation: progress ? { step: progress.step, evaluated: progress.evaluated, total: progress.total, done: progress.done } : null,
    };
    if (state.metrics) value.metrics = state.metrics;
    if (request.curves) {
      value.curves = { steps: tr.evalSteps().slice() };
      for (const which of ["trainLoss", "valLoss", "trainAccuracy", "valAccuracy"]) value.curves[which] = tr.evalHistory(which).slice();
      for (const a of Object.values(value.curves)) transfer.push(a.buffer);
    }
    if (typeof request.results === "number" && state.results && state.version > request.results) {
      const r = state.results;
      const copy = {
        version: state.version,
        step: r.step,
        confusion: r.confusion.slice(),
        mistakes: Object.fromEntries(Object.entries(r.mistakes).map(([k, v]) => [k, v.slice()])),
      };
      transfer.push(copy.confusion.buffer, ...Object.values(copy.mistakes).map((a) => a.buffer));
      value.results = copy;
    }
    if (request.filters) {
      const mosaic = filters(tr, request.filters);
      if (mosaic) {
        value.filters = mosaic;
        transfer.push(mosaic.pixels.buffer);
      }
    }
    if (request.probe) {
      value.probe = probe(tr, request.probe);
      transfer.push(value.probe.probabilities.buffer);
      if (value.probe.featureMaps) transfer.push(value.probe.featureMaps.pixels.buffer);
    }
    return { value, transfer };
  }

  function startIfWanted(state, evaluate, clock) {
    const tr = state.trainer;
    if (state.running || evaluate === "never" || state.evaluatedStep === tr.steps) return;
    if (evaluate === "due" && !state.duty.due(clock())) return;
    tr.startEvaluation({ trainLimit: TRAIN_SCORED, spread: true });
    state.running = { step: tr.steps, cost: 0 };
  }

  /** Scores images for about `budgetMs` (at least one chunk); finishes the evaluation when all are scored. */
  function advanceEvaluation(state, budgetMs, clock) {
    const tr = state.trainer;
    const started = clock();
    let done = false;
    do {
      const chunk = Math.max(1, Math.min(256, Math.round(CHUNK_MS / state.msPerImage)));
      const t0 = clock();
      const progress = tr.continueEvaluation(chunk);
      const spent = clock() - t0;
      state.running.cost += spent;
      // Believe a dearer chunk at once, a cheaper one gradually.
      const perImage = spent / chunk;
      state.msPerImage = perImage > state.msPerImage ? perImage : 0.7 * state.msPerImage + 0.3 * perImage;
      state.msPerImage = Math.max(1e-3, state.msPerImage);
      done = progress.done;
    } while (!done && clock() - started < budgetMs);
    if (done) finish(state, clock);
  }

  function finish(state, clock) {
    const tr = state.trainer;
    const r = tr.evaluationResult();
    state.metrics = {
      step: r.step,
      loss: r.trainLoss,
      trainLoss: r.trainLoss,
      valLoss: r.valLoss,
      trainAccuracy: r.trainAccuracy,
      valAccuracy: r.valAccuracy,
    };
    const wrong = tr.mostConfidentlyWrong(MISTAKES);
    state.results = {
      step: r.step,
      confusion: tr.confusionMatrix(),
      mistakes: { ...wrong, images: imagesOf(tr, wrong.indices, state.imageSize) },
    };
    state.version += 1;
    state.evaluatedStep = r.step;
    state.duty.record(state.running.cost, clock());
    state.running = null;
  }

  /** Commands the page may send (`host.command(handle, name, args)`). */
  const commands = {
    /** Validation images by index: {labels: Uint8Array, pixels: Uint8Array (0–255, n × image size)}. */
    valImages(state, indices) {
      const list = Array.from(indices ?? [], Number);
      const count = state.valLabels.length;
      const bad = list.find((i) => !Number.isInteger(i) || i < 0 || i >= count);
      if (bad !== undefined) throw new Error(`valImages: indices must be whole numbers below ${count}, got ${bad}`);
      return { labels: Uint8Array.from(list, (i) => state.valLabels[i]), pixels: imagesOf(state.trainer, list, state.imageSize) };
    },
    /** One image's class probabilities (and feature maps of `layer`): see snapshot's `probe`. */
    probe(state, request) {
      return probe(state.trainer, request);
    },
  };

  return { create, free, step, snapshot, describe, commands };
}

/** Rows `indices` of the validation set as bytes (0–255), one image after another. */
function imagesOf(trainer, indices, size) {
  const out = new Uint8Array(indices.length * size);
  // A view over wasm memory: read it before calling into the engine again.
  const all = trainer.valPoints();
  Array.from(indices).forEach((index, k) => {
    for (let p = 0; p < size; p++) out[k * size + p] = Math.round(255 * Math.min(1, Math.max(0, all[index * size + p])));
  });
  return out;
}

function filters(trainer, { scale = 4 }) {
  // A network without a conv layer (the MLP) has no filters to show.
  if (!trainer.layerInfo().some((layer) => layer.kind === "conv")) return null;
  return trainer.filterTiles(undefined, { scale });
}

function probe(trainer, { input, layer = null, scale = 2 }) {
  const values = input instanceof Float32Array ? input : Float32Array.from(input ?? []);
  const result = { probabilities: trainer.predict(values).slice() };
  if (layer !== null && layer !== undefined) result.featureMaps = trainer.featureMaps(values, layer, { scale });
  return result;
}
