import { describe, expect, it } from 'vitest';
import { loadMobyDick } from './text.js';
import { decodeWords, encodeWords, splitWords, UNKNOWN, wordVocabulary } from './words.js';

describe('word tokens', () => {
  it('splits lowercased words, keeping contractions and punctuation marks', () => {
    expect(splitWords("Call me Ishmael. Don't—ever!")).toEqual([
      'call',
      'me',
      'ishmael',
      '.',
      "don't",
      '—',
      'ever',
      '!',
    ]);
  });

  it('ranks by frequency (ties by first appearance) after <unk>, and maps the rest to it', () => {
    const words = splitWords('b a b c a b d');
    const v = wordVocabulary(words, 3);
    expect(v.chars).toEqual([UNKNOWN, 'b', 'a']);
    expect(Array.from(encodeWords(words, v))).toEqual([1, 2, 1, 0, 2, 1, 0]);
    expect(decodeWords([1, 2, 0], v)).toBe(`b a ${UNKNOWN}`);
  });

  it('tokenizes Moby Dick: "the" is its most frequent word', () => {
    const words = splitWords(loadMobyDick());
    const v = wordVocabulary(words, 5000);
    expect(v.chars.length).toBe(5000);
    expect(v.chars.slice(1, 3)).toEqual([',', 'the']);
    const ids = encodeWords(words, v);
    const unknown = ids.filter((id) => id === 0).length / ids.length;
    // A 5,000-word vocabulary covers most of the book's running text.
    expect(unknown).toBeLessThan(0.1);
  });
});

describe('word-level language-model data', () => {
  it('loads Moby Dick as next-word windows', async () => {
    const { loadData } = await import('./load.js');
    const d = loadData('moby-dick', {
      contextLength: 16,
      tokens: 'words',
      maxVocabulary: 2000,
      limit: 10,
    });
    const x = d.x.tokens;
    const y = d.y.targets;
    expect(x?.shape).toEqual([10, 16]);
    // y is x shifted by one token
    expect(Array.from(y?.data.subarray(0, 15) ?? [])).toEqual(
      Array.from(x?.data.subarray(1, 16) ?? []),
    );
    expect(Math.max(...(x?.data ?? []))).toBeLessThan(2000);
  });
});
