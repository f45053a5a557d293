// Gradients of elementwise, reduction and shape ops on wasm against cpu. Left out, as tfjs
// gets them wrong on every backend: broadcasting in the gradients of minimum, maximum,
// squaredDifference and batched matMul, cumsum over a non-last axis, and prod (its gradient
// calls a chained op, which this package does not register).

// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import {
  type GradCase,
  inputGradients,
  relativeError,
  runOn,
} from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';

const TOLERANCE = 1e-4;

const pos = (v: number) => v + 1.5;

const CASES: GradCase[] = [
  { name: 'tile', shapes: [[2, 3]], op: (x) => tf.tile(x, [3, 2]) },
  {
    name: 'pad',
    shapes: [[2, 3]],
    op: (x) =>
      tf.pad(
        x,
        [
          [1, 2],
          [0, 3],
        ],
        0.5,
      ),
  },
  {
    name: 'mirrorPad reflect',
    shapes: [[4, 5]],
    op: (x) =>
      tf.mirrorPad(
        x,
        [
          [1, 2],
          [2, 1],
        ],
        'reflect',
      ),
  },
  {
    name: 'mirrorPad symmetric',
    shapes: [[4, 5]],
    op: (x) =>
      tf.mirrorPad(
        x,
        [
          [1, 2],
          [2, 1],
        ],
        'symmetric',
      ),
  },
  { name: 'cumsum', shapes: [[3, 5]], op: (x) => tf.cumsum(x, 1) },
  { name: 'cumsum exclusive reverse', shapes: [[3, 5]], op: (x) => tf.cumsum(x, 1, true, true) },
  { name: 'softmax', shapes: [[4, 6]], op: (x) => tf.softmax(x) },
  { name: 'logSoftmax', shapes: [[4, 6]], op: (x) => tf.logSoftmax(x) },
  { name: 'logSumExp', shapes: [[4, 6]], op: (x) => tf.logSumExp(x, 1) },
  { name: 'sigmoid', shapes: [[10]], op: (x) => tf.sigmoid(x) },
  { name: 'tanh', shapes: [[10]], op: (x) => tf.tanh(x) },
  { name: 'erf', shapes: [[10]], op: (x) => tf.erf(x) },
  { name: 'selu', shapes: [[10]], op: (x) => tf.selu(x) },
  { name: 'elu', shapes: [[10]], op: (x) => tf.elu(x) },
  { name: 'relu', shapes: [[10]], op: (x) => tf.relu(x) },
  { name: 'relu6', shapes: [[10]], op: (x) => tf.relu6(tf.mul(x, 8)) },
  { name: 'leakyRelu', shapes: [[10]], op: (x) => tf.leakyRelu(x, 0.2) },
  { name: 'prelu', shapes: [[3, 4], [4]], op: (x, a) => tf.prelu(x, a) },
  { name: 'softplus', shapes: [[10]], op: (x) => tf.softplus(x) },
  {
    name: 'exp log log1p',
    shapes: [[10]],
    op: (x) => tf.add(tf.exp(x), tf.add(tf.log(x), tf.log1p(x))),
    map: pos,
  },
  {
    name: 'sin cos atan',
    shapes: [[10]],
    op: (x) => tf.add(tf.sin(x), tf.mul(tf.cos(x), tf.atan(x))),
  },
  { name: 'atan2', shapes: [[6], [6]], op: (a, b) => tf.atan2(a, b) },
  {
    name: 'batchMatMul',
    shapes: [
      [3, 4, 5],
      [3, 5, 2],
    ],
    op: (a, b) => tf.matMul(a, b),
  },
  {
    name: 'matMul transposed',
    shapes: [
      [5, 4],
      [3, 5],
    ],
    op: (a, b) => tf.matMul(a, b, true, true),
  },
  { name: 'transpose', shapes: [[2, 3, 4]], op: (x) => tf.transpose(x, [2, 0, 1]) },
  {
    name: 'concat',
    shapes: [
      [2, 3],
      [2, 4],
    ],
    op: (a, b) => tf.concat([a, b], 1),
  },
  {
    name: 'stack',
    shapes: [
      [2, 3],
      [2, 3],
    ],
    op: (a, b) => tf.stack([a, b], 1),
  },
  { name: 'slice', shapes: [[4, 5]], op: (x) => tf.slice(x, [1, 2], [2, 3]) },
  {
    name: 'split',
    shapes: [[4, 6]],
    op: (x) => {
      const [a, b] = tf.split(x, [2, 4], 1);
      return tf.add(tf.sum(a as tf.Tensor), tf.mul(tf.sum(b as tf.Tensor), 2));
    },
  },
  { name: 'reverse', shapes: [[3, 4]], op: (x) => tf.reverse(x, 1) },
  {
    name: 'sum mean',
    shapes: [[3, 4, 2]],
    op: (x) => tf.add(tf.sum(x, [0, 2]), tf.mean(x, [0, 2])),
  },
  { name: 'max min', shapes: [[3, 5]], op: (x) => tf.add(tf.max(x, 1), tf.min(x, 1)) },
  { name: 'norm', shapes: [[3, 4]], op: (x) => tf.norm(x) },
  {
    name: 'minimum maximum',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    op: (a, b) => tf.add(tf.minimum(a, b), tf.maximum(a, b)),
  },
  {
    name: 'pow',
    shapes: [[6], [6]],
    op: (a, b) => tf.pow(a, b),
    map: (v, i) => (i === 0 ? pos(v) : v * 2),
  },
  { name: 'sqrt rsqrt', shapes: [[8]], op: (x) => tf.add(tf.sqrt(x), tf.rsqrt(x)), map: pos },
  {
    name: 'where',
    shapes: [[8], [8]],
    op: (a, b) => tf.where(tf.tensor1d([1, 0, 0, 1, 1, 0, 1, 0], 'bool'), a, b),
  },
  { name: 'clipByValue', shapes: [[12]], op: (x) => tf.clipByValue(x, -0.5, 0.4) },
  {
    name: 'abs sign square',
    shapes: [[10]],
    op: (x) => tf.add(tf.abs(x), tf.mul(tf.sign(x), tf.square(x))),
  },
  {
    name: 'squaredDifference',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    op: (a, b) => tf.squaredDifference(a, b),
  },
  {
    name: 'div sub broadcast',
    shapes: [
      [3, 4],
      [3, 1],
    ],
    op: (a, b) => tf.sub(tf.div(a, b), b),
    map: (v, i) => (i === 1 ? pos(v) : v),
  },
  {
    name: 'floorDiv mod',
    shapes: [[6], [6]],
    op: (a, b) => tf.add(tf.floorDiv(a, b), tf.mod(a, b)),
    map: (v, i) => (i === 1 ? pos(v) : v * 5),
  },
  {
    name: 'reshape expandDims squeeze',
    shapes: [[2, 6]],
    op: (x) => tf.squeeze(tf.expandDims(tf.reshape(x, [3, 4]), 1)),
  },
  { name: 'cast step', shapes: [[6]], op: (x) => tf.mul(tf.step(x), tf.cast(x, 'float32')) },
];

describe('gradients on wasm match cpu: elementwise, reductions, shapes', () => {
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
