import { tf } from '../tf.js';
import { asWasmBackend } from './matmul-wasm-heap.js';

/**
 * Wraps tfjs-backend-wasm 4.22's GatherV2 (`original`): gathering whole rows (axis 0, no batch
 * dims) of a float32/int32 tensor with int32 indices is a copy of each row over the heap. wasm's
 * kernel walks every element through generic strides: an embedding lookup of 1,024 rows of 128
 * took 2-5 ms of a small GPT's step. Out-of-range indices throw wasm's own error; other gathers
 * go to the original.
 */
export function rowGather(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    const backend = asWasmBackend(args.backend as tf.KernelBackend);
    const fits =
      backend !== undefined &&
      x.shape.length > 0 &&
      tf.util.parseAxisParam(axis, x.shape)[0] === 0 &&
      (batchDims ?? 0) === 0 &&
      (x.dtype === 'float32' || x.dtype === 'int32') &&
      indices.dtype === 'int32';
    if (!fits) return original(args);
    const rows = x.shape[0] as number;
    const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    for (const k of idx)
      if (k < 0 || k >= rows)
        throw new Error(`GatherV2: the index value ${k} is not in [0, ${rows - 1}]`);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views after makeOutput: an allocation may grow the heap and detach older ones.
    const at = backend.typedArrayFromHeap(indices) as Int32Array;
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    if (rowSize < 16) {
      for (let i = 0; i < at.length; i++) {
        const from = (at[i] as number) * rowSize;
        for (let j = 0; j < rowSize; j++) dst[i * rowSize + j] = src[from + j] as number;
      }
    } else {
      for (let i = 0; i < at.length; i++) {
        const from = (at[i] as number) * rowSize;
        dst.set(src.subarray(from, from + rowSize), i * rowSize);
      }
    }
    return out;
  };
}
