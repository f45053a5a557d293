import { tf } from '../tf.js';
import { composedKernel, cropTo, padOrCrop } from './compose.js';
import { depthwiseInputGrad } from './depthwise-backprop.js';

type Attrs = tf.AvgPoolGradAttrs;

/**
 * The gradient of a 2-D average pool (NHWC), as tfjs defines it: every window sends dy / (its
 * full size) to each of its cells, padding included (tfjs's AvgPool does not count it either way).
 * That is the input gradient of a depthwise convolution whose filter is 1 / (KH * KW) for every
 * tap and channel, which runs as an XNNPACK depthwise convolution of the upsampled dy; wasm's own
 * AvgPoolGrad is a naive loop (13% of a LeNet-5 training step).
 * Windows that tile the input from its corner (window = stride, no top/left padding) copy each
 * dy / (KH * KW) to their cells: one nearest-neighbour resize, 4-5x faster still.
 */
export function avgPoolGrad(dy: tf.Tensor4D, x: tf.Tensor4D, attrs: Attrs): tf.Tensor4D {
  const { filterSize, strides, pad } = attrs;
  const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad);
  const { filterHeight: kh, filterWidth: kw, inChannels: c } = info;
  // The cpu kernel reads only the outputs its own shape arithmetic gives (no rounding mode).
  const used = cropTo(dy, info.outHeight, info.outWidth);
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  if (kh === sh && kw === sw && exact(kh) && exact(kw) && padInfo.top === 0 && padInfo.left === 0) {
    const [, oh, ow] = used.shape;
    const scaled = tf.mul(used, 1 / (kh * kw)) as tf.Tensor4D;
    const cells = tf.image.resizeNearestNeighbor(scaled, [oh * kh, ow * kw]);
    // Rows and columns no window reaches get zeros; windows reaching into padding are cropped.
    return padOrCrop(cells, [0, x.shape[1] - oh * kh], [0, x.shape[2] - ow * kw]);
  }
  const filter = tf.fill([kh, kw, c, 1], 1 / (kh * kw)) as tf.Tensor4D;
  return depthwiseInputGrad(used, filter, {
    inputShape: x.shape,
    strides: [sh, sw],
    dilations: 1,
    pad: explicitPadding(info),
  });
}

/**
 * A scale factor the resize maps exactly: it reads source row floor(y * (1 / k)) in float32,
 * exact for powers of two; other factors could round a cell into the previous block.
 */
const exact = (k: number) => k === 1 || k === 2 || k === 4 || k === 8;

/** The pool's padding as explicit amounts, which the depthwise convolution takes as they are. */
function explicitPadding(info: tf.backend_util.Conv2DInfo): tf.backend_util.ExplicitPadding {
  const p = info.padInfo;
  return [
    [0, 0],
    [p.top, p.bottom],
    [p.left, p.right],
    [0, 0],
  ];
}

export const avgPoolGradKernel = composedKernel<Attrs>(({ dy, input }, attrs) =>
  avgPoolGrad(dy as tf.Tensor4D, input as tf.Tensor4D, attrs),
);
