// A course page scripting trainlab's engine: every constructor and result
// of the JS API, written as a course author would. `tests/types/types.test.mjs`
// checks that it type-checks with `tsc --strict` against the generated
// www/pkg/trainlab.d.ts; it is never run.
import init, {
  Augmenter,
  DotLayer,
  Ensemble,
  Heatmap,
  Optimizer,
  Race,
  Schedule,
  Surface,
  Trainer,
  centerDigit,
  readWeightsFile,
  drawLossChart,
  drawScheduleChart,
  version,
  type AugmentConfig,
  type AugmentOp,
  type AugmentOpParams,
  type AugmentResult,
  type Bounds,
  type DotStyle,
  type ConfidentMistakes,
  type EnsembleReport,
  type Evaluation,
  type EvaluationProgress,
  type EvaluationResult,
  type LayerInfo,
  type LayerSpec,
  type OptimizerConfig,
  type QuadraticModel,
  type RacerStatus,
  type StepReport,
  type TileMosaic,
  type TrainReport,
  type TrainerConfig,
  type WeightShape,
  type WeightsFile,
  type DigitStyle,
} from "../../www/pkg/trainlab.js";

/** True when A and B are the same type (an `any` matches nothing but `any`). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function sameType<A, B>(check: Equals<A, B>): void {
  void check;
}

await init();
console.log(`trainlab ${version()}`);

// Optimizers on your own arrays, and on a surface.
const adam = new Optimizer({ kind: "adam", lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrection: false });
const params = new Float64Array([1, -2]);
adam.step(params, new Float64Array([0.5, 0.25]));
adam.step(params, [0.5, 0.25]);
const scheduled = new Optimizer({
  kind: "momentum",
  momentum: 0.9,
  schedule: { kind: "cosine", lr: 0.1, total: 500, min: 0.001, warmup: 10 },
});
const rosenbrock = new Surface("rosenbrock");
const lbfgs = new Optimizer({ kind: "lbfgs", history: 5, lineSearch: "strong_wolfe" });
const newton = new Optimizer({ kind: "newton", damping: 0.5 });
const report: StepReport = lbfgs.stepOn(rosenbrock, params);
sameType<ReturnType<Optimizer["stepOn"]>, StepReport>(true);
if (report.status === "line_search_failed") console.log(report.evaluations, report.gradients, report.hessians);
console.log(adam.kind, adam.steps, adam.lr, adam.velocity().length, scheduled.lr, newton.kind);
adam.reset();

// Surfaces: built-ins, the ill-conditioned bowl, typed expressions.
const bowl = new Surface({ name: "quadratic", condition: 100, rotation: 30 });
const saddle = new Surface({ name: "saddle" });
const typed = new Surface({ expr: "x^2 + 10*y^2", range: 3 });
const framed = new Surface({ expr: "sin(x) * cos(y)", view: [-3, 3, -2, 2] });
const check = Surface.checkExpression("x^2 +");
if (!check.ok) console.log(check.position ?? 0, check.message, check.hint);
const bounds: Bounds = bowl.bounds();
sameType<ReturnType<Surface["bounds"]>, Bounds>(true);
const [dx, dy] = typed.grad(0.5, 0.5);
const [fxx, , , fyy] = saddle.hessian(0, 0);
console.log(bounds.xMin, bounds.yMax, dx, dy, fxx, fyy, framed.expression, typed.name, typed.noiseScale);
console.log(Surface.names().includes("beale"), bowl.minima(), bowl.defaultStart(), bowl.value(1, 1));

// Schedules.
const step = new Schedule({ kind: "step", lr: 0.1, gamma: 0.5, every: 100 });
const restarts = new Schedule({ kind: "warm_restarts", lr: 0.1, period: 50, mult: 2, min: 0 });
console.log(step.at(250), step.values(300).length, restarts.restartsBefore(400), step.kind);
new Schedule({ kind: "constant", lr: 0.01 });
new Schedule({ kind: "exponential", k: 0.01 });
new Schedule({ kind: "inverse_time", k: 0.01 });

// A race of six optimizers with minibatch noise; its status, model and charts.
const racers: OptimizerConfig[] = [
  { kind: "sgd", lr: 0.01 },
  { kind: "nesterov", lr: 0.01, momentum: 0.9 },
  { kind: "adagrad", lr: 0.5, eps: 1e-10 },
  { kind: "rmsprop", lr: 0.01, decay: 0.99 },
  { kind: "bfgs", lineSearch: "backtracking" },
  { kind: "newton", damping: "line_search" },
];
const race = new Race(bowl, { start: [-2, 1.5], racers, noise: { batchSize: 4, scale: 1 }, seed: 7 });
new Race(rosenbrock, { racers: [{ kind: "adam", lr: 0.03 }], noise: null });
race.step(10);
for (let i = 0; i < race.count; i++) {
  const status: RacerStatus = race.status(i);
  if (status.state === "stuck") console.log(status.reason, status.atStep);
  const model: QuadraticModel = race.model(i);
  const [targetX, targetY] = model.newtonTarget ?? [Number.NaN, Number.NaN];
  console.log(status.loss, status.lr ?? "n/a", model.curvature, model.eigenvalues[0], targetX, targetY);
  console.log(race.path(i).length, race.losses(i).at(-1), race.arrows(i), race.modelOverlay(i, 64, 64).length);
}
sameType<ReturnType<Race["model"]>, QuadraticModel>(true);
console.log(race.anyRunning);
race.restart(1, 1);
race.reset();
const lossCanvas = document.createElement("canvas");
drawLossChart(lossCanvas, race, { colors: ["#1f77b4", null, "#2ca02c"], logY: true, focus: 0, minSteps: 100 });
drawScheduleChart(lossCanvas, race, { colors: ["#1f77b4"], marker: 50, yLabel: "learning rate" });

// A heatmap of a surface, drawn with one putImageData.
const heatmap = new Heatmap(128, 128);
const stats = heatmap.render(bowl);
heatmap.render(typed, -1, 1, -1, 1);
const image = new ImageData(new Uint8ClampedArray(heatmap.pixels()), heatmap.width, heatmap.height);
lossCanvas.getContext("2d")?.putImageData(image, 0, 0);
console.log(stats.min, stats.max, stats.nonFinite);

// Scatter points over it: filled dots, then hollow ones, in pixel coordinates.
const dots = new DotLayer(heatmap.width, heatmap.height);
const filled: DotStyle = { radius: 4, lineWidth: 1, colors: ["#1f77b4", "#ff7f0e"] };
dots.draw(new Float32Array([10, 20, 30, 40]), new Uint8Array([0, 1]), filled);
dots.draw(new Float32Array([64, 64]), new Uint8Array([1]), { ...filled, lineWidth: 2, hollow: true });
const dotImage = new ImageData(new Uint8ClampedArray(dots.pixels()), dots.width, dots.height);
lossCanvas.getContext("2d")?.putImageData(dotImage, 0, 0);
dots.clear();
dots.free();

// The network lab: the lecture's spiral, then your own points.
const spiral: TrainerConfig = {
  dataset: { kind: "spiral", classes: 3, pointsPerClass: 100, noise: 0.2, seed: 1 },
  validationSplit: 0.2,
  hidden: [100],
  activation: "relu",
  dropout: null,
  dropoutMode: "inverted",
  batchNorm: false,
  init: "auto",
  optimizer: { kind: "sgd", lr: 1.0, schedule: { kind: "step", every: 500 } },
  l2: 1e-3,
  batchSize: 300,
  seed: 1,
};
const trainer = new Trainer(spiral);
const trained: TrainReport = trainer.train(100);
sameType<ReturnType<Trainer["train"]>, TrainReport>(true);
const accuracy: number | null = trained.valAccuracy;
const evaluation: Evaluation = trainer.evaluate();
console.log(trained.loss, accuracy, evaluation.valLoss ?? "no validation", trainer.run(10), trainer.lr);
const weights = trainer.getWeights();
trainer.setWeights(weights);
for (const { name, rows, cols } of trainer.weightShapes()) console.log(name, rows * cols);
const custom = new Trainer({
  dataset: { kind: "custom", x: new Float64Array([0, 0, 1, 1, 0, 1]), y: [0, 1, 1], classes: 2 },
  validationSplit: 0,
  hidden: [8, 8],
  batchNorm: true,
  optimizer: { kind: "adam", lr: 0.01 },
});
custom.addPoint(0.5, 0.5, 1);
console.log(custom.removePoint(0, 0, 0.1), custom.batchNormStats(0)?.runningMean.length, custom.hiddenWidths);
const grid = trainer.predictGrid(-1, 1, -1, 1, 64, 64);
console.log(grid.length, trainer.gridProbabilities().length, trainer.lossHistory().length);
console.log(trainer.evalSteps().length, trainer.evalHistory("valAccuracy"), trainer.trainPoints(), trainer.trainLabels());
console.log(trainer.valPoints(), trainer.valLabels(), trainer.preActivations(0), trainer.denseOutputs(0), trainer.dropoutMask(0));
console.log(trainer.forwardTrain([0.1, 0.2]), trainer.forwardEval(new Float32Array([0.1, 0.2]), "keep"));
console.log(trainer.ensembleGap([0.1, 0.2, 0.3, 0.4], 16, "auto"), trainer.parameterCount, trainer.classes, trainer.batchSize, trainer.steps);
trainer.drawChart(lossCanvas, { metric: "accuracy", trainColor: "#1f77b4", valColor: "#ff7f0e" });
const averaged = new Trainer({ ...spiral, polyak: 0.99 }).evaluate();
console.log(averaged.current?.valAccuracy ?? "no average", averaged.valLoss);

// The image lab: a small CNN on the shipped digits, with augmentation and Polyak averaging.
const gzipped = await fetch("../www/assets/digits.bin.gz");
const digits = await new Response(gzipped.body!.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
const layers: LayerSpec[] = [
  { kind: "conv", filters: 8, size: 5, stride: 1, pad: 2 },
  { kind: "batchnorm" },
  { kind: "relu" },
  { kind: "maxpool", size: 2, stride: 2 },
  { kind: "conv", filters: 16, size: 3 },
  { kind: "tanh" },
  { kind: "maxpool", size: 2 },
  { kind: "dropout", p: 0.25 },
  { kind: "dense", units: 32 },
  { kind: "sigmoid" },
  { kind: "dense", units: 10 },
];
const augment: AugmentConfig = {
  ops: [
    { kind: "random_crop", size: [28, 28], padding: 2, paddingMode: "constant", fill: [0, 0, 0] },
    { kind: "rotate", degrees: 12 },
    { kind: "noise", p: 0.5, std: 0.05 },
  ],
};
const cnn = new Trainer({
  dataset: { kind: "digits", data: digits, perClass: 50, validationPerClass: 50, seed: 3 },
  layers,
  augment,
  dropoutMode: "inverted",
  init: "auto",
  optimizer: { kind: "momentum", lr: 0.01, momentum: 0.9 },
  l2: 1e-4,
  batchSize: 32,
  seed: 1,
  polyak: 0.999,
});
const [channels, height, width] = cnn.inputShape;
const info: LayerInfo[] = cnn.layerInfo();
sameType<ReturnType<Trainer["layerInfo"]>, LayerInfo[]>(true);
for (const { index, kind, outputShape, parameters } of info) {
  if (kind === "conv" || kind === "dense") console.log(index, outputShape.join("×"), parameters);
}
const blocks: WeightShape[] = cnn.weightShapes();
for (const { name, layer, dims } of blocks) console.log(name, info[layer].kind, dims.join("×"));
cnn.run(100);
console.log(cnn.polyak ?? "no average", channels * height * width);

// Evaluation in pieces, one chunk per animation frame.
let progress: EvaluationProgress = cnn.startEvaluation({ trainLimit: 500 });
sameType<ReturnType<Trainer["continueEvaluation"]>, EvaluationProgress>(true);
while (!progress.done) progress = cnn.continueEvaluation(20);
cnn.startEvaluation({ trainLimit: 500, spread: true });
progress = cnn.continueEvaluation(1000);
cnn.startEvaluation();
progress = cnn.continueEvaluation(1000);
const result: EvaluationResult | null = cnn.evaluationResult();
sameType<ReturnType<Trainer["evaluationResult"]>, EvaluationResult | null>(true);
if (result) console.log(result.step, `${result.evaluated}/${result.total}`, result.valAccuracy ?? "nothing scored", result.trainLoss);
const confusion: Uint32Array = cnn.confusionMatrix();
const probabilities: Float32Array = cnn.validationProbabilities();
const wrong: ConfidentMistakes = cnn.mostConfidentlyWrong(8);
sameType<ReturnType<Trainer["mostConfidentlyWrong"]>, ConfidentMistakes>(true);
wrong.indices.forEach((index, i) => console.log(index, wrong.labels[i], wrong.predicted[i], wrong.confidence[i]));
console.log(confusion.length, probabilities.length, wrong.probabilities.length / cnn.classes);

// Kernels and feature maps as RGBA mosaics; a drawn digit, centred as MNIST's were.
const drawTiles = (mosaic: TileMosaic): void => {
  const canvas = document.createElement("canvas");
  canvas.width = mosaic.width;
  canvas.height = mosaic.height;
  const tiles = new ImageData(new Uint8ClampedArray(mosaic.pixels), mosaic.width, mosaic.height);
  canvas.getContext("2d")?.putImageData(tiles, 0, 0);
  console.log(`${mosaic.columns}×${mosaic.rows} tiles of ${mosaic.tileWidth}×${mosaic.tileHeight} at ${mosaic.scale}×`);
};
sameType<ReturnType<Trainer["filterTiles"]>, TileMosaic>(true);
drawTiles(cnn.filterTiles());
drawTiles(cnn.filterTiles(4, { scale: 6 }));
const drawing = new Float32Array(200 * 200);
const digit = centerDigit(drawing, 200, 200);
drawTiles(cnn.featureMaps(digit, 0));
drawTiles(cnn.featureMaps(Array.from(digit), 2, { scale: 3 }));
const scores: Float32Array = cnn.forward(digit);
const [p0 = 0] = cnn.predict([...digit, ...digit]);
console.log(scores.length, p0);

// Your own images (1×4×4, two classes) under a small stack ending in a conv layer.
const pixels = new Float32Array(6 * 16).map((_, i) => (i % 5) / 4);
const features = new Trainer({
  dataset: { kind: "images", width: 4, height: 4, channels: 1, x: pixels, y: new Uint8Array([0, 1, 0, 1, 0, 1]), classes: 2 },
  validationSplit: 1 / 3,
  layers: [{ kind: "conv", filters: 2, size: 3 }],
});
console.log(features.forward(pixels.subarray(0, 16)).length, features.hiddenWidths);

// Transfer learning: a pretrained body under a new head, frozen, then fine-tuned at lr/10.
const shipped: WeightsFile = readWeightsFile(new Uint8Array(await (await fetch("assets/pretrained-digits04.bin")).arrayBuffer()));
sameType<ReturnType<typeof readWeightsFile>, WeightsFile>(true);
console.log(JSON.parse(shipped.meta), shipped.blocks.map((b) => `${b.name} ${b.dims.join("×")} ${b.values.length}`));
const style: DigitStyle = "thick";
const target = new Trainer({
  dataset: { kind: "digits", data: digits, digits: [5, 6, 7, 8, 9], style, perClass: 5, validationPerClass: 50 },
  layers: [...layers.slice(0, -1), { kind: "dense", units: 5 }],
  optimizer: { kind: "momentum", lr: 0.01, momentum: 0.9 },
  frozen: 0,
  lrMultipliers: null,
});
target.setWeights(shipped.blocks.map((b) => b.values), { layers: 2 });
target.setFrozen(2);
target.run(100);
target.setFrozen(0);
target.setOptimizer({ kind: "momentum", lr: 0.001, momentum: 0.9 });
target.setLrMultipliers([0.1, 1]);
target.setLrMultipliers(null);
const rates: Float64Array = target.layerRates();
const bodyLayers: Uint32Array = target.paramLayers();
console.log(target.frozen, target.lrMultipliers?.length ?? "none", rates, bodyLayers);
const head = new Trainer({ dataset: { kind: "digits", data: digits, digits: [5, 6, 7, 8, 9] }, layers: [...layers.slice(0, -1), { kind: "dense", units: 5 }], frozen: 2 });
head.copyLayersFrom(target, 2);

// Ensembles: independent members, and snapshots of one run.
const independent = new Ensemble({ trainer: spiral, kind: "independent", members: 5 });
const snapshots = new Ensemble({ trainer: { hidden: [50] }, kind: "snapshot", members: 4, cycle: 100 });
const ensembleReport: EnsembleReport = independent.train(50);
sameType<ReturnType<Ensemble["train"]>, EnsembleReport>(true);
console.log(ensembleReport.ensemble?.voteAccuracy, ensembleReport.members.map((m) => m.valAccuracy), ensembleReport.run?.steps);
console.log(independent.accuracyByCount(), independent.lossByCount(), independent.voteAccuracyByCount(), independent.trainAccuracyByCount());
snapshots.run(300);
console.log(snapshots.evaluate().count, snapshots.kind, snapshots.cycle, snapshots.capacity, snapshots.runs, snapshots.steps, snapshots.computeSteps);
console.log(snapshots.snapshotSteps(), snapshots.lrHistory(), snapshots.lossHistory(0), independent.predict([0, 0]), independent.classes);
const maps = independent.predictGrids(-1, 1, -1, 1, 32, 32);
console.log(maps.length, independent.predictGrid(-1, 1, -1, 1, 32, 32), independent.memberGrid(0, -1, 1, -1, 1, 32, 32));
console.log(snapshots.runGrid(0, -1, 1, -1, 1, 32, 32), independent.gridProbabilities(), independent.trainPoints(), independent.trainLabels());
console.log(independent.valPoints(), independent.valLabels());

// Augmentation: the camelCase keys, a photo from a canvas, the drawn parameters.
const ops: AugmentOp[] = [
  { kind: "hflip", p: 0.5 },
  { kind: "random_resized_crop", scale: [0.3, 1.0], ratio: [0.75, 1.333], size: [224, 224] },
  { kind: "color_jitter", brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  { kind: "random_crop", size: 200, padding: 8, paddingMode: "reflect" },
  { kind: "translate", maxShift: [0.1, 0.2], paddingMode: "constant", fill: [255, 255, 255] },
  { kind: "rotate", degrees: 15, fill: [0, 0, 0, 0] },
  { kind: "lighting", std: 0.1 },
  { kind: "cutout", scale: [0.02, 0.2], fill: "noise" },
  { kind: "grayscale", p: 0.1 },
  { kind: "noise", std: 0.1 },
];
const augmenter = new Augmenter({ ops });
const photo = lossCanvas.getContext("2d")!.getImageData(0, 0, 256, 256);
const out: AugmentResult = augmenter.apply(photo.data, photo.width, photo.height, 42);
sameType<ReturnType<Augmenter["apply"]>, AugmentResult>(true);
for (const drawn of out.params) describe(drawn);
augmenter.setImage(photo.data, photo.width, photo.height);
const sample = augmenter.sample(7);
const preview = Augmenter.previewOp({ kind: "rotate", degrees: [-30, 30] }, photo.data, 256, 256, 1);
const small = Augmenter.downscaleToFit(photo.data, 256, 256, 64);
const boxes = Augmenter.fiveCropBoxes(256, 256, 224, 224);
const crops = Augmenter.tenCrop(256, 256, 224, 224);
console.log(sample.width, preview.data.length, small.height, boxes[4].x, crops[9].hflip, augmenter.length, Augmenter.opKinds());

function describe(drawn: AugmentOpParams): string {
  if (!drawn.applied) return `${drawn.kind}: skipped`;
  switch (drawn.kind) {
    case "hflip":
    case "vflip":
      return `flipped ${drawn.flipped}`;
    case "random_crop":
    case "random_resized_crop":
      return `box ${drawn.box?.x}, ${drawn.box?.y}`;
    case "color_jitter":
      return `${drawn.order?.join(" → ")}: ${drawn.brightness}`;
    case "lighting":
      return `shift ${drawn.rgbShift?.join(", ")}`;
    case "rotate":
      return `${drawn.degrees}°`;
    case "translate":
      return `${drawn.dx}, ${drawn.dy}`;
    case "cutout":
      return drawn.box ? `erased ${drawn.box.width}×${drawn.box.height}` : "no box fitted";
    case "grayscale":
      return "grey";
    case "noise":
      return "noisy";
  }
}
