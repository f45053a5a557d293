// `pnpm bench`: training samples/s per engine and model, as JSON (stdout and a results file).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINE_ORDER, type EngineName } from '../engine.js';
import { resolveThreads } from '../train/parallel/threads.js';
import { BENCH_MODELS } from './models.js';
import { runTrainingBench } from './training.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engines: { type: 'string', default: 'tfjs-node-gpu,tfjs-node,wasm,cpu' },
      models: { type: 'string', default: BENCH_MODELS.map((m) => m.name).join(',') },
      seconds: { type: 'string', default: '5' },
      'cpu-seconds': { type: 'string', default: '1' },
      // The cpu engine needs minutes per step of the larger models: by default it runs these.
      'cpu-models': { type: 'string', default: 'mlp,lenet5' },
      // Thread counts measured back to back per model, e.g. 1,2 (default: 1 and every core).
      threads: { type: 'string', default: [...new Set([1, resolveThreads('auto')])].join(',') },
      out: { type: 'string', default: join('bench-results', 'tfjs-training.json') },
    },
  });
  const engines = values.engines.split(',') as EngineName[];
  for (const e of engines)
    if (!ENGINE_ORDER.includes(e))
      throw new Error(`unknown engine "${e}"; expected ${ENGINE_ORDER.join(', ')}`);
  const report = await runTrainingBench({
    engines,
    models: values.models.split(','),
    seconds: Number(values.seconds),
    cpuSeconds: Number(values['cpu-seconds']),
    cpuModels: values['cpu-models'].split(','),
    threads: values.threads.split(',').map((t) => resolveThreads(Number(t))),
    onResult: (r) =>
      process.stderr.write(
        `${r.engine} ${r.model} ${r.threads} thread(s): ${r.samplesPerSecond.toFixed(1)} samples/s on ${(r.cpuSeconds / r.seconds).toFixed(2)} cores\n`,
      ),
  });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await mkdir(join(values.out, '..'), { recursive: true });
  await writeFile(values.out, text);
  process.stdout.write(text);
}

await main();
