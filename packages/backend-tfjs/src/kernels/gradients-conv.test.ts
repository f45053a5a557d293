// Gradients of convolutions, pools, gathers and resizes on wasm: a kernel that wasm lacks, or
// gets wrong, in a backward pass shows up here. wasm's Conv3DBackpropInputV2, MaxPool3DGrad and
// Dilation2DBackprop* are wrong in tfjs-backend-wasm 4.22 and are left out (netspec has no 3-D
// layers); tfjs has no gradient for GatherNd, StridedSlice, DepthToSpace or Cumprod at all.

// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import {
  type GradCase,
  inputGradients,
  relativeError,
  runOn,
  transposedJacobian,
} from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';

const TOLERANCE = 1e-4;

const pos = (v: number) => v + 1.5;
const ids = (xs: number[], n?: number) => tf.tensor1d(n ? xs.map((x) => x % n) : xs, 'int32');

const CASES: GradCase[] = [
  {
    name: 'conv2d same',
    shapes: [
      [2, 7, 6, 3],
      [3, 3, 3, 4],
    ],
    op: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'conv2d valid s2',
    shapes: [
      [3, 9, 8, 2],
      [4, 2, 2, 5],
    ],
    op: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 3], 'valid'),
  },
  {
    name: 'conv2d lenet',
    shapes: [
      [4, 28, 28, 1],
      [5, 5, 1, 6],
    ],
    op: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'conv1d',
    shapes: [
      [2, 11, 3],
      [3, 3, 4],
    ],
    op: (x, w) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, 'same'),
  },
  {
    name: 'conv2dTranspose',
    shapes: [
      [2, 4, 5, 3],
      [3, 3, 2, 3],
    ],
    op: (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 10, 2], 2, 'same'),
  },
  {
    name: 'depthwiseConv2d',
    shapes: [
      [2, 8, 7, 3],
      [3, 3, 3, 2],
    ],
    op: (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
  },
  {
    name: 'separableConv2d',
    shapes: [
      [2, 6, 6, 3],
      [3, 3, 3, 2],
      [1, 1, 6, 4],
    ],
    op: (x, d, p) =>
      tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'valid'),
  },
  {
    name: 'fused conv2d',
    shapes: [[2, 6, 6, 3], [3, 3, 3, 4], [4]],
    op: (x, w, b) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: w as tf.Tensor4D,
        bias: b,
        strides: 1,
        pad: 'same',
        activation: 'relu',
      }),
  },
  {
    name: 'fused matMul',
    shapes: [[5, 4], [4, 3], [3]],
    op: (a, b, c) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'elu' }),
  },
  {
    name: 'avgPool',
    shapes: [[2, 7, 7, 3]],
    op: (x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'),
  },
  {
    name: 'maxPool',
    shapes: [[2, 8, 8, 3]],
    op: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
  },
  {
    name: 'maxPool same s1',
    shapes: [[2, 5, 5, 2]],
    op: (x) => tf.maxPool(x as tf.Tensor4D, 3, 1, 'same'),
  },
  { name: 'gather axis 0', shapes: [[10, 4]], op: (x) => tf.gather(x, ids([3, 1, 3, 9, 0, 3])) },
  {
    name: 'gather embedding',
    shapes: [[97, 16]],
    op: (x) =>
      tf.gather(
        x,
        ids(
          Array.from({ length: 640 }, (_, i) => (i * 37) % 101),
          97,
        ),
      ),
  },
  { name: 'gather axis 1', shapes: [[3, 7, 2]], op: (x) => tf.gather(x, ids([6, 0, 6, 2]), 1) },
  {
    name: 'unsortedSegmentSum',
    shapes: [[6, 3]],
    op: (x) => tf.unsortedSegmentSum(x, ids([0, 2, 2, 1, 0, 4]), 5),
  },
  {
    name: 'resizeNearestNeighbor',
    shapes: [[1, 3, 3, 2]],
    op: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 6]),
  },
  {
    name: 'resizeBilinear',
    shapes: [[2, 3, 3, 2]],
    op: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [5, 5]),
  },
  {
    name: 'resizeBilinear alignCorners',
    shapes: [[1, 4, 4, 1]],
    op: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [7, 7], true),
  },
  {
    name: 'batchNorm',
    shapes: [[4, 3], [3], [3], [3], [3]],
    op: (x, m, v, o, s) => tf.batchNorm(x, m, v, o, s, 1e-3),
    map: (v, i) => (i === 2 ? pos(v) : v),
  },
  {
    name: 'localResponseNormalization',
    shapes: [[1, 3, 3, 6]],
    op: (x) => tf.localResponseNormalization(x as tf.Tensor4D, 2),
  },
  {
    name: 'spaceToBatchND',
    shapes: [[1, 4, 4, 2]],
    op: (x) =>
      tf.spaceToBatchND(
        x,
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
  },
  {
    name: 'batchToSpaceND',
    shapes: [[4, 2, 2, 1]],
    op: (x) =>
      tf.batchToSpaceND(
        x,
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
  },
];

/**
 * Linear ops whose cpu gradient kernels are wrong in tfjs-backend-cpu 4.22 (ResizeNearestNeighborGrad
 * with batch > 1, ResizeBilinearGrad with height != width): the reference is J^T r from the
 * forward op applied to every basis vector. (halfPixelCenters gradients are wrong on both.)
 */
const LINEAR_CASES: GradCase[] = [
  {
    name: 'resizeNearestNeighbor batch 2, non-square',
    shapes: [[2, 3, 4, 2]],
    op: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 7]),
  },
  {
    name: 'resizeBilinear batch 2, non-square',
    shapes: [[2, 3, 4, 2]],
    op: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [5, 7]),
  },
];

describe('gradients on wasm match cpu: convolutions, pools, gathers', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  for (const c of CASES)
    it(c.name, async () => {
      const cpu = await runOn('cpu', () => inputGradients(c));
      const wasm = await runOn('wasm', () => inputGradients(c));
      expect(wasm.length).toBe(cpu.length);
      wasm.forEach((w, i) => {
        expect(relativeError(w, cpu[i] as never), `input ${i}`).toBeLessThanOrEqual(TOLERANCE);
      });
    });
});

describe('gradients of linear ops on wasm match their forward pass', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  for (const c of LINEAR_CASES)
    it(c.name, async () => {
      const [grad, reference] = await runOn('wasm', () => [
        ...inputGradients(c),
        transposedJacobian(c),
      ]);
      expect(relativeError(grad as never, reference as never)).toBeLessThanOrEqual(TOLERANCE);
    });
});
