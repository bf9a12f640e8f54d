// The engine host's adapter for the transfer demo: one image Trainer (the
// image-trainer kind does its training, evaluation and snapshots) set up
// for one transfer strategy. The pretrained source network
// (www/assets/pretrained-digits04.bin) is loaded once per worker; its body
// (the first `bodyLayers` layers with parameters) goes under the target's
// fresh head — re-initialised from a seed derived from the run's
// (`freshHead`), since the weights the target drew from its own seed are,
// at the pretraining's seed, exactly the source model's initial head, the
// one its body co-adapted with — and the strategy decides what learns:
//   scratch    random weights, every layer learns at the rate
//   frozen     the borrowed body frozen, only the new head learns
//   finetune   the borrowed body and the new head learn at the same rate
//   twostage   the body frozen until step `switchAt`, then every layer
//              learns at `fineLr` (about a tenth) with a fresh optimizer
import { imageTrainerKind } from "./image-trainer.js";
import { loadPretrained } from "../../data/pretrained.js";

export const STRATEGIES = ["scratch", "frozen", "finetune", "twostage"];

/**
 * The kind, with its loaders: `loadData()` resolves to the digits asset's
 * bytes, `loadWeights()` to the pretrained file's; each is called at most
 * once per worker (again only after a failure). Tests pass fakes.
 */
export function transferTrainerKind({ loadData, loadWeights = () => loadPretrained() } = {}) {
  const base = imageTrainerKind(loadData ? { loadData } : {});
  let weights = null;
  const weightsOnce = () => {
    weights ??= loadWeights().catch((error) => {
      weights = null;
      throw error;
    });
    return weights;
  };

  /**
   * spec: {config, strategy, bodyLayers, switchAt, fineLr}. `config` is the
   * target task's Trainer settings (its optimizer is the first stage's);
   * `switchAt` and `fineLr` matter for "twostage" only.
   */
  async function create(engine, { config, strategy, bodyLayers = 2, switchAt = 0, fineLr = 0 }) {
    if (!STRATEGIES.includes(strategy)) {
      throw new Error(`strategy must be one of ${STRATEGIES.join(", ")}, got ${JSON.stringify(strategy)}`);
    }
    if (strategy === "twostage" && !(Number.isInteger(switchAt) && switchAt >= 0 && fineLr > 0)) {
      throw new Error(`twostage needs switchAt (a whole number ≥ 0) and fineLr (> 0), got ${switchAt} and ${fineLr}`);
    }
    const source = strategy === "scratch" ? null : engine.readWeightsFile(await weightsOnce());
    const state = await base.create(engine, { config });
    const trainer = state.trainer;
    try {
      if (source) trainer.setWeights(source.blocks.map((b) => b.values), { layers: bodyLayers, freshHead: true });
      if (strategy === "frozen" || strategy === "twostage") trainer.setFrozen(bodyLayers);
    } catch (error) {
      base.free(state);
      throw error;
    }
    state.transfer = { strategy, bodyLayers, switchAt, fineLr, optimizer: config.optimizer, switched: false };
    if (strategy === "twostage") switchIfDue(state);
    return state;
  }

  /** The second stage of "twostage": unfreeze everything, a fresh optimizer at the lower rate. */
  function switchIfDue(state) {
    const x = state.transfer;
    if (x.switched || state.trainer.steps < x.switchAt) return;
    state.trainer.setFrozen(0);
    state.trainer.setOptimizer({ ...x.optimizer, lr: x.fineLr });
    x.switched = true;
  }

  function step(state, steps) {
    const x = state.transfer;
    let left = steps;
    if (x.strategy === "twostage" && !x.switched) {
      const first = Math.min(left, x.switchAt - state.trainer.steps);
      if (first > 0) {
        base.step(state, first);
        left -= first;
      }
      switchIfDue(state);
    }
    if (left > 0) base.step(state, left);
  }

  function describe(state) {
    return {
      ...base.describe(state),
      strategy: state.transfer.strategy,
      paramLayers: Array.from(state.trainer.paramLayers()),
    };
  }

  /** The image-trainer snapshot, plus `frozen` and each parameter layer's rate in the next step. */
  function snapshot(state, request, clock) {
    const out = base.snapshot(state, request, clock);
    out.value.frozen = state.trainer.frozen;
    out.value.rates = Array.from(state.trainer.layerRates());
    return out;
  }

  const commands = {
    ...base.commands,
    /** Every parameter block's values (copies, `getWeights()` order): tests read the frozen body back. */
    weights(state) {
      return state.trainer.getWeights().map((a) => Float32Array.from(a));
    },
  };

  return { create, free: base.free, step, snapshot, describe, commands };
}
