import { tf } from '../tf.js';
import type { LayerImpl } from './kind.js';

type Binary = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * Inputs of lower rank get size-1 axes right after the batch, as Keras's merges insert them, so
 * broadcasting aligns the batch axes and then the last axes.
 */
function aligned(inputs: tf.Tensor[]): tf.Tensor[] {
  const rank = Math.max(...inputs.map((t) => t.rank));
  return inputs.map((t) => {
    if (t.rank === rank) return t;
    const ones = Array<number>(rank - t.rank).fill(1);
    // (B, 1, ..., 1, ...rest)
    return tf.reshape(t, [t.shape[0] as number, ...ones, ...t.shape.slice(1)]);
  });
}

/** Folds the inputs left to right with a broadcasting binary op, as Keras's merges do. */
const fold = (inputs: tf.Tensor[], op: Binary): tf.Tensor =>
  aligned(inputs).reduce((acc, t) => op(acc, t));

/** A Keras axis (negatives count from the end of the full rank) as a tensor axis. */
const axisOf = (axis: number, rank: number) => (axis < 0 ? rank + axis : axis);

/** Keras's l2 normalization: x * min(rsqrt(sum x²), 1/1e-7), here with a finite gradient at 0. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const squares = tf.sum(tf.square(x), axis, true);
  return tf.mul(x, tf.rsqrt(tf.maximum(squares, 1e-14)));
}

/** Moves axis `from` to position `to`, keeping the order of the others. */
function moveAxis(x: tf.Tensor, from: number, to: number): tf.Tensor {
  if (from === to) return x;
  const perm = [...Array(x.rank).keys()].filter((a) => a !== from);
  perm.splice(to, 0, from);
  return tf.transpose(x, perm);
}

/**
 * Keras batch_dot: contracts axis `ax` of x with axis `ay` of y per sample. The result is x's
 * other axes then y's other axes, or (B, 1) when nothing is left.
 */
function batchDot(x: tf.Tensor, y: tf.Tensor, ax: number, ay: number): tf.Tensor {
  const batch = x.shape[0] as number;
  const depth = x.shape[ax] as number;
  const xt = moveAxis(x, ax, x.rank - 1);
  const yt = moveAxis(y, ay, 1);
  const xRest = xt.shape.slice(1, -1);
  const yRest = yt.shape.slice(2);
  // (B, Px, K) · (B, K, Py) -> (B, Px, Py)
  const xs = tf.reshape(xt, [batch, product(xRest), depth]) as tf.Tensor3D;
  const ys = tf.reshape(yt, [batch, depth, product(yRest)]) as tf.Tensor3D;
  const rest = [...xRest, ...yRest];
  // (B, ...xRest, ...yRest), or (B, 1) for one scalar per sample
  return tf.reshape(tf.matMul(xs, ys), [batch, ...(rest.length ? rest : [1])]);
}

/** The merge family on tfjs. */
export const mergeImpls = {
  add: { apply: (_c, inputs) => fold(inputs, tf.add) } satisfies LayerImpl<'add'>,
  subtract: { apply: (_c, inputs) => fold(inputs, tf.sub) } satisfies LayerImpl<'subtract'>,
  multiply: { apply: (_c, inputs) => fold(inputs, tf.mul) } satisfies LayerImpl<'multiply'>,
  average: {
    // Keras sums then divides by the count.
    apply: (_c, inputs) => tf.div(fold(inputs, tf.add), inputs.length),
  } satisfies LayerImpl<'average'>,
  maximum: { apply: (_c, inputs) => fold(inputs, tf.maximum) } satisfies LayerImpl<'maximum'>,
  minimum: { apply: (_c, inputs) => fold(inputs, tf.minimum) } satisfies LayerImpl<'minimum'>,

  concatenate: {
    apply: (c, inputs) => tf.concat(inputs, axisOf(c.axis, (inputs[0] as tf.Tensor).rank)),
  } satisfies LayerImpl<'concatenate'>,

  dot: {
    apply(c, inputs) {
      let [x, y] = inputs as [tf.Tensor, tf.Tensor];
      const [a, b] = typeof c.axes === 'number' ? [c.axes, c.axes] : c.axes;
      const ax = axisOf(a, x.rank);
      const ay = axisOf(b, y.rank);
      if (c.normalize) {
        x = l2Normalize(x, ax);
        y = l2Normalize(y, ay);
      }
      return batchDot(x, y, ax, ay);
    },
  } satisfies LayerImpl<'dot'>,
};
