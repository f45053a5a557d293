import { tf } from './tf.js';

/** What a one-input op with its own gradient computes: its value and dy -> dx. */
export interface UnaryGrad {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor;
}

/**
 * tf.customGrad for one input, typed: tfjs types the body's parameters as a union of tensors and
 * the save function. Tensors the gradient needs must go through `save` (tidy frees the rest).
 */
export function unaryCustomGrad(
  body: (x: tf.Tensor, save: tf.GradSaveFunc) => UnaryGrad,
): (x: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    body(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc)) as Parameters<typeof tf.customGrad>[0]);
  return (x) => op(x);
}
