import type { SpecInput } from './types.js';

export interface DcganOptions {
  /** Size of the generator's noise input z; default 100. */
  latentDim?: number;
  name?: string;
}

const leaky = { type: 'leakyRelu' as const, alpha: 0.2 };

/**
 * A DCGAN-style GAN for 28x28x1 images (Radford et al. 2016, as in the TensorFlow DCGAN
 * tutorial), generator and discriminator in one spec with the `gan` recipe.
 * Generator z -> dense 7*7*128 (leakyRelu) -> reshape -> conv2dTranspose 64 (4x4, stride 2, no
 * bias) + batchNorm + leakyRelu -> conv2dTranspose 1 (4x4, stride 2, sigmoid) -> `fake`.
 * Discriminator image -> conv2d 64 (4x4, stride 2, leakyRelu) + dropout -> conv2d 128 (4x4,
 * stride 2, leakyRelu) + dropout -> flatten -> dense 1 -> `logit`.
 */
export function dcgan(options: DcganOptions = {}): SpecInput {
  const { latentDim = 100 } = options;
  return {
    specVersion: 1,
    name: options.name ?? 'dcgan-mnist',
    description: `DCGAN for 28x28x1 images: generator z (${latentDim}) -> fake, discriminator image -> logit.`,
    inputs: [
      { id: 'z', shape: [latentDim], dtype: 'float32' },
      { id: 'image', shape: [28, 28, 1], dtype: 'float32' },
    ],
    layers: [
      { id: 'gDense', type: 'dense', units: 7 * 7 * 128, inputs: ['z'], activation: leaky },
      { id: 'gReshape', type: 'reshape', targetShape: [7, 7, 128] },
      {
        id: 'gDeconv1',
        type: 'conv2dTranspose',
        filters: 64,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: false,
      },
      { id: 'gBn1', type: 'batchNorm' },
      { id: 'gAct1', type: 'activation', activation: leaky },
      {
        id: 'fake',
        type: 'conv2dTranspose',
        filters: 1,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'sigmoid',
      },
      {
        id: 'dConv1',
        type: 'conv2d',
        filters: 64,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: leaky,
        inputs: ['image'],
      },
      { id: 'dDrop1', type: 'dropout', rate: 0.3 },
      {
        id: 'dConv2',
        type: 'conv2d',
        filters: 128,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: leaky,
      },
      { id: 'dDrop2', type: 'dropout', rate: 0.3 },
      { id: 'dFlat', type: 'flatten' },
      { id: 'logit', type: 'dense', units: 1 },
    ],
    outputs: ['fake', 'logit'],
    training: {
      loss: { type: 'binaryCrossentropy', fromLogits: true },
      optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5 },
      batchSize: 64,
      epochs: 30,
      seed: 3,
      recipe: {
        type: 'gan',
        generator: { input: 'z', output: 'fake' },
        discriminator: { input: 'image', output: 'logit' },
      },
    },
  };
}
