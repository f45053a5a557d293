import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TokenScorer } from '@netspec/spec';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { nonNegativeInteger } from '../flags.js';
import { asUserError } from '../library-errors.js';
import { positiveInteger } from '../options.js';
import { isDirectory, readRunDir } from '../run-dir.js';
import { UserError } from '../user-error.js';

// `netspec generate`: text from a language model (a run dir on any engine, or a KV-cache ONNX
// export on onnxruntime), streamed to stdout token by token.

const ENGINES = ['tfjs', 'ort-node', 'ort-web'] as const;
type Engine = (typeof ENGINES)[number];
/** The tokenizer a run dir or an ONNX file carries beside it. */
const TOKENIZER_FILE = 'tokenizer.json';
const MAX_ONNX_BYTES = 2 ** 31 - 1;

interface GenerateFlags {
  prompt: string;
  maxNewTokens: number;
  temperature: number;
  topK?: number;
  topP?: number;
  repetitionPenalty: number;
  seed: number;
  engine?: Engine;
  tokenizer?: string;
}

const numberIn = (what: string, ok: (n: number) => boolean) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n))
    throw new InvalidArgumentError(`expected ${what}, got "${v}"`);
  return n;
};

// Library errors about the user's files, shown as one message (exit 2).
const GENERATE_INPUT_ERRORS = new Set(['DecoderPlanError', 'TokenizerError']);
function userError(e: unknown, prefix: string): unknown {
  // Messages that already start with the file name keep it once.
  const p = e instanceof Error && e.message.startsWith(prefix) ? '' : prefix;
  if (e instanceof Error && GENERATE_INPUT_ERRORS.has(e.name))
    return new UserError(`${p}${e.message}`);
  return asUserError(e, p);
}

/** Reads a .onnx file, refusing what no model needs before reading it. */
async function readOnnxFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new UserError(`${path}: no such file; expected a run directory or a .onnx model`);
  if (info.size > MAX_ONNX_BYTES)
    throw new UserError(`${path}: ${info.size} bytes; expected at most ${MAX_ONNX_BYTES}`);
  return new Uint8Array(await readFile(path));
}

interface Opened {
  scorer: TokenScorer;
  /** Frees the scorer and whatever model it runs. */
  close(): Promise<void>;
}

/** The scorer for `source` on `engine`: a run dir runs anywhere, an ONNX file on onnxruntime. */
async function openScorer(source: string, engine: Engine): Promise<Opened> {
  const owned = (scorer: TokenScorer): Opened => ({ scorer, close: () => scorer.dispose() });
  if (await isDirectory(source)) {
    const run = await readRunDir(source);
    if (engine === 'tfjs') {
      const { buildModel, tfjsScorer, useEngine } = await import('@netspec/backend-tfjs');
      await useEngine();
      const model = buildModel(run.model.spec, { weights: run.weights });
      const scorer = tfjsScorer(model);
      // The scorer leaves the model to its caller: free both.
      return {
        scorer,
        close: async () => {
          await scorer.dispose();
          model.dispose();
        },
      };
    }
    const { exportOnnxWithCache, ortScorer } = await import('@netspec/backend-onnx');
    const bytes = exportOnnxWithCache(run.model.spec, run.weights);
    return owned(await ortScorer(bytes, { engine, source }));
  }
  const { ortScorer } = await import('@netspec/backend-onnx');
  const ort = engine === 'tfjs' ? 'ort-node' : engine; // tfjs was refused for files up front
  return owned(await ortScorer(await readOnnxFile(source), { engine: ort, source }));
}

/** A tokenizer file must exist before any model is loaded: it says how to read the prompt. */
async function tokenizerPath(source: string, flag: string | undefined): Promise<string> {
  const dir = (await isDirectory(source)) ? source : dirname(source);
  const path = flag ?? join(dir, TOKENIZER_FILE);
  if (!(await stat(path).catch(() => undefined))?.isFile())
    throw new UserError(
      flag
        ? `--tokenizer ${path}: no such file; expected a tokenizer.json`
        : `${path}: missing; expected the model's tokenizer.json beside it (or pass --tokenizer <file>)`,
    );
  return path;
}

