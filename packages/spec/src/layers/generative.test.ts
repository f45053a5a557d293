import { describe, expect, it } from 'vitest';
import { blame, f32, infer } from '../test-utils/tensors.js';
import { generativeLayers as kinds } from './generative.js';

describe('sampling', () => {
  const s = { type: 'sampling' };
  it('maps [zMean, zLogVar] to z of the same shape, with no weights', () => {
    // VAE with a 16-d latent: (None, 16) twice -> (None, 16), 0 params
    expect(infer(s, f32(16), f32(16))).toMatchObject({
      shapes: [[16]],
      params: 0,
      dtype: 'float32',
    });
    expect(infer({ ...s, seed: 7 }, f32(null, 8), f32(null, 8)).shape).toEqual([null, 8]);
    // a free dimension takes the other input's size
    expect(infer(s, f32(null, 8), f32(10, 8)).shape).toEqual([10, 8]);
    expect(kinds.sampling.arity).toEqual({ min: 2, max: 2, dtype: 'float32' });
  });
  it("samples at inference unless told to pass zMean through with inference: 'mean'", () => {
    const layer = { id: 'z', ...s };
    expect(kinds.sampling.schema.parse(layer)).toMatchObject({ inference: 'sample' });
    expect(kinds.sampling.schema.parse({ ...layer, inference: 'mean' })).toMatchObject({
      inference: 'mean',
    });
    expect(() => kinds.sampling.schema.parse({ ...layer, inference: 'median' })).toThrow(
      /expected one of \W+sample\W+mean/,
    );
  });
  it('needs zLogVar shaped like zMean', () => {
    expect(() => infer(s, f32(16), f32(8))).toThrow(
      /expected zLogVar of the shape of zMean \(None, 16\), got \(None, 8\)/,
    );
    expect(blame(() => infer(s, f32(16), f32(8)))).toBe('inputs/1');
    expect(blame(() => infer(s, f32(4, 16), f32(16)))).toBe('inputs/1');
    expect(blame(() => infer(s, f32(16)))).toBe('inputs');
  });
});

describe('gaussianNoise', () => {
  it('keeps the shape, with no weights', () => {
    // GaussianNoise(0.1) on (28, 28, 1): identity shape, 0 params
    expect(infer({ type: 'gaussianNoise', stddev: 0.1 }, f32(28, 28, 1))).toMatchObject({
      shape: [28, 28, 1],
      params: 0,
    });
    expect(infer({ type: 'gaussianNoise', stddev: 0, seed: 1 }, f32(null, 4)).shape).toEqual([
      null,
      4,
    ]);
  });
  it('requires a non-negative stddev, as Keras does', () => {
    expect(() => infer({ type: 'gaussianNoise' }, f32(4))).toThrow();
    expect(() => infer({ type: 'gaussianNoise', stddev: -1 }, f32(4))).toThrow(/>= 0/);
  });
});
