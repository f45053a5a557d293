import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { isPresetName, PRESET_NAMES, PRESETS, preset } from './presets.js';

// Reference counts (trainable parameters; see the family tests for the derivations):
const REFERENCE: Record<string, number> = {
  lenet5: 61_706, // examples/lenet5.json, LeNet-5 (LeCun et al. 1998) padded for 28x28
  'mnist-convnet': 34_826, // Keras example "Simple MNIST convnet"
  resnet18: 11_689_512, // torchvision
  resnet34: 21_797_672, // torchvision
  resnet50: 25_557_032, // torchvision
  resnet20: 269_722, // He et al. 2015 (0.27M), option A; akamaster/pytorch_resnet_cifar10
  'lstm-classifier': 2_659_074, // 20000*128 + 2*4*(128*64 + 64*64 + 64) + 128*2+2
  'lstm-forecaster': 29_345, // 4*(1*64 + 64*64 + 64) + 4*(64*32 + 32*32 + 32) + 32+1
  'dcgan-mnist': 904_258, // see gan.test.ts
  'vae-mnist': 835_384, // see vae.test.ts
  'conv-vae-mnist': 191_225, // see vae.test.ts
  'autoencoder-mnist': 209_968, // see autoencoder.test.ts
  'denoising-autoencoder-mnist': 28_353, // Keras example "Convolutional autoencoder for image denoising"
};

describe('presets', () => {
  it('lists every preset once, with a one-line description', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(REFERENCE).sort());
    for (const p of PRESETS) expect(p.description).not.toMatch(/\n/);
  });

  for (const name of Object.keys(REFERENCE)) {
    it(`${name} resolves to its reference count`, () => {
      const spec = preset(name);
      expect(spec.name).toBe(name);
      expect(resolveSpec(spec).trainableParams).toBe(REFERENCE[name]);
    });
  }

  it('rejects unknown names, listing the known ones', () => {
    expect(isPresetName('resnet50')).toBe(true);
    expect(isPresetName('resnet101')).toBe(false);
    expect(() => preset('resnet101')).toThrow(/expected one of lenet5, mnist-convnet/);
  });

  it('returns a fresh object each call', () => {
    expect(preset('resnet18')).not.toBe(preset('resnet18'));
  });
});
