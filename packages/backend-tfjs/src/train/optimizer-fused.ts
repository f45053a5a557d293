// The optimizer step as one pass over each variable's data instead of 8-12 tfjs kernels per
// variable (about 380 of a small GPT's 1,218 kernels per step, each ~20 us of dispatch, all on
// the main thread while data-parallel workers wait). The rules and their constants stay in
// optimizers.ts; this file holds the element loops and the access to each engine's storage.
//
// Bit-identical to the kernel path: every loop does the kernel path's float32 operations in
// its order, each rounded with Math.fround (exact for +, -, *, / and sqrt: a double result
// rounded to float32 equals the float32 operation), and the constants arrive as the float32
// scalars the kernel path would make of the same JS numbers.
import { tf } from '../tf.js';

/**
 * One element-wise update of n elements: reads g[i] and src[k][i], writes dst[k][i]. Index 0 is
 * the weight, then the rule's slots in its order. Each element's inputs are read before any of
 * its outputs is written, so dst may be src (in place).
 */
export type FusedLoop = (
  n: number,
  g: Float32Array,
  src: readonly Float32Array[],
  dst: readonly Float32Array[],
) => void;

const f32 = Math.fround;

/** Arrays by position; the caller passes exactly the slots the rule declares. */
const at = (a: readonly Float32Array[], k: number): Float32Array => a[k] as Float32Array;

/** w - g * lr. */
export const sgdLoop =
  (lr: number): FusedLoop =>
  (n, g, src, dst) => {
    const [w, W] = [at(src, 0), at(dst, 0)];
    for (let i = 0; i < n; i++) W[i] = f32((w[i] as number) - f32((g[i] as number) * lr));
  };

/** m = m * mu - g * lr; w += m, or with Nesterov w += m * mu - g * lr. */
export const sgdMomentumLoop =
  (lr: number, mu: number, nesterov: boolean): FusedLoop =>
  (n, g, src, dst) => {
    const [w, m, W, M] = [at(src, 0), at(src, 1), at(dst, 0), at(dst, 1)];
    for (let i = 0; i < n; i++) {
      const gl = f32((g[i] as number) * lr);
      const m1 = f32(f32((m[i] as number) * mu) - gl);
      const delta = nesterov ? f32(f32(m1 * mu) - gl) : m1;
      const w1 = f32((w[i] as number) + delta);
      M[i] = m1;
      W[i] = w1;
    }
  };

export interface AdamConstants {
  lr: number;
  /** lr * sqrt(1 - beta2^t) / (1 - beta1^t), already float32. */
  alpha: number;
  /** float32(1 - beta1), float32(1 - beta2), float32(epsilon). */
  c1: number;
  c2: number;
  eps: number;
  amsgrad: boolean;
  /** AdamW's float32 weight decay (0: none), applied first as w -= w * wd * lr. */
  decay: number;
}

/** Keras's Adam (and AdamW's decoupled decay first); slots momentum, velocity[, velocityHat]. */
export const adamLoop =
  (c: AdamConstants): FusedLoop =>
  (n, g, src, dst) => {
    const { lr, alpha, c1, c2, eps, amsgrad, decay } = c;
    const [w, m, v, W, M, V] = [
      at(src, 0),
      at(src, 1),
      at(src, 2),
      at(dst, 0),
      at(dst, 1),
      at(dst, 2),
    ];
    const h = amsgrad ? at(src, 3) : w;
    const H = amsgrad ? at(dst, 3) : W;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      let wi = w[i] as number;
      if (decay !== 0) wi = f32(wi - f32(f32(wi * decay) * lr));
      const mi = m[i] as number;
      const vi = v[i] as number;
      const m1 = f32(mi + f32(f32(gi - mi) * c1));
      const v1 = f32(vi + f32(f32(f32(gi * gi) - vi) * c2));
      let second = v1;
      if (amsgrad) {
        second = Math.max(h[i] as number, v1);
        H[i] = second;
      }
      const w1 = f32(wi - f32(f32(m1 * alpha) / f32(f32(Math.sqrt(second)) + eps)));
      M[i] = m1;
      V[i] = v1;
      W[i] = w1;
    }
  };

