// The zoo's dcgan preset trained on MNIST with the `gan` recipe, judged by the zoo's lenet5
// trained here on the same digits: mean top-1 confidence on 1,000 generated samples and which
// digits appear, plus a PNG grid of 100 of them.
// node packages/zoo/dist/examples/dcgan-mnist.js [--quick] [--engine wasm]
import { fileURLToPath } from 'node:url';
import { buildModel, GanStep, judgeSamples, tf, writeImageGrid } from '@netspec/backend-tfjs';
import type { Training } from '@netspec/spec';
import { dcgan } from '../gan.js';
import { lenet5 } from '../lenet.js';
import {
  type ExampleOptions,
  type ExampleResult,
  isMain,
  main,
  mnistSplit,
  trainExample,
} from './common.js';
import { trainImageClassifier } from './image-classifier.js';

const SEED = 3; // the preset's
const SAMPLES = 1000;
const SAMPLE_SEED = 11;

type GanRecipe = Extract<NonNullable<Training['recipe']>, { type: 'gan' }>;

export async function dcganMnist(options: ExampleOptions): Promise<ExampleResult> {
  const q = options.quick;
  // Full: all 60k training digits, two epochs (1,876 steps of 64); quick: 256 digits, batch 32.
  const trainSet = mnistSplit('train', q);
  const epochs = 2;
  const spec = dcgan();
  const training = { ...(spec.training as Training), epochs, batchSize: q ? 32 : 64 };
  const model = buildModel({ ...spec, training }, { seed: SEED });
  // The GAN's "loss" log is the generator's, which rises as D improves; the discriminator's is
  // the one that falls while the pair learns, so it is what this example reports.
  const seen = { first: Number.NaN, last: Number.NaN };
  const run = await trainExample(model, { x: trainSet.x, y: {}, size: trainSet.size }, options, {
    epochs,
    budgetSeconds: 85 * 60,
    every: 100,
    onBatch: (e) => {
      if (e.epoch === 0 && e.batch === 0) seen.first = e.logs.discriminatorLoss as number;
      seen.last = e.logs.discriminatorLoss as number;
    },
  });

  // The judge: lenet5 trained for one epoch on the real training digits.
  const { model: judge, result: judged } = await trainImageClassifier(
    {
      example: 'lenet5 judge',
      spec: lenet5(),
      data: 'mnist',
      epochs: 1,
      batchSize: 64,
      learningRate: 0.002,
      budgetSeconds: 10 * 60,
    },
    { ...options, verbose: false },
  );
  const generator = new GanStep(model, training, training.recipe as GanRecipe);
  const z = tf.randomNormal([SAMPLES, 100], 0, 1, 'float32', SAMPLE_SEED);
  const samples = generator.generate(z);
  const verdict = judgeSamples(judge, samples);
  if (!q) {
    const png = fileURLToPath(new URL('../../results/dcgan-mnist-samples.png', import.meta.url));
    await writeImageGrid(png, samples.dataSync() as Float32Array, [100, 28, 28, 1], 10);
  }
  tf.dispose([z, samples]);
  judge.dispose();
  model.dispose();
  return {
    example: 'dcgan on MNIST, judged by lenet5',
    engine: 'tfjs',
    data: 'mnist (pixels in [0, 1])',
    split: `mnist train: ${trainSet.size} samples`,
    parameters: model.resolved.totalParams,
    batchSize: training.batchSize,
    epochs,
    seed: SEED,
    ...run,
    initialLoss: seen.first,
    finalLoss: seen.last,
    lossMeaning:
      'discriminator binary crossentropy on real and generated digits: first batch, then the last epoch mean',
    judge: { split: judged.split, epochs: judged.epochs, testAccuracy: judged.testAccuracy },
    samples: `${SAMPLES} from z ~ N(0, 1), seed ${SAMPLE_SEED}`,
    ...verdict,
    samplesPng: 'dcgan-mnist-samples.png',
  };
}

if (isMain(import.meta.url)) await main('dcgan-mnist', dcganMnist);
