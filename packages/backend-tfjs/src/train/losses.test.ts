import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { lossFunction, lossName } from './losses.js';

// References are plain-JS transcriptions of the Keras 3 formulas, in double precision.
const EPS = 1e-7;
/** Keras's upper clip 1 - eps is a float32 constant: 1 - 2^-23 (0.99999988), not 0.9999999. */
const ONE_MINUS_EPS = Math.fround(1 - EPS);
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** sum(w * l) / count(l), Keras's sum_over_batch_size. */
const reduce = (l: number[], w?: number[]) =>
  sum(l.map((x, i) => x * (w ? (w[i] ?? 0) : 1))) / l.length;

function value(
  loss: Parameters<typeof lossFunction>[0],
  t: tf.Tensor,
  p: tf.Tensor,
  w?: tf.Tensor,
): number {
  const out = lossFunction(loss)(t, p, w);
  const v = out.dataSync()[0] as number;
  out.dispose();
  return v;
}

function expectClose(actual: number, expected: number, rel = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

const yT = [
  [0, 1, 2],
  [1.5, -1, 0],
];
const yP = [
  [0.5, 0.2, 3.5],
  [1, -0.2, 0.1],
];

describe('regression losses', () => {
  it('mse and mae: mean over the last axis, then over the batch, weighted', () => {
    const se = yT.map((r, i) => mean(r.map((t, j) => (t - (yP[i]?.[j] ?? 0)) ** 2)));
    const ae = yT.map((r, i) => mean(r.map((t, j) => Math.abs(t - (yP[i]?.[j] ?? 0)))));
    const t = tf.tensor2d(yT);
    const p = tf.tensor2d(yP);
    const w = tf.tensor1d([0.3, 2]);
    expectClose(value('mse', t, p), reduce(se));
    expectClose(value('mae', t, p), reduce(ae));
    expectClose(value('mse', t, p, w), reduce(se, [0.3, 2]));
    expectClose(value('mae', t, p, w), reduce(ae, [0.3, 2]));
  });

  it('expands rank-1 labels against [B, 1] predictions', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const p = tf.tensor2d([[1.5], [2], [2]]);
    expectClose(value('mse', t, p), (0.25 + 0 + 1) / 3);
  });

  it('huber: quadratic inside delta, linear outside', () => {
    const delta = 0.5;
    const h = (e: number) =>
      Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
    const per = yT.map((r, i) => mean(r.map((t, j) => h((yP[i]?.[j] ?? 0) - t))));
    expectClose(value({ type: 'huber', delta }, tf.tensor2d(yT), tf.tensor2d(yP)), reduce(per));
  });

  it('cosine similarity: -sum of the normalized products, 0 for a zero vector', () => {
    const t = [
      [1, 2, 2],
      [0, 0, 0],
    ];
    const p = [
      [2, 0, 1],
      [1, 1, 1],
    ];
    const norm = (v: number[]) => Math.sqrt(sum(v.map((x) => x * x)));
    const cos = (a: number[], b: number[]) =>
      norm(a) === 0 ? 0 : -sum(a.map((x, i) => x * (b[i] ?? 0))) / (norm(a) * norm(b));
    const per = t.map((r, i) => cos(r, p[i] ?? []));
    expectClose(value('cosineSimilarity', tf.tensor2d(t), tf.tensor2d(p)), reduce(per));
    // axis 0: one similarity per column.
    const cols = [0, 1, 2].map((j) => [t[0]?.[j] ?? 0, t[1]?.[j] ?? 0]);
    const pcols = [0, 1, 2].map((j) => [p[0]?.[j] ?? 0, p[1]?.[j] ?? 0]);
    const perCol = cols.map((c, j) => cos(c, pcols[j] ?? []));
    const v = value({ type: 'cosineSimilarity', axis: 0 }, tf.tensor2d(t), tf.tensor2d(p));
    expectClose(v, reduce(perCol));
  });
});

