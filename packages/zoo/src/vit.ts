import { positiveInt, rate } from './checks.js';
import type { SpecInput } from './types.js';

export interface VitOptions {
  /** Channels-last image, without the batch dimension; default [28, 28, 1]. */
  inputShape?: [number, number, number];
  /** Side of the square patches; must divide height and width. Default 7. */
  patchSize?: number;
  /** Model width (patch embedding size); default 64. */
  width?: number;
  /** Encoder blocks; default 4. */
  layers?: number;
  /** Attention heads; must divide `width`. Default 4. */
  heads?: number;
  /** Feed-forward size; default 4 * width. */
  intermediate?: number;
  /** Dropout in the blocks; default 0.1. */
  dropout?: number;
  /** Output classes (softmax); default 10. */
  classes?: number;
  name?: string;
}

/** ViT's LayerNorm epsilon. */
const EPSILON = 1e-6;

/**
 * A Vision Transformer (Dosovitskiy et al. 2021) for small images: a strided convolution cuts the
 * image into patches and embeds each, learned position embeddings are added, `layers` pre-norm
 * encoder blocks (GELU) follow, then a final LayerNorm, the mean over patches (global average
 * pooling instead of a class token, as in the paper's GAP variant) and a dense softmax.
 */
export function vit(options: VitOptions = {}): SpecInput {
  const {
    inputShape = [28, 28, 1],
    patchSize = 7,
    width = 64,
    layers = 4,
    heads = 4,
    dropout = 0.1,
    classes = 10,
  } = options;
  const intermediate = options.intermediate ?? 4 * width;
  const sizes = { patchSize, width, layers, heads, intermediate, classes };
  for (const [k, v] of Object.entries(sizes)) positiveInt('vit', k, v);
  rate('vit', 'dropout', dropout);
  const [h, w] = inputShape;
  if (h % patchSize !== 0 || w % patchSize !== 0)
    throw new Error(`vit: patchSize must divide the image size ${h}x${w}, got ${patchSize}`);
  if (width % heads !== 0) throw new Error(`vit: heads must divide width ${width}, got ${heads}`);
  const patches = (h / patchSize) * (w / patchSize);
  return {
    specVersion: 1,
    name: options.name ?? 'vit',
    description: `Vision Transformer: ${h}x${w} images in ${patches} patches of ${patchSize}x${patchSize}, width ${width}, ${layers} layers, ${heads} heads, ${classes} classes.`,
    inputs: [{ id: 'image', shape: inputShape, dtype: 'float32' }],
    blocks: {
      encoder: {
        inputs: ['x'],
        layers: [
          {
            id: 'layer',
            type: 'transformerEncoder',
            inputs: ['x'],
            numHeads: heads,
            intermediateDim: intermediate,
            dropout,
            activation: 'gelu',
            layerNormEpsilon: EPSILON,
            normalizeFirst: true,
          },
        ],
      },
    },
    layers: [
      // (H, W, C) -> (H/p, W/p, width): one embedding per patch
      {
        id: 'patch_embedding',
        type: 'conv2d',
        filters: width,
        kernelSize: patchSize,
        strides: patchSize,
      },
      // (H/p, W/p, width) -> (patches, width)
      { id: 'patches', type: 'reshape', targetShape: [patches, width] },
      { id: 'position_embedding', type: 'positionEmbedding', sequenceLength: patches },
      { id: 'embeddings', type: 'add', inputs: ['patches', 'position_embedding'] },
      { id: 'encoder', type: 'block', block: 'encoder', repeat: layers },
      { id: 'norm', type: 'layerNorm', epsilon: EPSILON },
      // (patches, width) -> (width)
      { id: 'pool', type: 'globalAvgPool1d' },
      { id: 'probs', type: 'dense', units: classes, activation: 'softmax' },
    ],
    training: {
      loss: 'sparseCategoricalCrossentropy',
      optimizer: { type: 'adamw', learningRate: 1e-3, weightDecay: 1e-4 },
      metrics: ['accuracy'],
      batchSize: 64,
      epochs: 5,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}
