import { positiveInt } from './checks.js';
import type { LayerInput, SpecInput } from './types.js';

export interface WavenetOptions {
  /** Quantized amplitude levels (8-bit mu-law: 256); the input ids and the output classes. */
  quantization?: number;
  /** Dilated layers per stack; dilations 1, 2, 4, ... 2^(layers-1). Default 8. */
  layers?: number;
  /** Stacks of those layers; default 1. */
  stacks?: number;
  /** Channels of the residual path; default 32. */
  residualChannels?: number;
  /** Channels of the gated dilated convolutions; default 32. */
  dilationChannels?: number;
  /** Channels of the skip connections and the output head; default 64. */
  skipChannels?: number;
  /** Taps of each dilated convolution; default 2. */
  kernelSize?: number;
  name?: string;
}

/**
 * WaveNet (van den Oord et al. 2016): quantized samples -> embedding (a 1x1 convolution of the
 * one-hot input) -> stacks of dilated causal convolutions with gated units
 * tanh(W_f * x) * sigmoid(W_g * x), each with a 1x1 residual and a 1x1 skip convolution; the sum
 * of the skips -> relu -> 1x1 conv -> relu -> 1x1 conv to logits over the amplitude levels.
 * Causal throughout, so it trains as a next-sample model with the `causalLm` recipe.
 */
export function wavenet(options: WavenetOptions = {}): SpecInput {
  const {
    quantization = 256,
    layers = 8,
    stacks = 1,
    residualChannels = 32,
    dilationChannels = 32,
    skipChannels = 64,
    kernelSize = 2,
  } = options;
  const sizes = {
    quantization,
    layers,
    stacks,
    residualChannels,
    dilationChannels,
    skipChannels,
    kernelSize,
  };
  for (const [k, v] of Object.entries(sizes)) positiveInt('wavenet', k, v);
  if (layers > 30) throw new Error(`wavenet: layers must be at most 30, got ${layers}`);
  const body: LayerInput[] = [];
  const skips: string[] = [];
  let x = 'embedding';
  const count = layers * stacks;
  for (let i = 0; i < count; i++) {
    const dilationRate = 2 ** (i % layers);
    const gated = (id: string, activation: 'tanh' | 'sigmoid'): LayerInput => ({
      id: `${id}${i}`,
      type: 'conv1d',
      inputs: [x],
      filters: dilationChannels,
      kernelSize,
      dilationRate,
      padding: 'causal',
      activation,
    });
    const oneByOne = (id: string, filters: number): LayerInput => ({
      id: `${id}${i}`,
      type: 'conv1d',
      inputs: [`gated${i}`],
      filters,
      kernelSize: 1,
    });
    body.push(gated('filter', 'tanh'), gated('gate', 'sigmoid'), {
      id: `gated${i}`,
      type: 'multiply',
      inputs: [`filter${i}`, `gate${i}`],
    });
    body.push(oneByOne('skip', skipChannels));
    skips.push(`skip${i}`);
    // The last layer's residual output would feed nothing, so it has none.
    if (i < count - 1) {
      body.push(oneByOne('residual', residualChannels), {
        id: `out${i}`,
        type: 'add',
        inputs: [x, `residual${i}`],
      });
      x = `out${i}`;
    }
  }
  const receptive = stacks * (kernelSize - 1) * (2 ** layers - 1) + 1;
  return {
    specVersion: 1,
    name: options.name ?? 'wavenet',
    description: `WaveNet: ${stacks} stack(s) of ${layers} dilated causal layers (receptive field ${receptive} samples), ${quantization} amplitude levels.`,
    inputs: [{ id: 'samples', shape: [null], dtype: 'int32' }],
    layers: [
      // (T) ids -> (T, residualChannels)
      {
        id: 'embedding',
        type: 'embedding',
        inputDim: quantization,
        outputDim: residualChannels,
      },
      ...body,
      // (T, skipChannels) each -> their sum -> (T, quantization) logits
      skips.length > 1
        ? { id: 'skips', type: 'add', inputs: skips }
        : { id: 'skips', type: 'activation', activation: 'linear', inputs: skips },
      { id: 'skips_relu', type: 'activation', activation: 'relu' },
      { id: 'head1', type: 'conv1d', filters: skipChannels, kernelSize: 1, activation: 'relu' },
      { id: 'logits', type: 'conv1d', filters: quantization, kernelSize: 1 },
    ],
    training: {
      loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
      optimizer: { type: 'adam', learningRate: 1e-3 },
      batchSize: 16,
      epochs: 10,
      validationSplit: 0.1,
      seed: 42,
      recipe: { type: 'causalLm' },
    },
  };
}
