// The zoo's vit-tiny-mnist preset (16 patches of 7x7, width 64, 4 layers) on Fashion-MNIST.
// node packages/zoo/dist/examples/vit-fashion.js [--quick] [--engine wasm]
import { preset } from '../presets.js';
import { type ExampleOptions, isMain, main } from './common.js';
import { runImageClassifier } from './image-classifier.js';

export const vitFashion = (options: ExampleOptions) =>
  runImageClassifier(
    {
      example: 'vit-tiny-mnist on Fashion-MNIST',
      spec: preset('vit-tiny-mnist'),
      data: 'fashion-mnist',
      // The full split, four epochs, the cosine schedule decaying over all four.
      epochs: 4,
      batchSize: 64,
      learningRate: 0.002,
      budgetSeconds: 60 * 60,
    },
    options,
  );

if (isMain(import.meta.url)) await main('vit-fashion', vitFashion);
