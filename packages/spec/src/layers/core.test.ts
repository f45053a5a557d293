import { describe, expect, it } from 'vitest';
import { f32, i32, infer } from '../test-utils/tensors.js';

describe('dense', () => {
  it('maps the last axis to units; params = in*units + units', () => {
    // 784*128 + 128 = 100480 (Keras: Dense(128) on (None, 784))
    expect(infer({ type: 'dense', units: 128 }, f32(784))).toMatchObject({
      shape: [128],
      params: 100480,
    });
    // no bias: 64*10 = 640
    expect(infer({ type: 'dense', units: 10, useBias: false }, f32(64)).params).toBe(640);
    // rank 3 input applies on the last axis: (T, 16) -> (T, 32), 16*32 + 32 = 544
    expect(infer({ type: 'dense', units: 32 }, f32(null, 16))).toMatchObject({
      shape: [null, 32],
      params: 544,
    });
  });
  it('needs a known last dimension', () => {
    expect(() => infer({ type: 'dense', units: 3 }, f32(4, null))).toThrow(/must be known/);
  });
});

describe('embedding', () => {
  it('adds an axis of outputDim; params = inputDim*outputDim', () => {
    // 1000*64 = 64000
    expect(infer({ type: 'embedding', inputDim: 1000, outputDim: 64 }, i32(null))).toMatchObject({
      shape: [null, 64],
      params: 64000,
      dtype: 'float32',
    });
  });
});

describe('reshape / flatten / permute / repeatVector / slice', () => {
  it('flattens (5, 5, 16) to 400', () => {
    expect(infer({ type: 'flatten' }, f32(5, 5, 16)).shape).toEqual([400]);
    expect(() => infer({ type: 'flatten' }, f32(null, 3))).toThrow(/free dimension/);
  });
  it('reshapes with one inferred dimension', () => {
    expect(infer({ type: 'reshape', targetShape: [7, 7, -1] }, f32(784)).shape).toEqual([7, 7, 16]);
    expect(() => infer({ type: 'reshape', targetShape: [5, -1] }, f32(12))).toThrow(
      /cannot reshape/,
    );
    expect(() => infer({ type: 'reshape', targetShape: [5, 3] }, f32(12))).toThrow(
      /cannot reshape/,
    );
  });
  it('permutes with 1-based dims', () => {
    expect(infer({ type: 'permute', dims: [2, 1] }, f32(10, 64)).shape).toEqual([64, 10]);
    expect(() => infer({ type: 'permute', dims: [1, 1] }, f32(10, 64))).toThrow(/permutation/);
  });
  it('repeats a vector', () => {
    expect(infer({ type: 'repeatVector', n: 3 }, f32(32)).shape).toEqual([3, 32]);
  });
  it('slices and squeezes', () => {
    expect(
      infer({ type: 'slice', axis: 1, start: 0, end: 1, squeeze: true }, f32(128, 768)).shape,
    ).toEqual([768]);
    expect(
      infer({ type: 'slice', axis: -1, start: 2, end: -2, step: 2 }, f32(4, 10)).shape,
    ).toEqual([4, 3]);
    expect(() => infer({ type: 'slice', axis: 1, start: 5, end: 5 }, f32(8))).toThrow(/empty/);
  });
});

describe('prelu', () => {
  it('learns one alpha per unit, or per channel with sharedAxes', () => {
    // Keras PReLU on (28, 28, 8): 28*28*8 = 6272; shared_axes=[1, 2]: 8
    expect(infer({ type: 'prelu' }, f32(28, 28, 8)).params).toBe(6272);
    expect(infer({ type: 'prelu', sharedAxes: [1, 2] }, f32(28, 28, 8)).params).toBe(8);
  });
});
