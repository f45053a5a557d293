// A VAE (latent size 20, Kingma & Welling 2014's MLP shape) on binarized MNIST: the negative ELBO
// on the 10k test set, and a PNG grid of samples decoded from z ~ N(0, 1).
// node dist/examples/vae-mnist.js [--engine wasm] [--epochs 20] [--out runs/vae-mnist]
import { join } from 'node:path';
import { loadMnist } from '../data/mnist.js';
import { writeImageGrid } from '../io/png.js';
import { buildModel } from '../model/build.js';
import { tf } from '../tf.js';
import { evaluate } from '../train/evaluate.js';
import { train } from '../train/fit.js';
import { progress, setUp, writeResult } from './common.js';

export const vae = (epochs: number) => ({
  specVersion: 1,
  name: 'vae_mnist',
  description: 'MLP VAE for 28x28 binarized digits, latent size 20.',
  inputs: [{ id: 'image', shape: [28, 28, 1] }],
  layers: [
    { id: 'flat', type: 'flatten' },
    { id: 'enc', type: 'dense', units: 512, activation: 'relu' },
    { id: 'zMean', type: 'dense', units: 20, inputs: ['enc'] },
    { id: 'zLogVar', type: 'dense', units: 20, inputs: ['enc'] },
    { id: 'z', type: 'sampling', inputs: ['zMean', 'zLogVar'] },
    { id: 'dec', type: 'dense', units: 512, activation: 'relu' },
    { id: 'pixels', type: 'dense', units: 784, activation: 'sigmoid' },
    { id: 'reconstruction', type: 'reshape', targetShape: [28, 28, 1] },
  ],
  outputs: ['reconstruction'],
  training: {
    loss: 'binaryCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.001 },
    batchSize: 100,
    epochs,
    seed: 2,
    recipe: { type: 'vae', mean: 'zMean', logVar: 'zLogVar', latent: 'z' },
  },
});

const args = await setUp('vae-mnist');
const epochs = args.epochs ?? 20;
const trainSet = loadMnist({
  split: 'train',
  binarize: true,
  ...(args.limit ? { limit: args.limit } : {}),
});
const testSet = loadMnist({ split: 'test', binarize: true });
const model = buildModel(vae(epochs), { seed: 2 });
const started = performance.now();
await train(model, trainSet, { runDir: args.out, ...progress(200) });
const seconds = (performance.now() - started) / 1000;
const test = evaluate(model, testSet);
const samples = tf.tidy(
  () =>
    model.forward(
      { z: tf.randomNormal([100, 20], 0, 1, 'float32', 7) },
      { outputs: ['reconstruction'] },
    ).outputs.reconstruction as tf.Tensor,
);
await writeImageGrid(
  join(args.out, 'samples.png'),
  samples.dataSync() as Float32Array,
  [100, 28, 28, 1],
  10,
);
await writeResult(args.out, {
  example: 'vae (latent 20) on binarized MNIST (pixel >= 0.5)',
  engine: args.engine,
  epochs,
  trainingSeconds: Math.round(seconds),
  testNegativeElbo: test.loss,
  testReconstruction: test.reconstruction,
  testKl: test.kl,
  samples: 'samples.png',
});
