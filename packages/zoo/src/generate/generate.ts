import type { TokenScorer } from '@netspec/spec';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { seededRandom } from './rng.js';
import { checkSamplingOptions, type SamplingOptions, sampleToken } from './sample.js';

export interface GenerateOptions extends SamplingOptions {
  /** The most tokens to generate (stop condition). */
  maxNewTokens: number;
  /** Seeds the sampler (default 0); the same seed draws the same tokens on every engine. */
  seed?: number;
  /** Decodes the new tokens (`text` of each step and of the result) and enables stopStrings. */
  tokenizer?: Tokenizer;
  /** Tokens that end generation, kept as the last token (default: the tokenizer's eos, if any). */
  eosTokenIds?: readonly number[];
  /** Generation ends once the new text holds one of these (it is kept in the text). */
  stopStrings?: readonly string[];
  /** Ends generation before the next model call once aborted (the result so far is returned). */
  signal?: AbortSignal;
  /** Called with every new token, in order, before the next one is computed: streaming. */
  onToken?: (token: GeneratedToken) => void | Promise<void>;
}

export interface GeneratedToken {
  id: number;
  /** 0 for the first new token. */
  index: number;
  /**
   * The text this token adds (with a tokenizer): empty while it ends inside a multi-byte
   * character, which the next tokens complete.
   */
  text?: string;
}

export type StopReason = 'eos' | 'stop-string' | 'max-tokens' | 'aborted';

export interface GenerationResult {
  /** The new tokens (the prompt is not repeated). */
  ids: number[];
  /** The new tokens decoded, special tokens left out (with a tokenizer). */
  text?: string;
  stopReason: StopReason;
}

/**
 * Continues `promptIds` with `scorer`, one token at a time. The scorer is reset first and holds
 * the last contextLength tokens of the prompt; when the sequence outgrows contextLength, the
 * window slides: the scorer is reset and fed the last contextLength - 1 tokens again.
 */
export async function generate(
  scorer: TokenScorer,
  promptIds: readonly number[],
  options: GenerateOptions,
): Promise<GenerationResult> {
  const { tokenizer, signal, onToken } = options;
  checkOptions(scorer, promptIds, options);
  const eos = new Set(
    options.eosTokenIds ?? (tokenizer?.special.eos !== undefined ? [tokenizer.special.eos] : []),
  );
  const stops = options.stopStrings ?? [];
  const random = seededRandom(options.seed ?? 0);
  const context = scorer.contextLength;
  const sequence = [...promptIds];
  const seen = new Set(promptIds);
  const ids: number[] = [];
  let text = '';
  if (signal?.aborted) return { ids, ...(tokenizer ? { text } : {}), stopReason: 'aborted' };
  scorer.reset();
  let logits = await scorer.append(sequence.slice(-context));
  let stopReason: StopReason = 'max-tokens';
  while (ids.length < options.maxNewTokens) {
    if (logits.length !== scorer.vocabularySize)
      throw new Error(
        `scorer ${scorer.engine}: expected ${scorer.vocabularySize} logits, got ${logits.length}`,
      );
    const id = sampleToken(logits, seen, options, random);
    sequence.push(id);
    seen.add(id);
    ids.push(id);
    const token: GeneratedToken = { id, index: ids.length - 1 };
    if (tokenizer) {
      const decoded = tokenizer.decode(ids, { skipSpecialTokens: true });
      // U+FFFD at the end: the last token ends inside a character; wait for the rest of it.
      if (!decoded.endsWith('\uFFFD')) {
        token.text = decoded.startsWith(text) ? decoded.slice(text.length) : decoded;
        text = decoded;
      } else token.text = '';
    }
    await onToken?.(token);
    if (eos.has(id)) stopReason = 'eos';
    else if (stops.some((s) => text.includes(s))) stopReason = 'stop-string';
    else if (signal?.aborted) stopReason = 'aborted';
    if (stopReason !== 'max-tokens' || ids.length === options.maxNewTokens) break;
    if (scorer.length + 1 > context) {
      scorer.reset();
      logits = await scorer.append(sequence.slice(-Math.max(1, context - 1)));
    } else logits = await scorer.append([id]);
  }
  if (tokenizer) text = tokenizer.decode(ids, { skipSpecialTokens: true });
  return { ids, ...(tokenizer ? { text } : {}), stopReason };
}

function checkOptions(
  scorer: TokenScorer,
  prompt: readonly number[],
  options: GenerateOptions,
): void {
  const { maxNewTokens, tokenizer, eosTokenIds, stopStrings } = options;
  const vocabulary = scorer.vocabularySize;
  const isToken = (id: unknown) =>
    Number.isInteger(id) && (id as number) >= 0 && (id as number) < vocabulary;
  if (!Array.isArray(prompt) || prompt.length === 0)
    throw new Error('promptIds: expected at least one token id (start with a bos token for none)');
  prompt.forEach((id, i) => {
    if (!isToken(id))
      throw new Error(
        `promptIds[${i}]: expected a token id in [0, ${vocabulary}), got ${String(id)}`,
      );
  });
  if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 1))
    throw new Error(`maxNewTokens: expected a positive integer, got ${String(maxNewTokens)}`);
  checkSamplingOptions(options);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed))
    throw new Error(`seed: expected an integer, got ${String(options.seed)}`);
  (eosTokenIds ?? []).forEach((id, i) => {
    if (!isToken(id))
      throw new Error(
        `eosTokenIds[${i}]: expected a token id in [0, ${vocabulary}), got ${String(id)}`,
      );
  });
  if (stopStrings !== undefined) {
    if (!tokenizer)
      throw new Error('stopStrings: expected a tokenizer option to decode the text with');
    stopStrings.forEach((s, i) => {
      if (typeof s !== 'string' || s === '')
        throw new Error(`stopStrings[${i}]: expected a non-empty string, got ${JSON.stringify(s)}`);
    });
  }
  if (tokenizer && tokenizer.vocabularySize > vocabulary)
    throw new Error(
      `tokenizer: expected at most the scorer's ${vocabulary} tokens, got ${tokenizer.vocabularySize}`,
    );
  // Infinity: a model without a position table (sinusoidal positions) never slides its window.
  const context = scorer.contextLength;
  if (!((Number.isInteger(context) && context >= 1) || context === Number.POSITIVE_INFINITY))
    throw new Error(
      `scorer ${scorer.engine}: expected a positive contextLength or Infinity, got ${context}`,
    );
}
