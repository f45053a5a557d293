// A whole recurrent layer as one op with its own gradient (tf.customGrad), on the wasm and cpu
// engines. Autodiff of the step-by-step loop (loop.ts) records a dozen kernels per step forward
// and replays twice as many backward: 4,500 kernels per LSTM training step, most of them tiny.
// Here the gate math of a step is one plain loop (fused-steps.ts, fused-gru.ts) between two
// tfjs matmuls, and the backward pass gets every recurrent-kernel gradient from ONE matmul over
// all steps (stacked h_{t-1} against stacked dZ); the input kernel's and the input's come from
// projectInputs' own gradient (one matmul each).
import type { Activation } from '@netspec/spec';
import { tf } from '../../tf.js';
import { type GruWeights, gruBackward, gruForward } from './fused-gru.js';
import { lstmBackward, lstmForward } from './fused-lstm.js';
import {
  ACTS,
  type Act,
  type Dims,
  type Forward,
  type Io,
  simpleBackward,
  simpleForward,
} from './fused-steps.js';
import { projectInputs, type RnnConfig } from './loop.js';

let enabled = true;

/**
 * Turns the fused path off (or back on) for every recurrent layer: the step-by-step path is the
 * reference the fused one is tested and benchmarked against. Returns the previous setting.
 */
