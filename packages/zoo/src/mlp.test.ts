import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { mlp } from './mlp.js';

describe('mlp', () => {
  it('flattens image inputs, adds dropout, and counts as Keras does', () => {
    const spec = mlp({ inputShape: [28, 28, 1], hidden: [128, 64], classes: 10, dropout: 0.2 });
    const model = resolveSpec(spec);
    // dense: in * out + out, per layer: 784*128+128, 128*64+64, 64*10+10
    expect(model.totalParams).toBe(784 * 128 + 128 + (128 * 64 + 64) + (64 * 10 + 10));
    expect(model.outputs[0]?.shape).toEqual([10]);
    expect(spec.layers.map((l) => l.type)).toEqual([
      'flatten',
      'dense',
      'dropout',
      'dense',
      'dropout',
      'dense',
    ]);
  });

  it('takes vectors without flattening, a custom activation, and a sigmoid for one class', () => {
    const spec = mlp({ inputShape: [20], hidden: [16], classes: 1, activation: 'tanh' });
    const model = resolveSpec(spec);
    // 20*16+16 + 16*1+1
    expect(model.totalParams).toBe(20 * 16 + 16 + 17);
    expect(spec.layers[0]).toMatchObject({ type: 'dense', activation: 'tanh' });
    expect(spec.layers.at(-1)).toMatchObject({ units: 1, activation: 'sigmoid' });
  });
});
