import { tf } from '../tf.js';
import { composedKernel, cropTo, pair, tapPadding } from './compose.js';
import type { ConvPad, ConvRounding, WithDilations } from './conv2d-layout.js';
import { padToNHWC, toNHWC } from './conv2d-layout.js';

/** Conv2DBackpropFilter's attributes, `dilations` included. */
export type Conv2DFilterGradAttrs = WithDilations<tf.Conv2DBackpropFilterAttrs>;

/**
 * The filter gradient of a 2-D convolution (NHWC), built from one forward convolution:
 *   dW[kh,kw,ci,co] = sum_{b,oh,ow} x[b, oh*s + kh*d - pad, ow*s + kw*d - pad, ci] * dy[b,oh,ow,co]
 * is a convolution of x^T [ci, H, W, b] (batch contracted like channels) with dy^T
 * [oh, ow, b, co] as the filter, where the forward stride becomes the dilation and the forward
 * dilation the stride; its output [ci, >=kh, >=kw, co] is cropped and transposed to the filter.
 * It costs about 2x a forward conv on ResNet shapes: XNNPACK packs its filter (here dy, as large
 * as the activations) on every call, ~14 ns a value. Measured and slower on wasm: a matmul per
 * tap of shifted x^T with dy (dy packed once, 1.5-2x slower: the shifted copies), one im2col
 * matmul (1.3-2x slower), x as the filter and dy as the input (packs less, runs 1.1-2.7x
 * slower), and for 1x1 filters x^T dy as one matmul (0.7-1.7x, no clear gain).
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: ConvPad,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: ConvRounding,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  const [kh, kw, ci, co] = filterShape;
  const xT = tf.transpose(x, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  const padding = tapPadding(info);
  const strideAsDilation = pair(strides);
  const dilationAsStride = pair(dilations);
  const g = tf.conv2d(xT, dyT, dilationAsStride, padding, 'NHWC', strideAsDilation);
  const cropped = cropTo(g, kh, kw);
  if (cropped.shape[0] !== ci || cropped.shape[3] !== co)
    throw new Error(`Conv2DBackpropFilter: got ${cropped.shape}, expected ${filterShape}`);
  return tf.transpose(cropped, [1, 2, 0, 3]);
}

// NCHW inputs go in as NHWC: the filter gradient does not depend on the layout.
export const conv2dBackpropFilterKernel = composedKernel<Conv2DFilterGradAttrs>(
  ({ x, dy }, attrs) =>
    conv2dFilterGrad(
      toNHWC(x as tf.Tensor, attrs.dataFormat),
      toNHWC(dy as tf.Tensor, attrs.dataFormat),
      attrs.filterShape,
      attrs.strides,
      padToNHWC(attrs.pad, attrs.dataFormat),
      attrs.dilations,
      attrs.dimRoundingMode,
    ),
);
