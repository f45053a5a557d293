// `node dist/bench/recurrent-ab.js [--kinds lstm,gru,simpleRnn] [--seconds 3]`: the bench's
// LSTM classifier (vocab 1000, embed 64, 64 units, T=64, batch 64, Adam) on wasm, trained three
// ways alternating in one process (best of three rounds each), so that a busy machine slows all
// alike: `original` (tfjs-wasm's own Slice family, step-by-step recurrence), `slices` (heap-view
// slicing kernels, step-by-step recurrence) and `fused` (both: what useEngine('wasm') runs).
import { parseArgs } from 'node:util';
import { useEngine } from '../engine.js';
import { registerHeapSlices, unregisterHeapSlices } from '../kernels/slice-family.js';
import { useFusedRecurrence } from '../layers/recurrent/fused.js';
import { buildModel } from '../model/build.js';
import { tf } from '../tf.js';
import { trainingOf } from '../train/fit.js';
import { SupervisedStep } from '../train/supervised.js';
import { BENCH_MODELS } from './models.js';

const SIDES = ['original', 'slices', 'fused'] as const;
type SideName = (typeof SIDES)[number];

interface Side {
  samplesPerSecond: number;
  kernelsPerStep: number;
}

function use(side: SideName): void {
  if (side === 'original') unregisterHeapSlices();
  else registerHeapSlices();
  useFusedRecurrence(side === 'fused');
}

async function measure(kind: string, seconds: number): Promise<Record<SideName, Side>> {
  const bench = BENCH_MODELS.find((m) => m.name === 'lstm');
  if (!bench) throw new Error('no lstm bench model');
  const spec = structuredClone(bench.spec) as { layers: Record<string, unknown>[] };
  spec.layers[1] = { id: 'lstm', type: kind, units: 64 };
  const model = buildModel(spec, { seed: 1 });
  const step = new SupervisedStep(model, trainingOf(model));
  const [batch, steps] = [64, 64];
  const ids = Int32Array.from({ length: batch * steps }, (_, i) => (i * 7919) % 1000);
  const x = tf.tensor(ids, [batch, steps], 'int32');
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 2);
  const y = tf.tensor(labels, [batch], 'int32');
  const feeds = { x: { tokens: x }, y: { [model.outputNames[0] as string]: y }, size: batch };
  const best = Object.fromEntries(
    SIDES.map((s) => [s, { samplesPerSecond: 0, kernelsPerStep: 0 }]),
  ) as Record<SideName, Side>;
  let i = 0;
  const train = () => step.train(feeds, { step: i, seed: i++ });
  for (let round = 0; round < 3; round++)
    for (const side of SIDES) {
      use(side);
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
  use('fused');
  tf.dispose([x, y]);
  step.dispose();
  model.dispose();
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kinds: { type: 'string', default: 'lstm,gru,simpleRnn' },
      seconds: { type: 'string', default: '3' },
    },
  });
  await useEngine('wasm');
  const results = [];
  for (const kind of values.kinds.split(',')) {
    const r = await measure(kind, Number(values.seconds));
    const o = r.original.samplesPerSecond;
    results.push({ kind, ...r, speedup: r.fused.samplesPerSecond / o });
    const line = SIDES.map(
      (s) => `${s} ${r[s].samplesPerSecond.toFixed(0)}/s (${r[s].kernelsPerStep} kernels)`,
    ).join(', ');
    process.stderr.write(
      `${kind}: ${line}; fused/original ${(r.fused.samplesPerSecond / o).toFixed(2)}x\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ engine: 'wasm', results }, null, 2)}\n`);
}

await main();
