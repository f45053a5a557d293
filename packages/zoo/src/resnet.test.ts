import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { resnet, resnet20 } from './resnet.js';

// torchvision counts parameters (weights, BN gamma/beta), not BN running statistics; netspec
// counts moving mean/variance as non-trainable as Keras does, so compare trainable parameters.
describe('resnet (torchvision)', () => {
  it('resnet18: 11,689,512 trainable parameters', () => {
    const model = resolveSpec(resnet({ depth: 18 }));
    // torchvision.models.resnet18(): sum(p.numel() for p in m.parameters()) == 11,689,512
    // (torchvision docs, ResNet18_Weights.IMAGENET1K_V1: num_params 11689512)
    expect(model.trainableParams).toBe(11_689_512);
    expect(model.outputs[0]?.shape).toEqual([1000]);
  });

  it('resnet34: 21,797,672 trainable parameters', () => {
    const model = resolveSpec(resnet({ depth: 34 }));
    // torchvision docs, ResNet34_Weights.IMAGENET1K_V1: num_params 21797672
    expect(model.trainableParams).toBe(21_797_672);
  });

  it('resnet50: 25,557,032 trainable parameters, resolved quickly', () => {
    const start = performance.now();
    const model = resolveSpec(resnet({ depth: 50 }));
    const ms = performance.now() - start;
    // torchvision docs, ResNet50_Weights.IMAGENET1K_V1/V2: num_params 25557032
    expect(model.trainableParams).toBe(25_557_032);
    expect(ms).toBeLessThan(2000);
  });

  it('follows torchvision: 56x56 after the stem, stride on the 3x3 conv, 7x7x2048 at the end', () => {
    const model = resolveSpec(resnet({ depth: 50 }));
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('maxpool')).toEqual([56, 56, 64]);
    expect(shape('layer1_0.0.out')).toEqual([56, 56, 256]);
    expect(shape('layer2_0.0.conv1')).toEqual([56, 56, 128]); // 1x1 keeps the resolution (v1.5)
    expect(shape('layer2_0.0.conv2')).toEqual([28, 28, 128]);
    expect(shape('layer4.1.out')).toEqual([7, 7, 2048]);
    const conv1 = model.nodes.find((n) => n.path === 'conv1');
    expect(conv1?.params.map((p) => p.name)).toEqual(['kernel']); // no bias
  });

  it('takes other classes and input sizes', () => {
    const model = resolveSpec(resnet({ depth: 18, classes: 10, inputShape: [64, 64, 3] }));
    // resnet18 minus the 1000-class fc (512*1000+1000) plus a 10-class fc (512*10+10)
    expect(model.trainableParams).toBe(11_689_512 - 513_000 + 5_130);
    expect(model.outputs[0]?.shape).toEqual([10]);
  });
});

describe('resnet20 (He et al. 2015, CIFAR-10)', () => {
  it('option-A shortcuts: 269,722 trainable parameters', () => {
    const model = resolveSpec(resnet20());
    // The paper's table 6 gives 0.27M. Option A's shortcuts are parameter-free, so by hand:
    // convs 432 + 6*2,304 + (4,608 + 5*9,216) + (18,432 + 5*36,864) = 267,264,
    // BN gamma/beta 2*(16*7 + 32*6 + 64*6) = 1,376, fc 64*10+10 = 650: 269,722, the count
    // akamaster/pytorch_resnet_cifar10 prints for its option-A resnet20 ("Total number of params
    // 269722"). 272,474 is the option-B variant (1x1 projection + BN at the two downsampling
    // blocks: +16*32+64 and +32*64+128 = 2,752).
    expect(model.trainableParams).toBe(269_722);
    expect(model.outputs[0]?.shape).toEqual([10]);
  });

  it('pads the shortcut channels zero on both sides after subsampling', () => {
    const model = resolveSpec(resnet20());
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('layer2_0.0.shortcut_subsample')).toEqual([16, 16, 16]);
    expect(shape('layer2_0.0.shortcut')).toEqual([16, 16, 32]);
    expect(shape('layer3_0.0.shortcut')).toEqual([8, 8, 64]);
    expect(shape('layer3.1.out')).toEqual([8, 8, 64]);
  });
});
