import { tf } from '../tf.js';
import type { LayerImpl } from './kind.js';
import { drawSeed, normalNoise } from './noise.js';

/**
 * z = zMean + exp(0.5 · zLogVar) · eps, eps ~ N(0, 1). With `inference: 'sample'` it samples in
 * inference too, like the Keras VAE example's Sampling layer (a seeded pass draws the same eps
 * every time); with 'mean' inference passes zMean through, for deterministic reconstructions.
 */
const sampling: LayerImpl<'sampling'> = {
  apply(c, inputs, ctx) {
    const [mean, logVar] = inputs as [tf.Tensor, tf.Tensor];
    if (!ctx.training && c.inference === 'mean') return mean;
    const seed = drawSeed(ctx, c.seed);
    return tf.tidy(() => {
      const eps = normalNoise(mean.shape, seed);
      return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
    });
  },
};

/** Keras's GaussianNoise: x + N(0, stddev²) while training, the identity at inference. */
const gaussianNoise: LayerImpl<'gaussianNoise'> = {
  apply(c, inputs, ctx) {
    const x = inputs[0] as tf.Tensor;
    if (!ctx.training || c.stddev === 0) return x;
    const seed = drawSeed(ctx, c.seed);
    return tf.tidy(() => tf.add(x, tf.mul(c.stddev, normalNoise(x.shape, seed))));
  },
};

/** The generative family on tfjs. */
export const generativeImpls = { sampling, gaussianNoise };
