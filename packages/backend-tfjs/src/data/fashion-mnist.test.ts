import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { FASHION_MNIST_LABELS, loadFashionMnist, loadFashionMnistSplits } from './fashion-mnist.js';
import { packageDir } from './files.js';

const image = (d: Dataset) => (d.x.image?.data ?? new Float32Array()) as Float32Array;
const label = (d: Dataset) => d.y.label?.data ?? new Int32Array();
const CLOTHES = join(packageDir('fashion-mnist'), 'src', 'clothes');

/** A class file's images as the package's own JSON.parse reading sees them, empty entries dropped. */
const packageImages = (c: number): number[][] =>
  (JSON.parse(readFileSync(join(CLOTHES, `${c}.json`), 'utf8')).data as number[][]).filter(
    (r) => r.length > 0,
  );

function meanStd(x: Float32Array) {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    sum += v;
    squares += v * v;
  }
  const mean = sum / x.length;
  return [mean, Math.sqrt(squares / x.length - mean * mean)];
}

describe('loadFashionMnist', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(() => {
    ({ train, test } = loadFashionMnistSplits());
  });

  it('splits 60k / 10k, stratified and interleaved by class', () => {
    expect(train).toMatchObject({
      name: 'fashion-mnist',
      size: 60000,
      labels: FASHION_MNIST_LABELS,
    });
    expect(test).toMatchObject({ name: 'fashion-mnist:test', size: 10000 });
    expect(train.x.image).toMatchObject({ dtype: 'float32', shape: [60000, 28, 28, 1] });
    expect(test.y.label).toMatchObject({ dtype: 'int32', shape: [10000] });
    expect(FASHION_MNIST_LABELS[9]).toBe('Ankle boot');
    // sample i has class i % 10
    expect(Array.from(label(train)).every((y, i) => y === i % 10)).toBe(true);
    expect(Array.from(label(test)).every((y, i) => y === i % 10)).toBe(true);
  });

  it('takes the first 6000 images of each class for train and the last 1000 for test', () => {
    const bag = packageImages(8);
    const bytes = (d: Dataset, i: number) =>
      Array.from(image(d).subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
    expect(bytes(train, 8)).toEqual(bag[0]); // class 8, train image 0
    expect(bytes(train, 10 * 5999 + 8)).toEqual(bag[5999]);
    expect(bytes(test, 8)).toEqual(bag[6000]);
    expect(bytes(test, 10 * 999 + 8)).toEqual(bag[6999]);
    // Class 0's package file holds empty entries at 1000 and 7001; they are skipped, not counted.
    const tshirts = packageImages(0);
    expect(tshirts.length).toBe(7000);
    expect(bytes(train, 10 * 1000)).toEqual(tshirts[1000]);
    expect(bytes(test, 10 * 999)).toEqual(tshirts[6999]);
  });

  it('scales pixels into [0, 1] (pixel statistics of both splits)', () => {
    const [trainMean, trainStd] = meanStd(image(train));
    const [testMean, testStd] = meanStd(image(test));
    expect(trainMean).toBeCloseTo(0.2860179, 6);
    expect(trainStd).toBeCloseTo(0.3528049, 6);
    expect(testMean).toBeCloseTo(0.2874293, 6);
    expect(testStd).toBeCloseTo(0.3540484, 6);
    expect(Math.min(...image(test).subarray(0, 784 * 10))).toBe(0);
  });

  it('binarizes and limits like MNIST', () => {
    const d = loadFashionMnist({ split: 'test', limit: 20, binarize: true });
    expect(d.size).toBe(20);
    expect(Array.from(label(d))).toEqual([...Array(20).keys()].map((i) => i % 10));
    const plain = image(test).subarray(0, 20 * 784);
    expect(Array.from(image(d))).toEqual(Array.from(plain, (v) => (v >= 0.5 ? 1 : 0)));
    expect(() => loadFashionMnist({ limit: 1.5 })).toThrow(
      'fashion-mnist: expected limit a non-negative integer',
    );
  });
});

describe('loadFashionMnist from a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-fashion-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and byte of a malformed class file', () => {
    writeFileSync(join(dir, '0.json'), '{"data": [[1, 2, 300]]}');
    expect(() => loadFashionMnist({ dir })).toThrow(
      `${join(dir, '0.json')} at byte 17: expected an integer pixel in 0..255, got "300"`,
    );
  });

  it('requires 7000 images per class', () => {
    const row = `[${new Array(784).fill(7).join(',')}]`;
    writeFileSync(join(dir, '0.json'), `{"data": [${row}, []]}`);
    expect(() => loadFashionMnist({ dir })).toThrow(
      `${join(dir, '0.json')}: expected 7000 images, got 1`,
    );
  });
});
