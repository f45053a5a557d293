// The fused recurrence as one tf.customGrad op (see fused.ts): the input projection, the time
// loop and the whole backward pass, whose weight gradients are one matmul each over all steps.
import { tf } from '../../tf.js';
import { type GruWeights, gruBackward, gruForward } from './fused-gru.js';
import { lstmBackward, lstmForward } from './fused-lstm.js';
import {
  type Act,
  currentIo,
  type Dims,
  type Forward,
  type Io,
  simpleBackward,
  simpleForward,
} from './fused-steps.js';

/** What the fused recurrence needs to know of the layer. */
export interface Plan {
  type: 'simpleRnn' | 'lstm' | 'gru';
  resetAfter: boolean;
  act: Act;
  rec: Act;
}

export interface FusedWeights {
  kernel: tf.Tensor2D;
  recurrent: tf.Tensor2D;
  /** Added to x·kernel (G·U). */
  inputBias?: tf.Tensor | undefined;
  /** gru with resetAfter: the recurrent bias row (3U). */
  recurrentBias?: tf.Tensor | undefined;
}

/** Sums over the rows of t (rows of `width`) in one pass: (width). */
function columnSums(io: Io, t: tf.Tensor, width: number): tf.Tensor {
  const out = io.zeros([width]);
  const acc = new Float64Array(width);
  const v = io.view(t);
  for (let at = 0; at < v.length; at += width)
    for (let j = 0; j < width; j++) acc[j] = (acc[j] as number) + (v[at + j] as number);
  io.view(out).set(acc);
  return out;
}

/** rowsOf^T·dZ over all T·B rows, given dZ^T (G·U, T·B). */
function weightGradient(dzT: tf.Tensor2D, rowsOf: tf.Tensor2D): tf.Tensor2D {
  // dW = rowsOf^T·dZ = (dZ^T·rowsOf)^T. tfjs-wasm packs the right operand of every product as
  // XNNPACK weights, and a fresh (T·B, G·U) one cost 12 ms a step more than the (T·B, U) or
  // (T·B, F) one taken here (measured on the bench LSTM, wasm 4.22).
  return tf.transpose(tf.matMul(dzT, rowsOf)) as tf.Tensor2D;
}

/**
 * The layer over time-major x (T, B, F) from zero states: value rows h_0..h_T (+ c_T for lstm).
 * Its gradient: dxp from the step loops, then dX = dxp·kernel^T, dkernel, drecurrent as one
 * matmul each over all T·B rows, and the biases as column sums.
 */
