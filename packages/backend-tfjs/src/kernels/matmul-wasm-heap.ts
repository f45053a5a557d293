import type { tf } from '../tf.js';

/**
 * The parts of tfjs-backend-wasm 4.22's BackendWasm that the matmul kernels reach into, typed
 * structurally so that importing this file does not load the wasm package. Every tensor lives in
 * the module's heap at `memoryOffset`; the C++ side knows it by `id`, registered with
 * `tfjs.registerTensor(id, size, offset)`. Registering an id at an offset inside another tensor
 * gives the C++ kernels a view of part of it without a copy.
 */
export interface WasmModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  /** The native BatchMatMul: (aId, aShape*, aRank, bId, bShape*, bRank, transA, transB, outId). */
  _BatchMatMul(
    aId: number,
    aShape: number,
    aRank: number,
    bId: number,
    bShape: number,
    bRank: number,
    transposeA: number,
    transposeB: number,
    outId: number,
  ): void;
  tfjs: {
    registerTensor(id: number, size: number, offset: number): void;
    /** Forgets the id and runs its disposal callbacks (cached XNNPACK operators); frees nothing. */
    disposeData(id: number): void;
  };
}

export interface MatMulWasmBackend extends tf.KernelBackend {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[] } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of the tensor's bytes on the heap (no copy); detached when the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The backend as a wasm backend when it is one (it has the heap and the id map), else undefined. */
export function asWasmBackend(backend: tf.KernelBackend): MatMulWasmBackend | undefined {
  const b = backend as Partial<MatMulWasmBackend>;
  return b.wasm && b.dataIdMap && typeof b.wasm._BatchMatMul === 'function'
    ? (backend as MatMulWasmBackend)
    : undefined;
}

/** Byte offset of a tensor's data in the wasm heap. */
export const heapOffset = (backend: MatMulWasmBackend, t: tf.TensorInfo): number =>
  backend.dataIdMap.get(t.dataId).memoryOffset;

/**
 * A native id for `size` floats at byte `offset` of the heap. The id comes from the backend's own
 * counter, so it never collides with a tensor's; release it with `releaseView`.
 */
export function registerView(backend: MatMulWasmBackend, offset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}

/** Forgets a view's id; the memory belongs to the tensor it views. */
export const releaseView = (backend: MatMulWasmBackend, id: number): void =>
  backend.wasm.tfjs.disposeData(id);

const scratch = new WeakMap<WasmModule, number>();

/**
 * Writes int32 values to a small per-module scratch area of the heap (allocated once, 64 bytes)
 * and returns its byte offset: native kernels take shapes as pointers.
 */
export function writeInts(module: WasmModule, values: readonly number[]): number {
  if (values.length > 16) throw new Error('writeInts: at most 16 values');
  let at = scratch.get(module);
  if (at === undefined) {
    at = module._malloc(64) >>> 0;
    scratch.set(module, at);
  }
  // A fresh view each time: growing the heap detaches older ones.
  new Int32Array(module.HEAPU8.buffer, at, values.length).set(values);
  return at;
}
