// The zoo's autoencoder-mnist preset (dense 784-128-32-128-784) on MNIST.
// node packages/zoo/dist/examples/autoencoder-mnist.js [--quick] [--engine wasm]
import { buildModel, evaluate } from '@netspec/backend-tfjs';
import { autoencoder } from '../autoencoder.js';
import {
  type ExampleOptions,
  type ExampleResult,
  isMain,
  main,
  mnistSplit,
  trainExample,
} from './common.js';

const SEED = 4; // the preset's

export async function autoencoderMnist(options: ExampleOptions): Promise<ExampleResult> {
  const q = options.quick;
  // Full: all 60k training digits; quick: 256 digits; 3 epochs.
  const trainSet = mnistSplit('train', q);
  const testSet = mnistSplit('test', q);
  const epochs = 3;
  const batchSize = q ? 32 : 128;
  const spec = autoencoder({ kind: 'dense' });
  const model = buildModel({ ...spec, training: { ...spec.training, batchSize } }, { seed: SEED });
  const run = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: 4 * 60,
    every: 100,
  });
  const test = evaluate(model, testSet);
  return {
    example: 'autoencoder-mnist (dense 784-128-32-128-784)',
    engine: 'tfjs',
    data: 'mnist (pixels in [0, 1])',
    split: `mnist train: ${trainSet.size} samples; test: ${testSet.size} samples`,
    parameters: model.resolved.totalParams,
    batchSize,
    epochs,
    seed: SEED,
    testLoss: test.loss,
    testLossMeaning: 'binary crossentropy per pixel, mean over the test images',
    ...run,
  };
}

if (isMain(import.meta.url)) await main('autoencoder-mnist', autoencoderMnist);
