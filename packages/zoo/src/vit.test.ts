import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { vit } from './vit.js';

/**
 * A ViT of N patches of p x p x C pixels, width D, L pre-norm blocks (FFN 4D), K classes, mean
 * pooling (no class token), counted as timm's VisionTransformer(global_pool='avg', class_token=False):
 * patch embedding p*p*C*D + D, positions N*D, L*(4*D^2 + 4*D + 2*D + 8*D^2 + 5*D + 2*D),
 * final LayerNorm 2*D, head D*K + K.
 */
const vitParams = (N: number, p: number, C: number, D: number, L: number, K: number) =>
  p * p * C * D + D + N * D + L * (12 * D * D + 13 * D) + 2 * D + D * K + K;

describe('vit', () => {
  it('defaults: 28x28x1 in 16 patches of 7x7, width 64, 4 layers, 4 heads', () => {
    const model = resolveSpec(vit());
    expect(model.trainableParams).toBe(vitParams(16, 7, 1, 64, 4, 10));
    expect(model.trainableParams).toBe(204_938);
    expect(model.outputs[0]?.shape).toEqual([10]);
    const shape = (path: string) => model.nodes.find((n) => n.path === path)?.outputs[0]?.shape;
    expect(shape('patch_embedding')).toEqual([4, 4, 64]);
    expect(shape('patches')).toEqual([16, 64]);
    expect(shape('pool')).toEqual([64]);
    const block = model.nodes.find((n) => n.layer.type === 'transformerEncoder');
    expect(block?.layer).toMatchObject({ normalizeFirst: true, activation: 'gelu' });
  });

  it('patch 4 on CIFAR-sized images', () => {
    const spec = vit({ inputShape: [32, 32, 3], patchSize: 4, width: 48, layers: 2, heads: 3 });
    expect(resolveSpec(spec).trainableParams).toBe(vitParams(64, 4, 3, 48, 2, 10));
  });

  it('rejects a patch that does not tile the image, and heads that do not split the width', () => {
    expect(() => vit({ patchSize: 5 })).toThrow(
      'vit: patchSize must divide the image size 28x28, got 5',
    );
    expect(() => vit({ heads: 3 })).toThrow('vit: heads must divide width 64, got 3');
  });
});
