// The MLP shorthand beside a layer list: the engine refuses `hidden` when `layers` are given.
// expect: TS2345 hidden: number[]; }' is not assignable to parameter of type 'TrainerConfig'
import { Trainer } from "../../../www/pkg/trainlab.js";

export const trainer = new Trainer({ // error here
  layers: [{ kind: "dense", units: 3 }],
  hidden: [100],
});