export interface RmspropConstants {
  lr: number;
  /** float32(rho), float32(1 - rho), float32(epsilon), float32(momentum). */
  rho: number;
  c: number;
  eps: number;
  momentum: number;
  /** Whether the rule has the momentum slot (momentum > 0 before rounding). */
  useMomentum: boolean;
  centered: boolean;
}

/** Keras's RMSprop; slots velocity[, momentum][, averageGradient] (the rule's order). */
export const rmspropLoop =
  (k: RmspropConstants): FusedLoop =>
  (n, g, src, dst) => {
    const { lr, rho, c, eps, momentum, useMomentum, centered } = k;
    const [w, v, W, V] = [at(src, 0), at(src, 1), at(dst, 0), at(dst, 1)];
    const m = useMomentum ? at(src, 2) : w;
    const M = useMomentum ? at(dst, 2) : W;
    const a = centered ? at(src, useMomentum ? 3 : 2) : w;
    const A = centered ? at(dst, useMomentum ? 3 : 2) : W;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const wi = w[i] as number;
      const v1 = f32(f32(rho * (v[i] as number)) + f32(c * f32(gi * gi)));
      let denominator: number;
      if (centered) {
        const a1 = f32(f32(rho * (a[i] as number)) + f32(c * gi));
        A[i] = a1;
        denominator = f32(f32(v1 - f32(a1 * a1)) + eps);
      } else denominator = f32(v1 + eps);
      const increment = f32(f32(lr * gi) / f32(Math.sqrt(denominator)));
      V[i] = v1;
      if (useMomentum) {
        const m1 = f32(f32(momentum * (m[i] as number)) + increment);
        M[i] = m1;
        W[i] = f32(wi - m1);
      } else W[i] = f32(wi - increment);
    }
  };

/** Keras's Adagrad; slot accumulator. */
export const adagradLoop =
  (lr: number, eps: number): FusedLoop =>
  (n, g, src, dst) => {
    const [w, acc, W, ACC] = [at(src, 0), at(src, 1), at(dst, 0), at(dst, 1)];
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const wi = w[i] as number;
      const acc1 = f32((acc[i] as number) + f32(gi * gi));
      ACC[i] = acc1;
      W[i] = f32(wi - f32(f32(lr * gi) / f32(Math.sqrt(f32(acc1 + eps)))));
    }
  };

/** Keras's Adadelta; slots accumulatedGrad, accumulatedDeltaVar. rho, c = 1 - rho, eps float32. */
export const adadeltaLoop =
  (lr: number, rho: number, c: number, eps: number): FusedLoop =>
  (n, g, src, dst) => {
    const [w, ag, ad, W, AG, AD] = [
      at(src, 0),
      at(src, 1),
      at(src, 2),
      at(dst, 0),
      at(dst, 1),
      at(dst, 2),
    ];
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const wi = w[i] as number;
      const adi = ad[i] as number;
      const ag1 = f32(f32((ag[i] as number) * rho) + f32(c * f32(gi * gi)));
      const rmsD = f32(Math.sqrt(f32(adi + eps)));
      const rmsG = f32(Math.sqrt(f32(ag1 + eps)));
      const delta = -f32(f32(rmsD * gi) / rmsG);
      const ad1 = f32(f32(rho * adi) + f32(c * f32(delta * delta)));
      AG[i] = ag1;
      AD[i] = ad1;
      W[i] = f32(wi + f32(lr * delta));
    }
  };

/** Keras's Adamax; slots momentum, norm. c1 = 1 - beta1, beta2, correction, eps float32. */
export const adamaxLoop =
  (lr: number, c1: number, beta2: number, correction: number, eps: number): FusedLoop =>
  (n, g, src, dst) => {
    const [w, m, u, W, M, U] = [
      at(src, 0),
      at(src, 1),
      at(src, 2),
      at(dst, 0),
      at(dst, 1),
      at(dst, 2),
    ];
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const wi = w[i] as number;
      const mi = m[i] as number;
      const m1 = f32(mi + f32(f32(gi - mi) * c1));
      const u1 = Math.max(f32(beta2 * (u[i] as number)), Math.abs(gi));
      M[i] = m1;
      U[i] = u1;
      W[i] = f32(wi - f32(f32(lr * m1) / f32(correction * f32(u1 + eps))));
    }
  };

