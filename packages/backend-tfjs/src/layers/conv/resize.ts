import { tf } from '../../tf.js';
import type { LayerImpl } from '../kind.js';
import { only, type Pair, pair } from './ops.js';

type Sides = readonly [number, number];

/** Any Keras padding/cropping form as [before, after] per spatial axis. */
function sides(v: number | Sides | readonly (number | Sides)[], n: 1 | 2): Sides[] {
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v] as const);
  if (n === 1) return [v as Sides];
  return (v as readonly (number | Sides)[]).map((s) => pair(s));
}

/** Zeros before and after each spatial axis; batch and channels untouched. */
function zeroPad(x: tf.Tensor, s: Sides[]): tf.Tensor {
  return tf.pad(x, [[0, 0], ...s.map((p): [number, number] => [p[0], p[1]]), [0, 0]]);
}

/** Drops `before` and `after` entries of each spatial axis. */
function crop(x: tf.Tensor, s: Sides[]): tf.Tensor {
  const begin = [0, ...s.map((p) => p[0]), 0];
  const size = [-1, ...s.map((p, i) => (x.shape[i + 1] as number) - p[0] - p[1]), -1];
  return tf.slice(x, begin, size);
}

/**
 * Repeats each entry of axis 1 of a (B, N, ...rest) tensor s times. Rank-3 tiles only: tfjs has
 * no Tile gradient above rank 4.
 */
function repeatAxis1(x: tf.Tensor, s: number): tf.Tensor {
  if (s === 1) return x;
  const [b, n, ...rest] = x.shape as number[];
  const inner = rest.reduce((p, d) => p * d, 1);
  // (B*N, 1, rest) tiled to (B*N, s, rest), then (B, N*s, ...rest)
  const tiled = tf.tile(tf.reshape(x, [(b as number) * (n as number), 1, inner]), [1, s, 1]);
  return tf.reshape(tiled, [b as number, (n as number) * s, ...rest]);
}

/** Keras's nearest upsampling: each row repeated sh times, then each column sw times. */
function repeatNearest(x: tf.Tensor4D, [sh, sw]: Pair): tf.Tensor {
  const [b, , w, c] = x.shape;
  const tall = repeatAxis1(x, sh);
  const rows = tall.shape[1] as number;
  // (B*H', W, C): columns become axis 1
  const wide = repeatAxis1(tf.reshape(tall, [b * rows, w, c]), sw);
  // (B, H', W', C)
  return tf.reshape(wide, [b, rows, w * sw, c]);
}

/**
 * The (n, n*s) matrix of TF's half-pixel bilinear resize along one axis (tf.image.resize, which
 * Keras's bilinear UpSampling2D calls): output i reads src = (i + 0.5)/s - 0.5 between its
 * floor and ceil, both clamped to the input.
 */
function bilinearMatrix(n: number, s: number): tf.Tensor2D {
  const out = n * s;
  const m = new Float32Array(n * out);
  for (let i = 0; i < out; i++) {
    const src = (i + 0.5) / s - 0.5;
    const low = Math.floor(src);
    const lerp = src - low;
    const [a, b] = [Math.max(low, 0) * out + i, Math.min(low + 1, n - 1) * out + i];
    m[a] = (m[a] as number) + 1 - lerp;
    m[b] = (m[b] as number) + lerp;
  }
  return tf.tensor2d(m, [n, out]);
}

/**
 * Half-pixel bilinear upsampling as two matmuls: exact, differentiable on every engine (tfjs's
 * ResizeBilinearGrad ignores halfPixelCenters).
 */
function resizeBilinear(x: tf.Tensor4D, [sh, sw]: Pair): tf.Tensor {
  const [b, h, w, c] = x.shape;
  // (B, C, H, W) -> (B*C*H, W) · (W, W*sw) -> (B*C, H, W')
  const rows = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * c * h, w]);
  const wide = tf.reshape(tf.matMul(rows, bilinearMatrix(w, sw)), [b * c, h, w * sw]);
  // (B*C, W', H) -> (B*C*W', H) · (H, H*sh) -> (B, C, W', H')
  const cols = tf.reshape(tf.transpose(wide, [0, 2, 1]), [b * c * w * sw, h]);
  const both = tf.reshape(tf.matMul(cols, bilinearMatrix(h, sh)), [b, c, w * sw, h * sh]);
  // (B, H', W', C)
  return tf.transpose(both, [0, 3, 2, 1]);
}

/** Upsampling, zero padding and cropping of the conv family. */
export const resizeImpls = {
  upSampling1d: {
    apply: (c, inputs) => repeatAxis1(only(inputs), c.size),
  } satisfies LayerImpl<'upSampling1d'>,

  upSampling2d: {
    apply(c, inputs) {
      const x = only(inputs) as tf.Tensor4D;
      if (c.interpolation === 'nearest') return repeatNearest(x, pair(c.size));
      // Bilinear works on floats; the output keeps the input's dtype as the spec infers.
      const y = resizeBilinear(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), pair(c.size));
      return x.dtype === 'float32' ? y : tf.cast(y, x.dtype);
    },
  } satisfies LayerImpl<'upSampling2d'>,

  zeroPadding1d: {
    apply: (c, inputs) => zeroPad(only(inputs), sides(c.padding, 1)),
  } satisfies LayerImpl<'zeroPadding1d'>,

  zeroPadding2d: {
    apply: (c, inputs) => zeroPad(only(inputs), sides(c.padding, 2)),
  } satisfies LayerImpl<'zeroPadding2d'>,

  cropping1d: {
    apply: (c, inputs) => crop(only(inputs), sides(c.cropping, 1)),
  } satisfies LayerImpl<'cropping1d'>,

  cropping2d: {
    apply: (c, inputs) => crop(only(inputs), sides(c.cropping, 2)),
  } satisfies LayerImpl<'cropping2d'>,
};
