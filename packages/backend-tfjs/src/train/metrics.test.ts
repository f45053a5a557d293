import type { Loss, Metric } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { createMetric, metricName, type StreamingMetric } from './metrics.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));

/** Feeds batches (disposing the tensors) and returns the result. */
function feed(m: StreamingMetric, batches: [tf.Tensor, tf.Tensor, tf.Tensor?][]): number {
  for (const [t, p, w] of batches) {
    m.update(t, p, w);
    tf.dispose([t, p, ...(w ? [w] : [])]);
  }
  return m.result();
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

const sparse: Loss = 'sparseCategoricalCrossentropy';
const probs = [
  [0.1, 0.7, 0.2],
  [0.5, 0.3, 0.2],
  [0.2, 0.3, 0.5],
  [0.3, 0.3, 0.4],
];
const labels = [1, 1, 2, 0];

describe('accuracy, resolved from the loss like Keras compile()', () => {
  const matches = probs.map((p, i) => (argmax(p) === labels[i] ? 1 : 0));

  it('sparse labels [B] and [B, 1], streamed over batches, weighted, reset', () => {
    const m = createMetric('accuracy', sparse);
    expect(m.name).toBe('accuracy');
    const value = feed(m, [
      [tf.tensor1d(labels.slice(0, 2), 'int32'), tf.tensor2d(probs.slice(0, 2))],
      [tf.tensor2d([[2], [0]]), tf.tensor2d(probs.slice(2))],
    ]);
    expectClose(value, sum(matches) / 4);
    m.reset();
    const w = [0.5, 2, 1, 3];
    const weighted = feed(m, [[tf.tensor1d(labels), tf.tensor2d(probs), tf.tensor1d(w)]]);
    expectClose(weighted, sum(matches.map((x, i) => x * (w[i] ?? 0))) / sum(w));
  });

  it('categorical (one-hot) labels', () => {
    const oneHot = labels.map((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0)));
    const m = createMetric('accuracy', 'categoricalCrossentropy');
    expectClose(feed(m, [[tf.tensor2d(oneHot), tf.tensor2d(probs)]]), sum(matches) / 4);
  });

  it('binary: p > 0.5 on probabilities, x > 0 on logits', () => {
    const y = [1, 0, 1, 0, 1];
    const p = [0.9, 0.5, 0.5, 0.2, 0.51]; // 0.5 is not above the threshold
    const expected = sum(p.map((q, i) => ((q > 0.5 ? 1 : 0) === y[i] ? 1 : 0))) / 5;
    const m = createMetric('accuracy', 'binaryCrossentropy');
    expectClose(feed(m, [[tf.tensor1d(y), tf.tensor2d(p, [5, 1])]]), expected);
    const logits = [2, -0.1, 0.1, -3, 0];
    const fromLogits = sum(logits.map((x, i) => ((x > 0 ? 1 : 0) === y[i] ? 1 : 0))) / 5;
    const bce = { type: 'binaryCrossentropy', fromLogits: true, labelSmoothing: 0 } as const;
    const ml = createMetric('accuracy', bce);
    expectClose(feed(ml, [[tf.tensor2d(y, [5, 1]), tf.tensor2d(logits, [5, 1])]]), fromLogits);
  });

  it('other losses: binary for one unit, sparse or categorical by shape', () => {
    const one = createMetric('accuracy', 'mse');
    expectClose(feed(one, [[tf.tensor1d([1, 0]), tf.tensor2d([[0.7], [0.6]])]]), 0.5);
    const byShape = createMetric('accuracy', 'kld');
    expectClose(feed(byShape, [[tf.tensor1d(labels), tf.tensor2d(probs)]]), sum(matches) / 4);
  });

  it('sequences: [B, T] labels against [B, T, C]', () => {
    // (B=2, T=2, C=3)
    const p = [
      [
        [0.1, 0.8, 0.1],
        [0.6, 0.2, 0.2],
      ],
      [
        [0.3, 0.3, 0.4],
        [0.2, 0.7, 0.1],
      ],
    ];
    const y = [
      [1, 2],
      [2, 1],
    ];
    // Per-sample means (1/2 and 2/2), then their mean.
    const m = createMetric('accuracy', sparse);
    expectClose(feed(m, [[tf.tensor2d(y, undefined, 'int32'), tf.tensor3d(p)]]), 0.75);
  });
});

