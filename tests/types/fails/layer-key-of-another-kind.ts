// A key of another layer kind: max pooling takes no padding.
// expect: TS2353 'pad' does not exist in type 'MaxPoolLayer'
import { type LayerSpec } from "../../../www/pkg/trainlab.js";

export const pool: LayerSpec = { kind: "maxpool", size: 2, pad: 1 }; // error here
