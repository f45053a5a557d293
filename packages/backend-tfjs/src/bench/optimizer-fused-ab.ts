// Side by side in one process: the benchmark's models trained with the fused optimizer update
// and with the per-op kernel path, taking turns in short windows on the same model (both paths
// give the same bits, so they can share one), so that load from other jobs on a shared machine
// falls on both alike; the ratio is what to read. Also counts the tfjs kernels of one step each
// way. `node dist/bench/optimizer-fused-ab.js [engine] [seconds] [threads] [models...]`

import { type EngineName, useEngine } from '../engine.js';
import { buildModel } from '../model/build.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { disposeBatch } from '../train/examples.js';
import { trainingOf } from '../train/fit.js';
import { fusedOptimizerUpdates } from '../train/optimizers.js';
import { SupervisedStep } from '../train/supervised.js';
import { BENCH_MODELS, type BenchModel } from './models.js';
import { randomBatch } from './training.js';

async function measure(m: BenchModel, seconds: number, threads: number) {
  const model = buildModel(m.spec, { seed: 1 });
  const training = trainingOf(model);
  const step = new SupervisedStep(model, training);
  await step.useThreads(threads);
  const batch = randomBatch(m, training.batchSize, model.outputNames[0] as string, new Rng(1));
  let done = 0;
  const train = () => step.train(batch, { step: done, seed: done++ });
  try {
    const kernels: Record<string, number> = {};
    for (const fused of [false, true]) {
      fusedOptimizerUpdates(fused);
      for (let i = 0; i < 2; i++) train();
      const profile = await tf.profile(train);
      kernels[fused ? 'fused' : 'kernels'] = profile.kernels.length;
    }
    const time = { fused: 0, kernels: 0 };
    const steps = { fused: 0, kernels: 0 };
    const rounds = Math.max(2, Math.round(seconds / 0.5));
    for (let r = 0; r < rounds; r++)
      for (const fused of r % 2 ? [true, false] : [false, true]) {
        fusedOptimizerUpdates(fused);
        const key = fused ? 'fused' : 'kernels';
        const started = performance.now();
        const until = started + (seconds * 1000) / rounds / 2;
        do {
          train();
          steps[key]++;
        } while (performance.now() < until);
        time[key] += performance.now() - started;
      }
    const ms = { fused: time.fused / steps.fused, kernels: time.kernels / steps.kernels };
    return {
      model: m.name,
      threads: step.threadsFor(batch.size),
      kernelsPerStep: kernels,
      msPerStep: { fused: +ms.fused.toFixed(2), kernels: +ms.kernels.toFixed(2) },
      steps,
      speedup: +(ms.kernels / ms.fused).toFixed(3),
    };
  } finally {
    fusedOptimizerUpdates(true);
    disposeBatch(batch);
    step.dispose();
    model.dispose();
  }
}

const [engine = 'wasm', seconds = '10', threads = '1', ...names] = process.argv.slice(2);
await useEngine(engine as EngineName);
const models = names.length ? BENCH_MODELS.filter((m) => names.includes(m.name)) : BENCH_MODELS;
for (const m of models)
  console.log(JSON.stringify(await measure(m, Number(seconds), Number(threads))));
