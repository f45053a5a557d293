import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildModel, saveWeights, useEngine } from '@netspec/backend-tfjs';
import { gptGenerator, trainTokenizer } from '@netspec/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { netspec, root, scratch } from './cli-harness.js';

// End to end: convert, bench, doctor, zoo show --set and generate, driving the built binary.

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** The exact version a package.json of ours pins `dep` to. */
const pinned = (pkg: string, dep: string) =>
  (
    readJson(join(root, 'packages', pkg, 'package.json')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies[dep];

describe('netspec convert', () => {
  it('round-trips zoo:lenet5 through a Keras model.json', () => {
    const dir = scratch();
    const keras = join(dir, 'lenet.model.json');
    const back = join(dir, 'lenet.json');
    const to = netspec(['convert', 'zoo:lenet5', '-o', keras]);
    expect(to.stderr).toBe('');
    expect(to.code).toBe(0);
    // LeNet-5's 61,706 parameters (as `netspec summary` and Keras count them).
    expect(to.stdout).toBe(
      `${keras}: Keras Sequential "lenet5" (8 layers, 61,706 parameters; topology only)\n`,
    );
    const doc = readJson(keras);
    expect(doc.format).toBe('layers-model');
    expect(doc.modelTopology.model_config.config.layers[0].class_name).toBe('InputLayer');
    const from = netspec(['convert', keras, '-o', back]);
    expect(from.code).toBe(0);
    expect(from.stdout).toBe(`${back}: netspec spec "lenet5" (8 layers, 61,706 parameters)\n`);
    const summaryBefore = netspec(['summary', 'zoo:lenet5', '--json']);
    const summaryAfter = netspec(['summary', back, '--json']);
    expect(JSON.parse(summaryAfter.stdout)).toEqual(JSON.parse(summaryBefore.stdout));
  });

  it('lists every problem of a Keras model that does not map', () => {
    const dir = scratch();
    const path = join(dir, 'model.json');
    writeFileSync(
      path,
      JSON.stringify({
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'Dense', config: { name: 'a', units: 2, batch_input_shape: [null, 3] } },
            { class_name: 'Lambda', config: { name: 'l' } },
            { class_name: 'LSTM', config: { name: 'r', units: 2, stateful: true } },
          ],
        },
      }),
    );
    const r = netspec(['convert', path, '-o', join(dir, 'out.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `error: ${path}: 2 problems converting to netspec:`,
      '  layers[1] (class Lambda): no netspec equivalent; netspec runs no user code',
      '  layers[2] (class LSTM): stateful true has no netspec equivalent',
      '',
    ]);
  });
});

