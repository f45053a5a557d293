import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer, TokenizerError } from './index.js';

// The Hugging Face docs' WordPiece example: with "un", "##aff" and "##able" in the vocabulary,
// "unaffable" is those three pieces (greedy longest match first).
function bertJson(vocab: string[]) {
  return {
    version: '1.0',
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', lowercase: true, clean_text: true, strip_accents: null },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'the', '.'];

describe('loadTokenizer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-tokenizer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a WordPiece tokenizer.json and splits as the HF docs say', async () => {
    const wp = await loadTokenizer(bertJson(VOCAB));
    expect(wp.kind).toBe('wordpiece');
    expect(wp.tokenize('Unaffable.')).toEqual(['un', '##aff', '##able', '.']);
    expect(wp.encode('the unaffable')).toEqual([7, 4, 5, 6]);
    expect(wp.tokenize('the unable affable')).toEqual(['the', 'un', '##able', '[UNK]']);
    expect(wp.decode([7, 4, 5, 6, 8])).toBe('the unaffable.');
    expect(wp.vocabularySize).toBe(9);
    expect(wp.special).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3 });
  });

  it('reads a file', async () => {
    const file = join(dir, 'tokenizer.json');
    writeFileSync(file, JSON.stringify(bertJson(VOCAB)));
    expect((await loadTokenizer(file)).encode('unaffable')).toEqual([4, 5, 6]);
  });

  it('loads a byte-level BPE tokenizer.json with merges in the old "a b" form', async () => {
    const json = {
      added_tokens: [],
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false },
      decoder: { type: 'ByteLevel' },
      model: {
        type: 'BPE',
        vocab: { h: 0, i: 1, Ġ: 2, hi: 3, Ġhi: 4 },
        merges: ['h i', 'Ġ hi'],
      },
    };
    const bpe = await loadTokenizer(json);
    expect(bpe.kind).toBe('bpe');
    expect(bpe.tokenize('hi hi')).toEqual(['hi', 'Ġhi']);
    expect(bpe.decode([3, 4, 4])).toBe('hi hi hi');
  });

  it('says where a bad tokenizer.json is wrong', async () => {
    const bad = (patch: (j: ReturnType<typeof bertJson>) => unknown) =>
      loadTokenizer(patch(bertJson(VOCAB)) as object);
    await expect(loadTokenizer([] as unknown as object)).rejects.toThrow(
      'tokenizer.json /: expected a tokenizer.json object, got an array',
    );
    await expect(bad((j) => ({ ...j, model: undefined }))).rejects.toThrow(
      'tokenizer.json /model: expected an object, got undefined',
    );
    await expect(bad((j) => ({ ...j, model: { ...j.model, type: 'Unigram' } }))).rejects.toThrow(
      'tokenizer.json /model/type: expected "BPE" or "WordPiece", got "Unigram"',
    );
    await expect(
      bad((j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, 'a/b': -1 } } })),
    ).rejects.toThrow('tokenizer.json /model/vocab/a~1b: expected a non-negative integer, got -1');
    await expect(bad((j) => ({ ...j, model: { ...j.model, unk_token: '<unk>' } }))).rejects.toThrow(
      'tokenizer.json /model/unk_token: expected a token of /model/vocab, got "<unk>"',
    );
    await expect(bad((j) => ({ ...j, added_tokens: [{ id: 'x' }] }))).rejects.toThrow(
      'tokenizer.json /added_tokens/0/id: expected a non-negative integer, got "x"',
    );
    await expect(bad((j) => ({ ...j, pre_tokenizer: { type: 'Nope' } }))).rejects.toThrow(
      'tokenizer.json: Unknown PreTokenizer type: Nope',
    );
    const merges = { type: 'BPE', vocab: { a: 0, b: 1 }, merges: [['a', 'c']] };
    await expect(loadTokenizer({ model: merges })).rejects.toThrow(
      'tokenizer.json /model/merges/0: expected tokens of /model/vocab, got "c"',
    );
    await expect(loadTokenizer({ model: { ...merges, merges: ['a b'] } })).rejects.toThrow(
      'tokenizer.json /model/merges/0: expected a merge whose result is in /model/vocab, got "ab"',
    );
  });

  it('names the file that cannot be read or parsed', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadTokenizer(missing)).rejects.toThrow(`${missing}: cannot read the file`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"model": ');
    await expect(loadTokenizer(broken)).rejects.toThrow(`${broken}: expected JSON`);
    writeFileSync(broken, '{"model": {"type": "BPE"}}');
    await expect(loadTokenizer(broken)).rejects.toThrow(
      `${broken} /model/vocab: expected an object of token -> id, got undefined`,
    );
    await expect(loadTokenizer(broken)).rejects.toBeInstanceOf(TokenizerError);
  });

  it('refuses ids it does not have when decoding', async () => {
    const wp = await loadTokenizer(bertJson(VOCAB));
    expect(wp.decode([])).toBe('');
    expect(() => wp.decode([4, 9])).toThrow('decode: ids[1]: expected a token id in [0, 9), got 9');
    expect(() => wp.decode([1.5])).toThrow(
      'decode: ids[0]: expected a token id in [0, 9), got 1.5',
    );
  });
});
