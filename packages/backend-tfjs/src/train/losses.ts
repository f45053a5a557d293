import { type Loss, type LossObject, lossObject } from '@netspec/spec';
import { tf } from '../tf.js';
import {
  sparseCrossentropyFromLogits,
  sparseCrossentropyFromProbabilities,
} from './sparse-crossentropy.js';

/** Keras's `backend.epsilon()`: how far probabilities are clipped from 0 and 1. */
export const EPSILON = 1e-7;

/** A compiled loss: Keras's `sum_over_batch_size` reduction of the per-sample losses. */
export type LossFunction = (
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight?: tf.Tensor,
) => tf.Scalar;

/** History key of a loss: its type name (`mse`, `sparseCategoricalCrossentropy`, ...). */
export function lossName(loss: Loss): string {
  return typeof loss === 'string' ? loss : loss.type;
}

/** The loss as a function of labels, predictions and optional sample weights (Keras 3 formulas). */
export function lossFunction(loss: Loss): LossFunction {
  const l = lossObject(loss);
  return (yTrue, yPred, sampleWeight) =>
    tf.tidy(() => reduceLoss(perSampleLoss(l, yTrue, yPred), sampleWeight));
}

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when ranks differ by one and the longer tensor ends in
 * a 1, squeeze it (or expand a rank-1 partner when `expandRank1`).
 */
export function sameRank(a: tf.Tensor, b: tf.Tensor, expandRank1 = true): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1)
    return b.rank === 1 && expandRank1 ? [a, tf.expandDims(b, -1)] : [tf.squeeze(a, [-1]), b];
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1)
    return a.rank === 1 && expandRank1 ? [tf.expandDims(a, -1), b] : [a, tf.squeeze(b, [-1])];
  return [a, b];
}

/**
 * Keras's `sum_over_batch_size`: sum(loss * weight) / number of loss values. Weights of lower rank
 * than the losses (per-sample weights of a sequence loss) apply to every value of their sample.
 */
export function reduceLoss(values: tf.Tensor, sampleWeight?: tf.Tensor): tf.Scalar {
  let weighted = values;
  if (sampleWeight) {
    const [v, w] = sameRank(values, tf.cast(sampleWeight, 'float32'));
    weighted = tf.mul(v, alignLeft(w, v));
  }
  if (weighted.rank === 0) return weighted as tf.Scalar;
  // Keras divides with divide_no_nan: an empty batch has loss 0.
  if (weighted.size === 0) return tf.scalar(0);
  return tf.div(tf.sum(weighted), weighted.size);
}

/**
 * `w` reshaped so that its leading axes line up with those of `like` (batch first). A scalar
 * `like` (a rank-1 output averaged over its only axis, as Keras does) broadcasts to any weights.
 */
export function alignLeft(w: tf.Tensor, like: tf.Tensor): tf.Tensor {
  if (like.rank === 0) return w;
  if (w.rank > like.rank)
    throw new Error(
      `expected sample weights of rank <= ${like.rank} (shape [${like.shape}]), got shape [${w.shape}]`,
    );
  if (w.rank === like.rank) return w;
  return tf.reshape(w, [...w.shape, ...new Array<number>(like.rank - w.rank).fill(1)]);
}

/** Per-sample losses (shape of the labels without the last axis), before reduction. */
export function perSampleLoss(loss: LossObject, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = sameRank(yTrue, yPred);
  switch (loss.type) {
    case 'mse':
      return tf.mean(tf.square(tf.sub(float(t), p)), -1);
    case 'mae':
      return tf.mean(tf.abs(tf.sub(float(t), p)), -1);
    case 'huber':
      return huber(float(t), p, loss.delta);
    case 'binaryCrossentropy':
      return binaryCrossentropy(smoothBinary(float(t), loss.labelSmoothing), p, loss.fromLogits);
    case 'categoricalCrossentropy':
      return categoricalCrossentropy(
        smoothCategorical(float(t), loss.labelSmoothing),
        p,
        loss.fromLogits,
      );
    case 'sparseCategoricalCrossentropy':
      return sparseCategoricalCrossentropy(t, p, loss.fromLogits, loss.labelSmoothing);
    case 'kld':
      return kld(float(t), p);
    case 'hinge':
      return hinge(float(t), p);
    case 'cosineSimilarity':
      return cosineSimilarity(float(t), p, loss.axis);
  }
}

const float = (x: tf.Tensor): tf.Tensor => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));

/**
 * 0.5 e² inside [-delta, delta], delta |e| - 0.5 delta² outside; mean over the last axis. Written
 * as 0.5 q² + delta (|e| - q) with q = min(|e|, delta): the same values without a select, whose
 * prediction-dependent condition tfjs cannot differentiate.
 */
function huber(t: tf.Tensor, p: tf.Tensor, delta: number): tf.Tensor {
  const abs = tf.abs(tf.sub(p, t));
  const quadratic = tf.minimum(abs, delta);
  const linear = tf.sub(abs, quadratic);
  return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear)), -1);
}

/** Keras: y * (1 - s) + 0.5 * s. */
function smoothBinary(t: tf.Tensor, s: number): tf.Tensor {
  return s > 0 ? tf.add(tf.mul(t, 1 - s), 0.5 * s) : t;
}

