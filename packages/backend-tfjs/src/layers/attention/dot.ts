import { tf } from '../../tf.js';
import type { ApplyContext, LayerImpl, WeightPolicy } from '../kind.js';
import { attendable, dropout, maskedSoftmax } from './ops.js';

/** Keras's [query, value, key] of Attention and AdditiveAttention: key defaults to value. */
function queryValueKey(inputs: tf.Tensor[]): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [q, v = q, k = v] = inputs as [tf.Tensor, tf.Tensor?, tf.Tensor?];
  return [q, v, k];
}

/** Query (B, Tq, D) against key (B, S, D), feature by feature: (B, Tq, S, D) of q_i + k_j. */
function pairSums(q: tf.Tensor, k: tf.Tensor): tf.Tensor {
  return tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1)); // (B, Tq, 1, D) + (B, 1, S, D)
}

/** Keras's `_apply_scores`: masked softmax over keys, dropout in training, weighted values. */
function applyScores(
  scores: tf.Tensor,
  value: tf.Tensor,
  causal: boolean,
  rate: number,
  ctx: ApplyContext,
): tf.Tensor {
  const [tq, s] = scores.shape.slice(1) as [number, number];
  const probs = dropout(maskedSoftmax(scores, attendable(undefined, tq, s, causal)), rate, ctx);
  return tf.matMul(probs, value); // (B, Tq, S) @ (B, S, Dv) -> (B, Tq, Dv)
}

/** Keras Attention's scalar weights start at one. */
const ones = (): WeightPolicy => ({ initializer: 'ones' });

export const attention: LayerImpl<'attention'> = {
  weight: ones,
  apply(c, inputs, ctx) {
    const [q, v, k] = queryValueKey(inputs);
    const scale = c.useScale ? ctx.weight('scale') : undefined;
    let scores: tf.Tensor;
    if (c.scoreMode === 'dot') {
      scores = tf.matMul(q, k, false, true); // (B, Tq, S)
      if (scale) scores = tf.mul(scores, scale);
    } else {
      const sums = pairSums(q, k);
      const tanh = tf.tanh(scale ? tf.mul(scale, sums) : sums);
      scores = tf.mul(ctx.weight('concat_score_weight'), tf.sum(tanh, -1)); // (B, Tq, S)
    }
    return applyScores(scores, v, c.useCausalMask, c.dropout, ctx);
  },
};

export const additiveAttention: LayerImpl<'additiveAttention'> = {
  // Keras draws the per-feature scale from glorot_uniform.
  weight: (): WeightPolicy => ({ initializer: 'glorotUniform' }),
  apply(c, inputs, ctx) {
    const [q, v, k] = queryValueKey(inputs);
    const tanh = tf.tanh(pairSums(q, k)); // (B, Tq, S, D)
    const scores = tf.sum(c.useScale ? tf.mul(ctx.weight('scale'), tanh) : tanh, -1); // (B, Tq, S)
    return applyScores(scores, v, c.useCausalMask, c.dropout, ctx);
  },
};
