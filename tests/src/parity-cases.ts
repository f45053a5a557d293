// Parity cases of the cross-engine suite: at least one per layer kind (a kind without cases
// does not compile), small enough that the whole table runs in seconds.
import type { LayerInput, LayerType } from '@netspec/spec';

/** One spec input and the shape fed at run time (batch first). */
export interface CaseInput {
  id: string;
  shape: (number | null)[];
  dtype?: 'float32' | 'int32';
  run: number[];
  /** int32 ids in [0, maxId). */
  maxId?: number;
  /** A 0/1 mask whose first position is always 1. */
  mask?: boolean;
}

export interface Case {
  name: string;
  inputs: CaseInput[];
  layers: LayerInput[];
  blocks?: Record<string, { layers: LayerInput[] }>;
  opset?: number;
}

const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
const vec: CaseInput = { id: 'x', shape: [5], run: [2, 5] };
const seq: CaseInput = { id: 'x', shape: [6, 4], run: [2, 6, 4] };
const free: CaseInput = { id: 'x', shape: [null, 4], run: [2, 5, 4] };
const img: CaseInput = { id: 'x', shape: [6, 5, 3], run: [2, 6, 5, 3] };
const ids: CaseInput = { id: 'x', shape: [6], dtype: 'int32', run: [2, 6], maxId: 10 };
const at = (id: string, input: CaseInput): CaseInput => ({ ...input, id });

/** A one-layer case on `x`. */
const one = (
  name: string,
  layer: Record<string, unknown>,
  input: CaseInput = seq,
  opset?: number,
): Case => ({
  name,
  inputs: [input],
  layers: [{ id: 'y', ...layer } as LayerInput],
  ...(opset ? { opset } : {}),
});

// Two branches of x for the merge kinds: (B, T, 4) each.
const a = {
  id: 'a',
  type: 'dense',
  units: 4,
  inputs: ['x'],
  biasInitializer: uniform,
} as LayerInput;
const b = { id: 'b', type: 'dense', units: 4, activation: 'tanh', inputs: ['x'] } as LayerInput;
const merge = (type: string, extra: Record<string, unknown> = {}): Case => ({
  name: type,
  inputs: [seq],
  layers: [a, b, { id: 'y', type, inputs: ['a', 'b'], ...extra } as LayerInput],
});
const cell = (name: string, type: string, extra: Record<string, unknown> = {}): Case =>
  one(
    name,
    { type, units: 4, biasInitializer: uniform, ...extra },
    at('x', { id: 'x', shape: [5, 3], run: [2, 5, 3] }),
  );
const qv = [
  at('q', { id: 'q', shape: [4, 4], run: [2, 4, 4] }),
  at('v', { id: 'v', shape: [5, 4], run: [2, 5, 4] }),
];
const tblock = { intermediateDim: 16, numHeads: 2, biasInitializer: uniform } as const;