export function useFusedRecurrence(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
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

/** An activation the fused loops know (no parameters); else undefined. */
function actOf(a: Activation | undefined): Act | undefined {
  if (a === undefined) return undefined;
  if (typeof a === 'string') return ACTS[a];
  return Object.keys(a).length === 1 ? ACTS[a.type] : undefined;
}

/** What the fused recurrence needs to know of the layer. */
interface Plan {
  type: 'simpleRnn' | 'lstm' | 'gru';
  resetAfter: boolean;
  act: Act;
  rec: Act;
}

/** The biases of the fused op: kept out of xp so that their gradients are column sums here. */
interface Biases {
  /** Added to xp (G·U). */
  input?: tf.Tensor | undefined;
  /** gru with resetAfter: the recurrent bias row (3U). */
  recurrent?: tf.Tensor | undefined;
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

/**
 * The recurrence over time-major xp (T, B, G·U) + biases.input from zero states: value rows
 * h_0..h_T (+ c_T).
 */
function fusedRecurrence(
  p: Plan,
  d: Dims,
  xp: tf.Tensor3D,
  r: tf.Tensor2D,
  biases: Biases,
): tf.Tensor3D {
  const { steps: T, batch: B, units: U } = d;
  const forward = (io: Io, x: tf.Tensor, k: tf.Tensor2D, rb?: tf.Tensor): Forward => {
    if (p.type === 'simpleRnn') return simpleForward(io, d, x, k, p.act);
    if (p.type === 'lstm') return lstmForward(io, d, x, k, p.act, p.rec);
    const w: GruWeights = p.resetAfter
      ? { resetAfter: true, r: k, ...(rb ? { bias: rb } : {}) }
      : {
          resetAfter: false,
          r: tf.slice(k, [0, 0], [U, 2 * U]),
          rh: tf.slice(k, [0, 2 * U], [U, U]),
        };
    return gruForward(io, d, x, w, p.act, p.rec);
  };
  const inputs = [xp, r, biases.input, biases.recurrent].filter((t) => t !== undefined);
  const op = tf.customGrad((...args: unknown[]) => {
    const [x, k] = args as [tf.Tensor3D, tf.Tensor2D];
    let at = 2;
    const ib = biases.input ? (args[at++] as tf.Tensor) : undefined;
    const rb = biases.recurrent ? (args[at++] as tf.Tensor) : undefined;
    const save = args[at] as tf.GradSaveFunc;
    const io = currentIo() as Io;
    const fw = forward(io, ib ? tf.add(x, ib) : x, k, rb);
    save([fw.value, k, ...fw.saved]);
    return {
      value: fw.value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [value, kernel, ...rest] = saved as [tf.Tensor, tf.Tensor2D, ...tf.Tensor[]];
        const g = backward(currentIo() as Io, dy, value, kernel, rest);
        const width = xp.shape[2];
        return [
          g.dxp,
          g.dR,
          ...(ib ? [columnSums(currentIo() as Io, g.dxp, width)] : []),
          ...(rb ? [columnSums(currentIo() as Io, g.dInner, width)] : []),
        ];
      },
    };
  });
  /** dxp, dR and the rows of dR's right operand, dR a sum over all steps at once. */
  const backward = (io: Io, dy: tf.Tensor, value: tf.Tensor, k: tf.Tensor2D, rest: tf.Tensor[]) => {
    const rows = T * B;
    // h_{t-1} for every step, stacked: value's first T rows.
    const hPrev = tf.reshape(tf.slice(value, [0, 0, 0], [T, B, U]), [rows, U]);
    const flat = (t: tf.Tensor) => tf.reshape(t, [rows, -1]) as tf.Tensor2D;
    const plain = (dz: tf.Tensor) => ({
      dxp: dz,
      dInner: dz,
      dR: tf.matMul(hPrev, flat(dz), true, false),
    });
    if (p.type === 'simpleRnn')
      return plain(simpleBackward(io, d, dy, value, tf.transpose(k), p.act));
    if (p.type === 'lstm')
      return plain(lstmBackward(io, d, dy, rest, tf.transpose(k), p.act, p.rec));
    if (p.resetAfter) {
      const rT = tf.transpose(k);
      const { dxp, dInner } = gruBackward(io, d, dy, value, rest, { rT }, true, p.act, p.rec);
      return { dxp, dInner, dR: tf.matMul(hPrev, flat(dInner), true, false) };
    }
    const wT = {
      rT: tf.transpose(tf.slice(k, [0, 0], [U, 2 * U])) as tf.Tensor2D,
      rhT: tf.transpose(tf.slice(k, [0, 2 * U], [U, U])) as tf.Tensor2D,
    };
    const { dxp } = gruBackward(io, d, dy, value, rest, wT, false, p.act, p.rec);
    const dx2 = flat(dxp);
    const dRzr = tf.matMul(hPrev, tf.slice(dx2, [0, 0], [rows, 2 * U]), true, false);
    // The candidate's columns pair r·h_{t-1} (saved per step) instead of h_{t-1}.
    const rh = flat(rest[1] as tf.Tensor);
    const dRh = tf.matMul(rh, tf.slice(dx2, [0, 2 * U], [rows, U]), true, false);
    return { dxp, dInner: dxp, dR: tf.concat([dRzr, dRh], 1) };
  };
  return op(...(inputs as tf.Tensor[])) as tf.Tensor3D;
}

/** The recurrent layer's inputs as runRnn has them (goBackwards already applied). */
export interface FusedInputs {
  seq: tf.Tensor3D;
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  /** The one input dropout mask (B, F), when training with dropout. */
  inMask?: tf.Tensor2D | undefined;
  inputBias?: tf.Tensor | undefined;
  /** gru with resetAfter: the recurrent bias row (3U). */
  recurrentBias?: tf.Tensor | undefined;
}

/**
 * The layer's outputs through the fused recurrence, or undefined where it does not apply and
 * runRnn takes the step-by-step path: recurrent dropout (a mask per gate and step input, Keras's
 * implementation 1), activations with parameters or outside ACTS, empty sequences, and engines
 * other than wasm and cpu (their data is not readable in place).
 */
export function runFused(c: RnnConfig & { type: string }, gates: number, i: FusedInputs) {
  const [batch, steps] = i.seq.shape;
  const io = currentIo();
  const cfg = c as RnnConfig & { recurrentActivation?: Activation; resetAfter?: boolean };
  const act = actOf(c.activation);
  const rec = c.type === 'simpleRnn' ? act : actOf(cfg.recurrentActivation);
  if (!enabled || !io || !act || !rec || steps === 0 || batch === 0) return undefined;
  const plan: Plan = {
    type: c.type as Plan['type'],
    resetAfter: cfg.resetAfter ?? false,
    act,
    rec,
  };
  const d: Dims = { steps, batch, units: c.units };
  const masked = i.inMask ? tf.mul(i.seq, tf.expandDims(i.inMask, 1)) : i.seq;
  // Time-major, so that each step's rows are contiguous: xp (T, B, G·U).
  const xT = tf.transpose(masked, [1, 0, 2]) as tf.Tensor3D;
  const xp = projectInputs(xT, i.kernel, [], gates);
  const value = fusedRecurrence(plan, d, xp, i.recurrentKernel, {
    input: i.inputBias,
    recurrent: i.recurrentBias,
  });
  const row = (t: number) =>
    tf.reshape(tf.slice(value, [t, 0, 0], [1, batch, c.units]), [batch, c.units]);
  const last = row(steps);
  const output = c.returnSequences
    ? tf.transpose(tf.slice(value, [1, 0, 0], [steps, batch, c.units]), [1, 0, 2])
    : last;
  const states = c.type === 'lstm' ? [last, row(steps + 1)] : [last];
  return c.returnState ? [output, ...states] : [output];
}
