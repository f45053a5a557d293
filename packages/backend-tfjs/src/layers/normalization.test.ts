// Training registers tfjs's gradients; this test differentiates through the layers directly.
// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import type { NetspecModel } from '../model/model.js';
import { Rng } from '../random.js';
import { layerModel, run, weightOf } from '../test-utils/layer.js';
import { tf } from '../tf.js';

// Expected values are plain-JS loops in float64 over the model's own weights (formulas in the
// comments), never the backend's output.

/** Seeded uniform values in [lo, hi). */
function uniform(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major multi-index of flat index `i`. */
function indexOf(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1, r = i; a >= 0; a--) {
    const d = shape[a] as number;
    idx[a] = r % d;
    r = Math.floor(r / d);
  }
  return idx;
}

/** Row-major flat index of idx restricted to `axes` (in tensor order) of `shape`. */
const flatOver = (idx: number[], shape: number[], axes: number[]) =>
  axes.reduce((f, a) => f * (shape[a] as number) + (idx[a] as number), 0);

interface Ref {
  /** Which statistics group an element belongs to. */
  group: (idx: number[]) => string;
  /** Index of the element's gamma/beta/scale. */
  param: (idx: number[]) => number;
  epsilon: number;
  gamma?: ArrayLike<number> | undefined;
  beta?: ArrayLike<number> | undefined;
  /** Given statistics by group (batchNorm inference), else computed from x. */
  stats?: (idx: number[]) => { mean: number; variance: number };
  /** RMS norm: mean 0 and variance = mean(x²). */
  rms?: boolean;
}

/** y = (x - mean) / sqrt(var + eps) · gamma + beta, statistics over each group (biased var). */
function reference(x: ArrayLike<number>, shape: number[], r: Ref): Float64Array {
  const sums = new Map<string, { n: number; s: number; s2: number }>();
  for (let i = 0; i < x.length; i++) {
    const g = r.group(indexOf(i, shape));
    const acc = sums.get(g) ?? { n: 0, s: 0, s2: 0 };
    const v = x[i] as number;
    sums.set(g, { n: acc.n + 1, s: acc.s + v, s2: acc.s2 + v * v });
  }
  return Float64Array.from(x, (v, i) => {
    const idx = indexOf(i, shape);
    const acc = sums.get(r.group(idx)) as { n: number; s: number; s2: number };
    const mean = r.rms ? 0 : acc.s / acc.n;
    const variance = r.rms ? acc.s2 / acc.n : acc.s2 / acc.n - mean * mean;
    const st = r.stats ? r.stats(idx) : { mean, variance };
    const p = r.param(idx);
    const g = r.gamma ? (r.gamma[p] as number) : 1;
    const b = r.beta ? (r.beta[p] as number) : 0;
    return ((v - st.mean) / Math.sqrt(st.variance + r.epsilon)) * g + b;
  });
}

function maxDiff(actual: tf.Tensor, expected: ArrayLike<number>): number {
  const got = actual.dataSync();
  expect(got.length).toBe(expected.length);
  return Array.from(got).reduce((m, v, i) => Math.max(m, Math.abs(v - (expected[i] as number))), 0);
}

/** Sets every weight of the layer to seeded values in [lo, hi). */
function randomize(m: NetspecModel, seed: number, lo = -1, hi = 1): void {
  for (const [i, w] of [...m.weights.values()].entries())
    w.variable.assign(tf.tensor(uniform(seed + i, w.variable.size, lo, hi), w.param.shape));
}

/** A one-layer model over `shape` (no batch) with random weights; variances stay positive. */
function model(layer: Record<string, unknown>, shape: (number | null)[]): NetspecModel {
  const m = layerModel(layer, [{ shape }]);
  randomize(m, 30, 0.5, 1.5);
  return m;
}

const weight = (m: NetspecModel, name: string) =>
  m.weights.has(`layer.${name}`) ? weightOf(m, `layer.${name}`) : undefined;

/** Runs the layer on x and checks the shape against the spec's inference. */
function apply(m: NetspecModel, x: Float32Array, shape: number[], training = false): tf.Tensor {
  const [y] = run(m, [tf.tensor(x, shape)], training) as [tf.Tensor];
  const inferred = m.resolved.nodes.find((n) => n.path === 'layer')?.outputs[0]?.shape ?? [];
  expect(y.shape).toEqual([shape[0], ...inferred.map((d, i) => d ?? shape[i + 1])]);
  return y;
}

