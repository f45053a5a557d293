import { describe, expect, it } from 'vitest';
import {
  charVocabulary,
  decodeChars,
  encodeChars,
  languageModelWindows,
  loadMobyDick,
  splitByPosition,
  textDatasets,
} from './text.js';

const rows = (a: { data: Int32Array | Float32Array; shape: number[] } | undefined) => {
  const [n = 0, t = 0] = a?.shape ?? [];
  return Array.from({ length: n }, (_, i) =>
    Array.from(a?.data.subarray(i * t, (i + 1) * t) ?? []),
  );
};

describe('Moby Dick', () => {
  const text = loadMobyDick();

  it('is the 135 chapters from the package files', () => {
    expect(text.length).toBe(1190317);
    expect(text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    expect(text.endsWith('it rolled five thousand years ago.\n')).toBe(true);
    expect(text.match(/^CHAPTER \d+\. /gm)?.length).toBe(135);
    expect(charVocabulary(text).chars.length).toBe(83);
  });

  it('windows a split by position with no shared text and one vocabulary', () => {
    const T = 64;
    const { train, validation, vocabulary } = textDatasets(text, 'moby-dick', { contextLength: T });
    const at = Math.floor(text.length * 0.9); // every character here is one UTF-16 unit
    expect(train.size).toBe(Math.floor((at - T - 1) / T) + 1);
    expect(validation.size).toBe(Math.floor((text.length - at - T - 1) / T) + 1);
    expect(train.x.tokens).toMatchObject({ dtype: 'int32', shape: [train.size, T] });
    expect(validation.y.targets).toMatchObject({ dtype: 'int32', shape: [validation.size, T] });
    expect(validation.name).toBe('moby-dick:validation');
    expect(train.labels).toEqual(vocabulary.chars);
    const firstValidation = rows(validation.x.tokens)[0] ?? [];
    expect(decodeChars(firstValidation, vocabulary)).toBe(text.slice(at, at + T));
    // The last training target is the character before the split point at the latest.
    const lastTrainWindow = train.size - 1;
    expect(lastTrainWindow * T + T + 1).toBeLessThanOrEqual(at);
    const lastTargets = rows(train.y.targets)[lastTrainWindow] ?? [];
    const start = lastTrainWindow * T + 1;
    expect(decodeChars(lastTargets, vocabulary)).toBe(text.slice(start, start + T));
  });
});

describe('character vocabulary', () => {
  it('sorts whole code points and round-trips text', () => {
    const v = charVocabulary('ba\u{1F40B}ab\n');
    expect(v.chars).toEqual(['\n', 'a', 'b', '\u{1F40B}']);
    const ids = encodeChars('ab\u{1F40B}\n', v);
    expect(Array.from(ids)).toEqual([1, 2, 3, 0]);
    expect(decodeChars(ids, v)).toBe('ab\u{1F40B}\n');
  });

  it('names the position of a character or id outside the vocabulary', () => {
    const v = charVocabulary('abc');
    expect(() => encodeChars('abxc', v)).toThrow(
      'text character 2: expected a character of the vocabulary (3), got "x"',
    );
    expect(() => decodeChars([0, 5], v)).toThrow('token 1: expected an id in [0, 3), got 5');
  });
});

describe('languageModelWindows', () => {
  const ids = Int32Array.from([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

  it('makes next-token targets, non-overlapping by default', () => {
    const d = languageModelWindows(ids, 3);
    expect(d.size).toBe(3);
    expect(rows(d.x.tokens)).toEqual([
      [10, 11, 12],
      [13, 14, 15],
      [16, 17, 18],
    ]);
    expect(rows(d.y.targets)).toEqual([
      [11, 12, 13],
      [14, 15, 16],
      [17, 18, 19],
    ]);
  });

  it('steps by stride and keeps only whole windows', () => {
    const d = languageModelWindows(ids, 4, { stride: 2 });
    expect(rows(d.x.tokens)).toEqual([
      [10, 11, 12, 13],
      [12, 13, 14, 15],
      [14, 15, 16, 17],
    ]);
    expect(rows(d.y.targets)[2]).toEqual([15, 16, 17, 18]);
    expect(languageModelWindows(ids, 9).size).toBe(1);
    expect(languageModelWindows(ids, 10).size).toBe(0);
    expect(languageModelWindows(ids, 10).x.tokens?.shape).toEqual([0, 10]);
  });

  it('rejects bad lengths', () => {
    expect(() => languageModelWindows(ids, 0)).toThrow(
      'contextLength: expected a positive integer, got 0',
    );
    expect(() => languageModelWindows(ids, 2, { stride: 1.5 })).toThrow(
      'stride: expected a positive integer, got 1.5',
    );
  });

  it('splits by position without overlap', () => {
    const { train, validation } = splitByPosition(ids, 0.3);
    expect(Array.from(train)).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(Array.from(validation)).toEqual([17, 18, 19]);
    expect(() => splitByPosition(ids, 1)).toThrow(
      'validation fraction: expected a number in (0, 1), got 1',
    );
  });
});