describe('binary crossentropy', () => {
  const t = [
    [1, 0, 1],
    [0, 0, 1],
  ];
  const p = [
    [0.9, 0.2, 1],
    [0, 0.6, 0.3],
  ];

  const bce = (y: number, q: number) => {
    const c = clip(q, EPS, ONE_MINUS_EPS);
    return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
  };

  it('clips probabilities to [eps, 1 - eps] and smooths labels toward 0.5', () => {
    const s = 0.2;
    const per = t.map((r, i) => mean(r.map((y, j) => bce(y * (1 - s) + 0.5 * s, p[i]?.[j] ?? 0))));
    const loss = { type: 'binaryCrossentropy' as const, fromLogits: false, labelSmoothing: s };
    expectClose(value(loss, tf.tensor2d(t), tf.tensor2d(p)), reduce(per));
    const plain = t.map((r, i) => mean(r.map((y, j) => bce(y, p[i]?.[j] ?? 0))));
    expectClose(value('binaryCrossentropy', tf.tensor2d(t), tf.tensor2d(p)), reduce(plain));
  });

  it('from logits equals the exact formula, stable for large logits', () => {
    const x = [
      [3, -2, 100],
      [-100, 0.5, -0.7],
    ];
    const exact = (y: number, z: number) =>
      Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    const per = t.map((r, i) => mean(r.map((y, j) => exact(y, x[i]?.[j] ?? 0))));
    const loss = { type: 'binaryCrossentropy' as const, fromLogits: true, labelSmoothing: 0 };
    expectClose(value(loss, tf.tensor2d(t), tf.tensor2d(x)), reduce(per));
  });

  it('weights samples and expands [B] labels against [B, 1] outputs', () => {
    const per = [bce(1, 0.8), bce(0, 0.4), bce(1, 0.1)];
    const v = value(
      'binaryCrossentropy',
      tf.tensor1d([1, 0, 1]),
      tf.tensor2d([[0.8], [0.4], [0.1]]),
      tf.tensor1d([1, 0.5, 2]),
    );
    expectClose(v, reduce(per, [1, 0.5, 2]));
  });
});

describe('categorical crossentropies', () => {
  const probs = [
    [0.2, 0.5, 0.1],
    [0.7, 0.0, 0.5],
  ];
  const logits = [
    [2, -1, 0.5],
    [50, -30, 49],
  ];
  const oneHot = [
    [0, 1, 0],
    [0, 0, 1],
  ];
  const labels = [1, 2];

  /** Keras on probabilities: renormalize, clip, -sum(y log p). */
  const ceProbs = (y: number[], q: number[]) => {
    const total = sum(q);
    return -sum(y.map((yi, i) => yi * Math.log(clip((q[i] ?? 0) / total, EPS, ONE_MINUS_EPS))));
  };
  /** On logits: -sum(y (x - logsumexp x)). */
  const ceLogits = (y: number[], x: number[]) => {
    const m = Math.max(...x);
    const lse = m + Math.log(sum(x.map((v) => Math.exp(v - m))));
    return -sum(y.map((yi, i) => yi * ((x[i] ?? 0) - lse)));
  };
  const smooth = (y: number[], s: number) => y.map((v) => v * (1 - s) + s / y.length);

  it('categorical: probabilities renormalized and clipped, logits, label smoothing', () => {
    const t = tf.tensor2d(oneHot);
    const cce = (o: { fromLogits: boolean; labelSmoothing: number }) => ({
      type: 'categoricalCrossentropy' as const,
      ...o,
    });
    const perP = oneHot.map((y, i) => ceProbs(y, probs[i] ?? []));
    expectClose(value('categoricalCrossentropy', t, tf.tensor2d(probs)), reduce(perP));
    const perL = oneHot.map((y, i) => ceLogits(smooth(y, 0.1), logits[i] ?? []));
    const v = value(cce({ fromLogits: true, labelSmoothing: 0.1 }), t, tf.tensor2d(logits));
    expectClose(v, reduce(perL));
  });

  it('sparse: int32 [B], float [B, 1], logits and smoothing on the one-hot', () => {
    const perP = oneHot.map((y, i) => ceProbs(y, probs[i] ?? []));
    const p = tf.tensor2d(probs);
    const sparse = 'sparseCategoricalCrossentropy';
    expectClose(value(sparse, tf.tensor1d(labels, 'int32'), p), reduce(perP));
    expectClose(value(sparse, tf.tensor2d([[1], [2]]), p), reduce(perP));
    const perL = oneHot.map((y, i) => ceLogits(smooth(y, 0.3), logits[i] ?? []));
    const loss = { type: sparse, fromLogits: true, labelSmoothing: 0.3 } as const;
    expectClose(value(loss, tf.tensor1d(labels, 'int32'), tf.tensor2d(logits)), reduce(perL));
  });

  it('sparse over sequences: [B, T] labels, per-sample weights cover every token', () => {
    // (B=2, T=2, C=3) logits.
    const x = [
      [
        [1, 2, 3],
        [0, -1, 4],
      ],
      [
        [2, 2, 2],
        [5, 1, -3],
      ],
    ];
    const y = [
      [2, 0],
      [1, 1],
    ];
    const w = [0.5, 2];
    const per: number[] = [];
    const weights: number[] = [];
    x.forEach((seq, b) => {
      seq.forEach((row, s) => {
        const hot = [0, 1, 2].map((c) => (c === y[b]?.[s] ? 1 : 0));
        per.push(ceLogits(hot, row));
        weights.push(w[b] ?? 0);
      });
    });
    const loss = {
      type: 'sparseCategoricalCrossentropy',
      fromLogits: true,
      labelSmoothing: 0,
    } as const;
    const t = tf.tensor2d(y, undefined, 'int32');
    expectClose(value(loss, t, tf.tensor3d(x), tf.tensor1d(w)), reduce(per, weights));
    expectClose(value(loss, t, tf.tensor3d(x)), reduce(per));
  });

  it('gradients stay finite for extreme logits', () => {
    const x = tf.tensor2d([[1000, -1000, 0]]);
    const loss = lossFunction({
      type: 'sparseCategoricalCrossentropy',
      fromLogits: true,
      labelSmoothing: 0,
    });
    const g = tf.grad((z: tf.Tensor) => loss(tf.tensor1d([1], 'int32'), z))(x);
    const values = [...g.dataSync()];
    expect(values.every(Number.isFinite)).toBe(true);
    // d/dx = softmax(x) - onehot: [1, -1, 0] up to exp(-1000).
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[1]).toBeCloseTo(-1, 6);
  });
});

