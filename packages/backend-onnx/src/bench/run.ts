// `pnpm bench`: inference latency (batch 1) and throughput (batch 64) of the benchmark models on
// tfjs (wasm, cpu) and onnxruntime (node, web), as JSON on stdout and in a results file.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_MODELS,
  type BenchModel,
  buildModel,
  EngineError,
  Rng,
  saveWeights,
  tfjsRunner,
  useEngine,
} from '@netspec/backend-tfjs';
import type { ModelRunner, RunnerTensor } from '@netspec/spec';
import { exportOnnx } from '../export.js';
import { createSession } from '../session/create.js';

const ENGINES = ['tfjs-wasm', 'tfjs-cpu', 'ort-node', 'ort-web'] as const;
type Engine = (typeof ENGINES)[number];

interface Result {
  engine: Engine;
  model: string;
  /** Batch 1: median, min and max milliseconds of one run, over `latencyRuns` runs. */
  latencyMs: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  latencyRuns: number;
  /** Batch `batchSize`: samples per second over `throughputRuns` runs. */
  batchSize: number;
  samplesPerSecond: number;
  throughputRuns: number;
}

/** Seeded random inputs of the model's shapes (speed does not depend on the values). */
function randomInputs(m: BenchModel, batch: number, seed: number): Record<string, RunnerTensor> {
  const rng = new Rng(seed);
  const feeds: Record<string, RunnerTensor> = {};
  for (const input of m.inputs) {
    const shape = [batch, ...input.shape];
    const size = shape.reduce((a, b) => a * b, 1);
    const vocabulary = input.vocabulary;
    feeds[input.name] = {
      data: vocabulary
        ? Int32Array.from({ length: size }, () => rng.int(vocabulary))
        : Float32Array.from({ length: size }, () => rng.next()),
      shape,
    };
  }
  return feeds;
}

/** Times `runner` on `feeds`: warm-up runs, then at least `minRuns` runs and `seconds` seconds. */
async function time(
  runner: ModelRunner,
  feeds: Record<string, RunnerTensor>,
  seconds: number,
  minRuns: number,
  warmUp: number,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await runner.run(feeds);
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < seconds * 1000) {
    const t = performance.now();
    await runner.run(feeds);
    times.push(performance.now() - t);
  }
  return times;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function measure(
  engine: Engine,
  runner: ModelRunner,
  m: BenchModel,
  o: { seconds: number; minRuns: number; warmUp: number; batchSize: number },
): Promise<Result> {
  const one = await time(runner, randomInputs(m, 1, 1), o.seconds, o.minRuns, o.warmUp);
  const big = await time(runner, randomInputs(m, o.batchSize, 2), o.seconds, o.minRuns, o.warmUp);
  const total = big.reduce((a, b) => a + b, 0) / 1000;
  return {
    engine,
    model: m.name,
    latencyMs: median(one),
    latencyMinMs: Math.min(...one),
    latencyMaxMs: Math.max(...one),
    latencyRuns: one.length,
    batchSize: o.batchSize,
    samplesPerSecond: (big.length * o.batchSize) / total,
    throughputRuns: big.length,
  };
}

