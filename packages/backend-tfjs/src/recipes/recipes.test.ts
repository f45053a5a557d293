import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../data/mnist.js';
import { charVocabulary, encodeChars, languageModelWindows, loadMobyDick } from '../data/text.js';
import { useEngine } from '../engine.js';
import { imageGrid } from '../io/png.js';
import { buildModel, saveWeights } from '../model/build.js';
import { tf } from '../tf.js';
import { evaluate } from '../train/evaluate.js';
import { train } from '../train/fit.js';
import { GanStep } from './gan.js';
import { crossValidate } from './kfold.js';

// CI-sized runs of every recipe on real data: the loss falls, the logs are the recipe's own.

const digits = loadMnist({ split: 'train', limit: 512, binarize: true });
const unsupervised = { x: digits.x, y: {}, size: digits.size };
const epochsOf = (h: Record<string, number>[], key: string) => h.map((r) => r[key] as number);

const dense = (id: string, units: number, more: Record<string, unknown> = {}) => ({
  id,
  type: 'dense',
  units,
  ...more,
});

describe('recipes', () => {
  // wasm is the engine netspec trains on where tfjs-node is absent; cpu is ~100x slower.
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('autoencoder (denoising): reconstructs its clean input better each epoch', async () => {
    const model = buildModel({
      specVersion: 1,
      name: 'ae',
      inputs: [{ id: 'image', shape: [28, 28, 1] }],
      layers: [
        { id: 'flat', type: 'flatten' },
        dense('code', 32, { activation: 'relu' }),
        dense('pixels', 784, { activation: 'sigmoid' }),
        { id: 'out', type: 'reshape', targetShape: [28, 28, 1] },
      ],
      training: {
        loss: 'binaryCrossentropy',
        optimizer: 'adam',
        batchSize: 64,
        epochs: 3,
        recipe: { type: 'autoencoder', noiseStddev: 0.2 },
      },
    });
    const { history } = await train(model, unsupervised);
    const loss = epochsOf(history, 'loss');
    expect(loss[2]).toBeLessThan((loss[0] as number) * 0.9);
    model.dispose();
  });

  it('vae: the negative ELBO falls and splits into reconstruction and KL', async () => {
    const model = buildModel({
      specVersion: 1,
      name: 'vae',
      inputs: [{ id: 'image', shape: [28, 28, 1] }],
      layers: [
        { id: 'flat', type: 'flatten' },
        dense('enc', 64, { activation: 'relu' }),
        dense('mean', 4, { inputs: ['enc'] }),
        dense('logVar', 4, { inputs: ['enc'] }),
        { id: 'z', type: 'sampling', inputs: ['mean', 'logVar'] },
        dense('dec', 64, { activation: 'relu' }),
        dense('pixels', 784, { activation: 'sigmoid' }),
        { id: 'out', type: 'reshape', targetShape: [28, 28, 1] },
      ],
      outputs: ['out'],
      training: {
        loss: 'binaryCrossentropy',
        optimizer: { type: 'adam', learningRate: 0.003 },
        batchSize: 32,
        epochs: 4,
        validationSplit: 0.25,
        recipe: { type: 'vae', mean: 'mean', logVar: 'logVar', latent: 'z', beta: 1 },
      },
    });
    const { history } = await train(model, unsupervised);
    const last = history.at(-1) as Record<string, number>;
    expect(last.loss).toBeCloseTo((last.reconstruction as number) + (last.kl as number), 3);
    expect(last.kl).toBeGreaterThan(0);
    // Binarized digits start near 784 · ln 2 ≈ 543 nats per image.
    expect(last.valLoss).toBeLessThan(0.8 * (epochsOf(history, 'valLoss')[0] as number));
    const test = evaluate(model, {
      x: loadMnist({ split: 'test', limit: 128, binarize: true }).x,
      y: {},
      size: 128,
    });
    expect(Object.keys(test).sort()).toEqual(['kl', 'loss', 'reconstruction']);
    model.dispose();
  });

  it('gan: alternates discriminator and generator updates, each on its own weights', async () => {
    const recipe = {
      type: 'gan',
      generator: { input: 'z', output: 'fake' },
      discriminator: { input: 'image', output: 'logit' },
    } as const;
    const spec = {
      specVersion: 1,
      name: 'gan',
      inputs: [
        { id: 'z', shape: [8] },
        { id: 'image', shape: [28, 28, 1] },
      ],
      layers: [
        dense('g1', 32, { inputs: ['z'], activation: 'relu' }),
        dense('g2', 784, { activation: 'sigmoid' }),
        { id: 'fake', type: 'reshape', targetShape: [28, 28, 1] },
        { id: 'dFlat', type: 'flatten', inputs: ['image'] },
        dense('d1', 32, { activation: { type: 'leakyRelu', alpha: 0.2 } }),
        dense('logit', 1),
      ],
      outputs: ['fake', 'logit'],
      training: {
        loss: { type: 'binaryCrossentropy', fromLogits: true },
        optimizer: { type: 'adam', learningRate: 0.0002, beta1: 0.5 },
        batchSize: 64,
        epochs: 2,
        recipe,
      },
    };
    const model = buildModel(spec, { seed: 1 });
    const before = new Map([...model.weights].map(([k, w]) => [k, w.variable.dataSync().slice()]));
    const { history } = await train(model, unsupervised);
    expect(Object.keys(history[0] ?? {})).toEqual(
      expect.arrayContaining(['discriminatorLoss', 'generatorLoss']),
    );
    for (const [k, w] of model.weights) expect(w.variable.dataSync(), k).not.toEqual(before.get(k));
    const step = new GanStep(model, model.resolved.spec.training as never, recipe as never);
    const samples = step.generate(tf.randomNormal([5, 8], 0, 1, 'float32', 1));
    expect(samples.shape).toEqual([5, 28, 28, 1]);
    model.dispose();
  });

  it('causalLm: next-character loss falls on Moby Dick; perplexity is exp(loss)', async () => {
    const text = loadMobyDick().slice(0, 20_000);
    const vocabulary = charVocabulary(text);
    const windows = languageModelWindows(encodeChars(text, vocabulary), 33);
    const n = vocabulary.chars.length;
    const model = buildModel({
      specVersion: 1,
      name: 'charlm',
      inputs: [{ id: 'tokens', shape: [32], dtype: 'int32' }],
      layers: [
        { id: 'embed', type: 'embedding', inputDim: n, outputDim: 16 },
        { id: 'rnn', type: 'gru', units: 32, returnSequences: true },
        dense('logits', n),
      ],
      training: {
        loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
        optimizer: { type: 'adam', learningRate: 0.01 },
        batchSize: 32,
        epochs: 3,
        recipe: { type: 'causalLm' },
      },
    });
    const { history } = await train(model, { x: windows.x, y: {}, size: windows.size });
    const loss = epochsOf(history, 'loss');
    expect(loss[2]).toBeLessThan((loss[0] as number) - 0.3);
    expect(history[2]?.perplexity).toBeCloseTo(Math.exp(loss[2] as number), 4);
    model.dispose();
  });

  it('k-fold: one fresh model per fold, with mean and spread', async () => {
    const labelled = loadMnist({ split: 'train', limit: 300 });
    const spec = {
      specVersion: 1,
      name: 'mlp',
      inputs: [{ id: 'image', shape: [28, 28, 1] }],
      layers: [{ id: 'flat', type: 'flatten' }, dense('out', 10, { activation: 'softmax' })],
      training: {
        loss: 'sparseCategoricalCrossentropy',
        optimizer: 'adam',
        metrics: ['accuracy'],
        epochs: 2,
      },
    };
    const seen: Uint8Array[] = [];
    const cv = await crossValidate(spec, labelled, 3, {
      seed: 2,
      onFold: (_i, m) => seen.push(saveWeights(m)),
    });
    expect(cv.folds).toHaveLength(3);
    const accuracies = cv.folds.map((f) => f.accuracy as number);
    expect(cv.mean.accuracy).toBeCloseTo(accuracies.reduce((a, b) => a + b) / 3, 10);
    // Chance is 0.1.
    expect(cv.mean.accuracy).toBeGreaterThan(0.3);
    expect(Buffer.from(seen[0] as Uint8Array).equals(Buffer.from(seen[1] as Uint8Array))).toBe(
      false,
    );
  });

  it('writes sample grids as real PNGs', () => {
    const data = new Float32Array(4 * 2 * 3).map((_, i) => i / 23);
    const png = PNG.sync.read(Buffer.from(imageGrid(data, [4, 2, 3, 1], 2)));
    // 2 columns of width 3 and 2 rows of height 2, with a 2-pixel gap around each.
    expect([png.width, png.height]).toEqual([2 * (3 + 2) + 2, 2 * (2 + 2) + 2]);
    // image 1, pixel (0, 0) sits at x = 2 + 5, y = 2; its value is data[6] = 6/23
    const at = (2 * png.width + 7) * 4;
    expect(png.data[at]).toBe(Math.round((255 * 6) / 23));
  });
});
