// The zoo's vae-mnist preset (MLP VAE 784-512-20, Kingma & Welling 2014's shape) on binarized
// MNIST: the negative ELBO on the 10k test digits, and a PNG grid of digits decoded from z ~ N(0, 1).
// node packages/zoo/dist/examples/vae-mnist.js [--quick] [--engine wasm]
import { fileURLToPath } from 'node:url';
import { buildModel, evaluate, tf, writeImageGrid } from '@netspec/backend-tfjs';
import { vae } from '../vae.js';
import {
  type ExampleOptions,
  type ExampleResult,
  isMain,
  main,
  mnistSplit,
  trainExample,
} from './common.js';

const SEED = 2; // the preset's

export async function vaeMnist(options: ExampleOptions): Promise<ExampleResult> {
  const q = options.quick;
  // Full: all 60k training digits, the preset's 20 epochs of 100; quick: 256 digits, 2 epochs of 32.
  const trainSet = mnistSplit('train', q, { binarize: true });
  const testSet = mnistSplit('test', q, { binarize: true });
  const spec = vae({ kind: 'mlp' });
  const preset = spec.training as { epochs: number; batchSize: number };
  const epochs = q ? 2 : preset.epochs;
  const batchSize = q ? 32 : preset.batchSize;
  const model = buildModel({ ...spec, training: { ...spec.training, batchSize } }, { seed: SEED });
  const run = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: 30 * 60,
    every: 200,
  });
  const test = evaluate(model, testSet);
  if (!q) {
    const digits = tf.tidy(
      () =>
        model.forward(
          { z: tf.randomNormal([100, 20], 0, 1, 'float32', 7) },
          { outputs: ['reconstruction'] },
        ).outputs.reconstruction as tf.Tensor,
    );
    const png = fileURLToPath(new URL('../../results/vae-mnist-samples.png', import.meta.url));
    await writeImageGrid(png, digits.dataSync() as Float32Array, [100, 28, 28, 1], 10);
    digits.dispose();
  }
  model.dispose();
  return {
    example: 'vae-mnist (MLP VAE 784-512-20)',
    engine: 'tfjs',
    data: 'mnist binarized (pixel >= 0.5)',
    split: `mnist train: ${trainSet.size} samples; test: ${testSet.size} samples`,
    parameters: model.resolved.totalParams,
    batchSize,
    epochs,
    seed: SEED,
    testNegativeElbo: test.loss,
    testReconstruction: test.reconstruction,
    testKl: test.kl,
    lossMeaning:
      'negative ELBO in nats per image: reconstruction (binary crossentropy summed over pixels) + KL',
    samplesPng: 'vae-mnist-samples.png',
    ...run,
  };
}

if (isMain(import.meta.url)) await main('vae-mnist', vaeMnist);
