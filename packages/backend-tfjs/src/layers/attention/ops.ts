import { Rng } from '../../random.js';
import { tf } from '../../tf.js';
import type { ApplyContext } from '../kind.js';

// Layer normalization over the last axis, with its fused gradient (layer-norm.ts).
export { layerNorm } from './layer-norm.js';

/** Keras's stand-in for -inf at masked scores in float32 (`_large_negative_number`). */
export const MASKED_SCORE = -1e9;

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * Contracts the last `inRank` axes of `x` with the first `inRank` axes of `kernel`, as Keras's
 * EinsumDense does: x (..., ...in), kernel (...in, ...out) -> (..., ...out), plus bias (...out).
 */
export function project(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor, inRank = 1): tf.Tensor {
  const inDims = kernel.shape.slice(0, inRank);
  const outDims = kernel.shape.slice(inRank);
  const inSize = product(inDims);
  const outSize = product(outDims);
  const rows = tf.reshape(x, [-1, inSize]); // (N, prod(in))
  let y = tf.matMul(rows, tf.reshape(kernel, [inSize, outSize])); // (N, prod(out))
  if (bias) y = tf.add(y, tf.reshape(bias, [outSize]));
  return tf.reshape(y, [...x.shape.slice(0, x.rank - inRank), ...outDims]); // (..., ...out)
}

/** Keras Dropout: zeroes a `rate` share and scales the rest by 1/(1-rate), in training only. */
export function dropout(x: tf.Tensor, rate: number, ctx: ApplyContext): tf.Tensor {
  if (!ctx.training || rate === 0) return x;
  // netspec's own generator, so every engine drops the same units for the same seed.
  const rng = new Rng(ctx.nextSeed());
  const scale = 1 / (1 - rate);
  const keep = new Float32Array(x.size);
  for (let i = 0; i < keep.length; i++) keep[i] = rng.next() < rate ? 0 : scale;
  return tf.mul(x, tf.tensor(keep, x.shape, 'float32'));
}

/**
 * Keras's causal mask: query i may look at key j <= i, (1, Tq, S) bool. With `offset` the queries
 * are positions offset..offset+Tq-1 (new tokens after a KV cache of `offset` positions).
 */
export function causalMask(tq: number, s: number, offset = 0): tf.Tensor {
  const rows = tf.reshape(tf.range(offset, offset + tq, 1, 'int32'), [1, tq, 1]); // (1, Tq, 1)
  const cols = tf.reshape(tf.range(0, s, 1, 'int32'), [1, 1, s]); // (1, 1, S)
  return tf.greaterEqual(rows, cols);
}

/**
 * Where attention may look, as a (B|1, Tq|1, S) bool tensor: the spec's mask (B, S) or (B, Tq, S)
 * is nonzero there, and key j <= query i when causal (queries start at position `offset`).
 * Undefined when everything may be seen.
 */
export function attendable(
  mask: tf.Tensor | undefined,
  tq: number,
  s: number,
  causal: boolean,
  offset = 0,
): tf.Tensor | undefined {
  // A (B, S) padding mask hides keys for every query row, as keras-hub expands it.
  const rows = mask && (mask.rank === 2 ? tf.expandDims(mask, 1) : mask); // (B, 1|Tq, S)
  let keep = rows && tf.notEqual(rows, tf.zerosLike(rows));
  if (causal) {
    const c = causalMask(tq, s, offset);
    keep = keep ? tf.logicalAnd(keep, c) : c;
  }
  return keep;
}

/** Keras's masked softmax over the last axis: masked scores get -1e9 added first (float32). */
export function maskedSoftmax(scores: tf.Tensor, keep: tf.Tensor | undefined): tf.Tensor {
  if (!keep) return tf.softmax(scores);
  const hidden = tf.sub(1, tf.cast(keep, 'float32'));
  return tf.softmax(tf.add(scores, tf.mul(hidden, MASKED_SCORE)));
}
