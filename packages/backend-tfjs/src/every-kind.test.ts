import type { LayerType } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from './engine.js';
import { buildModel } from './model/build.js';
import { Rng } from './random.js';
import { tf } from './tf.js';
import { Updater } from './train/supervised.js';

// Issue 4's acceptance: every layer kind builds, runs forward and trains one step on wasm and on
// cpu, and its gradients agree between the two (|a - b| <= 1e-4 * max(1, |b|), DESIGN.md).

type Input = { id: string; shape: (number | null)[]; dtype?: 'int32' };
interface Case {
  inputs: Input[];
  layers: Record<string, unknown>[];
  blocks?: Record<string, unknown>;
  /** Feed lengths for free (null) dimensions. */
  length?: number;
  vocabulary?: number;
}

const seq = (shape: (number | null)[] = [5, 4]): Input[] => [{ id: 'x', shape }];
const img = (shape = [6, 6, 3]): Input[] => [{ id: 'x', shape }];
const one = (layer: Record<string, unknown>, inputs: Input[] = seq()): Case => ({
  inputs,
  layers: [{ id: 'l', ...layer }],
});
const two = (layer: Record<string, unknown>, shape = [5, 4]): Case => ({
  inputs: [
    { id: 'a', shape },
    { id: 'b', shape },
  ],
  layers: [{ id: 'l', inputs: ['a', 'b'], ...layer }],
});
const tokens = (layer: Record<string, unknown>): Case => ({
  inputs: [{ id: 'x', shape: [6], dtype: 'int32' }],
  layers: [{ id: 'l', ...layer }],
  vocabulary: 11,
});

