import { tf } from '../tf.js';
import { batchNormTraining } from './batch-norm-train.js';
import type { ApplyContext, LayerImpl } from './kind.js';

/** A spec axis (batch is 0, negatives count from the end) as an axis of a rank-`rank` tensor. */
const runtimeAxis = (axis: number, rank: number): number => (axis < 0 ? rank + axis : axis);

/**
 * Mean and biased variance over `axes`, kept as size-1 axes. Not tf.moments (its float32-to-float32
 * cast breaks tfjs's gradient) nor squaredDifference (its gradient does not broadcast).
 */
function moments(x: tf.Tensor, axes: number[]): { mean: tf.Tensor; variance: tf.Tensor } {
  const mean = tf.mean(x, axes, true);
  return { mean, variance: tf.mean(tf.square(tf.sub(x, mean)), axes, true) };
}

/** Axes 0..rank-1 except `keep`. */
const allBut = (rank: number, keep: number[]): number[] =>
  [...Array(rank).keys()].filter((i) => !keep.includes(i));

/** `shape` with every axis outside `axes` set to 1: what a per-axis weight broadcasts as. */
const broadcastShape = (shape: readonly number[], axes: number[]): number[] =>
  shape.map((d, i) => (axes.includes(i) ? d : 1));

/**
 * Keras's affine normalization, in its own order of operations:
 * inv = rsqrt(var + eps) · gamma;  y = x · inv + (beta - mean · inv).
 */
function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon: number,
  gamma?: tf.Tensor,
  beta?: tf.Tensor,
): tf.Tensor {
  let inv = tf.rsqrt(tf.add(variance, epsilon));
  if (gamma) inv = tf.mul(inv, gamma);
  let res = tf.neg(tf.mul(mean, inv));
  if (beta) res = tf.add(res, beta);
  return tf.add(tf.mul(x, inv), res);
}

/** gamma and beta (when the layer has them) reshaped to `shape` for broadcasting. */
function affine(
  c: { scale: boolean; center: boolean },
  ctx: ApplyContext,
  shape: number[],
): { gamma?: tf.Tensor; beta?: tf.Tensor } {
  return {
    gamma: c.scale ? tf.reshape(ctx.weight('gamma'), shape) : undefined,
    beta: c.center ? tf.reshape(ctx.weight('beta'), shape) : undefined,
  };
}

/**
 * Keras uses batch statistics only when training a trainable layer. A layer frozen by itself or
 * by its block has frozen gamma/beta; without them the layer's own flag is all there is.
 */
function usesBatchStatistics(ctx: ApplyContext): boolean {
  if (!ctx.training) return false;
  const own = ctx.node.params.find((p) => /(^|\.)(gamma|beta)$/.test(p.name));
  return own ? own.trainable : ctx.node.layer.trainable !== false;
}

const batchNorm: LayerImpl<'batchNorm'> = {
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    const axis = runtimeAxis(c.axis, x.rank);
    const shape = broadcastShape(x.shape, [axis]); // (1, ..., C, ..., 1)
    const { gamma, beta } = affine(c, ctx, shape);
    const movingMean = ctx.weight('moving_mean');
    const movingVariance = ctx.weight('moving_variance');
    if (!usesBatchStatistics(ctx)) {
      const mean = tf.reshape(movingMean, shape);
      const variance = tf.reshape(movingVariance, shape);
      return normalize(x, mean, variance, c.epsilon, gamma, beta);
    }
    // Keras's rule: moving = moving · momentum + batch · (1 - momentum).
    const update = (moving: tf.Tensor, batch: tf.Tensor) =>
      tf.tidy(() =>
        tf.add(tf.mul(moving, c.momentum), tf.mul(tf.reshape(batch, [-1]), 1 - c.momentum)),
      );
    // Biased (population) variance, as Keras 3's ops.moments; the gradient in closed form.
    return batchNormTraining(
      x,
      allBut(x.rank, [axis]),
      c.epsilon,
      gamma,
      beta,
      (mean, variance) => {
        ctx.assign('moving_mean', update(movingMean, mean));
        ctx.assign('moving_variance', update(movingVariance, variance));
      },
    );
  },
};

/** Runtime axes of an `axis` field that may list several, in the order given. */
const runtimeAxes = (axis: number | number[], rank: number): number[] =>
  (typeof axis === 'number' ? [axis] : axis).map((a) => runtimeAxis(a, rank));

const layerNorm: LayerImpl<'layerNorm'> = {
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    const axes = runtimeAxes(c.axis, x.rank);
    // Keras reshapes gamma (axes in the order given) to the axes in tensor order.
    const { gamma, beta } = affine(c, ctx, broadcastShape(x.shape, axes));
    const { mean, variance } = moments(x, axes);
    return normalize(x, mean, variance, c.epsilon, gamma, beta);
  },
};

const groupNorm: LayerImpl<'groupNorm'> = {
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    const axis = runtimeAxis(c.axis, x.rank);
    const channels = x.shape[axis] as number;
    // Group g holds channels g·(C/G) .. (g+1)·(C/G) - 1, as Keras splits them.
    const grouped = [
      ...x.shape.slice(0, axis),
      c.groups,
      channels / c.groups,
      ...x.shape.slice(axis + 1),
    ];
    const xg = tf.reshape(x, grouped); // (B, ..., G, C/G, ...)
    // Statistics per sample and group: over every axis but the batch and the group axis.
    const { mean, variance } = moments(xg, allBut(xg.rank, [0, axis]));
    const { gamma, beta } = affine(c, ctx, broadcastShape(grouped, [axis, axis + 1]));
    const y = normalize(xg, mean, variance, c.epsilon, gamma, beta);
    return tf.reshape(y, x.shape); // (B, ..., C, ...)
  },
};

/**
 * Keras 3's RMSNormalization: x · rsqrt(mean(x², axes) + eps) · scale. Its one weight has no
 * initializer field in Keras: ones.
 */
const rmsNorm: LayerImpl<'rmsNorm'> = {
  weight: () => ({ initializer: 'ones' }),
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    const axes = runtimeAxes(c.axis, x.rank);
    const scale = tf.reshape(ctx.weight('scale'), broadcastShape(x.shape, axes));
    const rrms = tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), c.epsilon));
    return tf.mul(tf.mul(x, rrms), scale);
  },
};

/** The normalization family on tfjs. */
export const normalizationImpls = { batchNorm, layerNorm, groupNorm, rmsNorm };
