// A result read as something it is not: without a validation set the
// accuracy is null, which an `any` result type would let through.
// expect: TS2322 Type 'number | null' is not assignable to type 'number'
import { Trainer } from "../../../www/pkg/trainlab.js";

const trainer = new Trainer({ validationSplit: 0 });
export const accuracy: number = trainer.train(10).valAccuracy; // error here
