// A key that belongs to another optimizer kind: plain SGD has no momentum.
// expect: TS2353 'momentum' does not exist in type 'SgdConfig'
import { Optimizer } from "../../../www/pkg/trainlab.js";

export const sgd = new Optimizer({ kind: "sgd", lr: 0.1, momentum: 0.9 }); // error here
