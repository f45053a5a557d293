import { tf } from '../tf.js';
import { composedKernel, cropTo, padOrCrop, pair, tapPadding, upsample } from './compose.js';

type Shape4 = [number, number, number, number];
type FilterAttrs = tf.DepthwiseConv2dNativeBackpropFilterAttrs;
type InputAttrs = tf.DepthwiseConv2dNativeBackpropInputAttrs;

const convInfo = (xShape: Shape4, filterShape: Shape4, a: FilterAttrs | InputAttrs) =>
  tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );

/**
 * The filter gradient of a depthwise convolution (x [B,H,W,C], dy [B,OH,OW,C*M]):
 *   dW[kh,kw,c,m] = sum_{b,oh,ow} x[b, oh*s + kh*d - pad, ow*s + kw*d - pad, c] * dy[b,oh,ow,c*M+m]
 * is one depthwise convolution over channels (c,b): input x as [1, H, W, C*B], filter dy as
 * [OH, OW, C*B, M], forward stride as dilation and dilation as stride; the output
 * [1, >=KH, >=KW, C*B*M] is cropped and summed over b.
 */
export function depthwiseFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: FilterAttrs,
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const [kh, kw, , m] = attrs.filterShape;
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  const { outHeight, outWidth } = info;
  const xT = tf.reshape(tf.transpose(x, [1, 2, 3, 0]), [1, h, w, c * b]) as tf.Tensor4D;
  const dy5 = tf.reshape(dy, [b, outHeight, outWidth, c, m]);
  const dyT = tf.reshape(tf.transpose(dy5, [1, 2, 3, 0, 4]), [
    outHeight,
    outWidth,
    c * b,
    m,
  ]) as tf.Tensor4D;
  const padding = tapPadding(info);
  const strideAsDilation = pair(attrs.strides);
  const dilationAsStride = pair(attrs.dilations);
  const g = tf.depthwiseConv2d(xT, dyT, dilationAsStride, padding, 'NHWC', strideAsDilation);
  const perBatch = tf.reshape(cropTo(g, kh, kw), [kh, kw, c, b, m]);
  return tf.sum(perBatch, 3) as tf.Tensor4D;
}

/**
 * The input gradient of a depthwise convolution: the transposed convolution
 *   dx[b,h,w,c] = sum_{kh,kw,m} dy[b,oh,ow,c*M+m] * W[kh,kw,c,m]  where h = oh*s + kh*d - pad
 * as a stride-1 depthwise convolution of dy upsampled by s (zeros between rows and columns),
 * padded so that its output is H x W, with the spatially flipped filter as [KH, KW, C*M, 1];
 * the C*M output channels are then summed over m.
 */
export function depthwiseInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: InputAttrs,
): tf.Tensor4D {
  const [b, h, w, c] = attrs.inputShape;
  const [kh, kw, , m] = filter.shape;
  const { padInfo } = convInfo(attrs.inputShape, filter.shape, attrs);
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations);
  const up = upsample(dy, sh, sw);
  // dy row oh sits at oh*s; dx row h reads it through flipped tap j at h + j*d - top.
  const top = (kh - 1) * dh - padInfo.top;
  const left = (kw - 1) * dw - padInfo.left;
  const bottom = h + (kh - 1) * dh - up.shape[1] - top;
  const right = w + (kw - 1) * dw - up.shape[2] - left;
  const framed = padOrCrop(up, [top, bottom], [left, right]);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
  const out = tf.depthwiseConv2d(framed, flipped, 1, 'valid', 'NHWC', [dh, dw]);
  if (m === 1) return out;
  return tf.sum(tf.reshape(out, [b, h, w, c, m]), 4) as tf.Tensor4D;
}

export const depthwiseBackpropFilterKernel = composedKernel<FilterAttrs>(({ x, dy }, attrs) =>
  depthwiseFilterGrad(x as tf.Tensor4D, dy as tf.Tensor4D, attrs),
);

export const depthwiseBackpropInputKernel = composedKernel<InputAttrs>(({ dy, filter }, attrs) =>
  depthwiseInputGrad(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs),
);
