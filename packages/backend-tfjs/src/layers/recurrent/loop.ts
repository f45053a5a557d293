import { tf } from '../../tf.js';
import type { ApplyContext, ConfigOf } from '../kind.js';
import { drawSeed, dropoutMask } from '../noise.js';

/** The options every recurrent layer has (simpleRnn's fields; lstm and gru add their own). */
export type RnnConfig = ConfigOf<'simpleRnn'> | ConfigOf<'lstm'> | ConfigOf<'gru'>;

/**
 * Keras's dropout masks of one call: none outside training, else `count` masks (one, or one per
 * gate under recurrent dropout, as Keras's implementation 1), each shared by every time step.
 */
export function dropoutMasks(
  ctx: ApplyContext,
  c: RnnConfig,
  shape: [number, number],
  rate: number,
  count: number,
): tf.Tensor2D[] {
  if (!ctx.training || rate <= 0 || rate >= 1) return [];
  return Array.from(
    { length: count },
    () => dropoutMask(shape, rate, drawSeed(ctx, c.seed)) as tf.Tensor2D,
  );
}

/**
 * x · kernel + bias for every step at once: one matmul (or one per gate when each gate has its
 * own input dropout mask). x (B, T, F) -> (B, T, G·U).
 */
export function projectInputs(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  masks: tf.Tensor2D[],
  gates: number,
  bias?: tf.Tensor,
): tf.Tensor3D {
  const [batch, steps, features] = x.shape;
  // A (B, F) mask is the same for every step: (B, 1, F) broadcasts over time.
  const masked = (m?: tf.Tensor2D) => (m ? tf.mul(x, tf.expandDims(m, 1)) : x);
  const flat = (t: tf.Tensor) => tf.reshape(t, [batch * steps, features]); // (B·T, F)
  let z: tf.Tensor;
  if (masks.length <= 1) {
    z = tf.matMul(flat(masked(masks[0])), kernel);
  } else {
    const parts = tf.split(kernel, gates, 1);
    z = tf.concat(
      masks.map((m, g) => tf.matMul(flat(masked(m)), parts[g] as tf.Tensor2D)),
      1,
    );
  }
  if (bias) z = tf.add(z, bias);
  return tf.reshape(z, [batch, steps, -1]); // (B, T, G·U)
}

/**
 * The recurrent kernel as one step uses it: fused, or gate by gate when every gate sees the state
 * through its own recurrent dropout mask (Keras's implementation 1).
 */
export class Recurrence {
  private readonly parts: tf.Tensor2D[];
  private readonly slices = new Map<string, tf.Tensor2D>();

  constructor(
    private readonly kernel: tf.Tensor2D,
    private readonly gates: number,
    private readonly masks: tf.Tensor2D[],
  ) {
    this.parts = masks.length > 1 ? (tf.split(kernel, gates, 1) as tf.Tensor2D[]) : [];
  }

  /** The state as gate `g` sees it (Keras's h_tm1_<gate>). */
  masked(h: tf.Tensor2D, g: number): tf.Tensor2D {
    const m = this.masks.length > 1 ? this.masks[g] : this.masks[0];
    return m ? tf.mul(h, m) : h;
  }

  /** Columns of gates from..to-1 of the kernel (U, (to - from)·U). */
  columns(from: number, to: number): tf.Tensor2D {
    if (from === 0 && to === this.gates) return this.kernel;
    const key = `${from}:${to}`;
    let s = this.slices.get(key);
    if (!s) {
      const units = this.kernel.shape[0];
      s = tf.slice(this.kernel, [0, from * units], [-1, (to - from) * units]);
      this.slices.set(key, s);
    }
    return s;
  }

  /** The state projected on gates from..to-1: (B, (to - from)·U). */
  project(h: tf.Tensor2D, from: number, to: number): tf.Tensor2D {
    if (this.masks.length <= 1) return tf.matMul(this.masked(h, from), this.columns(from, to));
    const gates = Array.from({ length: to - from }, (_, k) => from + k);
    return tf.concat(
      gates.map((g) => tf.matMul(this.masked(h, g), this.parts[g] as tf.Tensor2D)),
      1,
    ) as tf.Tensor2D;
  }
}

/** One time step: the step's projected input (B, G·U) and the states -> the new states, h first. */
export type Step = (input: tf.Tensor2D, states: tf.Tensor2D[]) => tf.Tensor2D[];

/**
 * Runs `step` over the projected sequence (B, T, G·U) from zero states. Returns Keras's outputs:
 * the last h or every h (B, T, U) in processing order, then the final states when returnState.
 */
export function runSteps(
  c: RnnConfig,
  projected: tf.Tensor3D,
  stateCount: number,
  step: Step,
): tf.Tensor[] {
  const [batch, steps] = projected.shape;
  let states = Array.from({ length: stateCount }, () => tf.zeros([batch, c.units]) as tf.Tensor2D);
  const outputs: tf.Tensor2D[] = [];
  for (const input of tf.unstack(projected, 1) as tf.Tensor2D[]) {
    states = step(input, states);
    outputs.push(states[0] as tf.Tensor2D);
  }
  const last = states[0] as tf.Tensor2D;
  let output: tf.Tensor = last;
  if (c.returnSequences) {
    // (B, T, U); an empty sequence has nothing to stack.
    output = steps > 0 ? tf.stack(outputs, 1) : tf.zeros([batch, 0, c.units]);
  }
  return c.returnState ? [output, ...states] : [output];
}
