// The lstm's steps for fused.ts (gates i, f, c, o as in Keras's kernels):
//   c_t = f·c_{t-1} + i·act(zc),  h_t = o·act(c_t)
import { tf } from '../../tf.js';
import { ACTS, type Act, type Dims, type Forward, type Io } from './fused-steps.js';

/**
 * Saves the activated gates (T, B, 4U), c_0..c_T (T+1, B, U) and act(c_1)..act(c_T) (T, B, U).
 * With Keras's default activations (tanh, sigmoid) the gates go through tfjs's sigmoid kernel,
 * SIMD on wasm and several times faster than Math.exp per element in JS, with
 * tanh(x) = 2·sigmoid(2x) - 1.
 */
export function lstmForward(
  io: Io,
  d: Dims,
  xp: tf.Tensor,
  r: tf.Tensor2D,
  act: Act,
  rec: Act,
): Forward {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const W = 4 * U;
  const value = io.zeros([T + 2, B, U]) as tf.Tensor3D;
  const gates = io.zeros([T, B, W]);
  const cells = io.zeros([T + 1, B, U]);
  const tanhC = io.zeros([T, B, U]);
  const h = io.zeros([B, U]) as tf.Tensor2D;
  const viaSigmoid = act === ACTS.tanh && rec === ACTS.sigmoid;
  const c2 = viaSigmoid ? io.zeros([B, U]) : undefined;
  for (let t = 0; t < T; t++) {
    const m = tf.matMul(h, r);
    const xt = t * B * W;
    if (viaSigmoid && c2) {
      gatesViaSigmoid(io, d, t, m, xp, gates, cells, c2);
      const s = tf.sigmoid(c2);
      const S = io.view(s);
      const A = io.view(gates);
      const V = io.view(value);
      const TC = io.view(tanhC);
      const H = io.view(h);
      for (let b = 0; b < B; b++)
        for (let u = 0; u < U; u++) {
          const k = b * U + u;
          const tc = 2 * (S[k] as number) - 1;
          const y = (A[xt + b * W + 3 * U + u] as number) * tc;
          TC[t * n + k] = tc;
          V[(t + 1) * n + k] = y;
          H[k] = y;
        }
      s.dispose();
    } else {
      const M = io.view(m);
      const X = io.view(xp);
      const V = io.view(value);
      const A = io.view(gates);
      const C = io.view(cells);
      const TC = io.view(tanhC);
      const H = io.view(h);
      for (let b = 0; b < B; b++) {
        const mb = b * W;
        const xb = xt + mb;
        for (let u = 0; u < U; u++) {
          const k = b * U + u;
          const i = rec.f((X[xb + u] as number) + (M[mb + u] as number));
          const f = rec.f((X[xb + U + u] as number) + (M[mb + U + u] as number));
          const g = act.f((X[xb + 2 * U + u] as number) + (M[mb + 2 * U + u] as number));
          const o = rec.f((X[xb + 3 * U + u] as number) + (M[mb + 3 * U + u] as number));
          const c = f * (C[t * n + k] as number) + i * g;
          const tc = act.f(c);
          const y = o * tc;
          A[xb + u] = i;
          A[xb + U + u] = f;
          A[xb + 2 * U + u] = g;
          A[xb + 3 * U + u] = o;
          C[(t + 1) * n + k] = c;
          TC[t * n + k] = tc;
          V[(t + 1) * n + k] = y;
          H[k] = y;
        }
      }
    }
    m.dispose();
  }
  // The last row of value is c_T (returnState's second state).
  io.view(value).set(io.view(cells).subarray(T * n, (T + 1) * n), (T + 1) * n);
  tf.dispose([h, c2 as tf.Tensor]);
  return { value, saved: [gates, cells, tanhC] };
}

/**
 * Step t's gates from z = xp_t + h_{t-1}·R (in m, overwritten): one sigmoid kernel over all
 * four, the candidate's columns doubled first; then c_t, and 2·c_t into c2 for act(c_t).
 */
