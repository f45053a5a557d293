// The zoo's denoising-autoencoder-mnist preset (the Keras convolutional denoising autoencoder) on
// MNIST: how far it brings noisy test digits back to the clean ones, and a PNG of
// clean / noisy / denoised rows.
// node packages/zoo/dist/examples/denoising-mnist.js [--quick] [--engine wasm]
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  type Dataset,
  type NetspecModel,
  tf,
  writeImageGrid,
} from '@netspec/backend-tfjs';
import { preset } from '../presets.js';
import { batchFeeds } from './classify.js';
import {
  type ExampleOptions,
  type ExampleResult,
  isMain,
  main,
  mnistSplit,
  trainExample,
} from './common.js';

const SEED = 4; // the preset's
const NOISE_STDDEV = 0.4; // the preset's, as in training
const NOISE_SEED = 11; // the test noise: fixed, and not one the training draws used
const SHOWN = 10; // digits in the PNG

/** Mean squared error per pixel against the clean images, of three ways to read a noisy digit. */
export interface DenoisingScores {
  /** The noisy input itself. */
  noisy: number;
  /** The noisy input clipped to [0, 1]: the free baseline any denoiser must beat. */
  clipped: number;
  /** The autoencoder's reconstruction. */
  denoised: number;
}

/**
 * Adds seeded Gaussian noise to every test image, denoises it in batches and scores the three
 * readings; also returns the first `SHOWN` clean, noisy and denoised images for the PNG.
 */
function scoreDenoising(model: NetspecModel, testSet: Dataset, batchSize = 500) {
  const input = model.inputNames[0] as string;
  const sums = { noisy: 0, clipped: 0, denoised: 0 };
  let shown: Float32Array | undefined;
  for (let start = 0; start < testSet.size; start += batchSize) {
    const end = Math.min(start + batchSize, testSet.size);
    const batch = tf.tidy(() => {
      const clean = batchFeeds(model, testSet, start, end)[input] as tf.Tensor;
      const noisy = tf.add(
        clean,
        tf.randomNormal(clean.shape, 0, NOISE_STDDEV, 'float32', NOISE_SEED + start),
      );
      const [denoised] = model.predict({ [input]: noisy });
      const sse = (t: tf.Tensor) => tf.sum(tf.squaredDifference(t, clean)).dataSync()[0] as number;
      const clipped = tf.clipByValue(noisy, 0, 1);
      const picture =
        start === 0
          ? (tf
              .concat([clean, clipped, denoised as tf.Tensor].map((t) => t.slice(0, SHOWN)))
              .dataSync() as Float32Array)
          : undefined;
      return {
        noisy: sse(noisy),
        clipped: sse(clipped),
        denoised: sse(denoised as tf.Tensor),
        picture,
      };
    });
    sums.noisy += batch.noisy;
    sums.clipped += batch.clipped;
    sums.denoised += batch.denoised;
    shown ??= batch.picture;
  }
  const count = testSet.size * 28 * 28;
  const scores: DenoisingScores = {
    noisy: sums.noisy / count,
    clipped: sums.clipped / count,
    denoised: sums.denoised / count,
  };
  return { scores, shown: shown as Float32Array };
}

export async function denoisingMnist(options: ExampleOptions): Promise<ExampleResult> {
  const q = options.quick;
  // Full: all 60k training digits, 2 epochs of the preset's 128; quick: 256 digits, 2 epochs of 32.
  const trainSet = mnistSplit('train', q);
  const testSet = mnistSplit('test', q);
  const spec = preset('denoising-autoencoder-mnist');
  const epochs = 2;
  const batchSize = q ? 32 : 128;
  const model = buildModel({ ...spec, training: { ...spec.training, batchSize } }, { seed: SEED });
  const run = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: 60 * 60,
    every: 50,
  });
  const { scores, shown } = scoreDenoising(model, testSet);
  if (!q) {
    const png = fileURLToPath(
      new URL('../../results/denoising-mnist-samples.png', import.meta.url),
    );
    await writeImageGrid(png, shown, [3 * SHOWN, 28, 28, 1], SHOWN);
  }
  const parameters = model.resolved.totalParams;
  model.dispose();
  return {
    example: 'denoising-autoencoder-mnist (Keras convolutional denoising autoencoder)',
    engine: 'tfjs',
    data: `mnist (pixels in [0, 1]); Gaussian noise of stddev ${NOISE_STDDEV} on the input, the clean image as target`,
    split: `mnist train: ${trainSet.size} samples; test: ${testSet.size} samples, each with seeded noise (seed ${NOISE_SEED})`,
    parameters,
    batchSize,
    epochs,
    seed: SEED,
    testMeanSquaredError: scores,
    scoresMeaning:
      'mean squared error per pixel against the clean test images: of the noisy input, of the noisy input clipped to [0, 1] (the free baseline), and of the denoised output',
    samplesPng: q
      ? undefined
      : 'denoising-mnist-samples.png (rows: clean, noisy clipped, denoised)',
    ...run,
  };
}

if (isMain(import.meta.url)) await main('denoising-mnist', denoisingMnist);
