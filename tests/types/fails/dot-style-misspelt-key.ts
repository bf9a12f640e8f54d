// A misspelt dot-style key.
// expect: TS2561 'lineWidht' does not exist in type 'DotStyle'
import { DotLayer } from "../../../www/pkg/trainlab.js";

new DotLayer(8, 8).draw(new Float32Array([4, 4]), new Uint8Array([0]), { radius: 2, lineWidht: 1, colors: ["#000000"] }); // error here
