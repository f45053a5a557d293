import type { Command } from 'commander';
import { loadDataFlag } from '../data-flag.js';
import { nameList, nonNegativeInteger } from '../flags.js';
import { asUserError, userErrors } from '../library-errors.js';
import { loadSpecFile } from '../load-spec.js';
import { type ModelSource, openRunner, RUN_ENGINES, type RunEngine } from '../model-source.js';
import { positiveInteger } from '../options.js';
import { parityInputs, smallestVocabulary } from '../parity-inputs.js';
import { isDirectory, readRunDir } from '../run-dir.js';
import { UserError } from '../user-error.js';

interface ParityFlags {
  engines: RunEngine[];
  data?: string;
  samples: number;
  seed: number;
  json?: boolean;
}

export function parityCommand(program: Command) {
  program
    .command('parity')
    .description(
      'run a model on tfjs and onnxruntime with the same inputs; exit 1 past the tolerance',
    )
    .argument('<model>', 'a run directory, a spec file or zoo:<preset> (seeded initial weights)')
    .option(
      '--engines <list>',
      'engines to compare; the first is the reference',
      nameList(RUN_ENGINES),
      [...RUN_ENGINES],
    )
    .option('--samples <n>', 'samples in the input batch', positiveInteger, 8)
    .option(
      '--data <source>',
      'take the inputs from data (mnist:test, a file) instead of seeded noise',
    )
    .option(
      '--seed <n>',
      'seed of the inputs (and of the weights of a spec)',
      nonNegativeInteger,
      0,
    )
    .option('--json', 'print {reference, tolerance, rows, pass, divergence} as JSON')
    .addHelpText(
      'after',
      `
Tolerance: |a - b| <= 1e-4 * max(1, |b|) per value (fp32 on CPU and wasm).
Examples:
  $ netspec parity runs/lenet --data mnist:test --samples 100
  $ netspec parity zoo:lstm-classifier --engines tfjs,ort-web --json`,
    )
    .action((model: string, flags: ParityFlags) => userErrors(() => parity(model, flags)));
}

async function sourceOf(path: string, seed: number): Promise<ModelSource> {
  if (await isDirectory(path)) {
    const run = await readRunDir(path);
    return { path, run, inputs: run.model.inputs.map((t) => ({ ...t, shape: [...t.shape] })) };
  }
  const model = await loadSpecFile(path);
  const tfjs = await import('@netspec/backend-tfjs');
  const built = tfjs.buildModel(model, { seed });
  const weights = tfjs.saveWeights(built);
  built.dispose();
  return {
    path,
    run: { dir: path, model, weights },
    inputs: model.inputs.map((t) => ({ ...t, shape: [...t.shape] })),
  };
}

async function parity(path: string, flags: ParityFlags): Promise<void> {
  const engines = [...new Set(flags.engines)];
  if (engines.length < 2)
    throw new UserError(
      `--engines: expected at least two different engines, got ${engines.join(', ')}`,
    );
  const source = await sourceOf(path, flags.seed);
  const run = source.run as NonNullable<ModelSource['run']>;
  const inputs = flags.data
    ? await dataInputs(source, flags.data, flags.samples)
    : parityInputs(source.inputs, {
        samples: flags.samples,
        seed: flags.seed,
        maxId: smallestVocabulary(run.model.spec),
      });
  const onnx = await import('@netspec/backend-onnx');
  const runners = [];
  try {
    for (const e of engines) runners.push(await openRunner(source, e));
    const [reference, ...candidates] = runners as [(typeof runners)[0], ...typeof runners];
    const report = await onnx.compareRunners(reference, candidates, inputs).catch((e) => {
      throw asUserError(e);
    });
    const divergence = report.pass ? undefined : await diverging(source, report, inputs);
    if (!report.pass) process.exitCode = 1;
    if (flags.json) {
      const { table: _, ...data } = report;
      process.stdout.write(`${JSON.stringify({ model: path, ...data, divergence }, null, 2)}\n`);
      return;
    }
    const lines = [
      `${path}: ${Object.values(inputs)[0]?.shape[0]} ${flags.data ? `samples of ${flags.data}` : 'seeded samples'}, reference ${report.reference}`,
      report.table,
      report.pass ? 'parity: pass' : 'parity: FAIL',
      ...(divergence ? [divergence] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const r of runners) await r.dispose();
  }
}

/** The first `samples` samples of the data, by input name (a one-input model takes any name). */
async function dataInputs(source: ModelSource, data: string, samples: number) {
  const set = await loadDataFlag(data, samples);
  const keys = Object.keys(set.x);
  const out: Record<string, import('@netspec/spec').RunnerTensor> = {};
  for (const input of source.inputs) {
    const a =
      set.x[input.name] ??
      (keys.length === 1 && source.inputs.length === 1 ? set.x[keys[0] as string] : undefined);
    if (!a)
      throw new UserError(
        `--data ${data}: no array for input "${input.name}"; the data has ${keys.join(', ')}`,
      );
    out[input.name] = { data: a.data, shape: a.shape };
  }
  return out;
}

/** Names the first layer that diverges on the first failing ONNX engine (tfjs as reference). */
async function diverging(
  source: ModelSource,
  report: { rows: { engine: string; pass: boolean }[] },
  inputs: Record<string, import('@netspec/spec').RunnerTensor>,
): Promise<string | undefined> {
  const failing = report.rows.find((r) => !r.pass)?.engine;
  if (failing !== 'ort-node' && failing !== 'ort-web') return undefined;
  const run = source.run as NonNullable<ModelSource['run']>;
  const tfjs = await import('@netspec/backend-tfjs');
  const onnx = await import('@netspec/backend-onnx');
  const model = tfjs.buildModel(run.model, { weights: run.weights });
  try {
    const found = await onnx.firstDivergence(run.model, run.weights, inputs, failing, {
      reference: async (feeds, names) => {
        const tensors = Object.fromEntries(
          model.resolved.inputs.map((t) => {
            const f = feeds[t.name] as import('@netspec/spec').RunnerTensor;
            return [t.name, tfjs.tf.tensor(f.data, f.shape, t.dtype)];
          }),
        );
        const { outputs } = model.forward(tensors, { outputs: names });
        const out: Record<string, import('@netspec/spec').RunnerTensor> = {};
        for (const [name, t] of Object.entries(outputs)) {
          out[name] = {
            data:
              t.dtype === 'int32'
                ? new Int32Array(await t.data())
                : new Float32Array(await t.data()),
            shape: t.shape,
          };
        }
        tfjs.tf.dispose([...Object.values(tensors), ...Object.values(outputs)]);
        return out;
      },
    });
    return `${failing}: ${onnx.describeDivergence(found)}`;
  } finally {
    model.dispose();
  }
}
