import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { randomValues, runBareOnWasm, wasmError } from '../test-utils/cross-backend.js';
import {
  type ConvCase as Case,
  convCases as cases,
  convAttrs,
  convOutShape as outputShape,
  type Pad,
  randomTensor,
  type Shape4,
  TOLERANCE,
} from '../test-utils/kernel-cases.js';
import { tf } from '../tf.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';

/** The filter of `c` with d-1 zero taps between its taps: the undilated equivalent. */
function spread(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, ci, co] = w.shape;
  const big: Shape4 = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, co];
  const src = w.dataSync();
  const out = new Float32Array(tf.util.sizeFromShape(big));
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < ci * co; k++)
        out[((i * dh * big[1] + j * dw) * ci * co + k) as number] = src[
          (i * kw + j) * ci * co + k
        ] as number;
  return tf.tensor4d(out, big);
}

/**
 * Conv2DBackpropInput of `c` on the current backend; `undilated` runs it with the spread filter
 * and no dilations instead (the cpu kernel ignores dilations).
 */
function runCase(c: Case, seed: number, undilated = false): tf.Tensor {
  let filter = randomTensor(c.filter, seed) as tf.Tensor4D;
  let dy = randomTensor(outputShape(c), seed + 1);
  if (undilated) filter = spread(filter, c.dilations);
  let inputShape = c.x;
  if (c.format === 'NCHW') {
    dy = tf.transpose(dy, [0, 3, 1, 2]);
    inputShape = [c.x[0], c.x[3], c.x[1], c.x[2]];
  }
  const attrs = { ...convAttrs(c), inputShape, dilations: undilated ? [1, 1] : c.dilations };
  return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs as never) as tf.Tensor;
}

const label = (c: Case) => JSON.stringify(c);

async function expectCpuMatch(c: Case, seed: number, undilatedReference = false): Promise<void> {
  const error = await wasmError(
    () => runCase(c, seed),
    () => runCase(c, seed, undilatedReference),
  );
  expect(error, label(c)).toBeLessThanOrEqual(TOLERANCE);
}

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('matches the cpu kernel on random shapes, strides and paddings', async () => {
    for (const [i, c] of cases(80, 5, false).entries()) await expectCpuMatch(c, i);
  });

  it('matches the cpu kernel on 1x1 filters with strides and paddings', async () => {
    const cs = cases(200, 19, false).filter((c) => c.filter[0] === 1 && c.filter[1] === 1);
    expect(cs.length).toBeGreaterThan(4);
    for (const [i, c] of cs.entries()) await expectCpuMatch(c, i);
  });

  // Every stride residue of dx: taps fewer than, equal to and more than the stride, paddings
  // larger than the stride, rounding up (dy rows reaching past the input).
  it('matches the cpu kernel on strided filters of every size against the stride', async () => {
    const grid: Case[] = [];
    for (const k of [1, 2, 3, 4, 5])
      for (const s of [2, 3])
        for (const pad of [
          'same',
          'valid',
          1,
          3,
          [
            [0, 0],
            [0, 2],
            [3, 1],
            [0, 0],
          ],
        ] as Pad[])
          grid.push({
            x: [2, 7 + s, 9 - s, 3],
            filter: [k, 6 - k, 3, 2],
            strides: [s, 5 - s],
            dilations: [1, 1],
            pad,
            ...(typeof pad === 'number' ? { round: 'ceil' as const } : {}),
          });
    const legal = grid.filter((c) => outputShape(c).every((n) => n > 0));
    expect(legal.length).toBeGreaterThan(40);
    for (const [i, c] of legal.entries()) await expectCpuMatch(c, i);
  });

  it('matches the cpu kernel on ResNet and LeNet shapes', async () => {
    const shapes: Case[] = [
      {
        x: [2, 16, 16, 16],
        filter: [3, 3, 16, 16],
        strides: [1, 1],
        dilations: [1, 1],
        pad: 'same',
      },
      {
        x: [2, 16, 16, 16],
        filter: [3, 3, 16, 32],
        strides: [2, 2],
        dilations: [1, 1],
        pad: 'same',
      },
      {
        x: [3, 18, 18, 16],
        filter: [3, 3, 16, 32],
        strides: [2, 2],
        dilations: [1, 1],
        pad: 'valid',
      },
      {
        x: [2, 17, 15, 8],
        filter: [1, 1, 8, 24],
        strides: [2, 2],
        dilations: [1, 1],
        pad: 'valid',
      },
      { x: [2, 28, 28, 1], filter: [5, 5, 1, 6], strides: [1, 1], dilations: [1, 1], pad: 'same' },
      {
        x: [2, 14, 14, 6],
        filter: [5, 5, 6, 16],
        strides: [1, 1],
        dilations: [1, 1],
        pad: 'valid',
      },
      { x: [1, 9, 9, 3], filter: [7, 7, 3, 8], strides: [2, 2], dilations: [1, 1], pad: 3 },
    ];
    for (const [i, c] of shapes.entries()) await expectCpuMatch(c, i);
  });

  it('matches the cpu kernel for NCHW inputs', async () => {
    for (const [i, c] of cases(8, 11, false).entries())
      await expectCpuMatch({ ...c, format: 'NCHW' }, i);
  });

  it('handles dilations (against the cpu kernel with the spread, undilated filter)', async () => {
    for (const [i, c] of cases(16, 13, true).entries()) await expectCpuMatch(c, i, true);
  });

  it('is the gradient of conv2d and of conv2dTranspose', async () => {
    const f = () => {
      const x = tf.tensor4d(randomValues(2 * 9 * 7 * 3, 1), [2, 9, 7, 3]);
      const w = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
      const dx = tf.grad((v) => tf.sum(tf.square(tf.conv2d(v as tf.Tensor4D, w, 2, 'same'))))(x);
      const t = tf.conv2dTranspose(
        tf.slice(x, [0, 0, 0, 0], [2, 5, 4, 3]),
        w.transpose([0, 1, 3, 2]) as tf.Tensor4D,
        [2, 10, 8, 4],
        2,
        'same',
      );
      return [dx, t];
    };
    expect(await wasmError(f)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('takes bare TensorInfos and leaves them and the tensor count intact', async () => {
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] };
    const shapes = { dy: [2, 3, 3, 4], filter: [3, 3, 3, 4] };
    const run = await runBareOnWasm(conv2dBackpropInputKernel, shapes, attrs, 2);
    expect(run).toEqual({ shape: [2, 6, 6, 3], added: 1, intact: true });
  });
});
