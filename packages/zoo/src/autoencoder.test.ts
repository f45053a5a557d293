import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { autoencoder } from './autoencoder.js';

describe('autoencoder', () => {
  it('dense: 784-128-32-128-784 with the autoencoder recipe', () => {
    const spec = autoencoder({ kind: 'dense' });
    const model = resolveSpec(spec);
    // 784*128+128 + 128*32+32 + 32*128+128 + 128*784+784
    expect(model.totalParams).toBe(100_480 + 4_128 + 4_224 + 101_136);
    expect(model.totalParams).toBe(209_968);
    expect(model.outputs[0]?.shape).toEqual([28, 28, 1]);
    expect(spec.training).toMatchObject({
      loss: 'binaryCrossentropy',
      recipe: { type: 'autoencoder' },
    });
    expect(spec.training?.recipe).not.toHaveProperty('noiseStddev');
    expect(spec.name).toBe('autoencoder-mnist');
  });

  it('conv denoising: the Keras denoising autoencoder, 28,353 parameters', () => {
    const spec = autoencoder({ kind: 'conv', noiseStddev: 0.4 });
    const model = resolveSpec(spec);
    // 3*3*1*32+32 = 320, 3*3*32*32+32 = 9,248 (x3: conv, two transposed convs), 3*3*32*1+1 = 289;
    // keras.io/examples/vision/autoencoder, autoencoder.summary(): Total params: 28,353
    expect(model.totalParams).toBe(320 + 3 * 9_248 + 289);
    expect(model.totalParams).toBe(28_353);
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('code')).toEqual([7, 7, 32]);
    expect(shape('reconstruction')).toEqual([28, 28, 1]);
    expect(spec.training?.recipe).toEqual({ type: 'autoencoder', noiseStddev: 0.4 });
  });

  it('takes other code sizes', () => {
    // dense code 16: 784*128+128 + 128*16+16 + 16*128+128 + 128*784+784
    expect(resolveSpec(autoencoder({ kind: 'dense', code: 16 })).totalParams).toBe(
      100_480 + 2_064 + 2_176 + 101_136,
    );
    // conv code 8: 320 + (3*3*32*8+8) + (3*3*8*8+8) + (3*3*8*32+32) + 289
    expect(resolveSpec(autoencoder({ kind: 'conv', code: 8 })).totalParams).toBe(
      320 + 2_312 + 584 + 2_336 + 289,
    );
  });
});
