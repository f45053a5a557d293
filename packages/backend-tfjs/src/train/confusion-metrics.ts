import type { LossObject, MetricObject } from '@netspec/spec';
import { tf } from '../tf.js';
import { alignLeft, EPSILON, sameRank, sparseToOneHot } from './losses.js';
import type { StreamingMetric } from './metrics.js';

// Keras's confusion-matrix metrics (Precision, Recall, F1Score, AUC), streamed as float64 sums.

/** Reads a few on-device scalars or vectors back as one array (one sync per update). */
export function readBack(parts: tf.Tensor[]): Float32Array {
  const flat = tf.concat(parts.map((x) => tf.reshape(x, [-1])));
  const data = flat.dataSync() as Float32Array;
  flat.dispose();
  return data;
}

/** Keras's divide_no_nan: 0 where the denominator is 0. */
const divideNoNan = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Predictions, dense labels and broadcast weights, all of the predictions' shape. */
interface Prepared {
  p: tf.Tensor;
  t: tf.Tensor;
  w: tf.Tensor;
}

/**
 * Probabilities from the output (sigmoid or softmax of logits, per the loss), integer labels as
 * one-hot rows, and each sample weight spread over its sample's predictions (Keras expands a
 * [B] weight to [B, 1] and broadcasts).
 */
function prepare(loss: LossObject, yTrue: tf.Tensor, yPred: tf.Tensor, sw?: tf.Tensor): Prepared {
  let probs = yPred;
  if ('fromLogits' in loss && loss.fromLogits)
    probs = loss.type === 'binaryCrossentropy' ? tf.sigmoid(yPred) : tf.softmax(yPred);
  const dense =
    loss.type === 'sparseCategoricalCrossentropy' ? sparseToOneHot(yTrue, probs) : yTrue;
  const [p, t] = sameRank(probs, tf.cast(dense, 'float32'));
  let w: tf.Tensor = tf.fill(p.shape, 1);
  if (sw) {
    const [, expanded] = sameRank(t, tf.expandDims(tf.cast(sw, 'float32'), -1), false);
    w = tf.add(tf.zerosLike(p), alignLeft(expanded, p));
  }
  return { p, t, w };
}

/** Thresholded counts of precision and recall: [tp, fp, fn] at one threshold. */
class ThresholdCounts implements StreamingMetric {
  private counts = [0, 0, 0];

  constructor(
    readonly name: 'precision' | 'recall',
    private readonly threshold: number,
    private readonly loss: LossObject,
  ) {}

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const read = tf.tidy(() => {
      const { p, t, w } = prepare(this.loss, yTrue, yPred, sampleWeight);
      // Labels are cast to bool (nonzero is positive); predictions above the threshold are.
      const label = tf.mul(tf.cast(tf.notEqual(t, 0), 'float32'), w);
      const notLabel = tf.sub(w, label);
      const predicted = tf.cast(tf.greater(p, this.threshold), 'float32');
      const tp = tf.sum(tf.mul(label, predicted));
      const fp = tf.sum(tf.mul(notLabel, predicted));
      return readBack([tp, fp, tf.sub(tf.sum(label), tp)]);
    });
    this.counts = this.counts.map((c, i) => c + (read[i] ?? 0));
  }

  result(): number {
    const [tp = 0, fp = 0, fn = 0] = this.counts;
    return this.name === 'precision' ? divideNoNan(tp, tp + fp) : divideNoNan(tp, tp + fn);
  }

  reset(): void {
    this.counts = [0, 0, 0];
  }
}

/** Keras's Precision(thresholds=threshold): tp / (tp + fp) over every prediction. */
export function precisionMetric(threshold: number, loss: LossObject): StreamingMetric {
  return new ThresholdCounts('precision', threshold, loss);
}

/** Keras's Recall(thresholds=threshold): tp / (tp + fn) over every prediction. */
export function recallMetric(threshold: number, loss: LossObject): StreamingMetric {
  return new ThresholdCounts('recall', threshold, loss);
}

