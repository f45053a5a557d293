import {
  type Loss,
  type LossObject,
  lossObject,
  type Metric,
  type MetricName,
  metricObject,
} from '@netspec/spec';
import { tf } from '../tf.js';
import {
  aucMetric,
  f1Metric,
  precisionMetric,
  readBack,
  recallMetric,
} from './confusion-metrics.js';
import {
  alignLeft,
  categoricalCrossentropy,
  oneHotFloat,
  sameRank,
  sparseToOneHot,
} from './losses.js';

/**
 * A Keras-style streaming metric: `update` per batch (one small read-back), `result` over every
 * batch since the last `reset`. Metrics are not differentiated; their sums are kept in float64.
 */
export interface StreamingMetric {
  /** History key (camelCase): accuracy, topKAccuracy, precision, recall, f1, auc, mse, ... */
  readonly name: MetricName;
  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void;
  result(): number;
  reset(): void;
}

/** History key of a metric: its type name. */
export function metricName(metric: Metric): MetricName {
  return typeof metric === 'string' ? metric : metric.type;
}

/**
 * The metric as Keras's compile() builds it for an output trained with `loss`. `accuracy` picks
 * its variant from the loss (sparse, categorical, binary at 0.5 or at 0 on logits) and, for other
 * losses, from the shapes as Keras 3 does. Classification metrics read logits through a sigmoid
 * (binary) or softmax (categorical) when the loss has `fromLogits`.
 */
export function createMetric(metric: Metric, loss: Loss): StreamingMetric {
  const m = metricObject(metric);
  const l = lossObject(loss);
  switch (m.type) {
    case 'accuracy':
      return new MeanMetric('accuracy', (t, p) => accuracyFor(l, t, p));
    case 'topKAccuracy':
      return new MeanMetric('topKAccuracy', (t, p) => topKAccuracy(t, p, m.k, isSparse(l, t, p)));
    case 'precision':
      return precisionMetric(m.threshold, l);
    case 'recall':
      return recallMetric(m.threshold, l);
    case 'f1':
      return f1Metric(m.average, m.threshold, l);
    case 'auc':
      return aucMetric(m.numThresholds, m.curve, l);
    case 'mse':
      return new MeanMetric('mse', (t, p) => meanError(t, p, tf.square));
    case 'mae':
      return new MeanMetric('mae', (t, p) => meanError(t, p, tf.abs));
    case 'perplexity':
      return new Perplexity(l);
  }
}

/** Keras's sparse test: labels of lower rank, or a trailing 1 against several classes. */
export function isSparse(loss: LossObject, t: tf.Tensor, p: tf.Tensor): boolean {
  if (loss.type === 'sparseCategoricalCrossentropy') return true;
  const classes = p.shape[p.rank - 1] ?? 1;
  return t.rank < p.rank || (t.shape[t.rank - 1] === 1 && classes > 1);
}

const float = (x: tf.Tensor): tf.Tensor => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));

/** Per-sample values of `accuracy` for an output trained with `loss`. */
function accuracyFor(loss: LossObject, t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  switch (loss.type) {
    case 'sparseCategoricalCrossentropy':
      return sparseCategoricalAccuracy(t, p);
    case 'categoricalCrossentropy':
      return categoricalAccuracy(t, p);
    case 'binaryCrossentropy':
      // sigmoid(x) > 0.5 exactly when x > 0.
      return binaryAccuracy(t, p, loss.fromLogits ? 0 : 0.5);
    default:
      // Keras 3's compile(): binary for one output unit, else sparse or categorical by shape.
      if (p.shape[p.rank - 1] === 1) return binaryAccuracy(t, p, 0.5);
      return isSparse(loss, t, p) ? sparseCategoricalAccuracy(t, p) : categoricalAccuracy(t, p);
  }
}

/** mean(y == (p > threshold)) over the last axis. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold: number): tf.Tensor {
  const [t, p] = sameRank(yTrue, yPred);
  const predicted = tf.cast(tf.greater(p, threshold), 'float32');
  return tf.mean(tf.cast(tf.equal(float(t), predicted), 'float32'), -1);
}

/** argmax(y) == argmax(p). */
export function categoricalAccuracy(t: tf.Tensor, p: tf.Tensor): tf.Tensor {
  return tf.cast(tf.equal(tf.argMax(t, -1), tf.argMax(p, -1)), 'float32');
}

