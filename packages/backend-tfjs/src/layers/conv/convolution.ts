import type { Activation } from '@netspec/spec';
import { tf } from '../../tf.js';
import { activate } from '../activations.js';
import type { ApplyContext, LayerImpl } from '../kind.js';
import {
  conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  from2d,
  only,
  pair,
  to2d,
  type Window2d,
} from './ops.js';

/** Bias (when the layer has one), then the activation: the tail of every convolution. */
function finish(
  y: tf.Tensor,
  c: { useBias: boolean; activation: Activation },
  ctx: ApplyContext,
): tf.Tensor {
  return activate(c.useBias ? tf.add(y, ctx.weight('bias')) : y, c.activation);
}

/** A Keras 2-D window: pairs or single numbers for both axes. */
const window2d = (c: {
  strides: number | readonly [number, number];
  dilationRate: number | readonly [number, number];
  padding: 'valid' | 'same';
}): Window2d => ({ strides: pair(c.strides), dilation: pair(c.dilationRate), padding: c.padding });

/** A 1-D window on the width axis of a height-1 image. */
const window1d = (c: { strides: number; dilationRate: number }, padding: 'valid' | 'same') => ({
  strides: [1, c.strides] as [number, number],
  dilation: [1, c.dilationRate] as [number, number],
  padding,
});

/** The convolutions of the conv family. */
export const convolutionImpls = {
  conv1d: {
    apply(c, inputs, ctx) {
      let x = only(inputs);
      // causal: (k-1)*d zeros before the first step, then a valid convolution
      if (c.padding === 'causal')
        x = tf.pad(x, [
          [0, 0],
          [(c.kernelSize - 1) * c.dilationRate, 0],
          [0, 0],
        ]);
      const w = window1d(c, c.padding === 'same' ? 'same' : 'valid');
      // kernel [k, in/groups, filters] -> [1, k, in/groups, filters]
      const kernel = tf.expandDims(ctx.weight('kernel'), 0) as tf.Tensor4D;
      return finish(from2d(conv2d(to2d(x), kernel, w, c.groups)), c, ctx);
    },
  } satisfies LayerImpl<'conv1d'>,

  conv2d: {
    apply(c, inputs, ctx) {
      const x = only(inputs) as tf.Tensor4D;
      const kernel = ctx.weight('kernel') as tf.Tensor4D;
      return finish(conv2d(x, kernel, window2d(c), c.groups), c, ctx);
    },
  } satisfies LayerImpl<'conv2d'>,

  conv1dTranspose: {
    apply(c, inputs, ctx) {
      const x = to2d(only(inputs));
      // kernel [k, filters, in] -> [1, k, filters, in]
      const kernel = tf.expandDims(ctx.weight('kernel'), 0) as tf.Tensor4D;
      const op = c.outputPadding ?? null;
      // The height-1 axis transposes to height 1 (outputPadding 0 there when given).
      const y = conv2dTranspose(x, kernel, window1d(c, c.padding), [op === null ? null : 0, op]);
      return finish(from2d(y), c, ctx);
    },
  } satisfies LayerImpl<'conv1dTranspose'>,

  conv2dTranspose: {
    apply(c, inputs, ctx) {
      const x = only(inputs) as tf.Tensor4D;
      const kernel = ctx.weight('kernel') as tf.Tensor4D;
      const op = c.outputPadding === undefined ? [null, null] : pair(c.outputPadding);
      const y = conv2dTranspose(x, kernel, window2d(c), op as [number | null, number | null]);
      return finish(y, c, ctx);
    },
  } satisfies LayerImpl<'conv2dTranspose'>,

  depthwiseConv2d: {
    apply(c, inputs, ctx) {
      const x = only(inputs) as tf.Tensor4D;
      const kernel = ctx.weight('depthwise_kernel') as tf.Tensor4D;
      return finish(depthwiseConv2d(x, kernel, window2d(c)), c, ctx);
    },
  } satisfies LayerImpl<'depthwiseConv2d'>,

  separableConv2d: {
    apply(c, inputs, ctx) {
      const x = only(inputs) as tf.Tensor4D;
      // Keras: the depthwise step takes the strides and dilation, the 1x1 pointwise step none.
      const depthwise = depthwiseConv2d(
        x,
        ctx.weight('depthwise_kernel') as tf.Tensor4D,
        window2d(c),
      );
      const pointwise = tf.conv2d(
        depthwise,
        ctx.weight('pointwise_kernel') as tf.Tensor4D,
        1,
        'valid',
      );
      return finish(pointwise, c, ctx);
    },
  } satisfies LayerImpl<'separableConv2d'>,
};
