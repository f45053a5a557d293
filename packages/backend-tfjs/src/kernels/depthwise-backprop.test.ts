import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { randomValues, relativeError, runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
  round?: 'floor' | 'ceil' | 'round';
}

const TOLERANCE = 1e-4;

/** Random legal cases: strides or dilations 1, channel multiplier 1-2, at least one output. */
function cases(count: number, seed: number, dilate: boolean): Case[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)] as T;
  const out: Case[] = [];
  while (out.length < count) {
    const filter: Shape4 = [1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(8), 1 + rng.int(2)];
    const dilations: [number, number] = dilate ? [2, 1 + rng.int(2)] : [1, 1];
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
    if (outShape(c).every((n) => n > 0)) out.push(c);
  }
  return out;
}

const outShape = (c: Case) =>
  tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, c.round, true)
    .outShape;

const attrsOf = (c: Case, dilations: [number, number]) => ({
  strides: c.strides,
  dilations,
  pad: c.pad,
  dimRoundingMode: c.round,
});

const random4 = (shape: Shape4, seed: number) =>
  tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape) as tf.Tensor4D;

/** The filter gradient on the current backend (filter shape `filter`, dilations `d`). */
function filterGrad(c: Case, seed: number, filter = c.filter, d = c.dilations): tf.Tensor {
  const inputs = { x: random4(c.x, seed), dy: random4(outShape(c) as Shape4, seed + 1) };
  const attrs = { ...attrsOf(c, d), filterShape: filter };
  return tf
    .engine()
    .runKernel(tf.DepthwiseConv2dNativeBackpropFilter, inputs, attrs as never) as tf.Tensor;
}

/** The input gradient on the current backend (with `filter` in place of the case's). */
function inputGrad(c: Case, seed: number, filter?: tf.Tensor4D, d = c.dilations): tf.Tensor {
  const inputs = {
    dy: random4(outShape(c) as Shape4, seed + 1),
    filter: filter ?? random4(c.filter, seed + 2),
  };
  const attrs = { ...attrsOf(c, d), inputShape: c.x };
  return tf
    .engine()
    .runKernel(tf.DepthwiseConv2dNativeBackpropInput, inputs, attrs as never) as tf.Tensor;
}

/** The dilated filter as the undilated filter of the effective size: zeros between taps. */
function spread(filter: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, c, m] = filter.shape;
  const gaps = tf.pad(tf.reshape(filter, [kh, 1, kw, 1, c, m]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  const full = tf.reshape(gaps, [kh * dh, kw * dw, c, m]) as tf.Tensor4D;
  return tf.slice(full, [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, m]);
}

const effective = (c: Case): Shape4 => [
  (c.filter[0] - 1) * c.dilations[0] + 1,
  (c.filter[1] - 1) * c.dilations[1] + 1,
  c.filter[2],
  c.filter[3],
];

const label = (c: Case) => JSON.stringify(c);

describe('depthwise convolution gradients on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('DepthwiseConv2dNativeBackpropFilter matches the cpu kernel', async () => {
    for (const [i, c] of cases(50, 3, false).entries()) {
      const cpu = await runOn('cpu', () => filterGrad(c, i));
      const wasm = await runOn('wasm', () => filterGrad(c, i));
      expect(relativeError(wasm[0] as never, cpu[0] as never), label(c)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  });

  it('DepthwiseConv2dNativeBackpropInput matches the cpu kernel', async () => {
    for (const [i, c] of cases(50, 5, false).entries()) {
      const cpu = await runOn('cpu', () => inputGrad(c, i));
      const wasm = await runOn('wasm', () => inputGrad(c, i));
      expect(relativeError(wasm[0] as never, cpu[0] as never), label(c)).toBeLessThanOrEqual(
        TOLERANCE,
      );
    }
  });

  // The cpu kernels ignore dilations, so the reference is the undilated kernel on the
  // effective filter: its gradient sampled at every d-th tap, or the filter spread with zeros.
  it('handles dilations in both gradients', async () => {
    for (const [i, c] of cases(16, 9, true).entries()) {
      const big = effective(c);
      const [dh, dw] = c.dilations;
      const refFilter = await runOn('cpu', () =>
        tf.stridedSlice(filterGrad(c, i, big, [1, 1]), [0, 0, 0, 0], big, [dh, dw, 1, 1]),
      );
      const wasmFilter = await runOn('wasm', () => filterGrad(c, i));
      expect(
        relativeError(wasmFilter[0] as never, refFilter[0] as never),
        label(c),
      ).toBeLessThanOrEqual(TOLERANCE);
      const refInput = await runOn('cpu', () =>
        inputGrad(c, i, spread(random4(c.filter, i + 2), c.dilations), [1, 1]),
      );
      const wasmInput = await runOn('wasm', () => inputGrad(c, i));
      expect(
        relativeError(wasmInput[0] as never, refInput[0] as never),
        label(c),
      ).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
