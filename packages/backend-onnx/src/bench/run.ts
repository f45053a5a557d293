// `pnpm bench`: inference latency (batch 1) and throughput (batch 64) of the benchmark models on
// tfjs (wasm, cpu) and onnxruntime (node, web), as JSON on stdout and in a results file.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_MODELS } from '@netspec/backend-tfjs';
import {
  INFERENCE_ENGINES as ENGINES,
  type InferenceEngine,
  runInferenceBench,
} from './inference.js';

const list = (s: string) => s.split(',').filter(Boolean);

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
  const engines = list(values.engines) as InferenceEngine[];
  for (const e of engines)
    if (!ENGINES.includes(e))
      throw new Error(`unknown engine "${e}"; expected ${ENGINES.join(', ')}`);
  const names = list(values.models);
  for (const n of names)
    if (!BENCH_MODELS.some((m) => m.name === n))
      throw new Error(
        `unknown model "${n}"; expected ${BENCH_MODELS.map((m) => m.name).join(', ')}`,
      );
  const seconds = Number(values.seconds);
  const threads = Number(values.threads);
  const batchSize = Number(values['batch-size']);
  if (!(seconds > 0))
    throw new Error(`--seconds: expected a positive number, got ${values.seconds}`);
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new Error(`--threads: expected a positive integer, got ${values.threads}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new Error(`--batch-size: expected a positive integer, got ${values['batch-size']}`);
  const report = await runInferenceBench({
    engines,
    models: names,
    seconds,
    batchSize,
    threads,
    cpuModels: list(values['cpu-models']),
    onResult: (r) =>
      process.stderr.write(
        `${r.engine} ${r.model}: ${r.latencyMs.toFixed(3)} ms at batch 1, ${r.samplesPerSecond.toFixed(0)} samples/s at batch ${batchSize}\n`,
      ),
  });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, text);
  process.stdout.write(text);
}

await main();
