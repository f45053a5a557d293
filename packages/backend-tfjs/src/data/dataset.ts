import { Rng } from '../random.js';
import { DataError } from './errors.js';

// Engine-free: plain typed arrays, so the CLI and other backends can use data sets without tfjs.

export type DataDtype = 'float32' | 'int32';

/** A dense array in C order; `shape` includes the sample axis first. */
export interface DataArray {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: DataDtype;
}

/** Named arrays that share their first (sample) axis. */
export interface Dataset {
  /** Model inputs by name; a model with one input takes the one array whatever its name. */
  x: Record<string, DataArray>;
  /** Targets by name (empty for unsupervised data). */
  y: Record<string, DataArray>;
  /** Number of samples: the first dimension of every array. */
  size: number;
  name: string;
  /** Class names, indexed by class id (label value or token id). */
  labels?: string[];
}

/** One fold of k-fold cross-validation: sorted sample indices. */
export interface Fold {
  train: Int32Array;
  validation: Int32Array;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const describe = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** A DataArray, checked: the shape must hold exactly `data.length` elements. */
export function dataArray(data: Float32Array | Int32Array, shape: readonly number[]): DataArray {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new DataError(`expected a shape of non-negative integers, got ${describe(shape)}`);
  }
  if (shape.length === 0) throw new DataError('expected a sample axis, got a scalar shape []');
  if (product(shape) !== data.length) {
    const what = `shape ${describe(shape)} holds ${product(shape)} elements`;
    throw new DataError(`${what}, got ${data.length}`);
  }
  const dtype = data instanceof Float32Array ? 'float32' : 'int32';
  return { data, shape: [...shape], dtype };
}

/** A Dataset whose arrays are checked to share their sample count. */
export function makeDataset(
  name: string,
  x: Record<string, DataArray>,
  y: Record<string, DataArray> = {},
  labels?: string[],
): Dataset {
  const arrays: [string, DataArray][] = Object.entries(x).map(([k, a]) => [`x.${k}`, a]);
  arrays.push(...Object.entries(y).map(([k, a]): [string, DataArray] => [`y.${k}`, a]));
  const first = arrays[0];
  if (first === undefined) throw new DataError(`data set "${name}": expected arrays, got none`);
  const size = first[1].shape[0] ?? 0;
  for (const [key, a] of arrays) {
    if (a.shape[0] !== size) {
      const what = `expected ${size} samples (as ${first[0]} has), got ${a.shape[0]}`;
      throw new DataError(`data set "${name}", ${key}: ${what}`);
    }
  }
  return labels === undefined ? { x, y, size, name } : { x, y, size, name, labels };
}

function mapArrays(ds: Dataset, f: (a: DataArray) => DataArray, size: number): Dataset {
  const map = (r: Record<string, DataArray>) =>
    Object.fromEntries(Object.entries(r).map(([k, a]) => [k, f(a)]));
  const out: Dataset = { x: map(ds.x), y: map(ds.y), size, name: ds.name };
  if (ds.labels !== undefined) out.labels = ds.labels;
  return out;
}

const rowSize = (a: DataArray) => product(a.shape.slice(1));

/** Samples start..end-1 as views (no copy); indices as Array.prototype.slice reads them. */
export function slice(ds: Dataset, start = 0, end = ds.size): Dataset {
  const clamp = (i: number) => (i < 0 ? Math.max(0, ds.size + i) : Math.min(i, ds.size));
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new DataError(`slice: expected integer bounds, got ${start} and ${end}`);
  }
  const s = clamp(start);
  const n = Math.max(0, clamp(end) - s);
  return mapArrays(
    ds,
    (a) => {
      const row = rowSize(a);
      return {
        ...a,
        data: a.data.subarray(s * row, (s + n) * row),
        shape: [n, ...a.shape.slice(1)],
      };
    },
    n,
  );
}

/** The samples at `indices`, in that order (a copy; indices may repeat). */
export function take(ds: Dataset, indices: ArrayLike<number>): Dataset {
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    if (!Number.isInteger(j) || j < 0 || j >= ds.size) {
      throw new DataError(`take: expected indices in [0, ${ds.size}), got ${j} at position ${i}`);
    }
  }
  return mapArrays(ds, (a) => gather(a, indices), indices.length);
}

function gather(a: DataArray, indices: ArrayLike<number>): DataArray {
  const row = rowSize(a);
  const n = indices.length * row;
  const out = a.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    out.set(a.data.subarray(j * row, (j + 1) * row), i * row);
  }
  return { ...a, data: out, shape: [indices.length, ...a.shape.slice(1)] };
}

/**
 * The last `fraction` of the samples as validation, the rest as training, in order and without
 * shuffling, like Keras's validationSplit (train takes floor(size * (1 - fraction)) samples).
 */
export function split(ds: Dataset, fraction: number): { train: Dataset; validation: Dataset } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DataError(`validation split: expected a fraction in (0, 1), got ${fraction}`);
  }
  const at = Math.floor(ds.size * (1 - fraction));
  if (at === 0 || at === ds.size) {
    const got = `${at} training and ${ds.size - at} validation samples (${fraction} of ${ds.size})`;
    throw new DataError(`validation split: expected both parts non-empty, got ${got}`);
  }
  return { train: slice(ds, 0, at), validation: slice(ds, at, ds.size) };
}

/**
 * k folds over `size` samples: fold i validates on the i-th of k contiguous chunks (the first
 * size % k chunks one larger, as scikit-learn does). With a seed the samples are shuffled first.
 */
export function kFold(size: number, k: number, seed?: number): Fold[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new DataError(`k-fold: expected a non-negative integer size, got ${size}`);
  }
  if (!Number.isInteger(k) || k < 2 || k > size) {
    throw new DataError(`k-fold: expected k an integer in [2, ${size}], got ${k}`);
  }
  const order =
    seed === undefined ? Int32Array.from({ length: size }, (_, i) => i) : shuffled(size, seed);
  const folds: Fold[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const n = Math.floor(size / k) + (i < size % k ? 1 : 0);
    const inFold = new Uint8Array(size);
    for (const j of order.subarray(start, start + n)) inFold[j] = 1;
    folds.push(foldFromMask(inFold, n));
    start += n;
  }
  return folds;
}

const shuffled = (size: number, seed: number) => new Rng(seed).permutation(size);

function foldFromMask(inFold: Uint8Array, n: number): Fold {
  const validation = new Int32Array(n);
  const train = new Int32Array(inFold.length - n);
  let v = 0;
  let t = 0;
  for (let j = 0; j < inFold.length; j++) {
    if (inFold[j]) validation[v++] = j;
    else train[t++] = j;
  }
  return { train, validation };
}
