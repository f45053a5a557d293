import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, relativeError, runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';

interface Case {
  rows: number;
  inner: number[];
  segments: number;
  dtype: 'float32' | 'int32';
  /** Ids drawn from [-2, segments + 2): some out of range, which are dropped. */
  outOfRange: boolean;
}

const TOLERANCE = 1e-4;

function ids(c: Case, seed: number): Int32Array {
  const rng = new Rng(seed);
  const span = c.outOfRange ? c.segments + 4 : c.segments;
  const shift = c.outOfRange ? 2 : 0;
  return Int32Array.from({ length: c.rows }, () => rng.int(span) - shift);
}

function segmentSum(c: Case, seed: number): tf.Tensor {
  const shape = [c.rows, ...c.inner];
  const values = randomValues(tf.util.sizeFromShape(shape), seed);
  const x =
    c.dtype === 'int32'
      ? tf.tensor(
          Int32Array.from(values, (v) => Math.round(v * 50)),
          shape,
          'int32',
        )
      : tf.tensor(values, shape);
  const segmentIds = tf.tensor1d(ids(c, seed + 1), 'int32');
  const attrs = { numSegments: c.segments };
  return tf.engine().runKernel(tf.UnsortedSegmentSum, { x, segmentIds }, attrs) as tf.Tensor;
}

function cases(count: number, seed: number): Case[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    rows: 1 + rng.int(40),
    inner: [[], [1 + rng.int(6)], [1 + rng.int(4), 1 + rng.int(4)]][i % 3] as number[],
    segments: 1 + rng.int(20),
    dtype: i % 4 === 3 ? 'int32' : 'float32',
    outOfRange: i % 2 === 1,
  }));
}

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel, dropping ids out of range', async () => {
    for (const [i, c] of cases(40, 21).entries()) {
      const cpu = await runOn('cpu', () => segmentSum(c, i));
      const wasm = await runOn('wasm', () => segmentSum(c, i));
      expect(wasm[0]?.shape).toEqual([c.segments, ...c.inner]);
      expect(
        relativeError(wasm[0] as never, cpu[0] as never),
        JSON.stringify(c),
      ).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('matches the cpu kernel on an embedding-sized gradient', async () => {
    const c: Case = { rows: 640, inner: [16], segments: 300, dtype: 'float32', outOfRange: false };
    const cpu = await runOn('cpu', () => segmentSum(c, 1));
    const wasm = await runOn('wasm', () => segmentSum(c, 1));
    expect(relativeError(wasm[0] as never, cpu[0] as never)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives zeros for empty input', async () => {
    const [out] = await runOn(
      'wasm',
      () =>
        tf
          .engine()
          .runKernel(
            tf.UnsortedSegmentSum,
            { x: tf.zeros([0, 3]), segmentIds: tf.tensor1d([], 'int32') },
            { numSegments: 4 },
          ) as tf.Tensor,
    );
    expect(out).toEqual({ shape: [4, 3], values: new Array(12).fill(0) });
  });
});
