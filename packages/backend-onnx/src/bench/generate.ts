// `node dist/bench/generate.js`: greedy generation speed (tokens/s, batch 1) of GPT-2-style
// models with and without a KV cache, on tfjs (wasm) and onnxruntime-node, as JSON on stdout and
// in a results file.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildModel, saveWeights, tfjsScorer, useEngine } from '@netspec/backend-tfjs';
import type { ModelRunner, TokenScorer } from '@netspec/spec';
import { exportOnnx } from '../export.js';
import { exportOnnxWithCache } from '../kv-cache/export.js';
import { ortScorer } from '../kv-cache/scorer.js';
import { createSession } from '../session/create.js';

/** minGPT's sizes (as the zoo's gpt-nano and gpt-mini), GPT-2's vocabulary. */
const SIZES = {
  'gpt-nano': { layers: 3, heads: 3, width: 48 },
  'gpt-mini': { layers: 6, heads: 6, width: 192 },
} as const;
type Size = keyof typeof SIZES;
const VOCAB = 50_257;
const CONTEXT = 1024;

/** A GPT-2-style spec: token + position embeddings, pre-norm decoders, tied head. */
function gptSpec(name: Size) {
  const { layers, heads, width } = SIZES[name];
  const decoder = (i: number) => ({
    id: `h${i}`,
    type: 'transformerDecoder',
    numHeads: heads,
    intermediateDim: 4 * width,
    activation: 'geluTanh',
    normalizeFirst: true,
    kernelInitializer: { type: 'randomNormal', stddev: 0.02 },
  });
  return {
    specVersion: 1,
    name,
    inputs: [{ id: 'input_ids', shape: [null], dtype: 'int32' }],
    layers: [
      {
        id: 'wte',
        type: 'tokenAndPositionEmbedding',
        vocabularySize: VOCAB,
        sequenceLength: CONTEXT,
        embeddingDim: width,
        embeddingsInitializer: { type: 'randomNormal', stddev: 0.02 },
      },
      ...Array.from({ length: layers }, (_, i) => decoder(i)),
      { id: 'ln_f', type: 'layerNorm', epsilon: 1e-5 },
      { id: 'logits', type: 'reverseEmbedding', embedding: 'wte' },
    ],
  };
}

/** No cache on onnxruntime: the plain export run over the whole held sequence every step. */
function windowScorer(runner: ModelRunner): TokenScorer {
  let held: number[] = [];
  return {
    engine: runner.engine,
    vocabularySize: VOCAB,
    contextLength: CONTEXT,
    cached: false,
    get length() {
      return held.length;
    },
    async append(tokens) {
      held = [...held, ...tokens];
      const data = Int32Array.from(held);
      const out = await runner.run({ input_ids: { data, shape: [1, held.length] } });
      const logits = out.logits?.data as Float32Array;
      return logits.slice((held.length - 1) * VOCAB);
    },
    reset() {
      held = [];
    },
    dispose: () => runner.dispose(),
  };
}

const argmax = (x: Float32Array) =>
  x.reduce((best, v, i) => (v > (x[best] as number) ? i : best), 0);

export interface GenerateBenchResult {
  model: Size;
  engine: string;
  cache: boolean;
  promptTokens: number;
  newTokens: number;
  /** The prompt's step (prefill), in ms. */
  firstTokenMs: number;
  /** New tokens per second after the first. */
  tokensPerSecond: number;
}

/** Greedy generation of `newTokens` after a `promptTokens` prompt; one warm-up run first. */
async function measure(scorer: TokenScorer, promptTokens: number, newTokens: number) {
  const prompt = Array.from({ length: promptTokens }, (_, i) => (i * 7919) % VOCAB);
  const run = async () => {
    scorer.reset();
    const start = performance.now();
    let next = argmax(await scorer.append(prompt));
    const first = performance.now();
    for (let i = 1; i < newTokens; i++) next = argmax(await scorer.append([next]));
    return { firstTokenMs: first - start, seconds: (performance.now() - first) / 1000 };
  };
  await run();
  const { firstTokenMs, seconds } = await run();
  return { firstTokenMs, tokensPerSecond: (newTokens - 1) / seconds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: Object.keys(SIZES).join(',') },
      prompt: { type: 'string', default: '8' },
      tokens: { type: 'string', default: '64' },
      // One thread: a batch-1 step of these sizes is too small to split, and on a busy 2-core
      // machine onnxruntime's spinning pool threads lose more than they gain (measured 4x slower).
      threads: { type: 'string', default: '1' },
      out: { type: 'string', default: join('bench-results', 'onnx-generate.json') },
    },
  });
  const models = values.models.split(',').filter(Boolean) as Size[];
  for (const m of models)
    if (!(m in SIZES))
      throw new Error(`--models: unknown model "${m}"; expected ${Object.keys(SIZES).join(', ')}`);
  const [promptTokens, newTokens, threads] = [values.prompt, values.tokens, values.threads].map(
    Number,
  ) as [number, number, number];
  for (const [flag, v] of Object.entries({ prompt: promptTokens, tokens: newTokens, threads }))
    if (!(Number.isInteger(v) && v >= 1))
      throw new Error(`--${flag}: expected a positive integer, got ${String(v)}`);
  if (promptTokens + newTokens > CONTEXT)
    throw new Error(`--prompt + --tokens: expected at most ${CONTEXT} positions`);
  await useEngine('wasm');
  const results: GenerateBenchResult[] = [];
  for (const name of models) {
    const model = buildModel(gptSpec(name), { seed: 1 });
    const weights = saveWeights(model);
    const scorers: [string, boolean, () => Promise<TokenScorer>][] = [
      ['tfjs-wasm', true, async () => tfjsScorer(model)],
      ['tfjs-wasm', false, async () => tfjsScorer(model, { cache: false })],
      [
        'ort-node',
        true,
        () => ortScorer(exportOnnxWithCache(model.resolved, weights), { threads }),
      ],
      [
        'ort-node',
        false,
        async () =>
          windowScorer(await createSession(exportOnnx(model.resolved, weights), { threads })),
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
