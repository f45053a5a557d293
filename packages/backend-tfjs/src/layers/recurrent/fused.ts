// A whole recurrent layer as one op with its own gradient (tf.customGrad), on the wasm and cpu
// engines. Autodiff of the step-by-step loop (loop.ts) records a dozen kernels per step forward
// and replays twice as many backward: 4,500 kernels per LSTM training step, most of them tiny.
// Here the gate math of a step is one plain loop (fused-steps.ts, fused-gru.ts) between two
// tfjs matmuls, and the backward pass gets every recurrent-kernel gradient from ONE matmul over
// all steps (stacked h_{t-1} against stacked dZ), as it does the input kernel's and the input's
// (fused-op.ts).
import type { Activation } from '@netspec/spec';
import { tf } from '../../tf.js';
import { fusedRecurrence, type Plan } from './fused-op.js';
import { ACTS, type Act, currentIo, type Dims } from './fused-steps.js';
import type { RnnConfig } from './loop.js';

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

/** An activation the fused loops know (no parameters); else undefined. */
function actOf(a: Activation | undefined): Act | undefined {
  if (a === undefined) return undefined;
  if (typeof a === 'string') return ACTS[a];
  return Object.keys(a).length === 1 ? ACTS[a.type] : undefined;
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
export function runFused(c: RnnConfig & { type: string }, i: FusedInputs) {
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
  // Time-major, so that each step's rows are contiguous: x (T, B, F).
  const xT = tf.transpose(masked, [1, 0, 2]) as tf.Tensor3D;
  const value = fusedRecurrence(plan, d, xT, {
    kernel: i.kernel,
    recurrent: i.recurrentKernel,
    inputBias: i.inputBias,
    recurrentBias: i.recurrentBias,
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
