// The digits data set without its bytes.
// expect: TS2741 Property 'data' is missing in type '{ kind: "digits"; perClass: number; }' but required in type 'DigitsDatasetConfig'
import { type DigitsDatasetConfig } from "../../../www/pkg/trainlab.js";

export const digits: DigitsDatasetConfig = { kind: "digits", perClass: 50 }; // error here
