//! TypeScript types of every settings object and result the JS API passes,
//! written into the generated `www/pkg/trainlab.d.ts`.
//!
//! wasm-bindgen types a `JsValue` as `any`; the exported functions name the
//! types below instead (`unchecked_param_type` / `unchecked_return_type`),
//! so a course author's editor completes keys and `tsc --strict` refuses a
//! misspelt one. The types describe what the readers in `crate::config`
//! accept and what the `api` modules return; `tests/types/` checks a sample
//! course page against them. A new settings key or result field goes into
//! the matching interface here in the same change.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SETTINGS_AND_RESULTS: &'static str = r##"
/* ---- Shared shapes ---- */

/** A pair `[low, high]`, or one number (what it stands for depends on the key). */
export type NumberPair = number | readonly [number, number];
/** A numeric input the engine copies: a typed array or a plain array of numbers. */
export type Numbers = Float64Array | Float32Array | readonly number[];
/** RGBA bytes, 4 per pixel, row-major (an `ImageData`'s `data` will do); copied in. */
export type Pixels = Uint8ClampedArray | Uint8Array | readonly number[];
/** A colour as `"#rrggbb"`. */
export type HexColor = string;

/* ---- Learning-rate schedules: new Schedule(config), optimizer.schedule ---- */

interface ScheduleBase {
  /** Base rate; inside an optimizer's settings it defaults to the optimizer's `lr`. */
  lr?: number;
  /** Linear warm-up over this many steps: lr·(t+1)/W, then the schedule delayed by W. */
  warmup?: number;
}
export interface ConstantSchedule extends ScheduleBase { kind: "constant" }
/** lr·γ^⌊t/every⌋ (PyTorch StepLR). */
export interface StepSchedule extends ScheduleBase { kind: "step"; gamma?: number; every?: number }
/** lr·e^(−kt). */
export interface ExponentialSchedule extends ScheduleBase { kind: "exponential"; k?: number }
/** lr/(1 + kt). */
export interface InverseTimeSchedule extends ScheduleBase { kind: "inverse_time"; k?: number }
/** PyTorch CosineAnnealingLR with T_max = total; holds `min` after `total`. */
export interface CosineSchedule extends ScheduleBase { kind: "cosine"; total?: number; min?: number }
/** PyTorch CosineAnnealingWarmRestarts (T_0 = period, T_mult = mult). */
export interface WarmRestartsSchedule extends ScheduleBase {
  kind: "warm_restarts";
  period?: number;
  mult?: number;
  min?: number;
}
export type ScheduleConfig =
  | ConstantSchedule
  | StepSchedule
  | ExponentialSchedule
  | InverseTimeSchedule
  | CosineSchedule
  | WarmRestartsSchedule;
export type ScheduleKind = ScheduleConfig["kind"];

/* ---- Optimizers: new Optimizer(config), race racers, trainer.optimizer ---- */

interface FirstOrderBase {
  lr?: number;
  /** The rate then comes from this schedule. */
  schedule?: ScheduleConfig;
}
/** x ← x − αg */
export interface SgdConfig extends FirstOrderBase { kind: "sgd" }
/** v ← ρv + g; x ← x − αv (momentum), or x ← x − α(g + ρv) (nesterov). */
export interface MomentumConfig extends FirstOrderBase { kind: "momentum" | "nesterov"; momentum?: number }
/** s ← s + g²; x ← x − αg/(√s + ε) */
export interface AdagradConfig extends FirstOrderBase { kind: "adagrad"; eps?: number }
/** s ← δs + (1−δ)g²; x ← x − αg/(√s + ε) */
export interface RmspropConfig extends FirstOrderBase { kind: "rmsprop"; decay?: number; eps?: number }
/** Moving averages m, v of g and g²; x ← x − α m̂/(√v̂ + ε). */
export interface AdamConfig extends FirstOrderBase {
  kind: "adam";
  beta1?: number;
  beta2?: number;
  eps?: number;
  biasCorrection?: boolean;
}
export type FirstOrderConfig = SgdConfig | MomentumConfig | AdagradConfig | RmspropConfig | AdamConfig;

