import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { PresetOptionError } from './preset-options.js';
import { buildPreset } from './presets.js';
import { vae } from './vae.js';

describe('vae', () => {
  it('mlp: 784-512-(20, 20)-512-784 with the vae recipe', () => {
    const spec = vae({ kind: 'mlp' });
    const model = resolveSpec(spec);
    // enc 784*512+512 = 401,920; zMean, zLogVar 2*(512*20+20) = 20,520;
    // dec 20*512+512 = 10,752; pixels 512*784+784 = 402,192
    expect(model.totalParams).toBe(401_920 + 20_520 + 10_752 + 402_192);
    expect(model.totalParams).toBe(835_384);
    expect(model.outputs[0]?.shape).toEqual([28, 28, 1]);
    expect(spec.training).toMatchObject({
      loss: 'binaryCrossentropy',
      recipe: { type: 'vae', mean: 'zMean', logVar: 'zLogVar', latent: 'z' },
    });
  });

  it('conv: the Keras VAE example with latent 20', () => {
    const model = resolveSpec(vae({ kind: 'conv' }));
    // encoder: conv 3*3*1*32+32 = 320, conv 3*3*32*64+64 = 18,496, dense 3136*16+16 = 50,192,
    // zMean, zLogVar 2*(16*20+20) = 680; decoder: dense 20*3136+3136 = 65,856, transposed convs
    // 3*3*64*64+64 = 36,928, 3*3*64*32+32 = 18,464, 3*3*32*1+1 = 289.
    // (with latent 2 this is keras.io/examples/generative/vae: encoder 69,076, decoder 65,089)
    expect(model.totalParams).toBe(320 + 18_496 + 50_192 + 680 + 65_856 + 36_928 + 18_464 + 289);
    expect(model.totalParams).toBe(191_225);
    expect(model.outputs[0]?.shape).toEqual([28, 28, 1]);
    expect(resolveSpec(vae({ kind: 'conv', latentDim: 2 })).totalParams).toBe(69_076 + 65_089);
  });

  it("samples z at inference by default; inference 'mean' (a preset option too) decodes zMean", () => {
    const z = (spec: ReturnType<typeof vae>) => spec.layers.find((l) => l.id === 'z');
    expect(z(vae({ kind: 'mlp' }))).not.toHaveProperty('inference');
    expect(z(vae({ kind: 'conv', inference: 'mean' }))).toMatchObject({ inference: 'mean' });
    expect(z(buildPreset('vae-mnist', { inference: 'mean' }))).toMatchObject({ inference: 'mean' });
    expect(() => buildPreset('conv-vae-mnist', { inference: 'median' })).toThrow(PresetOptionError);
  });
});
