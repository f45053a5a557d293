import type { TokenScorer } from '@netspec/spec';
import { DecoderPlanError } from '@netspec/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { tfjsScorer } from './scorer.js';

const VOCAB = 23;
const CONTEXT = 24;
/** Random biases, so a position or mask error shows in every output. */
const RANDOM = { type: 'randomNormal', stddev: 0.3 };

/** A small GPT: 2 decoder layers, width 12, 3 heads; `variant` picks embeddings, norm and head. */
function gpt(
  variant: { split?: boolean; sine?: boolean; postNorm?: boolean; dense?: boolean } = {},
) {
  const decoder = (id: string) => ({
    id,
    type: 'transformerDecoder',
    numHeads: 3,
    intermediateDim: 16,
    activation: 'geluTanh',
    normalizeFirst: !variant.postNorm,
    biasInitializer: RANDOM,
  });
  const embed = variant.split
    ? [
        { id: 'tok', type: 'embedding', inputDim: VOCAB, outputDim: 12 },
        variant.sine
          ? { id: 'pos', type: 'sinusoidalPositionEncoding', maxWavelength: 100 }
          : { id: 'pos', type: 'positionEmbedding', sequenceLength: CONTEXT },
        { id: 'sum', type: 'add', inputs: ['tok', 'pos'] },
      ]
    : [
        {
          id: 'wte',
          type: 'tokenAndPositionEmbedding',
          vocabularySize: VOCAB,
          sequenceLength: CONTEXT,
          embeddingDim: 12,
          embeddingsInitializer: RANDOM,
        },
      ];
  const table = variant.split ? 'tok' : 'wte';
  return {
    specVersion: 1,
    name: 'tiny-gpt',
    inputs: [{ id: 'input_ids', shape: [null], dtype: 'int32' }],
    layers: [
      ...embed,
      decoder('h0'),
      decoder('h1'),
      { id: 'ln_f', type: 'layerNorm', epsilon: 1e-5, betaInitializer: RANDOM },
      variant.dense
        ? { id: 'logits', type: 'dense', units: VOCAB }
        : { id: 'logits', type: 'reverseEmbedding', embedding: table },
    ],
  };
}

const ids = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.next() * VOCAB));
};

/** Largest |a - b| / max(1, |b|): the design's parity bar is 1e-4. */
function relError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(
      worst,
      Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)),
    );
  return worst;
}

/** Feeds both scorers the same chunks and returns the worst error of each step. */
async function compare(cached: TokenScorer, plain: TokenScorer, chunks: number[][]) {
  const errors: number[] = [];
  for (const chunk of chunks) {
    const a = await cached.append(chunk);
    const b = await plain.append(chunk);
    expect(a.length).toBe(VOCAB);
    errors.push(relError(a, b));
  }
  return errors;
}

const models: { dispose(): void }[] = [];
afterAll(() => {
  for (const m of models) m.dispose();
});

describe('tfjsScorer', () => {
  const variants = {
    'pre-norm, tied head, tokenAndPositionEmbedding': {},
    'post-norm, dense head, embedding + positionEmbedding': {
      postNorm: true,
      dense: true,
      split: true,
    },
    'sinusoidal positions': { split: true, sine: true },
  };
  for (const [name, variant] of Object.entries(variants)) {
    it(`gives the logits of a full recomputation at every step (${name})`, async () => {
      const model = buildModel(gpt(variant), { seed: 7 });
      models.push(model);
      const cached = tfjsScorer(model);
      const plain = tfjsScorer(model, { cache: false });
      expect([cached.cached, plain.cached]).toEqual([true, false]);
      const prompt = ids(5, 1);
      const steps = ids(12, 2).map((t) => [t]);
      // A prompt, single tokens, then a chunk of three in the middle of the cache.
      const chunks = [prompt, ...steps.slice(0, 6), ids(3, 3), ...steps.slice(6)];
      const errors = await compare(cached, plain, chunks);
      expect(Math.max(...errors)).toBeLessThanOrEqual(1e-4);
      expect(cached.length).toBe(20);
      await cached.dispose();
      await plain.dispose();
    });
  }

  it('keeps the number of tensors flat from step to step, and frees its cache', async () => {
    const model = buildModel(gpt(), { seed: 3 });
    models.push(model);
    const before = tf.memory().numTensors;
    const scorer = tfjsScorer(model);
    await scorer.append(ids(4, 5));
    await scorer.append([1]);
    const held = tf.memory().numTensors;
    for (let i = 0; i < 8; i++) await scorer.append([i]);
    expect(tf.memory().numTensors).toBe(held);
    // 2 layers x (key, value) held between steps.
    expect(held - before).toBe(4);
    await scorer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('forgets the sequence on reset and starts over with the same logits', async () => {
    const model = buildModel(gpt(), { seed: 4 });
    models.push(model);
    const scorer = tfjsScorer(model);
    const first = await scorer.append(ids(6, 8));
    await scorer.append([3, 4]);
    scorer.reset();
    expect(scorer.length).toBe(0);
    expect(relError(await scorer.append(ids(6, 8)), first)).toBe(0);
    await scorer.dispose();
  });

  it('rejects ids outside the vocabulary, empty steps and sequences past the context', async () => {
    const model = buildModel(gpt(), { seed: 5 });
    models.push(model);
    const scorer = tfjsScorer(model);
    expect(scorer.contextLength).toBe(CONTEXT);
    expect(scorer.vocabularySize).toBe(VOCAB);
    await expect(scorer.append([1, VOCAB])).rejects.toThrow(
      `append: tokens[1]: expected an integer id in [0, ${VOCAB - 1}], got ${VOCAB}`,
    );
    await expect(scorer.append([])).rejects.toThrow('expected a non-empty array');
    await scorer.append(ids(CONTEXT - 1, 9));
    await expect(scorer.append([1, 2])).rejects.toThrow(
      `append: ${CONTEXT - 1} held + 2 new positions pass the context length ${CONTEXT}`,
    );
    expect(scorer.length).toBe(CONTEXT - 1);
    await scorer.dispose();
  });

  it('refuses a model whose layers mix positions outside a causal decoder, naming the layer', () => {
    const spec = gpt();
    spec.layers.splice(2, 0, {
      id: 'enc',
      type: 'transformerEncoder',
      numHeads: 3,
      intermediateDim: 8,
    } as never);
    const model = buildModel(spec, { seed: 1 });
    models.push(model);
    expect(() => tfjsScorer(model)).toThrow(DecoderPlanError);
    expect(() => tfjsScorer(model)).toThrow(
      /layer \/layers\/2 \("enc", transformerEncoder\): cannot be decoded step by step/,
    );
  });
});
