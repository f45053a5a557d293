// LeNet-5 on the full MNIST training set (60k), evaluated on the 10k test set.
// node dist/examples/lenet-mnist.js [--engine wasm] [--epochs 12] [--out runs/lenet-mnist]
import { loadMnist } from '../data/mnist.js';
import { buildModel } from '../model/build.js';
import { evaluate } from '../train/evaluate.js';
import { train } from '../train/fit.js';
import { progress, setUp, writeResult } from './common.js';
import { LENET5_LAYERS } from './specs.js';

export const lenet5 = (epochs: number) => ({
  specVersion: 1,
  name: 'lenet5',
  description: "LeNet-5 for 28x28 MNIST (LeCun et al. 1998), first convolution padded 'same'.",
  inputs: [{ id: 'image', shape: [28, 28, 1] }],
  layers: LENET5_LAYERS,
  training: {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: {
      type: 'adam',
      learningRate: {
        type: 'cosineDecay',
        initialLearningRate: 0.002,
        decaySteps: epochs * 938,
        alpha: 0.02,
      },
    },
    metrics: ['accuracy'],
    batchSize: 64,
    epochs,
    seed: 1,
  },
});

const args = await setUp('lenet-mnist');
const epochs = args.epochs ?? 12;
const trainSet = loadMnist({ split: 'train', ...(args.limit ? { limit: args.limit } : {}) });
const testSet = loadMnist({ split: 'test' });
const model = buildModel(lenet5(epochs), { seed: 1 });
const started = performance.now();
const { history } = await train(model, trainSet, { runDir: args.out, ...progress(200) });
const seconds = (performance.now() - started) / 1000;
const test = evaluate(model, testSet);
await writeResult(args.out, {
  example: 'lenet5 on MNIST',
  engine: args.engine,
  train: `mnist train, ${trainSet.size} samples`,
  test: `mnist test, ${testSet.size} samples`,
  epochs,
  trainingSeconds: Math.round(seconds),
  testAccuracy: test.accuracy,
  testLoss: test.loss,
  finalTrainLoss: history.at(-1)?.loss,
});
