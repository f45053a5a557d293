import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { threadCount } from '../flags.js';
import { checkOutputFile, writeOutput } from '../output-path.js';
import { UserError } from '../user-error.js';

// `netspec bench`: the packages' benchmark suites (backend-onnx's inference, backend-tfjs's
// training) behind one command; the suites are loaded only here, they pull in every engine.

const SUITES = ['inference', 'training'] as const;
type Suite = (typeof SUITES)[number];
const INFERENCE_ENGINES = ['tfjs-wasm', 'tfjs-cpu', 'ort-node', 'ort-web'];
const TRAINING_ENGINES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

interface BenchFlags {
  suite: Suite;
  model?: string[];
  engine?: string[];
  seconds: number;
  threads?: number[];
  out?: string;
  json?: boolean;
}

const positiveSeconds = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && n <= 3600))
    throw new InvalidArgumentError(`expected seconds in (0, 3600], got "${v}"`);
  return n;
};
const collect = (v: string, previous: string[] = []) => [
  ...previous,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** Comma-separated thread counts (each a whole number from 1 to 256). */
const threadCounts = (v: string, previous: number[] = []) => [
  ...previous,
  ...v.split(',').map((t) => {
    const n = threadCount(t);
    if (n === 'auto') throw new InvalidArgumentError('expected thread counts, got "auto"');
    return n;
  }),
];

/** The names asked for, each checked against `valid`; all of them when none was asked for. */
function pick(asked: string[] | undefined, valid: string[], flag: string, suite: Suite): string[] {
  for (const name of asked ?? [])
    if (!valid.includes(name))
      throw new UserError(
        `${flag} "${name}": unknown for the ${suite} suite; expected one of ${valid.join(', ')}`,
      );
  return asked?.length ? asked : valid;
}

const fmt = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function benchCommand(program: Command) {
  program
    .command('bench')
    .description('measure inference latency/throughput or training speed of the benchmark models')
    .option('--suite <name>', `inference (tfjs vs onnxruntime) or training (tfjs)`, 'inference')
    .option(
      '--model <names>',
      'benchmark models, comma-separated or repeated (default: all)',
      collect,
    )
    .option('--engine <names>', 'engines, comma-separated or repeated (default: all)', collect)
    .option('--seconds <s>', 'seconds of timing per engine and model', positiveSeconds, 2)
    .option(
      '--threads <counts>',
      'training suite: thread counts that take turns on each model, e.g. 1,2 (default: 1)',
      threadCounts,
    )
    .option('-o, --out <file>', 'also write the full report as JSON (atomically)')
    .option('--json', 'print the full report as JSON instead of a table')
    .addHelpText(
      'after',
      `
Engines of the inference suite: ${INFERENCE_ENGINES.join(', ')}.
Engines of the training suite: ${TRAINING_ENGINES.join(', ')} (tfjs engines; missing ones are reported).
A run of every model on every engine takes minutes; pick one of each for a quick check.

Examples:
  $ netspec bench --model mlp --engine ort-node --seconds 1
  $ netspec bench --model mlp,lenet5 -o bench-results/inference.json
  $ netspec bench --suite training --model mlp --engine wasm --json
  $ netspec bench --suite training --model lenet5 --engine wasm --threads 1,2`,
    )
    .action(async (opts: BenchFlags) => {
      if (!SUITES.includes(opts.suite))
        throw new UserError(`--suite "${opts.suite}": expected one of ${SUITES.join(', ')}`);
      const { BENCH_MODELS } = await import('@netspec/backend-tfjs');
      const names = BENCH_MODELS.map((m) => m.name);
      const training = opts.suite === 'training';
      const models = pick(opts.model, names, '--model', opts.suite);
      const engines = pick(
        opts.engine,
        training ? TRAINING_ENGINES : INFERENCE_ENGINES,
        '--engine',
        opts.suite,
      );
      if (opts.out) await checkOutputFile(opts.out, '--out');
      // The cpu engines are ~100x slower: they run the small models unless asked by name.
      const cpuModels = opts.model?.length ? models : ['mlp', 'lenet5'];
      const progress = (line: string) => {
        if (!opts.json) process.stderr.write(`${line}\n`);
      };
      let report: Record<string, unknown>;
      let text: string;
      if (training) {
        const { runTrainingBench } = await import('@netspec/backend-tfjs');
        const r = await runTrainingBench({
          engines: engines as Parameters<typeof runTrainingBench>[0]['engines'],
          models,
          seconds: opts.seconds,
          cpuSeconds: opts.seconds,
          cpuModels,
          ...(opts.threads ? { threads: opts.threads } : {}),
          onResult: (x) =>
            progress(
              `${x.engine} ${x.model} ${x.threads} thread(s): ${fmt(x.samplesPerSecond, 1)} samples/s`,
            ),
        });
        report = r;
        text = table(
          ['engine', 'model', 'threads', 'batch', 'params', 'steps', 'samples/s'],
          r.results.map((x) => [
            x.engine,
            x.model,
            String(x.threads),
            String(x.batchSize),
            fmt(x.params, 0),
            String(x.steps),
            fmt(x.samplesPerSecond, 1),
          ]),
        );
      } else {
        const { runInferenceBench } = await import('@netspec/backend-onnx');
        const r = await runInferenceBench({
          engines: engines as Parameters<typeof runInferenceBench>[0]['engines'],
          models,
          seconds: opts.seconds,
          batchSize: 64,
          threads: 2,
          cpuModels,
          onResult: (x) => progress(`${x.engine} ${x.model}: ${fmt(x.latencyMs, 3)} ms`),
        });
        report = r;
        text = table(
          ['engine', 'model', 'batch-1 ms (median)', 'min ms', 'max ms', 'batch-64 samples/s'],
          r.results.map((x) => [
            x.engine,
            x.model,
            fmt(x.latencyMs, 3),
            fmt(x.latencyMinMs, 3),
            fmt(x.latencyMaxMs, 3),
            fmt(x.samplesPerSecond, 0),
          ]),
        );
      }
      const unavailable = report.unavailable as {
        engine: string;
        model?: string;
        reason: string;
      }[];
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (opts.out) await writeOutput(opts.out, json);
      if (opts.json) {
        process.stdout.write(json);
      } else {
        const notes = unavailable.map(
          (u) => `not measured: ${u.engine}${u.model ? ` ${u.model}` : ''}: ${u.reason}`,
        );
        process.stdout.write(`${[text, ...notes].join('\n')}\n`);
      }
      // Nothing measured at all is a failed check (every engine asked for was unavailable).
      if ((report.results as unknown[]).length === 0) process.exitCode = 1;
    });
}
