// The gru's steps for fused.ts (gates z, r, h as in Keras 3's GRUCell):
//   resetAfter:  hh = act(xh + r·(h_{t-1}·R_h + rb_h)), z and r read h_{t-1}·R + rb
//   otherwise:   hh = act(xh + (r·h_{t-1})·R_h), z and r read h_{t-1}·R_zr
//   h_t = z·h_{t-1} + (1 - z)·hh
import { tf } from '../../tf.js';
import { ACTS, type Act, type Dims, type Forward, type Io } from './fused-steps.js';

/** The recurrent kernel as the gru reads it: whole, or R_zr and R_h without resetAfter. */
export interface GruWeights {
  resetAfter: boolean;
  /** (U, 3U) with resetAfter, else R_zr (U, 2U). */
  r: tf.Tensor2D;
  /** R_h (U, U), without resetAfter. */
  rh?: tf.Tensor2D;
  /** The recurrent bias row (3U), resetAfter only. */
  bias?: tf.Tensor;
}

/**
 * Saves the activated gates z, r, hh (T, B, 3U) and, per step, the vector the recurrent h part
 * multiplies: h_{t-1}·R_h + rb_h with resetAfter, else r·h_{t-1} (T, B, U). With Keras's
 * default activations the gates go through tfjs's sigmoid kernel (SIMD on wasm, several times
 * faster than Math.exp per element in JS), the candidate as tanh(x) = 2·sigmoid(2x) - 1.
 */
export function gruForward(
  io: Io,
  d: Dims,
  xp: tf.Tensor,
  w: GruWeights,
  act: Act,
  rec: Act,
): Forward {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const W = 3 * U;
  const viaSigmoid = act === ACTS.tanh && rec === ACTS.sigmoid;
  const scale = viaSigmoid ? 2 : 1;
  const value = io.zeros([T + 1, B, U]) as tf.Tensor3D;
  const gates = io.zeros([T, B, W]);
  const inner = io.zeros([T, B, U]);
  const h = io.zeros([B, U]) as tf.Tensor2D;
  const pre = io.zeros([B, 2 * U]); // z and r before their activation
  const cand = io.zeros([B, U]); // the candidate before its activation (doubled via sigmoid)
  const rh = io.zeros([B, U]) as tf.Tensor2D; // r·h_{t-1}, without resetAfter
  const zero = new Float32Array(W);
  const MW = w.resetAfter ? W : 2 * U;
  for (let t = 0; t < T; t++) {
    const m = tf.matMul(h, w.r);
    {
      const M = io.view(m);
      const X = io.view(xp);
      const P = io.view(pre);
      const I = io.view(inner);
      const RB = w.bias ? io.view(w.bias) : zero;
      for (let b = 0; b < B; b++) {
        const xb = t * B * W + b * W;
        const mb = b * MW;
        for (let j = 0; j < 2 * U; j++)
          P[b * 2 * U + j] = (X[xb + j] as number) + (M[mb + j] as number) + (RB[j] as number);
        if (w.resetAfter)
          for (let u = 0; u < U; u++)
            I[t * n + b * U + u] = (M[mb + 2 * U + u] as number) + (RB[2 * U + u] as number);
      }
    }
    m.dispose();
    const zr = viaSigmoid ? tf.sigmoid(pre) : pre;
    {
      const ZR = io.view(zr);
      if (!viaSigmoid) for (let j = 0; j < ZR.length; j++) ZR[j] = rec.f(ZR[j] as number);
      const X = io.view(xp);
      const V = io.view(value);
      const A = io.view(gates);
      const I = io.view(inner);
      const Q = io.view(cand);
      const RH = io.view(rh);
      for (let b = 0; b < B; b++) {
        const xb = t * B * W + b * W;
        for (let u = 0; u < U; u++) {
          const k = b * U + u;
          const r = ZR[b * 2 * U + U + u] as number;
          A[xb + u] = ZR[b * 2 * U + u] as number;
          A[xb + U + u] = r;
          if (w.resetAfter) {
            Q[k] = scale * ((X[xb + 2 * U + u] as number) + r * (I[t * n + k] as number));
          } else {
            const v = r * (V[t * n + k] as number);
            I[t * n + k] = v;
            RH[k] = v;
          }
        }
      }
    }
    if (zr !== pre) zr.dispose();
    if (!w.resetAfter) {
      // The candidate needs (r·h_{t-1})·R_h: a second product per step.
      const m2 = tf.matMul(rh, w.rh as tf.Tensor2D);
      const M = io.view(m2);
      const X = io.view(xp);
      const Q = io.view(cand);
      for (let b = 0; b < B; b++)
        for (let u = 0; u < U; u++)
          Q[b * U + u] =
            scale * ((X[t * B * W + b * W + 2 * U + u] as number) + (M[b * U + u] as number));
      m2.dispose();
    }
    const c = viaSigmoid ? tf.sigmoid(cand) : cand;
    {
      const CV = io.view(c);
      const V = io.view(value);
      const A = io.view(gates);
      const H = io.view(h);
      for (let b = 0; b < B; b++) {
        const xb = t * B * W + b * W;
        for (let u = 0; u < U; u++) {
          const k = b * U + u;
          const hh = viaSigmoid ? 2 * (CV[k] as number) - 1 : act.f(CV[k] as number);
          const z = A[xb + u] as number;
          A[xb + 2 * U + u] = hh;
          const y = z * (V[t * n + k] as number) + (1 - z) * hh;
          V[(t + 1) * n + k] = y;
          H[k] = y;
        }
      }
    }
    if (c !== cand) c.dispose();
  }
  tf.dispose([h, rh, pre, cand]);
  return { value, saved: [gates, inner] };
}

