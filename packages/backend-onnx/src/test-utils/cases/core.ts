import { ACTIVATION_NAMES } from '@netspec/spec';
import type { ParityCase } from '../parity.js';

// The parity cases of one family, named as the family (DESIGN.md: one place per package).
const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
const vec = { shape: [5], run: [2, 5] };
const seq = { shape: [4, 3], run: [2, 4, 3] };

const activationCases: ParityCase[] = [
  ...ACTIVATION_NAMES.map(
    (a) =>
      ({
        name: `activation ${a}`,
        layer: { id: 'y', type: 'activation', activation: a },
        input: seq,
      }) as ParityCase,
  ),
  {
    name: 'activation leakyRelu alpha',
    layer: { id: 'y', type: 'activation', activation: { type: 'leakyRelu', alpha: 0.1 } },
    input: vec,
  },
  {
    name: 'activation elu alpha',
    layer: { id: 'y', type: 'activation', activation: { type: 'elu', alpha: 0.5 } },
    input: vec,
  },
  {
    name: 'activation softmax axis 1',
    layer: { id: 'y', type: 'activation', activation: { type: 'softmax', axis: 1 } },
    input: seq,
  },
  {
    name: 'activation logSoftmax axis 1',
    layer: { id: 'y', type: 'activation', activation: { type: 'logSoftmax', axis: 1 } },
    input: seq,
  },
  {
    name: 'activation gelu approximate',
    layer: { id: 'y', type: 'activation', activation: { type: 'gelu', approximate: true } },
    input: vec,
  },
  {
    name: 'activation gelu opset 20',
    layer: { id: 'y', type: 'activation', activation: 'gelu' },
    input: vec,
    opset: 20,
  },
  {
    name: 'activation geluTanh opset 20',
    layer: { id: 'y', type: 'activation', activation: 'geluTanh' },
    input: vec,
    opset: 20,
  },
  {
    name: 'activation mish opset 18',
    layer: { id: 'y', type: 'activation', activation: 'mish' },
    input: vec,
    opset: 18,
  },
];

/** Parity cases of the core family: every kind and its important options. */
export const CORE_CASES: ParityCase[] = [
  {
    name: 'dense rank 2',
    layer: { id: 'y', type: 'dense', units: 3, biasInitializer: uniform },
    input: vec,
  },
  {
    name: 'dense rank 2 relu',
    layer: { id: 'y', type: 'dense', units: 3, activation: 'relu', biasInitializer: uniform },
    input: vec,
  },
  {
    name: 'dense rank 2 no bias',
    layer: { id: 'y', type: 'dense', units: 3, useBias: false },
    input: vec,
  },
  {
    name: 'dense rank 3 tanh',
    layer: { id: 'y', type: 'dense', units: 2, activation: 'tanh', biasInitializer: uniform },
    input: seq,
  },
  {
    name: 'dense free length',
    layer: { id: 'y', type: 'dense', units: 2, biasInitializer: uniform },
    input: { shape: [null, 3], run: [2, 6, 3] },
  },
  {
    name: 'dense rank 3 no bias',
    layer: { id: 'y', type: 'dense', units: 2, useBias: false },
    input: seq,
  },
  ...activationCases,
  { name: 'prelu', layer: { id: 'y', type: 'prelu', alphaInitializer: uniform }, input: seq },
  {
    name: 'prelu shared axes',
    layer: { id: 'y', type: 'prelu', alphaInitializer: uniform, sharedAxes: [1] },
    input: seq,
  },
  { name: 'dropout', layer: { id: 'y', type: 'dropout', rate: 0.5 }, input: vec },
  {
    name: 'flatten',
    layer: { id: 'y', type: 'flatten' },
    input: { shape: [2, 3, 4], run: [2, 2, 3, 4] },
  },
  {
    name: 'reshape',
    layer: { id: 'y', type: 'reshape', targetShape: [3, -1] },
    input: { shape: [2, 6], run: [2, 2, 6] },
  },
  {
    name: 'reshape free length',
    layer: { id: 'y', type: 'reshape', targetShape: [-1, 2] },
    input: { shape: [null, 4], run: [2, 3, 4] },
  },
  {
    name: 'permute',
    layer: { id: 'y', type: 'permute', dims: [2, 3, 1] },
    input: { shape: [2, 3, 4], run: [2, 2, 3, 4] },
  },
  { name: 'repeatVector', layer: { id: 'y', type: 'repeatVector', n: 3 }, input: vec },
  {
    name: 'embedding',
    layer: { id: 'y', type: 'embedding', inputDim: 10, outputDim: 4 },
    input: { shape: [6], dtype: 'int32', run: [2, 6], maxId: 10 },
  },
  {
    name: 'embedding free length',
    layer: { id: 'y', type: 'embedding', inputDim: 7, outputDim: 3 },
    input: { shape: [null], dtype: 'int32', run: [2, 5], maxId: 7 },
  },
  {
    name: 'reverseEmbedding tied to an embedding, free length',
    before: [
      { id: 'e', type: 'embedding', inputDim: 9, outputDim: 4 },
      { id: 'h', type: 'dense', units: 4, activation: 'tanh', biasInitializer: uniform },
    ],
    layer: { id: 'y', type: 'reverseEmbedding', embedding: 'e' },
    input: { shape: [null], dtype: 'int32', run: [2, 5], maxId: 9 },
  },
  {
    name: 'reverseEmbedding tied to a tokenAndPositionEmbedding',
    before: [
      {
        id: 'e',
        type: 'tokenAndPositionEmbedding',
        vocabularySize: 9,
        sequenceLength: 6,
        embeddingDim: 4,
        embeddingsInitializer: uniform,
      },
    ],
    layer: { id: 'y', type: 'reverseEmbedding', embedding: 'e' },
    input: { shape: [6], dtype: 'int32', run: [2, 6], maxId: 9 },
  },
  {
    name: 'slice step',
    layer: { id: 'y', type: 'slice', axis: 2, start: 1, end: 5, step: 2 },
    input: { shape: [3, 6], run: [2, 3, 6] },
  },
  {
    name: 'slice negative start',
    layer: { id: 'y', type: 'slice', axis: -1, start: -2 },
    input: seq,
  },
  {
    name: 'slice squeeze',
    layer: { id: 'y', type: 'slice', axis: 1, start: 0, end: 1, squeeze: true },
    input: seq,
  },
  {
    name: 'slice free length',
    layer: { id: 'y', type: 'slice', axis: 1, start: 1, end: 3 },
    input: { shape: [null, 3], run: [2, 5, 3] },
  },
];
