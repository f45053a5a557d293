import { describe, expect, it } from 'vitest';
import { blame, f32, infer } from '../test-utils/tensors.js';
import { normalizationLayers as kinds } from './normalization.js';

describe('batchNorm', () => {
  const bn = { type: 'batchNorm' };
  it('learns gamma and beta per channel and keeps two non-trainable moving statistics', () => {
    // Keras BatchNormalization on (28, 28, 32): 4*32 = 128 params, 2*32 = 64 non-trainable
    expect(infer(bn, f32(28, 28, 32))).toMatchObject({
      shape: [28, 28, 32],
      params: 128,
      trainable: 64,
      paramShapes: { gamma: [32], beta: [32], moving_mean: [32], moving_variance: [32] },
    });
    // after Dense(64): 4*64 = 256, trainable 2*64 = 128
    expect(infer(bn, f32(64))).toMatchObject({ shape: [64], params: 256, trainable: 128 });
    // free time dimension, channels known: 4*16 = 64
    expect(infer(bn, f32(null, 16))).toMatchObject({ shape: [null, 16], params: 64 });
  });
  it('drops gamma or beta with scale or center off', () => {
    // center=False on 16 channels: gamma + 2 statistics = 3*16 = 48, trainable 16
    expect(infer({ ...bn, center: false }, f32(16))).toMatchObject({ params: 48, trainable: 16 });
    // neither: only the statistics, 2*10 = 20, nothing trainable
    expect(infer({ ...bn, center: false, scale: false }, f32(10))).toMatchObject({
      params: 20,
      trainable: 0,
    });
  });
  it('normalizes another axis when asked', () => {
    // channels-first (16, 8, 8) with axis=1: 4*16 = 64
    expect(infer({ ...bn, axis: 1 }, f32(16, 8, 8)).paramShapes.gamma).toEqual([16]);
    // axis=-2 on (10, 6): 4*10 = 40
    expect(infer({ ...bn, axis: -2 }, f32(10, 6)).params).toBe(40);
  });
  it('fills Keras defaults', () => {
    expect(kinds.batchNorm.config.parse(bn)).toMatchObject({
      axis: -1,
      momentum: 0.99,
      epsilon: 1e-3,
      center: true,
      scale: true,
      betaInitializer: 'zeros',
      gammaInitializer: 'ones',
      movingMeanInitializer: 'zeros',
      movingVarianceInitializer: 'ones',
    });
  });
  it('needs a known channel axis inside the input', () => {
    expect(() => infer(bn, f32(8, null))).toThrow(/must be known/);
    expect(blame(() => infer(bn, f32(8, null)))).toBe('inputs');
    expect(blame(() => infer({ ...bn, axis: 0 }, f32(8, 4)))).toBe('axis');
    expect(() => infer({ ...bn, axis: 3 }, f32(8, 4))).toThrow(/expected an axis in 1\.\.2/);
  });
});

describe('layerNorm', () => {
  const ln = { type: 'layerNorm' };
  it('learns gamma and beta over the last axis by default', () => {
    // Keras LayerNormalization on (10, 512): 2*512 = 1024, all trainable
    expect(infer(ln, f32(10, 512))).toMatchObject({
      shape: [10, 512],
      params: 1024,
      trainable: 1024,
      paramShapes: { gamma: [512], beta: [512] },
    });
    // free time dimension: 2*768 = 1536
    expect(infer(ln, f32(null, 768))).toMatchObject({ shape: [null, 768], params: 1536 });
    // scale=False leaves beta: 512
    expect(infer({ ...ln, scale: false }, f32(10, 512)).params).toBe(512);
    expect(kinds.layerNorm.config.parse(ln)).toMatchObject({ axis: -1, epsilon: 1e-3 });
  });
  it('shapes the weights as the normalized axes, in the order given', () => {
    // axis=[1, 2] on (4, 8, 16): gamma (4, 8), 2*4*8 = 64
    expect(infer({ ...ln, axis: [1, 2] }, f32(4, 8, 16))).toMatchObject({
      params: 64,
      paramShapes: { gamma: [4, 8], beta: [4, 8] },
    });
    // axis=[-1, -2] on (10, 32): gamma (32, 10), 2*320 = 640
    expect(infer({ ...ln, axis: [-1, -2] }, f32(10, 32)).paramShapes.beta).toEqual([32, 10]);
  });
  it('rejects repeated, out-of-range and unknown axes', () => {
    expect(blame(() => infer({ ...ln, axis: [2, -1] }, f32(4, 8)))).toBe('axis/1');
    expect(() => infer({ ...ln, axis: [2, -1] }, f32(4, 8))).toThrow(/expected distinct axes/);
    expect(blame(() => infer({ ...ln, axis: [5] }, f32(4, 8)))).toBe('axis/0');
    expect(blame(() => infer({ ...ln, axis: 1 }, f32(null, 8)))).toBe('inputs');
  });
});

describe('groupNorm', () => {
  const gn = { type: 'groupNorm' };
  it('learns gamma and beta per channel', () => {
    // Keras GroupNormalization(32) on (32, 32, 64): 2*64 = 128
    expect(infer(gn, f32(32, 32, 64))).toMatchObject({
      shape: [32, 32, 64],
      params: 128,
      trainable: 128,
      paramShapes: { gamma: [64], beta: [64] },
    });
    // groups=8 on 48 channels: 2*48 = 96; center=False: 48
    expect(infer({ ...gn, groups: 8 }, f32(8, 8, 48)).params).toBe(96);
    expect(infer({ ...gn, groups: 8, center: false }, f32(8, 8, 48)).params).toBe(48);
    // groups equal to channels (instance norm): 2*8 = 16
    expect(infer({ ...gn, groups: 8 }, f32(null, 8)).params).toBe(16);
    expect(kinds.groupNorm.config.parse(gn)).toMatchObject({ groups: 32, axis: -1, epsilon: 1e-3 });
  });
  it('needs groups that divide the channels', () => {
    // default 32 groups do not divide 48 channels
    expect(() => infer(gn, f32(8, 8, 48))).toThrow(
      /expected groups to divide the 48 channels of input \(None, 8, 8, 48\), got 32/,
    );
    expect(blame(() => infer(gn, f32(8, 8, 48)))).toBe('groups');
    // more groups than channels
    expect(blame(() => infer({ ...gn, groups: 64 }, f32(4, 4, 32)))).toBe('groups');
    expect(blame(() => infer(gn, f32(4, null)))).toBe('inputs');
  });
});

describe('rmsNorm', () => {
  const rms = { type: 'rmsNorm' };
  it('learns one scale per feature, named as in Keras', () => {
    // Keras RMSNormalization on (None, 4096): 4096
    expect(infer(rms, f32(null, 4096))).toMatchObject({
      shape: [null, 4096],
      params: 4096,
      trainable: 4096,
      paramShapes: { scale: [4096] },
    });
    // axis=[-2, -1] on (8, 16): scale (8, 16) = 128
    expect(infer({ ...rms, axis: [-2, -1] }, f32(8, 16)).paramShapes).toEqual({ scale: [8, 16] });
    expect(kinds.rmsNorm.config.parse(rms)).toMatchObject({ axis: -1, epsilon: 1e-6 });
  });
  it('needs the normalized axis known', () => {
    expect(() => infer(rms, f32(8, null))).toThrow(/must be known to size scale/);
  });
});
