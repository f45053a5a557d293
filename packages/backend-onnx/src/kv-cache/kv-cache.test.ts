import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, type NetspecModel, Rng, saveWeights, tfjsScorer } from '@netspec/backend-tfjs';
import type { TokenScorer } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModels } from '../checker.js';
import { ExportError, SessionError } from '../errors.js';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import { DataType, type ValueInfoProto } from '../proto/types.js';
import { exportOnnxWithCache } from './export.js';
import { ortScorer } from './scorer.js';

const VOCAB = 19;
const CONTEXT = 32;
const RANDOM = { type: 'randomNormal', stddev: 0.3 };

/** A small GPT (2 decoders, width 12, 3 heads); `split` uses embedding + positionEmbedding + add. */
function gpt(variant: { split?: boolean; sine?: boolean; postNorm?: boolean } = {}) {
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
        { id: 'drop', type: 'dropout', rate: 0.1 },
      ];
  return {
    specVersion: 1,
    name: 'tiny-gpt',
    inputs: [{ id: 'input_ids', shape: [null], dtype: 'int32' }],
    layers: [
      ...embed,
      decoder('h0'),
      decoder('h1'),
      { id: 'ln_f', type: 'layerNorm', epsilon: 1e-5, betaInitializer: RANDOM },
      variant.split
        ? { id: 'head', type: 'dense', units: VOCAB }
        : { id: 'logits', type: 'reverseEmbedding', embedding: 'wte' },
    ],
  };
}

const ids = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.next() * VOCAB));
};

/** Largest |a - b| / max(1, |b|) (the design's CPU/wasm parity bar is 1e-4). */
function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  b.forEach((ref, i) => {
    worst = Math.max(worst, Math.abs((a[i] as number) - ref) / Math.max(1, Math.abs(ref)));
  });
  return worst;
}

/** The worst error per step of `scorer` against `reference` fed the same chunks. */
async function stepErrors(scorer: TokenScorer, reference: TokenScorer, chunks: number[][]) {
  const errors: number[] = [];
  for (const chunk of chunks)
    errors.push(relError(await scorer.append(chunk), await reference.append(chunk)));
  return errors;
}

const dims = (v: ValueInfoProto | undefined) =>
  v?.type?.tensor_type?.shape?.dim?.map((d) => d.dim_param ?? d.dim_value);
const elemType = (v: ValueInfoProto | undefined) => v?.type?.tensor_type?.elem_type;

