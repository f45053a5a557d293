// Shared by the zoo's example scripts: flags, engine, progress lines, results files.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type BatchEvent,
  type EngineName,
  type EpochEvent,
  type Examples,
  loadMnist,
  type NetspecModel,
  train,
  useEngine,
  writeFileAtomic,
} from '@netspec/backend-tfjs';

export interface ExampleOptions {
  /** The CI-sized run: a few hundred samples, a few steps; writes no results file. */
  quick: boolean;
  /** Progress lines on stderr. */
  verbose: boolean;
}

/**
 * What every example reports. `initialLoss` is the first training batch's loss and `finalLoss`
 * the last epoch's mean training loss so far (both in training mode, as the CI test compares them).
 */
export interface ExampleResult {
  example: string;
  engine: string;
  data: string;
  split: string;
  epochs: number;
  seed: number;
  trainingSeconds: number;
  initialLoss: number;
  finalLoss: number;
  [metric: string]: unknown;
}

/** True when this module is the script node was started with (not imported by a test). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(url));
}

/** Runs an example from the command line: `node dist/examples/<name>.js [--quick] [--engine wasm]`. */
export async function main(
  name: string,
  run: (options: ExampleOptions) => Promise<ExampleResult>,
): Promise<void> {
  let values: { quick?: boolean; engine?: string };
  try {
    ({ values } = parseArgs({
      options: { quick: { type: 'boolean' }, engine: { type: 'string', default: 'auto' } },
    }));
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const info = await useEngine(values.engine as EngineName | 'auto');
  process.stderr.write(`${name}: engine ${info.name} (tfjs ${info.version})\n`);
  const result = await run({ quick: values.quick === true, verbose: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (!values.quick) {
    const path = fileURLToPath(new URL(`../../results/${name}.json`, import.meta.url));
    await writeFileAtomic(path, text);
    process.stderr.write(`${name}: wrote ${path}\n`);
  }
  process.stdout.write(text);
}

const fmt = (logs: Record<string, number>) =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(', ');

/** Training callbacks: progress on stderr when verbose; `seen` keeps the first loss and speed. */
export function progress(verbose: boolean, every = 50) {
  const seen = { firstLoss: Number.NaN, lastLoss: Number.NaN, samplesPerSecond: 0 };
  return {
    seen,
    onBatch: (e: BatchEvent) => {
      if (e.epoch === 0 && e.batch === 0) seen.firstLoss = e.logs.loss as number;
      seen.lastLoss = e.logs.loss as number;
      seen.samplesPerSecond = e.samplesPerSecond;
      if (verbose && e.batch % every === 0)
        process.stderr.write(
          `  epoch ${e.epoch + 1}/${e.epochs} batch ${e.batch + 1}/${e.batches}: ${fmt(e.logs)}, ${e.samplesPerSecond.toFixed(0)} samples/s\n`,
        );
    },
    onEpoch: (e: EpochEvent) => {
      if (verbose)
        process.stderr.write(
          `epoch ${e.epoch + 1}/${e.epochs} (${e.seconds.toFixed(1)} s): ${fmt(e.logs)}\n`,
        );
    },
  };
}

/** Seconds since `started` (a performance.now() value), rounded. */
export const secondsSince = (started: number) => Math.round((performance.now() - started) / 1000);

/** Stops training at the next batch once `seconds` have passed (a guard on a shared machine). */
export const timeBudget = (seconds: number) => AbortSignal.timeout(seconds * 1000);

/** Samples per split in the quick (CI-sized) run. */
export const QUICK_SAMPLES = 256;

/** An MNIST split: all of it, or its first `QUICK_SAMPLES` in the quick run. */
export const mnistSplit = (
  split: 'train' | 'test',
  quick: boolean,
  extra: { binarize?: boolean } = {},
) => loadMnist({ split, ...extra, ...(quick ? { limit: QUICK_SAMPLES } : {}) });

/** How an example trains: its epochs, its time budget and how often it prints progress. */
export interface ExampleTraining {
  epochs: number;
  /** Stops the full run after this many seconds (the quick run after 120). */
  budgetSeconds: number;
  /** A progress line every this many batches. */
  every: number;
  /** Called on every batch too (to follow another loss than `loss`). */
  onBatch?: (e: BatchEvent) => void;
}

/** Trains `model` with progress lines and a time budget; returns what every example reports. */
export async function trainExample(
  model: NetspecModel,
  data: Examples,
  options: ExampleOptions,
  run: ExampleTraining,
) {
  const callbacks = progress(options.verbose, run.every);
  const started = performance.now();
  const { history, aborted, threads } = await train(model, data, {
    epochs: run.epochs,
    signal: timeBudget(options.quick ? 120 : run.budgetSeconds),
    onEpoch: callbacks.onEpoch,
    onBatch: (e) => {
      run.onBatch?.(e);
      callbacks.onBatch(e);
    },
  });
  return {
    trainingSeconds: secondsSince(started),
    threads,
    samplesPerSecond: Math.round(callbacks.seen.samplesPerSecond),
    stoppedByTimeBudget: aborted,
    initialLoss: callbacks.seen.firstLoss,
    finalLoss: callbacks.seen.lastLoss,
    history,
  };
}
