import { describe, expect, it } from 'vitest';
import { blame, f32, i32, infer } from '../test-utils/tensors.js';

describe('conv2d', () => {
  it('valid padding: out = floor((n - k) / s) + 1; params = kh*kw*in*filters + filters', () => {
    // LeNet C1: 32-5+1 = 28; 5*5*1*6 + 6 = 156
    expect(infer({ type: 'conv2d', filters: 6, kernelSize: 5 }, f32(32, 32, 1))).toMatchObject({
      shape: [28, 28, 6],
      params: 156,
    });
    // LeNet C3: 14-5+1 = 10; 5*5*6*16 + 16 = 2416
    expect(infer({ type: 'conv2d', filters: 16, kernelSize: 5 }, f32(14, 14, 6))).toMatchObject({
      shape: [10, 10, 16],
      params: 2416,
    });
    // stride 2: floor((7-3)/2)+1 = 3; 3*3*8*16 + 16 = 1168
    const r = infer({ type: 'conv2d', filters: 16, kernelSize: 3, strides: 2 }, f32(7, 7, 8));
    expect(r).toMatchObject({ shape: [3, 3, 16], params: 1168 });
    expect(r.paramShapes).toEqual({ kernel: [3, 3, 8, 16], bias: [16] });
  });
  it('same padding: out = ceil(n / s)', () => {
    // ResNet conv1: ceil(224/2) = 112; 7*7*3*64 = 9408 (no bias)
    const c = { type: 'conv2d', filters: 64, kernelSize: 7, strides: 2, padding: 'same' };
    expect(infer({ ...c, useBias: false }, f32(224, 224, 3))).toMatchObject({
      shape: [112, 112, 64],
      params: 9408,
    });
  });
  it('takes pairs per axis', () => {
    // H: 10-3+1 = 8; W: floor((20-5)/2)+1 = 8; 3*5*4*2 + 2 = 122
    const c = { type: 'conv2d', filters: 2, kernelSize: [3, 5], strides: [1, 2] };
    expect(infer(c, f32(10, 20, 4))).toMatchObject({ shape: [8, 8, 2], params: 122 });
  });
  it('dilates: span = (k-1)*d + 1', () => {
    // span 5: 32-5+1 = 28; 3*3*3*8 + 8 = 224
    const c = { type: 'conv2d', filters: 8, kernelSize: 3, dilationRate: 2 };
    expect(infer(c, f32(32, 32, 3))).toMatchObject({ shape: [28, 28, 8], params: 224 });
    expect(infer({ ...c, padding: 'same' }, f32(32, 32, 3)).shape).toEqual([32, 32, 8]);
  });
  it('groups split the input channels: kernel [kh, kw, in/groups, filters]', () => {
    // 3*3*(32/4)*64 + 64 = 4672
    const c = { type: 'conv2d', filters: 64, kernelSize: 3, padding: 'same', groups: 4 };
    const r = infer(c, f32(16, 16, 32));
    expect(r).toMatchObject({ shape: [16, 16, 64], params: 4672 });
    expect(r.paramShapes.kernel).toEqual([3, 3, 8, 64]);
  });
  it('keeps free spatial dims free', () => {
    // 3*3*3*16 + 16 = 448
    expect(infer({ type: 'conv2d', filters: 16, kernelSize: 3 }, f32(null, null, 3))).toMatchObject(
      {
        shape: [null, null, 16],
        params: 448,
      },
    );
  });
  it('rejects what Keras rejects, naming the field', () => {
    const c = { type: 'conv2d', filters: 64, kernelSize: 3 };
    expect(blame(() => infer({ ...c, groups: 3 }, f32(8, 8, 32)))).toBe('groups');
    expect(() => infer({ ...c, groups: 3 }, f32(8, 8, 33))).toThrow(/filters divisible by groups/);
    expect(() => infer({ ...c, groups: 4 }, f32(8, 8, 6))).toThrow(/input channels divisible/);
    expect(blame(() => infer({ ...c, strides: 2, dilationRate: 2 }, f32(8, 8, 3)))).toBe('strides');
    expect(blame(() => infer({ ...c, kernelSize: 5 }, f32(3, 3, 1)))).toBe('kernelSize');
    expect(() => infer({ ...c, kernelSize: 5 }, f32(3, 3, 1))).toThrow(/too small/);
    expect(() => infer(c, f32(28, 28))).toThrow(/expected input of rank 4 \(batch, height, width/);
    expect(() => infer(c, f32(8, 8, null))).toThrow(/must be known/);
  });
});

describe('conv1d', () => {
  it('valid, same and causal lengths; params = k*in*filters + filters', () => {
    const c = { type: 'conv1d', filters: 32, kernelSize: 3 };
    // 100-3+1 = 98; 3*16*32 + 32 = 1568
    const r = infer(c, f32(100, 16));
    expect(r).toMatchObject({ shape: [98, 32], params: 1568 });
    expect(r.paramShapes).toEqual({ kernel: [3, 16, 32], bias: [32] });
    // causal pads (k-1)*d on the left: length kept, 100
    const causal = { ...c, padding: 'causal', dilationRate: 4 };
    expect(infer(causal, f32(100, 16))).toMatchObject({ shape: [100, 32], params: 1568 });
    // causal stride 2: ceil(100/2) = 50
    expect(infer({ ...c, padding: 'causal', strides: 2 }, f32(100, 16)).shape).toEqual([50, 32]);
    // same stride 2: ceil(101/2) = 51; 5*8*4 + 4 = 164
    const same = { type: 'conv1d', filters: 4, kernelSize: 5, strides: 2, padding: 'same' };
    expect(infer(same, f32(101, 8))).toMatchObject({ shape: [51, 4], params: 164 });
  });
  it('groups and free lengths', () => {
    // 3*(4/2)*8 + 8 = 56
    const c = { type: 'conv1d', filters: 8, kernelSize: 3, groups: 2 };
    expect(infer(c, f32(null, 4))).toMatchObject({ shape: [null, 8], params: 56 });
  });
  it('rejects a too-short input and bad groups', () => {
    const c = { type: 'conv1d', filters: 4, kernelSize: 5 };
    expect(blame(() => infer(c, f32(3, 2)))).toBe('kernelSize');
    expect(blame(() => infer({ ...c, groups: 3 }, f32(10, 3)))).toBe('groups');
    expect(blame(() => infer(c, f32(10, 10, 3)))).toBe('inputs');
  });
});

describe('conv2dTranspose', () => {
  it('without outputPadding: same -> n*s, valid -> n*s + max(k - s, 0)', () => {
    // DCGAN: 7*2 = 14; kernel [4, 4, 128, 256]: 4*4*128*256 + 128 = 524416
    const dcgan = { type: 'conv2dTranspose', filters: 128, kernelSize: 4, strides: 2 };
    const r = infer({ ...dcgan, padding: 'same' }, f32(7, 7, 256));
    expect(r).toMatchObject({ shape: [14, 14, 128], params: 524416 });
    expect(r.paramShapes).toEqual({ kernel: [4, 4, 128, 256], bias: [128] });
    // valid: 7*2 + max(3-2, 0) = 15; 3*3*32*64 + 32 = 18464
    const valid = { type: 'conv2dTranspose', filters: 32, kernelSize: 3, strides: 2 };
    expect(infer(valid, f32(7, 7, 64))).toMatchObject({ shape: [15, 15, 32], params: 18464 });
    // stride 1: 5 + 3 - 1 = 7; 3*3*2*4 + 2 = 74
    const s1 = { type: 'conv2dTranspose', filters: 2, kernelSize: 3 };
    expect(infer(s1, f32(5, 5, 4))).toMatchObject({ shape: [7, 7, 2], params: 74 });
  });
  it('with outputPadding: (n-1)*s + span - 2*pad + op, pad = floor(span/2) for same', () => {
    const c = { type: 'conv2dTranspose', filters: 32, kernelSize: 3, strides: 2 };
    // same: 6*2 + 3 - 2 + 1 = 14
    const same = { ...c, padding: 'same', outputPadding: 1 };
    expect(infer(same, f32(7, 7, 64)).shape).toEqual([14, 14, 32]);
    // valid, per axis [0, 1]: 6*2 + 3 + 0 = 15, 6*2 + 3 + 1 = 16
    expect(infer({ ...c, outputPadding: [0, 1] }, f32(7, 7, 64)).shape).toEqual([15, 16, 32]);
    // same, even kernel, op 0: pad 2, 6*2 + 4 - 4 + 0 = 12 (not 14 as without outputPadding)
    const even = { ...c, kernelSize: 4, padding: 'same', outputPadding: 0 };
    expect(infer(even, f32(7, 7, 64)).shape).toEqual([12, 12, 32]);
  });
  it('dilates and keeps free dims', () => {
    // span 5, stride 1, valid: 10 + max(5-1, 0) = 14; 3*3*1*1 + 1 = 10
    const c = { type: 'conv2dTranspose', filters: 1, kernelSize: 3, dilationRate: 2 };
    expect(infer(c, f32(10, 10, 1))).toMatchObject({ shape: [14, 14, 1], params: 10 });
    // 6 + 4 = 10; the free height stays free
    expect(infer(c, f32(null, 6, 8)).shape).toEqual([null, 10, 1]);
  });
  it('rejects outputPadding >= strides, strides with dilation, and empty outputs', () => {
    const c = { type: 'conv2dTranspose', filters: 4, kernelSize: 3, strides: 2 };
    expect(blame(() => infer({ ...c, outputPadding: [1, 2] }, f32(7, 7, 8)))).toBe('outputPadding');
    expect(blame(() => infer({ ...c, dilationRate: 2 }, f32(7, 7, 8)))).toBe('strides');
    // (1-1)*1 + 2 - 2*1 + 0 = 0
    const empty = { ...c, kernelSize: 2, strides: 1, padding: 'same', outputPadding: 0 };
    expect(blame(() => infer(empty, f32(1, 1, 1)))).toBe('kernelSize');
  });
});

describe('conv1dTranspose', () => {
  it('kernel [k, filters, in]; same -> n*s, valid -> n*s + max(k - s, 0)', () => {
    const c = { type: 'conv1dTranspose', filters: 8, kernelSize: 4, strides: 2 };
    // 50*2 = 100; 4*8*16 + 8 = 520
    const r = infer({ ...c, padding: 'same' }, f32(50, 16));
    expect(r).toMatchObject({ shape: [100, 8], params: 520 });
    expect(r.paramShapes.kernel).toEqual([4, 8, 16]);
    // 50*2 + 2 = 102
    expect(infer(c, f32(50, 16)).shape).toEqual([102, 8]);
    // outputPadding 1, k 3, same: 49*2 + 3 - 2 + 1 = 100; 3*8*16 + 8 = 392
    const op = { ...c, kernelSize: 3, padding: 'same', outputPadding: 1 };
    expect(infer(op, f32(50, 16))).toMatchObject({ shape: [100, 8], params: 392 });
    expect(blame(() => infer({ ...c, outputPadding: 2 }, f32(50, 16)))).toBe('outputPadding');
  });
});

describe('depthwiseConv2d', () => {
  it('depthwise_kernel [kh, kw, in, dm], bias [in*dm]', () => {
    // MobileNet dw: same keeps 112; 3*3*32*1 + 32 = 320
    const mobile = { type: 'depthwiseConv2d', kernelSize: 3, padding: 'same' };
    expect(infer(mobile, f32(112, 112, 32))).toMatchObject({
      shape: [112, 112, 32],
      params: 320,
    });
    // dm 2, stride 2: floor((9-3)/2)+1 = 4; 3*3*8*2 + 8*2 = 160
    const c = { type: 'depthwiseConv2d', kernelSize: 3, strides: 2, depthMultiplier: 2 };
    const r = infer(c, f32(9, 9, 8));
    expect(r).toMatchObject({ shape: [4, 4, 16], params: 160 });
    expect(r.paramShapes).toEqual({ depthwise_kernel: [3, 3, 8, 2], bias: [16] });
    // no bias: 3*3*8*2 = 144
    expect(infer({ ...c, useBias: false }, f32(9, 9, 8)).params).toBe(144);
  });
  it('dilates over free dims and rejects strides with dilation', () => {
    // 3*3*4 + 4 = 40
    const c = { type: 'depthwiseConv2d', kernelSize: 3, dilationRate: 2 };
    expect(infer(c, f32(null, null, 4))).toMatchObject({ shape: [null, null, 4], params: 40 });
    expect(blame(() => infer({ ...c, strides: 2 }, f32(9, 9, 4)))).toBe('strides');
  });
});

describe('separableConv2d', () => {
  it('depthwise [kh, kw, in, dm] + pointwise [1, 1, in*dm, filters] + bias [filters]', () => {
    // Xception block1 sepconv1: 3*3*64 + 64*128 = 8768 (no bias)
    const x = { type: 'separableConv2d', filters: 128, kernelSize: 3, padding: 'same' };
    expect(infer({ ...x, useBias: false }, f32(147, 147, 64))).toMatchObject({
      shape: [147, 147, 128],
      params: 8768,
    });
    // dm 2: 3*3*3*2 + 1*1*6*6 + 6 = 54 + 36 + 6 = 96; 10-3+1 = 8
    const c = { type: 'separableConv2d', filters: 6, kernelSize: 3, depthMultiplier: 2 };
    const r = infer(c, f32(10, 10, 3));
    expect(r).toMatchObject({ shape: [8, 8, 6], params: 96 });
    expect(r.paramShapes).toEqual({
      depthwise_kernel: [3, 3, 3, 2],
      pointwise_kernel: [1, 1, 6, 6],
      bias: [6],
    });
  });
  it('rejects an input smaller than the kernel', () => {
    const c = { type: 'separableConv2d', filters: 6, kernelSize: 5 };
    expect(blame(() => infer(c, f32(4, 4, 3)))).toBe('kernelSize');
  });
});

describe('upSampling', () => {
  it('multiplies spatial dims by size, no params, any dtype', () => {
    // 7*2 = 14
    expect(infer({ type: 'upSampling2d' }, f32(7, 7, 32))).toMatchObject({
      shape: [14, 14, 32],
      params: 0,
    });
    // [2, 3]: null stays null, 5*3 = 15
    const r = infer(
      { type: 'upSampling2d', size: [2, 3], interpolation: 'bilinear' },
      i32(null, 5, 1),
    );
    expect(r).toMatchObject({ shape: [null, 15, 1], dtype: 'int32' });
    // 10*3 = 30
    expect(infer({ type: 'upSampling1d', size: 3 }, f32(10, 4)).shape).toEqual([30, 4]);
    expect(blame(() => infer({ type: 'upSampling2d' }, f32(10, 4)))).toBe('inputs');
  });
});

describe('zeroPadding / cropping', () => {
  it('pads with p, [h, w] or [[top, bottom], [left, right]]', () => {
    // 28 + 1 + 1 = 30
    expect(infer({ type: 'zeroPadding2d' }, f32(28, 28, 1)).shape).toEqual([30, 30, 1]);
    // 28 + 2*2 = 32, 28 + 2*3 = 34
    expect(infer({ type: 'zeroPadding2d', padding: [2, 3] }, f32(28, 28, 1)).shape).toEqual([
      32, 34, 1,
    ]);
    // 28 + 1 + 2 = 31, 28 + 3 + 4 = 35; free stays free
    const sides = {
      type: 'zeroPadding2d',
      padding: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(infer(sides, f32(28, null, 1)).shape).toEqual([31, null, 1]);
    // 10 + 2 + 1 = 13
    expect(infer({ type: 'zeroPadding1d', padding: [2, 1] }, f32(10, 4)).shape).toEqual([13, 4]);
    expect(() => infer({ type: 'zeroPadding2d', padding: -1 }, f32(4, 4, 1))).toThrow();
  });
  it('crops the same forms and rejects a crop that leaves nothing', () => {
    expect(infer({ type: 'cropping2d' }, f32(28, 28, 3)).shape).toEqual([28, 28, 3]);
    // 28 - 2 - 2 = 24, 28 - 4 - 4 = 20
    const c = {
      type: 'cropping2d',
      cropping: [
        [2, 2],
        [4, 4],
      ],
    };
    expect(infer(c, f32(28, 28, 3))).toMatchObject({ shape: [24, 20, 3], params: 0 });
    expect(infer({ type: 'cropping2d', cropping: 2 }, f32(null, 28, 3)).shape).toEqual([
      null,
      24,
      3,
    ]);
    // Keras Cropping1D default (1, 1): 10 - 2 = 8
    expect(infer({ type: 'cropping1d' }, f32(10, 4)).shape).toEqual([8, 4]);
    // 28 - 14 - 14 = 0
    const all = {
      type: 'cropping2d',
      cropping: [
        [14, 14],
        [0, 0],
      ],
    };
    expect(blame(() => infer(all, f32(28, 28, 3)))).toBe('cropping');
    expect(blame(() => infer({ type: 'cropping1d', cropping: 5 }, f32(10, 4)))).toBe('cropping');
  });
});
