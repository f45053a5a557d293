// The tfjs training benchmark as a function: `pnpm bench` (run.ts) and `netspec bench` call it.
import { cpus } from 'node:os';
import { EngineError, type EngineName, useEngine } from '../engine.js';
import { buildModel } from '../model/build.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { type Batch, disposeBatch } from '../train/examples.js';
import { trainingOf } from '../train/fit.js';
import { SupervisedStep } from '../train/supervised.js';
import { BENCH_MODELS, type BenchModel } from './models.js';

export interface TrainingBenchResult {
  engine: EngineName;
  model: string;
  batchSize: number;
  params: number;
  steps: number;
  seconds: number;
  samplesPerSecond: number;
  /** Threads that trained (data parallel; 1 on engines that use every core themselves). */
  threads: number;
  /**
   * CPU time the process got while this configuration ran (all its threads): with other jobs on
   * the machine, cpuSeconds / seconds says how many cores the run really had.
   */
  cpuSeconds: number;
}

/**
 * A random batch of the model's input and target shapes (speed does not depend on values), the
 * target under `output`.
 */
export function randomBatch(m: BenchModel, batchSize: number, output: string, rng: Rng): Batch {
  const x: Record<string, tf.Tensor> = {};
  for (const input of m.inputs) {
    const size = batchSize * input.shape.reduce((a, b) => a * b, 1);
    x[input.name] = input.vocabulary
      ? tf.tensor(
          Int32Array.from({ length: size }, () => rng.int(input.vocabulary as number)),
          [batchSize, ...input.shape],
          'int32',
        )
      : tf.tensor(
          Float32Array.from({ length: size }, () => rng.next()),
          [batchSize, ...input.shape],
        );
  }
  const n = batchSize * m.target.shape.reduce((a, b) => a * b, 1);
  const y = tf.tensor(
    Int32Array.from({ length: n }, () => rng.int(m.target.classes)),
    [batchSize, ...m.target.shape],
    'int32',
  );
  return { x, y: { [output]: y }, size: batchSize };
}

/** One configuration under measurement: its own model, step and threads. */
interface Contender {
  threads: number;
  step: SupervisedStep;
  batch: Batch;
  done: number;
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

/** A model with its step on `threads` threads (started before any clock runs), warmed up. */
async function contender(m: BenchModel, threads: number, warmUp: number): Promise<Contender> {
  const model = buildModel(m.spec, { seed: 1 });
  const training = trainingOf(model);
  const step = new SupervisedStep(model, training);
  await step.useThreads(threads);
  const batch = randomBatch(m, training.batchSize, model.outputNames[0] as string, new Rng(1));
  const c = { threads, step, batch, done: 0, steps: 0, seconds: 0, cpuSeconds: 0 };
  for (let i = 0; i < warmUp; i++) c.step.train(c.batch, { step: c.done, seed: c.done++ });
  return c;
}

/**
 * Trains `m` on each thread count for at least `seconds` and `minSteps` steps after
 * `minSteps - 1` warm-up steps (the cpu engine takes seconds to minutes per step, so it gets one
 * of each). The counts take turns in windows of about a second, so a change in the machine's
 * load (other processes) falls on all of them alike, and their ratio stays meaningful.
 */
async function measure(
  engine: EngineName,
  m: BenchModel,
  seconds: number,
  minSteps: number,
  threadCounts: number[],
): Promise<TrainingBenchResult[]> {
  const warmUp = Math.max(1, minSteps - 1);
  const contenders: Contender[] = [];
  try {
    for (const t of threadCounts) contenders.push(await contender(m, t, warmUp));
    const rounds = Math.max(1, Math.round(seconds));
    for (let round = 0; round < rounds; round++)
      for (const c of contenders) {
        const started = performance.now();
        const cpu = process.cpuUsage();
        const until = started + (seconds * 1000) / rounds;
        const last = round === rounds - 1;
        do {
          c.step.train(c.batch, { step: c.done, seed: c.done++ });
          c.steps++;
        } while (performance.now() < until || (last && c.steps < minSteps));
        c.seconds += (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        c.cpuSeconds += (used.user + used.system) / 1e6;
      }
    return contenders.map((c) => {
      const { model } = c.step;
      const batchSize = c.batch.size;
      return {
        engine,
        model: m.name,
        batchSize,
        params: model.resolved.totalParams,
        steps: c.steps,
        seconds: c.seconds,
        samplesPerSecond: (c.steps * batchSize) / c.seconds,
        threads: c.step.threadsFor(batchSize),
        cpuSeconds: c.cpuSeconds,
      };
    });
  } finally {
    for (const c of contenders) {
      disposeBatch(c.batch);
      c.step.dispose();
      c.step.model.dispose();
    }
  }
}

export interface TrainingBenchOptions {
  /** Engines to try, fastest first; unavailable ones are reported, not fatal. */
  engines: EngineName[];
  /** BENCH_MODELS names. */
  models: string[];
  /** Seconds of measurement per engine and model (at least three steps). */
  seconds: number;
  /** Seconds on the cpu engine (one step takes seconds to minutes there). */
  cpuSeconds: number;
  /** The models the cpu engine runs; it skips the others. */
  cpuModels: string[];
  /** Thread counts to measure, taking turns on each model (see `measure`). Default [1]. */
  threads?: number[];
  /** Called after each measurement (progress). */
  onResult?: (r: TrainingBenchResult) => void;
}

/** Training samples per second of each model on each engine, with the machine it ran on. */
export async function runTrainingBench(o: TrainingBenchOptions) {
  const models = BENCH_MODELS.filter((m) => o.models.includes(m.name));
  const results: TrainingBenchResult[] = [];
  const unavailable: { engine: string; reason: string }[] = [];
  for (const name of o.engines) {
    try {
      await useEngine(name);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      unavailable.push({ engine: name, reason: e.attempts.map((a) => a.reason).join('; ') });
      continue;
    }
    // The cpu backend is ~100x slower: a short measurement says as much.
    const seconds = name === 'cpu' ? o.cpuSeconds : o.seconds;
    for (const m of models) {
      if (name === 'cpu' && !o.cpuModels.includes(m.name)) continue;
      for (const r of await measure(name, m, seconds, name === 'cpu' ? 1 : 3, o.threads ?? [1])) {
        results.push(r);
        o.onResult?.(r);
      }
    }
  }
  return {
    benchmark: 'tfjs-training' as const,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    tfjs: tf.version_core,
    results,
    unavailable,
  };
}
