import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, relativeError, runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';
import { avgPoolGradKernel } from './avg-pool-grad.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  x: Shape4;
  filterSize: [number, number];
  strides: [number, number];
  pad: Pad;
}

const TOLERANCE = 1e-4;

function cases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)] as T;
  const out: Case[] = [];
  while (out.length < count) {
    const filterSize: [number, number] = [1 + rng.int(4), 1 + rng.int(4)];
    const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const x: Shape4 = [pick([1, 2, 3]), 3 + rng.int(8), 3 + rng.int(8), pick([1, 1 + rng.int(8)])];
    const side = () => rng.int(2);
    const pad = pick<Pad>([
      'same',
      'valid',
      side(),
      [
        [0, 0],
        [side(), side()],
        [side(), side()],
        [0, 0],
      ],
    ]);
    const c: Case = { x, filterSize, strides, pad };
    if (info(c).outShape.every((n) => n > 0)) out.push(c);
  }
  return out;
}

const info = (c: Case) => tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);

/** AvgPoolGrad of `c` on the current backend (the kernels read only the input's shape). */
function grad(c: Case, seed: number): tf.Tensor {
  const input = tf.tensor4d(randomValues(tf.util.sizeFromShape(c.x), seed), c.x);
  const outShape = info(c).outShape;
  const dy = tf.tensor(randomValues(tf.util.sizeFromShape(outShape), seed + 1), outShape);
  const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
  return tf.engine().runKernel(tf.AvgPoolGrad, { dy, input }, attrs as never) as tf.Tensor;
}

describe('AvgPoolGrad on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel on random windows, strides and paddings', async () => {
    for (const [i, c] of cases(80, 23).entries()) {
      const cpu = await runOn('cpu', () => grad(c, i));
      const wasm = await runOn('wasm', () => grad(c, i));
      expect(
        relativeError(wasm[0] as never, cpu[0] as never),
        JSON.stringify(c),
      ).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('matches the cpu kernel on windows that tile the input (the resize path)', async () => {
    const tiling: Case[] = [
      { x: [2, 8, 8, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
      { x: [1, 9, 7, 2], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
      { x: [3, 9, 7, 5], filterSize: [2, 2], strides: [2, 2], pad: 'same' },
      { x: [2, 13, 11, 1], filterSize: [4, 2], strides: [4, 2], pad: 'valid' },
      { x: [2, 17, 8, 4], filterSize: [8, 1], strides: [8, 1], pad: 'valid' },
      { x: [1, 6, 6, 3], filterSize: [1, 1], strides: [1, 1], pad: 'same' },
      { x: [2, 9, 9, 2], filterSize: [3, 3], strides: [3, 3], pad: 'valid' },
    ];
    for (const [i, c] of tiling.entries()) {
      const cpu = await runOn('cpu', () => grad(c, i));
      const wasm = await runOn('wasm', () => grad(c, i));
      expect(
        relativeError(wasm[0] as never, cpu[0] as never),
        JSON.stringify(c),
      ).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('is the gradient of avgPool on LeNet-5 shapes', async () => {
    const f = () => {
      const x = tf.tensor4d(randomValues(3 * 28 * 28 * 6, 1), [3, 28, 28, 6]);
      const w = tf.tensor4d(randomValues(3 * 14 * 14 * 6, 2), [3, 14, 14, 6]);
      return tf.grad((v) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, 2, 2, 'valid'), w)))(x);
    };
    const [cpu, wasm] = [await runOn('cpu', f), await runOn('wasm', f)];
    expect(relativeError(wasm[0] as never, cpu[0] as never)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('takes bare TensorInfos and leaves the tensor count intact', async () => {
    await tf.setBackend('wasm');
    const input = tf.zeros([2, 6, 6, 3]);
    const dy = tf.ones([2, 3, 3, 3]);
    const bare = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const before = tf.memory().numTensors;
    const out = avgPoolGradKernel({
      inputs: { dy: bare(dy), input: bare(input) },
      backend: tf.backend(),
      attrs: { filterSize: 2, strides: 2, pad: 'valid' } as never,
    }) as tf.Tensor;
    expect(Array.from(out.dataSync())).toEqual(new Array(2 * 6 * 6 * 3).fill(0.25));
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([out, input, dy]);
  });
});