export function fusedRecurrence(p: Plan, d: Dims, x: tf.Tensor3D, w: FusedWeights): tf.Tensor3D {
  const { steps: T, batch: B, units: U } = d;
  const rows = T * B;
  const features = x.shape[2];
  const width = w.kernel.shape[1];
  const flat = (t: tf.Tensor) => tf.reshape(t, [rows, -1]) as tf.Tensor2D;
  const forward = (io: Io, xp: tf.Tensor, k: tf.Tensor2D, rb?: tf.Tensor): Forward => {
    if (p.type === 'simpleRnn') return simpleForward(io, d, xp, k, p.act);
    if (p.type === 'lstm') return lstmForward(io, d, xp, k, p.act, p.rec);
    const gw: GruWeights = p.resetAfter
      ? { resetAfter: true, r: k, ...(rb ? { bias: rb } : {}) }
      : {
          resetAfter: false,
          r: tf.slice(k, [0, 0], [U, 2 * U]),
          rh: tf.slice(k, [0, 2 * U], [U, U]),
        };
    return gruForward(io, d, xp, gw, p.act, p.rec);
  };
  /** dxp from the step loops, and dInner, the rows that pair h_{t-1} in dR (gru: its own). */
  const loops = (io: Io, dy: tf.Tensor, value: tf.Tensor, k: tf.Tensor2D, rest: tf.Tensor[]) => {
    if (p.type === 'simpleRnn') {
      const dz = simpleBackward(io, d, dy, value, tf.transpose(k), p.act);
      return { dxp: dz, dInner: dz };
    }
    if (p.type === 'lstm') {
      const dz = lstmBackward(io, d, dy, rest, tf.transpose(k), p.act, p.rec);
      return { dxp: dz, dInner: dz };
    }
    if (p.resetAfter)
      return gruBackward(io, d, dy, value, rest, { rT: tf.transpose(k) }, true, p.act, p.rec);
    const wT = {
      rT: tf.transpose(tf.slice(k, [0, 0], [U, 2 * U])) as tf.Tensor2D,
      rhT: tf.transpose(tf.slice(k, [0, 2 * U], [U, U])) as tf.Tensor2D,
    };
    return gruBackward(io, d, dy, value, rest, wT, false, p.act, p.rec);
  };
  const inputs = [x, w.kernel, w.recurrent, w.inputBias, w.recurrentBias].filter(
    (t) => t !== undefined,
  );
  const op = tf.customGrad((...args: unknown[]) => {
    const [xs, kernel, rk] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
    let at = 3;
    const ib = w.inputBias ? (args[at++] as tf.Tensor) : undefined;
    const rb = w.recurrentBias ? (args[at++] as tf.Tensor) : undefined;
    const save = args[at] as tf.GradSaveFunc;
    const io = currentIo() as Io;
    const projected = tf.matMul(flat(xs), kernel);
    const xp = tf.reshape(ib ? tf.add(projected, ib) : projected, [T, B, width]);
    const fw = forward(io, xp, rk, rb);
    save([fw.value, xs, kernel, rk, ...fw.saved]);
    return {
      value: fw.value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [value, xSaved, kSaved, rSaved, ...rest] = saved as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor2D,
          tf.Tensor2D,
          ...tf.Tensor[],
        ];
        const io2 = currentIo() as Io;
        const { dxp, dInner } = loops(io2, dy, value, rSaved, rest);
        const dz = flat(dxp);
        const dzT = tf.transpose(dz) as tf.Tensor2D; // (G·U, T·B)
        // h_{t-1} for every step, stacked: value's first T rows.
        const hPrev = flat(tf.slice(value, [0, 0, 0], [T, B, U]));
        const xRows = flat(xSaved);
        let dR: tf.Tensor;
        let dW: tf.Tensor;
        if (p.type === 'gru' && !p.resetAfter) {
          dW = weightGradient(dzT, xRows);
          // The candidate's columns pair r·h_{t-1} (saved per step) instead of h_{t-1}.
          const zr = tf.matMul(tf.slice(dzT, [0, 0], [2 * U, rows]), hPrev);
          const h = tf.matMul(tf.slice(dzT, [2 * U, 0], [U, rows]), flat(rest[1] as tf.Tensor));
          dR = tf.transpose(tf.concat([zr, h], 0));
        } else if (dInner === dxp) {
          // Both from one pass over dZ^T: (dZ^T·[x, h_{t-1}])^T is [dkernel; drecurrent].
          const both = weightGradient(dzT, tf.concat([xRows, hPrev], 1));
          dW = tf.slice(both, [0, 0], [features, width]);
          dR = tf.slice(both, [features, 0], [U, width]);
        } else {
          dW = weightGradient(dzT, xRows);
          dR = weightGradient(tf.transpose(flat(dInner)) as tf.Tensor2D, hPrev);
        }
        const dX = tf.reshape(tf.matMul(dz, tf.transpose(kSaved)), [T, B, features]);
        return [
          dX,
          dW,
          dR,
          ...(ib ? [columnSums(io2, dxp, width)] : []),
          ...(rb ? [columnSums(io2, dInner, width)] : []),
        ];
      },
    };
  });
  return op(...(inputs as tf.Tensor[])) as tf.Tensor3D;
}
