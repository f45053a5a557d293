// Tensors as they cross threads: plain typed arrays with their shape and dtype. Every array here
// is a fresh copy, never a view of a backend's storage (the cpu backend hands out its own arrays,
// wasm's live in its heap), so it can be transferred or kept freely.
import { tf } from '../../tf.js';

export interface WireTensor {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export type WireRecord = Record<string, WireTensor>;

/**
 * `t`'s values in an array of its own. tfjs-backend-wasm's dataSync already returns a fresh copy
 * of its heap (4.22: `HEAPU8.slice`); the cpu backend's returns the tensor's own storage.
 */
export function ownedValues(t: tf.Tensor): Float32Array | Int32Array {
  const data = t.dataSync() as Float32Array | Int32Array;
  return tf.getBackend() === 'wasm' ? data : data.slice();
}

/** A copy of `t`'s values. */
export function toWire(t: tf.Tensor): WireTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32')
    throw new Error(`training threads exchange float32 and int32 tensors, got ${t.dtype}`);
  return { data: ownedValues(t), shape: [...t.shape], dtype: t.dtype };
}

export function fromWire(w: WireTensor): tf.Tensor {
  return tf.tensor(w.data, w.shape, w.dtype);
}

export const toWireRecord = (r: Record<string, tf.Tensor>): WireRecord =>
  Object.fromEntries(Object.entries(r).map(([k, t]) => [k, toWire(t)]));

export const fromWireRecord = (r: WireRecord): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(r).map(([k, w]) => [k, fromWire(w)]));

/** Samples [start, end) (the first axis) of each array: copies. */
export function sliceRecord(r: WireRecord, start: number, end: number): WireRecord {
  return Object.fromEntries(
    Object.entries(r).map(([k, w]) => {
      const row = w.shape.slice(1).reduce((a, b) => a * b, 1);
      const data = w.data.slice(start * row, end * row);
      return [k, { data, shape: [end - start, ...w.shape.slice(1)], dtype: w.dtype }];
    }),
  );
}

/** The underlying buffers, to transfer instead of copy. */
export const buffersOf = (r: WireRecord): ArrayBuffer[] =>
  Object.values(r).map((w) => w.data.buffer as ArrayBuffer);
