import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, relativeError, runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
  round?: 'floor' | 'ceil' | 'round';
  format?: 'NCHW';
}

const TOLERANCE = 1e-4;

/** Random legal cases: tfjs wants strides or dilations to be 1, and at least one output. */
function cases(count: number, seed: number, dilate: boolean): Case[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)] as T;
  const out: Case[] = [];
  while (out.length < count) {
    const filter: Shape4 = [1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(8), 1 + rng.int(8)];
    const dilations: [number, number] = dilate ? [1 + rng.int(2), 2] : [1, 1];
    const strides: [number, number] = dilate ? [1, 1] : [1 + rng.int(3), 1 + rng.int(3)];
    const x: Shape4 = [pick([1, 1, 2, 3]), 4 + rng.int(9), 4 + rng.int(9), filter[2]];
    const side = () => rng.int(3);
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
    const round =
      typeof pad === 'number' ? pick([undefined, 'floor', 'ceil', 'round'] as const) : undefined;
    const c: Case = { x, filter, strides, dilations, pad, ...(round ? { round } : {}) };
    if (outputShape(c).every((n) => n > 0)) out.push(c);
  }
  return out;
}

const info = (c: Case) =>
  tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, c.round);
const outputShape = (c: Case) => info(c).outShape;

/** Conv2DBackpropFilter of `c` on the current backend, with `filter` as the filter shape. */
function runCase(c: Case, seed: number, filter = c.filter, dilations = c.dilations): tf.Tensor {
  let x = tf.tensor4d(randomValues(tf.util.sizeFromShape(c.x), seed), c.x);
  const dyShape = outputShape(c);
  let dy = tf.tensor4d(randomValues(tf.util.sizeFromShape(dyShape), seed + 1), dyShape);
  if (c.format === 'NCHW') {
    x = tf.transpose(x, [0, 3, 1, 2]);
    dy = tf.transpose(dy, [0, 3, 1, 2]);
  }
  // NCHW's explicit padding lists the axes in its own order.
  const p = c.pad;
  const pad = c.format === 'NCHW' && Array.isArray(p) ? [p[0], p[3], p[1], p[2]] : p;
  const attrs = {
    strides: c.strides,
    pad,
    dataFormat: c.format ?? 'NHWC',
    dimRoundingMode: c.round,
    filterShape: filter,
    dilations,
  };
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as never) as tf.Tensor;
}

const label = (c: Case) => JSON.stringify(c);

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel on random shapes, strides and paddings', async () => {
    for (const [i, c] of cases(60, 7, false).entries()) {
      const [cpu, wasm] = [
        await runOn('cpu', () => runCase(c, i)),
        await runOn('wasm', () => runCase(c, i)),
      ];
      expect(relativeError(wasm[0] as never, cpu[0] as never), label(c)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  });

  it('matches the cpu kernel for NCHW inputs', async () => {
    for (const [i, c] of cases(6, 11, false).entries()) {
      const nchw: Case = { ...c, format: 'NCHW' };
      const [cpu, wasm] = [
        await runOn('cpu', () => runCase(nchw, i)),
        await runOn('wasm', () => runCase(nchw, i)),
      ];
      expect(relativeError(wasm[0] as never, cpu[0] as never), label(nchw)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  });

  // The cpu kernel ignores dilations; a dilated filter is the undilated filter of the effective
  // size with zeros between taps, so its gradient is that filter's gradient at every d-th tap.
  it('handles dilations (against the undilated gradient of the effective filter)', async () => {
    for (const [i, c] of cases(12, 13, true).entries()) {
      const [kh, kw, ci, co] = c.filter;
      const [dh, dw] = c.dilations;
      const big: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co];
      const ref = await runOn('cpu', () =>
        tf.stridedSlice(runCase(c, i, big, [1, 1]), [0, 0, 0, 0], big, [dh, dw, 1, 1]),
      );
      const wasm = await runOn('wasm', () => runCase(c, i));
      expect(relativeError(wasm[0] as never, ref[0] as never), label(c)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  });

  it('takes bare TensorInfos and leaves them and the tensor count intact', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(randomValues(2 * 6 * 6 * 3, 1), [2, 6, 6, 3]);
    const dy = tf.tensor4d(randomValues(2 * 6 * 6 * 4, 2), [2, 6, 6, 4]);
    const bare = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const before = tf.memory().numTensors;
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };
    const out = conv2dBackpropFilterKernel({
      inputs: { x: bare(x), dy: bare(dy) },
      backend: tf.backend(),
      attrs: attrs as never,
    }) as tf.Tensor;
    expect(out.shape).toEqual([3, 3, 3, 4]);
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
    expect(x.dataSync().length).toBe(2 * 6 * 6 * 3);
    tf.dispose([x, dy]);
  });
});
