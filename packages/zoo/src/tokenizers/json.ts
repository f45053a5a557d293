// The Hugging Face tokenizer.json format, as far as netspec reads and writes it, and the checks
// run on an untrusted one before @huggingface/tokenizers sees it (the library assumes a valid
// file and fails later with messages that name no place).

/** A `{ "type": ... }` component of tokenizer.json (normalizer, pre_tokenizer, ...). */
export interface TokenizerComponent {
  type: string;
  [key: string]: unknown;
}

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface BpeModelJson {
  type: 'BPE';
  dropout: null;
  unk_token: string | null;
  continuing_subword_prefix: string | null;
  end_of_word_suffix: string | null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges?: boolean;
  vocab: Record<string, number>;
  merges: [string, string][] | string[];
}

export interface WordPieceModelJson {
  type: 'WordPiece';
  unk_token: string;
  continuing_subword_prefix: string;
  max_input_chars_per_word: number;
  vocab: Record<string, number>;
}

/** A tokenizer.json object (the fields netspec relies on; others pass through). */
export interface TokenizerJson {
  version: string;
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: TokenizerComponent | null;
  pre_tokenizer: TokenizerComponent | null;
  post_processor: TokenizerComponent | null;
  decoder: TokenizerComponent | null;
  model: BpeModelJson | WordPieceModelJson;
}

/** A tokenizer.json that is not one: the message names the JSON pointer and what was expected. */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x);
  if (typeof x === 'object') return 'an object';
  return String(x);
}

function fail(source: string, pointer: string, expected: string, got: unknown): never {
  throw new TokenizerError(
    `${source} ${pointer || '/'}: expected ${expected}, got ${describe(got)}`,
  );
}

const isId = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/**
 * Checks the parts of a tokenizer.json that netspec and the library rely on and returns it typed,
 * with absent optional components filled in as null. `source` names the file in messages.
 */
export function checkTokenizerJson(json: unknown, source = 'tokenizer.json'): TokenizerJson {
  if (!isObject(json)) fail(source, '', 'a tokenizer.json object', json);
  for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'] as const) {
    const part = json[key] ?? null;
    if (part !== null && !(isObject(part) && typeof part.type === 'string'))
      fail(source, `/${key}`, 'null or an object with a string "type"', part);
  }
  const added = json.added_tokens ?? [];
  if (!Array.isArray(added)) fail(source, '/added_tokens', 'an array', added);
  added.forEach((t: unknown, i) => {
    if (!isObject(t)) fail(source, `/added_tokens/${i}`, 'an object', t);
    if (!isId(t.id)) fail(source, `/added_tokens/${i}/id`, 'a non-negative integer', t.id);
    if (typeof t.content !== 'string' || t.content === '')
      fail(source, `/added_tokens/${i}/content`, 'a non-empty string', t.content);
  });
  checkModel(json.model, source);
  return {
    ...json,
    added_tokens: added,
    normalizer: json.normalizer ?? null,
    pre_tokenizer: json.pre_tokenizer ?? null,
    post_processor: json.post_processor ?? null,
    decoder: json.decoder ?? null,
  } as TokenizerJson;
}

function checkModel(model: unknown, source: string): void {
  if (!isObject(model)) fail(source, '/model', 'an object', model);
  if (model.type !== 'BPE' && model.type !== 'WordPiece')
    fail(source, '/model/type', '"BPE" or "WordPiece"', model.type);
  const vocab = model.vocab;
  if (!isObject(vocab)) fail(source, '/model/vocab', 'an object of token -> id', vocab);
  const entries = Object.entries(vocab);
  if (entries.length === 0) fail(source, '/model/vocab', 'at least one token', vocab);
  for (const [token, id] of entries)
    if (!isId(id)) fail(source, `/model/vocab/${pointerKey(token)}`, 'a non-negative integer', id);
  const unk = model.unk_token ?? null;
  if (model.type === 'WordPiece' || unk !== null) {
    if (typeof unk !== 'string' || !(unk in vocab))
      fail(source, '/model/unk_token', 'a token of /model/vocab', unk);
  }
  if (model.type === 'WordPiece') {
    const prefix = model.continuing_subword_prefix;
    if (typeof prefix !== 'string')
      fail(source, '/model/continuing_subword_prefix', 'a string', prefix);
    return;
  }
  const merges = model.merges;
  const prefix =
    typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '';
  if (!Array.isArray(merges)) fail(source, '/model/merges', 'an array', merges);
  merges.forEach((merge: unknown, i) => {
    const pair = typeof merge === 'string' ? merge.split(' ') : merge;
    const where = `/model/merges/${i}`;
    if (!Array.isArray(pair) || pair.length !== 2 || pair.some((p) => typeof p !== 'string'))
      fail(source, where, 'a pair of tokens ("a b" or ["a", "b"])', merge);
    for (const piece of pair as string[])
      if (!(piece in vocab)) fail(source, where, 'tokens of /model/vocab', piece);
    const [a, b] = pair as [string, string];
    const merged = prefix && b.startsWith(prefix) ? a + b.slice(prefix.length) : a + b;
    if (!(merged in vocab)) fail(source, where, 'a merge whose result is in /model/vocab', merged);
  });
}

// RFC 6901: "~" and "/" are escaped inside a JSON pointer.
const pointerKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
