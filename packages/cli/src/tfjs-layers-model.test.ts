import { createRequire } from 'node:module';
import { buildModel, saveWeights, tfjsRunner, useEngine } from '@netspec/backend-tfjs';
import { resolveSpec } from '@netspec/spec';
import { preset } from '@netspec/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsLayersModel } from './tfjs-layers-model.js';

/** What this test uses of TensorFlow.js's union package (not a dependency here, so no types). */
interface TfjsUnion {
  loadLayersModel(handler: { load(): Promise<object> }): Promise<{ predict(x: unknown): unknown }>;
  tensor(data: Float32Array, shape: number[]): unknown;
}

// The written model is loaded back by TensorFlow.js itself (tf.loadLayersModel), the way a user
// serving with tfjs loads it. The union package is backend-tfjs's dependency (the same instance
// it registers its engines in), reached through it rather than added to the CLI.
const tfjs = createRequire(createRequire(import.meta.url).resolve('@netspec/backend-tfjs'))(
  '@tensorflow/tfjs',
) as TfjsUnion;

const mlp = {
  specVersion: 1,
  name: 'mlp',
  inputs: [{ id: 'x', shape: [6] }],
  layers: [
    { id: 'h', type: 'dense', units: 5, activation: 'tanh' },
    { id: 'drop', type: 'dropout', rate: 0.3 },
    { id: 'act', type: 'activation', activation: 'relu' },
    { id: 'y', type: 'dense', units: 3, activation: 'softmax' },
  ],
};

async function roundTrip(spec: unknown, inputShape: number[]) {
  const model = buildModel(spec, { seed: 3 });
  const weights = saveWeights(model);
  const { modelJson, weights: bin } = tfjsLayersModel(resolveSpec(spec), weights);
  const parsed = JSON.parse(modelJson);
  const loaded = await tfjs.loadLayersModel({
    load: async () => ({
      modelTopology: parsed.modelTopology,
      weightSpecs: parsed.weightsManifest[0].weights,
      weightData: bin.slice().buffer,
    }),
  });
  const n = inputShape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
  const runner = tfjsRunner(model);
  const expected = Object.values(
    await runner.run({ [model.inputNames[0] as string]: { data, shape: inputShape } }),
  )[0];
  await runner.dispose();
  const out = loaded.predict(tfjs.tensor(data, inputShape)) as {
    shape: number[];
    data(): Promise<Float32Array>;
  };
  return {
    actual: Array.from(await out.data()),
    expected: Array.from(expected?.data ?? []),
    shape: out.shape,
  };
}

describe('tfjs layers-model export', () => {
  beforeAll(async () => {
    await useEngine('cpu');
  });

  it.each([
    ['an MLP with dropout and an activation layer', mlp, [2, 6]],
    ['LeNet-5 (conv2d, avgPool2d, flatten)', preset('lenet5'), [2, 28, 28, 1]],
  ])(
    '%s loads in tf.loadLayersModel and computes what netspec computes',
    async (_n, spec, shape) => {
      const { actual, expected, shape: outShape } = await roundTrip(spec, shape as number[]);
      expect(outShape[0]).toBe(2);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++)
        expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(
          1e-4 * Math.max(1, Math.abs(expected[i] as number)),
        );
    },
  );

  it('refuses kinds tfjs-layers cannot run, naming the layer', () => {
    const lstm = resolveSpec(preset('lstm-forecaster'));
    const model = buildModel(lstm, { seed: 1 });
    const weights = saveWeights(model);
    model.dispose();
    expect(() => tfjsLayersModel(lstm, weights)).toThrow(
      /--format tfjs: layer "\w+" is lstm; a tfjs layers model here is a chain of dense, conv2d/,
    );
    const gelu = resolveSpec({
      ...mlp,
      layers: [{ id: 'h', type: 'dense', units: 2, activation: 'gelu' }],
    });
    expect(() => tfjsLayersModel(gelu, saveWeights(buildModel(gelu)))).toThrow(
      /layer "h" \(dense\) uses activation "gelu"/,
    );
  });
});
