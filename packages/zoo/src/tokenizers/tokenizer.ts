import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { checkTokenizerJson, TokenizerError, type TokenizerJson } from './json.js';

/** What a tokenizer splits text into: characters, byte-pair merges or BERT word pieces. */
export type TokenizerKind = 'char' | 'bpe' | 'wordpiece';

/** Ids of the special tokens a tokenizer has (absent when it has none of that role). */
export interface SpecialTokens {
  bos?: number;
  eos?: number;
  pad?: number;
  unk?: number;
  cls?: number;
  sep?: number;
  mask?: number;
}

export interface EncodeOptions {
  /** Adds what the tokenizer's post-processor adds, e.g. BERT's [CLS] ... [SEP] (default true). */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leaves the special tokens out of the text (default false). */
  skipSpecialTokens?: boolean;
}

/** Text <-> token ids, backed by a Hugging Face tokenizer.json. */
export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** One more than the largest token id: the size of a model's embedding and logits. */
  readonly vocabularySize: number;
  readonly special: SpecialTokens;
  encode(text: string, options?: EncodeOptions): number[];
  /** The token strings of `text` (no special tokens added). */
  tokenize(text: string): string[];
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** The tokenizer.json object (a copy): save it with JSON.stringify. */
  toJSON(): TokenizerJson;
}

// Role names as the common tokenizer.json files spell them (they carry no roles of their own).
const ROLES: Record<keyof SpecialTokens, string[]> = {
  bos: ['<|endoftext|>', '<s>', '<bos>', '<|begin_of_text|>', '[BOS]'],
  eos: ['<|endoftext|>', '</s>', '<eos>', '<|end_of_text|>', '[EOS]'],
  pad: ['[PAD]', '<pad>', '<|pad|>'],
  unk: ['[UNK]', '<unk>', '<|unk|>'],
  cls: ['[CLS]', '<cls>'],
  sep: ['[SEP]', '<sep>'],
  mask: ['[MASK]', '<mask>'],
};

/** A Tokenizer over a tokenizer.json object; `source` names it in error messages. */
export function tokenizerFromJson(input: unknown, source = 'tokenizer.json'): Tokenizer {
  const json = checkTokenizerJson(input, source);
  let hf: HfTokenizer;
  try {
    // Decoding gives back the text as it was: no "clean up" of spaces before punctuation.
    hf = new HfTokenizer(json, { clean_up_tokenization_spaces: false });
  } catch (e) {
    throw new TokenizerError(`${source}: ${(e as Error).message}`);
  }
  const kind = kindOf(json);
  const vocab = hf.get_vocab(true);
  let largest = 0;
  for (const id of vocab.values()) largest = Math.max(largest, id);
  for (const t of json.added_tokens) largest = Math.max(largest, t.id);
  const vocabularySize = largest + 1;
  const special = specialTokens(json, hf);
  const addedContents = json.added_tokens.map((t) => t.content);
  return {
    kind,
    vocabularySize,
    special,
    encode(text, options = {}) {
      checkText(text, 'encode');
      if (kind === 'char') checkChars(text, vocab, addedContents);
      return hf.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
    },
    tokenize(text) {
      checkText(text, 'tokenize');
      if (kind === 'char') checkChars(text, vocab, addedContents);
      return hf.tokenize(text);
    },
    decode(ids, options = {}) {
      if (!Array.isArray(ids)) throw new TokenizerError(`decode: expected an array of token ids`);
      ids.forEach((id, i) => {
        if (!(Number.isInteger(id) && id >= 0 && id < vocabularySize && hf.id_to_token(id)))
          throw new TokenizerError(
            `decode: ids[${i}]: expected a token id in [0, ${vocabularySize}), got ${String(id)}`,
          );
      });
      if (ids.length === 0) return '';
      return hf.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false });
    },
    toJSON: () => structuredClone(json),
  };
}

// A character tokenizer is a BPE without merges nor pre-tokenizer: every character is a token.
function kindOf(json: TokenizerJson): TokenizerKind {
  if (json.model.type === 'WordPiece') return 'wordpiece';
  return json.model.merges.length === 0 && json.pre_tokenizer === null ? 'char' : 'bpe';
}

function specialTokens(json: TokenizerJson, hf: HfTokenizer): SpecialTokens {
  const special: SpecialTokens = {};
  const contents = new Map(
    json.added_tokens.filter((t) => t.special).map((t) => [t.content, t.id]),
  );
  for (const [role, names] of Object.entries(ROLES) as [keyof SpecialTokens, string[]][]) {
    const id = names.map((n) => contents.get(n)).find((x) => x !== undefined);
    if (id !== undefined) special[role] = id;
  }
  const unk = json.model.unk_token;
  if (unk) special.unk = hf.token_to_id(unk);
  return special;
}

function checkText(text: unknown, what: string): void {
  if (typeof text !== 'string')
    throw new TokenizerError(`${what}: expected a string, got ${typeof text}`);
}

// The library drops a character a BPE without unk token does not know; a character tokenizer
// refuses it instead, naming it, so that a prompt is never silently shortened.
function checkChars(text: string, vocab: Map<string, number>, added: string[]): void {
  let rest = text;
  for (const content of added) rest = rest.split(content).join('');
  for (const c of rest) {
    if (!vocab.has(c)) {
      const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      throw new TokenizerError(
        `encode: text offset ${text.indexOf(c)}: expected a character of the vocabulary (${vocab.size} tokens), got ${JSON.stringify(c)} (${code})`,
      );
    }
  }
}
