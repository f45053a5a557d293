import { tf } from '../../tf.js';

export type Pair = [number, number];

/** Keras accepts `3` for `[3, 3]`. */
export const pair = (v: number | readonly [number, number]): Pair =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** The one input of a single-input layer. */
export const only = (inputs: tf.Tensor[]) => inputs[0] as tf.Tensor;

/** A 2-D convolution window, one entry per spatial axis (height, width). */
export interface Window2d {
  strides: Pair;
  dilation: Pair;
  padding: 'valid' | 'same';
}

/**
 * Spreads a kernel's taps `d` apart along `axis` with zeros between them: a dilated convolution
 * as a plain one, since tfjs has no gradient for dilation rates above 1.
 */
function dilateAxis(kernel: tf.Tensor, axis: number, d: number): tf.Tensor {
  const shape = kernel.shape;
  const n = shape[axis] as number;
  if (d === 1 || n === 1) return kernel;
  // (..., n, 1, ...) padded to (..., n, d, ...): each tap followed by d-1 zeros
  const pads = [...shape, 1].map((): [number, number] => [0, 0]);
  pads[axis + 1] = [0, d - 1];
  const padded = tf.pad(tf.expandDims(kernel, axis + 1), pads);
  // (..., n*d, ...), then the trailing zeros dropped: (..., (n-1)*d + 1, ...)
  const spread = tf.reshape(
    padded,
    shape.map((s, i) => (i === axis ? n * d : s)),
  );
  const size = shape.map((s, i) => (i === axis ? (n - 1) * d + 1 : s));
  return tf.slice(
    spread,
    shape.map(() => 0),
    size,
  );
}

/** A [kh, kw, ...] kernel dilated on both spatial axes. */
export function dilate(kernel: tf.Tensor4D, dilation: Pair): tf.Tensor4D {
  return dilateAxis(dilateAxis(kernel, 0, dilation[0]), 1, dilation[1]) as tf.Tensor4D;
}

/**
 * Keras Conv2D on NHWC: kernel [kh, kw, in/groups, filters]. Group g reads input channels
 * [g*in/groups, (g+1)*in/groups) and makes filters [g*filters/groups, (g+1)*filters/groups).
 */
export function conv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  w: Window2d,
  groups: number,
): tf.Tensor4D {
  const k = dilate(kernel, w.dilation);
  if (groups === 1) return tf.conv2d(x, k, w.strides, w.padding);
  const xs = tf.split(x, groups, 3);
  const ks = tf.split(k, groups, 3);
  const parts = xs.map((xg, g) =>
    tf.conv2d(xg as tf.Tensor4D, ks[g] as tf.Tensor4D, w.strides, w.padding),
  );
  return tf.concat(parts, 3) as tf.Tensor4D;
}

/** Keras DepthwiseConv2D: kernel [kh, kw, in, multiplier], output channel c*multiplier + m. */
export function depthwiseConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, w: Window2d): tf.Tensor4D {
  return tf.depthwiseConv2d(x, dilate(kernel, w.dilation), w.strides, w.padding);
}

/**
 * Output length of a transposed convolution (Keras deconv_output_length): without outputPadding
 * `same` gives n*s and `valid` n*s + max(span - s, 0); with it, (n-1)*s + span - 2*pad + op.
 */
export function transposedLength(
  n: number,
  span: number,
  stride: number,
  padding: 'valid' | 'same',
  outputPadding: number | null,
): number {
  if (outputPadding === null)
    return padding === 'valid' ? n * stride + Math.max(span - stride, 0) : n * stride;
  const pad = padding === 'same' ? Math.floor(span / 2) : 0;
  return (n - 1) * stride + span - 2 * pad + outputPadding;
}

/**
 * Rows the transposed convolution drops before its output, as TF's conv_transpose (Keras's TF
 * backend) places it: `valid` none; `same` half (rounded down) of the excess
 * max((n-1)*s + span - out, 0) of the full result over the output.
 */
export function transposedOffset(
  n: number,
  span: number,
  stride: number,
  out: number,
  padding: 'valid' | 'same',
): number {
  if (padding === 'valid') return 0;
  return Math.floor(Math.max((n - 1) * stride + span - out, 0) / 2);
}

/** Where one axis of a transposed convolution's full result lands in its output. */
interface Placement {
  /** (n-1)*s + span: every tap landed. */
  full: number;
  /** Rows of the full result dropped before the output. */
  offset: number;
  /** Rows of the full result kept. */
  kept: number;
  /** Zero rows after them, when the output outgrows the full result. */
  after: number;
}

function place(
  n: number,
  span: number,
  stride: number,
  padding: 'valid' | 'same',
  op: number | null,
): Placement {
  const full = (n - 1) * stride + span;
  const out = transposedLength(n, span, stride, padding, op);
  const offset = transposedOffset(n, span, stride, out, padding);
  const kept = Math.min(out, full - offset);
  return { full, offset, kept, after: out - kept };
}

/**
 * Keras Conv2DTranspose on NHWC: kernel [kh, kw, filters, in]. The full result is cropped at the
 * offset to the output length; rows past the full result are zeros, as in TF.
 */
export function conv2dTranspose(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  w: Window2d,
  outputPadding: [number | null, number | null],
): tf.Tensor4D {
  const k = dilate(kernel, w.dilation);
  const [batch, h, wd] = x.shape;
  const [kh, kw, filters] = k.shape;
  const rows = place(h, kh, w.strides[0], w.padding, outputPadding[0]);
  const cols = place(wd, kw, w.strides[1], w.padding, outputPadding[1]);
  const full: [number, number, number, number] = [batch, rows.full, cols.full, filters];
  const y = tf.conv2dTranspose(x, k, full, w.strides, 'valid');
  // (B, kept rows, kept columns, filters)
  const kept = tf.slice(y, [0, rows.offset, cols.offset, 0], [-1, rows.kept, cols.kept, -1]);
  if (rows.after === 0 && cols.after === 0) return kept;
  return tf.pad(kept, [
    [0, 0],
    [0, rows.after],
    [0, cols.after],
    [0, 0],
  ]);
}

/** (B, T, C) -> (B, 1, T, C): a 1-D layer is the 2-D one on a height of 1. */
export const to2d = (x: tf.Tensor) => tf.expandDims(x, 1) as tf.Tensor4D;

/** (B, 1, T, C) -> (B, T, C). */
export const from2d = (y: tf.Tensor) => tf.squeeze(y, [1]);
