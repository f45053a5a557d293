import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import type { AddedTokenJson, TokenizerComponent, TokenizerJson } from './json.js';
import { TokenizerError } from './json.js';
import { learnMerges } from './merges.js';
import { type Tokenizer, type TokenizerKind, tokenizerFromJson } from './tokenizer.js';

// Trainers write a tokenizer.json and load it like any other: training and loading share one
// path, and the library's own normalizer and pre-tokenizer split the corpus, so the words merges
// are learned on are exactly the words encode() will see.

export interface TrainTokenizerOptions {
  /** Tokens in all, special tokens included (bpe and wordpiece; a char vocabulary is its corpus). */
  vocabularySize?: number;
  /**
   * Special tokens, ids 0, 1, ... (defaults: bpe `<|endoftext|>`; wordpiece `[PAD]`, `[UNK]`,
   * `[CLS]`, `[SEP]`, `[MASK]`; char none).
   */
  specialTokens?: string[];
  /** WordPiece: lowercase and strip accents as uncased BERT does (default true). */
  lowercase?: boolean;
}

const DEFAULT_SPECIAL: Record<TokenizerKind, string[]> = {
  char: [],
  bpe: ['<|endoftext|>'],
  wordpiece: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
};

/** Learns a tokenizer from `corpus` (one text or many documents). */
export function trainTokenizer(
  kind: TokenizerKind,
  corpus: string | readonly string[],
  options: TrainTokenizerOptions = {},
): Tokenizer {
  if (!(kind in DEFAULT_SPECIAL))
    throw new TokenizerError(`kind: expected one of char, bpe, wordpiece, got ${String(kind)}`);
  const documents = typeof corpus === 'string' ? [corpus] : corpus;
  if (!Array.isArray(documents) || documents.some((d) => typeof d !== 'string'))
    throw new TokenizerError('corpus: expected a string or an array of strings');
  if (documents.every((d) => d.length === 0))
    throw new TokenizerError('corpus: expected some text, got none');
  const special = options.specialTokens ?? DEFAULT_SPECIAL[kind];
  special.forEach((s, i) => {
    if (typeof s !== 'string' || s === '' || special.indexOf(s) !== i)
      throw new TokenizerError(
        `specialTokens[${i}]: expected a new non-empty string, got ${JSON.stringify(s)}`,
      );
  });
  if (kind === 'char') {
    if (options.vocabularySize !== undefined)
      throw new TokenizerError(
        'vocabularySize: a char tokenizer takes its vocabulary from the corpus; leave it out',
      );
    return charTokenizer(documents, special);
  }
  const size = options.vocabularySize;
  if (!(Number.isInteger(size) && (size as number) > 0))
    throw new TokenizerError(`vocabularySize: expected a positive integer, got ${String(size)}`);
  if (kind === 'wordpiece' && !special.includes('[UNK]'))
    throw new TokenizerError('specialTokens: a wordpiece tokenizer needs "[UNK]"');
  return kind === 'bpe'
    ? bpeTokenizer(documents, special, size as number)
    : wordPieceTokenizer(documents, special, size as number, options.lowercase ?? true);
}

function charTokenizer(documents: readonly string[], special: string[]): Tokenizer {
  const chars = new Set<string>();
  for (const d of documents) for (const c of d) chars.add(c);
  // Code point order: ids agree with @netspec/backend-tfjs's charVocabulary when no special token.
  const sorted = [...chars].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
  return tokenizerFromJson(
    tokenizerJson(special, { type: 'Fuse' }, null, null, null, {
      ...bpeModel(vocabOf(special, sorted), []),
    }),
  );
}

// GPT-2's byte-level BPE: every byte is a token (shown as a printable character), so any text
// encodes and decodes back exactly.
function bpeTokenizer(documents: readonly string[], special: string[], size: number): Tokenizer {
  const bytes = byteAlphabet();
  const minimum = special.length + bytes.length;
  if (size < minimum)
    throw new TokenizerError(
      `vocabularySize: expected at least ${minimum} (256 bytes + special tokens), got ${size}`,
    );
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  const pre = { type: 'ByteLevel', ...byteLevel };
  const json = (vocab: Record<string, number>, merges: [string, string][]) =>
    tokenizerJson(
      special,
      { type: 'ByteLevel', ...byteLevel },
      null,
      pre,
      { type: 'ByteLevel', ...byteLevel },
      bpeModel(vocab, merges),
    );
  const words = countWords(json(vocabOf(special, bytes), []), documents, (w) => [...w]);
  const learned = learnMerges(words, { newTokens: size - minimum });
  return tokenizerFromJson(json(vocabOf(special, [...bytes, ...learned.tokens]), learned.merges));
}