/** Keras: y * (1 - s) + s / C, C the size of the last axis. */
function smoothCategorical(t: tf.Tensor, s: number): tf.Tensor {
  const classes = t.shape[t.rank - 1] ?? 1;
  return s > 0 ? tf.add(tf.mul(t, 1 - s), s / classes) : t;
}

/**
 * One-hot float32 rows. tfjs-backend-wasm 4.22's OneHot ignores the dtype and writes int32 bits
 * under a float32 label, so the cast is done separately.
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.cast(tf.oneHot(tf.cast(indices, 'int32'), depth), 'float32');
}

/** Integer labels ([B], [B, 1], [B, T]) with the shape of `p` without its last axis. */
function sparseLabels(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  // Keras squeezes a trailing 1 when labels have the predictions' rank.
  const labels = t.rank === p.rank && t.shape[t.rank - 1] === 1 ? tf.squeeze(t, [-1]) : t;
  if (labels.rank !== p.rank - 1)
    throw new Error(
      `expected integer labels of shape [${p.shape.slice(0, -1)}] for predictions of shape [${p.shape}], got [${t.shape}]`,
    );
  return labels;
}

/** Integer labels ([B], [B, 1], [B, T]) as one-hot rows matching `p`'s last axis. */
export function sparseToOneHot(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  return oneHotFloat(sparseLabels(t, p), p.shape[p.rank - 1] ?? 1);
}

/**
 * Sparse categorical crossentropy, Keras's formula on the one-hot labels (smoothed by the
 * categorical rule). Logits, and probabilities without smoothing, take the fused forms with
 * closed-form gradients (sparse-crossentropy.ts); probabilities with smoothing go through the
 * one-hot rows.
 */
function sparseCategoricalCrossentropy(
  t: tf.Tensor,
  p: tf.Tensor,
  fromLogits: boolean,
  smoothing: number,
): tf.Tensor {
  const labels = sparseLabels(t, p);
  if (p.size > 0 && fromLogits) return sparseCrossentropyFromLogits(labels, p, smoothing);
  if (p.size > 0 && smoothing === 0) return sparseCrossentropyFromProbabilities(labels, p, EPSILON);
  const classes = p.shape[p.rank - 1] ?? 1;
  return categoricalCrossentropy(
    smoothCategorical(oneHotFloat(labels, classes), smoothing),
    p,
    fromLogits,
  );
}

/** log(softmax(x)) along the last axis, shifted by the max so exp never overflows. */
export function logSoftmax(x: tf.Tensor): tf.Tensor {
  const shifted = tf.sub(x, tf.max(x, -1, true));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), -1, true)));
}

/** Probabilities renormalized to sum 1 and clipped to [eps, 1 - eps], as Keras does. */
function clippedProbabilities(p: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPSILON, 1 - EPSILON);
}

/** -sum(y * log p) over the last axis; from logits through a stable log-softmax. */
export function categoricalCrossentropy(
  t: tf.Tensor,
  p: tf.Tensor,
  fromLogits: boolean,
): tf.Tensor {
  const logP = fromLogits ? logSoftmax(p) : tf.log(clippedProbabilities(p));
  return tf.neg(tf.sum(tf.mul(t, logP), -1));
}

/** Elementwise binary crossentropy, mean over the last axis. */
function binaryCrossentropy(t: tf.Tensor, p: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) {
    // TF's sigmoid_cross_entropy_with_logits: max(x, 0) - x z + log(1 + exp(-|x|)).
    const loss = tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p)))));
    return tf.mean(loss, -1);
  }
  const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
  const bce = tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))));
  return tf.mean(tf.neg(bce), -1);
}

/** sum(y log(y / p)) with both clipped to [eps, 1]. */
function kld(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const tc = tf.clipByValue(t, EPSILON, 1);
  const pc = tf.clipByValue(p, EPSILON, 1);
  return tf.sum(tf.mul(tc, tf.log(tf.div(tc, pc))), -1);
}

/** mean(max(1 - y p, 0)); labels that are all 0/1 become -1/1 first. */
function hinge(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const isBit = tf.add(tf.cast(tf.equal(t, 0), 'float32'), tf.cast(tf.equal(t, 1), 'float32'));
  // 1 when every label of the batch is 0 or 1 (Keras checks the whole tensor).
  const allBits = t.size === 0 ? tf.scalar(0) : tf.min(isBit);
  // y + allBits * (y - 1) is 2y - 1 for 0/1 labels and y otherwise.
  const signed = tf.add(t, tf.mul(allBits, tf.sub(t, 1)));
  return tf.mean(tf.relu(tf.sub(1, tf.mul(signed, p))), -1);
}

/** Keras's `normalize`: x * min(rsqrt(sum x²), 1 / eps) along `axis`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const inverse = tf.minimum(tf.rsqrt(tf.sum(tf.square(x), axis, true)), 1 / EPSILON);
  return tf.mul(x, inverse);
}

/** -sum(normalize(y) * normalize(p)) along `axis`. */
function cosineSimilarity(t: tf.Tensor, p: tf.Tensor, axis: number): tf.Tensor {
  return tf.neg(tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis));
}