export function generateCommand(program: Command) {
  program
    .command('generate')
    .description('generate text with a language model, streaming tokens to stdout')
    .argument(
      '<model>',
      'a run directory (spec.json, weights.safetensors, tokenizer.json) or a KV-cache .onnx export',
    )
    .requiredOption('--prompt <text>', 'the text to continue')
    .option('--max-new-tokens <n>', 'the most tokens to generate', positiveInteger, 50)
    .option(
      '--temperature <t>',
      '0 is greedy (the most likely token); above 0 samples',
      numberIn('a number >= 0', (n) => n >= 0),
      0,
    )
    .option('--top-k <k>', 'sample among the k most likely tokens', positiveInteger)
    .option(
      '--top-p <p>',
      'sample among the most likely tokens holding probability p',
      numberIn('a number in (0, 1]', (n) => n > 0 && n <= 1),
    )
    .option(
      '--repetition-penalty <r>',
      'above 1 discourages repeating tokens',
      numberIn('a number > 0', (n) => n > 0),
      1,
    )
    .option(
      '--seed <s>',
      'seeds the sampler: the same seed draws the same tokens on every engine',
      nonNegativeInteger,
      0,
    )
    .addOption(
      new Option(
        '--engine <name>',
        'tfjs (run dirs), ort-node or ort-web (default: tfjs for a run dir, ort-node for .onnx)',
      ).choices(ENGINES),
    )
    .option('--tokenizer <file>', `a tokenizer.json (default: ${TOKENIZER_FILE} beside the model)`)
    .addHelpText(
      'after',
      `
The prompt is echoed, then each new token is written as soon as it is chosen. Sampling uses
netspec's seeded RNG, so a seed gives the same text on every engine; greedy output
(temperature 0) is identical across engines. A run directory holds its tokenizer as
tokenizer.json; an ONNX file with a KV cache (past_key_values inputs, as backend-onnx's
exportOnnxWithCache writes) looks for one beside it.

Examples:
  $ netspec generate runs/gpt --prompt "Call me Ishmael" --max-new-tokens 40
  $ netspec generate runs/gpt --prompt "The whale" --temperature 0.8 --top-p 0.9 --seed 7
  $ netspec generate gpt.onnx --prompt "The sea" --engine ort-web`,
    )
    .action(async (source: string, opts: GenerateFlags) => {
      const runDir = await isDirectory(source);
      const engine: Engine = opts.engine ?? (runDir ? 'tfjs' : 'ort-node');
      if (engine === 'tfjs' && !runDir)
        throw new UserError(
          `--engine tfjs: needs a run directory (spec.json + weights), got the file ${source}; use --engine ort-node or ort-web`,
        );
      const { generate, loadTokenizer } = await import('@netspec/zoo');
      const path = await tokenizerPath(source, opts.tokenizer);
      const tokenizer = await loadTokenizer(path).catch((e) => {
        throw userError(e, '');
      });
      let prompt: number[];
      try {
        prompt = tokenizer.encode(opts.prompt);
      } catch (e) {
        // The tokenizer cannot read the prompt (a character it never saw): the user's input.
        throw new UserError(`--prompt: ${(e as Error).message}`);
      }
      if (prompt.length === 0)
        throw new UserError('--prompt: expected text that encodes to at least one token, got none');
      const { scorer, close } = await openScorer(source, engine).catch((e) => {
        throw userError(e, `${source}: `);
      });
      try {
        if (tokenizer.vocabularySize > scorer.vocabularySize)
          throw new UserError(
            `${path}: ${tokenizer.vocabularySize} tokens, but the model scores ${scorer.vocabularySize}; expected the tokenizer the model was trained with`,
          );
        const started = performance.now();
        process.stdout.write(opts.prompt);
        const result = await generate(scorer, prompt, {
          maxNewTokens: opts.maxNewTokens,
          temperature: opts.temperature,
          ...(opts.topK !== undefined ? { topK: opts.topK } : {}),
          ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
          repetitionPenalty: opts.repetitionPenalty,
          seed: opts.seed,
          tokenizer,
          onToken: (t) => {
            if (t.text) process.stdout.write(t.text);
          },
        });
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write('\n');
        process.stderr.write(
          `${scorer.engine}: ${result.ids.length} tokens in ${seconds.toFixed(2)} s (${(result.ids.length / seconds).toFixed(1)} tokens/s${scorer.cached ? ', KV cache' : ''}); stopped: ${result.stopReason}\n`,
        );
      } finally {
        await close();
      }
    });
}