const list = (s: string) => s.split(',').filter(Boolean);
const reason = (e: unknown) =>
  e instanceof EngineError
    ? e.attempts.map((a) => a.reason).join('; ')
    : e instanceof Error
      ? e.message
      : String(e);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: ENGINES.join(',') },
      models: { type: 'string', default: BENCH_MODELS.map((m) => m.name).join(',') },
      seconds: { type: 'string', default: '2' },
      // tfjs's cpu backend is ~100x slower: by default it runs only these models.
      'cpu-models': { type: 'string', default: 'mlp,lenet5' },
      'batch-size': { type: 'string', default: '64' },
      threads: { type: 'string', default: '2' },
      out: { type: 'string', default: join('bench-results', 'onnx-inference.json') },
    },
  });
  const engines = list(values.engines) as Engine[];
  for (const e of engines)
    if (!ENGINES.includes(e))
      throw new Error(`unknown engine "${e}"; expected ${ENGINES.join(', ')}`);
  const names = list(values.models);
  for (const n of names)
    if (!BENCH_MODELS.some((m) => m.name === n))
      throw new Error(
        `unknown model "${n}"; expected ${BENCH_MODELS.map((m) => m.name).join(', ')}`,
      );
  const models = BENCH_MODELS.filter((m) => names.includes(m.name));
  const seconds = Number(values.seconds);
  const threads = Number(values.threads);
  const batchSize = Number(values['batch-size']);
  if (!(seconds > 0))
    throw new Error(`--seconds: expected a positive number, got ${values.seconds}`);
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new Error(`--threads: expected a positive integer, got ${values.threads}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new Error(`--batch-size: expected a positive integer, got ${values['batch-size']}`);
  const cpuModels = list(values['cpu-models']);
  const options = { seconds, minRuns: 3, warmUp: 3, batchSize };

  // Seeded weights (built on tfjs's cpu backend), and their ONNX export, once per model.
  await useEngine('cpu');
  const prepared = new Map<string, { weights: Uint8Array; onnx?: Uint8Array; error?: string }>();
  for (const m of models) {
    const model = buildModel(m.spec, { seed: 1 });
    const weights = saveWeights(model);
    model.dispose();
    try {
      prepared.set(m.name, { weights, onnx: exportOnnx(m.spec, weights) });
    } catch (e) {
      prepared.set(m.name, { weights, error: `export failed: ${reason(e)}` });
    }
  }

  const results: Result[] = [];
  const unavailable: { engine: string; model?: string; reason: string }[] = [];
  for (const engine of engines) {
    if (engine.startsWith('tfjs-')) {
      try {
        await useEngine(engine === 'tfjs-wasm' ? 'wasm' : 'cpu');
      } catch (e) {
        unavailable.push({ engine, reason: reason(e) });
        continue;
      }
    }
    for (const m of models) {
      if (engine === 'tfjs-cpu' && !cpuModels.includes(m.name)) continue;
      const p = prepared.get(m.name);
      if (!p) continue;
      let runner: ModelRunner;
      try {
        if (engine.startsWith('tfjs-')) {
          runner = tfjsRunner(buildModel(m.spec, { weights: p.weights }));
        } else {
          if (!p.onnx) throw new Error(p.error);
          runner =
            engine === 'ort-node'
              ? await createSession(p.onnx, { engine, threads })
              : await createSession(p.onnx, { engine: 'ort-web' });
        }
      } catch (e) {
        unavailable.push({ engine, model: m.name, reason: reason(e) });
        continue;
      }
      try {
        const r = await measure(engine, runner, m, options);
        results.push(r);
        process.stderr.write(
          `${engine} ${m.name}: ${r.latencyMs.toFixed(3)} ms at batch 1, ${r.samplesPerSecond.toFixed(0)} samples/s at batch ${batchSize}\n`,
        );
      } catch (e) {
        unavailable.push({ engine, model: m.name, reason: `run failed: ${reason(e)}` });
      } finally {
        await runner.dispose();
      }
    }
  }

  // ort-node against tfjs-wasm on the same model: how many times faster (above 1: ort-node wins).
  const find = (engine: Engine, model: string) =>
    results.find((r) => r.engine === engine && r.model === model);
  const ortNodeVsTfjsWasm = models.flatMap((m) => {
    const ort = find('ort-node', m.name);
    const tfjs = find('tfjs-wasm', m.name);
    if (!ort || !tfjs) return [];
    return [
      {
        model: m.name,
        latencySpeedup: tfjs.latencyMs / ort.latencyMs,
        throughputSpeedup: ort.samplesPerSecond / tfjs.samplesPerSecond,
      },
    ];
  });

  const report = {
    benchmark: 'onnx-inference',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtEnd: loadavg(),
    settings: {
      seconds,
      minRuns: options.minRuns,
      warmUp: options.warmUp,
      batchSize,
      ortNodeThreads: threads,
    },
    results,
    ortNodeVsTfjsWasm,
    unavailable,
  };
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, text);
  process.stdout.write(text);
}

await main();
