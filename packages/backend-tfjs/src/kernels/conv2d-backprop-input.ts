import { tf } from '../tf.js';
import { composedKernel, type Pair, padOrCrop, pair, upsample } from './compose.js';
import { phaseInputGrad } from './conv2d-input-phases.js';
import type { ConvPad, ConvRounding, WithDilations } from './conv2d-layout.js';
import { padToNHWC, toNHWC } from './conv2d-layout.js';

type Shape4 = [number, number, number, number];

/** Conv2DBackpropInput's attributes, `dilations` included. */
export type Conv2DInputGradAttrs = WithDilations<tf.Conv2DBackpropInputAttrs>;

/**
 * The input gradient of a 2-D convolution (NHWC), the transposed convolution
 *   dx[b,h,w,ci] = sum_{kh,kw,co} dy[b,oh,ow,co] * W[kh,kw,ci,co]  where h = oh*s + kh*d - top,
 * as one forward convolution, which wasm runs in XNNPACK (its own Conv2DBackpropInput is a
 * naive loop, 4-12x slower on ResNet shapes): dy upsampled by s (zeros between rows and
 * columns), framed so that the output is H x W, convolved at stride 1 and dilation d with the
 * spatially flipped filter with its channel axes swapped, [KH, KW, CO, CI].
 * A 1x1 filter has no taps to overlap: the product is taken at dy's resolution first and then
 * spread, so the zeros of the upsampling cost nothing. Other strided filters go by stride phases
 * (conv2d-input-phases.ts), which skip those zeros too.
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: Shape4,
  strides: number | [number, number],
  pad: ConvPad,
  dilations: number | [number, number] = 1,
  dimRoundingMode?: ConvRounding,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
  );
  const [, h, w] = inputShape;
  const [kh, kw] = filter.shape;
  const [sh, sw] = pair(strides);
  const [dh, dw] = pair(dilations);
  const { top, left } = info.padInfo;
  if ((sh > 1 || sw > 1) && dh === 1 && dw === 1 && (kh > 1 || kw > 1))
    return phaseInputGrad(dy, filter, inputShape, [sh, sw], info.padInfo);
  const swapped = tf.transpose(kh === 1 && kw === 1 ? filter : flip(filter), [0, 1, 3, 2]);
  // dy row oh sits at oh*s of the upsampled grid; dx row h reads it through flipped tap j at
  // framed row h + j*d, so the grid starts (KH-1)*d - top rows into the frame.
  const rows = frame(h, dy.shape[1] * sh, (kh - 1) * dh - top, (kh - 1) * dh);
  const cols = frame(w, dy.shape[2] * sw, (kw - 1) * dw - left, (kw - 1) * dw);
  if (kh === 1 && kw === 1) {
    const product = tf.conv2d(dy, swapped as tf.Tensor4D, 1, 'valid');
    return padOrCrop(upsample(product, sh, sw), rows, cols);
  }
  // Crops (negative amounts) are slices; padding goes to the convolution, which pads for free.
  const cropped = padOrCrop(upsample(dy, sh, sw), negative(rows), negative(cols));
  const padding: tf.backend_util.ExplicitPadding = [[0, 0], positive(rows), positive(cols), [0, 0]];
  return tf.conv2d(cropped, swapped as tf.Tensor4D, 1, padding, 'NHWC', [dh, dw]);
}

/**
 * The filter with its taps in reverse order (both spatial axes): a gather of its KH*KW rows,
 * 10x faster on wasm than Reverse over two axes (1.3 ms for a 3x3x64x64 filter).
 */
function flip(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const taps = Array.from({ length: kh * kw }, (_, i) => kh * kw - 1 - i);
  return tf.reshape(tf.gather(tf.reshape(filter, [kh * kw, ci * co]), taps), filter.shape);
}

/**
 * [before, after] amounts around an upsampled axis of `length` so that a valid convolution with
 * a filter spanning `reach` + 1 rows gives `size` rows.
 */
function frame(size: number, length: number, before: number, reach: number): Pair {
  return [before, size + reach - length - before];
}

const negative = ([a, b]: Pair): Pair => [Math.min(a, 0), Math.min(b, 0)];
const positive = ([a, b]: Pair): Pair => [Math.max(a, 0), Math.max(b, 0)];

export const conv2dBackpropInputKernel = composedKernel<Conv2DInputGradAttrs>(
  ({ dy, filter }, attrs) => {
    const nchw = attrs.dataFormat === 'NCHW';
    const [b, d1, d2, d3] = attrs.inputShape;
    const grad = conv2dInputGrad(
      toNHWC(dy as tf.Tensor, attrs.dataFormat),
      filter as tf.Tensor4D,
      nchw ? [b, d2, d3, d1] : [b, d1, d2, d3],
      attrs.strides,
      padToNHWC(attrs.pad, attrs.dataFormat),
      attrs.dilations,
      attrs.dimRoundingMode,
    );
    return nchw ? tf.transpose(grad, [0, 3, 1, 2]) : grad;
  },
);