/** Newton: x ← x − tH⁻¹g; `damping` is "line_search" (default), "none" or a Levenberg λ (H + λI). */
export interface NewtonConfig { kind: "newton"; damping?: "line_search" | "none" | number }
export type LineSearchKind = "strong_wolfe" | "backtracking" | "none";
/** BFGS with the full 2×2 inverse-Hessian estimate. */
export interface BfgsConfig { kind: "bfgs"; lineSearch?: LineSearchKind }
/** L-BFGS: two-loop recursion over the last `history` pairs. */
export interface LbfgsConfig { kind: "lbfgs"; history?: number; lineSearch?: LineSearchKind }
export type SecondOrderConfig = NewtonConfig | BfgsConfig | LbfgsConfig;

export type OptimizerConfig = FirstOrderConfig | SecondOrderConfig;
export type OptimizerKind = OptimizerConfig["kind"];

/** "moved", or why a second-order step did not move. */
export type StepStatus = "moved" | "converged" | "line_search_failed" | "singular_hessian" | "not_finite";
/** What one `stepOn` used. */
export interface StepReport {
  evaluations: number;
  gradients: number;
  hessians: number;
  status: StepStatus;
}

/* ---- Surfaces: new Surface(spec) ---- */

export type SurfaceName =
  | "quadratic" | "saddle" | "monkey" | "rosenbrock" | "beale" | "himmelblau" | "bumpy" | "plateau";
/** The ill-conditioned bowl: κ from 1 to 1000, rotation in degrees. */
export interface QuadraticSurfaceSpec { name: "quadratic"; condition?: number; rotation?: number }
export interface NamedSurfaceSpec { name: Exclude<SurfaceName, "quadratic"> }
/** A typed f(x, y) over [−range, range]² (default: the expression's own view). */
export interface ExpressionRangeSpec { expr: string; range?: number; view?: never }
/** A typed f(x, y) over `[xMin, xMax, yMin, yMax]`. */
export interface ExpressionViewSpec { expr: string; view: readonly [number, number, number, number]; range?: never }
export type SurfaceSpec =
  | SurfaceName
  | QuadraticSurfaceSpec
  | NamedSurfaceSpec
  | ExpressionRangeSpec
  | ExpressionViewSpec;

/** A surface's view. */
export interface Bounds { xMin: number; xMax: number; yMin: number; yMax: number }
/** `Surface.checkExpression`: where a typed expression fails, for the UI to point at. */
export interface ExpressionCheck {
  ok: boolean;
  /** 0-based character index of the problem (absent when ok). */
  position?: number;
  message: string;
  hint: string;
}

/* ---- Heatmaps and charts ---- */

/** `heatmap.render`: the value range drawn and how many cells were not finite. */
export interface HeatmapStats { min: number; max: number; nonFinite: number }

interface ChartOptionsBase {
  /** One colour per racer; null (or a missing entry) hides that racer. */
  colors?: readonly (HexColor | null)[];
  xLabel?: string;
  yLabel?: string;
  logY?: boolean;
  /** Device pixels per CSS pixel (text and line sizes). */
  scale?: number;
  /** The step axis spans at least this many steps. */
  minSteps?: number;
}
export interface LossChartOptions extends ChartOptionsBase {
  /** Index of the racer drawn on top, thicker. */
  focus?: number;
  offset?: number;
}
export interface ScheduleChartOptions extends ChartOptionsBase {
  /** A vertical marker at this step. */
  marker?: number;
}

/* ---- Scatter dots: new DotLayer(width, height).draw(points, labels, style) ---- */

