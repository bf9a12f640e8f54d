// A chunked evaluation's result read before checking it exists: it is null
// before startEvaluation.
// expect: TS2531 Object is possibly 'null'
import { Trainer } from "../../../www/pkg/trainlab.js";

const trainer = new Trainer({ layers: [{ kind: "dense", units: 3 }] });
export const done: boolean = trainer.evaluationResult().done; // error here
