import { tf } from '../../tf.js';

/** Keras LayerNormalization over the last axis, as autodiff sees it (the reference formula). */
export function layerNormFormula(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): tf.Tensor {
  const centered = tf.sub(x, tf.mean(x, -1, true));
  // square(x - mean), not squaredDifference: tfjs's gradient of that op ignores broadcasting.
  const variance = tf.mean(tf.square(centered), -1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, gamma), beta);
}

type Body = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
};

/**
 * The same forward pass with the closed-form gradient (n = normalized x, r = 1/std, g = dy·gamma):
 * dx = r·(g - mean(g) - n·mean(g·n)), dgamma = sum(dy·n), dbeta = sum(dy) over the leading axes.
 * Autodiff through the mean, square, rsqrt and broadcasts ran about 25 kernels per call; this runs
 * 11, over the same (N, D) tensors.
 */
function fusedLayerNorm(eps: number) {
  const body: Body = (...args) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const centered = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(centered), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const normed = tf.mul(centered, rstd);
    save([normed, rstd, gamma]);
    return {
      value: tf.add(tf.mul(normed, gamma), beta),
      gradFunc: (dy, [n, r, gm]) => {
        const [normed, rstd, g0] = [n, r, gm] as [tf.Tensor, tf.Tensor, tf.Tensor];
        const g = tf.mul(dy, g0);
        const inner = tf.sub(
          tf.sub(g, tf.mean(g, -1, true)),
          tf.mul(normed, tf.mean(tf.mul(g, normed), -1, true)),
        );
        const leading = [...Array(dy.rank - 1).keys()];
        return [
          tf.mul(inner, rstd),
          tf.reshape(tf.sum(tf.mul(dy, normed), leading), g0.shape),
          tf.reshape(tf.sum(dy, leading), g0.shape),
        ];
      },
    };
  };
  return tf.customGrad(body as Parameters<typeof tf.customGrad>[0]);
}

/**
 * Keras LayerNormalization over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta, with
 * the fused gradient when gamma and beta are per-feature vectors (the block layers' weights).
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const d = x.shape[x.rank - 1];
  const perFeature = (w: tf.Tensor) => w.rank === 1 && w.shape[0] === d;
  if (x.rank < 2 || !perFeature(gamma) || !perFeature(beta) || x.size === 0)
    return layerNormFormula(x, gamma, beta, eps);
  return fusedLayerNorm(eps)(x, gamma, beta);
}