export interface DotStyle {
  /** Radius in device pixels of the circle the rim is centred on (0 < r ≤ 256). */
  radius: number;
  /** Rim width in device pixels, 0 … 2·radius. */
  lineWidth?: number;
  /** false: class-coloured body, white rim; true: white body, class-coloured rim. */
  hollow?: boolean;
  /** Label c is drawn in colors[c % colors.length] (1 to 256 colours). */
  colors: readonly HexColor[];
}

/* ---- The optimizer race: new Race(surface, config) ---- */

/** Minibatch gradient noise: σ = scale/√batchSize (scale defaults to the surface's σ₁). */
export interface NoiseConfig { batchSize?: number; scale?: number }
export interface RaceConfig {
  /** Start point; defaults to the surface's own. */
  start?: readonly [number, number];
  racers: readonly OptimizerConfig[];
  noise?: NoiseConfig | null;
  seed?: number;
}
export type RacerState = "running" | "diverged" | "converged" | "stuck" | "finished";
export type StuckReason = "singular_hessian" | "line_search_failed" | "not_finite";
/** `race.status(i)`. */
export interface RacerStatus {
  state: RacerState;
  /** The step at which it diverged, converged or got stuck. */
  atStep?: number;
  /** Why a second-order racer is stuck. */
  reason?: StuckReason;
  steps: number;
  x: number;
  y: number;
  loss: number;
  /** Learning rate of the next step (first-order racers). */
  lr?: number;
  evaluations: number;
  gradients: number;
  hessians: number;
}
export type Curvature = "minimum" | "saddle" | "maximum" | "degenerate";
/** `race.model(i)`: the local quadratic model at a racer's point. */
export interface QuadraticModel {
  value: number;
  gradient: [number, number];
  /** Eigenvalues of the Hessian, ascending. */
  eigenvalues: [number, number];
  /** Unit eigenvectors [v1x, v1y, v2x, v2y], matching `eigenvalues`. */
  eigenvectors: [number, number, number, number];
  condition: number;
  curvature: Curvature;
  /** Where the model is stationary (the plain Newton step), if H is invertible. */
  newtonTarget?: [number, number];
}

/* ---- The network lab: new Trainer(config) ---- */

/** Any typed array of numbers, or a plain array of numbers; copied in. */
export type NumericArray =
  | Numbers
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;
/** Bytes: a Uint8Array, an ArrayBuffer (as `fetch`'s `arrayBuffer()` gives) or a plain array of 0–255. */
export type Bytes = Uint8Array | ArrayBuffer | readonly number[];

/** A generated toy data set of 2-D points (CS231n's spiral and friends). */
export interface GeneratedDatasetConfig {
  kind: "spiral" | "moons" | "circles" | "xor" | "blobs";
  classes?: number;
  pointsPerClass?: number;
  noise?: number;
  /** Defaults to the run's seed. */
  seed?: number;
}
/** Your own points: `x` is n×2 row-major, `y` one integer label per point. */
export interface CustomDatasetConfig {
  kind: "custom";
  x: NumericArray;
  y: NumericArray;
  /** Defaults to the largest label + 1 (at least 2). */
  classes?: number;
}
/** Your own images: `x` holds n·channels·height·width values, NCHW (image after image, each channel a row-major plane). */
export interface ImagesDatasetConfig {
  kind: "images";
  /** 1 to 256. */
  width: number;
  /** 1 to 256. */
  height: number;
  /** 1 to 16 (augmentation needs 1 or 3). */
  channels: number;
  x: NumericArray;
  /** One integer label per image. */
  y: NumericArray;
  /** Defaults to the largest label + 1 (at least 2). */
  classes?: number;
}
/**
 * The shipped MNIST digits: a seeded training set of `perClass` of each class and one fixed
 * validation set of `validationPerClass` of each class (the run's `validationSplit` must be 0).
 */
