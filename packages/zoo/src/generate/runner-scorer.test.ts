import { createSession, exportOnnx } from '@netspec/backend-onnx';
import { buildModel, saveWeights, tfjsRunner } from '@netspec/backend-tfjs';
import type { ModelRunner, TokenScorer } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gptGenerator } from '../gpt.js';
import { generate } from './index.js';
import { runnerScorer } from './runner-scorer.js';

const VOCABULARY = 48;
const CONTEXT = 12;

// A tiny GPT, untrained: embeddings of stddev 1 (not GPT-2's 0.02) spread its logits apart, so
// the greedy choices are not near-ties that float rounding could flip.
function tinyGpt() {
  const spec = gptGenerator({
    vocabularySize: VOCABULARY,
    contextLength: CONTEXT,
    layers: 2,
    heads: 2,
    width: 16,
    dropout: 0,
  });
  const embedding = spec.layers[0] as { embeddingsInitializer?: unknown };
  embedding.embeddingsInitializer = { type: 'randomNormal', stddev: 1 };
  return spec;
}

describe('runnerScorer: a tiny GPT on tfjs and on onnxruntime-node', () => {
  let tfjs: TokenScorer;
  let ort: TokenScorer;
  beforeAll(async () => {
    const spec = tinyGpt();
    const model = buildModel(spec, { seed: 5 });
    const bytes = exportOnnx(spec, saveWeights(model));
    const options = { vocabularySize: VOCABULARY, contextLength: CONTEXT };
    tfjs = runnerScorer(tfjsRunner(model), options);
    ort = runnerScorer(await createSession(bytes), options);
  });
  afterAll(async () => {
    await tfjs?.dispose();
    await ort?.dispose();
  });

  it('gives the same next-token logits (parity tolerance)', async () => {
    tfjs.reset();
    ort.reset();
    const a = await tfjs.append([3, 1, 4, 1, 5]);
    const b = await ort.append([3, 1, 4, 1, 5]);
    expect(a.length).toBe(VOCABULARY);
    for (let i = 0; i < VOCABULARY; i++)
      expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(
        1e-4 * Math.max(1, Math.abs(b[i] as number)),
      );
    expect(tfjs.length).toBe(5);
    expect(tfjs.cached).toBe(false);
  });

  it('generates the same greedy tokens, past the context length (sliding window)', async () => {
    // An untrained tied head favours the last token itself: the penalty moves greedy along.
    const options = { maxNewTokens: 24, repetitionPenalty: 1.5 };
    const prompt = [7, 2, 9];
    const fromTfjs = await generate(tfjs, prompt, options);
    const fromOrt = await generate(ort, prompt, options);
    expect(fromTfjs.ids).toHaveLength(24);
    expect(fromOrt.ids).toEqual(fromTfjs.ids);
    expect(new Set(fromTfjs.ids).size).toBeGreaterThan(3);
  });

  it('draws the same seeded samples', async () => {
    const options = { maxNewTokens: 16, temperature: 1, topK: 10, seed: 9 };
    const fromTfjs = await generate(tfjs, [1], options);
    expect((await generate(ort, [1], options)).ids).toEqual(fromTfjs.ids);
  });

  it('refuses to pass its context length', async () => {
    ort.reset();
    await ort.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(ort.append([1, 2, 3])).rejects.toThrow(
      'tokens: 10 held + 3 new pass the context length 12; reset() first',
    );
    await expect(ort.append([VOCABULARY])).rejects.toThrow(
      `tokens[0]: expected a token id in [0, ${VOCABULARY}), got ${VOCABULARY}`,
    );
  });
});

describe('runnerScorer options', () => {
  const runner = (outputShape: number[]): ModelRunner => ({
    engine: 'fixed',
    inputNames: ['ids'],
    outputNames: ['logits', 'hidden'],
    run: async () => ({ logits: { data: new Float32Array(8), shape: outputShape } }),
    dispose: async () => {},
  });

  it('names the output to use and checks its shape', async () => {
    expect(() => runnerScorer(runner([1, 1, 8]), { vocabularySize: 8, contextLength: 4 })).toThrow(
      'output: the model has 2 outputs (logits, hidden); name the one to use',
    );
    expect(() =>
      runnerScorer(runner([1, 1, 8]), { vocabularySize: 8, contextLength: 4, output: 'x' }),
    ).toThrow('output: expected one of the model\'s outputs logits, hidden, got "x"');
    expect(() => runnerScorer(runner([1, 1, 8]), { vocabularySize: 0, contextLength: 4 })).toThrow(
      'vocabularySize: expected a positive integer, got 0',
    );
    const wrong = runnerScorer(runner([1, 8]), {
      vocabularySize: 8,
      contextLength: 4,
      output: 'logits',
    });
    await expect(wrong.append([1])).rejects.toThrow(
      'fixed output "logits": expected logits of shape (1, 1, 8), got (1, 8)',
    );
    expect(wrong.length).toBe(0);
  });
});
