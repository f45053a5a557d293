import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, runBare, wasmError } from '../test-utils/cross-backend.js';
import {
  type PoolCase as Case,
  poolInfo as info,
  pick,
  randomPoolCase,
  randomTensor,
  TOLERANCE,
} from '../test-utils/kernel-cases.js';
import { tf } from '../tf.js';
import { avgPoolGradKernel } from './avg-pool-grad.js';

function cases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  const out: Case[] = [];
  while (out.length < count) {
    const c = randomPoolCase(rng, () => pick(rng, [1, 1 + rng.int(8)]));
    if (info(c).outShape.every((n) => n > 0)) out.push(c);
  }
  return out;
}

/** AvgPoolGrad of `c` on the current backend (the kernels read only the input's shape). */
function grad(c: Case, seed: number): tf.Tensor {
  const input = randomTensor(c.x, seed);
  const dy = randomTensor(info(c).outShape, seed + 1);
  const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
  return tf.engine().runKernel(tf.AvgPoolGrad, { dy, input }, attrs as never) as tf.Tensor;
}

describe('AvgPoolGrad on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel on random windows, strides and paddings', async () => {
    for (const [i, c] of cases(80, 23).entries()) {
      expect(await wasmError(() => grad(c, i)), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE);
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
      expect(await wasmError(() => grad(c, i)), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('is the gradient of avgPool on LeNet-5 shapes', async () => {
    const f = () => {
      const x = tf.tensor4d(randomValues(3 * 28 * 28 * 6, 1), [3, 28, 28, 6]);
      const w = tf.tensor4d(randomValues(3 * 14 * 14 * 6, 2), [3, 14, 14, 6]);
      return tf.grad((v) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, 2, 2, 'valid'), w)))(x);
    };
    expect(await wasmError(f)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('takes bare TensorInfos and leaves the tensor count intact', async () => {
    await tf.setBackend('wasm');
    const input = tf.zeros([2, 6, 6, 3]);
    const dy = tf.ones([2, 3, 3, 3]);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    const { out, added } = runBare(avgPoolGradKernel, { dy, input }, attrs);
    expect(Array.from(out.dataSync())).toEqual(new Array(2 * 6 * 6 * 3).fill(0.25));
    expect(added).toBe(1);
    tf.dispose([out, input, dy]);
  });
});