describe('kld and hinge', () => {
  it('kld clips both sides to [eps, 1]', () => {
    const t = [
      [0.2, 0.8, 0],
      [0.5, 0.5, 0],
    ];
    const p = [
      [0.1, 0.6, 0.3],
      [0.0, 0.9, 0.1],
    ];
    const per = t.map((r, i) =>
      sum(
        r.map((y, j) => {
          const a = clip(y, EPS, 1);
          return a * Math.log(a / clip(p[i]?.[j] ?? 0, EPS, 1));
        }),
      ),
    );
    expectClose(value('kld', tf.tensor2d(t), tf.tensor2d(p)), reduce(per));
  });

  it('hinge converts 0/1 labels to -1/1, keeps other labels', () => {
    const p = [
      [0.3, -0.8],
      [1.4, 0.1],
    ];
    const h = (t: number[][]) =>
      reduce(t.map((r, i) => mean(r.map((y, j) => Math.max(1 - y * (p[i]?.[j] ?? 0), 0)))));
    const bits = [
      [1, 0],
      [0, 1],
    ];
    const signed = bits.map((r) => r.map((y) => 2 * y - 1));
    expectClose(value('hinge', tf.tensor2d(bits), tf.tensor2d(p)), h(signed));
    const mixed = [
      [1, -1],
      [0, 1],
    ];
    expectClose(value('hinge', tf.tensor2d(mixed), tf.tensor2d(p)), h(mixed));
  });
});

describe('lossName', () => {
  it('is the type name', () => {
    expect(lossName('mse')).toBe('mse');
    expect(lossName({ type: 'huber', delta: 2 })).toBe('huber');
  });
});

describe('every loss is differentiable with registered gradients', () => {
  const t = tf.tensor2d([
    [0, 1, 0],
    [1, 0, 0],
  ]);
  const p = tf.tensor2d([
    [0.2, 0.5, 0.3],
    [0.6, 0.3, 0.1],
  ]);
  const losses: Parameters<typeof lossFunction>[0][] = [
    'mse',
    'mae',
    'huber',
    'binaryCrossentropy',
    'categoricalCrossentropy',
    'kld',
    'hinge',
    'cosineSimilarity',
  ];
  it.each(losses)('%s has finite, nonzero gradients', (loss) => {
    const g = tf.grad((x: tf.Tensor) => lossFunction(loss)(t, x))(p);
    const values = [...g.dataSync()];
    g.dispose();
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
  });
});

describe('rank-1 outputs', () => {
  it('average over the batch axis first, as Keras does, then weigh', () => {
    // mean((t - p)²) over the only axis is one value; Keras then sums value * w over w's size.
    const t = tf.tensor1d([1, 2, 3]);
    const p = tf.tensor1d([1, 1, 1]);
    const value = (0 + 1 + 4) / 3;
    expectClose(lossFunction('mse')(t, p).dataSync()[0] ?? 0, value);
    const w = tf.tensor1d([1, 2, 0]);
    expectClose(lossFunction('mse')(t, p, w).dataSync()[0] ?? 0, (value * 3) / 3);
  });
});
