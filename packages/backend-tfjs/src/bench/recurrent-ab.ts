// `node dist/bench/recurrent-ab.js [--engine wasm] [--kinds lstm,gru,simpleRnn] [--seconds 3]`:
// the bench's LSTM classifier (vocab 1000, embed 64, 64 units, T=64, batch 64, Adam) trained
// with the fused recurrent layers and with the step-by-step path they replace, alternating in
// one process (best of three rounds each), so that a busy machine slows both alike.
import { parseArgs } from 'node:util';
import { type EngineName, useEngine } from '../engine.js';
import { useFusedRecurrence } from '../layers/recurrent/fused.js';
import { buildModel } from '../model/build.js';
import { tf } from '../tf.js';
import { trainingOf } from '../train/fit.js';
import { SupervisedStep } from '../train/supervised.js';
import { BENCH_MODELS } from './models.js';

interface Side {
  samplesPerSecond: number;
  kernelsPerStep: number;
}

async function measure(kind: string, seconds: number): Promise<Record<'steps' | 'fused', Side>> {
  const bench = BENCH_MODELS.find((m) => m.name === 'lstm');
  if (!bench) throw new Error('no lstm bench model');
  const spec = structuredClone(bench.spec) as { layers: Record<string, unknown>[] };
  spec.layers[1] = { id: 'lstm', type: kind, units: 64 };
  const model = buildModel(spec, { seed: 1 });
  const step = new SupervisedStep(model, trainingOf(model));
  const [batch, steps] = [64, 64];
  const ids = Int32Array.from({ length: batch * steps }, (_, i) => (i * 7919) % 1000);
  const x = tf.tensor(ids, [batch, steps], 'int32');
  const y = tf.tensor(
    Int32Array.from({ length: batch }, (_, i) => i % 2),
    [batch],
    'int32',
  );
  const feeds = { x: { tokens: x }, y: { [model.outputNames[0] as string]: y }, size: batch };
  const best = {
    steps: { samplesPerSecond: 0, kernelsPerStep: 0 },
    fused: { samplesPerSecond: 0, kernelsPerStep: 0 },
  };
  let i = 0;
  const train = () => step.train(feeds, { step: i, seed: i++ });
  for (let round = 0; round < 3; round++)
    for (const side of ['steps', 'fused'] as const) {
      useFusedRecurrence(side === 'fused');
      train();
      if (round === 0) best[side].kernelsPerStep = (await tf.profile(train)).kernels.length;
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < seconds * 1000) {
        train();
        n++;
      }
      const rate = (n * batch) / ((performance.now() - started) / 1000);
      best[side].samplesPerSecond = Math.max(best[side].samplesPerSecond, rate);
    }
  useFusedRecurrence(true);
  tf.dispose([x, y]);
  step.dispose();
  model.dispose();
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'wasm' },
      kinds: { type: 'string', default: 'lstm,gru,simpleRnn' },
      seconds: { type: 'string', default: '3' },
    },
  });
  await useEngine(values.engine as EngineName);
  const results = [];
  for (const kind of values.kinds.split(',')) {
    const r = await measure(kind, Number(values.seconds));
    const ratio = r.fused.samplesPerSecond / r.steps.samplesPerSecond;
    results.push({ kind, ...r, ratio });
    process.stderr.write(
      `${kind}: step-by-step ${r.steps.samplesPerSecond.toFixed(0)} samples/s (${r.steps.kernelsPerStep} kernels/step), fused ${r.fused.samplesPerSecond.toFixed(0)} samples/s (${r.fused.kernelsPerStep} kernels/step): ${ratio.toFixed(2)}x\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ engine: values.engine, results }, null, 2)}\n`);
}

await main();
