// Test support: run the same computation on two tfjs backends and compare. Used by the kernel
// tests, where the cpu backend's kernels are the independent reference for the wasm ones.
import { Rng } from '../random.js';
import { tf } from '../tf.js';

/** An output read back to plain numbers. */
export interface Output {
  shape: number[];
  values: number[];
}

/** Uniform values in [-1, 1) from a seed. */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

/**
 * Runs `f` on `backend` (tensors made inside `f` live there) and reads its outputs back.
 * Throws when the run leaves tensors behind, so kernels are checked for leaks as well.
 */
export async function runOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Output[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not initialize`);
  const before = tf.memory().numTensors;
  const result = tf.tidy(f);
  const outs = Array.isArray(result) ? result : [result];
  const read = outs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  tf.dispose(outs);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${leaked} tensors leaked on ${backend}`);
  return read;
}

/** max over elements of |a - b| / max(1, |b|) (NaN matches NaN); Infinity if shapes differ. */
export function relativeError(a: Output, b: Output): number {
  if (a.shape.join() !== b.shape.join() || a.values.length !== b.values.length) return Infinity;
  let worst = 0;
  a.values.forEach((v, i) => {
    const ref = b.values[i] ?? Number.NaN;
    if (Number.isNaN(v) && Number.isNaN(ref)) return;
    const err = Math.abs(v - ref) / Math.max(1, Math.abs(ref));
    worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  });
  return worst;
}

/** The worst relative error of each output of `f` on wasm against `reference` (`f`) on cpu. */
export async function wasmVsCpu(
  f: () => tf.Tensor | tf.Tensor[],
  reference = f,
): Promise<number[]> {
  const cpu = await runOn('cpu', reference);
  const wasm = await runOn('wasm', f);
  return wasm.map((w, i) => relativeError(w, cpu[i] ?? { shape: [], values: [] }));
}

/** The worst of wasmVsCpu's errors over all outputs (Infinity when there are none). */
export async function wasmError(f: () => tf.Tensor | tf.Tensor[], reference = f): Promise<number> {
  const errors = await wasmVsCpu(f, reference);
  return errors.length > 0 ? Math.max(...errors) : Infinity;
}

/**
 * Calls `kernel` on the current backend with bare TensorInfos of `inputs` (no Tensor wrappers,
 * as engine.runKernel may pass them): its output and how many tensors the call added.
 */
export function runBare(
  kernel: tf.KernelFunc,
  inputs: Record<string, tf.Tensor>,
  attrs: object,
): { out: tf.Tensor; added: number } {
  const bare = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  const infos = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, bare(t)]));
  const before = tf.memory().numTensors;
  const out = kernel({ inputs: infos, backend: tf.backend(), attrs: attrs as never }) as tf.Tensor;
  return { out, added: tf.memory().numTensors - before };
}

/**
 * runBare on wasm with random inputs of `shapes` (seeds from `seed` on): the output's shape, the
 * tensors the call added (1 when nothing leaks), and whether the inputs still read back whole.
 */
export async function runBareOnWasm(
  kernel: tf.KernelFunc,
  shapes: Record<string, number[]>,
  attrs: object,
  seed = 1,
): Promise<{ shape: number[]; added: number; intact: boolean }> {
  await tf.setBackend('wasm');
  const inputs = Object.fromEntries(
    Object.entries(shapes).map(([name, shape], i) => [
      name,
      tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed + i), shape),
    ]),
  );
  const { out, added } = runBare(kernel, inputs, attrs);
  out.dispose();
  const tensors = Object.values(inputs);
  const intact = tensors.every((t) => t.dataSync().length === t.size);
  tf.dispose(tensors);
  return { shape: out.shape, added, intact };
}

/** An op whose input gradients are compared across backends. */
export interface GradCase {
  name: string;
  shapes: number[][];
  op: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Maps the random values in [-1, 1) of input i (positive inputs for sqrt, log, pow...). */
  map?: (v: number, input: number) => number;
}

/** The same fixed weights for an op's output on every backend. */
const outputWeights = (y: tf.Tensor) => tf.tensor(randomValues(y.size, 7), y.shape);

/** d(sum(op(inputs) * weights))/d inputs, on the current backend. */
export function inputGradients(c: GradCase): tf.Tensor[] {
  const inputs = c.shapes.map((shape, i) => {
    const raw = randomValues(tf.util.sizeFromShape(shape), 100 + i);
    const map = c.map;
    return tf.tensor(map ? raw.map((v) => map(v, i)) : raw, shape);
  });
  const loss = (...xs: tf.Tensor[]) => {
    const y = c.op(...xs);
    return tf.sum(tf.mul(y, outputWeights(y)));
  };
  return tf.grads(loss)(inputs);
}

/**
 * The same gradient of a linear op of one input from its forward pass alone: J^T r, where column
 * i is sum(op(e_i) * weights) for basis vector e_i. A reference that shares no gradient kernel.
 */
export function transposedJacobian(c: GradCase): tf.Tensor {
  const shape = c.shapes[0] as number[];
  const n = tf.util.sizeFromShape(shape);
  const identity = tf.eye(n);
  const columns = Array.from({ length: n }, (_, i) => {
    const y = c.op(tf.reshape(tf.slice(identity, [i, 0], [1, n]), shape));
    return tf.sum(tf.mul(y, outputWeights(y)));
  });
  return tf.reshape(tf.stack(columns), shape);
}