export interface DigitsDatasetConfig {
  kind: "digits";
  /**
   * The bytes of www/assets/digits.bin.gz, inflated (`loadDigits()` gives them). In an
   * Ensemble's `trainer` only a plain array will do (it copies typed arrays in `x` and `y` only).
   */
  data: Bytes;
  /** Training digits of each class, default 50. */
  perClass?: number;
  /** Validation digits of each class, default 50. */
  validationPerClass?: number;
  /** Draws the training set; defaults to the run's seed. */
  seed?: number;
  /** Keep only these digits, relabelled 0, 1, … in the order listed (a transfer task's classes). */
  digits?: readonly number[];
  /** Redraw every image (training and validation) in another style. */
  style?: DigitStyle;
}
/** How `dataset.style` redraws the digits: a "similar" target task for transfer learning. */
export type DigitStyle = "plain" | "thick" | "inverted" | "shifted" | "noisy";
/** Every data set kind; new kinds join this union. */
export type DatasetConfig = GeneratedDatasetConfig | CustomDatasetConfig | ImagesDatasetConfig | DigitsDatasetConfig;
export type Activation = "relu" | "tanh" | "sigmoid";
export type WeightInit = "auto" | "he" | "xavier" | "small";

/** Cross-correlation with `filters` kernels of `size`×`size`; output side ⌊(H + 2·pad − size)/stride⌋ + 1. */
export interface ConvLayer {
  kind: "conv";
  /** 1 to 256. */
  filters: number;
  /** 1 to 16. */
  size: number;
  /** 1 to 16, default 1. */
  stride?: number;
  /** Zeros on every side, below `size`; default 0. */
  pad?: number;
}
/** Max pooling over `size`×`size` windows, no padding. */
export interface MaxPoolLayer {
  kind: "maxpool";
  /** 1 to 16. */
  size: number;
  /** 1 to 16, default `size`. */
  stride?: number;
}
/** A fully connected layer (flattens C×H×W row-major). */
export interface DenseLayer {
  kind: "dense";
  units: number;
}
export interface ActivationLayer {
  kind: Activation;
}
/** Drops each unit with probability `p` while training (default 0.5; the run's `dropoutMode` applies). */
export interface DropoutLayer {
  kind: "dropout";
  p?: number;
}
/** Batch normalization: per feature after dense, per channel after conv. */
export interface BatchNormLayer {
  kind: "batchnorm";
}
/** One entry of a Trainer's `layers` (1 to 32 of them); training needs the last to be dense with one unit per class. */
export type LayerSpec = ConvLayer | MaxPoolLayer | DenseLayer | ActivationLayer | DropoutLayer | BatchNormLayer;
export type LayerKind = LayerSpec["kind"];

/** Augments every training batch (never what evaluation sees); ops must keep the image size. */
export type AugmentConfig = AugmenterConfig;

