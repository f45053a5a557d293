import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { loadMnist, MNIST_LABELS } from './mnist.js';

// Reference values computed independently with NumPy from the same IDX files.
const TRAIN = {
  firstLabels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
  counts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  firstImageByteSum: 27525,
  byteSum: 1567298545,
  pixelsAtLeast128: 6221431,
  mean: 0.1306604762738429,
  std: 0.30810780385646264,
};
const TEST = {
  firstLabels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9],
  counts: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
  firstImageByteSum: 18454,
  byteSum: 264923200,
  pixelsAtLeast128: 1052359,
};

const counts = (labels: ArrayLike<number>) => {
  const c = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i] as number]++;
  return c;
};
/** Sum of the pixel bytes (x * 255, rounded back to integers). */
const byteSum = (x: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += Math.round((x[i] as number) * 255);
  return s;
};
/** Range, moments and counts of 0s and 1s, in one tight loop (47 million pixels). */
function pixelStats(x: Float32Array) {
  let [min, max, sum, squares, zeros, ones, bytes] = [1, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    else if (v === 1) ones++;
    sum += v;
    squares += v * v;
    bytes += Math.round(v * 255);
  }
  const mean = sum / x.length;
  return { min, max, mean, std: Math.sqrt(squares / x.length - mean * mean), zeros, ones, bytes };
}
const image = (d: Dataset) => d.x.image?.data ?? new Float32Array();
const label = (d: Dataset) => d.y.label?.data ?? new Int32Array();

describe('loadMnist', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(() => {
    train = loadMnist();
    test = loadMnist({ split: 'test' });
  });

  it('loads the training set: shapes, dtypes, labels', () => {
    expect(train.name).toBe('mnist');
    expect(train.size).toBe(60000);
    expect(train.x.image).toMatchObject({ dtype: 'float32', shape: [60000, 28, 28, 1] });
    expect(train.y.label).toMatchObject({ dtype: 'int32', shape: [60000] });
    expect(train.labels).toEqual(MNIST_LABELS);
    expect(Array.from(label(train).subarray(0, 10))).toEqual(TRAIN.firstLabels);
    expect(counts(label(train))).toEqual(TRAIN.counts);
  });

  it('scales pixels into [0, 1] exactly as bytes / 255', () => {
    const x = image(train) as Float32Array;
    const { min, max, mean, std, bytes } = pixelStats(x);
    expect([min, max]).toEqual([0, 1]);
    expect(byteSum(x, 0, 784)).toBe(TRAIN.firstImageByteSum);
    expect(bytes).toBe(TRAIN.byteSum);
    expect(mean).toBeCloseTo(TRAIN.mean, 6);
    expect(std).toBeCloseTo(TRAIN.std, 5);
  });

  it('loads the test set', () => {
    expect(test.name).toBe('mnist:test');
    expect(test.size).toBe(10000);
    expect(Array.from(label(test).subarray(0, 10))).toEqual(TEST.firstLabels);
    expect(counts(label(test))).toEqual(TEST.counts);
    expect(byteSum(image(test), 0, 784)).toBe(TEST.firstImageByteSum);
    expect(pixelStats(image(test) as Float32Array).bytes).toBe(TEST.byteSum);
  });

  it('binarizes at 0.5: pixel bytes >= 128 become 1, the rest 0', () => {
    const b = loadMnist({ split: 'test', binarize: true });
    const x = image(b) as Float32Array;
    const { ones, zeros } = pixelStats(x);
    expect(ones).toBe(TEST.pixelsAtLeast128);
    expect(zeros + ones).toBe(x.length);
    const plain = image(test);
    for (let i = 0; i < 784; i++) expect(x[i]).toBe((plain[i] as number) >= 0.5 ? 1 : 0);
  });

  it('keeps the first `limit` samples', () => {
    const d = loadMnist({ split: 'test', limit: 3 });
    expect(d.size).toBe(3);
    expect(d.x.image?.shape).toEqual([3, 28, 28, 1]);
    expect(Array.from(label(d))).toEqual([7, 2, 1]);
    expect(Array.from(image(d))).toEqual(Array.from(image(test).subarray(0, 3 * 784)));
    expect(loadMnist({ split: 'test', limit: 10 ** 6 }).size).toBe(10000);
    expect(() => loadMnist({ limit: -1 })).toThrow(
      'mnist: expected limit a non-negative integer, got -1',
    );
    expect(() => loadMnist({ split: 'val' as 'test' })).toThrow(
      'mnist: expected split "train" or "test", got "val"',
    );
  });
});

/** An IDX file: magic, dtype code, rank, big-endian dims, then `body`. */
function idxBytes(code: number, dims: number[], body: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out.set([0, 0, code, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

describe('loadMnist from a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-mnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, name), bytes);
  const pixels = Uint8Array.from({ length: 2 * 784 }, (_, i) => i % 256);

  it('reads gzip-compressed files', () => {
    write('t10k-images-idx3-ubyte.gz', gzipSync(idxBytes(0x08, [2, 28, 28], pixels)));
    write('t10k-labels-idx1-ubyte.gz', gzipSync(idxBytes(0x08, [2], [3, 9])));
    const d = loadMnist({ split: 'test', dir });
    expect(Array.from(label(d))).toEqual([3, 9]);
    expect(image(d)[255]).toBe(1);
    expect(image(d)[256]).toBe(0);
  });

  it('rejects labels out of range, label counts and image shapes that do not match', () => {
    write('train-images-idx3-ubyte', idxBytes(0x08, [2, 28, 28], pixels));
    write('train-labels-idx1-ubyte', idxBytes(0x08, [2], [3, 10]));
    const labels = join(dir, 'train-labels-idx1-ubyte');
    expect(() => loadMnist({ dir })).toThrow(
      `${labels} at byte 9: expected a label in 0..9, got 10 (sample 1)`,
    );
    write('train-labels-idx1-ubyte', idxBytes(0x08, [3], [1, 2, 3]));
    expect(() => loadMnist({ dir })).toThrow(
      `${labels} at byte 2: expected uint8 labels [2] (one per image), got uint8 [3]`,
    );
    write('train-images-idx3-ubyte', idxBytes(0x08, [2, 784], pixels));
    expect(() => loadMnist({ dir })).toThrow(
      'expected uint8 images [N, 28, 28], got uint8 [2, 784]',
    );
  });

  it('names a missing file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'netspec-mnist-empty-'));
    try {
      expect(() => loadMnist({ dir: empty })).toThrow(
        `${join(empty, 'train-images-idx3-ubyte')}: expected a file, got nothing there (no such file)`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