describe('netspec bench', () => {
  it('measures one model on one engine, prints a table and writes the JSON report', () => {
    const dir = scratch();
    const out = join(dir, 'results', 'bench.json');
    const r = netspec([
      'bench',
      '--model',
      'mlp',
      '--engine',
      'ort-node',
      '--seconds',
      '0.2',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^engine\s+model\s+batch-1 ms \(median\)\s+min ms\s+max ms\s+batch-64 samples\/s$/,
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ort-node\s+mlp\s+[\d.]+\s+[\d.]+\s+[\d,.]+\s+[\d,]+$/);
    const report = readJson(out);
    expect(report.benchmark).toBe('onnx-inference');
    expect(report.results).toHaveLength(1);
    const [result] = report.results;
    expect(result).toMatchObject({ engine: 'ort-node', model: 'mlp', batchSize: 64 });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.latencyMinMs).toBeLessThanOrEqual(result.latencyMs);
    expect(result.latencyRuns).toBeGreaterThanOrEqual(3);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
  });

  it('runs the training suite as JSON', () => {
    const r = netspec([
      'bench',
      '--suite',
      'training',
      '--model',
      'mlp',
      '--engine',
      'wasm',
      '--seconds',
      '0.2',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.benchmark).toBe('tfjs-training');
    // mlp 784-256-128-10: 200,960 + 32,896 + 1,290 parameters.
    expect(report.results).toEqual([
      expect.objectContaining({ engine: 'wasm', model: 'mlp', batchSize: 64, params: 235_146 }),
    ]);
    expect(report.results[0].samplesPerSecond).toBeGreaterThan(0);
  });
});

describe('netspec doctor', () => {
  it('reports Node, threads, package versions, tfjs engines and onnxruntime providers', () => {
    const r = netspec(['doctor', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.node).toBe(process.version);
    expect(report.threads).toBe(availableParallelism());
    expect(report.packages).toEqual({
      '@tensorflow/tfjs': pinned('backend-tfjs', '@tensorflow/tfjs'),
      'onnxruntime-node': pinned('backend-onnx', 'onnxruntime-node'),
      'onnxruntime-web': pinned('backend-onnx', 'onnxruntime-web'),
    });
    const onnx = Object.fromEntries(
      (report.onnx as { name: string; available: boolean; reason?: string }[]).map((p) => [
        p.name,
        p,
      ]),
    );
    expect(onnx['ort-node cpu']?.available).toBe(true);
    expect(onnx['ort-web wasm']?.available).toBe(true);
    // This machine has no GPU: CUDA fails with the reason and what to install.
    expect(onnx['ort-node cuda']?.available).toBe(false);
    expect(onnx['ort-node cuda']?.reason).toMatch(
      /CUDA execution provider .*ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    expect(report.engines.map((e: { name: string }) => e.name)).toEqual([
      'tfjs-node-gpu',
      'tfjs-node',
      'wasm',
      'cpu',
    ]);
  });

  it('prints the same as a readable report', () => {
    const r = netspec(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`node ${process.version}, ${availableParallelism()} threads\n`);
    expect(r.stdout).toMatch(/\n {2}ort-node cpu {3}available/);
    expect(r.stdout).toMatch(/\n {2}ort-node cuda {2}not available: /);
  });
});

describe('netspec zoo show --set', () => {
  it('prints the preset with options overridden, as a spec that validates', () => {
    const dir = scratch();
    const path = join(dir, 'gpt.json');
    const r = netspec([
      'zoo',
      'show',
      'gpt-nano',
      '--set',
      'vocabularySize=96',
      '--set',
      'contextLength=64',
    ]);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(path, r.stdout);
    const spec = JSON.parse(r.stdout);
    expect(spec.layers[0]).toMatchObject({
      vocabularySize: 96,
      sequenceLength: 64,
      embeddingDim: 48,
    });
    // wte 96*48 + wpe 64*48 = 7,680; per layer (width 48, ffn 192): 2 layer norms 192, qkv
    // 3*(48*48+48) = 7,056, projection 2,352, ffn 9,408 + 9,264 = 28,272, x3 = 84,816; ln_f 96;
    // tied head 0. Total 92,592.
    const v = netspec(['validate', path]);
    expect(v.stdout).toBe(`${path}: valid (gpt-nano: 5 layers, 92,592 parameters)\n`);
  });

  it('lists the options of each preset', () => {
    const r = netspec(['zoo', 'list', '--json']);
    const gpt = JSON.parse(r.stdout).find((p: { name: string }) => p.name === 'gpt-nano');
    expect(gpt.options.map((o: { name: string }) => o.name)).toContain('contextLength');
  });
});

describe('netspec generate', () => {
  const CORPUS = 'Call me Ishmael. Some years ago, never mind how long precisely.';
  let run = '';
  let onnx = '';

  // A run dir as `netspec train` leaves it for a language model, with seeded (untrained) weights:
  // a 2-layer GPT over the corpus's characters, embeddings scaled up so the greedy choice is
  // never a near tie between engines.
  beforeAll(async () => {
    run = scratch('netspec-gpt-');
    const tokenizer = trainTokenizer('char', CORPUS);
    const spec = gptGenerator({
      vocabularySize: tokenizer.vocabularySize,
      contextLength: 32,
      layers: 2,
      heads: 2,
      width: 16,
      dropout: 0,
      name: 'tiny-gpt',
    });
    (spec.layers[0] as Record<string, unknown>).embeddingsInitializer = {
      type: 'randomNormal',
      stddev: 1,
    };
    await useEngine('cpu');
    const model = buildModel(spec, { seed: 7 });
    const weights = saveWeights(model);
    model.dispose();
    writeFileSync(join(run, 'spec.json'), JSON.stringify(spec));
    writeFileSync(join(run, 'weights.safetensors'), weights);
    writeFileSync(join(run, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
    // The KV-cache ONNX export (`netspec export --kv-cache`) beside its tokenizer, as a user ships it.
    const dir = scratch('netspec-gpt-onnx-');
    onnx = join(dir, 'gpt.onnx');
    const exported = netspec(['export', run, '-o', onnx, '--kv-cache']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
  });

  const generate = (source: string, ...flags: string[]) =>
    netspec(['generate', source, '--prompt', 'Call me', '--max-new-tokens', '40', ...flags]);

  it('gives the same greedy text on tfjs, ort-node and ort-web, sliding past the context', () => {
    const tfjs = generate(run, '--engine', 'tfjs');
    expect(tfjs.code, tfjs.stderr).toBe(0);
    // The prompt is echoed, then 40 characters (7 + 40 > the 32 positions the model holds).
    expect(tfjs.stdout.startsWith('Call me')).toBe(true);
    expect(tfjs.stdout).toHaveLength('Call me'.length + 40 + 1);
    expect(tfjs.stderr).toMatch(
      /^tfjs-\w+: 40 tokens in [\d.]+ s \([\d.]+ tokens\/s, KV cache\); stopped: max-tokens\n$/,
    );
    for (const engine of ['ort-node', 'ort-web']) {
      const other = generate(run, '--engine', engine);
      expect(other.code, other.stderr).toBe(0);
      expect(other.stdout, engine).toBe(tfjs.stdout);
    }
  });

  it('samples the same tokens for a seed on every engine, and other tokens for another seed', () => {
    const flags = [
      '--temperature',
      '1.5',
      '--top-k',
      '12',
      '--top-p',
      '0.95',
      '--repetition-penalty',
      '1.1',
    ];
    const tfjs = generate(run, ...flags, '--seed', '3');
    const ort = generate(onnx, ...flags, '--seed', '3');
    expect(tfjs.code, tfjs.stderr).toBe(0);
    expect(ort.code, ort.stderr).toBe(0);
    expect(ort.stdout).toBe(tfjs.stdout);
    expect(generate(run, ...flags, '--seed', '4').stdout).not.toBe(tfjs.stdout);
  });

  it('refuses a prompt the tokenizer cannot read', () => {
    const r = netspec(['generate', run, '--prompt', 'Quiz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --prompt: .*"Q"/);
  });
});
