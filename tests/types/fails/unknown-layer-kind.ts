// A layer kind the engine does not have: softmax is part of the loss, not a layer.
// expect: TS2322 Type '"softmax"' is not assignable to type '"batchnorm" | "conv" | "dense" | "dropout" | "maxpool" | Activation'
import { Trainer } from "../../../www/pkg/trainlab.js";

export const trainer = new Trainer({
  layers: [
    { kind: "dense", units: 10 },
    { kind: "softmax" }, // error here
  ],
});
