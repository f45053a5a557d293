import type { Loss } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { F1Score } from './confusion-metrics.js';
import { createMetric, type StreamingMetric } from './metrics.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function feed(m: StreamingMetric, batches: [tf.Tensor, tf.Tensor, tf.Tensor?][]): number {
  for (const [t, p, w] of batches) {
    m.update(t, p, w);
    tf.dispose([t, p, ...(w ? [w] : [])]);
  }
  return m.result();
}

function expectClose(actual: number, expected: number, tol = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

const Y = [1, 0, 1, 1, 0, 0, 1, 0];
const P = [0.9, 0.4, 0.3, 0.25, 0.05, 0.7, 0.6, 0.3];
const W = [1, 2, 0.5, 1, 1, 3, 1, 0];

/** Weighted tp, fp, fn at `threshold` (prediction strictly above). */
function counts(threshold: number, p = P, w = W) {
  let [tp, fp, fn] = [0, 0, 0];
  Y.forEach((y, i) => {
    const pos = (p[i] ?? 0) > threshold;
    const wi = w[i] ?? 0;
    if (y && pos) tp += wi;
    else if (!y && pos) fp += wi;
    else if (y && !pos) fn += wi;
  });
  return { tp, fp, fn };
}

describe('precision and recall', () => {
  const batches = (): [tf.Tensor, tf.Tensor, tf.Tensor][] => [
    [tf.tensor1d(Y.slice(0, 5)), tf.tensor2d(P.slice(0, 5), [5, 1]), tf.tensor1d(W.slice(0, 5))],
    [tf.tensor1d(Y.slice(5)), tf.tensor2d(P.slice(5), [3, 1]), tf.tensor1d(W.slice(5))],
  ];

  it('weighted counts at the threshold, streamed over batches', () => {
    const { tp, fp, fn } = counts(0.3);
    const precision = createMetric({ type: 'precision', threshold: 0.3 }, 'binaryCrossentropy');
    expectClose(feed(precision, batches()), tp / (tp + fp));
    const recall = createMetric({ type: 'recall', threshold: 0.3 }, 'binaryCrossentropy');
    expectClose(feed(recall, batches()), tp / (tp + fn));
  });

  it('logits go through a sigmoid when the loss has fromLogits', () => {
    const logits = P.map((p) => Math.log(p / (1 - p)));
    const loss: Loss = { type: 'binaryCrossentropy', fromLogits: true, labelSmoothing: 0 };
    const m = createMetric('precision', loss);
    const value = feed(m, [[tf.tensor1d(Y), tf.tensor1d(logits)]]);
    const { tp, fp } = counts(
      0.5,
      logits.map(sigmoid),
      Y.map(() => 1),
    );
    expectClose(value, tp / (tp + fp));
  });

  it('no positives predicted: 0 (divide_no_nan)', () => {
    const m = createMetric('precision', 'binaryCrossentropy');
    expect(feed(m, [[tf.tensor1d([1, 0]), tf.tensor1d([0.1, 0.2])]])).toBe(0);
  });

  it('sparse labels count every class cell (micro)', () => {
    const p = [
      [0.6, 0.3, 0.1],
      [0.2, 0.2, 0.6],
    ];
    // One-hot [1,0,0] and [0,1,0]: cells above 0.5 are (0,0) tp and (1,2) fp.
    const m = createMetric('precision', 'sparseCategoricalCrossentropy');
    expectClose(feed(m, [[tf.tensor1d([0, 1], 'int32'), tf.tensor2d(p)]]), 0.5);
  });
});

describe('f1', () => {
  // Keras's F1Score docstring example: threshold 0.5 gives [0.5, 0.8, 0.6666667].
  const yt = [
    [1, 1, 1],
    [1, 0, 0],
    [1, 1, 0],
  ];
  const yp = [
    [0.2, 0.6, 0.7],
    [0.2, 0.6, 0.6],
    [0.6, 0.8, 0.0],
  ];

  /** Plain per-class F1 with Keras's epsilons. */
  function reference(predicted: number[][], w = [1, 1, 1]) {
    const eps = 1e-7;
    return [0, 1, 2].map((c) => {
      let [tp, fp, fn] = [0, 0, 0];
      yt.forEach((row, i) => {
        const [y, q, wi] = [row[c] ?? 0, predicted[i]?.[c] ?? 0, w[i] ?? 0];
        tp += q * y * wi;
        fp += q * (1 - y) * wi;
        fn += (1 - q) * y * wi;
      });
      const precision = tp / (tp + fp + eps);
      const recall = tp / (tp + fn + eps);
      return { f1: (2 * precision * recall) / (precision + recall + eps), tp, fp, fn };
    });
  }
  const above = yp.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)));
  const argmaxes = yp.map((r) =>
    r.map((v) => (v === Math.max(...r) && Math.abs(v) > 1e-9 ? 1 : 0)),
  );

  it('per class (average null) matches the Keras docstring and a plain count', () => {
    const m = new F1Score(null, 0.5, {
      type: 'categoricalCrossentropy',
      fromLogits: false,
      labelSmoothing: 0,
    });
    m.update(tf.tensor2d(yt), tf.tensor2d(yp));
    const perClass = m.perClass();
    [0.5, 0.8, 0.6666667].forEach((f, c) => {
      expectClose(perClass[c] ?? Number.NaN, f, 1e-6);
    });
    expectClose(m.result(), sum(reference(above).map((r) => r.f1)) / 3);
  });

  it('macro, micro and weighted averages; argmax without a threshold', () => {
    const make = (average: 'macro' | 'micro' | 'weighted', threshold?: number) =>
      createMetric(
        { type: 'f1', average, ...(threshold === undefined ? {} : { threshold }) },
        'categoricalCrossentropy',
      );
    const perClass = reference(above);
    expectClose(
      feed(make('macro', 0.5), [[tf.tensor2d(yt), tf.tensor2d(yp)]]),
      sum(perClass.map((r) => r.f1)) / 3,
    );
    const [tp, fp, fn] = ['tp', 'fp', 'fn'].map((k) => sum(perClass.map((r) => r[k as 'tp'])));
    const [p, r] = [
      (tp ?? 0) / ((tp ?? 0) + (fp ?? 0) + 1e-7),
      (tp ?? 0) / ((tp ?? 0) + (fn ?? 0) + 1e-7),
    ];
    expectClose(
      feed(make('micro', 0.5), [[tf.tensor2d(yt), tf.tensor2d(yp)]]),
      (2 * p * r) / (p + r + 1e-7),
    );
    const support = [3, 2, 1];
    const weighted = sum(perClass.map((c, i) => (c.f1 * (support[i] ?? 0)) / (6 + 1e-7)));
    expectClose(feed(make('weighted', 0.5), [[tf.tensor2d(yt), tf.tensor2d(yp)]]), weighted);
    const byArgmax = sum(reference(argmaxes).map((c) => c.f1)) / 3;
    expectClose(feed(make('macro'), [[tf.tensor2d(yt), tf.tensor2d(yp)]]), byArgmax);
  });

  it('sample weights scale each row', () => {
    const w = [2, 0, 1];
    const m = createMetric(
      { type: 'f1', average: 'macro', threshold: 0.5 },
      'categoricalCrossentropy',
    );
    const expected = sum(reference(above, w).map((r) => r.f1)) / 3;
    expectClose(feed(m, [[tf.tensor2d(yt), tf.tensor2d(yp), tf.tensor1d(w)]]), expected);
  });
});

