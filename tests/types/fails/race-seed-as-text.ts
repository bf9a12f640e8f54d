// A value of the wrong type: the race's seed is a number.
// expect: TS2322 Type 'string' is not assignable to type 'number'
import { Race, Surface } from "../../../www/pkg/trainlab.js";

export const race = new Race(new Surface("beale"), {
  racers: [{ kind: "adam" }],
  seed: "7", // error here
});
