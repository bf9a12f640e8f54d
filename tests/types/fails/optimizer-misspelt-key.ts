// A misspelt optimizer key.
// expect: TS2353 'lrr' does not exist in type 'AdamConfig'
import { Optimizer } from "../../../www/pkg/trainlab.js";

export const adam = new Optimizer({ kind: "adam", lrr: 0.1 }); // error here
