import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { dcgan } from './gan.js';

describe('dcgan', () => {
  it('holds generator and discriminator with the gan recipe', () => {
    const spec = dcgan();
    const model = resolveSpec(spec);
    // generator: dense 100*6272 + 6272 = 633,472; conv2dTranspose 4*4*128*64 (no bias) = 131,072;
    // batchNorm gamma/beta 2*64 = 128 (+ 128 moving statistics, non-trainable);
    // conv2dTranspose 4*4*64*1 + 1 = 1,025.
    // discriminator: conv2d 4*4*1*64 + 64 = 1,088; conv2d 4*4*64*128 + 128 = 131,200;
    // dense 7*7*128 + 1 = 6,273.
    const trainable = 633_472 + 131_072 + 128 + 1_025 + 1_088 + 131_200 + 6_273;
    expect(model.trainableParams).toBe(trainable);
    expect(model.trainableParams).toBe(904_258);
    expect(model.totalParams).toBe(trainable + 128);
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('gReshape')).toEqual([7, 7, 128]);
    expect(shape('gDeconv1')).toEqual([14, 14, 64]);
    expect(shape('fake')).toEqual([28, 28, 1]);
    expect(shape('dConv2')).toEqual([7, 7, 128]);
    expect(shape('logit')).toEqual([1]);
    expect(spec.training).toMatchObject({
      loss: { type: 'binaryCrossentropy', fromLogits: true },
      optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5 },
      recipe: {
        type: 'gan',
        generator: { input: 'z', output: 'fake' },
        discriminator: { input: 'image', output: 'logit' },
      },
    });
  });

  it('takes another latent size', () => {
    // only the generator's dense changes: (64 - 100) * 6272
    expect(resolveSpec(dcgan({ latentDim: 64 })).trainableParams).toBe(904_258 - 36 * 6_272);
  });
});
