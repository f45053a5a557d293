// The zoo's resnet20 (He et al.'s CIFAR ResNet-20) on 28x28 Fashion-MNIST.
// node packages/zoo/dist/examples/resnet20-fashion.js [--quick] [--engine wasm]
import { resnet20 } from '../resnet.js';
import { type ExampleOptions, isMain, main } from './common.js';
import { runImageClassifier } from './image-classifier.js';

export const resnet20Fashion = (options: ExampleOptions) =>
  runImageClassifier(
    {
      example: 'resnet20 on Fashion-MNIST',
      spec: resnet20({ inputShape: [28, 28, 1], classes: 10 }),
      data: 'fashion-mnist',
      // The full split, three epochs (the cosine schedule decays over all three). Issue 15's bar:
      // 90% in under 40 minutes on this 2-core machine, so the budget stops it there.
      epochs: 3,
      batchSize: 64,
      learningRate: 0.002,
      budgetSeconds: 40 * 60,
    },
    options,
  );

if (isMain(import.meta.url)) await main('resnet20-fashion', resnet20Fashion);
