// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import { layerModel, run } from '../test-utils/layer.js';
import {
  as1d,
  as2d,
  fitsShape,
  inferredShape,
  maxDiff,
  Nd,
  type Pair,
  randomNd,
  samePads,
} from '../test-utils/reference.js';
import { tf } from '../tf.js';

const TOL = 1e-5;

/** Runs a one-layer model on `x` (batch included) and checks the inferred shape. */
function apply(layer: Record<string, unknown>, x: Nd): tf.Tensor {
  const model = layerModel(layer, [{ shape: x.shape.slice(1) }]);
  const y = run(model, [x.tensor()])[0] as tf.Tensor;
  expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
  return y;
}

/**
 * Naive NHWC pooling: window (i*sh - top .. + kh, j*sw - left .. + kw) clipped to the input;
 * max over it, or the mean of the real inputs in it (Keras excludes padding).
 */
function naivePool(x: Nd, kind: 'max' | 'avg', size: Pair, strides: Pair, pads: [Pair, Pair]) {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const length = (n: number, a: 0 | 1) =>
    Math.floor((n + pads[a][0] + pads[a][1] - size[a]) / strides[a]) + 1;
  const [OH, OW] = [length(H, 0), length(W, 1)];
  const y = new Nd([B, OH, OW, C]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++) {
          const values: number[] = [];
          for (let p = 0; p < size[0]; p++)
            for (let q = 0; q < size[1]; q++) {
              const r = i * strides[0] + p - pads[0][0];
              const s = j * strides[1] + q - pads[1][0];
              if (r >= 0 && r < H && s >= 0 && s < W) values.push(x.get(b, r, s, c));
            }
          const v =
            kind === 'max'
              ? Math.max(...values)
              : values.reduce((a, t) => a + t, 0) / values.length;
          y.set(v, b, i, j, c);
        }
  return y;
}

const none: [Pair, Pair] = [
  [0, 0],
  [0, 0],
];

