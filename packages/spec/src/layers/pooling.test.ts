import { describe, expect, it } from 'vitest';
import { blame, f32, infer } from '../test-utils/tensors.js';

describe('maxPool2d / avgPool2d', () => {
  it('valid: floor((n - p) / s) + 1 with strides defaulting to poolSize; no params', () => {
    // LeNet S2: floor((28-2)/2)+1 = 14
    expect(infer({ type: 'maxPool2d' }, f32(28, 28, 6))).toMatchObject({
      shape: [14, 14, 6],
      params: 0,
    });
    // odd input drops the last row: floor((5-2)/2)+1 = 2
    expect(infer({ type: 'avgPool2d' }, f32(5, 5, 16)).shape).toEqual([2, 2, 16]);
    // ResNet stem after zeroPadding2d(1): floor((114-3)/2)+1 = 56
    const stem = { type: 'maxPool2d', poolSize: 3, strides: 2 };
    expect(infer(stem, f32(114, 114, 64)).shape).toEqual([56, 56, 64]);
  });
  it('same: ceil(n / s)', () => {
    // ceil(7/2) = 4
    expect(infer({ type: 'maxPool2d', padding: 'same' }, f32(7, 7, 8)).shape).toEqual([4, 4, 8]);
    // stride 1 keeps the size
    const s1 = { type: 'avgPool2d', poolSize: 3, strides: 1, padding: 'same' };
    expect(infer(s1, f32(7, 7, 8)).shape).toEqual([7, 7, 8]);
  });
  it('takes pairs, defaulting strides to the pool pair', () => {
    // [2, 1]: 10/2 = 5, 10/1 = 10
    expect(infer({ type: 'maxPool2d', poolSize: [2, 1] }, f32(10, 10, 3)).shape).toEqual([
      5, 10, 3,
    ]);
    // strides [1, 2]: floor((10-2)/1)+1 = 9, floor((10-2)/2)+1 = 5
    const s = { type: 'maxPool2d', strides: [1, 2] };
    expect(infer(s, f32(10, 10, 3)).shape).toEqual([9, 5, 3]);
    // [3, 2] with strides [3, 2]: floor((9-3)/3)+1 = 3, floor((8-2)/2)+1 = 4
    expect(infer({ type: 'avgPool2d', poolSize: [3, 2] }, f32(9, 8, 1)).shape).toEqual([3, 4, 1]);
  });
  it('keeps free dims free', () => {
    expect(infer({ type: 'maxPool2d' }, f32(null, 10, 3)).shape).toEqual([null, 5, 3]);
  });
  it('rejects a window larger than the input and the wrong rank', () => {
    // floor((2-3)/3)+1 = 0
    expect(blame(() => infer({ type: 'maxPool2d', poolSize: 3 }, f32(2, 2, 1)))).toBe('poolSize');
    expect(() => infer({ type: 'avgPool2d' }, f32(10, 3))).toThrow(
      /expected input of rank 4 \(batch, height, width, channels\)/,
    );
  });
});

describe('maxPool1d / avgPool1d', () => {
  it('pools the steps axis', () => {
    // 100/2 = 50
    expect(infer({ type: 'maxPool1d' }, f32(100, 16))).toMatchObject({
      shape: [50, 16],
      params: 0,
    });
    // stride 1: 100-3+1 = 98
    expect(infer({ type: 'avgPool1d', poolSize: 3, strides: 1 }, f32(100, 16)).shape).toEqual([
      98, 16,
    ]);
    // same, stride 2: ceil(101/2) = 51
    const same = { type: 'maxPool1d', poolSize: 3, strides: 2, padding: 'same' };
    expect(infer(same, f32(101, 16)).shape).toEqual([51, 16]);
    expect(infer({ type: 'avgPool1d' }, f32(null, 16)).shape).toEqual([null, 16]);
  });
  it('rejects a too-short input and the wrong rank', () => {
    expect(blame(() => infer({ type: 'avgPool1d', poolSize: 4 }, f32(3, 2)))).toBe('poolSize');
    expect(blame(() => infer({ type: 'maxPool1d' }, f32(8, 8, 3)))).toBe('inputs');
  });
});

describe('global pooling', () => {
  it('reduces every spatial axis, or keeps them as 1', () => {
    expect(infer({ type: 'globalAvgPool2d' }, f32(7, 7, 512))).toMatchObject({
      shape: [512],
      params: 0,
    });
    expect(infer({ type: 'globalMaxPool2d', keepDims: true }, f32(7, 7, 512)).shape).toEqual([
      1, 1, 512,
    ]);
    expect(infer({ type: 'globalAvgPool1d' }, f32(null, 64)).shape).toEqual([64]);
    expect(infer({ type: 'globalMaxPool1d', keepDims: true }, f32(null, 64)).shape).toEqual([
      1, 64,
    ]);
    expect(infer({ type: 'globalMaxPool2d' }, f32(null, null, 3)).shape).toEqual([3]);
  });
  it('needs the rank of its family', () => {
    expect(blame(() => infer({ type: 'globalAvgPool2d' }, f32(10, 3)))).toBe('inputs');
    expect(() => infer({ type: 'globalAvgPool1d' }, f32(4, 4, 3))).toThrow(
      /rank 3 \(batch, steps, channels\)/,
    );
  });
});