describe('top-k accuracy', () => {
  it('sparse: in the top k, ties at the boundary count as in', () => {
    const p = [
      [0.1, 0.5, 0.2, 0.2],
      [0.4, 0.3, 0.2, 0.1],
      [0.25, 0.25, 0.25, 0.25],
      [0.1, 0.2, 0.3, 0.4],
    ];
    const y = [2, 2, 3, 0];
    // Reference: fewer than k scores strictly above the label's score.
    const k = 2;
    const hits = p.map((row, i) => {
      const s = row[y[i] ?? 0] ?? 0;
      return row.filter((v) => v > s).length < k ? 1 : 0;
    });
    const m = createMetric({ type: 'topKAccuracy', k }, sparse);
    expect(m.name).toBe('topKAccuracy');
    expectClose(feed(m, [[tf.tensor1d(y, 'int32'), tf.tensor2d(p)]]), sum(hits) / 4);
    const oneHot = y.map((l) => [0, 1, 2, 3].map((c) => (c === l ? 1 : 0)));
    const mc = createMetric({ type: 'topKAccuracy', k }, 'categoricalCrossentropy');
    expectClose(feed(mc, [[tf.tensor2d(oneHot), tf.tensor2d(p)]]), sum(hits) / 4);
  });
});

describe('regression metrics', () => {
  const t = [
    [1, 2],
    [3, -1],
    [0, 0],
  ];
  const p = [
    [1.5, 2],
    [2, 1],
    [0.5, -0.5],
  ];
  const per = (f: (d: number) => number) =>
    t.map((r, i) => sum(r.map((y, j) => f(y - (p[i]?.[j] ?? 0)))) / r.length);

  it('mse and mae: per-sample means, then the (weighted) mean over samples', () => {
    const se = per((d) => d * d);
    const ae = per(Math.abs);
    expectClose(feed(createMetric('mse', 'mse'), [[tf.tensor2d(t), tf.tensor2d(p)]]), sum(se) / 3);
    const w = [1, 0, 3];
    const m = createMetric('mae', 'mse');
    const weighted = feed(m, [[tf.tensor2d(t), tf.tensor2d(p), tf.tensor1d(w)]]);
    expectClose(weighted, sum(ae.map((x, i) => x * (w[i] ?? 0))) / sum(w));
  });
});

describe('perplexity', () => {
  const logits = [
    [
      [2, 0, -1],
      [0.5, 0.5, 3],
    ],
    [
      [1, 2, 3],
      [-2, 4, 0],
    ],
  ];
  const y = [
    [0, 2],
    [1, 1],
  ];
  /** -log softmax(x)[label] per token. */
  const ce = logits.map((seq, b) =>
    seq.map((row, s) => {
      const lse = Math.log(sum(row.map(Math.exp)));
      return lse - (row[y[b]?.[s] ?? 0] ?? 0);
    }),
  );

  it('exp of the mean token crossentropy, from logits per the loss, streamed', () => {
    const loss = {
      type: 'sparseCategoricalCrossentropy',
      fromLogits: true,
      labelSmoothing: 0,
    } as const;
    const m = createMetric('perplexity', loss);
    const value = feed(m, [
      [tf.tensor2d([y[0] ?? []], undefined, 'int32'), tf.tensor3d([logits[0] ?? []])],
      [tf.tensor2d([y[1] ?? []], undefined, 'int32'), tf.tensor3d([logits[1] ?? []])],
    ]);
    expectClose(value, Math.exp(sum(ce.flat()) / 4));
    m.reset();
    const w = [2, 0.5];
    const weighted = feed(m, [
      [tf.tensor2d(y, undefined, 'int32'), tf.tensor3d(logits), tf.tensor1d(w)],
    ]);
    const num = sum(ce.map((r, b) => sum(r) * (w[b] ?? 0)));
    expectClose(weighted, Math.exp(num / (2 * sum(w))));
  });

  it('on probabilities with one-hot labels', () => {
    const p = [
      [0.2, 0.3, 0.5],
      [0.6, 0.3, 0.1],
    ];
    const hot = [
      [0, 0, 1],
      [0, 1, 0],
    ];
    const m = createMetric('perplexity', 'categoricalCrossentropy');
    expectClose(
      feed(m, [[tf.tensor2d(hot), tf.tensor2d(p)]]),
      Math.exp(-(Math.log(0.5) + Math.log(0.3)) / 2),
    );
  });
});

describe('names', () => {
  it('history keys are the type names', () => {
    const all: Metric[] = [
      'accuracy',
      'topKAccuracy',
      'precision',
      'recall',
      'f1',
      'auc',
      'mse',
      'mae',
      'perplexity',
    ];
    for (const m of all) {
      expect(createMetric(m, sparse).name).toBe(m);
      expect(metricName(m)).toBe(m);
    }
  });
});
