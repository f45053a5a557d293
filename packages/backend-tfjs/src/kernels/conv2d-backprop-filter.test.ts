import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { runBareOnWasm, wasmError } from '../test-utils/cross-backend.js';
import {
  type ConvCase as Case,
  convCases as cases,
  convAttrs,
  convOutShape as outputShape,
  randomTensor,
  type Shape4,
  TOLERANCE,
} from '../test-utils/kernel-cases.js';
import { tf } from '../tf.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';

/** Conv2DBackpropFilter of `c` on the current backend, with `filter` as the filter shape. */
function runCase(c: Case, seed: number, filter = c.filter, dilations = c.dilations): tf.Tensor {
  let x = randomTensor(c.x, seed);
  let dy = randomTensor(outputShape(c), seed + 1);
  if (c.format === 'NCHW') {
    x = tf.transpose(x, [0, 3, 1, 2]);
    dy = tf.transpose(dy, [0, 3, 1, 2]);
  }
  const attrs = { ...convAttrs(c), filterShape: filter, dilations };
  return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as never) as tf.Tensor;
}

const label = (c: Case) => JSON.stringify(c);

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel on random shapes, strides and paddings', async () => {
    for (const [i, c] of cases(60, 7, false).entries())
      expect(await wasmError(() => runCase(c, i)), label(c)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches the cpu kernel for NCHW inputs', async () => {
    for (const [i, c] of cases(6, 11, false).entries()) {
      const nchw: Case = { ...c, format: 'NCHW' };
      expect(await wasmError(() => runCase(nchw, i)), label(nchw)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  // The cpu kernel ignores dilations; a dilated filter is the undilated filter of the effective
  // size with zeros between taps, so its gradient is that filter's gradient at every d-th tap.
  it('handles dilations (against the undilated gradient of the effective filter)', async () => {
    for (const [i, c] of cases(12, 13, true).entries()) {
      const [kh, kw, ci, co] = c.filter;
      const [dh, dw] = c.dilations;
      const big: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co];
      const error = await wasmError(
        () => runCase(c, i),
        () => tf.stridedSlice(runCase(c, i, big, [1, 1]), [0, 0, 0, 0], big, [dh, dw, 1, 1]),
      );
      expect(error, label(c)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('takes bare TensorInfos and leaves them and the tensor count intact', async () => {
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };
    const shapes = { x: [2, 6, 6, 3], dy: [2, 6, 6, 4] };
    const run = await runBareOnWasm(conv2dBackpropFilterKernel, shapes, attrs);
    expect(run).toEqual({ shape: [3, 3, 3, 4], added: 1, intact: true });
  });
});
