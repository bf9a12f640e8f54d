// Loads the digits the way the image lab will, trains the network a
// few steps on them and reports to the test through window.__digits.
import init, { Trainer, centerDigit } from '../../../www/pkg/trainlab.js';
import { loadDigits } from '../../../www/data/digits.js';

const report = (window.__digits = { progress: [] });
try {
  await init({ module_or_path: new URL('../../../www/pkg/trainlab_bg.wasm', import.meta.url) });
  const data = await loadDigits({ onProgress: (loaded, total) => report.progress.push([loaded, total]) });
  report.bytes = data.length;
  report.magic = String.fromCharCode(...data.slice(0, 4));
  const trainer = new Trainer({
    dataset: { kind: 'digits', data, perClass: 20 },
    layers: [
      { kind: 'conv', filters: 16, size: 5 }, { kind: 'relu' }, { kind: 'maxpool', size: 2 },
      { kind: 'conv', filters: 32, size: 5, stride: 1, pad: 0 }, { kind: 'relu' }, { kind: 'maxpool', size: 2 },
      { kind: 'dense', units: 10 },
    ],
    augment: { ops: [{ kind: 'rotate', degrees: 12 }, { kind: 'translate', max_shift: 0.08 }] },
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 }, l2: 1e-4, batchSize: 32, seed: 1,
  });
  report.train = trainer.trainLabels().length;
  report.validation = trainer.valLabels().length;
  report.loss = trainer.run(3);
  const first = trainer.valPoints().slice(0, 784);
  report.probabilities = Array.from(trainer.predict(first));
  report.centred = Array.from(centerDigit(first, 28, 28)).reduce((a, b) => a + b, 0);
  report.original = first.reduce((a, b) => a + b, 0);
  trainer.free();
  document.getElementById('status').textContent = 'done';
} catch (error) {
  report.error = String(error?.stack ?? error);
} finally {
  report.done = true;
}
