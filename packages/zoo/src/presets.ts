import { autoencoder } from './autoencoder.js';
import { dcgan } from './gan.js';
import { lenet5, mnistConvnet } from './lenet.js';
import { lstmClassifier, lstmForecaster } from './lstm.js';
import { resnet, resnet20 } from './resnet.js';
import type { SpecInput } from './types.js';
import { vae } from './vae.js';

export type PresetName =
  | 'lenet5'
  | 'mnist-convnet'
  | 'resnet18'
  | 'resnet34'
  | 'resnet50'
  | 'resnet20'
  | 'lstm-classifier'
  | 'lstm-forecaster'
  | 'dcgan-mnist'
  | 'vae-mnist'
  | 'conv-vae-mnist'
  | 'autoencoder-mnist'
  | 'denoising-autoencoder-mnist';

export interface Preset {
  name: PresetName;
  /** One line. */
  description: string;
  /** Builds a fresh spec object each call. */
  spec: () => SpecInput;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'lenet5',
    description: "LeNet-5 for 28x28 MNIST, first convolution padded 'same', average pooling, relu.",
    spec: lenet5,
  },
  {
    name: 'mnist-convnet',
    description: 'The Keras "Simple MNIST convnet" example (two convolutions, dropout, softmax).',
    spec: mnistConvnet,
  },
  {
    name: 'resnet18',
    description: "torchvision's ResNet-18 for 224x224 ImageNet, channels-last.",
    spec: () => resnet({ depth: 18 }),
  },
  {
    name: 'resnet34',
    description: "torchvision's ResNet-34 for 224x224 ImageNet, channels-last.",
    spec: () => resnet({ depth: 34 }),
  },
  {
    name: 'resnet50',
    description: "torchvision's ResNet-50 (v1.5) for 224x224 ImageNet, channels-last.",
    spec: () => resnet({ depth: 50 }),
  },
  {
    name: 'resnet20',
    description: "He et al.'s CIFAR-10 ResNet-20 with option-A (zero-padded identity) shortcuts.",
    spec: resnet20,
  },
  {
    name: 'lstm-classifier',
    description:
      'Bidirectional LSTM(64) over 128-d embeddings of 200 tokens (vocabulary 20,000), 2 classes.',
    spec: () => lstmClassifier({ bidirectional: true }),
  },
  {
    name: 'lstm-forecaster',
    description: 'Stacked LSTM 64-32 forecaster: 24 steps of 1 feature -> the next value, mse.',
    spec: () => lstmForecaster(),
  },
  {
    name: 'dcgan-mnist',
    description: 'DCGAN generator and discriminator for 28x28 digits in one spec (gan recipe).',
    spec: () => dcgan(),
  },
  {
    name: 'vae-mnist',
    description: 'MLP VAE (784-512-20) for 28x28 digits (vae recipe, binaryCrossentropy).',
    spec: () => vae({ kind: 'mlp' }),
  },
  {
    name: 'conv-vae-mnist',
    description: 'Convolutional VAE (the Keras VAE example, latent 20) for 28x28 digits.',
    spec: () => vae({ kind: 'conv' }),
  },
  {
    name: 'autoencoder-mnist',
    description: 'Dense autoencoder 784-128-32-128-784 for 28x28 digits (autoencoder recipe).',
    spec: () => autoencoder({ kind: 'dense' }),
  },
  {
    name: 'denoising-autoencoder-mnist',
    description: 'Convolutional denoising autoencoder (the Keras example), input noise stddev 0.4.',
    spec: () =>
      autoencoder({ kind: 'conv', noiseStddev: 0.4, name: 'denoising-autoencoder-mnist' }),
  },
];

export const PRESET_NAMES: readonly PresetName[] = PRESETS.map((p) => p.name);

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The spec of a named preset; throws on an unknown name, listing the known ones. */
export function preset(name: string): SpecInput {
  const found = PRESETS.find((p) => p.name === name);
  if (!found) {
    throw new Error(`unknown zoo preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}`);
  }
  return found.spec();
}