/** One small case per kind; a kind added to the spec without a case here fails to compile. */
const CASES = {
  dense: one({ type: 'dense', units: 3, activation: 'tanh' }),
  activation: one({ type: 'activation', activation: 'gelu' }),
  prelu: one({ type: 'prelu', alphaInitializer: { type: 'constant', value: 0.2 } }),
  dropout: one({ type: 'dropout', rate: 0.3 }),
  flatten: one({ type: 'flatten' }),
  reshape: one({ type: 'reshape', targetShape: [4, 5] }),
  permute: one({ type: 'permute', dims: [2, 1] }),
  repeatVector: one({ type: 'repeatVector', n: 3 }, seq([4])),
  embedding: tokens({ type: 'embedding', inputDim: 11, outputDim: 4 }),
  slice: one({ type: 'slice', axis: 1, start: 1, end: 4 }),
  // Tied to the embedding: its matrix gets gradients from the lookup and from the logits.
  reverseEmbedding: {
    ...tokens({ type: 'embedding', inputDim: 11, outputDim: 4 }),
    layers: [
      { id: 'l', type: 'embedding', inputDim: 11, outputDim: 4 },
      { id: 'd', type: 'dense', units: 4, activation: 'tanh' },
      { id: 'logits', type: 'reverseEmbedding', embedding: 'l' },
    ],
  },
  add: two({ type: 'add' }),
  subtract: two({ type: 'subtract' }),
  multiply: two({ type: 'multiply' }),
  average: two({ type: 'average' }),
  maximum: two({ type: 'maximum' }),
  minimum: two({ type: 'minimum' }),
  concatenate: two({ type: 'concatenate', axis: -1 }),
  dot: two({ type: 'dot', axes: [2, 2] }),
  conv1d: one({ type: 'conv1d', filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }),
  conv2d: one({ type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, img()),
  conv1dTranspose: one({ type: 'conv1dTranspose', filters: 3, kernelSize: 3, strides: 2 }),
  conv2dTranspose: one(
    { type: 'conv2dTranspose', filters: 2, kernelSize: 3, strides: 2, padding: 'same' },
    img(),
  ),
  depthwiseConv2d: one(
    { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2, padding: 'same' },
    img(),
  ),
  separableConv2d: one({ type: 'separableConv2d', filters: 4, kernelSize: 3, strides: 2 }, img()),
  upSampling1d: one({ type: 'upSampling1d', size: 2 }),
  upSampling2d: one({ type: 'upSampling2d', size: 2 }, img()),
  zeroPadding1d: one({ type: 'zeroPadding1d', padding: 1 }),
  zeroPadding2d: one({ type: 'zeroPadding2d', padding: 1 }, img()),
  cropping1d: one({ type: 'cropping1d', cropping: 1 }),
  cropping2d: one({ type: 'cropping2d', cropping: 1 }, img()),
  maxPool1d: one({ type: 'maxPool1d', poolSize: 2 }),
  maxPool2d: one({ type: 'maxPool2d', poolSize: 2 }, img()),
  avgPool1d: one({ type: 'avgPool1d', poolSize: 2, padding: 'same' }),
  avgPool2d: one({ type: 'avgPool2d', poolSize: 3, strides: 2, padding: 'same' }, img()),
  globalAvgPool1d: one({ type: 'globalAvgPool1d' }),
  globalAvgPool2d: one({ type: 'globalAvgPool2d' }, img()),
  globalMaxPool1d: one({ type: 'globalMaxPool1d' }),
  globalMaxPool2d: one({ type: 'globalMaxPool2d' }, img()),
  batchNorm: one({ type: 'batchNorm' }, img()),
  layerNorm: one({ type: 'layerNorm' }),
  groupNorm: one({ type: 'groupNorm', groups: 2 }),
  rmsNorm: one({ type: 'rmsNorm' }),
  simpleRnn: one({ type: 'simpleRnn', units: 3, returnSequences: true }),
  lstm: one({ type: 'lstm', units: 3 }),
  gru: one({ type: 'gru', units: 3, returnSequences: true }),
  bidirectional: one({ type: 'bidirectional', layer: { type: 'lstm', units: 3 } }),
  attention: two({ type: 'attention', useScale: true }),
  additiveAttention: two({ type: 'additiveAttention' }),
  multiHeadAttention: one({
    type: 'multiHeadAttention',
    numHeads: 2,
    keyDim: 3,
    useCausalMask: true,
  }),
  positionEmbedding: one({ type: 'positionEmbedding', sequenceLength: 5 }),
  sinusoidalPositionEncoding: one({ type: 'sinusoidalPositionEncoding' }),
  tokenAndPositionEmbedding: tokens({
    type: 'tokenAndPositionEmbedding',
    vocabularySize: 11,
    sequenceLength: 6,
    embeddingDim: 4,
  }),
  transformerEncoder: one({ type: 'transformerEncoder', intermediateDim: 8, numHeads: 2 }),
  transformerDecoder: one({ type: 'transformerDecoder', intermediateDim: 8, numHeads: 2 }),
  sampling: two({ type: 'sampling' }),
  gaussianNoise: one({ type: 'gaussianNoise', stddev: 0.1 }),
  block: {
    inputs: seq(),
    layers: [{ id: 'l', type: 'block', block: 'mlp', repeat: 2 }],
    blocks: { mlp: { layers: [{ id: 'd', type: 'dense', units: 4, activation: 'relu' }] } },
  },
  timeDistributed: one({ type: 'timeDistributed', layer: { type: 'dense', units: 2 } }),
} satisfies Record<LayerType, Case>;

function specOf(c: Case) {
  return { specVersion: 1, name: 'kind', inputs: c.inputs, layers: c.layers, blocks: c.blocks };
}

function inputsOf(c: Case, rng: Rng): Record<string, tf.Tensor> {
  const feeds: Record<string, tf.Tensor> = {};
  for (const input of c.inputs) {
    const shape = [2, ...input.shape.map((d) => d ?? c.length ?? 5)];
    const n = shape.reduce((a, b) => a * b, 1);
    feeds[input.id] =
      input.dtype === 'int32'
        ? tf.tensor(
            Int32Array.from({ length: n }, () => rng.int(c.vocabulary ?? 2)),
            shape,
            'int32',
          )
        : tf.tensor(
            Float32Array.from({ length: n }, () => rng.next() * 2 - 1),
            shape,
          );
  }
  return feeds;
}

interface Run {
  outputs: Float32Array[];
  grads: Float32Array[];
  changed: boolean;
}

/** Forward in training mode, gradients of a fixed random projection, then one SGD step. */
async function runOn(backend: string, c: Case): Promise<Run> {
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const model = buildModel(specOf(c), { seed: 5 });
  const rng = new Rng(9);
  const feeds = inputsOf(c, rng);
  const forward = () => model.forward(feeds, { training: true, seed: 3 }).outputs;
  const shapes = Object.values(tf.tidy(() => forward())).map((t) => t.shape);
  const probes = shapes.map((s) =>
    tf.tensor(
      Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5),
      s,
    ),
  );
  const loss = () =>
    tf.addN(
      Object.values(forward()).map((o, i) => tf.sum(tf.mul(o, probes[i] as tf.Tensor))),
    ) as tf.Scalar;
  const outputs = tf.tidy(() => Object.values(forward()).map((o) => o.dataSync() as Float32Array));
  const vars = model.trainableVariables();
  const grads = vars.length
    ? tf.tidy(() => {
        const { grads } = tf.variableGrads(loss, vars);
        return vars.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
      })
    : [];
  const before = vars.map((v) => v.dataSync().slice());
  if (vars.length) new Updater('sgd', vars, model).minimize(loss, { step: 0, seed: 1 });
  const changed = vars.some((v, i) => v.dataSync().some((x, j) => x !== before[i]?.[j]));
  const finite = tf.tidy(() =>
    Object.values(forward()).every((o) => o.dataSync().every(Number.isFinite)),
  );
  expect(finite).toBe(true);
  tf.dispose([...Object.values(feeds), ...probes]);
  model.dispose();
  return { outputs, grads, changed: vars.length === 0 || changed };
}

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const tolerance = 1e-4 * Math.max(1, Math.abs(b[i] as number));
    if (!(Math.abs((a[i] as number) - (b[i] as number)) <= tolerance))
      expect.fail(`${what}[${i}]: wasm ${a[i]} vs cpu ${b[i]} (tolerance ${tolerance})`);
  }
}

describe('every layer kind on wasm and cpu', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(Object.entries(CASES))(
    '%s: forward, gradients and one training step agree',
    async (_kind, c) => {
      const cpu = await runOn('cpu', c);
      const wasm = await runOn('wasm', c);
      expect(cpu.changed && wasm.changed).toBe(true);
      for (const [i, o] of cpu.outputs.entries())
        expectClose(wasm.outputs[i] as Float32Array, o, `output ${i}`);
      for (const [i, g] of cpu.grads.entries())
        expectClose(wasm.grads[i] as Float32Array, g, `gradient ${i}`);
    },
  );
});
