// Float32 values in and out of tfjs without allocating per step. Each step moves every weight
// and gradient between threads; fresh arrays for them (dataSync copies on wasm) cost V8 a full
// garbage collection every other step on the small GPT. On wasm the values are read straight from
// its heap and written from any array (its `write` copies into the heap); on other engines
// through dataSync and copies.
import { tf } from '../../tf.js';

interface WasmBackend {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

function wasmBackend(): WasmBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as Partial<WasmBackend>;
  return b.wasm && b.dataIdMap ? (b as WasmBackend) : undefined;
}

/**
 * `t`'s float32 values: on wasm a view of its heap, valid only until tfjs allocates again (the
 * heap may grow and move), so read it at once; elsewhere the tensor's data.
 */
export function float32Values(t: tf.Tensor): Float32Array {
  const wasm = wasmBackend();
  if (!wasm) return t.dataSync() as Float32Array;
  const start = wasm.dataIdMap.get(t.dataId).memoryOffset / 4;
  return wasm.wasm.HEAPF32.subarray(start, start + t.size);
}

/** A float32 tensor of `values` that never aliases them (the cpu engine keeps what it is given). */
export function float32Tensor(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(wasmBackend() ? values : values.slice(), shape, 'float32');
}
