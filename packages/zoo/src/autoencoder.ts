import type { LayerInput, SpecInput } from './types.js';

export interface AutoencoderOptions {
  /** 'dense' (MLP) or 'conv' (the Keras convolutional denoising autoencoder). */
  kind: 'dense' | 'conv';
  /** dense: size of the code layer; conv: filters of the second convolution and first
   * transposed convolution (a 7x7xcode bottleneck). Default 32. */
  code?: number;
  /** dense: hidden sizes between input and code (mirrored in the decoder); default [128]. */
  hidden?: number[];
  /** Gaussian noise added to the input while training (denoising); default 0. */
  noiseStddev?: number;
  name?: string;
}

/**
 * An autoencoder for 28x28x1 images in [0, 1], trained with the `autoencoder` recipe (output to
 * the clean input; noise on the input only when `noiseStddev` > 0) and binaryCrossentropy.
 * dense: flatten -> dense hidden relu -> dense code relu -> dense reversed(hidden) relu -> dense
 * 784 sigmoid -> reshape. conv (keras.io/examples/vision/autoencoder): conv2d 32 (3x3, same,
 * relu) -> maxPool 2 -> conv2d code -> maxPool 2 -> conv2dTranspose code and 32 (3x3, stride 2,
 * relu) -> conv2d 1 (3x3, same, sigmoid).
 */
export function autoencoder(options: AutoencoderOptions): SpecInput {
  const { kind, code = 32, hidden = [128], noiseStddev = 0 } = options;
  const conv = (id: string, filters: number, extra: object = {}): LayerInput => ({
    id,
    type: 'conv2d',
    filters,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    ...extra,
  });
  const deconv = (id: string, filters: number): LayerInput => ({
    id,
    type: 'conv2dTranspose',
    filters,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    activation: 'relu',
  });
  const layers: LayerInput[] =
    kind === 'dense'
      ? [
          { id: 'flat', type: 'flatten' },
          ...hidden.map(
            (units, i): LayerInput => ({
              id: `enc${i + 1}`,
              type: 'dense',
              units,
              activation: 'relu',
            }),
          ),
          { id: 'code', type: 'dense', units: code, activation: 'relu' },
          ...[...hidden].reverse().map(
            (units, i): LayerInput => ({
              id: `dec${i + 1}`,
              type: 'dense',
              units,
              activation: 'relu',
            }),
          ),
          { id: 'pixels', type: 'dense', units: 784, activation: 'sigmoid' },
          { id: 'reconstruction', type: 'reshape', targetShape: [28, 28, 1] },
        ]
      : [
          conv('enc1', 32),
          { id: 'pool1', type: 'maxPool2d', poolSize: 2 },
          conv('enc2', code),
          { id: 'code', type: 'maxPool2d', poolSize: 2 },
          deconv('dec1', code),
          deconv('dec2', 32),
          conv('reconstruction', 1, { activation: 'sigmoid' }),
        ];
  const denoising = noiseStddev > 0;
  return {
    specVersion: 1,
    name:
      options.name ??
      `${denoising ? 'denoising-' : ''}${kind === 'conv' ? 'conv-' : ''}autoencoder-mnist`,
    description: `${kind === 'dense' ? 'Dense' : 'Convolutional'} ${denoising ? `denoising (noise stddev ${noiseStddev}) ` : ''}autoencoder for 28x28x1 images, code ${kind === 'dense' ? code : `7x7x${code}`}.`,
    inputs: [{ id: 'image', shape: [28, 28, 1], dtype: 'float32' }],
    layers,
    outputs: ['reconstruction'],
    training: {
      loss: 'binaryCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.001 },
      batchSize: 128,
      epochs: 20,
      seed: 4,
      recipe: { type: 'autoencoder', ...(denoising ? { noiseStddev } : {}) },
    },
  };
}
