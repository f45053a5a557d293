// The zoo's lenet5 on MNIST with backend-tfjs's lenet-mnist recipe, whose layers it shares
// (same-as-backend.test.ts checks it): 99.25% test accuracy here, 99.29% there.
// node packages/zoo/dist/examples/lenet5-mnist.js [--quick] [--engine wasm]
import { lenet5 } from '../lenet.js';
import { type ExampleOptions, isMain, main } from './common.js';
import { runImageClassifier } from './image-classifier.js';

export const lenet5Mnist = (options: ExampleOptions) =>
  runImageClassifier(
    {
      example: 'lenet5 on MNIST',
      spec: lenet5(),
      data: 'mnist',
      epochs: 12,
      batchSize: 64,
      learningRate: 0.002,
      budgetSeconds: 30 * 60,
    },
    options,
  );

if (isMain(import.meta.url)) await main('lenet5-mnist', lenet5Mnist);
