import type { LayerInput } from '@netspec/spec';

// Parity cases of the attention family: several inputs (query, value, masks), int32 ids and
// masks, and free lengths run at more than one length on the same exported model.

/** One spec input and the shapes fed at run time (batch first), one per run. */
export interface AttentionInput {
  id: string;
  shape: (number | null)[];
  dtype?: 'float32' | 'int32';
  runs: number[][];
  /** int32 ids in [0, maxId). */
  maxId?: number;
  /** A 0/1 mask whose first key position is always 1 (every query row sees a key). */
  mask?: boolean;
}

export interface AttentionCase {
  name: string;
  inputs: AttentionInput[];
  layer: LayerInput;
  opset?: number;
}

const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
/** A (T, 8) float sequence with T free, run at T = 5 and T = 3. */
const seqFree = (id = 'x', d = 8): AttentionInput => ({
  id,
  shape: [null, d],
  runs: [
    [2, 5, d],
    [2, 3, d],
  ],
});
const seqFixed = (id = 'x', t = 4, d = 8): AttentionInput => ({
  id,
  shape: [t, d],
  runs: [[2, t, d]],
});
/** A (S) padding mask over a free length, int32 or float32. */
const maskFree = (id: string, dtype: 'int32' | 'float32' = 'int32'): AttentionInput => ({
  id,
  shape: [null],
  dtype,
  mask: true,
  runs: [
    [2, 5],
    [2, 3],
  ],
});

const positionCases: AttentionCase[] = [
  {
    name: 'positionEmbedding free length',
    inputs: [seqFree()],
    layer: { id: 'y', type: 'positionEmbedding', sequenceLength: 6, initializer: uniform },
  },
  {
    name: 'positionEmbedding full length',
    inputs: [seqFixed('x', 6, 4)],
    layer: { id: 'y', type: 'positionEmbedding', sequenceLength: 6 },
  },
  {
    name: 'tokenAndPositionEmbedding free length',
    inputs: [
      {
        id: 'x',
        shape: [null],
        dtype: 'int32',
        maxId: 11,
        runs: [
          [2, 7],
          [3, 2],
        ],
      },
    ],
    layer: {
      id: 'y',
      type: 'tokenAndPositionEmbedding',
      vocabularySize: 11,
      sequenceLength: 8,
      embeddingDim: 6,
      embeddingsInitializer: uniform,
    },
  },
  {
    name: 'sinusoidalPositionEncoding free length',
    inputs: [
      {
        id: 'x',
        shape: [null, 6],
        runs: [
          [2, 9, 6],
          [1, 4, 6],
        ],
      },
    ],
    layer: { id: 'y', type: 'sinusoidalPositionEncoding' },
  },
  {
    name: 'sinusoidalPositionEncoding odd width, maxWavelength 100',
    inputs: [seqFixed('x', 5, 7)],
    layer: { id: 'y', type: 'sinusoidalPositionEncoding', maxWavelength: 100 },
  },
];

const mha = { id: 'y', type: 'multiHeadAttention', biasInitializer: uniform } as const;

const mhaCases: AttentionCase[] = [
  {
    name: 'multiHeadAttention self, free length',
    inputs: [seqFree()],
    layer: { ...mha, numHeads: 2, keyDim: 3 },
  },
  {
    name: 'multiHeadAttention causal, free length',
    inputs: [seqFree()],
    layer: { ...mha, numHeads: 2, keyDim: 4, useCausalMask: true },
  },
  {
    name: 'multiHeadAttention query/value/key, valueDim, outputShape, no bias',
    inputs: [seqFixed('q', 3, 5), seqFixed('v', 4, 6), seqFixed('k', 4, 7)],
    layer: {
      id: 'y',
      type: 'multiHeadAttention',
      inputs: ['q', 'v', 'k'],
      numHeads: 3,
      keyDim: 2,
      valueDim: 4,
      outputShape: [2, 3],
      useBias: false,
    },
  },
  {
    name: 'multiHeadAttention int32 (S) padding mask + causal, free length',
    inputs: [seqFree(), maskFree('m')],
    layer: { ...mha, numHeads: 2, keyDim: 4, paddingMask: 'm', useCausalMask: true },
  },
  {
    name: 'multiHeadAttention float32 (Tq, S) padding mask, cross',
    inputs: [
      seqFixed('q', 3, 8),
      seqFixed('v', 4, 6),
      { id: 'm', shape: [3, 4], mask: true, runs: [[2, 3, 4]] },
    ],
    layer: { ...mha, inputs: ['q', 'v'], numHeads: 2, keyDim: 4, paddingMask: 'm' },
  },
];