/** y == argmax(p), labels [B], [B, 1] or [B, T]. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const t =
    yTrue.rank === p.rank && yTrue.shape[yTrue.rank - 1] === 1 ? tf.squeeze(yTrue, [-1]) : yTrue;
  return tf.cast(tf.equal(float(t), tf.cast(tf.argMax(p, -1), 'float32')), 'float32');
}

/**
 * TF's in_top_k: the label is in the top k when fewer than k classes score strictly higher
 * (ties at the boundary count as in).
 */
export function topKAccuracy(t: tf.Tensor, p: tf.Tensor, k: number, sparse: boolean): tf.Tensor {
  const hot = sparse
    ? sparseToOneHot(t, p)
    : oneHotFloat(tf.argMax(t, -1), p.shape[p.rank - 1] ?? 1);
  const target = tf.sum(tf.mul(hot, p), -1, true);
  const higher = tf.sum(tf.cast(tf.greater(p, target), 'float32'), -1);
  return tf.cast(tf.less(higher, k), 'float32');
}

/** Keras's mean_squared_error / mean_absolute_error: mean over the last axis. */
function meanError(t: tf.Tensor, p: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const [a, b] = sameRank(float(t), p);
  return tf.mean(f(tf.sub(a, b)), -1);
}

const tail = (rank: number, from: number) =>
  Array.from({ length: rank - from }, (_, i) => from + i);

/**
 * Keras's reduce_to_samplewise_values and Mean.update_state: per-sample means, weighted; returns
 * [sum of weighted values, sum of weights (or the sample count)].
 */
export function samplewise(values: tf.Tensor, sampleWeight?: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (!sampleWeight) {
    const v = values.rank > 1 ? tf.mean(values, tail(values.rank, 1)) : values;
    return [tf.sum(v), tf.scalar(v.rank >= 1 ? (v.shape[0] ?? 0) : 1)];
  }
  let [v, w] = sameRank(values, float(sampleWeight));
  if (v.rank > w.rank) v = tf.mean(v, tail(v.rank, w.rank));
  // Broadcast the weights to the values (ZerosLike + Add: no Tile kernel needed).
  w = tf.add(tf.zerosLike(v), alignLeft(w, v));
  v = tf.mul(v, w);
  if (w.rank > 1) w = tf.mean(w, tail(w.rank, 1));
  if (v.rank > 1) v = tf.mean(v, tail(v.rank, 1));
  return [tf.sum(v), tf.sum(w)];
}

/** Keras's MeanMetricWrapper: the weighted mean of per-sample values over every batch. */
class MeanMetric implements StreamingMetric {
  private total = 0;
  private count = 0;

  constructor(
    readonly name: MetricName,
    private readonly values: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor,
  ) {}

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const [total, count] = tf.tidy(() =>
      readBack(samplewise(this.values(yTrue, yPred), sampleWeight)),
    );
    this.total += total ?? 0;
    this.count += count ?? 0;
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/**
 * keras_hub's Perplexity: exp(sum of weighted token crossentropies / sum of token weights), from
 * logits when the loss has `fromLogits`. Per-sample weights weigh every token of their sample.
 */
class Perplexity implements StreamingMetric {
  readonly name = 'perplexity' as const;
  private total = 0;
  private count = 0;
  private readonly fromLogits: boolean;

  constructor(private readonly loss: LossObject) {
    this.fromLogits = 'fromLogits' in loss && loss.fromLogits;
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const [total, count] = tf.tidy(() => {
      const hot = isSparse(this.loss, yTrue, yPred) ? sparseToOneHot(yTrue, yPred) : float(yTrue);
      const ce = categoricalCrossentropy(hot, yPred, this.fromLogits);
      if (!sampleWeight) return readBack([tf.sum(ce), tf.scalar(ce.size)]);
      const [c, w] = sameRank(ce, float(sampleWeight));
      const weights = tf.add(tf.zerosLike(c), alignLeft(w, c));
      return readBack([tf.sum(tf.mul(c, weights)), tf.sum(weights)]);
    });
    this.total += total ?? 0;
    this.count += count ?? 0;
  }

  result(): number {
    return this.count === 0 ? 0 : Math.exp(this.total / this.count);
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
