import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { asUserError, userErrors } from '../library-errors.js';
import { positiveInteger } from '../options.js';
import { checkOutputFile, writeOutput } from '../output-path.js';
import { readRunDir } from '../run-dir.js';
import { tfjsLayersModel } from '../tfjs-layers-model.js';
import { UserError } from '../user-error.js';

interface ExportFlags {
  out: string;
  opset?: number;
  layout: 'nhwc' | 'nchw';
  externalData?: boolean;
  kvCache?: boolean;
  format: 'onnx' | 'tfjs';
}

export function exportCommand(program: Command) {
  program
    .command('export')
    .description('export a trained run directory (spec + weights) to ONNX')
    .argument('<run dir>', 'a run directory from netspec train')
    .requiredOption('-o, --out <file>', 'the .onnx file (or, --format tfjs, model.json) to write')
    .option('--opset <n>', 'ONNX opset, 17 (default) to 23', positiveInteger)
    .addOption(
      new Option('--layout <layout>', 'image inputs channels-last (as the spec) or channels-first')
        .choices(['nhwc', 'nchw'])
        .default('nhwc'),
    )
    .option('--external-data', 'weights in <file>.data next to the model (for models over 2 GiB)')
    .option(
      '--kv-cache',
      'a GPT-style model with past_key_values inputs and present outputs (transformers.js names)',
    )
    .addOption(
      new Option('--format <format>', 'onnx, or a TensorFlow.js layers model (model.json + .bin)')
        .choices(['onnx', 'tfjs'])
        .default('onnx'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ netspec export runs/lenet -o lenet.onnx
  $ netspec export runs/lenet -o lenet.onnx --layout nchw --opset 18
  $ netspec export runs/big -o big.onnx --external-data     (writes big.onnx and big.onnx.data)
  $ netspec export runs/gpt -o gpt.onnx --kv-cache          (for netspec generate and transformers.js)
  $ netspec export runs/lenet --format tfjs -o web/model.json  (and web/model.weights.bin)`,
    )
    .action((dir: string, flags: ExportFlags) => userErrors(() => exportRun(dir, flags)));
}

async function exportRun(dir: string, flags: ExportFlags): Promise<void> {
  await checkOutputFile(flags.out, '-o');
  if (flags.format === 'tfjs') return exportTfjs(dir, flags);
  const dataPath = `${flags.out}.data`;
  if (flags.externalData) await checkOutputFile(dataPath, '--external-data');
  const run = await readRunDir(dir);
  const onnx = await import('@netspec/backend-onnx');
  const options = { layout: flags.layout, ...(flags.opset ? { opset: flags.opset } : {}) };
  let files: [string, Uint8Array][];
  try {
    if (flags.kvCache) {
      if (flags.externalData || flags.layout !== 'nhwc')
        throw new UserError('--kv-cache: expected no --external-data or --layout with it');
      files = [[flags.out, onnx.exportOnnxWithCache(run.model.spec, run.weights, options)]];
    } else if (flags.externalData) {
      const location = basename(dataPath);
      const out = onnx.exportOnnxWithExternalData(run.model, run.weights, {
        ...options,
        externalData: { location },
      });
      // The data first: a model file never points at data that is not there.
      files = [
        [dataPath, out.data],
        [flags.out, out.model],
      ];
    } else files = [[flags.out, onnx.exportOnnx(run.model, run.weights, options)]];
  } catch (e) {
    throw asUserError(e, `${dir}: `);
  }
  for (const [path, bytes] of files) await writeOutput(path, bytes);
  const size = files.reduce((n, [, b]) => n + b.length, 0);
  process.stdout.write(
    `wrote ${files.map(([p]) => p).join(' and ')} (${run.model.spec.name}, opset ${flags.opset ?? 17}, ${flags.kvCache ? 'KV cache' : flags.layout}, ${(size / 1024).toFixed(1)} KiB)\n`,
  );
}

/** model.json and its weights file beside it, as tf.loadLayersModel reads them. */
async function exportTfjs(dir: string, flags: ExportFlags): Promise<void> {
  if (!flags.out.endsWith('.json'))
    throw new UserError(`-o ${flags.out}: expected a .json path for --format tfjs (model.json)`);
  const other = flags.externalData
    ? '--external-data'
    : flags.kvCache
      ? '--kv-cache'
      : flags.opset
        ? '--opset'
        : undefined;
  if (other || flags.layout !== 'nhwc')
    throw new UserError(`--format tfjs: ${other ?? '--layout'} applies to ONNX only`);
  const weightsPath = `${flags.out.slice(0, -'.json'.length)}.weights.bin`;
  await checkOutputFile(weightsPath, '-o');
  const run = await readRunDir(dir);
  const { modelJson, weights } = tfjsLayersModel(run.model, run.weights, basename(weightsPath));
  // The weights first: a model.json never points at weights that are not there.
  await writeOutput(weightsPath, weights);
  await writeOutput(flags.out, modelJson);
  process.stdout.write(
    `wrote ${flags.out} and ${weightsPath} (TensorFlow.js layers model, ${(weights.length / 1024).toFixed(1)} KiB of weights)\n`,
  );
}