/** The transposed recurrent kernels of the backward pass. */
export interface GruWeightsT {
  /** (3U, U) with resetAfter, else R_zr^T (2U, U). */
  rT: tf.Tensor2D;
  /** R_h^T (U, U), without resetAfter. */
  rhT?: tf.Tensor2D;
}

/**
 * Returns dxp (T, B, 3U) and dInner: with resetAfter the gradient of h_{t-1}·R + rb, (T, B,
 * 3U); else dxp serves both (dR_zr pairs its first 2U columns with h_{t-1}, dR_h its last U
 * with r·h_{t-1}).
 */
export function gruBackward(
  io: Io,
  d: Dims,
  dy: tf.Tensor,
  value: tf.Tensor,
  [gates, inner]: tf.Tensor[],
  w: GruWeightsT,
  resetAfter: boolean,
  act: Act,
  rec: Act,
): { dxp: tf.Tensor; dInner: tf.Tensor } {
  const { steps: T, batch: B, units: U } = d;
  const n = B * U;
  const W = 3 * U;
  const dxp = io.zeros([T, B, W]);
  const dInner = resetAfter ? io.zeros([T, B, W]) : dxp;
  const step = io.zeros([B, resetAfter ? W : 2 * U]) as tf.Tensor2D;
  const dah = io.zeros([B, U]) as tf.Tensor2D; // without resetAfter: into R_h^T
  // The part of dh_{t-1} that skips the matmuls: dh_t·z (+ d(r·h)·r without resetAfter).
  const carry = new Float32Array(n);
  const std = act === ACTS.tanh && rec === ACTS.sigmoid;
  let mm: tf.Tensor | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const MM = mm ? io.view(mm) : undefined;
    const DY = io.view(dy);
    const V = io.view(value);
    const A = io.view(gates as tf.Tensor);
    const I = io.view(inner as tf.Tensor);
    const DX = io.view(dxp);
    const DI = io.view(dInner);
    const S = io.view(step);
    const DA = io.view(dah);
    for (let b = 0; b < B; b++) {
      const xb = t * B * W + b * W;
      for (let u = 0; u < U; u++) {
        const k = b * U + u;
        const dh =
          (DY[(t + 1) * n + k] as number) + (MM ? (MM[k] as number) : 0) + (carry[k] as number);
        const z = A[xb + u] as number;
        const hh = A[xb + 2 * U + u] as number;
        const hp = V[t * n + k] as number;
        // Keras's default activations written out, without a call per derivative.
        const dz = dh * (hp - hh) * (std ? z * (1 - z) : rec.d(z));
        const da = dh * (1 - z) * (std ? 1 - hh * hh : act.d(hh));
        DX[xb + u] = dz;
        DX[xb + 2 * U + u] = da;
        carry[k] = dh * z;
        if (resetAfter) {
          const r = A[xb + U + u] as number;
          const dr = da * (I[t * n + k] as number) * (std ? r * (1 - r) : rec.d(r));
          DX[xb + U + u] = dr;
          DI[xb + u] = S[b * W + u] = dz;
          DI[xb + U + u] = S[b * W + U + u] = dr;
          DI[xb + 2 * U + u] = S[b * W + 2 * U + u] = da * r;
        } else {
          S[b * 2 * U + u] = dz;
          DA[k] = da;
        }
      }
    }
    mm?.dispose();
    mm = undefined;
    if (!resetAfter) {
      // d(r·h_{t-1}) = da·R_h^T, then dr and the carry through r.
      const m2 = tf.matMul(dah, w.rhT as tf.Tensor2D);
      const D = io.view(m2);
      const A2 = io.view(gates as tf.Tensor);
      const V2 = io.view(value);
      const DX2 = io.view(dxp);
      const S2 = io.view(step);
      for (let b = 0; b < B; b++) {
        const xb = t * B * W + b * W;
        for (let u = 0; u < U; u++) {
          const k = b * U + u;
          const r = A2[xb + U + u] as number;
          const drh = D[k] as number;
          const dr = drh * (V2[t * n + k] as number) * (std ? r * (1 - r) : rec.d(r));
          DX2[xb + U + u] = dr;
          S2[b * 2 * U + U + u] = dr;
          carry[k] = (carry[k] as number) + drh * r;
        }
      }
      m2.dispose();
    }
    if (t > 0) mm = tf.matMul(step, w.rT);
  }
  tf.dispose([step, dah]);
  return { dxp, dInner };
}
