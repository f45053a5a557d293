// The zoo's mnistConvnet (the Keras "Simple MNIST convnet") on MNIST.
// node packages/zoo/dist/examples/convnet-mnist.js [--quick] [--engine wasm]
import { mnistConvnet } from '../lenet.js';
import { type ExampleOptions, isMain, main } from './common.js';
import { runImageClassifier } from './image-classifier.js';

export const convnetMnist = (options: ExampleOptions) =>
  runImageClassifier(
    {
      example: 'mnistConvnet (Keras "Simple MNIST convnet") on MNIST',
      spec: mnistConvnet(),
      data: 'mnist',
      epochs: 1,
      trainSize: 20000,
      batchSize: 128,
      learningRate: 0.002,
      budgetSeconds: 4 * 60,
    },
    options,
  );

if (isMain(import.meta.url)) await main('convnet-mnist', convnetMnist);