const block = { id: 'y', intermediateDim: 16, numHeads: 2, biasInitializer: uniform } as const;

const blockCases: AttentionCase[] = [
  {
    name: 'transformerEncoder post-norm relu, free length',
    inputs: [seqFree()],
    layer: { ...block, type: 'transformerEncoder' },
  },
  {
    name: 'transformerEncoder pre-norm gelu, causal, padding mask',
    inputs: [seqFree(), maskFree('m')],
    layer: {
      ...block,
      type: 'transformerEncoder',
      normalizeFirst: true,
      activation: 'gelu',
      useCausalMask: true,
      paddingMask: 'm',
      layerNormEpsilon: 1e-3,
    },
  },
  {
    name: 'transformerDecoder alone, free length',
    inputs: [seqFree()],
    layer: { ...block, type: 'transformerDecoder', activation: 'geluTanh' },
  },
  {
    // The exporter names every input's first free length `seq`, so free lengths must agree.
    name: 'transformerDecoder with encoder and both masks, free lengths',
    inputs: [seqFree('x'), seqFree('e', 6), maskFree('m', 'float32'), maskFree('em')],
    layer: {
      ...block,
      type: 'transformerDecoder',
      inputs: ['x', 'e'],
      paddingMask: 'm',
      encoderPaddingMask: 'em',
    },
  },
  {
    name: 'transformerDecoder pre-norm with encoder of another length, (T, S) encoder mask',
    inputs: [
      seqFixed('x', 4, 8),
      seqFixed('e', 5, 8),
      { id: 'em', shape: [4, 5], mask: true, runs: [[2, 4, 5]] },
    ],
    layer: {
      ...block,
      type: 'transformerDecoder',
      inputs: ['x', 'e'],
      normalizeFirst: true,
      encoderPaddingMask: 'em',
    },
  },
];

const dotCases: AttentionCase[] = [
  {
    name: 'attention dot, free length',
    inputs: [seqFree('q', 4), seqFree('v', 4)],
    layer: { id: 'y', type: 'attention', inputs: ['q', 'v'] },
  },
  {
    name: 'attention dot scaled causal, key',
    inputs: [seqFixed('q', 4, 3), seqFixed('v', 4, 5), seqFixed('k', 4, 3)],
    layer: {
      id: 'y',
      type: 'attention',
      inputs: ['q', 'v', 'k'],
      useScale: true,
      useCausalMask: true,
    },
  },
  {
    name: 'attention concat scaled',
    inputs: [seqFixed('q', 3, 4), seqFixed('v', 5, 4)],
    layer: { id: 'y', type: 'attention', inputs: ['q', 'v'], scoreMode: 'concat', useScale: true },
  },
  {
    name: 'additiveAttention scaled, free length',
    inputs: [seqFree('q', 4), seqFree('v', 4)],
    layer: { id: 'y', type: 'additiveAttention', inputs: ['q', 'v'] },
  },
  {
    name: 'additiveAttention unscaled causal, key',
    inputs: [seqFixed('q', 4, 3), seqFixed('v', 4, 5), seqFixed('k', 4, 3)],
    layer: {
      id: 'y',
      type: 'additiveAttention',
      inputs: ['q', 'v', 'k'],
      useScale: false,
      useCausalMask: true,
    },
  },
];

/** Parity cases of the attention family: every kind and its important options. */
export const ATTENTION_CASES: AttentionCase[] = [
  ...positionCases,
  ...mhaCases,
  ...blockCases,
  ...dotCases,
];