describe('batchNorm', () => {
  const shape = [4, 3, 5];
  const x = uniform(1, size(shape), -2, 3);
  const perChannel = (axis: number) => (idx: number[]) => String(idx[axis]);

  it('normalizes by the moving statistics at inference', () => {
    const m = model({ type: 'batchNorm' }, [3, 5]);
    const mm = weight(m, 'moving_mean') as Float32Array;
    const mv = weight(m, 'moving_variance') as Float32Array;
    // y = (x - moving_mean[c]) / sqrt(moving_variance[c] + 1e-3) · gamma[c] + beta[c]
    const want = reference(x, shape, {
      group: perChannel(2),
      param: (idx) => idx[2] as number,
      epsilon: 1e-3,
      gamma: weight(m, 'gamma'),
      beta: weight(m, 'beta'),
      stats: (idx) => ({
        mean: mm[idx[2] as number] as number,
        variance: mv[idx[2] as number] as number,
      }),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });

  it('uses and updates batch statistics in training, on another axis, without beta', () => {
    const m = model(
      { type: 'batchNorm', axis: 1, momentum: 0.9, epsilon: 0.01, center: false },
      [3, 5],
    );
    expect(weight(m, 'beta')).toBeUndefined();
    const mm = Float64Array.from(weight(m, 'moving_mean') as Float32Array);
    const mv = Float64Array.from(weight(m, 'moving_variance') as Float32Array);
    const want = reference(x, shape, {
      group: perChannel(1),
      param: (idx) => idx[1] as number,
      epsilon: 0.01,
      gamma: weight(m, 'gamma'),
    });
    expect(maxDiff(apply(m, x, shape, true), want)).toBeLessThan(1e-5);
    // channel c of axis 1: mean and biased variance over the 4·5 values of the batch
    for (let c = 0; c < 3; c++) {
      const values = Array.from(x).filter((_, i) => indexOf(i, shape)[1] === c);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      // Keras: moving = moving · 0.9 + batch · 0.1
      expect(weight(m, 'moving_mean')?.[c]).toBeCloseTo((mm[c] as number) * 0.9 + mean * 0.1, 5);
      expect(weight(m, 'moving_variance')?.[c]).toBeCloseTo(
        (mv[c] as number) * 0.9 + variance * 0.1,
        5,
      );
    }
  });

  it('runs in inference mode while training when frozen, itself or by its block', () => {
    const frozen = model({ type: 'batchNorm', trainable: false }, [3, 5]);
    const before = weight(frozen, 'moving_mean')?.slice();
    const inference = apply(frozen, x, shape).dataSync();
    expect(maxDiff(apply(frozen, x, shape, true), inference)).toBe(0);
    expect(weight(frozen, 'moving_mean')).toEqual(before);
    const inBlock = buildModel({
      specVersion: 1,
      name: 'frozen_block',
      inputs: [{ id: 'x', shape: [3, 5] }],
      blocks: { norm: { layers: [{ id: 'bn', type: 'batchNorm' }] } },
      layers: [{ id: 'b', type: 'block', block: 'norm', trainable: false }],
      outputs: ['b'],
    });
    const moving = inBlock.weights.get('b.0.bn.moving_mean')?.variable.dataSync().slice();
    inBlock.forward({ x: tf.tensor(x, shape) }, { training: true });
    expect(inBlock.weights.get('b.0.bn.moving_mean')?.variable.dataSync()).toEqual(moving);
  });

  it('differentiates through the batch statistics (central differences of the reference)', () => {
    const m = model({ type: 'batchNorm' }, [3, 5]);
    const coef = uniform(6, x.length);
    const loss = (t: tf.Tensor) =>
      tf.sum(tf.mul(run(m, [t], true)[0] as tf.Tensor, tf.tensor(coef, shape)));
    const grad = tf.grad(loss)(tf.tensor(x, shape)).dataSync();
    const ref: Ref = {
      group: perChannel(2),
      param: (idx) => idx[2] as number,
      epsilon: 1e-3,
      gamma: weight(m, 'gamma'),
      beta: weight(m, 'beta'),
    };
    const refLoss = (k: number, d: number) =>
      reference(
        Float64Array.from(x, (v, i) => (i === k ? v + d : v)),
        shape,
        ref,
      ).reduce((s, v, i) => s + v * (coef[i] as number), 0);
    for (let k = 0; k < x.length; k++) {
      const fd = (refLoss(k, 1e-5) - refLoss(k, -1e-5)) / 2e-5;
      expect(Math.abs((grad[k] as number) - fd)).toBeLessThan(1e-4);
    }
  });
});

describe('layerNorm', () => {
  const shape = [2, 3, 4];
  const x = uniform(2, size(shape), -2, 3);
  const perSample = (keep: number[]) => (idx: number[]) => keep.map((a) => idx[a]).join(',');

  it('normalizes each position over the last axis', () => {
    const m = model({ type: 'layerNorm' }, [3, 4]);
    const want = reference(x, shape, {
      group: perSample([0, 1]),
      param: (idx) => idx[2] as number,
      epsilon: 1e-3,
      gamma: weight(m, 'gamma'),
      beta: weight(m, 'beta'),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });

  it('normalizes over several axes, without gamma, with another epsilon', () => {
    const m = model({ type: 'layerNorm', axis: [1, 2], scale: false, epsilon: 0.5 }, [3, 4]);
    const want = reference(x, shape, {
      group: perSample([0]),
      param: (idx) => flatOver(idx, shape, [1, 2]),
      epsilon: 0.5,
      beta: weight(m, 'beta'),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });

  it('reshapes weights of axes given out of order as Keras does', () => {
    // axis [-1, -2]: gamma (4, 3) read in memory order as (3, 4)
    const m = model({ type: 'layerNorm', axis: [-1, -2] }, [3, 4]);
    expect(m.weights.get('layer.gamma')?.param.shape).toEqual([4, 3]);
    const want = reference(x, shape, {
      group: perSample([0]),
      param: (idx) => flatOver(idx, shape, [1, 2]),
      epsilon: 1e-3,
      gamma: weight(m, 'gamma'),
      beta: weight(m, 'beta'),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });
});

describe('groupNorm', () => {
  it('normalizes each sample over contiguous groups of channels', () => {
    const shape = [2, 3, 6];
    const x = uniform(3, size(shape), -2, 3);
    const m = model({ type: 'groupNorm', groups: 3 }, [3, 6]);
    // statistics per (sample, channel / 2) over 3 positions · 2 channels
    const want = reference(x, shape, {
      group: (idx) => `${idx[0]},${Math.floor((idx[2] as number) / 2)}`,
      param: (idx) => idx[2] as number,
      epsilon: 1e-3,
      gamma: weight(m, 'gamma'),
      beta: weight(m, 'beta'),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });

  it('takes the channels on another axis, without center, over a free length', () => {
    const shape = [2, 4, 5];
    const x = uniform(4, size(shape), -2, 3);
    const m = model({ type: 'groupNorm', groups: 2, axis: 1, center: false, epsilon: 0.1 }, [
      4,
      null,
    ]);
    const want = reference(x, shape, {
      group: (idx) => `${idx[0]},${Math.floor((idx[1] as number) / 2)}`,
      param: (idx) => idx[1] as number,
      epsilon: 0.1,
      gamma: weight(m, 'gamma'),
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });
});

describe('rmsNorm', () => {
  const shape = [2, 3, 4];
  const x = uniform(5, size(shape), -2, 3);

  it('starts with scale = ones and divides by the root mean square', () => {
    const m = layerModel({ type: 'rmsNorm' }, [{ shape: [3, 4] }]);
    expect([...(weight(m, 'scale') as Float32Array)]).toEqual([1, 1, 1, 1]);
    randomize(m, 40);
    // y = x / sqrt(mean(x², last axis) + 1e-6) · scale
    const want = reference(x, shape, {
      group: (idx) => `${idx[0]},${idx[1]}`,
      param: (idx) => idx[2] as number,
      epsilon: 1e-6,
      gamma: weight(m, 'scale'),
      rms: true,
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });

  it('normalizes over several axes with another epsilon', () => {
    const m = model({ type: 'rmsNorm', axis: [1, 2], epsilon: 0.3 }, [3, 4]);
    const want = reference(x, shape, {
      group: (idx) => String(idx[0]),
      param: (idx) => flatOver(idx, shape, [1, 2]),
      epsilon: 0.3,
      gamma: weight(m, 'scale'),
      rms: true,
    });
    expect(maxDiff(apply(m, x, shape), want)).toBeLessThan(1e-5);
  });
});