interface TrainerBase {
  dataset?: DatasetConfig;
  /** Share of the points held out for validation (default 0: train on all). */
  validationSplit?: number;
  /** Training images only (null = off). */
  augment?: AugmentConfig | null;
  dropoutMode?: "inverted" | "original";
  init?: WeightInit;
  /** A first-order optimizer (schedule included). */
  optimizer?: FirstOrderConfig;
  /** Adds 0.5·l2·ΣW² over the weights (not biases) to the loss. */
  l2?: number;
  batchSize?: number;
  seed?: number;
  /** Polyak averaging: evaluate an exponential moving average of the weights with this decay (null = off). */
  polyak?: number | null;
  /** The first `frozen` layers with parameters get no updates (whole number, 0 to their count). */
  frozen?: number;
  /** One learning-rate factor per layer with parameters (discriminative fine-tuning). */
  lrMultipliers?: Numbers | null;
}
/** A multilayer perceptron in shorthand: `hidden` widths, one activation, optional dropout and batch norm. */
export interface MlpTrainerConfig extends TrainerBase {
  /** Widths of the hidden layers. */
  hidden?: readonly number[];
  activation?: Activation;
  /** The drop probability of hidden units (null or 0 = off); keep probability p = 1 − dropout. */
  dropout?: number | null;
  batchNorm?: boolean;
  layers?: null;
}
/** A network as a list of layers; the shorthand keys are refused beside it. */
export interface LayersTrainerConfig extends TrainerBase {
  layers: readonly LayerSpec[];
  hidden?: never;
  activation?: never;
  dropout?: never;
  batchNorm?: never;
}
/** The network lab's run; every key has a default. */
export type TrainerConfig = MlpTrainerConfig | LayersTrainerConfig;
/** `trainer.train(steps)`. */
export interface TrainReport {
  /** The last minibatch's loss (data + L2). */
  loss: number;
  trainAccuracy: number;
  /** null without a validation set. */
  valAccuracy: number | null;
}
/** Losses (eval-mode cross-entropy without L2) and accuracies of one model; validation null without a validation set. */
export interface ModelMetrics {
  trainLoss: number;
  valLoss: number | null;
  trainAccuracy: number;
  valAccuracy: number | null;
}
/** `trainer.evaluate()`: with `polyak` the averaged weights', and `current` the weights' own. */
export interface Evaluation extends ModelMetrics {
  step: number;
  loss: number;
  lr: number;
  current: ModelMetrics | null;
}
/** One parameter block in `getWeights` order ("W1", "b1", "gamma1", "beta1", "W2", …; conv and dense layers count). */
export interface WeightShape {
  name: string;
  rows: number;
  cols: number;
  /** The index of its layer in `layerInfo()`. */
  layer: number;
  /** The full shape: `[filters, channels, size, size]` for a conv W, `[in, out]` for a dense W, `[n]` for a vector. */
  dims: number[];
}
/** `trainer.setWeights(arrays, options)`: `layers: n` replaces only the first n layers with parameters; with `freshHead: true` the rest is re-initialised from a seed derived from the trainer's (a new head on a borrowed body). */
export interface SetWeightsOptions {
  layers?: number;
  freshHead?: boolean;
}
/** One block of a weights file (`readWeightsFile`), in `getWeights()` order. */
export interface WeightsFileBlock {
  name: string;
  dims: number[];
  values: Float32Array;
}
/** `readWeightsFile(bytes)`: `meta` is JSON text (the source task's Trainer settings, steps, accuracy). */
export interface WeightsFile {
  meta: string;
  blocks: WeightsFileBlock[];
}
/** `trainer.layerInfo()`: one layer (the shorthand `hidden` expanded into its layers). */
export interface LayerInfo {
  index: number;
  kind: LayerKind;
  /** `[channels, height, width]` (`[units, 1, 1]` after dense). */
  outputShape: [number, number, number];
  parameters: number;
}
/** `trainer.batchNormStats(layer)` (copies). */
export interface BatchNormStats {
  batchMean: Float32Array;
  batchVar: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  momentum: number;
}
export type EvalCurve = "trainLoss" | "valLoss" | "trainAccuracy" | "valAccuracy";
/** Test-time dropout factor: the run's mode, p_keep, or 1. */
export type TestScale = "auto" | "keep" | "none";
export interface TrainerChartOptions {
  metric?: "loss" | "accuracy";
  trainColor?: HexColor;
  valColor?: HexColor;
  xLabel?: string;
  yLabel?: string;
  logY?: boolean;
  minSteps?: number;
  scale?: number;
}
/** `trainer.startEvaluation(options)`. */
export interface EvaluationOptions {
  /** Score only the first this many training examples (default all). */
  trainLimit?: number;
  /** Take those examples evenly spread over the training set (image j = ⌊j·n/trainLimit⌋) instead of the first ones. */
  spread?: boolean;
}
/** `startEvaluation` / `continueEvaluation`: examples scored so far (training first, then validation). */
export interface EvaluationProgress {
  evaluated: number;
  total: number;
  done: boolean;
}
/** `trainer.evaluationResult()`: mean cross-entropy (without L2) and accuracy so far, null where nothing was scored. */
export interface EvaluationResult extends EvaluationProgress {
  /** The step the evaluation started at. */
  step: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
}
/** `trainer.mostConfidentlyWrong(k)`, most confident first. */
export interface ConfidentMistakes {
  /** Indices into `valPoints()` / `valLabels()`. */
  indices: Uint32Array;
  labels: Uint32Array;
  predicted: Uint32Array;
  /** The predicted class's probability. */
  confidence: Float32Array;
  /** Every class's probability, mistakes × classes. */
  probabilities: Float32Array;
}
/** `filterTiles` / `featureMaps` options: pixels per value, 1 to 32. */
export interface TileOptions {
  scale?: number;
}
/** A grid of tiles (one per filter or channel) one transparent pixel apart, as RGBA pixels. */
export interface TileMosaic {
  width: number;
  height: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  scale: number;
  pixels: Uint8ClampedArray;
}