/** Every layer kind's cases. */
export const PARITY_CASES = {
  dense: [
    one(
      'dense relu',
      { type: 'dense', units: 3, activation: 'relu', biasInitializer: uniform },
      vec,
    ),
  ],
  activation: [
    one('activation gelu', { type: 'activation', activation: 'gelu' }),
    one('activation softmax', { type: 'activation', activation: 'softmax' }),
  ],
  prelu: [one('prelu', { type: 'prelu', alphaInitializer: uniform })],
  dropout: [one('dropout', { type: 'dropout', rate: 0.5 })],
  flatten: [one('flatten', { type: 'flatten' }, img)],
  reshape: [one('reshape', { type: 'reshape', targetShape: [-1, 2] }, free)],
  permute: [one('permute', { type: 'permute', dims: [2, 3, 1] }, img)],
  repeatVector: [one('repeatVector', { type: 'repeatVector', n: 3 }, vec)],
  embedding: [one('embedding', { type: 'embedding', inputDim: 10, outputDim: 4 }, ids)],
  slice: [one('slice step', { type: 'slice', axis: 2, start: 1, end: 4, step: 2 })],
  reverseEmbedding: [
    {
      name: 'reverseEmbedding tied to an embedding',
      inputs: [ids],
      layers: [
        { id: 'e', type: 'embedding', inputDim: 10, outputDim: 4 },
        { id: 'h', type: 'dense', units: 4, activation: 'tanh', biasInitializer: uniform },
        { id: 'y', type: 'reverseEmbedding', embedding: 'e' },
      ],
    },
  ],
  add: [merge('add')],
  subtract: [merge('subtract')],
  multiply: [merge('multiply')],
  average: [merge('average')],
  maximum: [merge('maximum')],
  minimum: [merge('minimum')],
  concatenate: [merge('concatenate', { axis: 1 })],
  dot: [merge('dot', { axes: 2 })],
  conv1d: [
    one('conv1d same stride 2', {
      type: 'conv1d',
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      biasInitializer: uniform,
    }),
  ],
  conv2d: [
    one(
      'conv2d valid dilation 2',
      { type: 'conv2d', filters: 3, kernelSize: 2, dilationRate: 2, biasInitializer: uniform },
      img,
    ),
  ],
  conv1dTranspose: [
    one('conv1dTranspose same stride 2', {
      type: 'conv1dTranspose',
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      biasInitializer: uniform,
    }),
  ],
  conv2dTranspose: [
    one(
      'conv2dTranspose valid',
      { type: 'conv2dTranspose', filters: 3, kernelSize: 3, biasInitializer: uniform },
      img,
    ),
  ],
  depthwiseConv2d: [
    one(
      'depthwiseConv2d same',
      { type: 'depthwiseConv2d', kernelSize: 3, padding: 'same', biasInitializer: uniform },
      img,
    ),
  ],
  separableConv2d: [
    one(
      'separableConv2d valid',
      { type: 'separableConv2d', filters: 4, kernelSize: 3, biasInitializer: uniform },
      img,
    ),
  ],
  upSampling1d: [one('upSampling1d', { type: 'upSampling1d', size: 3 }, free)],
  upSampling2d: [
    one('upSampling2d bilinear', { type: 'upSampling2d', interpolation: 'bilinear' }, img),
  ],
  zeroPadding1d: [one('zeroPadding1d', { type: 'zeroPadding1d', padding: [2, 0] })],
  zeroPadding2d: [one('zeroPadding2d', { type: 'zeroPadding2d', padding: [1, 2] }, img)],
  cropping1d: [one('cropping1d', { type: 'cropping1d', cropping: [1, 2] })],
  cropping2d: [one('cropping2d', { type: 'cropping2d' }, img)],
  maxPool1d: [
    one('maxPool1d same stride 2', { type: 'maxPool1d', poolSize: 3, strides: 2, padding: 'same' }),
  ],
  maxPool2d: [one('maxPool2d', { type: 'maxPool2d' }, img)],
  avgPool1d: [
    one('avgPool1d same', { type: 'avgPool1d', poolSize: 3, strides: 2, padding: 'same' }),
  ],
  avgPool2d: [one('avgPool2d', { type: 'avgPool2d' }, img)],
  globalAvgPool1d: [one('globalAvgPool1d', { type: 'globalAvgPool1d' })],
  globalAvgPool2d: [one('globalAvgPool2d', { type: 'globalAvgPool2d' }, img)],
  globalMaxPool1d: [one('globalMaxPool1d', { type: 'globalMaxPool1d' })],
  globalMaxPool2d: [
    one('globalMaxPool2d keepDims', { type: 'globalMaxPool2d', keepDims: true }, img),
  ],
  batchNorm: [
    one(
      'batchNorm',
      { type: 'batchNorm', betaInitializer: uniform, movingMeanInitializer: uniform },
      img,
    ),
  ],
  layerNorm: [one('layerNorm', { type: 'layerNorm', betaInitializer: uniform })],
  groupNorm: [one('groupNorm', { type: 'groupNorm', groups: 2, betaInitializer: uniform })],
  rmsNorm: [one('rmsNorm', { type: 'rmsNorm' })],
  simpleRnn: [cell('simpleRnn sequences', 'simpleRnn', { returnSequences: true })],
  lstm: [cell('lstm state', 'lstm', { returnState: true })],
  gru: [
    cell('gru resetAfter', 'gru', { returnSequences: true }),
    cell('gru no resetAfter', 'gru', { resetAfter: false }),
  ],
  bidirectional: [
    one('bidirectional lstm concat', {
      type: 'bidirectional',
      layer: { type: 'lstm', units: 3, returnSequences: true, biasInitializer: uniform },
    }),
    one('bidirectional gru sum', {
      type: 'bidirectional',
      mergeMode: 'sum',
      layer: { type: 'gru', units: 3, biasInitializer: uniform },
    }),
  ],
  attention: [
    {
      name: 'attention scaled causal',
      inputs: qv.map((i) => ({ ...i, shape: [4, 4], run: [2, 4, 4] })),
      layers: [
        { id: 'y', type: 'attention', inputs: ['q', 'v'], useScale: true, useCausalMask: true },
      ],
    },
  ],
  additiveAttention: [
    {
      name: 'additiveAttention',
      inputs: qv,
      layers: [{ id: 'y', type: 'additiveAttention', inputs: ['q', 'v'] }],
    },
  ],
  multiHeadAttention: [
    {
      name: 'multiHeadAttention cross, padding mask',
      inputs: [...qv, { id: 'm', shape: [5], dtype: 'int32', mask: true, run: [2, 5] }],
      layers: [
        {
          id: 'y',
          type: 'multiHeadAttention',
          inputs: ['q', 'v'],
          numHeads: 2,
          keyDim: 3,
          paddingMask: 'm',
          biasInitializer: uniform,
        },
      ],
    },
  ],
  positionEmbedding: [
    one(
      'positionEmbedding',
      { type: 'positionEmbedding', sequenceLength: 8, initializer: uniform },
      free,
    ),
  ],
  sinusoidalPositionEncoding: [
    one('sinusoidalPositionEncoding', { type: 'sinusoidalPositionEncoding' }, free),
  ],
  tokenAndPositionEmbedding: [
    one(
      'tokenAndPositionEmbedding',
      {
        type: 'tokenAndPositionEmbedding',
        vocabularySize: 10,
        sequenceLength: 6,
        embeddingDim: 4,
        embeddingsInitializer: uniform,
      },
      ids,
    ),
  ],
  transformerEncoder: [
    one(
      'transformerEncoder pre-norm causal',
      { type: 'transformerEncoder', ...tblock, normalizeFirst: true, useCausalMask: true },
      free,
    ),
  ],
  transformerDecoder: [
    {
      name: 'transformerDecoder with encoder',
      inputs: [at('x', free), at('e', { id: 'e', shape: [3, 4], run: [2, 3, 4] })],
      layers: [{ id: 'y', type: 'transformerDecoder', inputs: ['x', 'e'], ...tblock }],
    },
  ],
  sampling: [
    {
      name: 'sampling',
      inputs: [at('mean', vec), at('logVar', vec)],
      layers: [{ id: 'y', type: 'sampling', inputs: ['mean', 'logVar'], seed: 3 }],
    },
    {
      // Deterministic at inference, so its values must match everywhere.
      name: 'sampling inference mean',
      inputs: [at('mean', vec), at('logVar', vec)],
      layers: [
        { id: 'y', type: 'sampling', inputs: ['mean', 'logVar'], inference: 'mean', seed: 3 },
      ],
    },
  ],
  gaussianNoise: [one('gaussianNoise', { type: 'gaussianNoise', stddev: 0.5, seed: 3 })],
  block: [
    {
      name: 'block residual dense repeated 3 times',
      inputs: [seq],
      blocks: {
        res: {
          layers: [
            {
              id: 'd',
              type: 'dense',
              units: 4,
              activation: 'tanh',
              inputs: ['x'],
              biasInitializer: uniform,
            },
            { id: 'sum', type: 'add', inputs: ['x', 'd'] },
          ],
        },
      },
      layers: [{ id: 'y', type: 'block', block: 'res', repeat: 3 }],
    },
  ],
  timeDistributed: [
    one(
      'timeDistributed conv1d',
      { type: 'timeDistributed', layer: { type: 'conv1d', filters: 2, kernelSize: 2 } },
      img,
    ),
  ],
} satisfies Record<LayerType, Case[]>;
