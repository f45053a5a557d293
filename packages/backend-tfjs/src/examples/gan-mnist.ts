// A GAN on MNIST (one spec holding generator and discriminator, the `gan` recipe), judged by a
// trained LeNet-5: mean top-1 confidence on 1,000 samples and which digits appear; a PNG grid.
// NETSPEC_JUDGE=runs/lenet-mnist node dist/examples/gan-mnist.js [--engine wasm] [--epochs 30]
import { join } from 'node:path';
import { loadMnist } from '../data/mnist.js';
import { writeImageGrid } from '../io/png.js';
import { buildModel } from '../model/build.js';
import { GanStep } from '../recipes/gan.js';
import { tf } from '../tf.js';
import { train } from '../train/fit.js';
import { progress, setUp, writeResult } from './common.js';
import { judgeWithRun } from './judge.js';

export const gan = (epochs: number) => ({
  specVersion: 1,
  name: 'gan_mnist',
  description: 'An MLP GAN for 28x28 digits: generator z -> image, discriminator image -> logit.',
  inputs: [
    { id: 'z', shape: [64] },
    { id: 'image', shape: [28, 28, 1] },
  ],
  layers: [
    {
      id: 'g1',
      type: 'dense',
      units: 256,
      inputs: ['z'],
      activation: { type: 'leakyRelu', alpha: 0.2 },
    },
    { id: 'g2', type: 'dense', units: 512, activation: { type: 'leakyRelu', alpha: 0.2 } },
    { id: 'g3', type: 'dense', units: 1024, activation: { type: 'leakyRelu', alpha: 0.2 } },
    { id: 'gOut', type: 'dense', units: 784, activation: 'sigmoid' },
    { id: 'fake', type: 'reshape', targetShape: [28, 28, 1] },
    { id: 'dFlat', type: 'flatten', inputs: ['image'] },
    { id: 'd1', type: 'dense', units: 512, activation: { type: 'leakyRelu', alpha: 0.2 } },
    { id: 'dDrop1', type: 'dropout', rate: 0.3 },
    { id: 'd2', type: 'dense', units: 256, activation: { type: 'leakyRelu', alpha: 0.2 } },
    { id: 'dDrop2', type: 'dropout', rate: 0.3 },
    { id: 'logit', type: 'dense', units: 1 },
  ],
  outputs: ['fake', 'logit'],
  training: {
    loss: { type: 'binaryCrossentropy', fromLogits: true },
    optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5 },
    batchSize: 64,
    epochs,
    seed: 3,
    recipe: {
      type: 'gan',
      generator: { input: 'z', output: 'fake' },
      discriminator: { input: 'image', output: 'logit' },
      labelSmoothing: 0.1,
    },
  },
});

const args = await setUp('gan-mnist');
const judgeDir = process.env.NETSPEC_JUDGE ?? 'runs/lenet-mnist';
const epochs = args.epochs ?? 30;
const model = buildModel(gan(epochs), { seed: 3 });
const trainSet = loadMnist({ split: 'train', ...(args.limit ? { limit: args.limit } : {}) });
const started = performance.now();
await train(
  model,
  { x: trainSet.x, y: {}, size: trainSet.size },
  { runDir: args.out, ...progress(300) },
);
const seconds = (performance.now() - started) / 1000;

const step = new GanStep(
  model,
  gan(epochs).training as never,
  gan(epochs).training.recipe as never,
);
const samples = step.generate(tf.randomNormal([1000, 64], 0, 1, 'float32', 11));
const verdict = await judgeWithRun(judgeDir, samples);
await writeImageGrid(
  join(args.out, 'samples.png'),
  samples.dataSync() as Float32Array,
  [100, 28, 28, 1],
  10,
);
await writeResult(args.out, {
  example: 'MLP GAN on MNIST, judged by LeNet-5',
  engine: args.engine,
  epochs,
  trainingSeconds: Math.round(seconds),
  judge: judgeDir,
  ...verdict,
  samples: 'samples.png',
});