type F1Average = Extract<MetricObject, { type: 'f1' }>['average'];

/**
 * Keras's F1Score over [samples, classes] (sequences are flattened to rows). `average` null gives
 * the per-class vector in `perClass()` and its unweighted mean (macro) as the scalar result.
 * Without a threshold Keras takes each row's argmax; a single-unit output uses 0.5 instead, since
 * the argmax of one column marks every sample positive.
 */
export class F1Score implements StreamingMetric {
  readonly name = 'f1' as const;
  private sums: { tp: number[]; fp: number[]; fn: number[]; support: number[] } | undefined;

  constructor(
    readonly average: F1Average,
    readonly threshold: number | undefined,
    private readonly loss: LossObject,
  ) {}

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    let classes = 1;
    const read = tf.tidy(() => {
      const prepared = prepare(this.loss, yTrue, yPred, sampleWeight);
      const { p } = prepared;
      classes = p.rank > 1 ? (p.shape[p.rank - 1] ?? 1) : 1;
      // (N, C): sequences flattened to rows.
      const rows = (x: tf.Tensor) => tf.reshape(x, [-1, classes]);
      const [y, w] = [rows(prepared.t), rows(prepared.w)];
      const predicted = this.predicted(rows(p), classes);
      const sum = (x: tf.Tensor) => tf.sum(tf.mul(x, w), 0);
      return readBack([
        sum(tf.mul(predicted, y)),
        sum(tf.mul(predicted, tf.sub(1, y))),
        sum(tf.mul(tf.sub(1, predicted), y)),
        sum(y),
      ]);
    });
    const s = this.sums ?? {
      tp: zeros(classes),
      fp: zeros(classes),
      fn: zeros(classes),
      support: zeros(classes),
    };
    const at = (part: number, c: number) => read[part * classes + c] ?? 0;
    for (let c = 0; c < classes; c++) {
      s.tp[c] = (s.tp[c] ?? 0) + at(0, c);
      s.fp[c] = (s.fp[c] ?? 0) + at(1, c);
      s.fn[c] = (s.fn[c] ?? 0) + at(2, c);
      s.support[c] = (s.support[c] ?? 0) + at(3, c);
    }
    this.sums = s;
  }

  /** 1 where predicted positive: above the threshold, or the row's maximum (and not ~0). */
  private predicted(p: tf.Tensor, classes: number): tf.Tensor {
    const threshold = this.threshold ?? (classes === 1 ? 0.5 : undefined);
    if (threshold !== undefined) return tf.cast(tf.greater(p, threshold), 'float32');
    const isMax = tf.greaterEqual(p, tf.max(p, -1, true));
    return tf.cast(tf.logicalAnd(isMax, tf.greater(tf.abs(p), 1e-9)), 'float32');
  }

  /** F1 per class (micro: one value over all classes), with Keras's epsilons. */
  perClass(): number[] {
    const s = this.sums;
    if (!s) return [];
    const total = (xs: number[]) => [xs.reduce((a, b) => a + b, 0)];
    const [tp, fp, fn] =
      this.average === 'micro' ? [total(s.tp), total(s.fp), total(s.fn)] : [s.tp, s.fp, s.fn];
    return tp.map((x, c) => {
      const precision = x / (x + (fp[c] ?? 0) + EPSILON);
      const recall = x / (x + (fn[c] ?? 0) + EPSILON);
      return ((precision * recall) / (precision + recall + EPSILON)) * 2;
    });
  }

  result(): number {
    const f1 = this.perClass();
    if (!f1.length) return 0;
    if (this.average === 'weighted') {
      const support = this.sums?.support ?? [];
      const total = support.reduce((a, b) => a + b, 0) + EPSILON;
      return f1.reduce((acc, f, c) => acc + f * ((support[c] ?? 0) / total), 0);
    }
    return f1.reduce((a, b) => a + b, 0) / f1.length;
  }

  reset(): void {
    this.sums = undefined;
  }
}

const zeros = (n: number) => new Array<number>(n).fill(0);

