// What the fused recurrent layers' step loops share (activations, data access on the engine,
// shapes), and simpleRnn's steps; lstm's and gru's are in fused-lstm.ts and fused-gru.ts. A
// step's gate math is a few thousand multiply-adds, which as tfjs ops was a dozen kernels per step
// forward and twice that backward (4,500 kernels per LSTM training step); here it is one plain
// loop over float32 views, between tfjs matmuls (XNNPACK on wasm). Layouts are time-major: xp
// (T, B, G·U), gates stacked as in Keras's kernels (lstm i, f, c, o; gru z, r, h).
import { tf } from '../../tf.js';

/** An activation and its derivative written in terms of its output y = f(x). */
export interface Act {
  f(x: number): number;
  d(y: number): number;
}

/** The activations whose derivative follows from their output (tfjs's own gradient rules). */
export const ACTS: Record<string, Act> = {
  linear: { f: (x) => x, d: () => 1 },
  relu: { f: (x) => Math.max(x, 0), d: (y) => (y > 0 ? 1 : 0) },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), d: (y) => y * (1 - y) },
  tanh: { f: tanh, d: (y) => 1 - y * y },
};

/**
 * tanh from one exp: V8's Math.tanh costs about three Math.exp. In double precision the
 * cancellation in 1 - e for small |x| stays far below float32's rounding.
 */
function tanh(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}

/** Access to tensor data for the current backend (see fused.ts). */
export interface Io {
  /** A view of a float32 tensor's data; on wasm, take it again after any op (heap growth). */
  view(t: tf.Tensor): Float32Array;
  /** A new float32 tensor of zeros (tf.zeros on wasm builds them in JS and copies them over). */
  zeros(shape: number[]): tf.Tensor;
}

export interface Dims {
  steps: number;
  batch: number;
  units: number;
}

/** What a forward pass returns: the layer's outputs and what its backward pass reads. */
export interface Forward {
  /** h_0..h_T (T+1, B, U) with h_0 = 0; lstm adds one more row, c_T. */
  value: tf.Tensor3D;
  saved: tf.Tensor[];
}

/**
 * simpleRnn: h_t = act(xp_t + h_{t-1}·R). `value` doubles as the saved state: the derivative
 * of the activation follows from h_t.
 */
export function simpleForward(io: Io, d: Dims, xp: tf.Tensor, r: tf.Tensor2D, act: Act): Forward {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const value = io.zeros([T + 1, B, U]) as tf.Tensor3D;
  const h = io.zeros([B, U]) as tf.Tensor2D;
  // tanh through tfjs's sigmoid kernel (SIMD on wasm): tanh(x) = 2·sigmoid(2x) - 1.
  const viaSigmoid = act === ACTS.tanh;
  for (let t = 0; t < T; t++) {
    const m = tf.matMul(h, r);
    const M = io.view(m);
    const X = io.view(xp);
    for (let k = 0, x = t * n; k < n; k++) {
      const z = (X[x + k] as number) + (M[k] as number);
      M[k] = viaSigmoid ? 2 * z : act.f(z);
    }
    const s = viaSigmoid ? tf.sigmoid(m) : m;
    const S = io.view(s);
    const V = io.view(value);
    const H = io.view(h);
    for (let k = 0, o = (t + 1) * n; k < n; k++) {
      const y = viaSigmoid ? 2 * (S[k] as number) - 1 : (S[k] as number);
      V[o + k] = y;
      H[k] = y;
    }
    if (s !== m) s.dispose();
    m.dispose();
  }
  h.dispose();
  return { value, saved: [] };
}

/** dxp_t = dh_t · act'(h_t), where dh_t = dy_t + dxp_{t+1}·R^T. Returns dxp (T, B, U). */
export function simpleBackward(
  io: Io,
  d: Dims,
  dy: tf.Tensor,
  value: tf.Tensor,
  rT: tf.Tensor2D,
  act: Act,
): tf.Tensor {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const dz = io.zeros([T, B, U]);
  const step = io.zeros([B, U]) as tf.Tensor2D;
  let mm: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const DY = io.view(dy);
    const V = io.view(value);
    const DZ = io.view(dz);
    const S = io.view(step);
    const MM = mm ? io.view(mm) : undefined;
    for (let k = 0, o = (t + 1) * n, x = t * n; k < n; k++) {
      const dh = (DY[o + k] as number) + (MM ? (MM[k] as number) : 0);
      const da = dh * act.d(V[o + k] as number);
      DZ[x + k] = da;
      S[k] = da;
    }
    mm?.dispose();
    mm = t > 0 ? tf.matMul(step, rT) : undefined;
  }
  step.dispose();
  return dz;
}

/** Reads tensor data in place on the engines the fused loops support; else undefined. */
export function currentIo(): Io | undefined {
  const backend = tf.backend() as unknown as {
    typedArrayFromHeap?(t: tf.TensorInfo): Float32Array;
    makeOutput?(shape: number[], dtype: 'float32'): tf.TensorInfo;
    data?: { get(id: tf.DataId): { values: Float32Array } };
  };
  const name = tf.getBackend();
  const { typedArrayFromHeap: heap, makeOutput } = backend;
  if (name === 'wasm' && heap && makeOutput) {
    const view = (t: tf.TensorInfo) => heap.call(backend, t);
    return {
      view,
      zeros: (shape) => {
        const info = makeOutput.call(backend, shape, 'float32');
        const t = tf.engine().makeTensorFromTensorInfo(info, backend as never);
        view(t).fill(0);
        return t;
      },
    };
  }
  if (name === 'cpu' && backend.data) {
    const data = backend.data;
    return { view: (t) => data.get(t.dataId).values, zeros: (shape) => tf.zeros(shape) };
  }
  return undefined;
}
