import type { Shape } from '../schema/primitives.js';
import { LayerError, type TensorType } from './kind.js';

/** Keras-style shape text with the batch dimension: `(None, 28, 28, 1)`. */
export function formatShape(shape: Shape, withBatch = true): string {
  const dims = (withBatch ? [null, ...shape] : shape).map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Product of sizes, exact below 2^53; Infinity marks a product too large to be real. */
export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) {
    p *= d;
    if (p > Number.MAX_SAFE_INTEGER) return Number.POSITIVE_INFINITY;
  }
  return p;
}

export function pair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** The one input of a single-input layer, checked for rank (without batch). */
export function single(
  inputs: TensorType[],
  rank?: number | [number, number],
  what?: string,
): TensorType {
  const x = inputs[0] as TensorType;
  if (rank !== undefined) requireRank(x, rank, what);
  return x;
}

export function requireRank(x: TensorType, rank: number | [number, number], what?: string): void {
  const [lo, hi] = typeof rank === 'number' ? [rank, rank] : rank;
  const r = x.shape.length + 1;
  if (r < lo || r > hi) {
    const want =
      lo === hi
        ? `rank ${lo}`
        : hi === Number.POSITIVE_INFINITY
          ? `rank >= ${lo}`
          : `rank ${lo} to ${hi}`;
    throw new LayerError(
      `expected input of ${want} ${what ?? '(batch included)'}, got shape ${formatShape(x.shape)}`,
      'inputs',
    );
  }
}

/** A dimension that must be known (it sizes a weight, or a reshape needs it). */
export function knownDim(x: TensorType, axis: number, why: string): number {
  const i = axis < 0 ? x.shape.length + axis : axis;
  const d = x.shape[i];
  if (d === null || d === undefined) {
    throw new LayerError(
      `the input's dimension ${i + 1} must be known ${why}, got shape ${formatShape(x.shape)}`,
      'inputs',
    );
  }
  return d;
}

/**
 * Normalizes a Keras axis (batch is axis 0, negatives count from the end) to an index into a
 * shape without batch. `field` names the key to blame.
 */
export function featureAxis(axis: number, shape: Shape, field = 'axis'): number {
  const rank = shape.length + 1;
  const a = axis < 0 ? rank + axis : axis;
  if (a <= 0 || a >= rank) {
    throw new LayerError(
      `expected an axis in 1..${rank - 1} or -${rank - 1}..-1 for input ${formatShape(shape)} (0 is the batch), got ${axis}`,
      field,
    );
  }
  return a - 1;
}

export type PaddingMode = 'valid' | 'same' | 'causal' | 'full';

/** Output length of a convolution or pooling window along one axis (Keras conv_output_length). */
export function convLength(
  length: number | null,
  kernel: number,
  stride: number,
  padding: PaddingMode,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'same' || padding === 'causal') return Math.ceil(length / stride);
  if (padding === 'full') return Math.floor((length + span - 2) / stride) + 1;
  return Math.floor((length - span) / stride) + 1;
}

/** Output length of a transposed convolution (Keras deconv_output_length). */
export function deconvLength(
  length: number | null,
  kernel: number,
  stride: number,
  padding: 'valid' | 'same',
  dilation: number,
  outputPadding: number | null,
): number | null {
  if (length === null) return null;
  const span = (kernel - 1) * dilation + 1;
  if (outputPadding === null) {
    return padding === 'valid' ? length * stride + Math.max(span - stride, 0) : length * stride;
  }
  const pad = padding === 'same' ? Math.floor(span / 2) : 0;
  return (length - 1) * stride + span - 2 * pad + outputPadding;
}

/** Rejects an output dimension that would be empty, naming the field that made it so. */
export function positiveDims(shape: Shape, input: Shape, field: string): Shape {
  if (shape.some((d) => d !== null && d < 1)) {
    throw new LayerError(
      `input ${formatShape(input)} is too small: the output would be ${formatShape(shape)}`,
      field,
    );
  }
  return shape;
}

/** Broadcasts two shapes (without batch) the way Keras merge layers do; null matches anything. */
export function broadcast(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  const dim = (s: Shape, i: number) => (i < 0 ? 1 : (s[i] as number | null));
  for (let i = 0; i < rank; i++) {
    const x = dim(a, a.length - rank + i);
    const y = dim(b, b.length - rank + i);
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : (x ?? y));
    else if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}
