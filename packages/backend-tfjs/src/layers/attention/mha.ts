import { tf } from '../../tf.js';
import { type ApplyContext, defaultWeightPolicy, type LayerImpl } from '../kind.js';
import { attendable, dropout, maskedSoftmax, project } from './ops.js';

/** The sizes and options of one Keras MultiHeadAttention. */
export interface HeadOptions {
  keyDim: number;
  useBias: boolean;
  /** Dropout rate on the attention probabilities (training only). */
  dropout: number;
}

/** Where this attention may look: (B|1, Tq|1, S) bool, or undefined for everywhere. */
export type Keep = tf.Tensor | undefined;

/**
 * A KV cache's hook: the heads-first keys and values of the new positions (B, h, T, d) in, those
 * of every held position (B, h, past + T, d) out.
 */
export type ExtendKeyValues = (key: tf.Tensor, value: tf.Tensor) => [tf.Tensor, tf.Tensor];

/** Projects x (B, T, D) through `<prefix><name>` (D, heads, dim), then heads first. */
function heads(x: tf.Tensor, name: string, o: HeadOptions, ctx: ApplyContext): tf.Tensor {
  const bias = o.useBias ? ctx.weight(`${name}.bias`) : undefined;
  const projected = project(x, ctx.weight(`${name}.kernel`), bias); // (B, T, heads, dim)
  return tf.transpose(projected, [0, 2, 1, 3]); // (B, heads, T, dim)
}

/**
 * Keras MultiHeadAttention's computation with weights `<prefix>query.kernel` & co.: einsum
 * projections, query scaled by 1/sqrt(keyDim), masked softmax over keys, dropout on the
 * probabilities, and the output einsum over (heads, valueDim). `extend` (a KV cache) joins the
 * keys and values of past positions to the new ones before the scores.
 */
export function multiHead(
  [query, value, key]: [tf.Tensor, tf.Tensor, tf.Tensor],
  keep: Keep,
  o: HeadOptions,
  ctx: ApplyContext,
  prefix = '',
  extend?: ExtendKeyValues,
): tf.Tensor {
  const q = tf.mul(heads(query, `${prefix}query`, o, ctx), 1 / Math.sqrt(o.keyDim)); // (B, h, Tq, kd)
  const newKey = heads(key, `${prefix}key`, o, ctx); // (B, h, T, kd)
  const newValue = heads(value, `${prefix}value`, o, ctx); // (B, h, T, vd)
  const [k, v] = extend ? extend(newKey, newValue) : [newKey, newValue]; // (B, h, S, kd|vd)
  const scores = tf.matMul(q, k, false, true); // (B, h, Tq, S)
  const mask = keep && tf.expandDims(keep, 1); // (B|1, 1, Tq|1, S)
  const probs = dropout(maskedSoftmax(scores, mask), o.dropout, ctx);
  const mixed = tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]); // (B, Tq, h, vd)
  const bias = o.useBias ? ctx.weight(`${prefix}output.bias`) : undefined;
  return project(mixed, ctx.weight(`${prefix}output.kernel`), bias, 2); // (B, Tq, ...out)
}

export const multiHeadAttention: LayerImpl<'multiHeadAttention'> = {
  // Every kernel reads kernelInitializer & co., every bias biasInitializer & co.
  weight: defaultWeightPolicy,
  apply(c, inputs, ctx) {
    // One input is self-attention; value defaults to query and key to value (Keras).
    const [query, value = query, key = value] = inputs as [tf.Tensor, tf.Tensor?, tf.Tensor?];
    const mask = c.paddingMask ? ctx.refs.paddingMask : undefined;
    const keep = attendable(
      mask,
      query.shape[1] as number,
      key.shape[1] as number,
      c.useCausalMask,
    );
    const options = { keyDim: c.keyDim, useBias: c.useBias, dropout: c.dropout };
    return multiHead([query, value, key], keep, options, ctx);
  },
};
