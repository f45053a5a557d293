// `pnpm bench`: training samples/s per engine and model, as JSON (stdout and a results file).
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_ORDER, EngineError, type EngineName, useEngine } from '../engine.js';
import { buildModel } from '../model/build.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { type Batch, disposeBatch } from '../train/examples.js';
import { trainingOf } from '../train/fit.js';
import { SupervisedStep } from '../train/supervised.js';
import { BENCH_MODELS, type BenchModel } from './models.js';

interface Result {
  engine: EngineName;
  model: string;
  batchSize: number;
  params: number;
  steps: number;
  seconds: number;
  samplesPerSecond: number;
}

/** A random batch of the model's input and target shapes (speed does not depend on values). */
function randomBatch(m: BenchModel, batchSize: number, rng: Rng): Batch {
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
  return { x, y: { out: y }, size: batchSize };
}

/**
 * Trains `m` for at least `seconds` and `minSteps` steps after `minSteps - 1` warm-up steps
 * (the cpu engine takes seconds to minutes per step, so it gets one of each).
 */
function measure(engine: EngineName, m: BenchModel, seconds: number, minSteps: number): Result {
  const model = buildModel(m.spec, { seed: 1 });
  const training = trainingOf(model);
  const step = new SupervisedStep(model, training);
  const output = model.outputNames[0] as string;
  const rng = new Rng(1);
  const batch = randomBatch(m, training.batchSize, rng);
  batch.y = { [output]: batch.y.out as tf.Tensor };
  const run = (i: number) => step.train(batch, { step: i, seed: i });
  const warmUp = Math.max(1, minSteps - 1);
  for (let i = 0; i < warmUp; i++) run(i);
  let steps = 0;
  const started = performance.now();
  while (steps < minSteps || performance.now() - started < seconds * 1000) run(warmUp + steps++);
  const elapsed = (performance.now() - started) / 1000;
  disposeBatch(batch);
  step.dispose();
  model.dispose();
  return {
    engine,
    model: m.name,
    batchSize: training.batchSize,
    params: model.resolved.totalParams,
    steps,
    seconds: elapsed,
    samplesPerSecond: (steps * training.batchSize) / elapsed,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: 'tfjs-node-gpu,tfjs-node,wasm,cpu' },
      models: { type: 'string', default: BENCH_MODELS.map((m) => m.name).join(',') },
      seconds: { type: 'string', default: '5' },
      'cpu-seconds': { type: 'string', default: '1' },
      // The cpu engine needs minutes per step of the larger models: by default it runs these.
      'cpu-models': { type: 'string', default: 'mlp,lenet5' },
      out: { type: 'string', default: join('bench-results', 'tfjs-training.json') },
    },
  });
  const engines = values.engines.split(',') as EngineName[];
  for (const e of engines)
    if (!ENGINE_ORDER.includes(e))
      throw new Error(`unknown engine "${e}"; expected ${ENGINE_ORDER.join(', ')}`);
  const models = BENCH_MODELS.filter((m) => values.models.split(',').includes(m.name));
  const results: Result[] = [];
  const unavailable: { engine: string; reason: string }[] = [];
  for (const name of engines) {
    try {
      await useEngine(name);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      unavailable.push({ engine: name, reason: e.attempts.map((a) => a.reason).join('; ') });
      continue;
    }
    // The cpu backend is ~100x slower: a short measurement says as much.
    const seconds = Number(name === 'cpu' ? values['cpu-seconds'] : values.seconds);
    const cpuModels = values['cpu-models'].split(',');
    for (const m of models) {
      if (name === 'cpu' && !cpuModels.includes(m.name)) continue;
      const r = measure(name, m, seconds, name === 'cpu' ? 1 : 3);
      results.push(r);
      process.stderr.write(`${name} ${m.name}: ${r.samplesPerSecond.toFixed(1)} samples/s\n`);
    }
  }
  const report = {
    benchmark: 'tfjs-training',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    tfjs: tf.version_core,
    results,
    unavailable,
  };
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await mkdir(join(values.out, '..'), { recursive: true });
  await writeFile(values.out, text);
  process.stdout.write(text);
}

await main();
