// A schedule kind the engine does not have.
// expect: TS2322 Type '"cosine_annealing"' is not assignable to type '"constant" | "cosine"
import { Schedule } from "../../../www/pkg/trainlab.js";

export const schedule = new Schedule({ kind: "cosine_annealing", lr: 0.1 }); // error here