/* ---- Ensembles: new Ensemble(config) ---- */

interface EnsembleBase {
  /** The settings every run is built from (member k gets its own seeds). */
  trainer?: TrainerConfig;
  /** How many members (snapshots kept); default 5. */
  members?: number;
}
/** Independent runs from different seeds, averaged at test time. */
export interface IndependentEnsembleConfig extends EnsembleBase { kind: "independent" }
/** Snapshots of one run under cosine warm restarts, one per `cycle` steps (default 200). */
export interface SnapshotEnsembleConfig extends EnsembleBase { kind: "snapshot"; cycle?: number }
export type EnsembleConfig = IndependentEnsembleConfig | SnapshotEnsembleConfig;
/** One member's (or the snapshot run's) scores. */
export interface EnsembleMemberReport {
  steps: number;
  trainAccuracy: number;
  trainLoss: number;
  valAccuracy: number | null;
  valLoss: number | null;
}
/** The averaged probabilities' scores, and the majority vote's validation accuracy. */
export interface EnsembleAverageReport {
  trainAccuracy: number;
  trainLoss: number;
  valAccuracy: number | null;
  valLoss: number | null;
  voteAccuracy: number | null;
}
/** `ensemble.train(steps)` / `evaluate()`. */
export interface EnsembleReport {
  steps: number;
  computeSteps: number;
  count: number;
  members: EnsembleMemberReport[];
  /** null before the first snapshot. */
  ensemble: EnsembleAverageReport | null;
  /** The snapshot run's live model (null for independent members). */
  run: EnsembleMemberReport | null;
}

/* ---- Data augmentation: new Augmenter({ops}) ---- */

/** `[r, g, b]` or `[r, g, b, a]`, whole numbers 0–255 (alpha defaults to 255). */
export type Rgba = readonly [number, number, number] | readonly [number, number, number, number];
export type PaddingMode = "constant" | "edge" | "reflect" | "wrap";
interface OpBase {
  /** Probability the op is applied (default 1; flips and cutout 0.5, greyscale 0.1). */
  p?: number;
}
export interface FlipOp extends OpBase { kind: "hflip" | "vflip" }
export interface GrayscaleOp extends OpBase { kind: "grayscale" }
/** A `size` crop of the image padded by `padding` pixels. */
export interface RandomCropOp extends OpBase {
  kind: "random_crop";
  /** `[width, height]`, or one number for a square. */
  size?: number | readonly [number, number];
  padding?: number;
  paddingMode?: PaddingMode;
  /** The colour of "constant" padding. */
  fill?: Rgba;
}
/** A crop of `scale` of the area and aspect `ratio`, resized to `size`. */
export interface RandomResizedCropOp extends OpBase {
  kind: "random_resized_crop";
  scale?: NumberPair;
  ratio?: NumberPair;
  size?: number | readonly [number, number];
}
/** Factors as torchvision: brightness 0.4 draws a factor in [0.6, 1.4]; hue in turns. */
export interface ColorJitterOp extends OpBase {
  kind: "color_jitter";
  brightness?: number;
  contrast?: number;
  saturation?: number;
  hue?: number;
}
/** AlexNet's PCA colour noise with standard deviation `std`. */
export interface LightingOp extends OpBase { kind: "lighting"; std?: number }
/** A rotation by an angle drawn from `degrees` (one number d means [−d, d]). */
export interface RotateOp extends OpBase { kind: "rotate"; degrees?: NumberPair; fill?: Rgba }
/** A whole-pixel shift of up to `maxShift` of the width and height. */
export interface TranslateOp extends OpBase {
  kind: "translate";
  maxShift?: NumberPair;
  paddingMode?: PaddingMode;
  fill?: Rgba;
}
/** Erases a box of `scale` of the area and aspect `ratio`. */
export interface CutoutOp extends OpBase {
  kind: "cutout";
  scale?: NumberPair;
  ratio?: NumberPair;
  fill?: "noise" | readonly [number, number, number];
}
/** Gaussian noise on every R, G, B value; `std` is a fraction of the 0–255 range (default 0.1). */
export interface NoiseOp extends OpBase { kind: "noise"; std?: number }
export type AugmentOp =
  | FlipOp
  | GrayscaleOp
  | RandomCropOp
  | RandomResizedCropOp
  | ColorJitterOp
  | LightingOp
  | RotateOp
  | TranslateOp
  | CutoutOp
  | NoiseOp;
