import { type Command, Option } from 'commander';
import { userErrors } from '../library-errors.js';
import {
  checkProvider,
  openModelSource,
  openRunner,
  PROVIDERS,
  type Provider,
  RUN_ENGINES,
  type RunEngine,
} from '../model-source.js';
import { positiveInteger } from '../options.js';
import { checkOutputFile, writeOutput } from '../output-path.js';
import { encodeOutputs, readInputFile } from '../tensor-files.js';
import { isProbabilityRows, topK } from '../top-k.js';

interface PredictFlags {
  input: string;
  engine: RunEngine;
  provider?: Provider;
  out?: string;
  topK: number;
  json?: boolean;
}

export function predictCommand(program: Command) {
  program
    .command('predict')
    .description('run a model (.onnx file or run directory) on an input file')
    .argument('<model>', 'an .onnx file or a run directory from netspec train')
    .requiredOption('--input <file>', 'a .npy, .json ([...] or {"<input>": [...]}) or .png file')
    .addOption(
      new Option('--engine <name>', 'the engine that runs it')
        .choices(RUN_ENGINES)
        .default('ort-node'),
    )
    .addOption(
      new Option('--provider <name>', 'execution provider: cpu, cuda (ort-node) or wasm').choices(
        PROVIDERS,
      ),
    )
    .option('-o, --out <file>', 'write the outputs to .npy (one output) or .json')
    .option('--top-k <n>', 'classes shown per sample for classifier outputs', positiveInteger, 5)
    .option('--json', 'print the outputs (and top-k classes) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ netspec predict lenet.onnx --input digit.png --top-k 3
  $ netspec predict runs/lenet --input x.npy --engine tfjs -o y.npy`,
    )
    .action((model: string, flags: PredictFlags) => userErrors(() => predict(model, flags)));
}

async function predict(path: string, flags: PredictFlags): Promise<void> {
  if (flags.provider !== undefined) checkProvider(flags.engine, flags.provider);
  if (flags.out !== undefined) await checkOutputFile(flags.out, '-o');
  const source = await openModelSource(path);
  const feeds = await readInputFile(flags.input, source.inputs);
  const runner = await openRunner(source, flags.engine, flags.provider);
  let outputs: Awaited<ReturnType<typeof runner.run>>;
  try {
    outputs = await runner.run(feeds);
  } finally {
    await runner.dispose();
  }
  if (flags.out !== undefined)
    await writeOutput(flags.out, await encodeOutputs(flags.out, outputs));
  const classes = Object.fromEntries(
    Object.entries(outputs)
      .filter(([, t]) => isProbabilityRows(t))
      .map(([name, t]) => {
        const k = t.shape[1] as number;
        const rows = Array.from({ length: t.shape[0] as number }, (_, i) =>
          topK(t.data.subarray(i * k, (i + 1) * k), flags.topK, source.labels),
        );
        return [name, rows];
      }),
  );
  if (flags.json) {
    const json = Object.fromEntries(
      Object.entries(outputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]),
    );
    process.stdout.write(
      `${JSON.stringify({ engine: runner.engine, outputs: json, topK: classes })}\n`,
    );
    return;
  }
  const lines = [`engine: ${runner.engine}`];
  for (const [name, t] of Object.entries(outputs)) {
    const rows = classes[name];
    if (rows) {
      for (const [i, row] of rows.entries()) {
        const shown = row.map((c) => `${c.label} ${(c.probability * 100).toFixed(2)}%`);
        lines.push(`${name}[${i}]: ${shown.join(', ')}`);
      }
      continue;
    }
    const shown = Array.from(t.data.subarray(0, 20), (v) => Number(v.toPrecision(6)));
    lines.push(
      `${name} [${t.shape.join(', ')}]: ${shown.join(' ')}${t.data.length > 20 ? ` ... (${t.data.length} values)` : ''}`,
    );
  }
  if (flags.out !== undefined) lines.push(`wrote ${flags.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
