import { createSession, exportOnnx, exportOnnxWithCache, ortScorer } from '@netspec/backend-onnx';
import {
  buildModel,
  type NetspecModel,
  Rng,
  saveWeights,
  tfjsScorer,
  useEngine,
} from '@netspec/backend-tfjs';
import type { TokenScorer } from '@netspec/spec';
import { GPT_SIZES, generate, gptGenerator, runnerScorer } from '@netspec/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Generation with gpt-nano (seeded weights, GPT-2's vocabulary) gives identical token ids on
// every engine, with and without a KV cache (DESIGN.md "Parity": generators compare greedy token
// ids). A randomly initialized GPT soon repeats one token when greedy, so a seeded sampled run
// (netspec's RNG, the same draws everywhere) checks the cache over varied tokens too.

const NEW_TOKENS = 20;
const spec = gptGenerator({ ...GPT_SIZES['gpt-nano'], contextLength: 128, name: 'gpt-nano' });
const rng = new Rng(3);
const prompt = Array.from({ length: 8 }, () => rng.int(50_257));

/** Wraps a scorer to record, per step, the gap between its two largest logits. */
function withMargins(scorer: TokenScorer, margins: number[]): TokenScorer {
  return Object.assign(Object.create(scorer) as TokenScorer, {
    async append(tokens: readonly number[]) {
      const logits = await scorer.append(tokens);
      const [first, second] = [...logits].sort((a, b) => b - a);
      margins.push((first as number) - (second as number));
      return logits;
    },
  });
}

/** Greedy, and sampled with netspec's seeded RNG. */
const RUNS = {
  greedy: { maxNewTokens: NEW_TOKENS },
  sampled: { maxNewTokens: NEW_TOKENS, temperature: 1, topK: 40, seed: 11 },
};

let model: NetspecModel;
const reference = { greedy: [] as number[], sampled: [] as number[] };
const margins: number[] = [];

describe('greedy generation: the same token ids on every engine', () => {
  beforeAll(async () => {
    await useEngine('wasm');
    model = buildModel(spec, { seed: 5 });
    const plain = tfjsScorer(model, { cache: false });
    reference.greedy = (await generate(withMargins(plain, margins), prompt, RUNS.greedy)).ids;
    reference.sampled = (await generate(plain, prompt, RUNS.sampled)).ids;
    await plain.dispose();
  });
  afterAll(() => model.dispose());

  it('the reference runs are a fair test: clear greedy winners, varied sampled tokens', () => {
    expect(reference.greedy).toHaveLength(NEW_TOKENS);
    // Engines differ by ~1e-6 in the logits; a winner ahead by 100 times more cannot flip.
    expect(Math.min(...margins)).toBeGreaterThan(1e-4);
    expect(new Set(reference.sampled).size).toBeGreaterThanOrEqual(15);
  });

  let withCache: Uint8Array | undefined;
  const cachedExport = () => {
    withCache ??= exportOnnxWithCache(model.resolved, saveWeights(model));
    return withCache;
  };
  const engines: Record<string, () => Promise<TokenScorer>> = {
    'tfjs-wasm, KV cache': async () => tfjsScorer(model),
    'ort-node, KV cache': async () => ortScorer(cachedExport()),
    'ort-web, KV cache': async () => ortScorer(cachedExport(), { engine: 'ort-web' }),
    'ort-node, no cache (plain export)': async () => {
      const runner = await createSession(exportOnnx(model.resolved, saveWeights(model)));
      return runnerScorer(runner, { vocabularySize: 50_257, contextLength: 128 });
    },
  };
  for (const [name, open] of Object.entries(engines)) {
    it(name, async () => {
      const scorer = await open();
      for (const [run, options] of Object.entries(RUNS)) {
        const { ids } = await generate(scorer, prompt, options);
        expect(ids, run).toEqual(reference[run as keyof typeof RUNS]);
      }
      await scorer.dispose();
    });
  }
});
