import type { ParityCase } from '../parity.js';

// Parity cases of the normalization family (seeded non-trivial statistics, gamma and beta).
const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
const positive = { type: 'randomUniform', minval: 0.5, maxval: 1.5 } as const;
const affine = { gammaInitializer: positive, betaInitializer: uniform } as const;
const vec = { shape: [6], run: [3, 6] };
const seq = { shape: [4, 6], run: [2, 4, 6] };
const image = { shape: [3, 2, 4], run: [2, 3, 2, 4] };
const moving = { movingMeanInitializer: uniform, movingVarianceInitializer: positive } as const;

/** Parity cases of the normalization family: every kind and its important options. */
export const NORMALIZATION_CASES: ParityCase[] = [
  {
    name: 'batchNorm rank 2',
    layer: { id: 'y', type: 'batchNorm', ...affine, ...moving },
    input: vec,
  },
  {
    name: 'batchNorm rank 4 channels last',
    layer: { id: 'y', type: 'batchNorm', ...affine, ...moving },
    input: image,
  },
  {
    name: 'batchNorm axis 1',
    layer: { id: 'y', type: 'batchNorm', axis: 1, ...affine, ...moving },
    input: image,
  },
  {
    name: 'batchNorm no center no scale epsilon',
    layer: { id: 'y', type: 'batchNorm', center: false, scale: false, epsilon: 0.1, ...moving },
    input: seq,
  },
  { name: 'layerNorm last axis', layer: { id: 'y', type: 'layerNorm', ...affine }, input: seq },
  {
    name: 'layerNorm trailing axes',
    layer: { id: 'y', type: 'layerNorm', axis: [2, 3], ...affine },
    input: image,
  },
  {
    name: 'layerNorm middle axis',
    layer: { id: 'y', type: 'layerNorm', axis: 1, ...affine },
    input: seq,
  },
  {
    name: 'layerNorm unordered axes',
    layer: { id: 'y', type: 'layerNorm', axis: [3, 1], ...affine },
    input: image,
  },
  {
    name: 'layerNorm no scale',
    layer: { id: 'y', type: 'layerNorm', scale: false, betaInitializer: uniform },
    input: seq,
  },
  {
    name: 'layerNorm no center no scale',
    layer: { id: 'y', type: 'layerNorm', axis: [1, 2], center: false, scale: false },
    input: seq,
  },
  {
    name: 'layerNorm free length',
    layer: { id: 'y', type: 'layerNorm', epsilon: 1e-5, ...affine },
    input: { shape: [null, 6], run: [2, 5, 6] },
  },
  {
    name: 'layerNorm opset 18',
    layer: { id: 'y', type: 'layerNorm', axis: 1, ...affine },
    input: seq,
    opset: 18,
  },
  {
    name: 'groupNorm channels last',
    layer: { id: 'y', type: 'groupNorm', groups: 2, ...affine },
    input: image,
  },
  {
    name: 'groupNorm axis 1',
    layer: { id: 'y', type: 'groupNorm', groups: 3, axis: 1, ...affine },
    input: image,
  },
  {
    name: 'groupNorm free length, no affine',
    layer: { id: 'y', type: 'groupNorm', groups: 3, center: false, scale: false },
    input: { shape: [null, 6], run: [2, 5, 6] },
  },
  {
    name: 'groupNorm opset 18',
    layer: { id: 'y', type: 'groupNorm', groups: 6, ...affine },
    input: seq,
    opset: 18,
  },
  { name: 'rmsNorm last axis', layer: { id: 'y', type: 'rmsNorm' }, input: seq },
  {
    name: 'rmsNorm axes',
    layer: { id: 'y', type: 'rmsNorm', axis: [1, 3], epsilon: 1e-3 },
    input: image,
  },
  {
    name: 'rmsNorm opset 18',
    layer: { id: 'y', type: 'rmsNorm', axis: [2] },
    input: image,
    opset: 18,
  },
];
