import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ResolvedModel } from '@netspec/spec';
import { type Command, Option } from 'commander';
import { curveSvg } from '../curve-svg.js';
import { loadDataFlag } from '../data-flag.js';
import { fractionBelowOne, nonNegativeInteger, threadCount } from '../flags.js';
import { asUserError, userErrors } from '../library-errors.js';
import { loadSpecFile } from '../load-spec.js';
import { positiveInteger } from '../options.js';
import { checkOutputDir, writeOutput } from '../output-path.js';
import { RUN_LABELS, RUN_SPEC, RUN_STATE, readRunDir } from '../run-dir.js';
import { corpusTokenizer, languageModelContext, RUN_TOKENIZER } from '../text-data.js';
import { barReporter, formatLogs, jsonReporter, lineReporter } from '../train-report.js';
import { UserError } from '../user-error.js';

export const TRAIN_ENGINES = ['auto', 'wasm', 'cpu', 'tfjs-node', 'tfjs-node-gpu'] as const;
/** The data flags of a run, kept in the run dir so `--resume` trains on the same samples. */
const RUN_DATA = 'data.json';
const CURVES = 'curves.svg';

interface TrainFlags {
  data?: string;
  out?: string;
  epochs?: number;
  batchSize?: number;
  engine: (typeof TRAIN_ENGINES)[number];
  seed?: number;
  validationSplit?: number;
  limit?: number;
  json?: boolean;
  resume?: string;
  threads?: number | 'auto';
}

interface RunData {
  data: string;
  limit?: number;
}

