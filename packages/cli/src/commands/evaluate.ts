import { type Command, Option } from 'commander';
import { loadDataFlag } from '../data-flag.js';
import { finiteNumber, metricThreshold } from '../flags.js';
import { asUserError, userErrors } from '../library-errors.js';
import { openModelSource, openRunner, RUN_ENGINES, type RunEngine } from '../model-source.js';
import { positiveInteger } from '../options.js';
import { runnerMetrics } from '../runner-metrics.js';
import { languageModelContext } from '../text-data.js';
import { UserError } from '../user-error.js';

interface EvaluateFlags {
  data: string;
  limit?: number;
  engine: RunEngine;
  batchSize: number;
  json?: boolean;
  minAccuracy?: number;
  maxLoss?: number;
  min?: Record<string, number>;
  max?: Record<string, number>;
}

export function evaluateCommand(program: Command) {
  program
    .command('evaluate')
    .description("a model's loss and metrics on a data set; thresholds exit 1 when not met")
    .argument('<model>', 'a run directory (any engine) or an .onnx file (onnxruntime)')
    .requiredOption('--data <source>', 'mnist:test, fashion-mnist:test, ... or a data file')
    .option('--limit <n>', 'use only the first n samples', positiveInteger)
    .addOption(
      new Option(
        '--engine <name>',
        "tfjs runs the spec's loss and metrics; onnxruntime reports accuracy or mse/mae",
      ).choices(RUN_ENGINES),
    )
    .option('--batch-size <n>', 'samples per run', positiveInteger, 256)
    .option('--min-accuracy <x>', 'exit 1 when accuracy is below x', finiteNumber)
    .option('--max-loss <x>', 'exit 1 when loss is above x', finiteNumber)
    .option(
      '--min <metric=value>',
      'exit 1 when the metric is below value (repeatable)',
      metricThreshold,
    )
    .option(
      '--max <metric=value>',
      'exit 1 when the metric is above value (repeatable)',
      metricThreshold,
    )
    .option('--json', 'print {engine, samples, metrics, checks, pass} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ netspec evaluate runs/lenet --data mnist:test --min-accuracy 0.9
  $ netspec evaluate lenet.onnx --data mnist:test --engine ort-node --json`,
    )
    .action((model: string, flags: EvaluateFlags) => userErrors(() => evaluateModel(model, flags)));
}

async function evaluateModel(path: string, flags: EvaluateFlags): Promise<void> {
  const source = await openModelSource(path);
  const engine = flags.engine ?? (source.run ? 'tfjs' : 'ort-node');
  const context = source.run && languageModelContext(source.run.model);
  const data = await loadDataFlag(flags.data, flags.limit, context);
  let metrics: Record<string, number>;
  let engineName: string;
  if (engine === 'tfjs' && source.run) {
    const tfjs = await import('@netspec/backend-tfjs');
    const info = await tfjs.useEngine().catch((e) => {
      throw asUserError(e);
    });
    engineName = `tfjs-${info.name}`;
    try {
      const model = tfjs.buildModel(source.run.model, { weights: source.run.weights });
      try {
        metrics = tfjs.evaluate(model, data, { batchSize: flags.batchSize });
      } finally {
        model.dispose();
      }
    } catch (e) {
      throw asUserError(e, `--data ${flags.data}: `);
    }
  } else {
    const runner = await openRunner(source, engine);
    engineName = runner.engine;
    try {
      metrics = await runnerMetrics(runner, data.x, data.y, data.size, flags.batchSize);
    } catch (e) {
      throw asUserError(e, `--data ${flags.data}: `);
    } finally {
      await runner.dispose();
    }
  }
  const checks = thresholds(flags).map((c) => {
    const value = metrics[c.metric];
    if (value === undefined)
      throw new UserError(
        `${c.flag}: no metric "${c.metric}" on ${engineName}; expected one of ${Object.keys(metrics).join(', ')}`,
      );
    return { ...c, value, pass: c.op === '>=' ? value >= c.bound : value <= c.bound };
  });
  const pass = checks.every((c) => c.pass);
  if (!pass) process.exitCode = 1;
  if (flags.json) {
    const report = {
      model: path,
      engine: engineName,
      data: flags.data,
      samples: data.size,
      metrics,
      checks,
      pass,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const width = Math.max(6, ...Object.keys(metrics).map((k) => k.length));
  const lines = [
    `${path} on ${flags.data} (${data.size.toLocaleString('en-US')} samples), engine ${engineName}`,
    `${'metric'.padEnd(width)}  value`,
    ...Object.entries(metrics).map(([k, v]) => `${k.padEnd(width)}  ${v.toFixed(4)}`),
    ...checks.map(
      (c) =>
        `${c.pass ? 'pass' : 'FAIL'}: ${c.metric} ${c.value.toFixed(4)} ${c.pass ? '' : 'not '}${c.op} ${c.bound}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

interface Threshold {
  flag: string;
  metric: string;
  op: '>=' | '<=';
  bound: number;
}

function thresholds(flags: EvaluateFlags): Threshold[] {
  const out: Threshold[] = [];
  if (flags.minAccuracy !== undefined)
    out.push({ flag: '--min-accuracy', metric: 'accuracy', op: '>=', bound: flags.minAccuracy });
  if (flags.maxLoss !== undefined)
    out.push({ flag: '--max-loss', metric: 'loss', op: '<=', bound: flags.maxLoss });
  for (const [metric, bound] of Object.entries(flags.min ?? {}))
    out.push({ flag: '--min', metric, op: '>=', bound });
  for (const [metric, bound] of Object.entries(flags.max ?? {}))
    out.push({ flag: '--max', metric, op: '<=', bound });
  return out;
}
