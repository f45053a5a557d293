import { decoderPlan, type ResolvedModel } from '@netspec/spec';
import type { Tokenizer } from '@netspec/zoo';
import { UserError } from './user-error.js';

// Language models (training.recipe causalLm) train on a text corpus cut into windows of the
// model's context length; the run directory keeps the tokenizer (tokenizer.json) that made the
// ids, which `generate` reads back.

export const RUN_TOKENIZER = 'tokenizer.json';

/** The corpora `--data` names for language models (train and validation splits). */
export const TEXT_SOURCES = ['moby-dick', 'moby-dick:validation'];

/**
 * The tokens per window of a causal language model (its context length, the spec's
 * decoderPlan), or undefined for any other model.
 */
export function languageModelContext(model: ResolvedModel): number | undefined {
  if (model.spec.training?.recipe?.type !== 'causalLm') return undefined;
  let context: number;
  try {
    context = decoderPlan(model).contextLength;
  } catch (e) {
    throw new UserError(`${model.spec.name}: a causalLm model, but ${(e as Error).message}`);
  }
  if (!Number.isFinite(context))
    throw new UserError(
      `${model.spec.name}: a causalLm model without a position table (tokenAndPositionEmbedding or positionEmbedding); expected one to size the training windows`,
    );
  return context;
}

/**
 * The character tokenizer of a built-in corpus, checked against the model's token table: the
 * ids the data loader makes (characters in code point order) are the tokenizer's ids.
 */
export async function corpusTokenizer(source: string, model: ResolvedModel): Promise<Tokenizer> {
  const name = source.split(':')[0] ?? source;
  if (!TEXT_SOURCES.includes(source))
    throw new UserError(
      `--data ${source}: ${model.spec.name} is a language model; expected a text corpus (${TEXT_SOURCES.join(', ')})`,
    );
  const [{ loadMobyDick, charVocabulary }, { trainTokenizer }] = await Promise.all([
    import('@netspec/backend-tfjs'),
    import('@netspec/zoo'),
  ]);
  const text = loadMobyDick();
  const tokenizer = trainTokenizer('char', text);
  const chars = charVocabulary(text).chars;
  const ids = tokenizer.encode(chars.join(''));
  if (ids.length !== chars.length || ids.some((id, i) => id !== i))
    throw new Error(`${name}: the char tokenizer and the data loader disagree on token ids`);
  const table = decoderPlan(model).vocabularySize;
  if (table !== tokenizer.vocabularySize)
    throw new UserError(
      `--data ${source}: ${name} has ${tokenizer.vocabularySize} distinct characters but ${model.spec.name}'s logits cover ${table} tokens; expected equal sizes (for a zoo GPT: netspec zoo show <preset> --set vocabularySize=${tokenizer.vocabularySize})`,
    );
  return tokenizer;
}
