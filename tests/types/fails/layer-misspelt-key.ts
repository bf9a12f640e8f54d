// A misspelt layer key: a conv layer's count of kernels is `filters`.
// expect: TS2561 'filter' does not exist in type 'ConvLayer'. Did you mean to write 'filters'?
import { Trainer } from "../../../www/pkg/trainlab.js";

export const trainer = new Trainer({
  layers: [
    { kind: "conv", filter: 16, size: 5 }, // error here
    { kind: "relu" },
    { kind: "dense", units: 10 },
  ],
});
