// Unpack, SplitV and StridedSlice on wasm through heapSlice: tfjs-backend-wasm 4.22 builds each
// of them on its Slice, which copies the whole input per output (see slice.ts).
import { tf } from '../tf.js';
import { heapSlice, sliceKernel, type WasmBackend } from './slice.js';

type Args = Parameters<tf.KernelFunc>[0];

/** tf.unstack: one slice per index of `axis`, that axis dropped from each output's shape. */
export function unpackKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args: Args) => {
    const value = args.inputs.value as tf.TensorInfo;
    if (value.dtype === 'string') return original(args);
    const rank = value.shape.length;
    let { axis } = args.attrs as unknown as tf.UnpackAttrs;
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] as number }, (_, i) => {
      begin[axis] = i;
      return heapSlice(args.backend as WasmBackend, value, begin, size, outShape);
    });
  };
}

/** tf.split: consecutive slices along `axis`. */
export function splitVKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args: Args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[$axis] = s;
      const out = heapSlice(args.backend as WasmBackend, x, begin, size);
      begin[$axis] = (begin[$axis] as number) + s;
      return out;
    });
  };
}

/**
 * tf.stridedSlice. Plain boxes go through heapSlice; strided ones are gathered here too, which
 * also keeps their dtype (wasm 4.22's native path writes every strided slice as float32).
 */
export function stridedSliceKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (args: Args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    const a = args.attrs as unknown as tf.StridedSliceAttrs;
    const info = tf.slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    // An identity is a reshape, which costs nothing on wasm.
    if (info.isIdentity) return original(args);
    const backend = args.backend as WasmBackend;
    if (info.sliceDim0 || info.isSimpleSlice) {
      const size = tf.slice_util.computeOutShape(info.begin, info.end, info.strides);
      return heapSlice(backend, x, info.begin, size, info.finalShape);
    }
    // Per input axis (shrunk axes count 1): tfjs-backend-cpu 4.22 walks finalShapeSparse, which
    // drops shrunk axes, against the input's strides, and misreads strided slices that shrink.
    const size = tf.slice_util.computeOutShape(info.begin, info.end, info.strides);
    return gather(backend, x, size, info.begin, info.strides, info.finalShape);
  };
}

/** out[idx] = x[begin + idx * steps] over `boxShape` (x's rank), reshaped to outShape. */
function gather(
  backend: WasmBackend,
  x: tf.TensorInfo,
  boxShape: number[],
  begin: number[],
  steps: number[],
  outShape: number[],
): tf.TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  const total = tf.util.sizeFromShape(boxShape);
  if (total === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = boxShape.length;
  const strides = [...tf.util.computeStrides(x.shape), 1];
  const move = strides.map((s, i) => s * (steps[i] as number));
  let offset = 0;
  for (let i = 0; i < rank; i++) offset += (begin[i] as number) * (strides[i] as number);
  const index = new Array<number>(rank).fill(0);
  for (let n = 0; n < total; n++) {
    dst[n] = src[offset] as number;
    for (let i = rank - 1; i >= 0; i--) {
      offset += move[i] as number;
      if (++(index[i] as number) < (boxShape[i] as number)) break;
      index[i] = 0;
      offset -= (boxShape[i] as number) * (move[i] as number);
    }
  }
  return out;
}

/** The wasm kernels that heapSlice replaces, each wrapping the original (for strings). */
const HEAP_SLICE_KERNELS: readonly [string, (original: tf.KernelFunc) => tf.KernelFunc][] = [
  [tf.Slice, sliceKernel],
  [tf.Unpack, unpackKernel],
  [tf.SplitV, splitVKernel],
  [tf.StridedSlice, stridedSliceKernel],
];

const wrapped = new WeakSet<tf.KernelFunc>();
/** The wasm kernels registerHeapSlices wrapped, by name (for side-by-side benchmarks). */
const originals = new Map<string, tf.KernelConfig>();

/** Wraps wasm's slicing kernels (idempotent); returns the names wrapped by this call. */
export function registerHeapSlices(): string[] {
  const added: string[] = [];
  for (const [kernelName, wrap] of HEAP_SLICE_KERNELS) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (!existing || wrapped.has(existing.kernelFunc)) continue;
    const kernelFunc = wrap(existing.kernelFunc);
    wrapped.add(kernelFunc);
    originals.set(kernelName, existing);
    // Unregistered first: registering over a kernel logs a warning.
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...existing, kernelFunc });
    added.push(kernelName);
  }
  return added;
}

/** Puts wasm's own slicing kernels back (benchmarks: before and after in one process). */
export function unregisterHeapSlices(): void {
  for (const [kernelName, original] of originals) {
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(original);
  }
  originals.clear();
}