export type AugmentOpKind = AugmentOp["kind"];
export interface AugmenterConfig { ops: readonly AugmentOp[] }

/** A box in pixels; a crop may reach into the padding (negative x, y). */
export interface CropBox { x: number; y: number; width: number; height: number }
/** A test-time crop: a box, mirrored or not. */
export interface TestTimeCrop extends CropBox { hflip: boolean }
/** RGBA pixels and their size. */
export interface RgbaImage { data: Uint8ClampedArray; width: number; height: number }

interface OpParamsBase {
  /** False if the op's coin said skip (then no drawn keys follow). */
  applied: boolean;
  inputWidth: number;
  inputHeight: number;
  outputWidth: number;
  outputHeight: number;
}
export interface FlipParams extends OpParamsBase { kind: "hflip" | "vflip"; flipped: boolean }
/** Ops that report nothing drawn. */
export interface PlainParams extends OpParamsBase { kind: "grayscale" | "noise" }
export interface CropParams extends OpParamsBase { kind: "random_crop"; box?: CropBox }
export interface ResizedCropParams extends OpParamsBase {
  kind: "random_resized_crop";
  box?: CropBox;
  /** True if ten draws failed and a centre crop was used. */
  fallback?: boolean;
}
export type JitterKind = "brightness" | "contrast" | "saturation" | "hue";
export interface JitterParams extends OpParamsBase {
  kind: "color_jitter";
  brightness?: number;
  contrast?: number;
  saturation?: number;
  hue?: number;
  order?: [JitterKind, JitterKind, JitterKind, JitterKind];
}
export interface LightingParams extends OpParamsBase {
  kind: "lighting";
  alpha?: [number, number, number];
  /** The RGB shift the weights give, in 0–255 units. */
  rgbShift?: [number, number, number];
}
export interface RotateParams extends OpParamsBase { kind: "rotate"; degrees?: number }
export interface TranslateParams extends OpParamsBase { kind: "translate"; dx?: number; dy?: number }
export interface CutoutParams extends OpParamsBase {
  kind: "cutout";
  /** null if no box fitted. */
  box?: CropBox | null;
}
/** What one op drew, by kind; drawn keys are present only when `applied`. */
export type AugmentOpParams =
  | FlipParams
  | PlainParams
  | CropParams
  | ResizedCropParams
  | JitterParams
  | LightingParams
  | RotateParams
  | TranslateParams
  | CutoutParams;
/** `augmenter.apply` / `sample` / `Augmenter.previewOp`. */
export interface AugmentResult extends RgbaImage { params: AugmentOpParams[] }
"##;
