import { createSession, exportOnnx, exportOnnxWithCache, ortScorer } from '@netspec/backend-onnx';
import { buildModel, saveWeights, useEngine } from '@netspec/backend-tfjs';
import { generate, gptGenerator, runnerScorer } from '@netspec/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedScorer } from './cached-scorer.js';
import { summarizeOnnx } from './onnx-summary.js';
import { createWebSession } from './session.js';

// A seeded GPT (2 layers, 16 positions) exported with a KV cache: in Node onnxruntime-web runs it
// on wasm, the same path as a browser without WebGPU (src/browser/ runs Chromium).
const spec = gptGenerator({
  vocabularySize: 23,
  contextLength: 16,
  layers: 2,
  heads: 2,
  width: 16,
  dropout: 0,
});
let plain: Uint8Array;
let withCache: Uint8Array;
beforeAll(async () => {
  await useEngine('wasm');
  const model = buildModel(spec, { seed: 1 });
  const weights = saveWeights(model);
  plain = exportOnnx(model.resolved, weights);
  withCache = exportOnnxWithCache(model.resolved, weights);
  model.dispose();
});

describe('cachedScorer', () => {
  it('generates the greedy ids of onnxruntime-node, with and without its cache', async () => {
    const prompt = [3, 1, 4, 1, 5];
    const options = { maxNewTokens: 20, temperature: 0 }; // 25 > 16 positions: the window slides
    const scorer = cachedScorer(await createWebSession(withCache), summarizeOnnx(withCache));
    expect(scorer.cached).toBe(true);
    expect(scorer.contextLength).toBe(16);
    expect(scorer.vocabularySize).toBe(23);
    const web = await generate(scorer, prompt, options);
    const node = await ortScorer(withCache);
    const recomputed = runnerScorer(await createSession(plain), {
      vocabularySize: 23,
      contextLength: 16,
    });
    expect(web.ids).toEqual((await generate(node, prompt, options)).ids);
    expect(web.ids).toEqual((await generate(recomputed, prompt, options)).ids);
    // The last logits agree too (fp32 on wasm vs CPU).
    scorer.reset();
    node.reset();
    const a = await scorer.append(prompt);
    const b = await node.append(prompt);
    for (const [i, v] of a.entries()) {
      const ref = b[i] as number;
      expect(Math.abs(v - ref)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ref)));
    }
    expect(scorer.length).toBe(5);
    await expect(scorer.append([23])).rejects.toThrow(
      'tokens[0]: expected an id in [0, 22], got 23',
    );
    await expect(scorer.append(Array(12).fill(0))).rejects.toThrow(
      '5 held + 12 new positions pass the context length 16',
    );
    for (const s of [scorer, node, recomputed]) await s.dispose();
  });

  it('names what a model without a cache lacks', async () => {
    const runner = await createWebSession(plain, { provider: 'wasm' });
    expect(() => cachedScorer(runner, summarizeOnnx(plain), 'gpt.onnx')).toThrow(
      /^gpt\.onnx: expected a decoder-with-past model \(exportOnnxWithCache\) with inputs input_ids, attention_mask; it has inputs input_ids$/,
    );
    await runner.dispose();
  });
});
