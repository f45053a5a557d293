import { tf } from '../tf.js';

export type Pair = [number, number];

/**
 * A kernel written with public tf ops. The ops run on the backend the kernel was dispatched to
 * (the engine's current one), intermediates are freed by a tidy, and the result is returned as a
 * Tensor, which the engine adopts as the kernel's output without another reference.
 */
export function composedKernel<A>(
  body: (inputs: Record<string, tf.Tensor>, attrs: A) => tf.Tensor,
): tf.KernelFunc {
  return ({ inputs, attrs, backend }) =>
    tf.tidy(() => {
      const tensors: Record<string, tf.Tensor> = {};
      for (const [name, info] of Object.entries(inputs))
        if (info) tensors[name] = asTensor(info, backend as tf.KernelBackend);
      return body(tensors, attrs as unknown as A);
    });
}

/**
 * A Tensor over a kernel input. Ops pass Tensors already; a bare TensorInfo (engine.runKernel
 * with one) gets a wrapper that holds its own reference, so the tidy that frees it stays balanced.
 */
function asTensor(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/** A stride or dilation attribute as [height, width]. */
export function pair(value: number | number[] | undefined, fallback = 1): Pair {
  if (value === undefined) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  return [value[0] ?? fallback, value[1] ?? value[0] ?? fallback];
}

/**
 * Pads with `value` (positive amounts) or crops (negative amounts) the two spatial axes of an
 * NHWC tensor: `rows` = [top, bottom], `cols` = [left, right].
 */
export function padOrCrop(x: tf.Tensor4D, rows: Pair, cols: Pair, value = 0): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const cut = (n: number) => Math.max(0, -n);
  const begin: [number, number, number, number] = [0, cut(rows[0]), cut(cols[0]), 0];
  const size: [number, number, number, number] = [
    b,
    h - cut(rows[0]) - cut(rows[1]),
    w - cut(cols[0]) - cut(cols[1]),
    c,
  ];
  const cropped = begin.some((v) => v > 0) || size.some((v, i) => v !== x.shape[i]);
  const y = cropped ? tf.slice(x, begin, size) : x;
  const grow = (n: number) => Math.max(0, n);
  if (![...rows, ...cols].some((n) => n > 0)) return y;
  const paddings: [number, number][] = [
    [0, 0],
    [grow(rows[0]), grow(rows[1])],
    [grow(cols[0]), grow(cols[1])],
    [0, 0],
  ];
  return tf.pad(y, paddings, value);
}

/** The first `rows` x `cols` spatial positions of an NHWC tensor (no copy when already so). */
export function cropTo(x: tf.Tensor4D, rows: number, cols: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (h === rows && w === cols) return x;
  return tf.slice(x, [0, 0, 0, 0], [b, rows, cols, c]);
}

/**
 * The explicit NHWC padding of a convolution's input that covers every tap of every output:
 * the forward padding, with bottom/right grown where rounding up ('ceil') made outputs that
 * read past it (those reads are zeros).
 */
export function tapPadding(info: tf.backend_util.Conv2DInfo): tf.backend_util.ExplicitPadding {
  const { padInfo: p, strideHeight: sh, strideWidth: sw } = info;
  const reachH = (info.outHeight - 1) * sh + info.effectiveFilterHeight;
  const reachW = (info.outWidth - 1) * sw + info.effectiveFilterWidth;
  const bottom = Math.max(p.bottom, reachH - info.inHeight - p.top);
  const right = Math.max(p.right, reachW - info.inWidth - p.left);
  return [
    [0, 0],
    [p.top, bottom],
    [p.left, right],
    [0, 0],
  ];
}

/** Inserts s-1 zero rows (columns) after each row (column): [B, OH*sh, OW*sw, C]. */
export function upsample(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, oh, ow, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [b, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [b, oh * sh, ow * sw, c]);
}
