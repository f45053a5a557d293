import type { SpecInput } from './types.js';

/**
 * LeNet-5 (LeCun et al. 1998) as usually built for 28x28 MNIST: the first convolution padded
 * 'same' (the paper pads the digits to 32x32 instead), average pooling, relu. 61,706 parameters,
 * the same as examples/lenet5.json.
 */
export function lenet5(): SpecInput {
  return {
    specVersion: 1,
    name: 'lenet5',
    description:
      "LeNet-5 for 28x28 MNIST digits (LeCun et al. 1998), first convolution padded 'same'.",
    inputs: [{ id: 'image', shape: [28, 28, 1], dtype: 'float32' }],
    layers: [
      {
        id: 'c1',
        type: 'conv2d',
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
      },
      { id: 's2', type: 'avgPool2d', poolSize: 2 },
      { id: 'c3', type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
      { id: 's4', type: 'avgPool2d', poolSize: 2 },
      { id: 'flatten', type: 'flatten' },
      { id: 'f5', type: 'dense', units: 120, activation: 'relu' },
      { id: 'f6', type: 'dense', units: 84, activation: 'relu' },
      { id: 'probs', type: 'dense', units: 10, activation: 'softmax' },
    ],
    training: {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.001 },
      metrics: ['accuracy'],
      batchSize: 64,
      epochs: 10,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}

/**
 * The Keras "Simple MNIST convnet" example (keras.io/examples/vision/mnist_convnet): 34,826
 * parameters, trained with batch 128 for 15 epochs, Adam, validation split 0.1.
 */
export function mnistConvnet(): SpecInput {
  return {
    specVersion: 1,
    name: 'mnist-convnet',
    description: 'The Keras "Simple MNIST convnet" example for 28x28 MNIST digits.',
    inputs: [{ id: 'image', shape: [28, 28, 1], dtype: 'float32' }],
    layers: [
      { id: 'conv1', type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
      { id: 'pool1', type: 'maxPool2d', poolSize: 2 },
      { id: 'conv2', type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
      { id: 'pool2', type: 'maxPool2d', poolSize: 2 },
      { id: 'flatten', type: 'flatten' },
      { id: 'dropout', type: 'dropout', rate: 0.5 },
      { id: 'probs', type: 'dense', units: 10, activation: 'softmax' },
    ],
    training: {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: { type: 'adam' },
      metrics: ['accuracy'],
      batchSize: 128,
      epochs: 15,
      validationSplit: 0.1,
    },
  };
}
