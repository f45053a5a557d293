import { tf } from '../tf.js';
import type { LayerImpl } from './kind.js';

type Pair = [number, number];
type Padding = 'valid' | 'same';

const pair = (v: number | readonly [number, number]): Pair =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

const only = (inputs: tf.Tensor[]) => inputs[0] as tf.Tensor;

/** TF's `same` padding of one axis: [before, after] with the odd row after. */
function samePads(n: number, size: number, stride: number): Pair {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + size - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** How many real (unpadded) inputs each window of one axis covers. */
function counts(n: number, size: number, stride: number, before: number): number[] {
  const out = Math.ceil(n / stride);
  return Array.from({ length: out }, (_, i) => {
    const start = i * stride - before;
    return Math.min(start + size, n) - Math.max(start, 0);
  });
}

/**
 * Average pooling with `same` padding that, like Keras, divides by the real inputs of each
 * window. The input is zero-padded explicitly so AvgPool sees only full windows: tfjs's
 * AvgPoolGrad divides by the full window even where its forward pass did not.
 */
function avgPoolSame(x: tf.Tensor4D, size: Pair, strides: Pair): tf.Tensor {
  const [, h, w] = x.shape;
  const rows = samePads(h, size[0], strides[0]);
  const cols = samePads(w, size[1], strides[1]);
  const padded = tf.pad(x, [[0, 0], rows, cols, [0, 0]]);
  const mean = tf.avgPool(padded, size, strides, 'valid');
  // (outH, outW, 1): window size over real count, so mean * scale = sum / count
  const ch = counts(h, size[0], strides[0], rows[0]);
  const cw = counts(w, size[1], strides[1], cols[0]);
  const full = size[0] * size[1];
  const scale = ch.flatMap((a) => cw.map((b) => full / (a * b)));
  return tf.mul(mean, tf.tensor3d(scale, [ch.length, cw.length, 1]));
}

function pool2d(kind: 'max' | 'avg', x: tf.Tensor4D, size: Pair, strides: Pair, pad: Padding) {
  if (kind === 'max') return tf.maxPool(x, size, strides, pad);
  return pad === 'valid' ? tf.avgPool(x, size, strides, 'valid') : avgPoolSame(x, size, strides);
}

/** MaxPool1D / AvgPool1D: the 2-D pool on (B, 1, T, C); strides default to the pool size. */
const pool1d = (kind: 'max' | 'avg') => ({
  apply(
    c: { poolSize: number; strides?: number | undefined; padding: Padding },
    inputs: tf.Tensor[],
  ) {
    // (B, T, C) -> (B, 1, T, C)
    const x = tf.expandDims(only(inputs), 1) as tf.Tensor4D;
    const y = pool2d(kind, x, [1, c.poolSize], [1, c.strides ?? c.poolSize], c.padding);
    // (B, 1, T', C) -> (B, T', C)
    return tf.squeeze(y, [1]);
  },
});

type Window = number | readonly [number, number];

/** MaxPool2D / AvgPool2D; strides default to the pool size. */
const pool2dImpl = (kind: 'max' | 'avg') => ({
  apply(
    c: { poolSize: Window; strides?: Window | undefined; padding: Padding },
    inputs: tf.Tensor[],
  ) {
    const x = only(inputs) as tf.Tensor4D;
    return pool2d(kind, x, pair(c.poolSize), pair(c.strides ?? c.poolSize), c.padding);
  },
});

/** Global pooling over the spatial axes 1..n; keepDims leaves them as size 1. */
const global = (reduce: typeof tf.mean, n: 1 | 2) => ({
  apply(c: { keepDims: boolean }, inputs: tf.Tensor[]) {
    return reduce(only(inputs), n === 1 ? [1] : [1, 2], c.keepDims);
  },
});

/** The pooling family on tfjs. */
export const poolingImpls = {
  maxPool1d: pool1d('max') satisfies LayerImpl<'maxPool1d'>,
  maxPool2d: pool2dImpl('max') satisfies LayerImpl<'maxPool2d'>,
  avgPool1d: pool1d('avg') satisfies LayerImpl<'avgPool1d'>,
  avgPool2d: pool2dImpl('avg') satisfies LayerImpl<'avgPool2d'>,
  globalMaxPool1d: global(tf.max, 1) satisfies LayerImpl<'globalMaxPool1d'>,
  globalMaxPool2d: global(tf.max, 2) satisfies LayerImpl<'globalMaxPool2d'>,
  globalAvgPool1d: global(tf.mean, 1) satisfies LayerImpl<'globalAvgPool1d'>,
  globalAvgPool2d: global(tf.mean, 2) satisfies LayerImpl<'globalAvgPool2d'>,
};
