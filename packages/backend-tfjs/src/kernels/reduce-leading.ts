import { tf } from '../tf.js';
import { asWasmBackend, type MatMulWasmBackend } from './matmul-wasm-heap.js';

const product = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);

/**
 * Column sums of x seen as (rows, cols), accumulated in double precision, written as float32 to
 * `out` (divided by `rows` for a mean). Reads the heap directly: one pass, no transpose.
 */
function columnSums(
  backend: MatMulWasmBackend,
  x: tf.TensorInfo,
  out: tf.TensorInfo,
  rows: number,
  cols: number,
  mean: boolean,
): void {
  const acc = new Float64Array(cols);
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) acc[j] = (acc[j] as number) + (src[row + j] as number);
  }
  // After the loop: makeOutput may have grown the heap, so the view is taken here.
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  for (let j = 0; j < cols; j++) dst[j] = mean ? (acc[j] as number) / rows : (acc[j] as number);
}

/**
 * tfjs-backend-wasm 4.22's Sum and Mean reduce only innermost axes natively: any other axis is
 * first transposed innermost, and that transpose dominates (sum over axis 0 of a 1024x512 dense
 * gradient: 3.7 ms; this loop: about 1 ms). Every bias gradient sums over the leading (batch)
 * axes, as do batch-norm statistics. This wraps the `original` kernel: a float32 reduction over
 * leading axes 0..r-1 is one pass of column sums over the heap; others go to the original.
 */
export function leadingReduction(original: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const r = axes.length;
    const leading = r > 0 && r < x.shape.length && axes.every((a, i) => a === i);
    const backend = asWasmBackend(args.backend as tf.KernelBackend);
    const rows = product(x.shape.slice(0, r));
    // One row has nothing to add up (the original is a copy then).
    if (!backend || !leading || x.dtype !== 'float32' || rows < 2) return original(args);
    const rest = x.shape.slice(r);
    const out = backend.makeOutput(
      keepDims ? [...new Array<number>(r).fill(1), ...rest] : rest,
      'float32',
    );
    columnSums(backend, x, out, rows, product(rest), mean);
    return out;
  };
}
