import type { DataArray } from '../data/dataset.js';
import { DataError } from '../data/errors.js';
import { tf } from '../tf.js';

/** A named array of samples (the first axis), as data sets and files provide them. */
export type ArrayData = DataArray;

/** Inputs and targets by name, `size` samples each. */
export interface Examples {
  x: Record<string, ArrayData>;
  y: Record<string, ArrayData>;
  size: number;
}

/** A batch as tensors, by the model's input and output names. */
export interface Batch {
  x: Record<string, tf.Tensor>;
  y: Record<string, tf.Tensor>;
  size: number;
}

/** Rows `indices` of `a` as a tensor. */
export function gatherRows(a: ArrayData, indices: ArrayLike<number>): tf.Tensor {
  const row = a.shape.slice(1).reduce((p, d) => p * d, 1);
  const out =
    a.dtype === 'int32'
      ? new Int32Array(indices.length * row)
      : new Float32Array(indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    out.set(a.data.subarray(r * row, (r + 1) * row), i * row);
  }
  return tf.tensor(out, [indices.length, ...a.shape.slice(1)], a.dtype);
}

/** The rows `indices` of every array, as tensors. */
export function makeBatch(examples: Examples, indices: ArrayLike<number>): Batch {
  const rows = (r: Record<string, ArrayData>) =>
    Object.fromEntries(Object.entries(r).map(([k, a]) => [k, gatherRows(a, indices)]));
  return { x: rows(examples.x), y: rows(examples.y), size: indices.length };
}

export function disposeBatch(b: Batch): void {
  tf.dispose([...Object.values(b.x), ...Object.values(b.y)]);
}

/** Samples [start, end) of every array (views, no copy). */
export function sliceExamples(e: Examples, start: number, end: number): Examples {
  const cut = (r: Record<string, ArrayData>) =>
    Object.fromEntries(
      Object.entries(r).map(([k, a]) => {
        const row = a.shape.slice(1).reduce((p, d) => p * d, 1);
        const data = a.data.subarray(start * row, end * row) as ArrayData['data'];
        return [k, { ...a, data, shape: [end - start, ...a.shape.slice(1)] }];
      }),
    );
  return { x: cut(e.x), y: cut(e.y), size: end - start };
}

/**
 * Names data arrays after the model's tensors: a lone array pairs with a lone tensor, otherwise
 * names must match. Throws with both name lists when they cannot be paired.
 */
export function pairByName(
  arrays: Record<string, ArrayData>,
  names: string[],
  what: 'inputs' | 'targets',
): Record<string, ArrayData> {
  const keys = Object.keys(arrays);
  if (keys.length === 1 && names.length === 1)
    return { [names[0] as string]: arrays[keys[0] as string] as ArrayData };
  const missing = names.filter((n) => !(n in arrays));
  if (missing.length)
    throw new DataError(
      `the data has ${what} ${keys.join(', ') || '(none)'}; the model needs ${names.join(', ')} (missing ${missing.join(', ')})`,
    );
  return Object.fromEntries(names.map((n) => [n, arrays[n] as ArrayData]));
}

const shapeText = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'any').join(', ')}]`;

/**
 * Checks each input array against the model's input before anything runs: the per-sample shape
 * (free dimensions match any size) and the dtype (int32 ids, float32 values).
 */
export function checkInputs(
  arrays: Record<string, ArrayData>,
  inputs: { name: string; shape: (number | null)[]; dtype: string }[],
): void {
  for (const input of inputs) {
    const a = arrays[input.name];
    if (!a) continue;
    const sample = a.shape.slice(1);
    const fits =
      sample.length === input.shape.length &&
      input.shape.every((d, i) => d === null || d === sample[i]);
    if (!fits)
      throw new DataError(
        `input "${input.name}": expected samples of shape ${shapeText(input.shape)}, got ${shapeText(sample)} (data shape ${shapeText(a.shape)})`,
      );
    if (a.dtype !== input.dtype)
      throw new DataError(`input "${input.name}": expected ${input.dtype} data, got ${a.dtype}`);
  }
}