const models: NetspecModel[] = [];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-kv-'));
});
afterAll(() => {
  for (const m of models) m.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Chunks: a prompt, single tokens, a chunk of three in the middle. */
const CHUNKS = [ids(5, 1), ...ids(6, 2).map((t) => [t]), ids(3, 3), ...ids(6, 4).map((t) => [t])];

describe('exportOnnxWithCache', () => {
  it('declares the inputs and outputs transformers.js feeds, and passes the ONNX checker', () => {
    const model = buildModel(gpt(), { seed: 7 });
    models.push(model);
    const bytes = exportOnnxWithCache(model.resolved, saveWeights(model), { positionIds: true });
    const graph = decodeModel(bytes).graph;
    const inputs = new Map(graph?.input?.map((v) => [v.name, v]));
    const outputs = new Map(graph?.output?.map((v) => [v.name, v]));
    expect([...inputs.keys()]).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
    ]);
    expect(dims(inputs.get('input_ids'))).toEqual(['batch_size', 'sequence_length']);
    expect(elemType(inputs.get('input_ids'))).toBe(DataType.INT64);
    expect(elemType(inputs.get('attention_mask'))).toBe(DataType.INT64);
    expect(dims(inputs.get('attention_mask'))).toEqual([
      'batch_size',
      'past_sequence_length + sequence_length',
    ]);
    expect(dims(inputs.get('past_key_values.1.value'))).toEqual([
      'batch_size',
      3,
      'past_sequence_length',
      4,
    ]);
    expect(elemType(inputs.get('past_key_values.1.value'))).toBe(DataType.FLOAT);
    expect([...outputs.keys()]).toEqual([
      'logits',
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
    ]);
    expect(dims(outputs.get('logits'))).toEqual(['batch_size', 'sequence_length', VOCAB]);
    expect(dims(outputs.get('present.0.key'))).toEqual([
      'batch_size',
      3,
      'past_sequence_length + sequence_length',
      4,
    ]);
    // The checker also reads the other variants: computed positions, dense head, sine encodings.
    const sine = buildModel(gpt({ split: true, sine: true, postNorm: true }), { seed: 7 });
    models.push(sine);
    const files = {
      'gpt-kv.onnx': bytes,
      'gpt-kv-computed.onnx': exportOnnxWithCache(model.resolved, saveWeights(model)),
      'gpt-kv-sine.onnx': exportOnnxWithCache(sine.resolved, saveWeights(sine)),
    };
    const paths = Object.entries(files).map(([name, b]) => {
      writeFileSync(join(dir, name), b);
      return join(dir, name);
    });
    expect(checkModels(paths)).toEqual(Object.fromEntries(paths.map((p) => [p, null])));
  });

  const variants: Record<string, { spec: Parameters<typeof gpt>[0]; positionIds: boolean }> = {
    'pre-norm, tied head, computed positions': { spec: {}, positionIds: false },
    'post-norm, dense head, embedding + positionEmbedding, position_ids': {
      spec: { split: true, postNorm: true },
      positionIds: true,
    },
    'sinusoidal positions, position_ids': { spec: { split: true, sine: true }, positionIds: true },
  };
  for (const [name, v] of Object.entries(variants)) {
    it(`gives tfjs's logits at every step on ort-node and ort-web (${name})`, async () => {
      const model = buildModel(gpt(v.spec), { seed: 11 });
      models.push(model);
      const bytes = exportOnnxWithCache(model.resolved, saveWeights(model), {
        positionIds: v.positionIds,
      });
      for (const engine of ['ort-node', 'ort-web'] as const) {
        const scorer = await ortScorer(bytes, { engine });
        const reference = tfjsScorer(model, { cache: false });
        // Sine encodings have no table: any length fits.
        const context = v.spec?.sine ? Number.POSITIVE_INFINITY : CONTEXT;
        expect([scorer.cached, scorer.vocabularySize, scorer.contextLength]).toEqual([
          true,
          VOCAB,
          context,
        ]);
        const errors = await stepErrors(scorer, reference, CHUNKS);
        expect(errors.length).toBe(CHUNKS.length);
        expect(Math.max(...errors), engine).toBeLessThanOrEqual(1e-4);
        // After reset the cache is empty again: the same prompt gives the first step's logits.
        scorer.reset();
        reference.reset();
        expect(scorer.length).toBe(0);
        const [again] = await stepErrors(scorer, reference, [CHUNKS[0] as number[]]);
        expect(again).toBeLessThanOrEqual(1e-4);
        await scorer.dispose();
        await reference.dispose();
      }
    });
  }

  it('rejects a model that is not a causal decoder, naming the layer', () => {
    const spec = gpt();
    spec.layers.splice(2, 0, {
      id: 'enc',
      type: 'transformerEncoder',
      numHeads: 3,
      intermediateDim: 8,
    } as never);
    const model = buildModel(spec, { seed: 1 });
    models.push(model);
    const call = () => exportOnnxWithCache(model.resolved, saveWeights(model));
    expect(call).toThrow(ExportError);
    expect(call).toThrow(
      /^kvCache: layer \/layers\/2 \("enc", transformerEncoder\): cannot be decoded step by step/,
    );
  });

  it('ortScorer refuses a model exported without the cache, and ids outside the vocabulary', async () => {
    const model = buildModel(gpt(), { seed: 2 });
    models.push(model);
    const plain = exportOnnx(model.resolved, saveWeights(model));
    await expect(ortScorer(plain, { source: 'plain.onnx' })).rejects.toThrow(SessionError);
    await expect(ortScorer(plain, { source: 'plain.onnx' })).rejects.toThrow(
      /^plain.onnx: expected a decoder-with-past model \(exportOnnxWithCache\) with inputs input_ids and attention_mask/,
    );
    const scorer = await ortScorer(exportOnnxWithCache(model.resolved, saveWeights(model)));
    await expect(scorer.append([3, -1])).rejects.toThrow(
      `tokens[1]: expected an integer id in [0, ${VOCAB - 1}], got -1`,
    );
    await scorer.append(ids(CONTEXT, 5));
    await expect(scorer.append([1])).rejects.toThrow(
      `${CONTEXT} held + 1 new positions pass the context length ${CONTEXT}`,
    );
    await scorer.dispose();
  });
});