function gatesViaSigmoid(
  io: Io,
  { batch: B, units: U }: Dims,
  t: number,
  m: tf.Tensor,
  xp: tf.Tensor,
  gates: tf.Tensor,
  cells: tf.Tensor,
  c2: tf.Tensor,
): void {
  const n = B * U;
  const W = 4 * U;
  const xt = t * B * W;
  const M = io.view(m);
  const X = io.view(xp);
  for (let b = 0; b < B; b++) {
    const mb = b * W;
    for (let j = 0; j < 2 * U; j++) M[mb + j] = (M[mb + j] as number) + (X[xt + mb + j] as number);
    for (let j = 2 * U; j < 3 * U; j++)
      M[mb + j] = 2 * ((M[mb + j] as number) + (X[xt + mb + j] as number));
    for (let j = 3 * U; j < W; j++) M[mb + j] = (M[mb + j] as number) + (X[xt + mb + j] as number);
  }
  const s = tf.sigmoid(m);
  const S = io.view(s);
  const A = io.view(gates);
  const C = io.view(cells);
  const C2 = io.view(c2);
  for (let b = 0; b < B; b++) {
    const mb = b * W;
    const xb = xt + mb;
    for (let u = 0; u < U; u++) {
      const k = b * U + u;
      const i = S[mb + u] as number;
      const f = S[mb + U + u] as number;
      const g = 2 * (S[mb + 2 * U + u] as number) - 1;
      const c = f * (C[t * n + k] as number) + i * g;
      A[xb + u] = i;
      A[xb + U + u] = f;
      A[xb + 2 * U + u] = g;
      A[xb + 3 * U + u] = S[mb + 3 * U + u] as number;
      C[(t + 1) * n + k] = c;
      C2[k] = 2 * c;
    }
  }
  s.dispose();
}

/**
 * The lstm's backward pass from dy on value (dh_1..dh_T, and dc_T in the last row), through
 * the gates: returns dZ (T, B, 4U), the gradient of xp and the rows of dR = sum h_{t-1}^T dZ_t.
 */
export function lstmBackward(
  io: Io,
  d: Dims,
  dy: tf.Tensor,
  [gates, cells, tanhC]: tf.Tensor[],
  rT: tf.Tensor2D,
  act: Act,
  rec: Act,
): tf.Tensor {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const W = 4 * U;
  const dz = io.zeros([T, B, W]);
  const step = io.zeros([B, W]) as tf.Tensor2D;
  // dc carried back through f; starts as the gradient on c_T.
  const dc = io.view(dy).slice((T + 1) * n, (T + 2) * n);
  const std = act === ACTS.tanh && rec === ACTS.sigmoid;
  let mm: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const DY = io.view(dy);
    const A = io.view(gates as tf.Tensor);
    const C = io.view(cells as tf.Tensor);
    const TC = io.view(tanhC as tf.Tensor);
    const DZ = io.view(dz);
    const S = io.view(step);
    const MM = mm ? io.view(mm) : undefined;
    for (let b = 0; b < B; b++) {
      const xb = t * B * W + b * W;
      const kb = b * U;
      const now = t * n + kb; // c_{t-1}, act(c_t)
      const next = now + n; // dh_t, c_t
      for (let u = 0; u < U; u++) {
        const dh = (DY[next + u] as number) + (MM ? (MM[kb + u] as number) : 0);
        const i = A[xb + u] as number;
        const f = A[xb + U + u] as number;
        const g = A[xb + 2 * U + u] as number;
        const o = A[xb + 3 * U + u] as number;
        const tc = TC[now + u] as number;
        // Keras's default activations written out, without a call per derivative.
        const dcv = (dc[kb + u] as number) + dh * o * (std ? 1 - tc * tc : act.d(tc));
        dc[kb + u] = dcv * f;
        DZ[xb + u] = dcv * g * (std ? i * (1 - i) : rec.d(i));
        DZ[xb + U + u] = dcv * (C[now + u] as number) * (std ? f * (1 - f) : rec.d(f));
        DZ[xb + 2 * U + u] = dcv * i * (std ? 1 - g * g : act.d(g));
        DZ[xb + 3 * U + u] = dh * tc * (std ? o * (1 - o) : rec.d(o));
      }
    }
    // The step's rows of dZ, for the product with R^T: one native copy.
    S.set(DZ.subarray(t * B * W, (t + 1) * B * W));
    mm?.dispose();
    mm = t > 0 ? tf.matMul(step, rT) : undefined;
  }
  step.dispose();
  return dz;
}
