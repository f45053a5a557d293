// The image-classification examples' shared run: a zoo spec, MNIST or Fashion-MNIST, Adam,
// test accuracy on the held-out test split.
import {
  buildModel,
  type Dataset,
  evaluate,
  loadFashionMnist,
  loadMnist,
  type NetspecModel,
} from '@netspec/backend-tfjs';
import type { SpecInput } from '../types.js';
import { predictClasses, scores } from './classify.js';
import { type ExampleOptions, type ExampleResult, QUICK_SAMPLES, trainExample } from './common.js';

export interface ImageRun {
  example: string;
  spec: SpecInput;
  data: 'mnist' | 'fashion-mnist';
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Training samples of the full run (default all 60,000). */
  trainSize?: number;
  /** Test samples of the full run (default all 10,000). */
  testSize?: number;
  /** Stops the full run after this many seconds. */
  budgetSeconds: number;
}

const SEED = 1;
const QUICK = { train: QUICK_SAMPLES, test: QUICK_SAMPLES, epochs: 2, batchSize: 32 };

/** The first `size` samples of a split (both loaders interleave or shuffle classes). */
function load(data: ImageRun['data'], split: 'train' | 'test', size?: number): Dataset {
  const options = { split, ...(size ? { limit: size } : {}) };
  return data === 'mnist' ? loadMnist(options) : loadFashionMnist(options);
}

/** Trains and scores the classifier; the caller owns (and disposes) the trained model. */
export async function trainImageClassifier(
  run: ImageRun,
  options: ExampleOptions,
): Promise<{ model: NetspecModel; result: ExampleResult }> {
  const q = options.quick;
  const trainSet = load(run.data, 'train', q ? QUICK.train : run.trainSize);
  const testSet = load(run.data, 'test', q ? QUICK.test : run.testSize);
  const epochs = q ? QUICK.epochs : run.epochs;
  const batchSize = q ? QUICK.batchSize : run.batchSize;
  const steps = epochs * Math.ceil(trainSet.size / batchSize);
  const spec: SpecInput = {
    ...run.spec,
    training: {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: {
        type: 'adam',
        learningRate: {
          type: 'cosineDecay',
          initialLearningRate: run.learningRate,
          decaySteps: steps,
          alpha: 0.02,
        },
      },
      metrics: ['accuracy'],
      batchSize,
      seed: SEED,
    },
  };
  const model = buildModel(spec, { seed: SEED });
  const trained = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: run.budgetSeconds,
    every: 100,
  });
  const test = evaluate(model, testSet);
  const predicted = predictClasses(model, testSet);
  const labels = testSet.y.label?.data as Int32Array;
  const result = {
    example: run.example,
    engine: 'tfjs',
    data: run.data,
    split: `${run.data} train: first ${trainSet.size} samples; test: first ${testSet.size} of the test split`,
    parameters: model.resolved.totalParams,
    batchSize,
    epochs,
    seed: SEED,
    testLoss: test.loss,
    testAccuracy: scores(predicted, labels).accuracy,
    ...trained,
  };
  return { model, result };
}

export async function runImageClassifier(
  run: ImageRun,
  options: ExampleOptions,
): Promise<ExampleResult> {
  const { model, result } = await trainImageClassifier(run, options);
  model.dispose();
  return result;
}
