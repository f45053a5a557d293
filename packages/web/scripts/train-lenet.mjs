// Trains the zoo's LeNet-5 briefly on real MNIST (tfjs, wasm) and exports it to ONNX for the
// demo page: node scripts/train-lenet.mjs [--train 20000] [--epochs 2] [--out demo/public/lenet5.onnx]
// The .onnx is committed, so the demo builds without training; rerun this to refresh it.
import { parseArgs } from 'node:util';
import { exportOnnx } from '@netspec/backend-onnx';
import {
  buildModel,
  evaluate,
  loadMnist,
  saveWeights,
  train,
  useEngine,
  writeFileAtomic,
} from '@netspec/backend-tfjs';
import { lenet5 } from '@netspec/zoo';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '20000' },
    epochs: { type: 'string', default: '2' },
    out: { type: 'string', default: 'demo/public/lenet5.onnx' },
  },
});
await useEngine('wasm');
const spec = lenet5();
// No validation split: every one of the few training samples counts; the 10k test set judges.
spec.training = { ...spec.training, epochs: Number(values.epochs), validationSplit: undefined };
const trainSet = loadMnist({ split: 'train', limit: Number(values.train) });
const testSet = loadMnist({ split: 'test' });
const model = buildModel(spec, { seed: 1 });
const started = performance.now();
await train(model, trainSet, {
  onEpoch: (e) => console.log(`epoch ${e.epoch + 1}: loss ${e.logs.loss?.toFixed(4)}`),
});
const seconds = (performance.now() - started) / 1000;
const accuracy = evaluate(model, testSet).accuracy ?? Number.NaN;
const bytes = exportOnnx(model.resolved, saveWeights(model));
await writeFileAtomic(values.out, bytes);
console.log(
  `lenet5: ${trainSet.size} MNIST training samples, ${values.epochs} epochs in ${seconds.toFixed(0)} s; ` +
    `test accuracy ${(accuracy * 100).toFixed(2)}% on ${testSet.size}; wrote ${values.out} (${bytes.length} bytes)`,
);
