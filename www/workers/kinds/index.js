// The engine kinds the host can own, by name. A kind is a module with
//   create(engine, spec) -> state      build the engine object(s) from a plain spec
//                                      (or a Promise of it, when data must load first)
//   free(state)                        free every engine handle it made
//   step(state, steps)                 take optimizer steps
//   snapshot(state, request, clock)    -> {value, transfer}: copies for the page
//   describe(state)                    -> what the page learns once, at creation
//   commands: {name(state, ...args)}   the only other calls the page may make
// To host a new engine object (an image Trainer, …), add a module beside
// trainer.js and one line here.
import * as Trainer from "./trainer.js";
import * as Ensemble from "./ensemble.js";
import { imageTrainerKind } from "./image-trainer.js";
import { transferTrainerKind } from "./transfer-trainer.js";

export const KINDS = { Trainer, Ensemble, ImageTrainer: imageTrainerKind(), TransferTrainer: transferTrainerKind() };