export function trainCommand(program: Command) {
  program
    .command('train')
    .description('train a spec on TensorFlow.js; writes a resumable run directory')
    .argument('[spec]', 'a netspec JSON spec or zoo:<preset> (not with --resume)')
    .option(
      '--data <source>',
      'mnist, fashion-mnist, moby-dick (language models), ... or a .npy/.csv/.json file or x.npy/y.npy dir',
    )
    .option('-o, --out <dir>', 'the run directory to write (spec, weights, history, curves)')
    .option('--limit <n>', 'use only the first n samples of the data', positiveInteger)
    .option('--epochs <n>', "override the spec's training.epochs", positiveInteger)
    .option('--batch-size <n>', "override the spec's training.batchSize", positiveInteger)
    .option('--seed <n>', "override the spec's training.seed", nonNegativeInteger)
    .option('--validation-split <f>', 'hold out the last fraction for validation', fractionBelowOne)
    .addOption(
      new Option('--engine <name>', 'TensorFlow.js engine').choices(TRAIN_ENGINES).default('auto'),
    )
    .option(
      '--threads <n>',
      'threads that train (data parallel on wasm and cpu): a count or auto (default: NETSPEC_THREADS, else every core)',
      threadCount,
    )
    .option('--resume <run dir>', 'continue an interrupted run exactly where it stopped')
    .option('--json', 'print one JSON event per line on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ netspec train zoo:lenet5 --data mnist --limit 4000 --epochs 1 --out runs/lenet
  $ netspec train model.json --data data/ --out runs/m --json
  $ netspec train model.json --data data/ --out runs/m --threads 1
  $ netspec train --resume runs/lenet        (after Ctrl-C)

The same seed and thread count give bit-identical weights; resume with the thread count the run
started with to continue it bit for bit.`,
    )
    .action((spec: string | undefined, flags: TrainFlags) => userErrors(() => train(spec, flags)));
}

async function train(specPath: string | undefined, flags: TrainFlags): Promise<void> {
  const plan = await planRun(specPath, flags);
  const out = (s: string) => process.stdout.write(s);
  const report = flags.json
    ? jsonReporter(out)
    : process.stderr.isTTY
      ? barReporter(out)
      : lineReporter(out);
  const tfjs = await import('@netspec/backend-tfjs');
  const engine = await userErrors(() => tfjs.useEngine(flags.engine), '--engine: ');
  const context = languageModelContext(plan.model);
  const tokenizer =
    context === undefined ? undefined : await corpusTokenizer(plan.runData.data, plan.model);
  const data = await loadDataFlag(plan.runData.data, plan.runData.limit, context);
  let model: import('@netspec/backend-tfjs').NetspecModel;
  try {
    model = tfjs.buildModel(plan.spec, { seed: (plan.spec.training?.seed as number) ?? 0 });
  } catch (e) {
    throw asUserError(e);
  }
  // The flag was checked by its parser, NETSPEC_THREADS by planRun: this only adds the engine's
  // and the recipe's say.
  const threads = await userErrors(async () => tfjs.trainingThreads(model, flags.threads));
  report.message(
    `engine: ${engine.name} (${engine.notes.filter((n) => !n.includes('skipped')).join(', ')})`,
  );
  report.message(threadsLine(threads));
  report.start({
    engine: engine.name,
    threads: threads.threads,
    samples: data.size,
    runDir: plan.dir,
    resume: plan.resume,
  });
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let result: Awaited<ReturnType<typeof tfjs.train>>;
  // Written once the first batch has trained (data and model fit), so --resume finds the data.
  let dataWritten: Promise<void> | undefined;
  const writeRunData = () =>
    writeOutput(join(plan.dir, RUN_DATA), `${JSON.stringify(plan.runData, null, 2)}\n`);
  try {
    result = await tfjs.train(model, data, {
      runDir: plan.dir,
      resume: plan.resume,
      threads: threads.threads,
      signal: abort.signal,
      onBatch: (e) => {
        dataWritten ??= writeRunData();
        report.batch(e);
      },
      onEpoch: (e) => report.epoch(e),
    });
  } catch (e) {
    throw asUserError(e, `--data ${plan.runData.data}: `);
  } finally {
    process.removeListener('SIGINT', onSigint);
    model.dispose();
  }
  await (dataWritten ?? writeRunData());
  if (data.labels)
    await writeOutput(join(plan.dir, RUN_LABELS), `${JSON.stringify(data.labels)}\n`);
  if (tokenizer)
    await writeOutput(join(plan.dir, RUN_TOKENIZER), `${JSON.stringify(tokenizer.toJSON())}\n`);
  await writeOutput(join(plan.dir, CURVES), curveSvg(result.history, plan.spec.name as string));
  const last = result.history.at(-1);
  if (result.aborted) {
    const where = `epoch ${result.state.epoch + 1}, batch ${result.state.batch}`;
    report.message(`interrupted at ${where}; checkpoint saved in ${plan.dir}`);
    report.message(`resume with: netspec train --resume ${plan.dir}`);
    process.exitCode = 130;
  } else {
    if (last) report.message(`final: ${formatLogs(withoutEpoch(last))}`);
    report.message(`saved ${plan.dir}: spec.json, weights.safetensors, history.json, ${CURVES}`);
  }
  report.end({ aborted: result.aborted, runDir: plan.dir, history: result.history });
}

/** `threads: 2 (data parallel)`, or 1 and why not more. */
export function threadsLine({ threads, reason }: { threads: number; reason?: string }): string {
  if (reason) return `threads: 1 (${reason})`;
  return threads === 1
    ? 'threads: 1'
    : `threads: ${threads} (data parallel: each batch split across them)`;
}

const withoutEpoch = ({ epoch: _e, seconds: _s, ...logs }: Record<string, number>) => logs;

interface Plan {
  spec: Record<string, unknown> & { training?: Record<string, unknown> };
  /** The resolved spec (training overrides do not change the graph). */
  model: ResolvedModel;
  dir: string;
  runData: RunData;
  resume: boolean;
}

/** Checks every flag and file before anything loads or is written. */
async function planRun(specPath: string | undefined, flags: TrainFlags): Promise<Plan> {
  const fromEnv = process.env.NETSPEC_THREADS;
  if (flags.threads === undefined && fromEnv) {
    try {
      threadCount(fromEnv);
    } catch (e) {
      throw new UserError(`NETSPEC_THREADS: ${(e as Error).message}`);
    }
  }
  if (flags.resume !== undefined) return planResume(specPath, flags, flags.resume);
  if (specPath === undefined)
    throw new UserError('expected a spec (file or zoo:<preset>), or --resume <run dir>');
  if (flags.data === undefined)
    throw new UserError('--data: expected a data set or file, got none');
  if (flags.out === undefined) throw new UserError('--out: expected a run directory, got none');
  await checkOutputDir(flags.out, '--out');
  if (await stat(join(flags.out, RUN_STATE)).catch(() => undefined))
    throw new UserError(
      `--out ${flags.out}: already holds a run; pick a new directory or continue it with --resume ${flags.out}`,
    );
  const model = await loadSpecFile(specPath);
  if (!model.spec.training)
    throw new UserError(`${specPath}: no "training" section; expected one with at least a loss`);
  const spec = structuredClone(model.spec) as Plan['spec'];
  const training = spec.training as Record<string, unknown>;
  if (flags.epochs !== undefined) training.epochs = flags.epochs;
  if (flags.batchSize !== undefined) training.batchSize = flags.batchSize;
  if (flags.seed !== undefined) training.seed = flags.seed;
  if (flags.validationSplit !== undefined) training.validationSplit = flags.validationSplit;
  const runData: RunData = { data: flags.data };
  if (flags.limit !== undefined) runData.limit = flags.limit;
  return { spec, model, dir: flags.out, runData, resume: false };
}

async function planResume(specPath: string | undefined, flags: TrainFlags, dir: string) {
  const given = Object.entries({
    spec: specPath,
    '--data': flags.data,
    '--limit': flags.limit,
    '--epochs': flags.epochs,
    '--batch-size': flags.batchSize,
    '--seed': flags.seed,
    '--validation-split': flags.validationSplit,
  }).find(([, v]) => v !== undefined);
  if (given)
    throw new UserError(
      `--resume: ${given[0]} comes from the run directory; expected no ${given[0]} with --resume`,
    );
  if (flags.out !== undefined && resolve(flags.out) !== resolve(dir))
    throw new UserError(`--out: a resumed run continues in ${dir}; expected no other --out`);
  const { model } = await readRunDir(dir); // spec and weights must be readable before training
  const state = await readJson(join(dir, RUN_STATE), 'a checkpoint state (state.json)');
  if ((state as { loop?: { done?: boolean } }).loop?.done)
    throw new UserError(`--resume ${dir}: this run has finished; nothing to resume`);
  const runData = (await readJson(join(dir, RUN_DATA), 'the data flags of the run')) as RunData;
  if (typeof runData.data !== 'string')
    throw new UserError(`${join(dir, RUN_DATA)}: expected {"data": "<source>"}`);
  const spec = JSON.parse(await readFile(join(dir, RUN_SPEC), 'utf8')) as Plan['spec'];
  return { spec, model, dir, runData, resume: true };
}

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `${path}: ${code === 'ENOENT' ? 'missing' : 'not JSON'}; expected ${what} (is this an interrupted run?)`,
    );
  }
}
