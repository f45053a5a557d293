// `pnpm bench` in packages/cli: training samples/s of issue 15's four models, measured the way a
// user trains (`netspec train --json` in a child process), on 1 thread and on every core, with
// PyTorch on one thread side by side when Debian's python3-torch is installed (never in CI).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_MODELS, Rng, writeNpyFile } from '@netspec/backend-tfjs';
import { lenet5, resnet20 } from '@netspec/zoo';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'bin.js');
const TORCH_SCRIPT = join(here, '..', '..', 'bench', 'torch_reference.py');

interface Model {
  name: string;
  spec: object;
  batch: number;
  input: { shape: number[]; vocabulary?: number };
  target: { shape: number[]; classes: number };
  /** Steps timed after the warm-up: enough for a steady rate, few enough for a short run. */
  steps: number;
}

const adam = { type: 'adam', learningRate: 0.001 };
const sparse = 'sparseCategoricalCrossentropy';
const bench = (name: string) => {
  const m = BENCH_MODELS.find((b) => b.name === name);
  if (!m) throw new Error(`backend-tfjs has no bench model ${name}`);
  return m;
};

const MODELS: Model[] = [
  {
    name: 'lenet5',
    spec: { ...lenet5(), training: { loss: sparse, optimizer: adam, batchSize: 64 } },
    batch: 64,
    input: { shape: [28, 28, 1] },
    target: { shape: [], classes: 10 },
    steps: 300,
  },
  {
    name: 'resnet20',
    spec: { ...resnet20(), training: { loss: sparse, optimizer: adam, batchSize: 64 } },
    batch: 64,
    input: { shape: [32, 32, 3] },
    target: { shape: [], classes: 10 },
    steps: 20,
  },
  {
    name: 'lstm',
    spec: bench('lstm').spec,
    batch: 64,
    input: { shape: [64], vocabulary: 1000 },
    target: { shape: [], classes: 2 },
    steps: 100,
  },
  {
    name: 'gpt-small',
    spec: bench('gpt-small').spec,
    batch: 16,
    input: { shape: [64], vocabulary: 256 },
    target: { shape: [64], classes: 256 },
    steps: 40,
  },
];

const WARMUP = 3;

/** x.npy / y.npy of random data of the model's shapes (speed does not depend on values). */
function writeData(m: Model, dir: string): void {
  const n = m.batch * (WARMUP + m.steps);
  const rng = new Rng(1);
  const size = (shape: number[]) => n * shape.reduce((a, b) => a * b, 1);
  const { vocabulary } = m.input;
  const xs = size(m.input.shape);
  writeNpyFile(join(dir, 'x.npy'), {
    data: vocabulary
      ? Int32Array.from({ length: xs }, () => rng.int(vocabulary))
      : Float32Array.from({ length: xs }, () => rng.next()),
    shape: [n, ...m.input.shape],
    dtype: vocabulary ? 'int32' : 'float32',
  });
  writeNpyFile(join(dir, 'y.npy'), {
    data: Int32Array.from({ length: size(m.target.shape) }, () => rng.int(m.target.classes)),
    shape: [n, ...m.target.shape],
    dtype: 'int32',
  });
}

/**
 * Steady-state samples/s of one `netspec train --json` run: the time between the batch events
 * that end the warm-up and the last step, as they arrive (the first steps pack weights and warm
 * caches).
 */
async function netspecRate(m: Model, dir: string, threads: number) {
  const args = [CLI, 'train', join(dir, 'spec.json'), '--data', dir, '--epochs', '1'];
  args.push('--json', '--engine', 'wasm', '--threads', String(threads));
  args.push('--out', mkdtempSync(join(dir, `run-${threads}-`)));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const times: number[] = [];
  let start: Record<string, unknown> = {};
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as { event: string };
    if (event.event === 'batch') times.push(performance.now());
    if (event.event === 'start') start = event;
  }
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`netspec train ${m.name} exited ${code}: ${stderr.trim()}`);
  const from = times[WARMUP - 1] as number;
  const to = times.at(-1) as number;
  return { samplesPerSecond: ((times.length - WARMUP) * m.batch) / ((to - from) / 1000), start };
}

