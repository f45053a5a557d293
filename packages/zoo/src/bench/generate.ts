// `pnpm bench` in packages/zoo: greedy generation speed (new tokens/s, batch 1) of the zoo's
// GPT presets with and without a KV cache, on tfjs (wasm) and onnxruntime-node; JSON on stdout
// and in bench-results/generate.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSession, exportOnnx, exportOnnxWithCache, ortScorer } from '@netspec/backend-onnx';
import { buildModel, saveWeights, tfjsScorer, useEngine } from '@netspec/backend-tfjs';
import type { TokenScorer } from '@netspec/spec';
import { generate } from '../generate/generate.js';
import { runnerScorer } from '../generate/runner-scorer.js';
import { GPT_SIZES, gptGenerator } from '../gpt.js';

const MODELS = ['gpt-nano', 'gpt-mini'] as const;
type Model = (typeof MODELS)[number];
const VOCAB = 50_257;
const CONTEXT = 1024;

export interface GenerateBenchResult {
  model: Model;
  engine: string;
  cache: boolean;
  promptTokens: number;
  newTokens: number;
  /** The prompt's step (prefill) and the first new token, in ms. */
  firstTokenMs: number;
  /** New tokens per second after the first. */
  tokensPerSecond: number;
}

/** Greedy generation of `newTokens` after a `promptTokens` prompt; one warm-up run first. */
async function measure(scorer: TokenScorer, promptTokens: number, newTokens: number) {
  const prompt = Array.from({ length: promptTokens }, (_, i) => (i * 7919) % VOCAB);
  const run = async () => {
    const start = performance.now();
    let first = 0;
    await generate(scorer, prompt, {
      maxNewTokens: newTokens,
      onToken: ({ index }) => {
        if (index === 0) first = performance.now();
      },
    });
    return { firstTokenMs: first - start, seconds: (performance.now() - first) / 1000 };
  };
  await run();
  const { firstTokenMs, seconds } = await run();
  return { firstTokenMs, tokensPerSecond: (newTokens - 1) / seconds };
}

const positive = (flag: string, v: number) => {
  if (!(Number.isInteger(v) && v >= 1))
    throw new Error(`--${flag}: expected a positive integer, got ${String(v)}`);
  return v;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: MODELS.join(',') },
      prompt: { type: 'string', default: '8' },
      tokens: { type: 'string', default: '64' },
      // One thread: a batch-1 step of these sizes is too small to split, and on a busy 2-core
      // machine onnxruntime's spinning pool threads lose more than they gain (measured 4x slower).
      threads: { type: 'string', default: '1' },
      out: { type: 'string', default: join('bench-results', 'generate.json') },
    },
  });
  const models = values.models.split(',').filter(Boolean) as Model[];
  for (const m of models)
    if (!MODELS.includes(m))
      throw new Error(`--models: unknown model "${m}"; expected ${MODELS.join(', ')}`);
  const promptTokens = positive('prompt', Number(values.prompt));
  const newTokens = positive('tokens', Number(values.tokens));
  const threads = positive('threads', Number(values.threads));
  if (promptTokens + newTokens > CONTEXT)
    throw new Error(`--prompt + --tokens: expected at most ${CONTEXT} positions`);
  await useEngine('wasm');
  const results: GenerateBenchResult[] = [];
  for (const name of models) {
    const spec = gptGenerator({ ...GPT_SIZES[name], dropout: 0, name });
    const model = buildModel(spec, { seed: 1 });
    const weights = saveWeights(model);
    const sizes = { vocabularySize: VOCAB, contextLength: CONTEXT };
    const scorers: [string, boolean, () => Promise<TokenScorer>][] = [
      ['tfjs-wasm', true, async () => tfjsScorer(model)],
      ['tfjs-wasm', false, async () => tfjsScorer(model, { cache: false })],
      ['ort-node', true, () => ortScorer(exportOnnxWithCache(spec, weights), { threads })],
      [
        'ort-node',
        false,
        async () =>
          runnerScorer(await createSession(exportOnnx(spec, weights), { threads }), sizes),
      ],
    ];
    for (const [engine, cache, open] of scorers) {
      const scorer = await open();
      const r = {
        model: name,
        engine,
        cache,
        promptTokens,
        newTokens,
        ...(await measure(scorer, promptTokens, newTokens)),
      };
      await scorer.dispose();
      results.push(r);
      process.stderr.write(
        `${name} ${engine} ${cache ? 'cache' : 'no cache'}: ${r.tokensPerSecond.toFixed(1)} tokens/s, first token ${r.firstTokenMs.toFixed(1)} ms\n`,
      );
    }
    model.dispose();
  }
  const text = `${JSON.stringify({ promptTokens, newTokens, threads, results }, null, 2)}\n`;
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, text);
  process.stdout.write(text);
}

await main();
