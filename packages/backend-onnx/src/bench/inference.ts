// The inference benchmark as a function: latency (batch 1) and throughput (batch 64) of the
// benchmark models on tfjs (wasm, cpu) and onnxruntime (node, web). `pnpm bench` (run.ts) and
// `netspec bench` call it.
import { cpus, loadavg } from 'node:os';
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

export const INFERENCE_ENGINES = ['tfjs-wasm', 'tfjs-cpu', 'ort-node', 'ort-web'] as const;
export type InferenceEngine = (typeof INFERENCE_ENGINES)[number];
type Engine = InferenceEngine;

export interface InferenceBenchResult {
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
): Promise<InferenceBenchResult> {
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

const reason = (e: unknown) =>
  e instanceof EngineError
    ? e.attempts.map((a) => a.reason).join('; ')
    : e instanceof Error
      ? e.message
      : String(e);

export interface InferenceBenchOptions {
  engines: InferenceEngine[];
  /** BENCH_MODELS names. */
  models: string[];
  /** Seconds of timing per engine, model and batch size (at least three runs). */
  seconds: number;
  batchSize: number;
  /** onnxruntime-node intra-op threads. */
  threads: number;
  /** The models tfjs's cpu engine runs (it is ~100x slower); it skips the others. */
  cpuModels: string[];
  /** Called after each measurement (progress). */
  onResult?: (r: InferenceBenchResult) => void;
}

/** Latency and throughput of each model on each engine; failures are reported, not fatal. */
export async function runInferenceBench(o: InferenceBenchOptions) {
  const { seconds, batchSize, threads, cpuModels } = o;
  const options = { seconds, minRuns: 3, warmUp: 3, batchSize };
  const models = BENCH_MODELS.filter((m) => o.models.includes(m.name));

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

  const results: InferenceBenchResult[] = [];
  const unavailable: { engine: string; model?: string; reason: string }[] = [];
  for (const engine of o.engines) {
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
        o.onResult?.(r);
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

  return {
    benchmark: 'onnx-inference' as const,
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
}