describe('auc', () => {
  it('Keras docstring: 3 thresholds give 0.75, and 1.0 with weights [1, 0, 0, 1]', () => {
    const m = createMetric({ type: 'auc', numThresholds: 3, curve: 'ROC' }, 'binaryCrossentropy');
    expectClose(feed(m, [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9])]]), 0.75);
    m.reset();
    const w = tf.tensor1d([1, 0, 0, 1]);
    expectClose(feed(m, [[tf.tensor1d([0, 0, 1, 1]), tf.tensor1d([0, 0.5, 0.3, 0.9]), w]]), 1);
  });

  it('ROC with fine thresholds equals the exact rank statistic', () => {
    // Mann-Whitney: the share of (positive, negative) pairs ranked right; scores made distinct.
    const p = P.map((x, i) => x + i * 1e-3);
    let right = 0;
    Y.forEach((y, i) => {
      Y.forEach((z, j) => {
        if (y && !z && (p[i] ?? 0) > (p[j] ?? 0)) right += 1;
      });
    });
    const pairs = Y.filter((y) => y).length * Y.filter((y) => !y).length;
    const m = createMetric(
      { type: 'auc', numThresholds: 2001, curve: 'ROC' },
      'binaryCrossentropy',
    );
    expectClose(feed(m, [[tf.tensor1d(Y), tf.tensor1d(p)]]), right / pairs, 1e-5);
  });

  it('PR with Keras interpolation, streamed and weighted', () => {
    const n = 5;
    // Thresholds as Keras builds them; counts by direct comparison p > t.
    const thresholds = [
      -1e-7,
      ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)),
      1 + 1e-7,
    ];
    const at = thresholds.map((t) => counts(t));
    let area = 0;
    for (let i = 0; i + 1 < n; i++) {
      const [a, b] = [at[i] ?? { tp: 0, fp: 0, fn: 0 }, at[i + 1] ?? { tp: 0, fp: 0, fn: 0 }];
      const dtp = a.tp - b.tp;
      const [pA, pB] = [a.tp + a.fp, b.tp + b.fp];
      const slope = pA - pB > 0 ? dtp / (pA - pB) : 0;
      const intercept = b.tp - slope * pB;
      const ratio = pA > 0 && pB > 0 ? pA / pB : 1;
      const denominator = b.tp + b.fn;
      area += denominator > 0 ? (slope * (dtp + intercept * Math.log(ratio))) / denominator : 0;
    }
    const m = createMetric({ type: 'auc', numThresholds: n, curve: 'PR' }, 'binaryCrossentropy');
    const value = feed(m, [
      [tf.tensor1d(Y.slice(0, 3)), tf.tensor1d(P.slice(0, 3)), tf.tensor1d(W.slice(0, 3))],
      [tf.tensor1d(Y.slice(3)), tf.tensor1d(P.slice(3)), tf.tensor1d(W.slice(3))],
    ]);
    expectClose(value, area);
    expect(area).toBeGreaterThan(0);
  });
});

describe('f1 on a single-unit binary output', () => {
  it('thresholds at 0.5 when no threshold is given, [B] or [B, 1]', () => {
    // Positives predicted: 0.9, 0.6 (indices 0, 6), 0.7 (index 5, a false positive).
    const { tp, fp, fn } = counts(
      0.5,
      P,
      Y.map(() => 1),
    );
    const [precision, recall] = [tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)];
    const f1 = (2 * precision * recall) / (precision + recall + 1e-7);
    for (const p of [tf.tensor1d(P), tf.tensor2d(P, [8, 1])]) {
      const m = createMetric('f1', 'binaryCrossentropy');
      expectClose(feed(m, [[tf.tensor1d(Y), p]]), f1);
    }
  });
});
