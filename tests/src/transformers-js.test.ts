import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { exportOnnxWithCache } from '@netspec/backend-onnx';
import {
  buildModel,
  type NetspecModel,
  Rng,
  saveWeights,
  tfjsScorer,
  useEngine,
} from '@netspec/backend-tfjs';
import type { TokenScorer } from '@netspec/spec';
import { GPT_SIZES, generate, gptGenerator } from '@netspec/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A netspec GPT export runs in transformers.js as a GPT-2 (DESIGN.md "Text generation"): the
// model folder is what the Hub serves (config.json, generation_config.json, onnx/model.onnx),
// read from disk with remote models off, and its greedy `generate` gives netspec's token ids.

const NEW_TOKENS = 20;
const { layers, heads, width } = GPT_SIZES['gpt-nano'];
const CONTEXT = 128;
const VOCAB = 50_257;
// An untied head: a random tied GPT soon repeats one token when greedy, an untied one does not.
const spec = gptGenerator({
  layers,
  heads,
  width,
  contextLength: CONTEXT,
  tied: false,
  name: 'gpt-nano',
});
const rng = new Rng(4);
const prompt = Array.from({ length: 8 }, () => rng.int(VOCAB));

/** Hugging Face's GPT-2 config keys for the sizes of `spec`. */
const config = {
  model_type: 'gpt2',
  architectures: ['GPT2LMHeadModel'],
  vocab_size: VOCAB,
  n_positions: CONTEXT,
  n_embd: width,
  n_layer: layers,
  n_head: heads,
  n_inner: 4 * width,
  activation_function: 'gelu_new',
  layer_norm_epsilon: 1e-5,
  bos_token_id: 50_256,
  eos_token_id: 50_256,
  use_cache: true,
};

let dir: string;
let model: NetspecModel;

/** Writes the export as a Hub-style model folder `netspec/<name>` under `dir`. */
function writeFolder(name: string, positionIds: boolean): string {
  const folder = join(dir, 'netspec', name);
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  const bytes = exportOnnxWithCache(model.resolved, saveWeights(model), { positionIds });
  writeFileSync(join(folder, 'onnx', 'model.onnx'), bytes);
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  writeFileSync(
    join(folder, 'generation_config.json'),
    JSON.stringify({ bos_token_id: 50_256, eos_token_id: 50_256, do_sample: false }),
  );
  return `netspec/${name}`;
}

/** netspec's greedy ids for `ids`, and the smallest gap between the two best logits. */
async function netspecGreedy(ids: number[]) {
  const scorer = tfjsScorer(model);
  const margins: number[] = [];
  const recording = Object.assign(Object.create(scorer) as TokenScorer, {
    async append(tokens: readonly number[]) {
      const logits = await scorer.append(tokens);
      const [first, second] = [...logits].sort((a, b) => b - a);
      margins.push((first as number) - (second as number));
      return logits;
    },
  });
  const result = await generate(recording, ids, {
    maxNewTokens: NEW_TOKENS,
    eosTokenIds: [50_256],
  });
  await scorer.dispose();
  return { ids: result.ids, margin: Math.min(...margins) };
}

/** transformers.js greedy generation for a (batch, T) id matrix and its attention mask. */
async function hfGreedy(name: string, rows: number[][], mask: number[][]) {
  const hf = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', device: 'cpu' });
  const shape = [rows.length, (rows[0] as number[]).length];
  const int64 = (m: number[][]) => new Tensor('int64', BigInt64Array.from(m.flat(), BigInt), shape);
  const output = (await hf.generate({
    inputs: int64(rows),
    attention_mask: int64(mask),
    max_new_tokens: NEW_TOKENS,
    do_sample: false,
  })) as Tensor;
  await hf.dispose();
  const all = Array.from(output.data as BigInt64Array, Number);
  const width = all.length / rows.length;
  return rows.map((_, r) => all.slice(r * width, (r + 1) * width));
}

describe('transformers.js runs a netspec GPT export', () => {
  beforeAll(async () => {
    await useEngine('wasm');
    model = buildModel(spec, { seed: 9 });
    dir = mkdtempSync(join(tmpdir(), 'netspec-hf-'));
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = dir;
    env.useFSCache = false;
  });
  afterAll(() => {
    model?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const positionIds of [false, true]) {
    it(`AutoModelForCausalLM greedy generate gives netspec's ids (position_ids: ${positionIds})`, async () => {
      const expected = await netspecGreedy(prompt);
      // A fair test: varied tokens, each ahead by 100 times the engines' ~1e-6 differences.
      expect(new Set(expected.ids).size).toBeGreaterThanOrEqual(15);
      expect(expected.margin).toBeGreaterThan(1e-4);
      const name = writeFolder(`gpt-nano-${positionIds}`, positionIds);
      const [row] = await hfGreedy(name, [prompt], [prompt.map(() => 1)]);
      expect(row?.slice(0, prompt.length)).toEqual(prompt);
      expect(row?.slice(prompt.length)).toEqual(expected.ids);
    });
  }

  it('a left-padded batch gives each row its own ids (attention_mask and position_ids)', async () => {
    const short = prompt.slice(3);
    const [long, alone] = [await netspecGreedy(prompt), await netspecGreedy(short)];
    expect(alone.margin).toBeGreaterThan(1e-4);
    const pad = prompt.length - short.length;
    const rows = [prompt, [...Array(pad).fill(50_256), ...short]];
    const mask = [prompt.map(() => 1), rows[1]?.map((_, i) => (i < pad ? 0 : 1)) as number[]];
    const [first, second] = await hfGreedy(writeFolder('gpt-nano-batch', true), rows, mask);
    expect(first?.slice(prompt.length)).toEqual(long.ids);
    expect(second?.slice(prompt.length)).toEqual(alone.ids);
  });
});
