import { tf } from '../tf.js';

/** Keras's clipvalue, clipnorm and global_clipnorm (at most one is set in Keras). */
export interface ClipOptions {
  clipValue?: number | undefined;
  clipNorm?: number | undefined;
  globalClipNorm?: number | undefined;
}

/**
 * Keras 3's `_clip_gradients`: clipNorm, else globalClipNorm, else clipValue (the first one set
 * wins, as in Keras's elif chain). A null gradient (a variable without one) stays null and does
 * not count toward the global norm. Call inside tf.tidy.
 */
export function clipGradients(
  grads: readonly (tf.Tensor | null)[],
  o: ClipOptions,
): (tf.Tensor | null)[] {
  const { clipNorm, globalClipNorm, clipValue } = o;
  if (clipNorm !== undefined && clipNorm > 0)
    return grads.map((g) => (g ? clipByNorm(g, clipNorm) : null));
  if (globalClipNorm !== undefined && globalClipNorm > 0)
    return clipByGlobalNorm(grads, globalClipNorm);
  if (clipValue !== undefined && clipValue > 0)
    return grads.map((g) => (g ? tf.clipByValue(g, -clipValue, clipValue) : null));
  return [...grads];
}

/** g * c / max(||g||, c): rescales only when the norm exceeds c. */
export function clipByNorm(g: tf.Tensor, c: number): tf.Tensor {
  const norm = tf.sqrt(tf.sum(tf.square(g)));
  return tf.div(tf.mul(g, c), tf.maximum(norm, c));
}

/** sqrt of the sum of squares of every gradient. */
export function globalNorm(grads: readonly (tf.Tensor | null)[]): tf.Scalar {
  const squares = grads.filter((g): g is tf.Tensor => g !== null).map((g) => tf.sum(tf.square(g)));
  return tf.sqrt(squares.length ? tf.addN(squares) : tf.scalar(0)) as tf.Scalar;
}

/** Every gradient times c * min(1 / norm, 1 / c); NaN everywhere when the norm is not finite. */
export function clipByGlobalNorm(
  grads: readonly (tf.Tensor | null)[],
  c: number,
): (tf.Tensor | null)[] {
  const norm = globalNorm(grads);
  const finiteScale = tf.mul(c, tf.minimum(tf.div(1, norm), 1 / c));
  // norm - norm is 0 for a finite norm and NaN for inf or NaN, as in Keras.
  const scale = tf.add(finiteScale, tf.sub(norm, norm));
  return grads.map((g) => (g ? tf.mul(g, scale) : null));
}
