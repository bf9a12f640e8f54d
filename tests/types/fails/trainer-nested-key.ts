// A misspelt key one level down, in the trainer's data set.
// expect: TS2561 'pointsPerClas' does not exist in type 'GeneratedDatasetConfig'
import { Trainer } from "../../../www/pkg/trainlab.js";

export const trainer = new Trainer({
  dataset: { kind: "spiral", pointsPerClas: 100 }, // error here
  hidden: [100],
});
