import type { LayerInput, SpecInput } from './types.js';

export interface VaeOptions {
  /** 'mlp' (Kingma & Welling 2014's shape, hidden 512) or 'conv' (the Keras VAE example). */
  kind: 'mlp' | 'conv';
  /** Latent size; default 20. */
  latentDim?: number;
  /**
   * What `z` is at inference: 'sample' (default) draws it, as the Keras VAE example does;
   * 'mean' is zMean, for deterministic reconstructions (and exact tfjs/ONNX parity).
   */
  inference?: 'sample' | 'mean';
  name?: string;
}

/**
 * A variational autoencoder for 28x28x1 images in [0, 1], trained with the `vae` recipe (tensors
 * `zMean`, `zLogVar`, latent `z`) and binaryCrossentropy; decode samples by feeding `z`.
 * mlp: flatten -> dense 512 relu -> zMean, zLogVar -> sampling -> dense 512 relu -> dense 784
 * sigmoid -> reshape. conv (keras.io/examples/generative/vae): conv2d 32 and 64 (3x3, stride 2,
 * relu) -> flatten -> dense 16 relu -> zMean, zLogVar -> sampling -> dense 7*7*64 relu -> reshape
 * -> conv2dTranspose 64 and 32 (3x3, stride 2, relu) -> conv2dTranspose 1 (3x3, sigmoid).
 */
export function vae(options: VaeOptions): SpecInput {
  const { kind, latentDim = 20, inference = 'sample' } = options;
  const encoder: LayerInput[] =
    kind === 'mlp'
      ? [
          { id: 'flat', type: 'flatten' },
          { id: 'enc', type: 'dense', units: 512, activation: 'relu' },
        ]
      : [
          {
            id: 'encConv1',
            type: 'conv2d',
            filters: 32,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
          },
          {
            id: 'encConv2',
            type: 'conv2d',
            filters: 64,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
          },
          { id: 'flat', type: 'flatten' },
          { id: 'enc', type: 'dense', units: 16, activation: 'relu' },
        ];
  const decoder: LayerInput[] =
    kind === 'mlp'
      ? [
          { id: 'dec', type: 'dense', units: 512, activation: 'relu' },
          { id: 'pixels', type: 'dense', units: 784, activation: 'sigmoid' },
          { id: 'reconstruction', type: 'reshape', targetShape: [28, 28, 1] },
        ]
      : [
          { id: 'dec', type: 'dense', units: 7 * 7 * 64, activation: 'relu' },
          { id: 'decReshape', type: 'reshape', targetShape: [7, 7, 64] },
          {
            id: 'decDeconv1',
            type: 'conv2dTranspose',
            filters: 64,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
          },
          {
            id: 'decDeconv2',
            type: 'conv2dTranspose',
            filters: 32,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            activation: 'relu',
          },
          {
            id: 'reconstruction',
            type: 'conv2dTranspose',
            filters: 1,
            kernelSize: 3,
            padding: 'same',
            activation: 'sigmoid',
          },
        ];
  return {
    specVersion: 1,
    name: options.name ?? (kind === 'mlp' ? 'vae-mnist' : 'conv-vae-mnist'),
    description: `${kind === 'mlp' ? 'MLP' : 'Convolutional'} VAE for 28x28x1 images, latent size ${latentDim}.`,
    inputs: [{ id: 'image', shape: [28, 28, 1], dtype: 'float32' }],
    layers: [
      ...encoder,
      { id: 'zMean', type: 'dense', units: latentDim, inputs: ['enc'] },
      { id: 'zLogVar', type: 'dense', units: latentDim, inputs: ['enc'] },
      {
        id: 'z',
        type: 'sampling',
        inputs: ['zMean', 'zLogVar'],
        ...(inference === 'mean' ? { inference } : {}),
      },
      ...decoder,
    ],
    outputs: ['reconstruction'],
    training: {
      loss: 'binaryCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.001 },
      batchSize: 100,
      epochs: 20,
      seed: 2,
      recipe: { type: 'vae', mean: 'zMean', logVar: 'zLogVar', latent: 'z' },
    },
  };
}
