import type { tf } from '../tf.js';
import { asWasmBackend, type MatMulWasmBackend } from './matmul-wasm-heap.js';

/** Rows of one source matrix taken at a time: their cache lines stay hot across the columns. */
const ROW_BLOCK = 32;

/**
 * Matrices from this many elements, and at least as tall as wide, take the JS path: wasm's
 * Transpose runs ~7 ns per element on a 1024x512 float32 matrix (3.2 ms, larger than the caches),
 * this row-blocked loop over the heap 0.9 ms; on small or wide ones (attention's 64x32 heads,
 * 128x1024) wasm's is as fast or faster.
 */
const MIN_ELEMENTS = 1 << 16;

/** perm swaps the last two axes and keeps the others in place. */
function swapsLastTwo(perm: readonly number[]): boolean {
  const n = perm.length;
  if (n < 2 || perm[n - 2] !== n - 1 || perm[n - 1] !== n - 2) return false;
  return perm.slice(0, -2).every((p, i) => p === i);
}

/** Transposes each (rows, cols) matrix of x into out, row block by row block. */
function transposeMatrices(
  backend: MatMulWasmBackend,
  x: tf.TensorInfo,
  out: tf.TensorInfo,
  batches: number,
  rows: number,
  cols: number,
): void {
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const size = rows * cols;
  for (let b = 0; b < batches; b++) {
    const base = b * size;
    for (let i0 = 0; i0 < rows; i0 += ROW_BLOCK) {
      const i1 = Math.min(i0 + ROW_BLOCK, rows);
      for (let j = 0; j < cols; j++) {
        const d = base + j * rows;
        for (let i = i0; i < i1; i++) dst[d + i] = src[base + i * cols + j] as number;
      }
    }
  }
}

/**
 * Wraps tfjs-backend-wasm 4.22's Transpose (`original`): swapping the last two axes of large,
 * tall float32/int32 matrices (the x^T of every dense weight gradient) runs as a blocked copy over
 * the heap; every other permutation goes to the original.
 */
export function tallTranspose(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as { perm: number[] };
    const backend = asWasmBackend(args.backend as tf.KernelBackend);
    const n = x.shape.length;
    const [rows, cols] = [x.shape[n - 2] as number, x.shape[n - 1] as number];
    const fits =
      backend !== undefined &&
      (x.dtype === 'float32' || x.dtype === 'int32') &&
      swapsLastTwo(perm) &&
      rows >= cols &&
      rows * cols >= MIN_ELEMENTS;
    if (!fits) return original(args);
    const outShape = perm.map((p) => x.shape[p] as number);
    const out = backend.makeOutput(outShape, x.dtype);
    const batches = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    transposeMatrices(backend, x, out, batches, rows, cols);
    return out;
  };
}
