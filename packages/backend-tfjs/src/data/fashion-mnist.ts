import { join } from 'node:path';
import { type Dataset, dataArray, makeDataset } from './dataset.js';
import { DataError } from './errors.js';
import { packageDir, readBytes } from './files.js';
import { type ImageOptions, limitSamples } from './mnist.js';
import { readPixelRows } from './pixel-json.js';

// Fashion-MNIST from the fashion-mnist package: src/clothes/<class>.json holds {"data": [...]},
// one 784-number array (bytes 0..255, row-major 28x28) per image, 7000 images per class and no
// official split. The package's class 0 file also holds two empty arrays (at 1000 and 7001); empty
// arrays are skipped, anything else that is not 784 bytes is an error.
//
// Split (reproducible, stratified): per class, the first 6000 images in the package's order are
// train and the last 1000 are test. Samples are interleaved by class, train[10 * i + c] being the
// i-th train image of class c (test likewise), so any prefix (limit, validation split) is balanced.

export type FashionMnistSplit = 'train' | 'test';

export interface FashionMnistOptions extends ImageOptions {
  split?: FashionMnistSplit;
  /** A directory holding 0.json .. 9.json; default: the fashion-mnist package's src/clothes. */
  dir?: string;
}

export const FASHION_MNIST_LABELS = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const CLASSES = 10;
const PER_CLASS = 7000;
const TRAIN_PER_CLASS = 6000;
const PIXELS = 28 * 28;

/** Fashion-MNIST as float32 [N, 28, 28, 1] in [0, 1] (x.image) and int32 [N] (y.label). */
export function loadFashionMnist(options: FashionMnistOptions = {}): Dataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    const got = JSON.stringify(split);
    throw new DataError(`fashion-mnist: expected split "train" or "test", got ${got}`);
  }
  limitSamples(0, options.limit, 'fashion-mnist'); // a bad limit fails before 150 MB are read
  return build(split, readClasses(options.dir), options);
}

/** Both splits from one reading of the files (they are 150 MB of JSON). */
export function loadFashionMnistSplits(
  options: Omit<FashionMnistOptions, 'split'> = {},
): Record<FashionMnistSplit, Dataset> {
  limitSamples(0, options.limit, 'fashion-mnist');
  const classes = readClasses(options.dir);
  return { train: build('train', classes, options), test: build('test', classes, options) };
}

/** Each class's pixels, 7000 x 784 bytes. */
function readClasses(dir = join(packageDir('fashion-mnist'), 'src', 'clothes')): Uint8Array[] {
  return Array.from({ length: CLASSES }, (_, c) => readClassFile(join(dir, `${c}.json`)));
}

function build(split: FashionMnistSplit, classes: Uint8Array[], options: ImageOptions): Dataset {
  const perClass = split === 'train' ? TRAIN_PER_CLASS : PER_CLASS - TRAIN_PER_CLASS;
  const first = split === 'train' ? 0 : TRAIN_PER_CLASS;
  const n = limitSamples(perClass * CLASSES, options.limit, 'fashion-mnist');
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  classes.forEach((pixels, c) => {
    for (let i = 0; CLASSES * i + c < n; i++) {
      const at = CLASSES * i + c;
      const row = (first + i) * PIXELS;
      fillPixels(x, at * PIXELS, pixels.subarray(row, row + PIXELS), options.binarize ?? false);
      y[at] = c;
    }
  });
  return makeDataset(
    split === 'train' ? 'fashion-mnist' : 'fashion-mnist:test',
    { image: dataArray(x, [n, 28, 28, 1]) },
    { label: dataArray(y, [n]) },
    FASHION_MNIST_LABELS,
  );
}

function fillPixels(x: Float32Array, at: number, row: Uint8Array, binarize: boolean): void {
  for (let j = 0; j < PIXELS; j++) {
    const p = row[j] as number;
    // Same convention as MNIST: threshold 0.5, p / 255 >= 0.5 exactly when p >= 128.
    x[at + j] = binarize ? (p >= 128 ? 1 : 0) : p / 255;
  }
}

/** One class file's images, checked: 7000 arrays of 784 integers in 0..255 (empty ones skipped). */
export function readClassFile(file: string): Uint8Array {
  const { pixels, rows } = readPixelRows(
    readBytes(file, 64 * 1024 * 1024),
    file,
    PIXELS,
    PER_CLASS,
  );
  if (rows !== PER_CLASS) {
    throw new DataError(`expected ${PER_CLASS} images, got ${rows}`, { file });
  }
  return pixels;
}
