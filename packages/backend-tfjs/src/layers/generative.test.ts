// Training registers tfjs's gradients; this test differentiates through the layers directly.
// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import type { NetspecModel } from '../model/model.js';
import { Rng } from '../random.js';
import { layerModel, maxAbsDiff, run } from '../test-utils/layer.js';
import { tf } from '../tf.js';

// Noise cannot be predicted, so the tests recover it (eps = (z - mean) / sigma) and check the
// formulas around it by hand, its statistics, and its seeding.

/** Seeded uniform values in [lo, hi) of `shape`. */
function uniform(seed: number, shape: number[], lo = -1, hi = 1): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next()),
    shape,
  );
}

/** Mean and standard deviation of a tensor's values. */
function stats(t: tf.Tensor): { mean: number; std: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

/** The layer's inferred output shape with the batch in front. */
const inferred = (m: NetspecModel, batch: number) => [
  batch,
  ...(m.resolved.nodes.find((n) => n.path === 'layer')?.outputs[0]?.shape ?? []),
];

describe('sampling', () => {
  const D = 1000;
  const sampler = (extra: Record<string, unknown> = {}) =>
    layerModel({ type: 'sampling', ...extra }, [{ shape: [D] }, { shape: [D] }]);
  const mean = uniform(1, [2, D], -3, 3);

  it('draws eps ~ N(0, 1): z = zMean + eps when zLogVar = 0', () => {
    const [z] = run(sampler(), [mean, tf.zeros([2, D])]) as [tf.Tensor];
    expect(z.shape).toEqual([2, D]);
    const eps = stats(tf.sub(z, mean));
    // 2000 draws: the mean within ~4.5 standard errors (0.1), the std within 0.07
    expect(Math.abs(eps.mean)).toBeLessThan(0.1);
    expect(Math.abs(eps.std - 1)).toBeLessThan(0.07);
  });

  it('scales eps by exp(0.5 · zLogVar) (the same seed draws the same eps)', () => {
    const m = sampler();
    expect(inferred(m, 2)).toEqual([2, D]);
    const eps = tf.sub(run(m, [mean, tf.zeros([2, D])])[0] as tf.Tensor, mean);
    // exp(0.5 · log 4) = 2 and exp(0.5 · log 0.25) = 0.5
    for (const [logVar, sigma] of [
      [Math.log(4), 2],
      [Math.log(0.25), 0.5],
    ] as const) {
      const [z] = run(m, [mean, tf.fill([2, D], logVar)]) as [tf.Tensor];
      expect(maxAbsDiff(z, tf.add(mean, tf.mul(sigma, eps)))).toBeLessThan(1e-5);
    }
  });

  it('samples at inference too, seeded by the pass and the layer seed', () => {
    const m = sampler();
    const feeds = { x0: mean, x1: tf.zeros([2, D]) };
    const draw = (model: NetspecModel, seed: number, training = false) =>
      model.forward(feeds, { seed, training }).outputs.layer as tf.Tensor;
    expect(maxAbsDiff(draw(m, 3), mean)).toBeGreaterThan(1);
    expect(maxAbsDiff(draw(m, 3), draw(m, 3))).toBe(0);
    expect(maxAbsDiff(draw(m, 3), draw(m, 3, true))).toBe(0);
    expect(maxAbsDiff(draw(m, 3), draw(m, 4))).toBeGreaterThan(1);
    expect(maxAbsDiff(draw(m, 3), draw(sampler({ seed: 5 }), 3))).toBeGreaterThan(1);
  });

  it("passes zMean through at inference with inference: 'mean', and still samples in training", () => {
    const m = sampler({ inference: 'mean' });
    const feeds = { x0: mean, x1: tf.fill([2, D], Math.log(4)) };
    const pass = (training: boolean) =>
      m.forward(feeds, { seed: 3, training }).outputs.layer as tf.Tensor;
    expect(maxAbsDiff(pass(false), mean)).toBe(0);
    // In training it is the same draw as the sampling layer's: sigma 2 moves z well off zMean.
    expect(maxAbsDiff(pass(true), mean)).toBeGreaterThan(1);
    expect(
      maxAbsDiff(pass(true), sampler().forward(feeds, { seed: 3 }).outputs.layer as tf.Tensor),
    ).toBe(0);
  });

  it('passes gradients to both inputs: dz/dmean = 1, dz/dlogVar = 0.5 · sigma · eps', () => {
    const m = sampler();
    const logVar = uniform(2, [2, D]);
    const z = run(m, [mean, logVar])[0] as tf.Tensor;
    const [dMean, dLogVar] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(run(m, [a, b])[0] as tf.Tensor),
    )([mean, logVar]) as [tf.Tensor, tf.Tensor];
    expect(maxAbsDiff(dMean, 1)).toBe(0);
    // sigma · eps = z - mean, so the gradient is 0.5 · (z - mean)
    expect(maxAbsDiff(dLogVar, tf.mul(0.5, tf.sub(z, mean)))).toBeLessThan(1e-5);
  });
});

describe('gaussianNoise', () => {
  const shape = [4, 50, 10];
  const x = uniform(3, shape);
  const noisy = (stddev: number, seed?: number) =>
    layerModel({ type: 'gaussianNoise', stddev, seed }, [{ shape: [null, 10] }]);

  it('is the identity at inference', () => {
    const [y] = run(noisy(0.5), [x]) as [tf.Tensor];
    expect(y.shape).toEqual(shape);
    expect(maxAbsDiff(y, x)).toBe(0);
  });

  it('adds N(0, stddev²) noise in training, the same for the same seed', () => {
    const m = noisy(0.5);
    const [y] = run(m, [x], true) as [tf.Tensor];
    const noise = stats(tf.sub(y, x));
    // 2000 draws of stddev 0.5: mean within 0.05, std within 0.035
    expect(Math.abs(noise.mean)).toBeLessThan(0.05);
    expect(Math.abs(noise.std - 0.5)).toBeLessThan(0.035);
    expect(maxAbsDiff(run(m, [x], true)[0] as tf.Tensor, y)).toBe(0);
    expect(maxAbsDiff(run(noisy(0.5, 9), [x], true)[0] as tf.Tensor, y)).toBeGreaterThan(0.1);
  });

  it('adds nothing with stddev 0', () => {
    expect(maxAbsDiff(run(noisy(0), [x], true)[0] as tf.Tensor, x)).toBe(0);
  });
});
