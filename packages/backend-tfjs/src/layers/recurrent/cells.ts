import type { Initializer } from '@netspec/spec';
import { initialValues } from '../../model/initializers.js';
import { deriveSeed } from '../../random.js';
import { tf } from '../../tf.js';
import { activate } from '../activations.js';
import {
  type ApplyContext,
  type ConfigOf,
  defaultWeightPolicy,
  type LayerImpl,
  type WeightPolicy,
} from '../kind.js';
import { runFused } from './fused.js';
import {
  dropoutMasks,
  projectInputs,
  Recurrence,
  type RnnConfig,
  runSteps,
  type Step,
} from './loop.js';

type T2 = tf.Tensor2D;

/** How one recurrent kind differs: gates stacked in its kernels, states, biases, its step. */
interface Cell {
  gates: number;
  states: number;
  /** Added to the input projection of every step, (G·U). */
  inputBias?: tf.Tensor | undefined;
  /** gru with resetAfter: the recurrent bias row, for the fused path. */
  recurrentBias?: tf.Tensor | undefined;
  step(recurrence: Recurrence): Step;
}

/** A recurrent layer over x (B, T, F): goBackwards, dropout masks, input projection, time loop. */
function runRnn(
  c: RnnConfig,
  inputs: tf.Tensor[],
  ctx: ApplyContext,
  cellOf: (bias: tf.Tensor | undefined) => Cell,
): tf.Tensor[] {
  return tf.tidy(() => {
    const x = inputs[0] as tf.Tensor3D;
    // goBackwards reads the sequence reversed and returns outputs in that order, as Keras does.
    const seq = c.goBackwards ? tf.reverse(x, 1) : x;
    const [batch, , features] = seq.shape;
    const cell = cellOf(c.useBias ? ctx.weight('bias') : undefined);
    // Keras gives each gate its own masks once recurrent dropout is on (its implementation 1).
    const count = c.recurrentDropout > 0 ? cell.gates : 1;
    const inMasks = dropoutMasks(ctx, c, [batch, features], c.dropout, count);
    const recMasks = dropoutMasks(ctx, c, [batch, c.units], c.recurrentDropout, count);
    const kernel = ctx.weight('kernel') as T2;
    // One op with its own gradient where it applies (fused.ts says where not).
    const fused =
      recMasks.length === 0
        ? runFused(c, {
            seq,
            kernel,
            recurrentKernel: ctx.weight('recurrent_kernel') as T2,
            inMask: inMasks[0],
            inputBias: cell.inputBias,
            recurrentBias: cell.recurrentBias,
          })
        : undefined;
    if (fused) return fused;
    const projected = projectInputs(seq, kernel, inMasks, cell.gates, cell.inputBias);
    const recurrence = new Recurrence(ctx.weight('recurrent_kernel') as T2, cell.gates, recMasks);
    return runSteps(c, projected, cell.states, cell.step(recurrence));
  });
}

/** h' = activation(x · kernel + bias + h · recurrent_kernel). */
const simpleRnn: LayerImpl<'simpleRnn'> = {
  apply: (c, inputs, ctx) =>
    runRnn(c, inputs, ctx, (bias) => ({
      gates: 1,
      states: 1,
      inputBias: bias,
      step:
        (rec) =>
        (x, [h]) => [activate(tf.add(x, rec.project(h as T2, 0, 1)), c.activation) as T2],
    })),
};

/**
 * Keras's LSTM bias with unitForgetBias: biasInitializer for i, ones for f, biasInitializer for
 * c and o (each part drawn at its own shape, as Keras calls the initializer per part).
 */
export function forgetBiasValues(init: Initializer, units: number, seed: number): Float32Array {
  const out = new Float32Array(4 * units);
  out.set(initialValues(init, [units], deriveSeed(seed, 'i')), 0);
  out.fill(1, units, 2 * units);
  out.set(initialValues(init, [2 * units], deriveSeed(seed, 'co')), 2 * units);
  return out;
}

/** A weight policy whose initial values no single initializer expresses. */
export type ValuesPolicy = WeightPolicy;

const lstmCell = (c: ConfigOf<'lstm'>, bias: tf.Tensor | undefined): Cell => ({
  gates: 4,
  states: 2,
  inputBias: bias,
  step:
    (rec) =>
    (x, [h, carry]) => {
      // z = x · kernel + bias + h · recurrent_kernel, gates i, f, c, o.
      const z = tf.add(x, rec.project(h as T2, 0, 4));
      const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [T2, T2, T2, T2];
      const i = activate(zi, c.recurrentActivation);
      const f = activate(zf, c.recurrentActivation);
      const next = tf.add(tf.mul(f, carry as T2), tf.mul(i, activate(zc, c.activation))) as T2;
      const o = activate(zo, c.recurrentActivation);
      return [tf.mul(o, activate(next, c.activation)) as T2, next];
    },
});

const lstm: LayerImpl<'lstm'> = {
  weight(c, name): ValuesPolicy {
    const policy = defaultWeightPolicy(c, name);
    if (name !== 'bias' || !c.unitForgetBias) return policy;
    return {
      ...policy,
      values: (_shape, seed) => forgetBiasValues(c.biasInitializer, c.units, seed),
    };
  },
  apply: (c, inputs, ctx) => runRnn(c, inputs, ctx, (bias) => lstmCell(c, bias)),
};

/**
 * Keras 3's GRUCell (gates z, r, h): with resetAfter the reset gate scales the recurrent
 * projection (bias rows: input, recurrent), else it scales the state before its matmul.
 * h' = z · h + (1 - z) · hh.
 */
function gruCell(c: ConfigOf<'gru'>, bias: tf.Tensor | undefined): Cell {
  const [inputBias, recurrentBias] =
    bias && c.resetAfter ? (tf.unstack(bias, 0) as [tf.Tensor, tf.Tensor]) : [bias, undefined];
  const units = c.units;
  return {
    gates: 3,
    states: 1,
    inputBias,
    recurrentBias,
    step:
      (rec) =>
      (x, [state]) => {
        const h = state as T2;
        const [xz, xr, xh] = tf.split(x, 3, 1) as [T2, T2, T2];
        let inner: tf.Tensor = rec.project(h, 0, c.resetAfter ? 3 : 2);
        if (recurrentBias) inner = tf.add(inner, recurrentBias);
        const [rz, rr, rh] = tf.split(inner, c.resetAfter ? 3 : [units, units], 1);
        const z = activate(tf.add(xz, rz as T2), c.recurrentActivation);
        const r = activate(tf.add(xr, rr as T2), c.recurrentActivation);
        const recurrentH = c.resetAfter
          ? tf.mul(r, rh as T2)
          : tf.matMul(tf.mul(r, rec.masked(h, 2)) as T2, rec.columns(2, 3));
        const hh = activate(tf.add(xh, recurrentH), c.activation);
        return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as T2];
      },
  };
}

const gru: LayerImpl<'gru'> = {
  apply: (c, inputs, ctx) => runRnn(c, inputs, ctx, (bias) => gruCell(c, bias)),
};

/** The cell layers, which `bidirectional` also wraps. */
export const cellImpls = { simpleRnn, lstm, gru };
