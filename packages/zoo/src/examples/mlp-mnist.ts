// The zoo's mlp (784-256-128-10, dropout 0.2) on MNIST.
// node packages/zoo/dist/examples/mlp-mnist.js [--quick] [--engine wasm]
import { mlp } from '../mlp.js';
import { type ExampleOptions, isMain, main } from './common.js';
import { runImageClassifier } from './image-classifier.js';

export const mlpMnist = (options: ExampleOptions) =>
  runImageClassifier(
    {
      example: 'mlp 784-256-128-10 on MNIST',
      spec: mlp({ inputShape: [28, 28, 1], hidden: [256, 128], classes: 10, dropout: 0.2 }),
      data: 'mnist',
      epochs: 3,
      batchSize: 128,
      learningRate: 0.002,
      budgetSeconds: 4 * 60,
    },
    options,
  );

if (isMain(import.meta.url)) await main('mlp-mnist', mlpMnist);