interface WasmBackend {
  wasm: {
    tfjs: {
      registerTensor(id: number, size: number, offset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  refCount(dataId: object): number;
}

interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  refCount(dataId: object): number;
}

/** The fused update on one engine. `targets` are a variable and its slots, the weight first. */
export interface FusedApply {
  /** Whether `apply` can reach the data of `g` (float32, the variable's shape) and `targets`. */
  reaches(g: tf.Tensor, targets: readonly tf.Variable[]): boolean;
  /** Runs `loop` over every element, leaving each target with its new values. */
  apply(loop: FusedLoop, g: tf.Tensor, targets: readonly tf.Variable[]): void;
}

/** The fused update for the current engine (wasm and cpu), else undefined. */
export function fusedApply(): FusedApply | undefined {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm') {
    const b = backend as Partial<WasmBackend>;
    if (b.wasm?.tfjs && b.dataIdMap && b.makeOutput && b.typedArrayFromHeap && b.refCount) {
      const w = b as WasmBackend;
      // Every float32 tensor of the wasm engine lives on its heap.
      return { reaches: () => true, apply: (loop, g, targets) => wasmApply(w, loop, g, targets) };
    }
  }
  if (name === 'cpu') {
    const b = backend as Partial<CpuBackend>;
    if (b.data && b.refCount) {
      const c = b as CpuBackend;
      // Float32 tensors made from other arrays (a plain number[]) keep them as given.
      const float = (t: tf.Tensor) => c.data.get(t.dataId).values instanceof Float32Array;
      return {
        reaches: (g, targets) => float(g) && targets.every(float),
        apply: (loop, g, targets) => cpuApply(c, loop, g, targets),
      };
    }
  }
  return undefined;
}

/**
 * wasm: in place on the heap where the variable is the only holder of its data (refcount 1),
 * else into fresh heap memory that the variable is assigned (tfjs lets tensors share data: a
 * reshape, a clone through the sharing Identity, `state()`; they must keep the old values).
 * In place, the native id is re-registered: tfjs-wasm caches XNNPACK operators with the weights
 * packed, keyed by that id (matmul, conv2d), and disposing the id is what drops them; a kept
 * operator would compute with the old weights.
 */
function wasmApply(b: WasmBackend, loop: FusedLoop, g: tf.Tensor, targets: readonly tf.Variable[]) {
  const n = g.size;
  if (n === 0) return;
  const fresh = targets.map((t) =>
    b.refCount(t.dataId) === 1 ? undefined : b.makeOutput([...t.shape], 'float32'),
  );
  // Views after every allocation: growing the heap detaches older ones.
  const src = targets.map((t) => b.typedArrayFromHeap(t));
  const dst = targets.map((_, k) => {
    const out = fresh[k];
    return out ? b.typedArrayFromHeap(out) : (src[k] as Float32Array);
  });
  loop(n, b.typedArrayFromHeap(g), src, dst);
  targets.forEach((t, k) => {
    const out = fresh[k];
    if (out) {
      const value = tf.engine().makeTensorFromTensorInfo(out, b as unknown as tf.KernelBackend);
      t.assign(value);
      value.dispose();
    } else {
      const { id, memoryOffset } = b.dataIdMap.get(t.dataId);
      b.wasm.tfjs.disposeData(id);
      b.wasm.tfjs.registerTensor(id, n, memoryOffset);
    }
  });
}

/**
 * cpu: new arrays, never writes into the old ones: the cpu backend hands its own arrays out
 * (dataSync, and tf.tensor keeps the array it is given), so an earlier reader's array must keep
 * its values. A variable alone on its data gets the new array in the backend's storage (no
 * tensor, no engine bookkeeping); a shared one is assigned a new tensor.
 */
function cpuApply(b: CpuBackend, loop: FusedLoop, g: tf.Tensor, targets: readonly tf.Variable[]) {
  const gv = b.data.get(g.dataId).values as Float32Array;
  const src = targets.map((t) => b.data.get(t.dataId).values as Float32Array);
  const n = g.size;
  const dst = targets.map(() => new Float32Array(n));
  loop(n, gv, src, dst);
  targets.forEach((t, k) => {
    const values = dst[k] as Float32Array;
    if (b.refCount(t.dataId) === 1) b.data.get(t.dataId).values = values;
    else {
      const value = tf.tensor(values, t.shape, 'float32');
      t.assign(value);
      value.dispose();
    }
  });
}