// BERT's WordPiece, trained as Hugging Face does: BPE merges over words whose non-initial
// characters carry "##", keeping the tokens the merges make (not the merges).
function wordPieceTokenizer(
  documents: readonly string[],
  special: string[],
  size: number,
  lowercase: boolean,
): Tokenizer {
  const normalizer = {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: lowercase ? null : false,
    lowercase,
  };
  const cls = special.includes('[CLS]') && special.includes('[SEP]');
  const json = (vocab: Record<string, number>) =>
    tokenizerJson(
      special,
      { type: 'WordPiece', prefix: '##', cleanup: true },
      normalizer,
      { type: 'BertPreTokenizer' },
      cls ? bertTemplate(vocab) : null,
      {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    );
  const split = (w: string) => [...w].map((c, i) => (i === 0 ? c : `##${c}`));
  const words = countWords(json(vocabOf(special, [])), documents, split);
  const alphabet = [...new Set(words.flatMap((w) => w.symbols))].sort();
  const minimum = special.length + alphabet.length;
  if (size < minimum)
    throw new TokenizerError(
      `vocabularySize: expected at least ${minimum} for this corpus (its ${alphabet.length} characters + special tokens), got ${size}`,
    );
  const learned = learnMerges(words, { newTokens: size - minimum, prefix: '##' });
  return tokenizerFromJson(json(vocabOf(special, [...alphabet, ...learned.tokens])));
}

/** The distinct words of the corpus as `json`'s normalizer and pre-tokenizer see them. */
function countWords(
  json: TokenizerJson,
  documents: readonly string[],
  split: (w: string) => string[],
) {
  const hf = new HfTokenizer(json, {});
  const counts = new Map<string, number>();
  for (const document of documents) {
    const text = hf.normalizer ? hf.normalizer(document) : document;
    for (const w of hf.pre_tokenizer ? hf.pre_tokenizer(text) : [text])
      counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].map(([w, count]) => ({ symbols: split(w), count }));
}

/** The 256 byte characters of GPT-2's byte-level alphabet, by byte value. */
function byteAlphabet(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(printable(b) ? b : next++));
}

function vocabOf(special: string[], tokens: string[]): Record<string, number> {
  const vocab: Record<string, number> = {};
  let id = 0;
  for (const t of [...special, ...tokens]) if (!(t in vocab)) vocab[t] = id++;
  return vocab;
}

function bpeModel(vocab: Record<string, number>, merges: [string, string][]) {
  return {
    type: 'BPE' as const,
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab,
    merges,
  };
}

function bertTemplate(vocab: Record<string, number>): TokenizerComponent {
  const token = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const entry = (id: string) => ({ id, ids: [vocab[id]], tokens: [id] });
  return {
    type: 'TemplateProcessing',
    single: [token('[CLS]', 0), sequence('A', 0), token('[SEP]', 0)],
    pair: [
      token('[CLS]', 0),
      sequence('A', 0),
      token('[SEP]', 0),
      sequence('B', 1),
      token('[SEP]', 1),
    ],
    special_tokens: { '[CLS]': entry('[CLS]'), '[SEP]': entry('[SEP]') },
  };
}

function tokenizerJson(
  special: string[],
  decoder: TokenizerComponent,
  normalizer: TokenizerComponent | null,
  preTokenizer: TokenizerComponent | null,
  postProcessor: TokenizerComponent | null,
  model: TokenizerJson['model'],
): TokenizerJson {
  const added: AddedTokenJson[] = special.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer,
    pre_tokenizer: preTokenizer,
    post_processor: postProcessor,
    decoder,
    model,
  };
}
