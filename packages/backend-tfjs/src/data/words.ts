import type { Vocabulary } from './text.js';

// Word-level tokens for language models: lowercased words and punctuation marks, the most frequent
// `maxSize - 1` of them plus <unk> (id 0) for the rest. Whitespace is not a token.

export const UNKNOWN = '<unk>';
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** "Call me Ishmael." -> call, me, ishmael, . */
export function splitWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** <unk> then the most frequent words, ties in order of first appearance. */
export function wordVocabulary(words: readonly string[], maxSize = 10_000): Vocabulary {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Map iteration is insertion order, and the sort is stable: ties keep first appearance.
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const chars = [UNKNOWN, ...ranked.slice(0, Math.max(0, maxSize - 1))];
  return { chars, index: new Map(chars.map((w, i) => [w, i])) };
}

/** Token ids of words; a word outside the vocabulary is <unk> (0). */
export function encodeWords(words: readonly string[], vocabulary: Vocabulary): Int32Array {
  return Int32Array.from(words, (w) => vocabulary.index.get(w) ?? 0);
}

/** The words of token ids, joined by spaces. */
export function decodeWords(ids: ArrayLike<number>, vocabulary: Vocabulary): string {
  return Array.from(ids, (id) => vocabulary.chars[id] ?? UNKNOWN).join(' ');
}
