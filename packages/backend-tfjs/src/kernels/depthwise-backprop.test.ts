import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { wasmError } from '../test-utils/cross-backend.js';
import {
  type ConvCase as Case,
  convCases,
  convOutShape,
  randomTensor,
  type Shape4,
  TOLERANCE,
} from '../test-utils/kernel-cases.js';
import { tf } from '../tf.js';

/** Random legal depthwise cases: channel multiplier 1-2. */
const cases = (count: number, seed: number, dilate: boolean) =>
  convCases(count, seed, dilate, true);

const outShape = (c: Case) => convOutShape(c, true);

const attrsOf = (c: Case, dilations: [number, number]) => ({
  strides: c.strides,
  dilations,
  pad: c.pad,
  dimRoundingMode: c.round,
});

const random4 = (shape: Shape4, seed: number) => randomTensor(shape, seed) as tf.Tensor4D;

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
      expect(await wasmError(() => filterGrad(c, i)), label(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('DepthwiseConv2dNativeBackpropInput matches the cpu kernel', async () => {
    for (const [i, c] of cases(50, 5, false).entries()) {
      expect(await wasmError(() => inputGrad(c, i)), label(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  // The cpu kernels ignore dilations, so the reference is the undilated kernel on the
  // effective filter: its gradient sampled at every d-th tap, or the filter spread with zeros.
  it('handles dilations in both gradients', async () => {
    for (const [i, c] of cases(16, 9, true).entries()) {
      const big = effective(c);
      const [dh, dw] = c.dilations;
      const filterError = await wasmError(
        () => filterGrad(c, i),
        () => tf.stridedSlice(filterGrad(c, i, big, [1, 1]), [0, 0, 0, 0], big, [dh, dw, 1, 1]),
      );
      expect(filterError, label(c)).toBeLessThanOrEqual(TOLERANCE);
      const inputError = await wasmError(
        () => inputGrad(c, i),
        () => inputGrad(c, i, spread(random4(c.filter, i + 2), c.dilations), [1, 1]),
      );
      expect(inputError, label(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
