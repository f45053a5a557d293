// The optimizer step as one pass over each variable's data instead of 8-12 tfjs kernels per
// variable (about 380 of a small GPT's 1,218 kernels per step, each ~20 us of dispatch, all on
// the main thread while data-parallel workers wait). The rules and their constants stay in
// optimizers.ts; this file holds each rule's element update, written in the kernel path's
// float32 operations in its order (compiled by optimizer-codegen.ts), and the access to each
// engine's storage. Constants arrive as the float32 scalars the kernel path makes of the same
// JS numbers, so the result is the kernel path's, bit for bit.
import { tf } from '../tf.js';
import {
  abs,
  add,
  constant,
  div,
  type Expr,
  input,
  isWasmMemory,
  jsUpdate,
  max,
  mul,
  neg,
  sqrt,
  sub,
  type UpdateKernel,
  wasmUpdate,
} from './optimizer-codegen.js';

/** One step's update: the rule's kernel and this step's float32 constants, in its order. */
export interface FusedUpdate {
  kernel: UpdateKernel;
  consts: number[];
}

/** Input 0 is the gradient; target k's old value is input k + 1 (0: the weight). */
const g = input(0);
const target = (k: number) => input(k + 1);

/** SGD, consts [lr]: w - g * lr. */
export const sgdKernel = (): UpdateKernel => ({
  targets: 1,
  consts: 1,
  outputs: [sub(target(0), mul(g, constant(0)))],
});

/** SGD with momentum, consts [lr, momentum]: m = m mu - g lr; w += m (Nesterov: m mu - g lr). */
export function sgdMomentumKernel(nesterov: boolean): UpdateKernel {
  const [w, m, lr, mu] = [target(0), target(1), constant(0), constant(1)];
  const gl = mul(g, lr);
  const m1 = sub(mul(m, mu), gl);
  const delta = nesterov ? sub(mul(m1, mu), gl) : m1;
  return { targets: 2, consts: 2, outputs: [add(w, delta), m1] };
}

/**
 * Adam, consts [lr, alpha, 1 - beta1, 1 - beta2, epsilon, weightDecay]; targets weight,
 * momentum, velocity[, velocityHat]. With `decay` AdamW's w -= w wd lr comes first.
 */
export function adamKernel(amsgrad: boolean, decay: boolean): UpdateKernel {
  const [w, m, v, h] = [target(0), target(1), target(2), target(3)];
  const [lr, alpha, c1, c2, eps, wd] = [0, 1, 2, 3, 4, 5].map(constant) as Expr[];
  const w0 = decay ? sub(w, mul(mul(w, wd as Expr), lr as Expr)) : w;
  const m1 = add(m, mul(sub(g, m), c1 as Expr));
  const v1 = add(v, mul(sub(mul(g, g), v), c2 as Expr));
  const second = amsgrad ? max(h, v1) : v1;
  const w1 = sub(w0, div(mul(m1, alpha as Expr), add(sqrt(second), eps as Expr)));
  return {
    targets: amsgrad ? 4 : 3,
    consts: 6,
    outputs: amsgrad ? [w1, m1, v1, second] : [w1, m1, v1],
  };
}

/**
 * RMSprop, consts [lr, rho, 1 - rho, epsilon, momentum]; targets weight, velocity
 * [, momentum][, averageGradient] (the rule's slot order).
 */
export function rmspropKernel(momentum: boolean, centered: boolean): UpdateKernel {
  const [lr, rho, c, eps, mu] = [0, 1, 2, 3, 4].map(constant) as Expr[];
  const [w, v] = [target(0), target(1)];
  const v1 = add(mul(rho as Expr, v), mul(c as Expr, mul(g, g)));
  const outputs = [w, v1];
  let denominator = add(v1, eps as Expr);
  if (centered) {
    const a1 = add(mul(rho as Expr, target(momentum ? 3 : 2)), mul(c as Expr, g));
    denominator = add(sub(v1, mul(a1, a1)), eps as Expr);
    outputs[momentum ? 3 : 2] = a1;
  }
  const increment = div(mul(lr as Expr, g), sqrt(denominator));
  if (momentum) {
    const m1 = add(mul(mu as Expr, target(2)), increment);
    outputs[2] = m1;
    outputs[0] = sub(w, m1);
  } else outputs[0] = sub(w, increment);
  return { targets: outputs.length, consts: 5, outputs };
}

/** Adagrad, consts [lr, epsilon]; targets weight, accumulator. */
export function adagradKernel(): UpdateKernel {
  const [w, acc, lr, eps] = [target(0), target(1), constant(0), constant(1)];
  const acc1 = add(acc, mul(g, g));
  return { targets: 2, consts: 2, outputs: [sub(w, div(mul(lr, g), sqrt(add(acc1, eps)))), acc1] };
}

