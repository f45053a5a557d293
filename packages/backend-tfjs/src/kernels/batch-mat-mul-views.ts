import type { tf } from '../tf.js';
import {
  heapOffset,
  type MatMulWasmBackend,
  registerView,
  releaseView,
  writeInts,
} from './matmul-wasm-heap.js';

const product = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);

/**
 * For each flat index of the broadcast batch shape `outer`, the flat index into an operand whose
 * batch shape is `dims` (right-aligned, size-1 axes repeat), as numpy broadcasting reads it.
 */
export function broadcastIndices(dims: readonly number[], outer: readonly number[]): number[] {
  const padded = [...new Array<number>(outer.length - dims.length).fill(1), ...dims];
  const strides = padded.map((_, i) => product(padded.slice(i + 1)));
  const indices: number[] = [];
  for (let flat = 0; flat < product(outer); flat++) {
    let rest = flat;
    let index = 0;
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      const size = outer[axis] as number;
      const coord = rest % size;
      rest = (rest - coord) / size;
      if ((padded[axis] as number) !== 1) index += coord * (strides[axis] as number);
    }
    indices.push(index);
  }
  return indices;
}

/**
 * a (...A, M, K) times b (...B, K, P), both plain layout, as one 2-D XNNPACK product per batch
 * entry: native ids registered over each operand's slice of the wasm heap (no copies) are handed
 * to tfjs-backend-wasm's own BatchMatMul, which takes XNNPACK only for batch 1 and a scalar loop
 * otherwise (about 7x slower for attention's 64x32x64 products). XNNPACK packs the right operand
 * once per native id, so a b slice shared by several entries (broadcast) keeps one id. Returns
 * the (broadcast(A, B), M, P) output, owned by the caller.
 */
export function viewsMatMul(
  backend: MatMulWasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  outer: number[],
): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const p = b.shape[b.shape.length - 1] as number;
  const out = backend.makeOutput([...outer, m, p], 'float32');
  const batches = product(outer);
  if (batches * m * p === 0) return out;
  if (k === 0) {
    // An empty sum: zeros (XNNPACK rejects zero input channels).
    new Float32Array(backend.wasm.HEAPU8.buffer, heapOffset(backend, out), batches * m * p).fill(0);
    return out;
  }
  const aIndex = broadcastIndices(a.shape.slice(0, -2), outer);
  const bIndex = broadcastIndices(b.shape.slice(0, -2), outer);
  const [aAt, bAt, outAt] = [a, b, out].map((t) => heapOffset(backend, t)) as [
    number,
    number,
    number,
  ];
  const shapes = writeInts(backend.wasm, [1, m, k, 1, k, p]);
  const bIds = new Map<number, number>();
  for (let i = 0; i < batches; i++) {
    const bi = bIndex[i] as number;
    let bId = bIds.get(bi);
    if (bId === undefined) {
      bId = registerView(backend, bAt + bi * k * p * 4, k * p);
      bIds.set(bi, bId);
    }
    const aId = registerView(backend, aAt + (aIndex[i] as number) * m * k * 4, m * k);
    const outId = registerView(backend, outAt + i * m * p * 4, m * p);
    backend.wasm._BatchMatMul(aId, shapes, 3, bId, shapes + 12, 3, 0, 0, outId);
    releaseView(backend, aId);
    releaseView(backend, outId);
  }
  // Releasing a b id also deletes the XNNPACK operator cached on it.
  for (const id of bIds.values()) releaseView(backend, id);
  return out;
}
