import { BENCH_MODELS } from '@netspec/backend-tfjs';
import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { lenet5 } from '../lenet.js';
import { vae } from '../vae.js';

// The zoo presets that are backend-tfjs's example models (the README compares their results):
// same resolved layers (ids, kinds, options, shapes) and parameter counts.
const layersOf = (spec: unknown) => {
  const model = resolveSpec(spec);
  return { layers: model.spec.layers, summary: model.layers, params: model.totalParams };
};

describe('zoo presets equal to backend-tfjs example specs', () => {
  it('lenet5 is the lenet-mnist example (99.29%): the same 61,706-parameter layers', () => {
    const bench = BENCH_MODELS.find((m) => m.name === 'lenet5');
    const zoo = layersOf(lenet5());
    expect(zoo.params).toBe(61_706);
    expect(zoo).toEqual(layersOf({ ...bench?.spec, inputs: lenet5().inputs }));
  });

  it('vae({ kind: "mlp" }) is the vae-mnist example (84.3 nats), training section included', () => {
    // Copied from packages/backend-tfjs/src/examples/vae-mnist.ts (not importable: a script).
    const example = {
      specVersion: 1,
      name: 'vae-mnist',
      inputs: [{ id: 'image', shape: [28, 28, 1] }],
      layers: [
        { id: 'flat', type: 'flatten' },
        { id: 'enc', type: 'dense', units: 512, activation: 'relu' },
        { id: 'zMean', type: 'dense', units: 20, inputs: ['enc'] },
        { id: 'zLogVar', type: 'dense', units: 20, inputs: ['enc'] },
        { id: 'z', type: 'sampling', inputs: ['zMean', 'zLogVar'] },
        { id: 'dec', type: 'dense', units: 512, activation: 'relu' },
        { id: 'pixels', type: 'dense', units: 784, activation: 'sigmoid' },
        { id: 'reconstruction', type: 'reshape', targetShape: [28, 28, 1] },
      ],
      outputs: ['reconstruction'],
      training: {
        loss: 'binaryCrossentropy',
        optimizer: { type: 'adam', learningRate: 0.001 },
        batchSize: 100,
        epochs: 20,
        seed: 2,
        recipe: { type: 'vae', mean: 'zMean', logVar: 'zLogVar', latent: 'z' },
      },
    };
    const zoo = resolveSpec(vae({ kind: 'mlp' }));
    const backend = resolveSpec(example);
    expect(zoo.totalParams).toBe(backend.totalParams);
    expect(zoo.spec.layers).toEqual(backend.spec.layers);
    expect(zoo.spec.training).toEqual(backend.spec.training);
  });
});