interface TorchResult {
  torch: string;
  params: number;
  forwardFlopsPerSample: number;
  samplesPerSecond: number;
}

/** PyTorch on one thread, or why it was not run. */
function torchRate(m: Model): TorchResult | { skipped: string } {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { skipped: 'not installed (apt-get install python3-torch libopenblas0-pthread)' };
  }
  // One thread for every pool torch may use (its OpenMP and OpenBLAS's own threads).
  const env = {
    ...process.env,
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  const args = [
    TORCH_SCRIPT,
    '--model',
    m.name,
    '--batch',
    String(m.batch),
    '--steps',
    String(m.steps),
    '--warmup',
    String(WARMUP),
  ];
  const out = execFileSync('/usr/bin/python3', args, { env });
  return JSON.parse(out.toString()) as TorchResult;
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: MODELS.map((m) => m.name).join(',') },
      threads: { type: 'string', default: [...new Set([1, cores])].join(',') },
      // 'off' skips PyTorch even when it is installed.
      torch: { type: 'string', default: 'auto' },
      repeat: { type: 'string', default: '2' },
      out: { type: 'string', default: join('bench-results', 'training-speed.json') },
    },
  });
  const threads = values.threads.split(',').map(Number);
  const repeat = Number(values.repeat);
  const chosen = values.models.split(',');
  const results = [];
  for (const m of MODELS.filter((x) => chosen.includes(x.name))) {
    const dir = mkdtempSync(join(tmpdir(), `netspec-bench-${m.name}-`));
    try {
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(m.spec));
      writeData(m, dir);
      const netspec: Record<string, number> = {};
      let engine: unknown;
      // Side by side: the thread counts take turns, `repeat` rounds, and each keeps its best
      // run (other load on a shared machine only ever slows a run down).
      for (let round = 0; round < repeat; round++) {
        for (const t of threads) {
          const r = await netspecRate(m, dir, t);
          netspec[t] = Math.max(netspec[t] ?? 0, r.samplesPerSecond);
          engine = r.start.engine;
          process.stderr.write(
            `${m.name}: netspec ${t} thread(s) ${r.samplesPerSecond.toFixed(1)}/s\n`,
          );
        }
      }
      // PyTorch gets as many runs as each thread count, and its best too.
      let torch: TorchResult | { skipped: string } = { skipped: '--torch off' };
      for (let round = 0; values.torch !== 'off' && round < repeat; round++) {
        const r = torchRate(m);
        if (!('samplesPerSecond' in torch) || !('samplesPerSecond' in r)) torch = r;
        else if (r.samplesPerSecond > torch.samplesPerSecond) torch = r;
        if (!('samplesPerSecond' in r)) break;
      }
      const ratios: Record<string, number> = {};
      const gflops: Record<string, number> = {};
      if ('samplesPerSecond' in torch) {
        process.stderr.write(`${m.name}: torch 1 thread ${torch.samplesPerSecond.toFixed(1)}/s\n`);
        // A training step does about 3x the forward FLOPs (forward, input and weight gradients).
        const stepFlops = 3 * torch.forwardFlopsPerSample;
        for (const [t, sps] of Object.entries(netspec)) {
          ratios[t] = sps / torch.samplesPerSecond;
          gflops[t] = (sps * stepFlops) / 1e9;
        }
        gflops.torch1 = (torch.samplesPerSecond * stepFlops) / 1e9;
      }
      results.push({ model: m.name, batch: m.batch, engine, netspec, torch, ratios, gflops });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const report = {
    benchmark: 'training-speed',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    results,
  };
  const text = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, text);
  process.stdout.write(text);
}

await main();