export function f1Metric(
  average: F1Average,
  threshold: number | undefined,
  loss: LossObject,
): StreamingMetric {
  return new F1Score(average, threshold, loss);
}

type Curve = Extract<MetricObject, { type: 'auc' }>['curve'];

/**
 * Keras's AUC with evenly spaced thresholds [-eps, 1/(n-1), ..., 1 + eps] and the default
 * 'interpolation' summation: trapezoids for ROC, Davis & Goadrich interpolation for PR.
 * Multi-class outputs are flattened (Keras's multi_label=False).
 */
export class Auc implements StreamingMetric {
  readonly name = 'auc' as const;
  private tp: number[];
  private fp: number[];
  private positives = 0;
  private negatives = 0;

  constructor(
    readonly numThresholds: number,
    readonly curve: Curve,
    private readonly loss: LossObject,
  ) {
    this.tp = zeros(numThresholds);
    this.fp = zeros(numThresholds);
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void {
    const n = this.numThresholds;
    const read = tf.tidy(() => {
      const { p, t, w } = prepare(this.loss, yTrue, yPred, sampleWeight);
      const pos = tf.reshape(tf.mul(tf.cast(tf.notEqual(t, 0), 'float32'), w), [-1, 1]);
      const neg = tf.sub(tf.reshape(w, [-1, 1]), pos);
      // Keras's bucket: relu(ceil(p (n - 1)) - 1), counted at every threshold index <= bucket.
      const scaled = tf.mul(tf.clipByValue(tf.reshape(p, [-1, 1]), 0, 1), n - 1);
      const bucket = tf.relu(tf.sub(tf.neg(tf.floor(tf.neg(scaled))), 1));
      const index = tf.tensor2d([Array.from({ length: n }, (_, i) => i)]);
      const above = tf.cast(tf.greaterEqual(bucket, index), 'float32');
      return readBack([
        tf.sum(tf.mul(above, pos), 0),
        tf.sum(tf.mul(above, neg), 0),
        tf.sum(pos),
        tf.sum(neg),
      ]);
    });
    for (let i = 0; i < n; i++) {
      this.tp[i] = (this.tp[i] ?? 0) + (read[i] ?? 0);
      this.fp[i] = (this.fp[i] ?? 0) + (read[n + i] ?? 0);
    }
    this.positives += read[2 * n] ?? 0;
    this.negatives += read[2 * n + 1] ?? 0;
  }

  result(): number {
    return this.curve === 'PR' ? this.interpolatedPr() : this.roc();
  }

  /** Trapezoids of recall over the false-positive rate. */
  private roc(): number {
    const recall = this.tp.map((tp) => divideNoNan(tp, this.positives));
    const fpr = this.fp.map((fp) => divideNoNan(fp, this.negatives));
    let area = 0;
    for (let i = 0; i + 1 < this.numThresholds; i++)
      area += ((fpr[i] ?? 0) - (fpr[i + 1] ?? 0)) * (((recall[i] ?? 0) + (recall[i + 1] ?? 0)) / 2);
    return area;
  }

  /** Keras's interpolate_pr_auc: precision interpolated linearly in tp and fp between thresholds. */
  private interpolatedPr(): number {
    const { tp, fp } = this;
    let area = 0;
    for (let i = 0; i + 1 < this.numThresholds; i++) {
      const [tpA, tpB] = [tp[i] ?? 0, tp[i + 1] ?? 0];
      const [pA, pB] = [tpA + (fp[i] ?? 0), tpB + (fp[i + 1] ?? 0)];
      const dtp = tpA - tpB;
      const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
      const intercept = tpB - slope * pB;
      const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
      const fnB = this.positives - tpB;
      area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tpB + fnB, 0));
    }
    return area;
  }

  reset(): void {
    this.tp = zeros(this.numThresholds);
    this.fp = zeros(this.numThresholds);
    this.positives = 0;
    this.negatives = 0;
  }
}

export function aucMetric(numThresholds: number, curve: Curve, loss: LossObject): StreamingMetric {
  return new Auc(numThresholds, curve, loss);
}
