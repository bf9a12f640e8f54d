// The old snake_case spelling of an augmentation key: the engine still reads
// it, but the types document one style and point to the camelCase key.
// expect: TS2561 'max_shift' does not exist in type 'TranslateOp'. Did you mean to write 'maxShift'?
import { Augmenter } from "../../../www/pkg/trainlab.js";

export const augmenter = new Augmenter({
  ops: [{ kind: "translate", max_shift: [0.1, 0.1] }], // error here
});
