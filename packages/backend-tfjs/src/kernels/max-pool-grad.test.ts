import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, runOn, wasmError } from '../test-utils/cross-backend.js';
import {
  poolInfo as info,
  type PoolCase,
  pick,
  randomPoolCase,
  randomTensor,
  TOLERANCE,
} from '../test-utils/kernel-cases.js';
import { tf } from '../tf.js';

interface Case extends PoolCase {
  /** Values rounded to multiples of 0.5: many ties, which go to the first maximum. */
  ties?: boolean;
}

function cases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  const out: Case[] = [];
  while (out.length < count) {
    const { x, filterSize, strides, pad } = randomPoolCase(rng, () => 1 + rng.int(8));
    const round =
      typeof pad === 'number' ? pick(rng, [undefined, 'floor', 'round'] as const) : undefined;
    const c: Case = {
      x,
      filterSize,
      strides,
      pad,
      ...(round ? { round } : {}),
      ties: out.length % 4 === 3,
    };
    if (info(c).outShape.every((n) => n > 0)) out.push(c);
  }
  return out;
}

function input(c: Case, seed: number): tf.Tensor4D {
  const values = randomValues(tf.util.sizeFromShape(c.x), seed);
  return tf.tensor4d(c.ties ? values.map((v) => Math.round(v * 2) / 2) : values, c.x);
}

/**
 * MaxPoolGrad of `c` on the current backend. Both kernels find the maxima in the input and
 * ignore `output`, so dy stands in for it: wasm's forward MaxPool overruns its output buffer
 * with explicit padding, and with number padding on non-square windows.
 */
function grad(c: Case, seed: number): tf.Tensor {
  const x = input(c, seed);
  const attrs = {
    filterSize: c.filterSize,
    strides: c.strides,
    pad: c.pad,
    dimRoundingMode: c.round,
  };
  const dy = randomTensor(info(c).outShape, seed + 1);
  return tf
    .engine()
    .runKernel(tf.MaxPoolGrad, { dy, input: x, output: dy }, attrs as never) as tf.Tensor;
}

describe('MaxPoolGrad on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel, windows of negative values and ties included', async () => {
    for (const [i, c] of cases(60, 17).entries()) {
      expect(await wasmError(() => grad(c, i)), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('matches the cpu kernel on 1x1 windows (strided subsamples), ties included', async () => {
    const subsamples: Case[] = [
      { x: [2, 8, 8, 4], filterSize: [1, 1], strides: [2, 2], pad: 'valid' },
      { x: [3, 9, 7, 2], filterSize: [1, 1], strides: [2, 3], pad: 'valid' },
      { x: [1, 7, 7, 3], filterSize: [1, 1], strides: [3, 2], pad: 'same' },
      { x: [2, 5, 6, 1], filterSize: [1, 1], strides: [1, 1], pad: 'valid', ties: true },
      {
        x: [2, 6, 5, 2],
        filterSize: [1, 1],
        strides: [2, 2],
        pad: [
          [0, 0],
          [0, 1],
          [0, 2],
          [0, 0],
        ],
      },
      {
        x: [2, 6, 5, 2],
        filterSize: [1, 1],
        strides: [2, 2],
        pad: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      },
    ];
    for (const [i, c] of subsamples.entries()) {
      expect(await wasmError(() => grad(c, i)), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('routes the gradient of an all-negative window (tfjs-backend-wasm 4.22 drops it)', async () => {
    const [g] = await runOn('wasm', () => {
      const x = tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1]);
      const y = tf.maxPool(x, 2, 2, 'valid');
      return tf
        .engine()
        .runKernel(
          tf.MaxPoolGrad,
          { dy: tf.onesLike(y), input: x, output: y },
          { filterSize: 2, strides: 2, pad: 'valid' },
        ) as tf.Tensor;
    });
    expect(g?.values).toEqual([0, 1, 0, 0]);
  });
});
