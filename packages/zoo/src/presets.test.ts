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