/** Adadelta, consts [lr, rho, 1 - rho, epsilon]; targets weight, accumulatedGrad, ...DeltaVar. */
export function adadeltaKernel(): UpdateKernel {
  const [lr, rho, c, eps] = [0, 1, 2, 3].map(constant) as Expr[];
  const [w, accG, accD] = [target(0), target(1), target(2)];
  const rms = (x: Expr) => sqrt(add(x, eps as Expr));
  const accG1 = add(mul(accG, rho as Expr), mul(c as Expr, mul(g, g)));
  const delta = neg(div(mul(rms(accD), g), rms(accG1)));
  const accD1 = add(mul(rho as Expr, accD), mul(c as Expr, mul(delta, delta)));
  return { targets: 3, consts: 4, outputs: [add(w, mul(lr as Expr, delta)), accG1, accD1] };
}

/** Adamax, consts [lr, 1 - beta1, beta2, 1 - beta1^t, epsilon]; targets weight, momentum, norm. */
export function adamaxKernel(): UpdateKernel {
  const [lr, c1, beta2, correction, eps] = [0, 1, 2, 3, 4].map(constant) as Expr[];
  const [w, m, u] = [target(0), target(1), target(2)];
  const m1 = add(m, mul(sub(g, m), c1 as Expr));
  const u1 = max(mul(beta2 as Expr, u), abs(g));
  const w1 = sub(w, div(mul(lr as Expr, m1), mul(correction as Expr, add(u1, eps as Expr))));
  return { targets: 3, consts: 5, outputs: [w1, m1, u1] };
}

interface WasmBackend {
  wasm: {
    /** Emscripten's instance exports; `memory` is the heap every tensor lives in. */
    asm?: { memory?: unknown };
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
  /** Runs the update over every element, leaving each target with its new values. */
  apply(update: FusedUpdate, g: tf.Tensor, targets: readonly tf.Variable[]): void;
}

/** The fused update for the current engine (wasm and cpu), else undefined. */
export function fusedApply(): FusedApply | undefined {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm') {
    const b = backend as Partial<WasmBackend>;
    if (b.wasm?.tfjs && b.dataIdMap && b.makeOutput && b.typedArrayFromHeap && b.refCount) {
      const w = b as WasmBackend;
      // Every tensor of the wasm engine lives on its heap; the loops read and write float32.
      return {
        reaches: (g, targets) =>
          g.dtype === 'float32' && targets.every((t) => t.dtype === 'float32'),
        apply: (u, g, targets) => wasmApply(w, u, g, targets),
      };
    }
  }
  if (name === 'cpu') {
    const b = backend as Partial<CpuBackend>;
    if (b.data && b.refCount) {
      const c = b as CpuBackend;
      // Float32 tensors made from other arrays (a plain number[]) keep them as given.
      const float = (t: tf.Tensor) =>
        t.dtype === 'float32' && c.data.get(t.dataId).values instanceof Float32Array;
      return {
        reaches: (g, targets) => float(g) && targets.every(float),
        apply: (u, g, targets) => cpuApply(c, u, g, targets),
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
function wasmApply(b: WasmBackend, u: FusedUpdate, g: tf.Tensor, targets: readonly tf.Variable[]) {
  const n = g.size;
  if (n === 0) return;
  const fresh = targets.map((t) =>
    b.refCount(t.dataId) === 1 ? undefined : b.makeOutput([...t.shape], 'float32'),
  );
  const memory = b.wasm.asm?.memory;
  const simd = isWasmMemory(memory) ? wasmUpdate(u.kernel, memory) : undefined;
  if (simd) {
    const offset = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId).memoryOffset;
    const src = targets.map(offset);
    const dst = targets.map((t, k) => offset(fresh[k] ?? t));
    simd(n, offset(g), ...src, ...dst, ...u.consts);
  } else {
    // The same update as a JS loop over views (taken after every allocation: growing the heap
    // detaches older ones), where the module cannot run over this build's memory.
    const src = targets.map((t) => b.typedArrayFromHeap(t));
    const dst = targets.map((t, k) => b.typedArrayFromHeap(fresh[k] ?? t));
    jsUpdate(u.kernel)(n, b.typedArrayFromHeap(g), src, dst, u.consts);
  }
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
function cpuApply(b: CpuBackend, u: FusedUpdate, g: tf.Tensor, targets: readonly tf.Variable[]) {
  const gv = b.data.get(g.dataId).values as Float32Array;
  const src = targets.map((t) => b.data.get(t.dataId).values as Float32Array);
  const n = g.size;
  const dst = targets.map(() => new Float32Array(n));
  jsUpdate(u.kernel)(n, gv, src, dst, u.consts);
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
