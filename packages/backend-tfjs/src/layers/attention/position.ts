import { tf } from '../../tf.js';
import type { LayerImpl, WeightPolicy } from '../kind.js';

/** Rows start..start+t-1 of a (sequenceLength, D) position table: (T, D). */
export function positionRows(table: tf.Tensor, t: number, start = 0): tf.Tensor {
  return tf.slice(table, [start, 0], [t, table.shape[1] as number]); // (T, D)
}

export const positionEmbedding: LayerImpl<'positionEmbedding'> = {
  weight: (c): WeightPolicy => ({ initializer: c.initializer }),
  apply(_c, [x], ctx) {
    const input = x as tf.Tensor;
    // keras-hub returns the embeddings broadcast to the input, for the model to add.
    const rows = positionRows(ctx.weight('embeddings'), input.shape[1] as number);
    return tf.broadcastTo(rows, input.shape); // (B, T, D)
  },
};

/**
 * keras-hub SinePositionEncoding in float32: angle(p, i) = p * (1/maxWavelength)^(2*floor(i/2)/D),
 * sine on even features and cosine on odd ones, broadcast to the input.
 */
export function sinePositions(t: number, d: number, maxWavelength: number, start = 0): tf.Tensor {
  const exponents = Float32Array.from({ length: d }, (_, i) => (2 * Math.floor(i / 2)) / d);
  const timescales = tf.pow(tf.scalar(1 / maxWavelength), tf.tensor1d(exponents)); // (D)
  const positions = tf.reshape(tf.range(start, start + t, 1, 'float32'), [t, 1]); // (T, 1)
  const angles = tf.mul(positions, tf.reshape(timescales, [1, d])); // (T, D)
  const cosMask = tf.tensor1d(Float32Array.from({ length: d }, (_, i) => i % 2));
  const sines = tf.mul(tf.sin(angles), tf.sub(1, cosMask));
  return tf.add(sines, tf.mul(tf.cos(angles), cosMask)); // (T, D)
}

export const sinusoidalPositionEncoding: LayerImpl<'sinusoidalPositionEncoding'> = {
  apply(c, [x]) {
    const [, t, d] = (x as tf.Tensor).shape as [number, number, number];
    return tf.broadcastTo(sinePositions(t, d, c.maxWavelength), (x as tf.Tensor).shape); // (B, T, D)
  },
};

export const tokenAndPositionEmbedding: LayerImpl<'tokenAndPositionEmbedding'> = {
  // keras-hub clones embeddingsInitializer into both tables.
  weight: (c): WeightPolicy => ({ initializer: c.embeddingsInitializer }),
  apply(_c, [ids], ctx) {
    const tokens = tf.gather(ctx.weight('token_embedding.embeddings'), ids as tf.Tensor); // (B, T, E)
    const t = tokens.shape[1] as number;
    return tf.add(tokens, positionRows(ctx.weight('position_embedding.embeddings'), t));
  },
};
