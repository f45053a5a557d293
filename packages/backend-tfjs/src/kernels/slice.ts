import { tf } from '../tf.js';

/** The parts of tfjs-backend-wasm 4.22's BackendWasm that kernels written in JS use. */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of the tensor's bytes on the wasm heap (no copy). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * Copies the box `begin`..`begin + size` of x into a new tensor of shape `outShape` (size's
 * element count), reading only those bytes through a view of the wasm heap. tfjs-backend-wasm
 * 4.22's own Slice first reads the whole input with readSync (a copy of every byte of x), so
 * unstacking T steps copied T whole sequences; its Unpack, SplitV and StridedSlice call it too.
 */
export function heapSlice(
  backend: WasmBackend,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
  outShape: number[] = size,
): tf.TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  // Views after makeOutput: an allocation may grow the heap and detach older views.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return out;
  }
  const strides = [...tf.util.computeStrides(x.shape), 1]; // one per axis
  // Axes after k that the box spans whole join axis k's rows into one contiguous run.
  let k = rank - 1;
  while (k > 0 && size[k] === x.shape[k] && begin[k] === 0) k--;
  const runLength = (size[k] as number) * (strides[k] as number);
  let offset = 0;
  for (let i = 0; i < rank; i++) offset += (begin[i] as number) * (strides[i] as number);
  // Odometer over axes 0..k-1, one run each.
  const index = new Array<number>(k).fill(0);
  const runs = total / runLength;
  for (let n = 0, at = 0; n < runs; n++, at += runLength) {
    copy(src, dst, offset, at, runLength);
    for (let a = k - 1; a >= 0; a--) {
      offset += strides[a] as number;
      if (++(index[a] as number) < (size[a] as number)) break;
      index[a] = 0;
      offset -= (size[a] as number) * (strides[a] as number);
    }
  }
  return out;
}

type Src = ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
type Dst = { set(a: ArrayLike<number>, at: number): void; [i: number]: number };

function copy(src: Src, dst: Dst, from: number, to: number, n: number): void {
  // A subarray is an object allocation: short runs are cheaper element by element.
  if (n >= 16) dst.set(src.subarray(from, from + n), to);
  else for (let i = 0; i < n; i++) dst[to + i] = src[from + i] as number;
}

/** tfjs's Slice on wasm without the whole-input copy; strings go to the original kernel. */
export function sliceKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    return heapSlice(args.backend as WasmBackend, x, b as number[], s as number[]);
  };
}
