// The spam examples' data: SpamAssassin messages as fixed-length WordPiece ids, the vocabulary
// learned on the training messages used (the test messages never shape it).
import {
  type Dataset,
  dataArray,
  loadSpam,
  makeDataset,
  Rng,
  type SpamData,
} from '@netspec/backend-tfjs';
import { trainTokenizer } from '../tokenizers/index.js';

/** Enough of a message for its first few hundred tokens: tokenizing whole mails is slow. */
const HEAD_CHARS = 3000;

export interface SpamTokens {
  train: Dataset;
  test: Dataset;
  vocabularySize: number;
  /** The test split's labels (1 = spam), for F1. */
  testLabels: Int32Array;
}

export interface SpamTokenOptions {
  sequenceLength: number;
  vocabularySize: number;
  /** Where padding goes: 'post' for attention with a padding mask, 'pre' for an LSTM's last state. */
  padding: 'pre' | 'post';
  /** Use only n training messages, a seeded draw keeping both classes (default all). */
  trainLimit?: number;
  /** Use only n test messages, drawn the same way (default all). */
  testLimit?: number;
}

/**
 * BERT's inputs, int32 (N, T): `input_ids`, `token_type_ids` (all 0: one segment) and
 * `attention_mask` (1 on real tokens); target `label` (1 = spam).
 */
export function spamTokens(options: SpamTokenOptions): SpamTokens {
  const { sequenceLength: T, padding } = options;
  const train = pick(loadSpam({ split: 'train' }), options.trainLimit);
  const test = pick(loadSpam({ split: 'test' }), options.testLimit);
  const trainTexts = train.texts.map((t) => t.slice(0, HEAD_CHARS));
  const tokenizer = trainTokenizer('wordpiece', trainTexts, {
    vocabularySize: options.vocabularySize,
  });
  const sep = tokenizer.special.sep ?? 0;
  const pad = tokenizer.special.pad ?? 0;
  const encode = (texts: string[], labels: Int32Array, name: string) => {
    const n = texts.length;
    const ids = new Int32Array(n * T).fill(pad);
    const mask = new Int32Array(n * T);
    texts.forEach((text, i) => {
      // [CLS] tokens ... [SEP], cut to T with [SEP] kept last
      let row = tokenizer.encode(text.slice(0, HEAD_CHARS));
      if (row.length > T) row = [...row.slice(0, T - 1), sep];
      const at = i * T + (padding === 'pre' ? T - row.length : 0);
      ids.set(row, at);
      mask.fill(1, at, at + row.length);
    });
    return makeDataset(
      name,
      {
        input_ids: dataArray(ids, [n, T]),
        token_type_ids: dataArray(new Int32Array(n * T), [n, T]),
        attention_mask: dataArray(mask, [n, T]),
      },
      { label: dataArray(labels, [n]) },
      ['ham', 'spam'],
    );
  };
  return {
    train: encode(trainTexts, train.labels, 'spam train'),
    test: encode(test.texts, test.labels, 'spam test'),
    vocabularySize: tokenizer.vocabularySize,
    testLabels: test.labels,
  };
}

/** `limit` messages drawn with seed 1, in corpus order (both classes: the corpus is grouped). */
function pick(data: SpamData, limit?: number): SpamData {
  if (!limit || limit >= data.texts.length) return data;
  const chosen = [...new Rng(1).permutation(data.texts.length).subarray(0, limit)].sort(
    (a, b) => a - b,
  );
  return {
    texts: chosen.map((i) => data.texts[i] as string),
    labels: Int32Array.from(chosen, (i) => data.labels[i] as number),
    groups: chosen.map((i) => data.groups[i] as string),
  };
}

/** The dataset with its token ids alone, under `inputName` (models that read ids alone). */
export function idsOnly(ds: Dataset, inputName: string): Dataset {
  const ids = ds.x.input_ids;
  if (!ids) throw new Error(`data set "${ds.name}": expected input_ids`);
  return makeDataset(ds.name, { [inputName]: ids }, ds.y, ds.labels);
}