describe('maxPool2d / avgPool2d', () => {
  it('default: 2x2 windows, strides = poolSize, valid (odd row dropped)', () => {
    const x = randomNd([2, 5, 6, 3], 1);
    for (const kind of ['max', 'avg'] as const) {
      const y = apply({ type: `${kind}Pool2d` }, x);
      expect(y.shape).toEqual([2, 2, 3, 3]);
      expect(maxDiff(y, naivePool(x, kind, [2, 2], [2, 2], none))).toBeLessThan(TOL);
    }
  });

  it('same with pool [3, 2] and strides [2, 1]: the mean excludes the padding', () => {
    const x = randomNd([2, 6, 5, 2], 2);
    // rows: ceil(6/2) = 3, total (3-1)*2 + 3 - 6 = 1 -> [0, 1]; cols: stride 1, total 1 -> [0, 1]
    const pads: [Pair, Pair] = [samePads(6, 3, 2), samePads(5, 2, 1)];
    expect(pads).toEqual([
      [0, 1],
      [0, 1],
    ]);
    for (const kind of ['max', 'avg'] as const) {
      const layer = { type: `${kind}Pool2d`, poolSize: [3, 2], strides: [2, 1], padding: 'same' };
      const y = apply(layer, x);
      expect(y.shape).toEqual([2, 3, 5, 2]);
      expect(maxDiff(y, naivePool(x, kind, [3, 2], [2, 1], pads))).toBeLessThan(TOL);
    }
  });

  it('same 3x3 stride 1 pads both sides; a border mean divides by its 4 real inputs', () => {
    const x = new Nd([1, 2, 2, 1], [1, 2, 3, 4]);
    const y = apply({ type: 'avgPool2d', poolSize: 3, strides: 1, padding: 'same' }, x);
    // every window covers the whole 2x2 input: (1+2+3+4)/4
    expect(Array.from(y.dataSync())).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('avg same gradient: each input gets 1/count from every window that covers it', () => {
    const x = randomNd([1, 5, 5, 1], 3);
    const model = layerModel({ type: 'avgPool2d', poolSize: 3, strides: 2, padding: 'same' }, [
      { shape: [5, 5, 1] },
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(run(model, [t])[0] as tf.Tensor))(x.tensor());
    // same: out 3, pads [1, 1]; windows start at -1, 1, 3 and hold 2, 3, 2 real rows
    const want = new Nd([1, 5, 5, 1]);
    const rows = [
      [-1, 2],
      [1, 3],
      [3, 2],
    ];
    for (const [r0, rn] of rows)
      for (const [c0, cn] of rows)
        for (let p = 0; p < 3; p++)
          for (let q = 0; q < 3; q++) {
            const [r, s] = [(r0 as number) + p, (c0 as number) + q];
            if (r >= 0 && r < 5 && s >= 0 && s < 5)
              want.add(1 / ((rn as number) * (cn as number)), 0, r, s, 0);
          }
    expect(maxDiff(g, want)).toBeLessThan(TOL);
  });
});

describe('maxPool1d / avgPool1d', () => {
  it('pool 3, stride 2, valid and same', () => {
    const x = randomNd([2, 7, 3], 4);
    for (const kind of ['max', 'avg'] as const) {
      for (const padding of ['valid', 'same'] as const) {
        const y = apply({ type: `${kind}Pool1d`, poolSize: 3, strides: 2, padding }, x);
        // valid: floor((7-3)/2)+1 = 3; same: ceil(7/2) = 4, pads [1, 1]
        const pads: [Pair, Pair] = [[0, 0], padding === 'same' ? samePads(7, 3, 2) : [0, 0]];
        const want = as1d(naivePool(as2d(x), kind, [1, 3], [1, 2], pads));
        expect(y.shape).toEqual([2, padding === 'same' ? 4 : 3, 3]);
        expect(maxDiff(y, want)).toBeLessThan(TOL);
      }
    }
  });

  it('strides default to poolSize', () => {
    const y = apply({ type: 'maxPool1d', poolSize: 2 }, new Nd([1, 5, 1], [1, 5, 2, 3, 9]));
    // windows [1, 5], [2, 3]; the fifth step is dropped
    expect(Array.from(y.dataSync())).toEqual([5, 3]);
  });
});

describe('global pooling', () => {
  it('max and mean over the spatial axes, keepDims', () => {
    const x = randomNd([2, 3, 4, 5], 5);
    const reduce = (f: (v: number[]) => number) => {
      const y = new Nd([2, 5]);
      for (let b = 0; b < 2; b++)
        for (let c = 0; c < 5; c++) {
          const v: number[] = [];
          for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) v.push(x.get(b, i, j, c));
          y.set(f(v), b, c);
        }
      return y;
    };
    const max = reduce((v) => Math.max(...v));
    const mean = reduce((v) => v.reduce((a, t) => a + t, 0) / v.length);
    expect(maxDiff(apply({ type: 'globalMaxPool2d' }, x), max)).toBeLessThan(TOL);
    expect(maxDiff(apply({ type: 'globalAvgPool2d' }, x), mean)).toBeLessThan(TOL);
    const kept = apply({ type: 'globalAvgPool2d', keepDims: true }, x);
    expect(maxDiff(kept, new Nd([2, 1, 1, 5], mean.data))).toBeLessThan(TOL);
    // 1d: (B, T, C) with T = 3*4 rows of the same data
    const seq = new Nd([2, 12, 5], x.data);
    expect(maxDiff(apply({ type: 'globalMaxPool1d' }, seq), max)).toBeLessThan(TOL);
    const seqKept = apply({ type: 'globalAvgPool1d', keepDims: true }, seq);
    expect(maxDiff(seqKept, new Nd([2, 1, 5], mean.data))).toBeLessThan(TOL);
  });
});
